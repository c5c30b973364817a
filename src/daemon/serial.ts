/**
 * Runs `work` one call at a time. A request while a run is under way asks for exactly one more
 * run after it (requests in between collapse into it), so a burst of file events costs at most
 * two scans and no scan ever overlaps another. Errors go to `onError`; the runner keeps going.
 */
export function serialRunner(
  work: () => Promise<void>,
  options: { onError: (error: unknown) => void; stopped: () => boolean },
): { request: () => Promise<void>; current: () => Promise<void> | null } {
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async (): Promise<void> => {
    do {
      again = false;
      try {
        await work();
      } catch (error) {
        options.onError(error);
      }
    } while (shouldRepeat());
    running = null;
  };
  // A function so that the flag is read after the awaits above, not narrowed before them.
  const shouldRepeat = (): boolean => again && !options.stopped();
  return {
    request() {
      if (running !== null) {
        again = true;
        return running;
      }
      running = loop();
      return running;
    },
    current: () => running,
  };
}

import { createRequire } from 'node:module';

/**
 * The addon `native/build/NAME.node`, built at install where a C compiler is found
 * (native/build.mjs), or null when it is not there or cannot be loaded here.
 */
export function loadNativeAddon(name: string): unknown {
  try {
    return createRequire(import.meta.url)(`../../native/build/${name}.node`) as unknown;
  } catch {
    return null;
  }
}

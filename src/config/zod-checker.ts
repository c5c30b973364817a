import { AdwError } from '../errors.js';
import type { ConfigChecker } from './config-checker.js';
import { INVALID } from './plain-check.js';
import { configSchema } from './schema.js';

/** The checker of the schema itself: each value as given, then the whole parsed at once. */
export function zodChecker(): ConfigChecker {
  return {
    check: (key, value) => (configSchema.shape[key].safeParse(value).success ? value : INVALID),
    resolve: (input) => {
      // Every value passed its own key's schema; a failure here would be a bug in the loader.
      const parsed = configSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]?.message ?? 'unknown issue';
        throw new AdwError('CONFIG_INVALID', `Invalid configuration: ${issue}`);
      }
      return parsed.data;
    },
  };
}

/**
 * Configuration: environment variables, with `.env` in the working directory
 * underneath them (the environment wins, as with DevLake). Keys are the
 * documented ones: `DB_URL`, `<PLUGIN>_TOKEN`, `<PLUGIN>_ENDPOINT`, …
 */
export interface Config {
  /** The value of `key`, or undefined when unset or empty. */
  get(key: string): string | undefined;
}

/** A Config over a plain map (first map wins). */
export function mapConfig(...maps: Array<Record<string, string | undefined>>): Config {
  return {
    get(key: string) {
      for (const map of maps) {
        const value = map[key];
        if (value !== undefined && value !== '') return value;
      }
      return undefined;
    },
  };
}

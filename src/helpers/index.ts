/** Helpers a plugin author uses: API client, collectors, extractors, converters, ids. */
export {};

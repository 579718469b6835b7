import { extractMeasure } from './lib/extract';
import type { Measure } from './lib/measure';

/** ApiExtractor on SQLite against one INSERT … SELECT with json_extract. */
export const measure: Measure = {
  name: 'extract_sqlite',
  description: 'ApiExtractor (insert, then upsert) and a declarative extractor vs one INSERT … SELECT json_extract(…) statement',
  run: (ctx) => extractMeasure('sqlite', 'extract_sqlite', { min: 0.6 }, ctx),
};

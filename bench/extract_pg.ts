import { extractMeasure } from './lib/extract';
import type { Measure } from './lib/measure';

/** ApiExtractor on Postgres against one fenced INSERT … SELECT … ON CONFLICT parsing each row's JSON once. */
export const measure: Measure = {
  name: 'extract_pg',
  description: 'ApiExtractor (insert, then upsert) vs one INSERT … SELECT over an OFFSET 0-fenced data::jsonb subquery',
  run: (ctx) => extractMeasure('postgres', 'extract_pg', { min: 0.8 }, ctx),
};

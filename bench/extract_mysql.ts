import { extractMeasure } from './lib/extract';
import type { Measure } from './lib/measure';

/** ApiExtractor on MySQL/MariaDB against one INSERT … SELECT JSON_EXTRACT … ON DUPLICATE KEY UPDATE. */
export const measure: Measure = {
  name: 'extract_mysql',
  description: 'ApiExtractor (insert, then upsert) vs one INSERT … SELECT of JSON_EXTRACT fields (ON DUPLICATE KEY UPDATE for the upsert)',
  run: (ctx) => extractMeasure('mysql', 'extract_mysql', { min: 0.5 }, ctx),
};

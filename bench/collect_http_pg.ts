import { collectMeasure } from './lib/collect';
import type { Measure } from './lib/measure';

/** ApiCollector on Postgres against min(bare undici fetching, COPY of the same records). */
export const measure: Measure = {
  name: 'collect_http_pg',
  description: 'ApiCollector pages/s (Postgres) vs min(bare undici fetch + json, COPY FROM STDIN of the same records)',
  run: (ctx) => collectMeasure('postgres', 'collect_http_pg', ctx),
};

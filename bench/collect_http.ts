import { collectMeasure } from './lib/collect';
import type { Measure } from './lib/measure';

/** ApiCollector on SQLite against min(bare undici fetching, SQLite's best write of the same records); ApiClient alone too. */
export const measure: Measure = {
  name: 'collect_http',
  description: 'ApiCollector pages/s (SQLite) vs min(bare undici fetch + json, prepared single-row INSERTs of the same records); ApiClient alone vs undici',
  run: (ctx) => collectMeasure('sqlite', 'collect_http', ctx),
};

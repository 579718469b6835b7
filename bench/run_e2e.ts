import { e2eMeasure } from './lib/e2e';
import type { Measure } from './lib/measure';

/** `devlake run` of collect → extract → convert (SQLite) against the sum of the three ceilings. */
export const measure: Measure = {
  name: 'run_e2e',
  description: '`devlake run` collect 1,000 pages → extract → convert (SQLite) vs the sum of the collect, extract and convert ceilings',
  run: (ctx) => e2eMeasure('sqlite', 'run_e2e', ctx),
};

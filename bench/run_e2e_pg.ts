import { e2eMeasure } from './lib/e2e';
import type { Measure } from './lib/measure';

/** `devlake run` of collect → extract → convert (Postgres) against the sum of the three ceilings. */
export const measure: Measure = {
  name: 'run_e2e_pg',
  description: '`devlake run` collect 1,000 pages → extract → convert (Postgres) vs the sum of the collect, extract and convert ceilings',
  run: (ctx) => e2eMeasure('postgres', 'run_e2e_pg', ctx),
};

import type { Knex } from 'knex';

/**
 * `calendar_months`, which DevLake's dashboards join on to list months with no
 * data: `month` ('YY/MM', e.g. '24/01') and `month_timestamp` (the first of
 * that month). DevLake creates it in a migration script rather than from a
 * model, and fills the months from two years before the migration (excluded)
 * to ten years after it (included).
 */
export const calendarMonthsTable = 'calendar_months';

/** The rows DevLake's migration writes when run at `now` (months in UTC). */
export function calendarMonthRows(now: Date): Array<{ month: string; month_timestamp: Date }> {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const rows: Array<{ month: string; month_timestamp: Date }> = [];
  // From ten years after the current month down to one month after two years before it, like DevLake's loop.
  for (let offset = 120; offset > -24; offset--) {
    const first = new Date(Date.UTC(year, month + offset, 1));
    const yy = String(first.getUTCFullYear() % 100).padStart(2, '0');
    const mm = String(first.getUTCMonth() + 1).padStart(2, '0');
    rows.push({ month: `${yy}/${mm}`, month_timestamp: first });
  }
  return rows;
}

/** Creates and fills `calendar_months` as DevLake's migration does. */
export async function createCalendarMonths(db: Knex, now: Date): Promise<void> {
  await db.schema.createTable(calendarMonthsTable, (t) => {
    t.string('month', 20).notNullable().primary(`${calendarMonthsTable}_pkey`);
    t.timestamp('month_timestamp', { useTz: true });
  });
  await db.batchInsert(calendarMonthsTable, calendarMonthRows(now), 200);
}

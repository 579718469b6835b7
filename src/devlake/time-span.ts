/**
 * Lead-time minutes as DevLake's Go plugins compute them. Two roundings
 * coexist upstream, so each has its name. Times are Dates or ISO strings
 * (as a row being written may hold either).
 */

type Instant = Date | string | null | undefined;

function ms(t: Date | string): number {
  return typeof t === 'string' ? Date.parse(t) : t.getTime();
}

/**
 * An issue's lead time in DevLake's ticket extractors (`uint(closedAt.Sub(createdAt).Minutes())`):
 * whole minutes, truncated; `null` while either time is missing (a `*uint` left nil). A negative
 * span, which Go would wrap, gives 0.
 */
export function leadTimeMinutes(from: Instant, to: Instant): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.trunc((ms(to) - ms(from)) / 60000));
}

/**
 * DevLake's `computeTimeSpan` (the DORA change lead time stages): whole minutes from start to
 * end, rounded up; `null` when either end is missing or the span is negative (a span under a
 * minute before the start rounds up to 0, as Go's math.Ceil does).
 */
export function computeTimeSpan(start: Instant, end: Instant): number | null {
  if (!start || !end) return null;
  const minutes = Math.ceil((ms(end) - ms(start)) / 60000);
  if (minutes < 0) return null;
  return minutes === 0 ? 0 : minutes; // never -0
}

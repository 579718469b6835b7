import { DevlakeError } from '../core/errors';

/**
 * A time-after later than now selects nothing: with a full sync the run would
 * delete every raw and tool row of the scope and collect none back. Refused
 * before anything is touched.
 */
export function checkTimeAfter(timeAfter: Date | undefined, now = new Date()): void {
  if (!timeAfter || timeAfter.getTime() <= now.getTime()) return;
  throw new DevlakeError('DEVLAKE_E_USAGE', `--time-after ${timeAfter.toISOString()} is in the future (now is ${now.toISOString()}); it would select no data`, {
    hint: 'Give a date in the past, e.g. --time-after 2024-01-31, or leave it out to collect everything.',
  });
}

import * as fs from 'node:fs';
import { DevlakeError } from '../core/errors';
import { parseSample, type Sample } from './infer-sample';

/** Reads and parses a `--from-sample` file; an unreadable file is DEVLAKE_E_GEN_INVALID_ANSWER. */
export function readSample(file: string, options: { recordPath?: string; match?: string }): Sample {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Cannot read the sample ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, {
      hint: 'Pass --from-sample with a file: a saved response body, JSON lines, or a cassette from devlake run --record.',
      cause,
    });
  }
  return parseSample(text, options);
}

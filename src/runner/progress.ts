import type { SubTaskProgress } from './context';

/** Shows subtask progress: a redrawn bar on a TTY, plain lines at most every few seconds otherwise. */
export interface ProgressDisplay {
  update(subtask: string, progress: SubTaskProgress): void;
  /** A subtask completed: a final line with its count (plain output); the bar is cleared (TTY). */
  finish(subtask: string, progress: SubTaskProgress): void;
  /** The run waits (rate limit, retry): the bar shows why and until when, until the next update. Plain output ignores it (the log line says it). */
  waiting(note: string): void;
  /** Clears the bar line before a log line is written over it. */
  clear(): void;
  done(): void;
}

/** Chooses the display for the stream: bar on a TTY, throttled lines elsewhere. */
export function createProgressDisplay(stream: NodeJS.WriteStream = process.stderr, opts: { intervalMs?: number; log?: (msg: string) => void } = {}): ProgressDisplay {
  return stream.isTTY ? ttyBar(stream) : plainLines(opts.intervalMs ?? 5000, opts.log ?? ((m) => stream.write(`${m}\n`)));
}

/** `3 / 10 pages (30%)`, `28 pages`, or `7` when the subtask gave no unit. */
export function formatProgress(p: Pick<SubTaskProgress, 'current' | 'total' | 'unit'>): string {
  const unit = p.unit ? ` ${p.unit}` : '';
  return p.total > 0 ? `${p.current} / ${p.total}${unit} (${Math.floor((100 * Math.min(p.current, p.total)) / p.total)}%)` : `${p.current}${unit}`;
}

function ttyBar(stream: NodeJS.WriteStream): ProgressDisplay {
  let shown = false;
  let last = 0;
  let current: { subtask: string; progress: SubTaskProgress } | undefined;
  const draw = (subtask: string, p: SubTaskProgress, note?: string): void => {
    const width = 24;
    const filled = p.total > 0 ? Math.min(width, Math.round((width * p.current) / p.total)) : 0;
    const bar = p.total > 0 ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
    stream.write(`\r\x1b[2K${subtask} ${bar}${formatProgress(p)}${note ? ` · ${note}` : ''}`);
    shown = true;
  };
  return {
    update(subtask, p) {
      current = { subtask, progress: p };
      const now = Date.now();
      if (now - last < 100 && p.current !== p.total) return; // redraw at most 10 times a second
      last = now;
      draw(subtask, p);
    },
    finish() {
      this.clear();
      current = undefined;
    },
    waiting(note) {
      if (current) draw(current.subtask, current.progress, note);
      else {
        stream.write(`\r\x1b[2K${note}`);
        shown = true;
      }
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
    done() {
      this.clear();
    },
  };
}

function plainLines(intervalMs: number, log: (msg: string) => void): ProgressDisplay {
  const last = new Map<string, number>();
  return {
    update(subtask, p) {
      // Nothing done yet says nothing (a "0 / 3000 (0%)" line just before the step finishes).
      if (p.current === 0) return;
      const now = Date.now();
      if (now - (last.get(subtask) ?? 0) < intervalMs) return;
      last.set(subtask, now);
      log(`progress ${subtask}: ${formatProgress(p)}`);
    },
    finish(subtask, p) {
      last.delete(subtask);
      log(`progress ${subtask}: ${p.total > 0 ? formatProgress(p) : `${formatProgress(p)}, done`}`);
    },
    waiting: () => undefined,
    clear: () => undefined,
    done: () => undefined,
  };
}

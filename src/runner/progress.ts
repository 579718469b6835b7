import type { SubTaskProgress } from './context';

/** Shows subtask progress: a redrawn bar on a TTY, plain lines at most every few seconds otherwise. */
export interface ProgressDisplay {
  update(subtask: string, progress: SubTaskProgress): void;
  /** Clears the bar line before a log line is written over it. */
  clear(): void;
  done(): void;
}

/** Chooses the display for the stream: bar on a TTY, throttled lines elsewhere. */
export function createProgressDisplay(stream: NodeJS.WriteStream = process.stderr, opts: { intervalMs?: number; log?: (msg: string) => void } = {}): ProgressDisplay {
  return stream.isTTY ? ttyBar(stream) : plainLines(opts.intervalMs ?? 5000, opts.log ?? ((m) => stream.write(`${m}\n`)));
}

function ratio(p: SubTaskProgress): string {
  return p.total > 0 ? `${p.current} / ${p.total} (${Math.floor((100 * p.current) / p.total)}%)` : `${p.current}`;
}

function ttyBar(stream: NodeJS.WriteStream): ProgressDisplay {
  let shown = false;
  let last = 0;
  return {
    update(subtask, p) {
      const now = Date.now();
      if (now - last < 100 && p.current !== p.total) return; // redraw at most 10 times a second
      last = now;
      const width = 24;
      const filled = p.total > 0 ? Math.min(width, Math.round((width * p.current) / p.total)) : 0;
      const bar = p.total > 0 ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
      stream.write(`\r\x1b[2K${subtask} ${bar}${ratio(p)}`);
      shown = true;
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
      const now = Date.now();
      if (now - (last.get(subtask) ?? 0) < intervalMs) return;
      last.set(subtask, now);
      log(`progress ${subtask}: ${ratio(p)}`);
    },
    clear: () => undefined,
    done: () => undefined,
  };
}

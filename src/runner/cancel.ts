import { cancelledError } from '../core/errors';

/**
 * Graceful cancellation: the first Ctrl-C (SIGINT/SIGTERM), or `c` + Enter on
 * a TTY, aborts the run's signal so the current batch finishes and is kept;
 * a second Ctrl-C exits at once with 130.
 */
export function installCancellation(opts: { onCancel?: (how: string) => void; stdin?: NodeJS.ReadStream } = {}): {
  signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const cancel = (how: string) => {
    if (controller.signal.aborted) {
      process.exit(130); // Second request: the user means it.
    }
    opts.onCancel?.(how);
    controller.abort(cancelledError(`Run cancelled (${how})`));
  };
  const onSigint = () => cancel('SIGINT');
  const onSigterm = () => cancel('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  const stdin = opts.stdin ?? process.stdin;
  let onData: ((chunk: Buffer) => void) | undefined;
  if (stdin.isTTY) {
    onData = (chunk: Buffer) => {
      if (chunk.toString().trim().toLowerCase() === 'c') cancel('c');
    };
    stdin.on('data', onData);
    stdin.resume();
  }
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      if (onData) {
        stdin.off('data', onData);
        stdin.pause();
      }
    },
  };
}

import { getEventListeners } from 'node:events';
import { linkSignals, onAbort } from '../../src/helpers/linked-signal';

describe('linked signals', () => {
  it('watches a source with one listener however many requests link to it', () => {
    const run = new AbortController();
    const links = Array.from({ length: 25 }, () => linkSignals([run.signal]));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1);
    run.abort(new Error('stop'));
    for (const l of links) expect(l.signal.aborted).toBe(true);
    expect((links[0].signal.reason as Error).message).toBe('stop');
  });

  it('forgets a disposed link: aborting the source no longer reaches it', () => {
    const run = new AbortController();
    const kept = linkSignals([run.signal]);
    const disposed = linkSignals([run.signal]);
    disposed.dispose();
    run.abort();
    expect(kept.signal.aborted).toBe(true);
    expect(disposed.signal.aborted).toBe(false);
  });

  it('aborts at once when a source has already aborted, and says when the timeout did it', async () => {
    const gone = new AbortController();
    gone.abort('why');
    const link = linkSignals([undefined, gone.signal], 1_000);
    expect(link.signal.aborted).toBe(true);
    expect(link.signal.reason).toBe('why');
    expect(link.timedOut()).toBe(false);
    link.dispose();
    const timed = linkSignals([new AbortController().signal], 1);
    await new Promise((r) => timed.signal.addEventListener('abort', r, { once: true }));
    expect(timed.timedOut()).toBe(true);
    timed.dispose();
  });

  it('calls each watcher once with the reason; a stopped watcher is not called', () => {
    const ac = new AbortController();
    const seen: unknown[] = [];
    onAbort(ac.signal, (r) => seen.push(r));
    const stop = onAbort(ac.signal, () => seen.push('stopped one'));
    stop();
    ac.abort('r1');
    expect(seen).toEqual(['r1']);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });
});

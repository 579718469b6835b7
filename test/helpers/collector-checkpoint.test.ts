import { isUnitDone, markUnitDone, planCollection, storableCheckpoint, unitsToRestart, type Checkpoint } from '../../src/helpers/collector-checkpoint';

const now = new Date('2024-06-01T12:00:00Z');
const last = new Date('2024-05-31T12:00:00Z');
const base = { incremental: true, fingerprint: 'f1', lookBackMs: 0, now };

describe('collection plan and checkpoints', () => {
  it('collects everything the first time, from --time-after when given', () => {
    expect(planCollection({ ...base, state: undefined, syncPolicy: { fullSync: false } }).checkpoint).toMatchObject({ mode: 'full', since: null });
    const timeAfter = new Date('2024-01-01T00:00:00Z');
    expect(planCollection({ ...base, state: undefined, syncPolicy: { fullSync: false, timeAfter } }).checkpoint).toMatchObject({
      mode: 'full',
      since: timeAfter.toISOString(),
      timeAfter: timeAfter.toISOString(),
    });
  });

  it('goes incremental after a success, minus the look-back', () => {
    const { checkpoint } = planCollection({ ...base, lookBackMs: 3_600_000, state: { latestSuccessStart: last }, syncPolicy: { fullSync: false } });
    expect(checkpoint).toMatchObject({ mode: 'incremental', since: '2024-05-31T11:00:00.000Z', startedAt: now.toISOString() });
  });

  it('syncs fully with --full-sync, a changed --time-after, or a collector that is not incremental', () => {
    const state = { latestSuccessStart: last };
    expect(planCollection({ ...base, state, syncPolicy: { fullSync: true } }).checkpoint.mode).toBe('full');
    expect(planCollection({ ...base, state, syncPolicy: { fullSync: false, timeAfter: new Date('2024-02-01') } }).checkpoint.mode).toBe('full');
    expect(planCollection({ ...base, incremental: false, state, syncPolicy: { fullSync: false } }).checkpoint.mode).toBe('full');
  });

  it('resumes a checkpoint of the same collector and --time-after only', () => {
    const fresh = planCollection({ ...base, state: undefined, syncPolicy: { fullSync: false } }).checkpoint;
    const state = { checkpoint: { ...fresh, units: { '0': { next: { page: 4 } } } } };
    expect(planCollection({ ...base, state, syncPolicy: { fullSync: false } })).toMatchObject({ resumed: true, checkpoint: { units: { '0': { next: { page: 4 } } } } });
    expect(planCollection({ ...base, state, syncPolicy: { fullSync: true } }).resumed).toBe(true);
    expect(planCollection({ ...base, fingerprint: 'f2', state, syncPolicy: { fullSync: false } }).resumed).toBe(false);
    expect(planCollection({ ...base, state, syncPolicy: { fullSync: false, timeAfter: now } }).resumed).toBe(false);
    const incremental = { checkpoint: { ...fresh, mode: 'incremental' as const } };
    expect(planCollection({ ...base, state: incremental, syncPolicy: { fullSync: true } }).resumed).toBe(false);
  });

  it('folds completed units into a watermark', () => {
    const cp: Checkpoint = { ...planCollection({ ...base, state: undefined, syncPolicy: { fullSync: false } }).checkpoint };
    cp.units = { '0': {}, '1': {}, '2': {} };
    markUnitDone(cp, 2);
    expect(cp).toMatchObject({ doneBelow: 0, done: [2] });
    markUnitDone(cp, 0);
    expect(cp).toMatchObject({ doneBelow: 1, done: [2] });
    markUnitDone(cp, 1);
    expect(cp).toMatchObject({ doneBelow: 3, done: [], units: {} });
    expect([0, 1, 2, 3].map((o) => isUnitDone(cp, o))).toEqual([true, true, true, false]);
  });

  it('stores a unit whose next URL holds a secret as a restart, leaving the others and the live checkpoint as they are', () => {
    const cp: Checkpoint = { ...planCollection({ ...base, state: undefined, syncPolicy: { fullSync: false } }).checkpoint };
    cp.units = { '0': { next: { page: 2, url: 'https://x/i?page=2&access_token=s3cret' } }, '1': { next: { page: 3, url: 'https://x/i?page=3' } }, '2': { totalPages: 4, pagesDone: [1] } };
    const stored = storableCheckpoint(cp, (t) => t.includes('s3cret'));
    expect(stored.units).toEqual({ '0': { restart: true }, '1': cp.units['1'], '2': cp.units['2'] });
    expect(JSON.stringify(stored)).not.toContain('s3cret');
    expect(cp.units['0'].next?.url).toContain('s3cret');
    expect(unitsToRestart(stored)).toEqual([0]);
    expect(unitsToRestart(cp)).toEqual([]);
  });
});

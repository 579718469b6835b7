import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freshDatabase, TEST_PG_URL } from '../src/testing/databases';
import { silentLogger } from '../src/core/logger';
import { preparePlan } from '../src/pipeline/engine';
import { runPipelineOnQueue } from '../src/pipeline/queue-run';
import { PipelineStore } from '../src/pipeline/store';
import type { Measure } from './lib/measure';
import { bestOf, samplesText } from './lib/timing';
import { FAULT_PLUGINS, flakyEnv } from '../test/faults/support/flaky-plugin';
import { startFlakyServer } from '../test/faults/support/flaky-server';

const BIN = path.join(__dirname, '..', 'bin', 'devlake');
const REDIS = process.env.DEVLAKE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCOPES = 20;
const LATENCY_MS = 100; // per page: the API, not the machine, bounds a worker

/** Seconds for the 20-scope plan on `workers` `devlake worker` processes (Postgres, Redis, paginated API with latency). */
async function timePlan(workers: number, serverUrl: string): Promise<number> {
  const db = await freshDatabase(TEST_PG_URL, 'bscale');
  const prefix = `dlb_${randomBytes(4).toString('hex')}`;
  const queue = `${REDIS}?prefix=${prefix}`;
  const env = { ...process.env, ...flakyEnv(serverUrl, { FLAKY_API_TIMEOUT: '10s' }), DEVLAKE_PLUGINS_PATH: FAULT_PLUGINS, CI: 'true' };
  const children = Array.from({ length: workers }, () => spawn(process.execPath, [BIN, '--db', db.url, 'worker', '--queue', queue], { env, stdio: ['ignore', 'ignore', 'pipe'] }));
  try {
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      let err = '';
      c.stderr!.on('data', (d) => {
        err += d;
        if (err.includes('worker ready')) resolve();
      });
    })));
    const spec = { plan: [Array.from({ length: SCOPES }, (_, i) => ({ plugin: 'flaky', options: { scope: `repo-${i + 1}`, pageSize: 10 } }))] };
    await preparePlan(spec, { dal: db.dal, searchPath: [FAULT_PLUGINS] });
    const id = await new PipelineStore(db.dal).create(spec, { queue: prefix });
    const t0 = process.hrtime.bigint();
    const summary = await runPipelineOnQueue({ dal: db.dal, pipelineId: id, redisUrl: queue, logger: silentLogger, pollMs: 100 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (summary.status !== 'COMPLETED') throw new Error(`pipeline ${summary.status}`);
    return seconds;
  } finally {
    for (const c of children) c.kill('SIGINT');
    await Promise.all(children.map((c) => new Promise((r) => c.once('close', r))));
    await db.drop();
  }
}

/** The same plan on 2 workers vs 1: the speed-up of scaling out a latency-bound collection. */
export const measure: Measure = {
  name: 'scale_out_2_workers',
  description: '20-scope pipeline on 2 devlake workers vs 1 (BullMQ, Postgres, 100 ms per page API)',
  async run({ quick, log }) {
    const pages = quick ? 4 : 8;
    const server = await startFlakyServer({ pages, pageSize: 10, maxRequests: 100_000, onRequest: () => new Promise((r) => setTimeout(r, LATENCY_MS)) });
    try {
      // Best of rounds, the order rotated, as the other measures: one run of each swung 1.3–2.1 on a busy machine.
      const ms = async (workers: number) => (await timePlan(workers, server.url)) * 1000;
      const t = await bestOf(quick ? 1 : 3, { one: () => ms(1), two: () => ms(2) });
      const one = t.one.best / 1000;
      const two = t.two.best / 1000;
      log(`1 worker: ${samplesText(t.one.samples)} ms; 2 workers: ${samplesText(t.two.samples)} ms`);
      return [
        {
          name: 'scale_out_2_workers',
          value: two,
          ceiling: one,
          ratio: one / two,
          unit: 's',
          goal: { min: 1.8 },
          size: `${SCOPES} scopes × ${pages} pages, ${LATENCY_MS} ms/page`,
          note: `1 worker ${one.toFixed(1)} s, 2 workers ${two.toFixed(1)} s; ratio = 1-worker time / 2-worker time`,
        },
      ];
    } finally {
      await server.close();
    }
  },
};

// temporary, not committed: memory check of ApiExtractor over many raw rows
import { defineModel } from '../src/core/model';
import { createDal } from '../src/dal/connect';
import { ApiExtractor } from '../src/helpers/api-extractor';
import { createToolTable, PARAMS, type IssueRecord } from './lib/data';
import { populateRaw } from './lib/populate';
import { benchSubTask } from './lib/subtask';
import * as fs from 'node:fs';

export async function main(args: string[]) {
  const total = Number(args[0] ?? 1_000_000);
  const url = args[1] ?? 'sqlite:/tmp/mem/mem.db';
  if (url.startsWith('sqlite:')) for (const f of ['/tmp/mem/mem.db', '/tmp/mem/mem.db-wal', '/tmp/mem/mem.db-shm']) fs.rmSync(f, { force: true });
  const dal = await createDal(url);
  await dal.knex.schema.dropTableIfExists('_raw_mem_issues');
  await dal.knex.schema.dropTableIfExists('_tool_mem_issues');
  await populateRaw(dal, '_raw_mem_issues', total);
  await createToolTable(dal.knex, '_tool_mem_issues');
  const Model = defineModel({ table: '_tool_mem_issues', primaryKey: ['connection_id', 'github_id'] });
  global.gc?.();
  const base = process.memoryUsage();
  const samples: Array<[number, number, number]> = [];
  const ctx = benchSubTask(dal, 'Extract Issues');
  const origSet = ctx.setProgress;
  let last = -1;
  (ctx as any).setProgress = (cur: number, tot: number) => {
    origSet(cur, tot);
    const step = Math.floor(cur / (total / 10));
    if (step !== last) { last = step; global.gc?.(); const m = process.memoryUsage(); samples.push([cur, Math.round(m.heapUsed / 1e6), Math.round(m.rss / 1e6)]); }
  };
  const t0 = Date.now();
  await new ApiExtractor<IssueRecord>({
    ctx, rawTable: '_raw_mem_issues', params: PARAMS, outputs: [Model],
    extract: (issue) => [Model.row({ connection_id: 1, github_id: issue.id, number: issue.number, title: issue.title, state: issue.state, author_login: issue.user.login, comments: issue.comments, created_date: issue.created_at, updated_date: issue.updated_at, closed_date: issue.closed_at })],
  }).execute();
  const [{ n }] = await dal.knex('_tool_mem_issues').count({ n: '*' });
  console.log(JSON.stringify({ url: url.replace(/\/\/.*@/, '//'), total, written: Number(n), seconds: (Date.now() - t0) / 1000, baseHeapMB: Math.round(base.heapUsed / 1e6), baseRssMB: Math.round(base.rss / 1e6), samples }));
  await dal.close();
}

#!/usr/bin/env node
'use strict';
/*
 * `node scripts/report-share.js [--verbose] [--keep <dir>]` (after `npm run build`): the re-port measure of
 * issue 15. Regenerates the GitHub plugin's extractors for issues, pull requests and pull request commits
 * with `devlake create-extractor --from-sample`, the samples being the raw records of Apache DevLake's
 * conformance data (GITHUB_CONFORMANCE_DIR, default ../shared/conformance/github), and states the share
 * of generated lines found unchanged in the bundled plugin (generated-plugins/github).
 *
 * Each regeneration passes `--columns` with the columns a porter reads off DevLake's Go model (see EXTRACTORS),
 * and `--zero-values`: DevLake stores Go's zero values for absent fields.
 *
 * A generated line counts when it is code: not blank, not a comment, not only brackets and punctuation.
 * It is kept when the same trimmed line is in the final plugin's files for that extractor (each final
 * line matches one generated line at most). Generated tests, fixtures and migrations are left out: the
 * final plugin has its own.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parse } = require('csv-parse/sync');

const root = path.resolve(__dirname, '..');
const conformance = process.env.GITHUB_CONFORMANCE_DIR ?? path.resolve(root, '..', 'shared', 'conformance', 'github');
const finalDir = path.join(root, 'generated-plugins', 'github');
const argv = process.argv.slice(2);
const verbose = argv.includes('--verbose');
const keepAt = argv.includes('--keep') ? path.resolve(argv[argv.indexOf('--keep') + 1]) : undefined;

/**
 * Each extractor: the raw table its sample comes from, the generator's names, the final plugin's files, and
 * `columns`: the `--columns` spec a porter writes reading DevLake's Go model (backend/plugins/github/models),
 * i.e. exactly the columns of the final tool table whose value comes straight from the record, with their
 * kinds as the final model declares them. Columns DevLake computes (repo_id from the options, type/severity
 * from label patterns, lead_time_minutes) or that the sample lacks (a PR list has no additions, merged_by)
 * are the porter's own lines.
 */
const EXTRACTORS = [
  {
    name: 'issues',
    raw: '_raw_github_api_issues',
    args: ['--collector', 'api_issues', '--model', 'issues', '--domain-types', 'TICKET'],
    columns: [
      'github_id=id:bigint',
      'number:bigint',
      'state:text',
      'title:text',
      'body:json',
      'author_id=user.id:bigint',
      'author_name=user.login:text',
      'assignee_id=assignee.id:bigint',
      'assignee_name=assignee.login:text',
      'milestone_id=milestone.id:bigint',
      'url=html_url:text',
      'closed_at',
      'github_created_at=created_at',
      'github_updated_at=updated_at',
    ],
    final: ['tasks/issue-extractor.ts', 'models/issues.ts'],
  },
  {
    name: 'pull_requests',
    raw: '_raw_github_api_pull_requests',
    args: ['--collector', 'api_pull_requests', '--model', 'pull_requests', '--domain-types', 'CROSS,CODE_REVIEW'],
    columns: [
      'github_id=id:bigint',
      'head_repo_id=head.repo.id:bigint',
      'number:bigint',
      'state:text',
      'title:text',
      'github_created_at=created_at',
      'github_updated_at=updated_at',
      'closed_at',
      'is_draft=draft:bool',
      'merged_at',
      'body:json',
      'merge_commit_sha:text',
      'head_ref=head.ref:text',
      'base_ref=base.ref:text',
      'base_commit_sha=base.sha:text',
      'head_commit_sha=head.sha:text',
      'url=html_url:text',
      'author_name=user.login:text',
      'author_id=user.id:bigint',
    ],
    final: ['tasks/pr-extractor.ts', 'models/pull-requests.ts'],
  },
  {
    name: 'pr_commits',
    raw: '_raw_github_api_pull_request_commits',
    args: ['--collector', 'api_pull_request_commits', '--model', 'commits', '--primary-key', 'sha', '--domain-types', 'CROSS,CODE_REVIEW'],
    columns: [
      'sha',
      'author_name=commit.author.name:text',
      'author_email=commit.author.email:text',
      'authored_date=commit.author.date',
      'committer_name=commit.committer.name:text',
      'committer_email=commit.committer.email:text',
      'committed_date=commit.committer.date',
      'message=commit.message:json',
      'url:text',
    ],
    final: ['tasks/pr-commit-extractor.ts', 'models/commits.ts', 'models/pull-request-commits.ts'],
  },
];

const bin = path.join(root, 'bin', 'devlake');
if (!fs.existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  console.error('report-share: dist/ is missing; run `npm run build` first.');
  process.exit(2);
}

/** Trimmed code lines of a TypeScript text (see the header for what counts). */
function codeLines(text) {
  let inBlock = false;
  const out = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (inBlock) {
      if (line.includes('*/')) inBlock = false;
      continue;
    }
    if (line.startsWith('/*')) {
      if (!line.includes('*/')) inBlock = true;
      continue;
    }
    if (line === '' || line.startsWith('//') || /^[\s{}()[\];,.]*$/.test(line)) continue;
    out.push(line);
  }
  return out;
}

const work = keepAt ?? fs.mkdtempSync(path.join(os.tmpdir(), 'report-share-'));
fs.mkdirSync(work, { recursive: true });
const dir = path.join(work, 'plugins');
const devlake = (args) => execFileSync(process.execPath, [bin, ...args, '--dir', dir, '--yes'], { cwd: work, encoding: 'utf8', env: { ...process.env, CI: 'true' } });

try {
  devlake(['create-plugin', 'github', '--endpoint', 'https://api.github.com/', '--scope-key', 'name', '--pagination', 'link', '--no-test-script', '--force']);
  const rows = [];
  let generatedTotal = 0;
  let keptTotal = 0;
  for (const e of EXTRACTORS) {
    const records = parse(fs.readFileSync(path.join(conformance, 'raw_tables', `${e.raw}.csv`), 'utf8'), { columns: true }).map((r) => r.data);
    const sample = path.join(work, `${e.raw}.jsonl`);
    fs.writeFileSync(sample, `${records.join('\n')}\n`);
    devlake(['create-extractor', 'github', e.name, ...e.args, '--from-sample', sample, '--columns', e.columns.join(','), '--zero-values', '--force']);
    const model = e.args[e.args.indexOf('--model') + 1].replace(/_/g, '-');
    const generated = [`tasks/${e.name.replace(/_/g, '-')}-extractor.ts`, `models/${model}.ts`].flatMap((f) => codeLines(fs.readFileSync(path.join(dir, 'github', f), 'utf8')));
    const pool = new Map();
    for (const l of e.final.flatMap((f) => codeLines(fs.readFileSync(path.join(finalDir, f), 'utf8')))) pool.set(l, (pool.get(l) ?? 0) + 1);
    const kept = [];
    const changed = [];
    for (const l of generated) {
      const n = pool.get(l) ?? 0;
      if (n > 0) pool.set(l, n - 1);
      (n > 0 ? kept : changed).push(l);
    }
    rows.push({ extractor: e.name, records: records.length, generated: generated.length, kept: kept.length, share: `${((100 * kept.length) / generated.length).toFixed(1)} %` });
    generatedTotal += generated.length;
    keptTotal += kept.length;
    if (verbose) for (const l of kept) console.log(`  kept ${e.name}: ${l}`);
    if (verbose) for (const l of changed) console.log(`  changed ${e.name}: ${l}`);
  }
  console.table(rows);
  console.log(`Generated lines kept unchanged in generated-plugins/github: ${keptTotal} of ${generatedTotal} (${((100 * keptTotal) / generatedTotal).toFixed(1)} %)`);
} finally {
  if (!keepAt) fs.rmSync(work, { recursive: true, force: true });
}

import { loadE2eManifest, runE2eManifest } from 'devlake-ts/testing';
import type { E2eReport, E2eTableResult, E2eTestResult, RunE2eManifestOptions } from 'devlake-ts/testing';
import plugin from '../index';
import type { GithubTaskData } from '../task-data';
import { resetExcludedUsernames } from '../tasks/username-filter';
import { defaultConformanceDir } from './manifest';

export type TableResult = E2eTableResult;
export type TestResult = E2eTestResult;
export type ConformanceReport = E2eReport;

/** Options of `runConformance`. */
export interface ConformanceOptions extends Pick<RunE2eManifestOptions, 'dbUrl' | 'openDb' | 'filter' | 'onResult'> {
  /** The conformance data directory. Default: `defaultConformanceDir()`. */
  dir?: string;
}

/**
 * Runs DevLake's GitHub e2e manifest (or the selected tests) against the
 * plugin, each test on a fresh database, with the GitHub plugin's own steps:
 * regex patterns added to the task data, the excluded-username list reset.
 */
export async function runConformance(opts: ConformanceOptions = {}): Promise<ConformanceReport> {
  const dir = opts.dir ?? defaultConformanceDir();
  return runE2eManifest<GithubTaskData>(loadE2eManifest(dir), plugin, {
    ...opts,
    dir,
    // JSON-typed columns holding MySQL-normalized JSON in the snapshots: compared as parsed JSON.
    jsonColumns: { _tool_github_jobs: ['steps', 'labels'] },
    onTaskData(data, test) {
      for (const [name, pattern] of Object.entries(test.regexEnricher ?? {})) data.regexEnricher.tryAdd(name, pattern);
    },
    steps: {
      async regexEnricherAdd(step, env) {
        const add = step.regexEnricherAdd as { name: string; pattern: string };
        (await env.data()).regexEnricher.tryAdd(add.name, add.pattern);
      },
      resetExcludedUsernames: () => resetExcludedUsernames(),
    },
    afterTest: () => resetExcludedUsernames(),
  });
}

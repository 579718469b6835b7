import { DevlakeError } from 'devlake-ts';
import type { TaskContext } from 'devlake-ts';

/** The task options, as DevLake's DoraOptions (`--options '{"projectName":"demo"}'`). */
export interface DoraOptions {
  /** The project whose scopes (through `project_mapping`) the metrics cover. Required. */
  projectName: string;
  /** One cicd scope id instead of the project's scopes (generateDeploymentCommits, enrichPrevSuccessDeploymentCommits). */
  scopeId?: string;
}

/** What every dora subtask gets. */
export interface DoraTaskData {
  options: DoraOptions;
  /** Provenance params of the rows written: DevLake's DoraApiParams JSON. */
  params: { ProjectName: string };
}

/** Checks the options: a project name is needed to find the scopes. */
export function prepareTaskData(_ctx: TaskContext<DoraOptions>, options: DoraOptions): DoraTaskData {
  const projectName = options?.projectName;
  if (typeof projectName !== 'string' || projectName.trim() === '') {
    throw new DevlakeError('DEVLAKE_E_CONFIG', 'dora needs the projectName option', {
      hint: `Run e.g. devlake run dora --options '{"projectName":"demo"}' (map scopes to the project with devlake run <plugin> --project demo).`,
    });
  }
  const scopeId = typeof options.scopeId === 'string' && options.scopeId !== '' ? options.scopeId : undefined;
  return { options: { projectName, ...(scopeId ? { scopeId } : {}) }, params: { ProjectName: projectName } };
}

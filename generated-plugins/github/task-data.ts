import { DevlakeError } from 'devlake-ts';
import type { ApiClient } from 'devlake-ts';
import { compileGoRegexp, DEPLOYMENT, type GoRegexp, PRODUCTION, RegexEnricher } from 'devlake-ts/devlake';

/** Scope config: how labels and names are classified (DevLake's GithubScopeConfig, JSON names). */
export interface GithubScopeConfig {
  /** RE2 pattern; group 1 of a matching PR label becomes the PR type. */
  prType?: string;
  /** RE2 pattern; group 1 of a matching PR label becomes the PR component. */
  prComponent?: string;
  /** RE2 pattern finding "closes #12" in PR bodies; `%s` is replaced by the repo name. */
  prBodyClosePattern?: string;
  /** RE2 pattern; group 1 of a matching issue label becomes the severity. */
  issueSeverity?: string;
  /** RE2 pattern; group 1 of a matching issue label becomes the priority. */
  issuePriority?: string;
  /** RE2 pattern; group 1 of a matching issue label becomes the component. */
  issueComponent?: string;
  /** RE2 pattern; a matching issue label makes the issue a BUG. */
  issueTypeBug?: string;
  /** RE2 pattern; a matching issue label makes the issue an INCIDENT. */
  issueTypeIncident?: string;
  /** RE2 pattern; a matching issue label makes the issue a REQUIREMENT. */
  issueTypeRequirement?: string;
  /** RE2 pattern; matching workflow run / job names are deployments. */
  deploymentPattern?: string;
  /** RE2 pattern; matching names or branches run in production. */
  productionPattern?: string;
}

/** Task options, with DevLake's JSON names. */
export interface GithubOptions {
  /** The connection these rows belong to (non-zero). */
  connectionId: number;
  /** `owner/repo`. */
  name?: string;
  /** Owner, when `name` is not given. */
  owner?: string;
  /** Repo, when `name` is not given. */
  repo?: string;
  /** The repository's numeric GitHub id. */
  githubId?: number;
  /** Label and name classification; absent means no classification. */
  scopeConfig?: GithubScopeConfig | null;
}

/** The scope params of every raw, tool and domain row: Go field names and order. */
export interface GithubApiParams {
  ConnectionId: number;
  Name: string;
}

/** What every subtask of a task shares. */
export interface GithubTaskData {
  options: Required<Pick<GithubOptions, 'connectionId' | 'name' | 'githubId'>> & { scopeConfig: GithubScopeConfig };
  /** `{"ConnectionId":…,"Name":…}` as stored in `params` / `_raw_data_params`. */
  params: GithubApiParams;
  /** DEPLOYMENT / PRODUCTION patterns; tests may add more before a subtask runs. */
  regexEnricher: RegexEnricher;
  /** The scope config's `prBodyClosePattern`, its first `%s` replaced by the repo name; absent when empty. */
  prBodyCloseRegex?: GoRegexp;
  /** The connection's API client for collectors (closed by the plugin's `close`); absent when built without a task context. */
  apiClient?: ApiClient;
}

/** Validates options and builds the task data (DevLake's DecodeAndValidateTaskOptions + PrepareTaskData). */
export function buildTaskData(raw: unknown): GithubTaskData {
  const o = (raw ?? {}) as GithubOptions;
  if (typeof o !== 'object' || Array.isArray(o)) {
    throw new DevlakeError('DEVLAKE_E_CONFIG', 'GitHub task options must be an object', {
      hint: 'Pass --options \'{"connectionId":1,"name":"owner/repo","githubId":123}\'.',
    });
  }
  const connectionId = Number(o.connectionId ?? 0);
  let name = typeof o.name === 'string' ? o.name : '';
  if (name === '' && (o.owner || o.repo)) name = `${o.owner ?? ''}/${o.repo ?? ''}`.trim();
  const githubId = Number(o.githubId ?? 0);
  if (name === '' && githubId === 0) {
    throw new DevlakeError('DEVLAKE_E_CONFIG', 'GitHub task options need "name" (owner/repo) or "githubId"', {
      hint: 'Add "name":"owner/repo" to the task options.',
    });
  }
  if (!Number.isInteger(connectionId) || connectionId <= 0) {
    throw new DevlakeError('DEVLAKE_E_CONFIG', `GitHub task option "connectionId" is invalid: ${JSON.stringify(o.connectionId)}`, {
      hint: 'Set "connectionId" to a positive integer.',
    });
  }
  const scopeConfig = { ...(o.scopeConfig ?? {}) };
  const regexEnricher = new RegexEnricher();
  regexEnricher.tryAdd(DEPLOYMENT, scopeConfig.deploymentPattern);
  regexEnricher.tryAdd(PRODUCTION, scopeConfig.productionPattern);
  // Go's strings.Replace(pattern, "%s", name, 1), compiled once: a bad pattern fails here, before any subtask.
  const closePattern = (scopeConfig.prBodyClosePattern ?? '').replace('%s', () => name);
  return {
    options: { connectionId, name, githubId, scopeConfig },
    params: { ConnectionId: connectionId, Name: name },
    regexEnricher,
    ...(closePattern ? { prBodyCloseRegex: compileGoRegexp(closePattern, 'prBodyClosePattern') } : {}),
  };
}

/**
 * The one naming helper, shared by the generator (as Handlebars helpers) and
 * the runtime (table names, subtask names). Words are split on case changes,
 * digits boundaries are kept, and separators `-`, `_`, space and `.` are
 * treated alike.
 *
 * @example
 * names('pull-requests') // { className: 'PullRequests', propertyName: 'pullRequests', snakeName: 'pull_requests', … }
 * names('PRReview')      // { className: 'PrReview', snakeName: 'pr_review', kebabName: 'pr-review', … }
 */

/** Splits an identifier into lower-case words: `PRReview` → `['pr', 'review']`. */
export function words(input: string): string[] {
  return input
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const upperFirst = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** `pull-requests` → `pullRequests` */
export function camelCase(input: string): string {
  const [first = '', ...rest] = words(input);
  return first + rest.map(upperFirst).join('');
}

/** `pull-requests` → `PullRequests` */
export function pascalCase(input: string): string {
  return words(input).map(upperFirst).join('');
}

/** `PullRequests` → `pull_requests` */
export function snakeCase(input: string): string {
  return words(input).join('_');
}

/** `PullRequests` → `pull-requests` */
export function kebabCase(input: string): string {
  return words(input).join('-');
}

/** `pullRequests` → `PULL_REQUESTS` */
export function constantCase(input: string): string {
  return snakeCase(input).toUpperCase();
}

/** `committer` → `Committer`; `pr review` → `Pr Review`: a readable title for subtask names. */
export function titleCase(input: string): string {
  return words(input).map(upperFirst).join(' ');
}

/** `_raw_<plugin>_<name>`: where a collector stores responses. */
export function rawTableName(plugin: string, name: string): string {
  return `_raw_${snakeCase(plugin)}_${snakeCase(name)}`;
}

/** `_tool_<plugin>_<name>`: where an extractor stores typed rows. */
export function toolTableName(plugin: string, name: string): string {
  return `_tool_${snakeCase(plugin)}_${snakeCase(name)}`;
}

/** Every form of a name that a template or the runtime needs. */
export interface Names {
  /** The name as given. */
  name: string;
  /** `PullRequest` */
  className: string;
  /** `pullRequest` */
  propertyName: string;
  /** `PULL_REQUEST` */
  constantName: string;
  /** `pull_request` */
  snakeName: string;
  /** `pull-request`: file names */
  fileName: string;
  /** `Pull Request` */
  title: string;
}

/** All forms of `input` at once, like Nx's `names()`. */
export function names(input: string): Names {
  return {
    name: input,
    className: pascalCase(input),
    propertyName: camelCase(input),
    constantName: constantCase(input),
    snakeName: snakeCase(input),
    fileName: kebabCase(input),
    title: titleCase(input),
  };
}

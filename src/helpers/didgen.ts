import { DevlakeError } from '../core/errors';

/** A primary-key value part of a domain id. */
export type DomainIdPart = string | number | bigint;

/**
 * Builds domain ids exactly as DevLake's `didgen.DomainIdGenerator`:
 * `<plugin>:<ModelName>:<pk1>:<pk2>…`, each part printed like Go's `%v`
 * (decimal integers, strings verbatim), so ids match DevLake's byte for byte.
 *
 * @example
 * const issueIdGen = new DomainIdGenerator('github', 'GithubIssue');
 * issueIdGen.generate(1, 346842831); // 'github:GithubIssue:1:346842831'
 */
export class DomainIdGenerator {
  /** `<plugin>:<ModelName>`, the part every id of this generator starts with. */
  readonly prefix: string;
  readonly #pkLength?: number;

  /**
   * @param pluginName the plugin that owns the tool model, e.g. `github`
   * @param modelName the tool model's Go-style struct name, e.g. `GithubIssue`
   * @param pkLength when given, `generate` checks it gets this many parts (DevLake panics otherwise)
   */
  constructor(pluginName: string, modelName: string, pkLength?: number) {
    if (!pluginName || !modelName || pluginName.includes(':') || modelName.includes(':')) {
      throw new DevlakeError('DEVLAKE_E_MODEL', `Invalid domain id prefix "${pluginName}:${modelName}"`, {
        hint: 'Pass the plugin name and the tool model name, e.g. new DomainIdGenerator("github", "GithubIssue").',
      });
    }
    this.prefix = `${pluginName}:${modelName}`;
    this.#pkLength = pkLength;
  }

  /** The domain id for these primary-key values, in the tool model's key order. */
  generate(...pk: DomainIdPart[]): string {
    if (this.#pkLength !== undefined && pk.length !== this.#pkLength) {
      throw new DevlakeError(
        'DEVLAKE_E_MODEL',
        `Domain id ${this.prefix} needs ${this.#pkLength} primary key values, got ${pk.length}`,
        { hint: 'Pass every primary key column of the tool row, in key order.' },
      );
    }
    let id = this.prefix;
    for (const part of pk) {
      if (part === null || part === undefined || (typeof part === 'number' && !Number.isFinite(part))) {
        throw new DevlakeError('DEVLAKE_E_MODEL', `Domain id ${this.prefix} got an empty or non-finite key part (${String(part)})`, {
          hint: 'Check that the tool row has its primary key columns set.',
        });
      }
      id += `:${formatPart(part)}`;
    }
    return id;
  }
}

/** Go `%v` of an int or string; integers beyond 2^53 must be passed as bigint or string. */
function formatPart(part: DomainIdPart): string {
  if (typeof part === 'number' && Number.isInteger(part)) return BigInt(part).toString();
  return String(part);
}

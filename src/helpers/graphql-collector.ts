import { DevlakeError } from '../core/errors';
import { redact } from '../core/redact';
import { ApiCollector, type ApiCollectorArgs, type CollectResult, type CollectWindow } from './api-collector';
import type { ApiResponse } from './api-response';
import type { Pager } from './pagination';

/** The `pageInfo` of a Relay-style connection. */
export interface GraphqlPageInfo {
  hasNextPage: boolean;
  endCursor?: string | null;
}

/** A GraphQL collection: one query, cursor pagination through `pageInfo`. */
export interface GraphqlCollectorArgs<TParams = unknown, TInput = unknown, TData = any>
  extends Pick<ApiCollectorArgs<TParams, TInput>, 'ctx' | 'apiClient' | 'rawTable' | 'params' | 'input' | 'concurrency' | 'incremental' | 'lookBackMs' | 'header'> {
  /** Path of the GraphQL endpoint, relative to the client's endpoint. Default `graphql`. */
  path?: string;
  /**
   * Implement: the query. It receives `$first` (page size) and `$after` (cursor,
   * null on the first page) plus whatever `variables()` returns.
   * @example 'query($owner: String!, $name: String!, $first: Int!, $after: String) { repository(owner: $owner, name: $name) { issues(first: $first, after: $after) { nodes { number title } pageInfo { hasNextPage endCursor } } } }'
   */
  query: string;
  /** Override to add variables per request. Default: none. @example (_pager, _input, { params }) => ({ owner: 'apache', name: 'devlake' }) */
  variables?: (pager: Pager, input: TInput | undefined, window: CollectWindow & { params: TParams }) => Record<string, unknown>;
  /** Records per page, sent as `$first`. Default 100 (GitHub's maximum). */
  pageSize?: number;
  /** Implement: where the connection's page info is. @example (data) => data.repository.issues.pageInfo */
  getPageInfo: (data: TData) => GraphqlPageInfo | undefined;
  /** Implement: the records of a page; each becomes one raw row. @example (data) => data.repository.issues.nodes */
  responseParser: (data: TData, res: ApiResponse) => unknown[];
}

/**
 * Collects a GraphQL connection (GitHub v4 and the like) into a raw table,
 * with everything ApiCollector gives: atomic full sync, checkpoints, inputs,
 * incremental state. A response carrying `errors` fails the page with
 * `DEVLAKE_E_API_RESPONSE` (GraphQL reports most failures with status 200).
 */
export class GraphqlCollector<TParams = unknown, TInput = unknown, TData = any> {
  readonly #inner: ApiCollector<TParams, TInput>;

  constructor(args: GraphqlCollectorArgs<TParams, TInput, TData>) {
    const dataOf = (res: ApiResponse): TData => graphqlData<TData>(res);
    this.#inner = new ApiCollector<TParams, TInput>({
      ctx: args.ctx,
      apiClient: args.apiClient,
      rawTable: args.rawTable,
      params: args.params,
      input: args.input,
      concurrency: args.concurrency,
      incremental: args.incremental,
      lookBackMs: args.lookBackMs,
      header: args.header,
      urlTemplate: args.path ?? 'graphql',
      method: 'POST',
      pagination: 'cursor',
      pageSize: args.pageSize ?? 100,
      query: () => ({}),
      requestBody: (pager, input, window) => ({
        query: args.query,
        variables: { ...args.variables?.(pager, input, { ...window, params: args.params }), first: pager.size, after: pager.cursor ?? null },
      }),
      getNextCursor: (res) => {
        const info = args.getPageInfo(dataOf(res));
        return info?.hasNextPage ? info.endCursor : undefined;
      },
      responseParser: (res) => args.responseParser(dataOf(res), res),
    });
  }

  /** Runs the collection (see ApiCollector.execute). */
  execute(): Promise<CollectResult> {
    return this.#inner.execute();
  }
}

/** The `data` of a GraphQL response; `errors` fail with `DEVLAKE_E_API_RESPONSE`. */
export function graphqlData<TData>(res: ApiResponse): TData {
  const body = res.json<{ data?: TData; errors?: Array<{ message?: string; type?: string }> }>();
  if (body.errors && body.errors.length > 0) {
    const first = body.errors[0];
    throw new DevlakeError('DEVLAKE_E_API_RESPONSE', `GraphQL ${redact(res.url)} answered errors: ${redact(first.message ?? JSON.stringify(first))}`, {
      hint: first.type === 'RATE_LIMITED' ? 'Lower <PLUGIN>_API_REQUESTS_PER_HOUR or wait for the limit to reset.' : 'Fix the query or its variables.',
      data: { status: res.status, url: redact(res.url), errors: body.errors.length },
    });
  }
  if (body.data === undefined || body.data === null) {
    throw new DevlakeError('DEVLAKE_E_API_RESPONSE', `GraphQL ${redact(res.url)} answered no data`, { hint: 'Check the query.' });
  }
  return body.data;
}

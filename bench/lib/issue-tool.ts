import type { Knex } from 'knex';
import { addRawDataOrigin } from 'devlake-ts';

/**
 * The benchmarks' issue tool table and the mapping an extractor does into it,
 * shared by the in-process extract measures and the memory plugin that
 * `devlake run` loads. The plugin imports this file by path, so it imports the
 * toolkit as `devlake-ts`, as a plugin does (the runner resolves that name to
 * its own copy; the bench's loader to src/).
 */

/** The issue fields the tool table keeps. */
export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  state: string;
  user: { login: string; id: number };
  comments: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

/** The 14 columns of the tool table, in order (10 fields + 4 provenance). */
export const TOOL_COLUMNS = [
  'connection_id',
  'github_id',
  'number',
  'title',
  'state',
  'author_login',
  'comments',
  'created_date',
  'updated_date',
  'closed_date',
  '_raw_data_params',
  '_raw_data_table',
  '_raw_data_id',
  '_raw_data_remark',
] as const;

/** Defines the columns of `TOOL_COLUMNS`, primary key (connection_id, github_id), in a createTable callback. */
export function defineIssueToolTable(t: Knex.CreateTableBuilder): void {
  t.bigInteger('connection_id').notNullable();
  t.bigInteger('github_id').notNullable();
  t.integer('number');
  t.string('title', 255);
  t.string('state', 32);
  t.string('author_login', 255);
  t.integer('comments');
  t.timestamp('created_date', { useTz: true });
  t.timestamp('updated_date', { useTz: true });
  t.timestamp('closed_date', { useTz: true });
  addRawDataOrigin(t);
  t.primary(['connection_id', 'github_id']);
}

/** The tool row of one raw issue, as a plugin's extract() builds it (the extractor adds the provenance). */
export function issueToolFields(issue: IssueRecord): Record<string, unknown> {
  return {
    connection_id: 1,
    github_id: issue.id,
    number: issue.number,
    title: issue.title,
    state: issue.state,
    author_login: issue.user.login,
    comments: issue.comments,
    created_date: issue.created_at,
    updated_date: issue.updated_at,
    closed_date: issue.closed_at,
  };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { columnNames, COMMON, domainTables, goPointerColumns, type ColumnType, type DomainTableSpec } from '../../src/domain';

/**
 * The framework's domain specs against DevLake's own models
 * (../shared/devlake-schema/domain.json, DevLake commit 420e494b): every table,
 * every column with its primary key membership, type class and width.
 */
interface DevlakeTable {
  goModel: string;
  primaryKey: string[];
  columns: Array<[string, string]>;
  goTypes: Record<string, string>;
}
const devlake = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'shared', 'devlake-schema', 'domain.json'), 'utf8')) as {
  tables: Record<string, DevlakeTable>;
};

/** Type class and width of a DevLake MySQL type: varchar(n) → string n; text kinds, integers, etc. → a class. */
function classOfMysql(type: string): { cls: string; width?: number } {
  const m = /^varchar\((\d+)\)$/.exec(type);
  if (m) return { cls: 'string', width: Number(m[1]) };
  const cls: Record<string, string> = {
    longtext: 'text',
    text: 'text',
    bigint: 'integer',
    'bigint unsigned': 'integer',
    int: 'integer',
    double: 'float',
    'tinyint(1)': 'bool',
    'datetime(3)': 'time',
  };
  if (!cls[type]) throw new Error(`unmapped DevLake type ${type}`);
  return { cls: cls[type] };
}

const COMMON_TYPES: Array<[string, ColumnType]> = [
  ['created_at', 'time'], ['updated_at', 'time'], ['_raw_data_params', 's255'], ['_raw_data_table', 's255'], ['_raw_data_id', 'int'], ['_raw_data_remark', 'text'],
];

function classOfSpec(type: ColumnType): { cls: string; width?: number } {
  if (/^s\d+$/.test(type)) return { cls: 'string', width: Number(type.slice(1)) };
  return { cls: ({ text: 'text', int: 'integer', float: 'float', bool: 'bool', time: 'time' } as Record<string, string>)[type]! };
}

function specColumns(spec: DomainTableSpec): Array<[string, ColumnType]> {
  return spec.columns.flatMap((c) => (c === COMMON ? COMMON_TYPES : [[c[0], c[1]] as [string, ColumnType]]));
}

const names = Object.keys(devlake.tables).sort();

/**
 * Columns deliberately wider than DevLake's: DevLake sizes indexed columns
 * varchar(191) for old MySQL index limits, and commit author names are text
 * here. Wider never loses a value DevLake accepts; this list pins them so any
 * other difference fails.
 */
const WIDER_THAN_DEVLAKE = [
  'cicd_deployment_commits.repo_url varchar(191) -> s255',
  'issue_comments.issue_id varchar(191) -> s255',
  'pull_request_comments.pull_request_id varchar(191) -> s255',
  'pull_request_commits.commit_author_email varchar(255) -> text',
  'pull_request_commits.commit_author_name varchar(255) -> text',
  'pull_requests.base_repo_id varchar(191) -> s255',
  'pull_requests.component varchar(100) -> text',
  'pull_requests.head_repo_id varchar(191) -> s255',
];

describe("domain specs against DevLake's domain.json", () => {
  it('have all 64 tables, no more', () => {
    expect(names).toHaveLength(64);
    expect(domainTables.map((t) => t.table).sort()).toEqual(names);
  });

  it.each(names)('%s: same columns, primary key, type class and width', (table) => {
    const want = devlake.tables[table]!;
    const spec = domainTables.find((t) => t.table === table)!;
    expect([...spec.primaryKey]).toEqual(want.primaryKey);
    expect(columnNames(spec).sort()).toEqual(want.columns.map(([c]) => c).sort());
    const have = new Map(specColumns(spec));
    for (const [column, type] of want.columns) {
      const ours = classOfSpec(have.get(column)!);
      const theirs = classOfMysql(type);
      const wider = `${table}.${column} ${type} -> ${have.get(column)}`;
      if (WIDER_THAN_DEVLAKE.includes(wider)) {
        // Never narrower: a longer varchar, or text for a varchar.
        expect(ours.cls === 'text' || (ours.cls === theirs.cls && ours.width! > theirs.width!)).toBe(true);
        continue;
      }
      expect({ column, ...ours }).toEqual({ column, ...theirs });
    }
  });

  it('list every deliberately wider column once, each still present', () => {
    for (const w of WIDER_THAN_DEVLAKE) {
      const [table, column] = w.split(' ')[0]!.split('.');
      expect(columnNames(domainTables.find((t) => t.table === table)!)).toContain(column);
    }
  });

  it('declare which columns may be NULL exactly as DevLake\'s Go pointer fields', () => {
    expect(Object.keys(goPointerColumns).sort()).toEqual(names);
    for (const table of names) {
      const pointers = Object.entries(devlake.tables[table]!.goTypes).filter(([, g]) => g.startsWith('*')).map(([c]) => c);
      expect({ table, pointers: [...goPointerColumns[table]!].sort() }).toEqual({ table, pointers: pointers.sort() });
    }
  });
});

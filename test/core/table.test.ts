import { checksumOf } from '../../src/dal/migration-checksum';
import { col, defineTable, frozenTable, noPkModelColumns, type InsertRowOf, type SelectRowOf } from '../../src/core/table';
import { tablesMigration } from '../../src/dal/table-ddl';

const Issue = defineTable('_tool_demo_issues', {
  connection_id: col.bigint().primaryKey(),
  id: col.bigint().primaryKey(),
  title: col.string(100).notNull().default(''),
  closed_at: col.datetime(),
  ...noPkModelColumns(),
});

describe('defineTable', () => {
  it('gives the model: table, primary key in declaration order, every column', () => {
    expect(Issue.table).toBe('_tool_demo_issues');
    expect(Issue.primaryKey).toEqual(['connection_id', 'id']);
    expect(Issue.columns).toEqual(['connection_id', 'id', 'title', 'closed_at', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark']);
    expect(Issue.spec.columns.title).toEqual({ kind: 'string', length: 100, notNull: true, primaryKey: false, index: false, default: { value: '' } });
    expect(Issue.spec.columns._raw_data_params!.index).toBe(true);
    expect(Issue.spec.columns.created_at!.default).toBe('now');
  });

  it('row() tags data with the table, typed by the declaration', () => {
    const data: InsertRowOf<typeof Issue> = { connection_id: 1, id: 2, closed_at: null };
    const row = Issue.row(data);
    expect(row.model).toBe(Issue);
    expect(row.data).toEqual({ connection_id: 1, id: 2, closed_at: null });
    // Compile-time: the read type has every column, non-null where declared so.
    const read: SelectRowOf<typeof Issue> = {
      connection_id: 1, id: 2, title: 't', closed_at: null, created_at: null, updated_at: null,
      _raw_data_params: null, _raw_data_table: null, _raw_data_id: null, _raw_data_remark: null,
    };
    expect(read.title).toBe('t');
  });

  it('rejects a table without a key and a column that is not a declaration', () => {
    expect(() => defineTable('t', { a: col.text() })).toThrow(/primary key/);
    expect(() => defineTable('t', { a: col.text().primaryKey(), b: 'text' as never })).toThrow(/not a col/);
  });

  it('specs are frozen; a frozen copy is equal and independent', () => {
    expect(Object.isFrozen(Issue.spec.columns.title)).toBe(true);
    const copy = frozenTable(Issue);
    expect(copy.spec).toEqual(Issue.spec);
    expect(copy.spec).not.toBe(Issue.spec);
  });

  it("a tables migration's checksum changes when a table it creates is edited", () => {
    const before = checksumOf(tablesMigration(1, 'add_issues', [Issue]));
    const edited = defineTable('_tool_demo_issues', { connection_id: col.bigint().primaryKey(), id: col.bigint().primaryKey(), title: col.text() });
    expect(checksumOf(tablesMigration(1, 'add_issues', [Issue]))).toBe(before);
    expect(checksumOf(tablesMigration(1, 'add_issues', [edited]))).not.toBe(before);
  });
});

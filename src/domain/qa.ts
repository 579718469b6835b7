import { COMMON, type DomainEntityRow, type DomainTableSpec, modelOf } from './table-spec';

/**
 * DevLake's `qa` domain tables added by the third domain migration
 * (backend/core/models/domainlayer/qa), columns, keys and types as of
 * DevLake commit 420e494b (../shared/devlake-schema/domain.json).
 */

type Time = Date | string | null;

/** `qa_apis` (qa.QaApi, qa/qa_api.go). */
export interface QaApiRow extends DomainEntityRow {
  name?: string | null;
  path?: string | null;
  method?: string | null;
  create_time?: Time;
  creator_id?: string | null;
  qa_project_id?: string | null;
}

/** `qa_projects` (qa.QaProject, qa/qa_project.go). */
export interface QaProjectRow extends DomainEntityRow {
  name?: string | null;
}

/** `qa_test_case_executions` (qa.QaTestCaseExecution, qa/qa_test_case_execution.go). */
export interface QaTestCaseExecutionRow extends DomainEntityRow {
  qa_project_id?: string | null;
  qa_test_case_id?: string | null;
  create_time?: Time;
  start_time?: Time;
  finish_time?: Time;
  creator_id?: string | null;
  status?: string | null;
  is_invalid?: boolean | null;
}

/** `qa_test_cases` (qa.QaTestCase, qa/qa_test_case.go). */
export interface QaTestCaseRow extends DomainEntityRow {
  name?: string | null;
  create_time?: Time;
  creator_id?: string | null;
  type?: string | null;
  qa_api_id?: string | null;
  qa_project_id?: string | null;
}

/** `qa` tables of the third domain migration. */
export const qaTables: DomainTableSpec[] = [
  {
    table: 'qa_apis',
    goModel: 'qa.QaApi',
    primaryKey: ['id'],
    columns: [['id', 's500'], COMMON, ['name', 's255'], ['path', 's255'], ['method', 's255'], ['create_time', 'time'], ['creator_id', 's255'], ['qa_project_id', 's255']],
  },
  {
    table: 'qa_projects',
    goModel: 'qa.QaProject',
    primaryKey: ['id'],
    columns: [['id', 's500'], COMMON, ['name', 's255']],
  },
  {
    table: 'qa_test_case_executions',
    goModel: 'qa.QaTestCaseExecution',
    primaryKey: ['id'],
    columns: [['id', 's500'], COMMON, ['qa_project_id', 's255'], ['qa_test_case_id', 's255'], ['create_time', 'time'], ['start_time', 'time'], ['finish_time', 'time'], ['creator_id', 's255'], ['status', 's255'], ['is_invalid', 'bool']],
  },
  {
    table: 'qa_test_cases',
    goModel: 'qa.QaTestCase',
    primaryKey: ['id'],
    columns: [['id', 's500'], COMMON, ['name', 's255'], ['create_time', 'time'], ['creator_id', 's255'], ['type', 's255'], ['qa_api_id', 's255'], ['qa_project_id', 's255']],
  },
];

const spec = (table: string) => qaTables.find((t) => t.table === table)!;
export const QaApi = modelOf<QaApiRow>(spec('qa_apis'));
export const QaProject = modelOf<QaProjectRow>(spec('qa_projects'));
export const QaTestCaseExecution = modelOf<QaTestCaseExecutionRow>(spec('qa_test_case_executions'));
export const QaTestCase = modelOf<QaTestCaseRow>(spec('qa_test_cases'));

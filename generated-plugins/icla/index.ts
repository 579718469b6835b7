import { definePlugin } from 'devlake-ts';
import { testIclaConnection } from './connection-test';
import { migrationScripts } from './migrations';
import { IclaScope } from './models/scope';
import { closeTaskData, prepareTaskData, type IclaOptions, type IclaTaskData } from './task-data';
import { CollectCommitterMeta } from './tasks/committer-collector';
import { ExtractCommitterMeta } from './tasks/committer-extractor';
import { IclaCommitter } from './models/committer';
import { ConvertCommitterMeta } from './tasks/committer-converter';

/**
 * The icla plugin: collects the Apache committers list (ICLA) into accounts, the worked example of DevLake's plugin guide.
 * Run it with `devlake run icla`; its subtasks run in the order listed below.
 */
export default definePlugin<IclaOptions, IclaTaskData>({
  name: 'icla',
  description: 'collects the Apache committers list (ICLA) into accounts, the worked example of DevLake\'s plugin guide.',

  /** The pipeline, in order: `devlake create-collector|create-extractor|create-converter icla <name>` adds to it. */
  subTaskMetas() {
    return [CollectCommitterMeta, ExtractCommitterMeta, ConvertCommitterMeta];
  },

  prepareTaskData,

  /** Schema changes of the plugin's tool tables; `devlake create-migration icla <name>` adds one. */
  migrationScripts() {
    return migrationScripts;
  },

  /** The tool tables this plugin owns. */
  getTablesInfo() {
    return [IclaScope, IclaCommitter];
  },

  close: closeTaskData,

  /** What `devlake serve` runs to test a saved icla connection. */
  testConnection: testIclaConnection,
});

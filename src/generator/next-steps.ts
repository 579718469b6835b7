/**
 * What to do after a create-* command, printed under the file list: the
 * commands as the user types them (with `--dir` when it was given).
 */

/** The `--dir` suffix of a follow-up command: empty for the default folder. */
function dirFlag(dir: string | undefined): string {
  return dir ? ` --dir ${/\s/.test(dir) ? JSON.stringify(dir) : dir}` : '';
}

/** How the user runs the plugin's tests: the package.json script when one was added, else jest with the preset. */
export function testCommand(plugin: string, script: boolean, pluginDir: string): string {
  return script ? `npm run test:${plugin}` : `npx jest --preset devlake-ts ${pluginDir}`;
}

export interface NextStepsInput {
  plugin: string;
  /** `--dir` as given. */
  dir?: string;
  /** The plugin folder as seen from the working directory, e.g. `plugins/myapi`. */
  pluginDir: string;
  /** Whether `test:<plugin>` is a package.json script. */
  testScript: boolean;
}

/** After create-plugin: grow it, run it, test it. */
export function afterPlugin(i: NextStepsInput, withApiClient: boolean): string[] {
  const d = dirFlag(i.dir);
  return [
    withApiClient
      ? `devlake create-collector ${i.plugin} <name> --http-path <path>${d}   # fetch an API endpoint into _raw_${i.plugin}_<name>`
      : `devlake create-extractor ${i.plugin} <name>${d}   # a tool table from raw rows`,
    `devlake run ${i.plugin}${i.dir ? ` (with DEVLAKE_PLUGINS_PATH=${i.dir})` : ''}`,
    `${testCommand(i.plugin, i.testScript, i.pluginDir)}${i.testScript ? '' : '   # needs jest: npm i -D jest @types/jest'}`,
  ];
}

/** After create-collector: extract what it collects. */
export function afterCollector(i: NextStepsInput, collector: string): string[] {
  const d = dirFlag(i.dir);
  return [
    `devlake create-extractor ${i.plugin} ${collector} --from-sample <response.json>${d}   # or --primary-key <field>`,
    `devlake run ${i.plugin} --record <dir>   # keep the responses as a cassette (a sample for create-extractor)`,
  ];
}

/** After create-extractor: convert the tool rows, test. */
export function afterExtractor(i: NextStepsInput, model: string): string[] {
  return [
    `devlake create-converter ${i.plugin} ${model} --domain-table <table>${dirFlag(i.dir)}`,
    testCommand(i.plugin, i.testScript, i.pluginDir),
  ];
}

/** After create-converter or create-migration: test and run. */
export function afterOther(i: NextStepsInput): string[] {
  return [testCommand(i.plugin, i.testScript, i.pluginDir), `devlake run ${i.plugin}`];
}

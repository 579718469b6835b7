import type { Command } from 'commander';

/** Flags every create-* command takes. */
export interface CommonFlags {
  dir?: string;
  force?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

/** Adds `--dir`, `--force`, `--dry-run` and `--yes` to a create-* command. */
export function addCommonFlags(cmd: Command): Command {
  return cmd
    .option('--dir <path>', 'where plugins live (default: generated-plugins/ in a toolkit checkout, ./plugins/ elsewhere)')
    .option('--force', 'overwrite files that differ')
    .option('--dry-run', 'print what would change and write nothing')
    .option('-y, --yes', 'take defaults instead of asking');
}

import { DevlakeError } from '../core/errors';

/** One task of a plan, as DevLake writes it: a plugin, its subtasks (default: those enabled by default) and options. */
export interface PipelineTask {
  plugin: string;
  subtasks?: string[];
  options?: Record<string, unknown>;
}

/** DevLake's pipeline plan: stages in order; the tasks of one stage run in parallel. */
export type PipelinePlan = PipelineTask[][];

/** A pipeline to create: its plan plus DevLake's pipeline-level settings. */
export interface PipelineSpec {
  name?: string;
  plan: PipelinePlan;
  /** Keep running the other tasks and later stages when a task fails (DevLake's `skipOnFail`); the pipeline then ends PARTIAL, not FAILED. */
  skipOnFail?: boolean;
  fullSync?: boolean;
  timeAfter?: Date;
  /** The blueprint the plan came from, when it did. */
  blueprint?: string;
}

const planError = (message: string, source: string) =>
  new DevlakeError('DEVLAKE_E_PIPELINE_PLAN', `${source}: ${message}`, {
    hint: 'A plan is [[{"plugin":"github","options":{…}}, …], [{"plugin":"dora"}]] (stages of tasks), or {"name":…,"plan":[[…]],"skipOnFail":true}.',
  });

/**
 * Parses a plan file's text (JSON, or YAML for `.yaml`/`.yml`) into a spec:
 * a bare plan (array of stages) or `{ name, plan, skipOnFail, fullSync, timeAfter }`.
 * Throws DEVLAKE_E_PIPELINE_PLAN naming the first problem.
 */
export function parsePlanText(text: string, source: string): PipelineSpec {
  let value: unknown;
  try {
    if (/\.ya?ml$/i.test(source)) {
      value = (require('yaml') as typeof import('yaml')).parse(text);
    } else value = JSON.parse(text);
  } catch (err) {
    throw planError(`not valid ${/\.ya?ml$/i.test(source) ? 'YAML' : 'JSON'}: ${(err as Error).message}`, source);
  }
  return toPipelineSpec(value, source);
}

/** Checks a parsed value against the plan format; names the first problem with its stage and task. */
export function toPipelineSpec(value: unknown, source = 'plan'): PipelineSpec {
  const obj = Array.isArray(value) ? { plan: value } : value;
  if (typeof obj !== 'object' || obj === null) throw planError('expected an array of stages or an object with "plan"', source);
  const o = obj as Record<string, unknown>;
  if (!Array.isArray(o.plan)) throw planError('"plan" must be an array of stages', source);
  if (o.plan.length === 0) throw planError('the plan has no stage', source);
  const plan: PipelinePlan = o.plan.map((stage, s) => {
    if (!Array.isArray(stage) || stage.length === 0) throw planError(`stage ${s + 1} must be a non-empty array of tasks`, source);
    return stage.map((task, t) => toTask(task, `stage ${s + 1} task ${t + 1}`, source));
  });
  let timeAfter: Date | undefined;
  if (o.timeAfter !== undefined && o.timeAfter !== null) {
    // A Date as it is (String() of a Date would drop its milliseconds); text as ISO 8601.
    timeAfter = o.timeAfter instanceof Date ? new Date(o.timeAfter.getTime()) : new Date(String(o.timeAfter));
    if (Number.isNaN(timeAfter.getTime())) throw planError(`"timeAfter" ${JSON.stringify(o.timeAfter)} is not an ISO 8601 date`, source);
  }
  if (o.name !== undefined && typeof o.name !== 'string') throw planError('"name" must be a string', source);
  return {
    plan,
    ...(typeof o.name === 'string' ? { name: o.name } : {}),
    skipOnFail: o.skipOnFail === true,
    fullSync: o.fullSync === true,
    ...(timeAfter ? { timeAfter } : {}),
  };
}

function toTask(value: unknown, where: string, source: string): PipelineTask {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw planError(`${where} must be an object {plugin, subtasks, options}`, source);
  const t = value as Record<string, unknown>;
  if (typeof t.plugin !== 'string' || !t.plugin) throw planError(`${where} has no "plugin"`, source);
  if (t.subtasks !== undefined && t.subtasks !== null && !(Array.isArray(t.subtasks) && t.subtasks.every((x) => typeof x === 'string'))) {
    throw planError(`${where}: "subtasks" must be an array of subtask names`, source);
  }
  if (t.options !== undefined && t.options !== null && (typeof t.options !== 'object' || Array.isArray(t.options))) {
    throw planError(`${where}: "options" must be an object`, source);
  }
  const subtasks = (t.subtasks as string[] | undefined | null) ?? undefined;
  return { plugin: t.plugin, ...(subtasks && subtasks.length ? { subtasks } : {}), options: (t.options as Record<string, unknown> | undefined | null) ?? {} };
}

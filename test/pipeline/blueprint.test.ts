import type { Plugin } from 'devlake-ts';
import { makePlan, parseBlueprintText } from '../../src/pipeline/blueprint';

const bp = parseBlueprintText(
  JSON.stringify({
    name: 'nightly',
    project: 'p',
    cron: '0 2 * * *',
    syncPolicy: { skipOnFail: true, timeAfter: '2024-01-01' },
    connections: [
      { plugin: 'github', connectionId: 1, scopes: [{ name: 'a/b' }, { name: 'a/c' }], scopeConfig: { deploymentPattern: 'deploy' } },
      { plugin: 'gitlab', connectionId: 2, scopes: [{ projectId: 7 }] },
    ],
    after: [{ plugin: 'dora', options: { projectName: 'p' } }],
  }),
  'bp.json',
);

describe('blueprint → plan', () => {
  it('by default: one task per scope in stage 1, enrichers in a later stage, the sync policy on the pipeline', () => {
    const spec = makePlan(bp, new Map());
    expect(spec.plan).toEqual([
      [
        { plugin: 'github', options: { connectionId: 1, name: 'a/b', scopeConfig: { deploymentPattern: 'deploy' } } },
        { plugin: 'github', options: { connectionId: 1, name: 'a/c', scopeConfig: { deploymentPattern: 'deploy' } } },
        { plugin: 'gitlab', options: { connectionId: 2, projectId: 7 } },
      ],
      [{ plugin: 'dora', options: { projectName: 'p' } }],
    ]);
    expect([spec.name, spec.skipOnFail, spec.fullSync, spec.timeAfter]).toEqual(['nightly', true, false, new Date('2024-01-01')]);
  });

  it('a plugin’s makePipelinePlan shapes its own stages (merged stage by stage with the others)', () => {
    const gitlab = {
      makePipelinePlan: (c: { scopes: Array<Record<string, unknown>> }) => [c.scopes.map((s) => ({ plugin: 'gitlab', options: { ...s, phase: 1 } })), [{ plugin: 'gitlab', subtasks: ['Convert'], options: { phase: 2 } }]],
    } as unknown as Plugin;
    const spec = makePlan(bp, new Map([['gitlab', gitlab]]));
    expect(spec.plan.map((s) => s.map((t) => `${t.plugin}${t.options?.phase ? `:${String(t.options.phase)}` : ''}`))).toEqual([['github', 'github', 'gitlab:1'], ['gitlab:2'], ['dora']]);
  });

  it('rejects a blueprint without connections or name with DEVLAKE_E_BLUEPRINT', () => {
    expect(() => parseBlueprintText('{"name":"x","connections":[]}', 'b.json')).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_BLUEPRINT' }));
    expect(() => parseBlueprintText('connections: [{plugin: a, scopes: [{}]}]', 'b.yaml')).toThrow(/"name" is required/);
  });
});

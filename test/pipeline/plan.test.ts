import { parsePlanText, toPipelineSpec } from '../../src/pipeline/plan';

describe('pipeline plan', () => {
  it('reads DevLake’s bare plan and the object form, JSON and YAML', () => {
    expect(parsePlanText('[[{"plugin":"github","options":{"name":"a/b"}}],[{"plugin":"dora","subtasks":["calculateChangeLeadTime"]}]]', 'p.json')).toEqual({
      plan: [[{ plugin: 'github', options: { name: 'a/b' } }], [{ plugin: 'dora', subtasks: ['calculateChangeLeadTime'], options: {} }]],
      skipOnFail: false,
      fullSync: false,
    });
    const yaml = 'name: nightly\nskipOnFail: true\ntimeAfter: 2024-01-01\nplan:\n  - - plugin: icla\n';
    expect(parsePlanText(yaml, 'p.yaml')).toEqual({ name: 'nightly', skipOnFail: true, fullSync: false, timeAfter: new Date('2024-01-01'), plan: [[{ plugin: 'icla', options: {} }]] });
  });

  it('takes timeAfter as a Date as it is, milliseconds included (a blueprint hands its spec over unserialised)', () => {
    const at = new Date('2024-01-02T03:04:05.678Z');
    const spec = toPipelineSpec({ plan: [[{ plugin: 'icla' }]], timeAfter: at });
    expect(spec.timeAfter).toStrictEqual(at);
    expect(spec.timeAfter).not.toBe(at);
  });

  it.each([
    ['{', 'p.json', /not valid JSON/],
    ['[]', 'p.json', /no stage/],
    ['[[]]', 'p.json', /stage 1 must be a non-empty array/],
    ['[[{"options":{}}]]', 'p.json', /stage 1 task 1 has no "plugin"/],
    ['[[{"plugin":"a","subtasks":"x"}]]', 'p.json', /"subtasks" must be an array/],
    ['{"plan":[[{"plugin":"a"}]],"timeAfter":"soon"}', 'p.json', /"timeAfter" "soon" is not an ISO 8601 date/],
  ])('rejects %s with DEVLAKE_E_PIPELINE_PLAN', (text, source, message) => {
    expect(() => parsePlanText(text, source)).toThrow(message);
    try {
      parsePlanText(text, source);
    } catch (err) {
      expect(err).toMatchObject({ code: 'DEVLAKE_E_PIPELINE_PLAN' });
    }
  });

  it('takes an already parsed value', () => {
    expect(toPipelineSpec([[{ plugin: 'x', subtasks: [] }]]).plan).toEqual([[{ plugin: 'x', options: {} }]]);
  });
});

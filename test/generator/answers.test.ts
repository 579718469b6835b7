import { Answers } from '../../src/generator/answers';

describe('Answers', () => {
  it('takes flags first and defaults under --yes', async () => {
    const answers = new Answers({ yes: true, interactive: false });
    expect(await answers.ask({ flag: '--a <x>', message: 'a', kind: 'input', default: 'dflt' }, 'given')).toBe('given');
    expect(await answers.ask({ flag: '--b <x>', message: 'b', kind: 'input', default: 'dflt' }, undefined)).toBe('dflt');
    expect(() => answers.done('cmd')).not.toThrow();
  });

  it('without a TTY, lists every missing flag in one usage error', async () => {
    const answers = new Answers({ yes: false, interactive: false });
    await answers.ask({ flag: '--endpoint <url>', message: 'e', kind: 'input' }, undefined);
    await answers.ask({ flag: '--pagination <mode>', message: 'p', kind: 'select', default: 'none' }, undefined);
    expect(() => answers.done('create-x')).toThrow(
      expect.objectContaining({
        code: 'DEVLAKE_E_MISSING_FLAGS',
        exitCode: 2,
        message: expect.stringContaining('--endpoint <url>, --pagination <mode>'),
      }),
    );
  });

  it('under --yes, a question without a default is still missing', async () => {
    const answers = new Answers({ yes: true });
    await answers.ask({ flag: '--endpoint <url>', message: 'e', kind: 'input' }, undefined);
    expect(() => answers.done('create-plugin')).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_MISSING_FLAGS' }));
  });
});

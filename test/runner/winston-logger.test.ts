import { PassThrough } from 'node:stream';
import { clearSecrets, registerSecret } from '../../src/core/redact';
import { createWinstonLogger } from '../../src/runner/winston-logger';

function capture(level: 'info' | 'debug' = 'info') {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (d) => lines.push(...String(d).split('\n').filter(Boolean)));
  return { logger: createWinstonLogger({ level, stream }), lines };
}

afterEach(() => clearSecrets());

describe('winston logger', () => {
  it('writes `[time] LEVEL [plugin] [subtask] message` lines', async () => {
    const { logger, lines } = capture();
    logger.child({ plugin: 'icla' }).info('total step: 3');
    logger.child({ plugin: 'icla' }).child({ subtask: 'Collect Committer' }).warn('slow');
    logger.debug('hidden at info');
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] INFO \[icla\] total step: 3$/);
    expect(lines[1]).toMatch(/\] WARN \[icla\] \[Collect Committer\] slow$/);
  });

  it('redacts registered secrets, bearer headers and URL passwords', async () => {
    registerSecret('ghp_supersecrettoken');
    const { logger, lines } = capture('debug');
    logger.info('token ghp_supersecrettoken and Authorization: Bearer abc.def.ghi');
    logger.debug('db postgres://u:pa55word@h/db', { url: 'https://x/?access_token=ghp_supersecrettoken' });
    await new Promise((r) => setImmediate(r));
    const all = lines.join('\n');
    expect(all).not.toContain('ghp_supersecrettoken');
    expect(all).not.toContain('abc.def.ghi');
    expect(all).not.toContain('pa55word');
    expect(lines).toHaveLength(2);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { mapConfig } from '../../src/core/config';
import { memoryLogger } from '../../src/core/logger';
import { startServer, type RunningServer } from '../../src/server/serve';
import { freshDatabase, type TestDb } from '../../src/testing/databases';
import { TOOLKIT_ROOT } from '../../src/runner/discover';
import { startServer as startFakeApi, type TestServer } from '../helpers/api-test-server';
import { dumpDatabase, TEST_SEARCH_PATH } from './helpers';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it when missing). */
const CHROMIUM = process.env.DEVLAKE_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Where the screenshot goes: the test output directory. */
const OUTPUT_DIR = process.env.DEVLAKE_TEST_OUTPUT ?? path.join(TOOLKIT_ROOT, 'test-output');
const TOKEN = 'browser-token-PLAINTEXT-5150';
const COMMITTERS = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`user${String(i).padStart(2, '0')}`, `User ${i}`]));

/**
 * The web page in a real browser: headless Chromium (playwright-core driving
 * the system's chromium) creates an icla connection, tests it against a local
 * fake ICLA API, saves it, starts a pipeline, watches it complete with its log,
 * and saves a screenshot.
 */
describe('the web page in headless Chromium', () => {
  let db: TestDb;
  let server: RunningServer;
  let api: TestServer;
  let browser: BrowserContext;
  let profile: string;
  const logLines: string[] = [];
  const seen: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
    api = await startFakeApi((req) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { message: 'Bad credentials' } };
      return req.url === '/public/icla-info.json' ? { body: { last_updated: '2024-01-01', committers: COMMITTERS } } : { status: 404, body: {} };
    }, 50);
    db = await freshDatabase('sqlite::memory:', 'web');
    server = await startServer({
      dal: db.dal,
      config: mapConfig({ DEVLAKE_ENCRYPTION_SECRET: 'browser-test-secret-0123456789' }),
      logger: memoryLogger(logLines),
      host: '127.0.0.1',
      port: 0,
      searchPath: TEST_SEARCH_PATH,
    });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-chromium-'));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
    await api?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it('creates and tests a connection, runs a pipeline to COMPLETED with its log, saves and runs a blueprint, and keeps the token out of the page', async () => {
    const page: Page = browser.pages()[0] ?? (await browser.newPage());
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
    page.on('response', (res) => void res.text().then((t) => seen.push(t), () => undefined));
    await page.goto(server.url + '/');
    await page.locator('nav button[data-plugin="icla"]').click();
    await page.locator('#plugin-title', { hasText: 'icla' }).waitFor();

    const form = page.locator('#connection-form');
    await form.locator('input[name=name]').fill('apache');
    await form.locator('input[name=endpoint]').fill(api.url);
    await form.locator('select[name=authType]').selectOption('bearer');
    await form.locator('input[name=token]').fill(TOKEN);
    await page.locator('#test-button').click();
    await page.locator('#form-result.ok, #form-result.fail').waitFor();
    expect({ text: await page.locator('#form-result').textContent(), errors }).toEqual({ text: expect.stringContaining('Connection OK'), errors: [] });
    expect(await page.locator('#form-result').textContent()).toContain('25 committers');

    await page.locator('#save-button').click();
    await page.locator('#connections tr[data-connection="apache"]').waitFor();
    // Edited back from the server, the token field holds the mask, never the token.
    expect(await form.locator('input[name=token]').inputValue()).toBe('********');
    await page.locator('#connections tr[data-connection="apache"] button', { hasText: 'Test' }).click();
    await page.locator('#form-result.ok', { hasText: 'apache: Connection OK' }).waitFor();

    await page.locator('#run-form input[name=options]').fill('{"scope":"apache"}');
    await page.locator('#run-button').click();
    const row = page.locator('#pipelines tbody tr').first();
    await row.locator('.status.COMPLETED').waitFor({ timeout: 60_000 });
    await page.locator('#log', { hasText: '— task COMPLETED —' }).waitFor({ timeout: 30_000 });
    const log = (await page.locator('#log').textContent()) ?? '';
    expect(log).toContain('[icla] [Collect Committer]');
    expect(log).toContain('finished step: 3 / 3');
    expect(await row.locator('.task').textContent()).toContain('3/3');
    expect(Number((await server.ctx.dal.knex('accounts').count({ n: '*' }))[0].n)).toBe(25);
    expect(api.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

    // A blueprint of the saved connection and a scope, saved from the form and run now from its row.
    const bpForm = page.locator('#blueprint-form');
    await bpForm.locator('input[name=name]').fill('apache nightly');
    await bpForm.locator('input[name=scopes]').fill('[{"scope":"apache"}]');
    await bpForm.locator('input[name=cron]').fill('0 2 * * *');
    await page.locator('#blueprint-button').click();
    const bpRow = page.locator('#blueprints tr[data-blueprint="apache nightly"]');
    await bpRow.waitFor();
    expect(await bpRow.textContent()).toContain('icla × 1');
    expect(await bpRow.textContent()).toContain('0 2 * * *');
    await bpRow.locator('button', { hasText: 'Run now' }).click();
    const bpPipeline = page.locator('#pipelines tbody tr', { hasText: 'apache nightly' });
    await bpPipeline.locator('.status.COMPLETED').waitFor({ timeout: 60_000 });
    await page.locator('#log', { hasText: '— task COMPLETED —' }).waitFor({ timeout: 30_000 });
    const [saved] = await server.ctx.blueprints.list();
    expect(saved).toMatchObject({ name: 'apache nightly', cron: '0 2 * * *', connections: [{ plugin: 'icla', scopes: [{ scope: 'apache' }] }] });
    expect((await server.ctx.pipelines.list(5, { blueprintId: saved.id })).map((p) => p.status)).toEqual(['COMPLETED']);

    fs.mkdirSync(OUTPUT_DIR, { recursive: true });
    const shot = path.join(OUTPUT_DIR, 'web-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);

    expect(errors).toEqual([]);
    const html = await page.content();
    const everything = [html, log, ...seen, ...logLines, await dumpDatabase(db)].join('\n');
    expect(everything).not.toContain(TOKEN);
  });
});

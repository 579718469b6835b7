import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { TOOLKIT_ROOT } from '../../runner/discover';

/** The web page's files: served as they are (ES modules, no build step). */
export const WEB_DIR = path.join(TOOLKIT_ROOT, 'src', 'server', 'web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page's URLs: a fixed list read at start, so no request path ever reaches the file system. */
export function webFiles(dir = WEB_DIR): Map<string, { type: string; body: Buffer }> {
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const name of fs.readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (!type || !/^[a-z0-9-]+\.[a-z]+$/.test(name)) continue;
    files.set(name === 'index.html' ? '/' : `/${name}`, { type, body: fs.readFileSync(path.join(dir, name)) });
  }
  return files;
}

/** Static-page URLs, public even when the API needs a key (the page asks for it). */
export function isWebPath(url: string, files: ReadonlyMap<string, unknown>): boolean {
  return files.has(url.split('?')[0]);
}

/**
 * `GET /` and the page's scripts and styles. A strict Content-Security-Policy:
 * scripts and styles from this origin only, no inline script, no framing.
 */
export function registerWebRoutes(app: FastifyInstance, files: ReadonlyMap<string, { type: string; body: Buffer }>): void {
  for (const [url, file] of files) {
    app.get(url, { schema: { hide: true } as Record<string, unknown> }, async (_req, reply) =>
      reply
        .header('content-type', file.type)
        .header('cache-control', 'no-cache')
        .header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(file.body),
    );
  }
}

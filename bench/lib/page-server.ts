import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** The local API of collect_http and rate_limit, running in a child process. */
export interface PageServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Bytes of one page body. */
  pageBytes: number;
  close(): Promise<void>;
}

/**
 * Starts lib/page-server-child.js answering `X-Total-Pages: totalPages`; with
 * `distinct`, each page 1…totalPages holds records of its own (else 16 pages in turn).
 */
export async function startPageServer(totalPages: number, opts: { distinct?: boolean } = {}): Promise<PageServer> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'page-server-child.js'), String(totalPages), ...(opts.distinct ? ['distinct'] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`page server exited ${code}`)));
  });
  const [port, bytes] = line.split(' ').map(Number);
  return {
    url: `http://127.0.0.1:${port}/`,
    pageBytes: bytes!,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await exited;
    },
  };
}

'use strict';
// A local API for collect_http and rate_limit, in its own process so that
// serving does not share the measured event loop. Every path answers with a
// page of 100 issues (~95 KB of JSON) and `X-Total-Pages: <argv[2]>`.
// With `distinct` as argv[3], every page of 1…totalPages holds its own records
// (built before the port is printed), for runs that extract and convert them.
// Prints the port on stdout; exits when its parent closes stdin.
const http = require('node:http');

const totalPages = Number(process.argv[2] ?? 1);
const issueJson = (i) =>
  JSON.stringify({
    id: 1000000000 + i,
    number: i + 1,
    title: `Issue ${i}: pipeline fails when the collector pages`,
    state: i % 3 === 0 ? 'closed' : 'open',
    locked: false,
    user: { login: `user${i % 997}`, id: 10000 + (i % 997), type: 'User', site_admin: false },
    labels: [{ id: 1 + (i % 7), name: 'type/bug' }],
    comments: i % 17,
    created_at: new Date(Date.UTC(2023, 0, 1) + i * 60000).toISOString(),
    updated_at: new Date(Date.UTC(2023, 0, 1) + i * 60000 + 3600000).toISOString(),
    closed_at: null,
    author_association: 'CONTRIBUTOR',
    html_url: `https://github.com/apache/incubator-devlake/issues/${i + 1}`,
    body: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(9),
  });
// 16 distinct pages, served in turn: building bodies per request would cost the server more than the client.
const distinct = process.argv[3] === 'distinct';
const pages = Array.from({ length: distinct ? totalPages : 16 }, (_, p) => Buffer.from(`[${Array.from({ length: 100 }, (_, k) => issueJson(p * 100 + k)).join(',')}]`));

const server = http.createServer((req, res) => {
  const page = Number(/[?&]page=(\d+)/.exec(req.url)?.[1] ?? 1);
  const body = distinct ? pages[(page - 1) % pages.length] : pages[page % pages.length];
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'x-total-pages': String(totalPages) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port} ${pages[0].length}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

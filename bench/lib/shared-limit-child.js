'use strict';
// One process of rate_limit_shared: loads the TypeScript client loop through the toolkit's swc hook (as
// bench/run.js does), runs it, prints the completion times (epoch ms) as one JSON line on stdout.
require('../../scripts/ts-bootstrap').registerToolkitTypeScript();

require('./shared-limit-client.ts')
  .run(JSON.parse(process.argv[2]))
  .then(
    (times) => process.stdout.write(`${JSON.stringify(times)}\n`),
    (err) => {
      process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
      process.exitCode = 1;
    },
  );

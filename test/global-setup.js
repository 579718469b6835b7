// CLI tests spawn bin/devlake, which runs compiled dist/. Rebuild it when any
// source file is newer, so `npm test` never tests stale JavaScript.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

module.exports = async () => {
  const root = path.resolve(__dirname, '..');
  const marker = path.join(root, 'dist', 'cli', 'main.js');
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  if (newest(path.join(root, 'src')) > built) {
    try {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'pipe', cwd: root });
    } catch (err) {
      // tsc still emits JavaScript on type errors; `npm ci` (prepare) is where type errors fail the build.
      process.stderr.write(`\nglobal-setup: tsc reported type errors (dist was still emitted):\n${String(err.stdout || err.message).slice(0, 2000)}\n`);
    }
    if (fs.existsSync(marker)) fs.utimesSync(marker, new Date(), new Date());
  }
};

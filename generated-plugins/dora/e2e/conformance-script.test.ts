import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

describe('npm run conformance -- --plugin dora', () => {
  it('runs the dora manifest, prints one line per test and writes the report', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dora-conf-'));
    try {
      const report = path.join(dir, 'r.json');
      const out = execFileSync(process.execPath, ['scripts/conformance.js', '--plugin', 'dora', '--only', 'connect_incident_to_deploy', '--report', report], { cwd: root, encoding: 'utf8' });
      expect(out.trim().split('\n')).toEqual([expect.stringMatching(/^PASS connect_incident_to_deploy\s+project_incident_deployment_relationships 6\/6$/), '1 passed, 0 failed']);
      expect(JSON.parse(fs.readFileSync(report, 'utf8')).tests).toEqual([
        { name: 'connect_incident_to_deploy', passed: true, tables: [{ table: 'project_incident_deployment_relationships', expectedRows: 6, actualRows: 6, mismatches: 0 }] },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

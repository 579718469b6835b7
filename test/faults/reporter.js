// Jest reporter for `npm run test:faults`: prints the fault-suite figures and
// ends the output with `N passed, M failed`. The tests write their figures to
// the directory named by DEVLAKE_FAULTS_FIGURES (see support/figures.ts),
// which this reporter creates before any worker starts.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

class FaultSuiteReporter {
  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-faults-figures-'));
    process.env.DEVLAKE_FAULTS_FIGURES = this.dir;
  }

  /** Sums every figure written by the test files, per name. */
  figures() {
    const total = {};
    for (const file of fs.existsSync(this.dir) ? fs.readdirSync(this.dir) : []) {
      const figures = JSON.parse(fs.readFileSync(path.join(this.dir, file), 'utf8'));
      for (const [k, v] of Object.entries(figures)) total[k] = (total[k] ?? 0) + v;
    }
    return total;
  }

  onRunComplete(_contexts, results) {
    const f = this.figures();
    const n = (k) => f[k] ?? 0;
    const badInput = Object.keys(f).filter((k) => k.startsWith('cases_'));
    const rows = [
      ['pages served', `${n('pages_served')} (in ${n('requests')} requests, 1,000-page runs)`],
      [
        'faults injected',
        `5xx ${n('faults_status5xx')}, 429 ${n('faults_status429')}, reset ${n('faults_reset')}, stall ${n('faults_stall')}, ` +
          `malformed JSON ${n('faults_malformed_json')}, past retry budget ${n('faults_retry_budget')}, DB connection killed ${n('faults_db_killed')}`,
      ],
      ['records expected / stored', `${n('records_expected')} / ${n('records_stored')}`],
      ['duplicates', String(n('duplicates'))],
      ['failed runs, old data intact', String(n('failed_runs_previous_data_intact'))],
      ['recorded through faults, replay identical', String(n('recorded_through_faults_replayed_identical'))],
      [
        'cancel points',
        `${n('cancel_points')} (collect ${n('cancel_collect')}, extract ${n('cancel_extract')}, convert ${n('cancel_convert')}; exit 130: ${n('cancelled_exit_130')}, recorded CANCELLED: ${n('recorded_cancelled')}) + ${n('cancel_network_waits')} during network waits`,
      ],
      ['resumes identical', `${n('resumes_identical')} / ${n('cancel_points')}`],
      ['crash points (SIGKILL)', `${n('crash_points')}, next run identical ${n('crash_resumes_identical')} / ${n('crash_points')}`],
      ['bad-input cases', `${badInput.length ? Math.max(...badInput.map((k) => f[k])) : 0} (× ${badInput.map((k) => k.slice('cases_'.length)).join(', ') || 'no database'})`],
      ['secret occurrences', `${n('secret_occurrences')} (in ${n('secret_places_searched')} outputs, cassettes and tables searched)`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    const out = ['', 'Fault suite', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), '', `${results.numPassedTests} passed, ${results.numFailedTests} failed`, ''];
    fs.rmSync(this.dir, { recursive: true, force: true });
    // Jest's summary reporter writes after every custom reporter; print at exit so this stays the last line.
    process.once('exit', () => process.stderr.write(out.join('\n')));
  }
}

module.exports = FaultSuiteReporter;

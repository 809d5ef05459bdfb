/**
 * Jest's test order (jest.config.js `testSequencer`), issue 13: the slowest suites first, so that
 * the two workers finish together instead of one running a long suite alone at the end.
 *
 * Jest itself orders by its timing cache and, without one, by file size — and a fresh clone (CI)
 * has no cache, so a 47-line file that runs for a minute came last (404f40c: the workers were
 * busy only 77 % of Jest's wall time). Here a suite's expected time is, in order:
 *   1. Jest's own timing cache of this checkout (a machine that ran the suite before),
 *   2. test/support/suiteSeconds.json (committed: a fresh clone's expectation),
 *   3. NEW_SUITE_SECONDS for a suite in neither: a new suite is unknown, so it starts early
 *      rather than risk being a long tail.
 * Suites that failed in the last run still go first (Jest's rule, kept).
 *
 * Refresh the committed file after a full run: `node test/support/suiteSeconds.mjs` (README).
 */
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const NEW_SUITE_SECONDS = 20;
const ROOT = path.join(__dirname, '..', '..');
/** @type {Record<string, number>} seconds by path relative to the repository, '/' separated */
const committed = require('./suiteSeconds.json');

class SlowestFirst extends Sequencer {
  /** @param {import('@jest/test-result').Test} test milliseconds expected */
  expectedMs(test) {
    const cached = this.time(test);
    if (cached !== undefined && cached !== null) return cached;
    const relative = path.relative(ROOT, test.path).split(path.sep).join('/');
    const seconds = committed[relative] ?? NEW_SUITE_SECONDS;
    return seconds * 1000;
  }

  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const expected = new Map(tests.map((test) => [test, this.expectedMs(test)]));
    for (const test of tests) test.duration = expected.get(test);
    return [...tests].sort((a, b) => {
      const failedA = this.hasFailed(a);
      const failedB = this.hasFailed(b);
      if (failedA !== failedB) return failedA ? -1 : 1;
      return (expected.get(b) ?? 0) - (expected.get(a) ?? 0) || (a.path < b.path ? -1 : 1);
    });
  }
}

module.exports = SlowestFirst;

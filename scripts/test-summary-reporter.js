// Writes the totals of the jest run so .ci/run can print "N passed, N failed".
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');

class TestSummaryReporter {
  constructor(_globalConfig, options) {
    this.outputFile = options.outputFile;
  }

  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    mkdirSync(dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, JSON.stringify(summary));
  }
}

module.exports = TestSummaryReporter;

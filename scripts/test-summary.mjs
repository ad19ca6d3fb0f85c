// Prints the closing line CI reads: "N passed, N failed".
// Exits non-zero when anything failed, including lint/type checks or a vitest crash.
import { existsSync, readFileSync } from "node:fs";

const [resultsPath, failedChecksArg, vitestStatusArg] = process.argv.slice(2);
const failedChecks = Number(failedChecksArg ?? 0);
const vitestStatus = Number(vitestStatusArg ?? 0);

let passed = 0;
let failed = 0;
if (resultsPath && existsSync(resultsPath)) {
  const results = JSON.parse(readFileSync(resultsPath, "utf8"));
  passed = results.numPassedTests ?? 0;
  failed = results.numFailedTests ?? 0;
  // A file that failed to load or whose hooks failed has no failed test of its own: count it once.
  for (const file of results.testResults ?? []) {
    const anyTestFailed = (file.assertionResults ?? []).some((test) => test.status === "failed");
    if (file.status === "failed" && !anyTestFailed) failed += 1;
  }
}
// A vitest crash (no results, or a non-zero exit with nothing failed) still counts as one failure.
if (vitestStatus !== 0 && failed === 0) failed = 1;
failed += failedChecks;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

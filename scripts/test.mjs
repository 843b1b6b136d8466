// Runs the whole test suite (vitest) and ends with the plain summary line that CI
// reads: "N passed, M failed" (vitest's own summary is not read as one).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";

mkdirSync("build", { recursive: true });
const report = "build/test-report.json";
const vitest = spawnSync(
  process.execPath,
  ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(report, "utf8"));
  passed = results.numPassedTests;
  failed = results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0);
  // A suite that fails to load has no tests counted: count it as a failure.
  failed += results.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
} catch {
  failed = Math.max(failed, 1);
}
const code = vitest.status ?? 1;
if (code !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(code);

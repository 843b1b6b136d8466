// Runs the whole test suite (vitest: unit, golden and browser tests) and ends with
// the plain summary line that CI reads: "N passed, M failed" (vitest's own summary
// is not read as one). The browser tests need Debian's Chromium: when it is missing
// and we run as root, it is installed from Debian's packages first.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

const chromium = process.env.BIOTWIN_CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("Installing Chromium from Debian's packages for the browser tests ...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    const install =
      update.status === 0 &&
      spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
    if (!install || install.status !== 0) console.error("Could not install Chromium; the browser tests will fail.");
  } else {
    console.error(`Chromium is missing at ${chromium}: install Debian's chromium package (as root: apt-get install chromium) or set BIOTWIN_CHROMIUM.`);
  }
}

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

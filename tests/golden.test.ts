// Golden trajectories of every shipped scenario, stored to 6 digits of each column's scale,
// so a change that moves a result is seen and explained. A value may move by what the
// scenario's own solver tolerance allows (GLOBAL_ERROR_FACTOR × relTol of the column's
// scale): a solver tweak that changes the step sequence passes, a change to the science
// does not. Regenerate deliberately with
//   UPDATE_GOLDEN=1 npx vitest run tests/golden.test.ts
// and say in the commit why the numbers moved.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { expect, test } from "vitest";
import { run } from "./helpers";

const scenarioDir = new URL("../scenarios/", import.meta.url);
const goldenDir = new URL("./golden/", import.meta.url);
const files = readdirSync(scenarioDir).filter((f) => f.endsWith(".json"));
const ROWS = 41; // rows kept per trajectory, evenly spaced
/** Global error of an adaptive solver stays within a small multiple of its local tolerance. */
const GLOBAL_ERROR_FACTOR = 100;

/**
 * Six significant digits relative to the column's largest magnitude, so solver noise
 * far below the column's scale (a substrate at 1e-10 g/L after depletion) is not pinned.
 */
function roundColumn(values: number[]): number[] {
  const scale = Math.max(...values.map(Math.abs));
  if (!(scale > 0) || !Number.isFinite(scale)) return values;
  const quantum = 10 ** (Math.floor(Math.log10(scale)) - 5);
  return values.map((v) => Number((Math.round(v / quantum) * quantum).toPrecision(6)) || 0);
}

test("every shipped scenario has a golden file", () => {
  expect(files.length).toBeGreaterThanOrEqual(3);
  if (process.env.UPDATE_GOLDEN) return;
  for (const f of files) expect(existsSync(new URL(f, goldenDir)), `tests/golden/${f}`).toBe(true);
});

test.each(files)("%s follows its golden trajectory", async (file) => {
  const doc = JSON.parse(readFileSync(new URL(file, scenarioDir), "utf8"));
  const result = await run(doc);
  const rows = result.columns[0].values.length;
  const picks = Array.from({ length: Math.min(ROWS, rows) }, (_, i) => Math.round((i * (rows - 1)) / Math.max(1, ROWS - 1)));
  const trajectory = {
    scenario: file,
    status: result.metadata.status,
    rows,
    columns: Object.fromEntries(result.columns.map((c) => [`${c.name} [${c.unit}]`, roundColumn(picks.map((r) => c.values[r]))])),
  };
  const path = new URL(file, goldenDir);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(path, JSON.stringify(trajectory, null, 1) + "\n");
    return;
  }
  const golden = JSON.parse(readFileSync(path, "utf8")) as typeof trajectory;
  expect({ ...trajectory, columns: Object.keys(trajectory.columns) }).toEqual({ ...golden, columns: Object.keys(golden.columns) });
  const relTol = result.metadata.relTol;
  for (const [name, values] of Object.entries(trajectory.columns)) {
    const expected = golden.columns[name];
    const scale = Math.max(...expected.map(Math.abs), ...values.map(Math.abs));
    const allowed = Math.max(GLOBAL_ERROR_FACTOR * relTol * scale, 1e-6 * scale);
    values.forEach((v, i) => {
      expect(Math.abs(v - expected[i]), `${name} at row ${picks[i]}: ${v} vs golden ${expected[i]}`).toBeLessThanOrEqual(allowed);
    });
  }
});

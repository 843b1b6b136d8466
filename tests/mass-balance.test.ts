// Substrate mass balance of fed-batch runs (docs/model.md §2.6) and the rule that no
// concentration is ever negative, on runs that starve the cells on purpose.
import { expect, test } from "vitest";
import { column, readJson, run } from "./helpers";

const fedBatch = {
  format: "biotwin-scenario",
  version: 1,
  metadata: { title: "balance check: boluses and an exponential feed, every term on" },
  cells: { model: "microbial" },
  reactor: { kLaPerH: 400 },
  initial: { volumeL: 1, biomassGPerL: 0.2, substrateGPerL: 5 },
  process: {
    mode: "fed-batch",
    durationH: 30,
    feedMedium: { substrateGPerL: 400 },
    boluses: [
      { timeH: 4, volumeL: 0.02 },
      { timeH: 9.5, volumeL: 0.05 },
    ],
    feedProfile: [
      { startH: 10, endH: 20, rateLPerH: 0.004, exponentialRatePerH: 0.12 },
      { startH: 24, rateLPerH: 0.002 },
    ],
  },
  simulation: { outputIntervalH: 0.25, relTol: 1e-8, absTol: 1e-10 },
};

test("fed − consumed − accumulated closes to 1e-6 of what was fed", async () => {
  const result = await run(fedBatch);
  expect(result.metadata.status).toBe("ok");
  const [substrate] = result.balances;
  expect(substrate.quantity).toBe("substrate");
  // Fed: boluses 0.07 L × 400 g/L plus the feed profile's integral.
  const feedIntegral = (0.004 / 0.12) * (Math.exp(0.12 * 10) - 1) + 0.002 * 6;
  expect(substrate.in).toBeCloseTo(0.07 * 400 + feedIntegral * 400, 6);
  expect(Math.abs(substrate.closureError) / substrate.in).toBeLessThanOrEqual(1e-6);
  expect(Math.abs(substrate.relativeClosureError)).toBeLessThanOrEqual(1e-6);
});

test("the balance also closes at the default tolerances, to 1e-4", async () => {
  const result = await run({ ...fedBatch, simulation: { outputIntervalH: 0.25 } });
  expect(Math.abs(result.balances[0].relativeClosureError)).toBeLessThanOrEqual(1e-4);
});

test.each([
  ["the balance test run", fedBatch],
  ["the shipped E. coli fed-batch", readJson("scenarios/ecoli-fed-batch.json")],
  [
    "a starving batch with maintenance and death",
    { ...fedBatch, process: { mode: "batch", durationH: 80 }, simulation: { outputIntervalH: 0.1 } },
  ],
])("no concentration is ever negative in %s", async (_name, doc) => {
  const result = await run(doc);
  expect(result.metadata.status).toBe("ok");
  for (const name of ["biomass", "dead_biomass", "substrate", "product", "dissolved_o2", "volume"]) {
    expect(Math.min(...column(result, name)), name).toBeGreaterThanOrEqual(0);
  }
});

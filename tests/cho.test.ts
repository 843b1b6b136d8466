// The CHO culture as a process developer would check it: the shipped fed-batch lands
// where a modern process does (docs/model.md §4.7), control loops hold DO and pH and
// fail visibly when off, the temperature shift does what the literature says, every
// balance closes, the operations do what they say, and with its terms off the model
// reduces to the verified textbook cases (docs/model.md §3).
import { describe, expect, test } from "vitest";
import { readdirSync } from "node:fs";
import type { SimulationResult } from "../engine/simulate";
import { at, column, readJson, relErr, run } from "./helpers";

const fedBatch = readJson("scenarios/cho-fed-batch.json") as Record<string, any>;

function clone<T>(value: T): T {
  return structuredClone(value);
}

function between(result: SimulationResult, name: string, fromH: number, toH: number): number[] {
  const time = column(result, "time");
  const values = column(result, name);
  return Array.from(values).filter((_, i) => time[i] >= fromH && time[i] <= toH);
}

const max = (xs: ArrayLike<number>) => Math.max(...Array.from(xs));
const min = (xs: ArrayLike<number>) => Math.min(...Array.from(xs));
const last = (xs: ArrayLike<number>) => xs[xs.length - 1];

describe("the shipped CHO fed-batch lands where a modern process does (docs/model.md §4.7)", async () => {
  const result = await run(fedBatch);

  test("it runs the 14 days", () => {
    expect(result.metadata.status).toBe("ok");
    expect(result.metadata.endTimeH).toBe(336);
  });

  test("peak viable density of order 10–30e6 cells/mL", () => {
    const peak = max(column(result, "viable_cells"));
    expect(peak).toBeGreaterThanOrEqual(10);
    expect(peak).toBeLessThanOrEqual(30);
  });

  test("viability stays above 90 % while the cells grow and falls late in the run", () => {
    expect(min(between(result, "viability", 0, 120))).toBeGreaterThan(90);
    const final = last(column(result, "viability"));
    expect(final).toBeLessThan(90);
    expect(final).toBeGreaterThan(60);
  });

  test("antibody of order 1–10 g/L at harvest", () => {
    const titer = last(column(result, "titer"));
    expect(titer).toBeGreaterThanOrEqual(1);
    expect(titer).toBeLessThanOrEqual(10);
  });

  test("lactate rises, peaks below 40 mM, then is consumed", () => {
    const lactate = column(result, "lactate");
    const peak = max(lactate);
    const peakAt = column(result, "time")[Array.from(lactate).indexOf(peak)];
    expect(peak).toBeGreaterThan(5);
    expect(peak).toBeLessThan(40);
    expect(peakAt).toBeGreaterThan(48);
    expect(last(lactate)).toBeLessThan(0.9 * peak);
  });

  test("with control on, DO and pH stay near their setpoints", () => {
    const dissolved = between(result, "do_saturation", 72, 336);
    expect(min(dissolved)).toBeGreaterThan(35);
    expect(max(dissolved)).toBeLessThan(45);
    const ph = between(result, "ph", 24, 336);
    expect(min(ph)).toBeGreaterThan(6.9);
    expect(max(ph)).toBeLessThan(7.15);
  });

  test("temperature follows the shift to 33 °C on day 5", () => {
    expect(at(result, "temperature", 119)).toBeCloseTo(37, 1);
    expect(at(result, "temperature", 130)).toBeCloseTo(33, 1);
  });

  test("base use and pCO2 are plausible", () => {
    const volume = last(column(result, "volume"));
    expect(last(column(result, "base_added"))).toBeLessThan(0.04 * volume);
    const pco2 = between(result, "pco2", 24, 336);
    expect(min(pco2)).toBeGreaterThan(5);
    expect(max(pco2)).toBeLessThan(150);
    const osmolality = last(column(result, "osmolality"));
    expect(osmolality).toBeGreaterThan(300);
    expect(osmolality).toBeLessThan(545);
  });
});

test("without DO and pH control the culture leaves its setpoints", async () => {
  const result = await run(readJson("scenarios/cho-fed-batch-no-control.json"));
  expect(result.metadata.status).not.toBe("failed");
  expect(min(between(result, "do_saturation", 120, 336))).toBeLessThan(15);
  expect(max(column(result, "ph"))).toBeGreaterThan(7.3);
  expect(max(column(result, "base_added"))).toBe(0);
  expect(max(column(result, "agitation"))).toBe(150);
});

test("the temperature shift slows growth and raises specific productivity", async () => {
  const shifted = await run(fedBatch);
  const flat = clone(fedBatch);
  flat.control.temperature.schedule = [];
  const unshifted = await run(flat);
  // Three days after the shift.
  expect(at(shifted, "growth_rate", 192)).toBeLessThan(at(unshifted, "growth_rate", 192));
  expect(at(shifted, "qp", 192) / at(unshifted, "qp", 192)).toBeGreaterThan(1.5);
});

const scenarioFiles = readdirSync(new URL("../scenarios/", import.meta.url)).filter((f) => f.endsWith(".json"));

describe.each(scenarioFiles)("%s", (file) => {
  const tight = clone(readJson(`scenarios/${file}`) as Record<string, any>);
  tight.simulation = { ...tight.simulation, relTol: 1e-9, absTol: 1e-11 };

  test("every balance closes to 1e-6", async () => {
    const result = await run(tight);
    expect(result.balances.length).toBeGreaterThan(0);
    for (const balance of result.balances) {
      expect(Math.abs(balance.relativeClosureError), `${balance.quantity}: ${JSON.stringify(balance)}`).toBeLessThanOrEqual(1e-6);
    }
  });

  test("no concentration is ever negative and nothing is NaN", async () => {
    const result = await run(readJson(`scenarios/${file}`));
    for (const c of result.columns) {
      for (const v of c.values) expect(Number.isFinite(v), c.name).toBe(true);
    }
    const nonNegative = ["viable_cells", "dead_cells", "glucose", "glutamine", "lactate", "ammonium", "antibody", "dissolved_o2", "biomass", "substrate", "product", "volume"];
    for (const c of result.columns.filter((c) => nonNegative.includes(c.name))) {
      expect(min(c.values), c.name).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("with its terms off the CHO model reduces to the verified textbook cases", () => {
  // Monod on glucose only: glutamine saturating (Kgln tiny), no maintenance, death,
  // inhibition, temperature, osmolality or oxygen effects. Yield 0.5 (1e6 cells/mL)/mM
  // = 0.5e9 cells/mmol, as the reference case (tests/reference/verification.json).
  const monodCells = {
    model: "cho",
    parameters: {
      muMaxPerH: 0.5,
      kGlucoseMM: 0.2,
      kGlutamineMM: 1e-12,
      yieldCellsPerGlucoseCellsPerMmol: 0.5e9,
      yieldCellsPerGlutamineCellsPerMmol: 1e12,
    },
    terms: {
      maintenance: false,
      byproductInhibition: false,
      byproductDeath: false,
      starvationDeath: false,
      lysis: false,
      lactateSwitch: false,
      glutamineDecay: false,
      ammoniaUptake: false,
      temperatureEffects: false,
      osmolalityEffects: false,
      oxygenLimitation: false,
    },
  };
  const base = {
    format: "biotwin-scenario",
    version: 1,
    metadata: { title: "CHO as Monod" },
    cells: monodCells,
    simulation: { outputIntervalH: 0.5, relTol: 1e-10, absTol: 1e-12 },
  };

  test("batch: the integrated Monod equation", async () => {
    const result = await run({
      ...base,
      initial: { volumeL: 1, viableCellsE6PerMl: 0.1, glucoseMM: 10, glutamineMM: 10 },
      process: { mode: "batch", durationH: 5 },
    });
    expect(relErr(at(result, "viable_cells", 5), 1.1557814487985227)).toBeLessThanOrEqual(1e-6);
    expect(relErr(at(result, "glucose", 5), 7.888437102402955)).toBeLessThanOrEqual(1e-6);
  });

  test("chemostat: S* = Ks D/(mu_max - D), X* = Y (S_in - S*)", async () => {
    const result = await run({
      ...base,
      initial: { volumeL: 1, viableCellsE6PerMl: 1, glucoseMM: 10, glutamineMM: 10 },
      process: {
        mode: "continuous",
        durationH: 400,
        media: { fresh: { glucoseMM: 10, glutamineMM: 10, sodiumMM: 120, chlorideMM: 96 } },
        continuous: { medium: "fresh", dilutionRatePerH: 0.25 },
      },
      simulation: { ...base.simulation, outputIntervalH: 10 },
    });
    expect(relErr(at(result, "glucose", 400), 0.2)).toBeLessThanOrEqual(1e-6);
    expect(relErr(at(result, "viable_cells", 400), 4.9)).toBeLessThanOrEqual(1e-6);
  });
});

describe("operations", () => {
  test("the harvest rule stops the run where viability crosses the threshold", async () => {
    const doc = clone(fedBatch);
    doc.process.harvest = { viabilityBelowPercent: 95 };
    const result = await run(doc);
    expect(result.metadata.status).toBe("harvested");
    expect(result.metadata.message).toMatch(/harvested at [\d.]+ h/);
    expect(result.metadata.endTimeH).toBeLessThan(336);
    const viability = column(result, "viability");
    expect(Math.abs(last(viability) - 95)).toBeLessThan(1e-6);
    expect(last(column(result, "time"))).toBe(result.metadata.endTimeH);
  });

  test("rows before a mid-step harvest come from the full step, identical to a run without the rule", async () => {
    const fine = clone(fedBatch);
    fine.simulation.outputIntervalH = 0.01;
    fine.process.durationH = 260;
    delete fine.process.harvest;
    const free = await run(fine);
    const harvested = clone(fine);
    harvested.process.harvest = { viabilityBelowPercent: 92 };
    const stopped = await run(harvested);
    expect(stopped.metadata.status).toBe("harvested");
    const rows = column(stopped, "time").length - 1; // the last row is the harvest itself
    expect(rows).toBeGreaterThan(100);
    for (const name of ["viable_cells", "glucose", "titer", "ph"]) {
      expect(Array.from(column(stopped, name).slice(0, rows)), name).toEqual(Array.from(column(free, name).slice(0, rows)));
    }
  });

  test("a harvest threshold the culture is already below stops the run at once", async () => {
    const doc = clone(fedBatch);
    doc.initial.deadCellsE6PerMl = 0.5; // 50 % viable
    doc.process.harvest = { viabilityBelowPercent: 60 };
    const result = await run(doc);
    expect(result.metadata.status).toBe("harvested");
    expect(result.metadata.endTimeH).toBe(0);
  });

  test("samples remove culture: 3 mL a day", async () => {
    const result = await run(fedBatch);
    const removed = column(result, "volume_removed");
    expect(at(result, "volume_removed", 24)).toBeCloseTo(0.003, 12);
    expect(last(removed)).toBeCloseTo(0.003 * 14, 12);
  });

  test("feed on demand tops glucose up to its target when a check finds it low", async () => {
    const result = await run(fedBatch);
    const checks = [72, 96, 120, 144, 168, 192, 216, 240, 264, 288, 312, 336];
    const topped = checks.filter((t) => Math.abs(at(result, "glucose", t) - 45) < 1e-9);
    expect(topped.length).toBeGreaterThan(0);
    for (const t of checks) expect(at(result, "glucose", t)).toBeGreaterThanOrEqual(30 - 1e-9);
  });

  test("perfusion holds the level and concentrates the cells beyond a batch", async () => {
    const perfusion = await run(readJson("scenarios/cho-perfusion.json"));
    const batch = await run(readJson("scenarios/cho-batch.json"));
    const volume = column(perfusion, "volume");
    expect(max(volume) - min(volume)).toBeLessThan(1e-9);
    expect(max(column(perfusion, "viable_cells"))).toBeGreaterThan(2 * max(column(batch, "viable_cells")));
    expect(last(column(perfusion, "antibody_removed"))).toBeGreaterThan(0);
  });

  test("a medium that cannot exist is reported against its field", async () => {
    const doc = clone(fedBatch);
    doc.initial.sodiumMM = 5;
    await expect(run(doc)).rejects.toThrow(/initial\.sodiumMM: too low for the initial pH/);
  });

  test("a run that cannot continue ends with a clear status, never NaN", async () => {
    const doc = clone(fedBatch);
    doc.simulation.maxSteps = 30;
    const result = await run(doc);
    expect(result.metadata.status).toBe("failed");
    expect(result.metadata.message).toMatch(/the run stopped at [\d.]+ h of 336 h: the solver took more steps/);
    for (const c of result.columns) for (const v of c.values) expect(Number.isFinite(v)).toBe(true);
  });
});

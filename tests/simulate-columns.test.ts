// simulate(core, scenario, { columns }): a run that builds only the named columns (what
// studies read) gives those columns, the balances, warnings and metadata of the full run.
import { beforeAll, describe, expect, test } from "vitest";
import { loadCore, type Core } from "../engine/core-bridge";
import { scenarioHash, simulate, type SimulationResult } from "../engine/simulate";
import { readJson, validScenario } from "./helpers";

let core: Core;
beforeAll(async () => {
  core = await loadCore();
});

const names = (result: SimulationResult) => result.columns.map((c) => c.name);

describe("simulate with a list of columns", () => {
  test("builds time and the named columns, in the model's order, with the full run's values", () => {
    const scenario = validScenario(readJson("scenarios/cho-fed-batch.json"));
    const full = simulate(core, scenario);
    const some = simulate(core, scenario, { columns: ["titer", "viable_cells", "ph", "no_such_column"] });
    expect(names(some)).toEqual(["time", "viable_cells", "titer", "ph"]);
    for (const c of some.columns) {
      const reference = full.columns.find((f) => f.name === c.name)!;
      expect(c.unit).toBe(reference.unit);
      expect(Array.from(c.values)).toEqual(Array.from(reference.values));
    }
    expect(some.balances).toEqual(full.balances);
    expect(some.metadata).toEqual(full.metadata);
    expect(some.metadata.scenarioHash).toBe(scenarioHash(scenario));
  });

  test("columns that need no rates (rows without the pH solve) have the full run's values and statistics", () => {
    const scenario = validScenario(readJson("scenarios/cho-fed-batch.json"));
    const full = simulate(core, scenario);
    const cheap = simulate(core, scenario, { columns: ["titer", "viable_cells", "viability", "glutamine", "feed_rate", "do_saturation"] });
    for (const c of cheap.columns) expect(Array.from(c.values), c.name).toEqual(Array.from(full.columns.find((f) => f.name === c.name)!.values));
    expect(cheap.metadata).toEqual(full.metadata);
    expect(cheap.balances).toEqual(full.balances);
  });

  test("the output grid does not change the solution: the same steps, and the same values at common times", () => {
    const doc = readJson("scenarios/cho-fed-batch.json") as { simulation: Record<string, unknown> };
    const hourly = simulate(core, validScenario(doc));
    const fine = simulate(core, validScenario({ ...doc, simulation: { ...doc.simulation, outputIntervalH: 0.25 } }));
    expect(fine.metadata.stats).toEqual(hourly.metadata.stats);
    for (const c of hourly.columns) {
      const other = fine.columns.find((f) => f.name === c.name)!.values;
      expect(Array.from(c.values), c.name).toEqual(Array.from(c.values, (_, i) => other[4 * i]));
    }
  });

  test("an empty list gives time alone; no list gives every column", () => {
    const scenario = validScenario(readJson("scenarios/cho-batch.json"));
    expect(names(simulate(core, scenario, { columns: [] }))).toEqual(["time"]);
    const full = simulate(core, scenario);
    expect(full.columns.length).toBeGreaterThan(50);
  });

  test("derived vessel columns are built when named, from core columns that are not", () => {
    const scenario = validScenario(readJson("scenarios/cho-fed-batch-2000l.json"));
    const full = simulate(core, scenario);
    expect(names(full)).toContain("tip_speed");
    const some = simulate(core, scenario, { columns: ["tip_speed"] });
    expect(names(some)).toEqual(["time", "tip_speed"]);
    expect(Array.from(some.columns[1].values)).toEqual(Array.from(full.columns.find((c) => c.name === "tip_speed")!.values));
    expect(some.metadata.warnings).toEqual(full.metadata.warnings);
  });

  test("the volume warning does not depend on the columns built", () => {
    const doc = readJson("scenarios/cho-fed-batch.json") as { reactor: Record<string, unknown> };
    const scenario = validScenario({ ...doc, reactor: { ...doc.reactor, maxVolumeL: 1.6 } });
    const warnings = simulate(core, scenario, { columns: ["titer"] }).metadata.warnings;
    expect(warnings.some((w) => w.includes("above the vessel's 1.6 L"))).toBe(true);
    expect(warnings).toEqual(simulate(core, scenario).metadata.warnings);
  });
});

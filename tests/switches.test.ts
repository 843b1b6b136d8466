// The kinks of the CHO control loops as located switch crossings (docs/model.md §1.1):
// the integrator locks each loop's piece inside a step and ends the step where a piece
// ends, so outputs never show a piece extended past its end, and the run is as accurate
// as the tolerance asks.
import { beforeAll, describe, expect, test } from "vitest";
import { loadCore, type Core } from "../engine/core-bridge";
import type { ChoScenario, Scenario } from "../engine/scenario";
import { simulate, type SimulationResult } from "../engine/simulate";
import { readJson, validScenario } from "./helpers";

let core: Core;
beforeAll(async () => {
  core = await loadCore();
});

const fedBatchDoc = () => readJson("scenarios/cho-fed-batch.json") as { simulation: Record<string, unknown> };
const values = (r: SimulationResult, name: string) => r.columns.find((c) => c.name === name)!.values;

function withTolerance(relTol: number, absTol: number): Scenario {
  const doc = fedBatchDoc();
  return validScenario({ ...doc, simulation: { ...doc.simulation, relTol, absTol } });
}

describe("switches of the CHO control loops", () => {
  test("the fed-batch crosses loop kinks, and every output stays inside its actuator's range", () => {
    const scenario = validScenario(fedBatchDoc());
    const result = simulate(core, scenario);
    expect(result.metadata.status).toBe("ok");
    expect(result.metadata.stats.switches).toBeGreaterThan(10);
    const c = (scenario as ChoScenario).control;
    const slack = 1e-9;
    const within = (name: string, lo: number, hi: number) => {
      for (const v of values(result, name)) {
        expect(v, name).toBeGreaterThanOrEqual(lo - slack * Math.max(1, Math.abs(lo)));
        expect(v, name).toBeLessThanOrEqual(hi + slack * Math.max(1, Math.abs(hi)));
      }
    };
    const d = c.dissolvedOxygen;
    within("agitation", d.agitationMinRpm, d.agitationMaxRpm);
    within("gas_flow", d.gasFlowMinLPerMin, d.gasFlowMaxLPerMin);
    within("o2_fraction", 20.95, 100 * d.oxygenFractionMax);
    within("base_rate", 0, Infinity);
    within("co2_fraction", 0, Infinity);
  });

  test("at relTol 1e-5 the run stays within 1e-3 of each column's scale of a run at relTol 1e-9", () => {
    const loose = simulate(core, withTolerance(1e-5, 1e-6));
    const tight = simulate(core, withTolerance(1e-9, 1e-10));
    for (const name of ["viable_cells", "titer", "glucose", "lactate", "ammonium", "inorganic_carbon", "ph", "do_saturation", "volume"]) {
      const a = values(loose, name);
      const b = values(tight, name);
      expect(a.length).toBe(b.length);
      const scale = Math.max(...Array.from(b, Math.abs));
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
      expect(worst, name).toBeLessThan(1e-3);
    }
  });
});

// The zone model (docs/model.md §11): one zone is the well-mixed tank; very fast
// exchange makes any number of zones behave as one; realistic exchange in a 90 m³
// steel tank gives gradients while every balance still closes; the column-grouped
// finite-difference Jacobian equals the plain one; the zone table is consistent.
import { beforeAll, describe, expect, test } from "vitest";
import * as L from "../assembly/layout";
import { loadCore, type Core } from "../engine/core-bridge";
import { zoneLayout } from "../engine/models/cho-zones";
import type { ChoScenario } from "../engine/scenario";
import { parseScenario } from "../engine/scenario";
import { setUpRun, simulate, type SimulationResult } from "../engine/simulate";
import { impellerHeightsM, liquidHeightM } from "../engine/vessel/geometry";
import { resolveVessel } from "../engine/vessel/resolve";
import { planScaleUp, withExplicitVessel } from "../engine/vessel/scaleup-plan";
import { readJson, validScenario } from "./helpers";

type Doc = Record<string, any>;
const col = (r: SimulationResult, name: string) => {
  const c = r.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.values;
};

/** The 2 L fed-batch in the bench vessel (kLa from the vessel), with zones if given. */
function benchDoc(zones?: Doc, relTol?: number): Doc {
  const d = structuredClone(readJson("scenarios/cho-fed-batch.json")) as Doc;
  d.reactor.vessel = { preset: "bench-2l" };
  if (zones) d.reactor.zones = zones;
  if (relTol) d.simulation = { ...(d.simulation ?? {}), relTol, absTol: relTol * 1e-3 };
  return d;
}

const MAIN_COLUMNS = ["viable_cells", "glucose", "lactate", "titer", "volume", "do_saturation", "ph", "pco2", "osmolality", "agitation", "o2_fraction"];

/**
 * Largest relative difference of `name` between two runs over their common rows, leaving
 * out the rows at bolus times from day 1 on (daily at whole days): there the zone model
 * shows a bolus still in the top zones, the well-mixed model has it mixed at once.
 */
function worstDifference(a: SimulationResult, b: SimulationResult, name: string): number {
  const t = col(a, "time");
  const x = col(a, name);
  const y = col(b, name);
  let worst = 0;
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (t[i] >= 24 && Math.abs(t[i] / 24 - Math.round(t[i] / 24)) < 1e-9) continue;
    worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(Math.abs(x[i]), 1e-6));
  }
  return worst;
}

let core: Core;
let steel90: Doc;
beforeAll(async () => {
  core = await loadCore();
  // The bench fed-batch scaled to the 90 m³ steel tank at constant P/V (biotwin scaleup).
  const src = readJson("scenarios/cho-fed-batch.json") as Doc;
  const scenario = validScenario(src) as ChoScenario;
  const sourceRun = simulate(core, validScenario(withExplicitVessel(src, scenario)));
  steel90 = planScaleUp(src, scenario, sourceRun, "steel-90m3", "pv").targetDoc;
});

describe("zones: the scenario", () => {
  test("zones need a vessel and a probe inside the tank", () => {
    const noVessel = structuredClone(readJson("scenarios/cho-fed-batch.json")) as Doc;
    noVessel.reactor.zones = { count: 4 };
    const r1 = parseScenario(noVessel);
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.problems.map((p) => p.path)).toContain("reactor.zones");
    const r2 = parseScenario(benchDoc({ count: 4, probeZone: 4 }));
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.problems.map((p) => p.path)).toContain("reactor.zones.probeZone");
    expect(parseScenario(benchDoc({ count: 65 })).ok).toBe(false);
  });

  test("the zone table: fractions and kLa shares sum to 1, the transfer-weighted pressure is the well-mixed one, exchange from the impellers", () => {
    const d = structuredClone(steel90);
    d.reactor.zones = { count: 50 };
    const layout = zoneLayout(validScenario(d) as ChoScenario);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(layout.fractions)).toBeCloseTo(1, 12);
    expect(sum(layout.kLaShares)).toBeCloseTo(1, 12);
    expect(sum(layout.pressuresAtm.map((p, z) => p * layout.kLaShares[z]))).toBeCloseTo(layout.meanPressureAtm, 12);
    // Deeper zones sit at higher pressure, by ρ g Δdepth.
    expect(layout.depthsM[49]).toBeGreaterThan(5);
    expect(layout.pressuresAtm[49] - layout.pressuresAtm[0]).toBeCloseTo((1000 * 9.81 * (layout.depthsM[49] - layout.depthsM[0])) / 101_325, 12);
    expect(layout.exchangeLPerHPerRpm).toHaveLength(49);
    // Rushton turbines, Nq 0.72, D 0.936 m: (Φ + Φ)/4 per boundary, × the zones per submerged
    // impeller (3 of the 4 at the initial 54 m³).
    const vessel = resolveVessel(validScenario(d));
    const h0 = liquidHeightM(vessel, d.initial.volumeL);
    const submerged = impellerHeightsM(vessel).filter((h) => h < h0).length;
    expect(submerged).toBe(3);
    const phiPerRpm = (0.72 * 0.936 ** 3 * 1000 * 3600) / 60;
    expect(layout.exchangeLPerHPerRpm[10]).toBeCloseTo((phiPerRpm / 2) * (50 / submerged), 6);
    expect(layout.probeZone).toBeGreaterThan(35);
  });
});

describe("zones: the well-mixed limit", () => {
  test("one zone reproduces the well-mixed run (gas residence near zero: the quasi-steady gas of the well-mixed model)", () => {
    const wm = simulate(core, validScenario(benchDoc(undefined, 1e-8)));
    const one = simulate(core, validScenario(benchDoc({ count: 1, gasResidenceS: 1e-3 }, 1e-8)));
    expect(one.metadata.status).toBe("ok");
    for (const name of MAIN_COLUMNS) expect(worstDifference(wm, one, name), name).toBeLessThan(2e-5);
  });

  test("one zone with the default gas residence stays within 1e-3", () => {
    const wm = simulate(core, validScenario(benchDoc()));
    const one = simulate(core, validScenario(benchDoc({ count: 1 })));
    for (const name of MAIN_COLUMNS) expect(worstDifference(wm, one, name), name).toBeLessThan(1e-3);
  });

  for (const count of [10, 50]) {
    test(`${count} zones with exchange × 1e3 equal the well-mixed run within 1e-3 (90 m³)`, () => {
      const wm = simulate(core, validScenario(steel90));
      const d = structuredClone(steel90);
      d.reactor.zones = { count, exchangeFactor: 1000 };
      const zoned = simulate(core, validScenario(d));
      expect(zoned.metadata.status).toBe("ok");
      for (const name of MAIN_COLUMNS) expect(worstDifference(wm, zoned, name), name).toBeLessThan(1e-3);
      // ... and the zones agree with each other.
      const last = col(zoned, "time").length - 2;
      expect(Math.abs(col(zoned, "zone_0_do_saturation")[last] - col(zoned, `zone_${count - 1}_do_saturation`)[last])).toBeLessThan(0.05);
    });
  }
});

describe("zones: a 90 m³ tank with realistic exchange", () => {
  let run: SimulationResult;
  beforeAll(() => {
    const d = structuredClone(steel90);
    d.reactor.zones = { count: 50 };
    run = simulate(core, validScenario(d));
  });

  test("runs to the end; DO is lower far from the sparger, pCO2 higher deep down (hydrostatic pressure)", () => {
    expect(run.metadata.status).toBe("ok");
    const t = col(run, "time");
    const i = t.findIndex((x) => x >= 200.5);
    const doTop = col(run, "zone_0_do_saturation")[i];
    const doBottom = col(run, "zone_49_do_saturation")[i];
    expect(doBottom - doTop).toBeGreaterThan(2);
    expect(col(run, "zone_49_pco2")[i]).toBeGreaterThan(col(run, "zone_0_pco2")[i] * 1.05);
    // The DO loop holds the probe zone, not the mean, at its setpoint.
    const probe = zoneLayout(validScenario({ ...structuredClone(steel90), reactor: { ...steel90.reactor, zones: { count: 50 } } }) as ChoScenario).probeZone;
    expect(Math.abs(col(run, `zone_${probe}_do_saturation`)[i] - 40)).toBeLessThan(1.5);
  });

  test("a bolus lands in the top zone: glucose there is higher right after it", () => {
    const t = col(run, "time");
    const i = t.findIndex((x) => Math.abs(x - 96) < 1e-9);
    expect(col(run, "zone_0_glucose")[i]).toBeGreaterThan(col(run, "zone_49_glucose")[i] + 1);
    // ... and is mixed an hour later.
    expect(Math.abs(col(run, "zone_0_glucose")[i + 1] - col(run, "zone_49_glucose")[i + 1])).toBeLessThan(0.05);
  });

  test("every balance closes within 1e-6", () => {
    expect(run.balances).toHaveLength(7);
    for (const b of run.balances) expect(Math.abs(b.relativeClosureError), b.quantity).toBeLessThan(1e-6);
  });

  test("the well-mixed columns are the volume-weighted means of the zones", () => {
    const d = structuredClone(steel90);
    d.reactor.zones = { count: 50 };
    const layout = zoneLayout(validScenario(d) as ChoScenario);
    const i = 123;
    for (const name of ["glucose", "dissolved_o2", "viable_cells"]) {
      const mean = layout.fractions.reduce((s, f, z) => s + f * col(run, `zone_${z}_${name}`)[i], 0);
      expect(col(run, name)[i]).toBeCloseTo(mean, 10);
    }
  });
});

describe("zones: the Jacobian by column groups", () => {
  test("equals the plain finite-difference Jacobian, with far fewer right-hand sides", () => {
    const d = structuredClone(steel90);
    d.reactor.zones = { count: 12 };
    d.process.durationH = 120;
    const scenario = validScenario(d);
    setUpRun(core, scenario);
    expect(core.advanceTo(100)).toBe(L.STATUS_OK);
    const groups = core.jacobianGroups;
    const grouped = core.differenceJacobian(true)!;
    const plain = core.differenceJacobian(false)!;
    const nd = 12 * L.CZ_LOCAL + L.CZ_GLOBALS;
    expect(grouped.columns).toBe(nd);
    expect(groups).toBeGreaterThan(0);
    expect(groups).toBeLessThan(nd / 3);
    const rows = core.stateCount;
    // Scale of each row: its largest entry (the rows mix units). Both are forward differences with
    // steps of about sqrt(ε)|y|, so they agree to a few 1e-6 of the scale; a wrong grouping would mix
    // columns and be off by the size of an entry.
    for (let i = 0; i < rows; i++) {
      let scale = 0;
      for (let j = 0; j < nd; j++) scale = Math.max(scale, Math.abs(plain.values[i * nd + j]));
      for (let j = 0; j < nd; j++) {
        const a = grouped.values[i * nd + j];
        const b = plain.values[i * nd + j];
        expect(Math.abs(a - b), `row ${i} column ${j}`).toBeLessThanOrEqual(1e-5 * scale + 1e-12);
      }
    }
  });
});

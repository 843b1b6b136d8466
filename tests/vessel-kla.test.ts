// kLa from the vessel in the core (docs/model.md §10.3): a CHO run in a vessel reports
// the kLa that the engine's vessel physics gives at the same agitation, gas flow and
// volume (one implementation, assembly/vessel.ts, used by both); and the run behaves
// as the correlation says (less kLa in a non-coalescing fit at this P/V, so more O2
// enrichment to hold the same DO).
import { describe, expect, test } from "vitest";
import { loadCore } from "../engine/core-bridge";
import { LiveRun } from "../engine/live-run";
import { simulate, type SimulationResult } from "../engine/simulate";
import { liquidHeightM } from "../engine/vessel/geometry";
import { CULTURE_MEDIUM, vesselState } from "../engine/vessel/physics";
import { resolveVessel } from "../engine/vessel/resolve";
import type { ChoScenario } from "../engine/scenario";
import { readJson, validScenario } from "./helpers";

const choScenario = (doc: unknown) => validScenario(doc) as ChoScenario;

type Doc = Record<string, any>;

function inVessel(kLaCorrelation?: string): Doc {
  const doc = structuredClone(readJson("scenarios/cho-fed-batch.json")) as Doc;
  doc.reactor.vessel = { preset: "bench-2l", ...(kLaCorrelation ? { kLaCorrelation } : {}) };
  return doc;
}

const col = (r: SimulationResult, name: string) => r.columns.find((c) => c.name === name)!.values;

describe("kLa from the vessel", () => {
  test("the core's kLa is the engine's van't Riet kLa at the same operating point, plus surface aeration", async () => {
    const scenario = choScenario(inVessel());
    const result = simulate(await loadCore(), scenario);
    expect(result.metadata.status).not.toBe("failed");
    const vessel = resolveVessel(scenario);
    const surface = scenario.reactor.surfaceKLaPerH;
    const fluid = { ...CULTURE_MEDIUM, headPressurePa: 101_325 };
    const [kla, n, q, v] = ["kla_o2", "agitation", "gas_flow", "volume"].map((name) => col(result, name));
    for (const i of [0, 24, 100, 200, 336]) {
      // Impellers count as submerged at the initial volume, as in the core.
      const state = vesselState(vessel, v[i], n[i], q[i], fluid);
      const atStart = vesselState(vessel, scenario.initial.volumeL, n[i], q[i], fluid);
      expect(state.submergedImpellers).toBe(atStart.submergedImpellers);
      expect(kla[i]).toBeCloseTo(state.kLaO2PerH + surface, 9);
    }
    expect(liquidHeightM(vessel, scenario.initial.volumeL)).toBeGreaterThan(vessel.impeller.bottomClearanceM);
  });

  test("holding DO at 40 % with the non-coalescing fit takes more O2 enrichment when its kLa is lower", async () => {
    const coalescing = simulate(await loadCore(), validScenario(inVessel("vant-riet-coalescing")));
    const non = simulate(await loadCore(), validScenario(inVessel("vant-riet-non-coalescing")));
    const meanAfterDay5 = (r: SimulationResult, name: string) => {
      const t = col(r, "time");
      const x = col(r, name);
      const idx = [...t.keys()].filter((i) => t[i] >= 120);
      return idx.reduce((s, i) => s + x[i], 0) / idx.length;
    };
    const klaC = meanAfterDay5(coalescing, "kla_o2");
    const klaN = meanAfterDay5(non, "kla_o2");
    expect(Math.sign(meanAfterDay5(non, "o2_fraction") - meanAfterDay5(coalescing, "o2_fraction"))).toBe(Math.sign(klaC - klaN));
    for (const r of [coalescing, non]) expect(Math.abs(meanAfterDay5(r, "do_saturation") - 40)).toBeLessThan(5);
  });

  test("without a vessel the reference power law applies, as before", async () => {
    const plain = simulate(await loadCore(), validScenario(readJson("scenarios/cho-fed-batch.json")));
    const scenario = choScenario(readJson("scenarios/cho-fed-batch.json"));
    const r = scenario.reactor;
    const [kla, n, q] = ["kla_o2", "agitation", "gas_flow"].map((name) => col(plain, name));
    for (const i of [10, 100, 300]) {
      const expected = r.kLaRefPerH * (n[i] / r.agitationRefRpm) ** r.kLaAgitationExponent * (q[i] / r.gasFlowRefLPerMin) ** r.kLaGasFlowExponent + r.surfaceKLaPerH;
      expect(kla[i]).toBeCloseTo(expected, 9);
    }
  });
});

describe("vessel columns of a run", () => {
  test("a run in a vessel carries P/V, tip speed, blend time ... computed from each row's agitation, gas flow and volume; live slices give the same", async () => {
    const scenario = choScenario(inVessel());
    const whole = simulate(await loadCore(), scenario);
    const vessel = resolveVessel(scenario);
    const [n, q, v, pv, tip, blend] = ["agitation", "gas_flow", "volume", "power_per_volume", "tip_speed", "blend_time"].map((name) => col(whole, name));
    for (const i of [0, 50, 200, 336]) {
      const s = vesselState(vessel, v[i], n[i], q[i]);
      expect(pv[i]).toBeCloseTo(s.powerPerVolumeWPerM3, 9);
      expect(tip[i]).toBeCloseTo(s.tipSpeedMPerS, 12);
      expect(blend[i]).toBeCloseTo(s.blendTime95S, 9);
    }
    expect(whole.columns.find((c) => c.name === "power_per_volume")!.unit).toBe("W/m³");
    const live = new LiveRun(await loadCore(), scenario);
    const width = live.columns.length;
    expect(live.columns.map((c) => c.name)).toEqual(whole.columns.map((c) => c.name));
    const rows = [live.advance(0).rows, live.advance(100).rows].reduce((a, b) => Float64Array.from([...a, ...b]));
    const j = live.columns.findIndex((c) => c.name === "tip_speed");
    for (let r = 0; r < rows.length / width; r++) expect(rows[r * width + j]).toBeCloseTo(tip[r], 6);
    // Without a vessel, no vessel columns.
    const plain = simulate(await loadCore(), validScenario(readJson("scenarios/cho-fed-batch.json")));
    expect(plain.columns.some((c) => c.name === "tip_speed")).toBe(false);
  });
});

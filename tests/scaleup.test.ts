// Scale-up criteria (engine/vessel/scaleup.ts): each keeps its quantity constant,
// the textbook consequences of scaling up follow (constant P/V raises tip speed and
// blend time; constant tip speed lowers P/V and kLa), and the warnings fire where
// physics pushes back.
import { describe, expect, test } from "vitest";
import type { VesselGeometry } from "../engine/vessel/geometry";
import { SCALE_UP_CRITERIA, scaleUp, type CultureDemand } from "../engine/vessel/scaleup";

const bench: VesselGeometry = {
  diameterM: 0.13,
  heightM: 0.26,
  bottom: "dished",
  impeller: { type: "pitched-blade", diameterM: 0.053, count: 1, bottomClearanceM: 0.045, spacingM: 0, blades: 4 },
  baffles: 4,
  baffleWidthM: 0.013,
  sparger: { type: "ring", diameterM: 0.04, heightM: 0.02 },
  material: "glass",
};

const tank2000: VesselGeometry = {
  diameterM: 1.25,
  heightM: 2.5,
  bottom: "dished",
  impeller: { type: "pitched-blade", diameterM: 0.5, count: 2, bottomClearanceM: 0.35, spacingM: 0.8, blades: 4 },
  baffles: 0,
  baffleWidthM: 0,
  sparger: { type: "ring", diameterM: 0.3, heightM: 0.15 },
  material: "single-use",
};

const source = { vessel: bench, volumeL: 1.5, agitationRpm: 200, gasFlowLPerMin: 0.03 };
const target = { vessel: tank2000, volumeL: 1500 };

/** A CHO fed-batch at its peak: 16e6 cells/mL at 4e-10 mmol O2/cell/h (docs/model.md §4.6). */
const demand: CultureDemand = {
  peakOurMmolPerLPerH: 6.4,
  peakCerMmolPerLPerH: 6.4,
  doSetpointPercent: 40,
  maxO2Fraction: 1,
  o2SaturationAirMM: 0.21,
  co2SolubilityMMPerMmHg: 0.0307,
};

describe("scale-up", () => {
  test.each(SCALE_UP_CRITERIA)("criterion %s keeps its quantity constant from 2 L to 2,000 L", (criterion) => {
    const r = scaleUp(source, target, criterion);
    const pick: Record<typeof criterion, (s: typeof r.source) => number> = {
      pv: (s) => s.powerPerVolumeWPerM3,
      tip: (s) => s.tipSpeedMPerS,
      kla: (s) => s.kLaO2PerH,
      blend: (s) => s.blendTime95S,
      vvm: (s) => s.vvm,
      vs: (s) => s.superficialGasVelocityMPerS,
    };
    expect(pick[criterion](r.target) / pick[criterion](r.source)).toBeCloseTo(1, 6);
    if (criterion === "vvm" || criterion === "vs") expect(r.target.powerPerVolumeWPerM3 / r.source.powerPerVolumeWPerM3).toBeCloseTo(1, 6);
    else expect(r.target.vvm).toBeCloseTo(r.source.vvm, 9);
  });

  test("constant P/V raises tip speed and blend time; constant tip speed drops P/V and kLa (textbook scale-up)", () => {
    const pv = scaleUp(source, target, "pv");
    expect(pv.target.tipSpeedMPerS).toBeGreaterThan(pv.source.tipSpeedMPerS * 1.5);
    expect(pv.target.blendTime95S).toBeGreaterThan(pv.source.blendTime95S * 3);
    expect(pv.target.agitationRpm).toBeLessThan(pv.source.agitationRpm);
    const tip = scaleUp(source, target, "tip");
    expect(tip.target.powerPerVolumeWPerM3).toBeLessThan(tip.source.powerPerVolumeWPerM3);
    // At the same gas flow per volume, the tall tank's faster rising gas keeps kLa up as P/V falls.
    expect(tip.target.superficialGasVelocityMPerS).toBeGreaterThan(5 * tip.source.superficialGasVelocityMPerS);
  });

  test("warnings: kLa that cannot meet the peak demand, pCO2 that accumulates, tip speed and flooding", () => {
    const tip = scaleUp(source, target, "tip", { demand });
    const topics = tip.warnings.map((w) => w.topic);
    expect(tip.requiredKLaPerH).toBeCloseTo(6.4 / (0.21 * (1 / 0.21) * (tip.target.meanPressurePa / 101_325) - 0.084), 9);
    expect(topics).toContain("kla");
    // Constant gas velocity at scale means far less gas per litre of broth: the CO2 stays in.
    const vs = scaleUp(source, target, "vs", { demand });
    expect(vs.target.vvm).toBeLessThan(vs.source.vvm / 5);
    expect(vs.expectedPco2MmHg.target).toBeGreaterThan(2 * vs.expectedPco2MmHg.source);
    expect(vs.warnings.map((w) => w.topic)).toContain("pco2");
    // A bench run hard (600 rpm) carried to 2,000 L at its P/V: too much shear for animal cells.
    const fast = scaleUp({ ...source, agitationRpm: 600 }, target, "pv", { demand });
    expect(fast.warnings.map((w) => w.topic)).toEqual(expect.arrayContaining(["tip", "epsilon"]));
    // Ten times the bench gas rate through a slow impeller floods it.
    const flooded = scaleUp({ ...source, agitationRpm: 60, gasFlowLPerMin: 0.3 }, target, "vvm");
    expect(flooded.warnings.map((w) => w.topic)).toEqual(expect.arrayContaining(["flooding", "vvm"]));
    const calm = scaleUp(source, target, "pv", { demand: { ...demand, peakOurMmolPerLPerH: 1, peakCerMmolPerLPerH: 1 } });
    expect(calm.warnings).toEqual([]);
  });
});

// Vessel presets and the vessel of a scenario (engine/vessel/presets.ts, resolve.ts,
// the reactor.vessel rules in engine/scenario/rules.ts): every preset holds its working
// volume with literature proportions, the 90 m³ preset reproduces its documented fills,
// every built-in scenario gets a vessel that holds it, and bad vessels are reported.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { formatProblem, parseScenario, type Scenario } from "../engine/scenario";
import {
  impellerHeightsM,
  liquidHeightM,
  resolveVessel,
  VESSEL_PRESET_IDS,
  VESSEL_PRESETS,
  vesselVolumeL,
  volumeBelowL,
} from "../engine/vessel";
import { fedBatch, minimalBatch } from "./scenario/fixtures";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function parse(doc: unknown): Scenario {
  const result = parseScenario(doc);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.scenario;
}

function problemsOf(doc: unknown): string[] {
  const result = parseScenario(doc);
  return result.ok ? [] : result.problems.map(formatProblem);
}

/**
 * Ranges of the proportions in the literature, by kind of vessel: liquid height at the
 * working volume over T (H/T 1 for the Rushton et al. 1950 standard tank, about 2 for
 * single-use bioreactors per Löffelholz et al. 2013, 2.8 for the Nadal-Rey 90 m³
 * fermenter) and D/T (1/3 standard; "a third to half" for Rushton turbines; 0.27 in the
 * Nadal-Rey vessel).
 */
const RANGES = {
  glass: { liquidHeightPerT: [1, 2], impellerPerT: [0.25, 0.5] },
  "single-use": { liquidHeightPerT: [1.8, 2.2], impellerPerT: [0.25, 0.5] },
  steel: { liquidHeightPerT: [2, 3.5], impellerPerT: [0.25, 0.5] },
} as const;

describe("vessel presets", () => {
  test.each(VESSEL_PRESET_IDS)("%s holds its working volume, with its impellers and sparger inside", (id) => {
    const preset = VESSEL_PRESETS[id];
    expect(preset.id).toBe(id);
    expect(preset.sources.length).toBeGreaterThan(0);
    const liquidM = liquidHeightM(preset, preset.workingVolumeL);
    expect(liquidM).toBeLessThan(preset.heightM);
    // Some headspace: between 60 % and 90 % of the vessel is liquid at the working volume.
    expect(preset.workingVolumeL / vesselVolumeL(preset)).toBeGreaterThan(0.6);
    expect(preset.workingVolumeL / vesselVolumeL(preset)).toBeLessThan(0.9);
    const impellers = impellerHeightsM(preset);
    expect(impellers).toHaveLength(preset.impeller.count);
    expect(Math.max(...impellers)).toBeLessThan(liquidM);
    expect(preset.sparger.heightM).toBeLessThan(preset.impeller.bottomClearanceM);
    expect(preset.sparger.diameterM).toBeLessThan(preset.impeller.diameterM);
  });

  test.each(VESSEL_PRESET_IDS)("%s has the H/T and D/T that the literature gives for its kind", (id) => {
    const preset = VESSEL_PRESETS[id];
    const range = RANGES[preset.material];
    const liquidPerT = liquidHeightM(preset, preset.workingVolumeL) / preset.diameterM;
    const impellerPerT = preset.impeller.diameterM / preset.diameterM;
    expect(liquidPerT).toBeGreaterThanOrEqual(range.liquidHeightPerT[0]);
    expect(liquidPerT).toBeLessThanOrEqual(range.liquidHeightPerT[1]);
    expect(impellerPerT).toBeGreaterThanOrEqual(range.impellerPerT[0]);
    expect(impellerPerT).toBeLessThanOrEqual(range.impellerPerT[1]);
    if (preset.baffles > 0) expect(preset.baffleWidthM / preset.diameterM).toBeCloseTo(0.1, 2);
  });

  test("steel-90m3 is the Nadal-Rey (2020, Table 4.1) vessel", () => {
    const vessel = VESSEL_PRESETS["steel-90m3"];
    expect(vessel.diameterM).toBe(3.476);
    expect(vessel.impeller).toMatchObject({ type: "rushton", diameterM: 0.936, count: 4, spacingM: 2.32, bottomClearanceM: 1.271 });
  });

  test("steel-90m3 fills to its documented heights at 40, 60 and 90 m³ with one gas hold-up of a few percent", () => {
    // Documented (T 3.476 m): 40 / 60 / 90 m³ of broth at 4.78 / 7.07 / 10.464 m. Read as gassed heights, the
    // vessel volume below each height exceeds the broth by the gas hold-up, which must be plausible (5–9 %)
    // and the same at every fill within one percentage point.
    const vessel = VESSEL_PRESETS["steel-90m3"];
    const fills = [
      { volumeL: 40_000, heightM: 4.78 },
      { volumeL: 60_000, heightM: 7.07 },
      { volumeL: 90_000, heightM: 10.464 },
    ];
    const holdUps = fills.map(({ volumeL, heightM }) => 1 - volumeL / volumeBelowL(vessel, heightM));
    for (const holdUp of holdUps) {
      expect(holdUp).toBeGreaterThan(0.05);
      expect(holdUp).toBeLessThan(0.09);
    }
    expect(Math.max(...holdUps) - Math.min(...holdUps)).toBeLessThan(0.01);
    // Ungassed, 90 m³ stands within 7 % of the documented height.
    expect(liquidHeightM(vessel, 90_000) / 10.464).toBeGreaterThan(0.93);
    expect(liquidHeightM(vessel, 90_000)).toBeLessThan(10.464);
  });

  test("steel-12.5m3 is steel-90m3 scaled geometrically to 12.5 m³", () => {
    const small = VESSEL_PRESETS["steel-12.5m3"];
    const large = VESSEL_PRESETS["steel-90m3"];
    const factor = Math.cbrt(12.5 / 90);
    for (const [a, b] of [
      [small.diameterM, large.diameterM],
      [small.heightM, large.heightM],
      [small.impeller.diameterM, large.impeller.diameterM],
      [small.impeller.spacingM, large.impeller.spacingM],
      [small.impeller.bottomClearanceM, large.impeller.bottomClearanceM],
    ] as const) {
      expect(a / b).toBeCloseTo(factor, 2);
    }
    expect(vesselVolumeL(small) / vesselVolumeL(large)).toBeCloseTo(12.5 / 90, 2);
  });
});

describe("the vessel of a scenario", () => {
  const directory = join(root, "scenarios");
  const files = readdirSync(directory).filter((name) => name.endsWith(".json")).sort();

  test.each(files)("%s gets a vessel that holds its largest volume", (name) => {
    const doc = JSON.parse(readFileSync(join(directory, name), "utf8"));
    const scenario = parse(doc);
    const vessel = resolveVessel(scenario);
    const largestL = scenario.reactor.maxVolumeL ?? scenario.initial.volumeL;
    expect(liquidHeightM(vessel, largestL)).toBeLessThan(vessel.heightM);
    expect(vessel.impeller.diameterM).toBeLessThan(vessel.diameterM);
    expect(vessel.notes.length).toBeGreaterThan(0);
    expect(vessel.sources.length).toBeGreaterThan(0);
  });

  const withoutVessel = files.filter((name) => JSON.parse(readFileSync(join(directory, name), "utf8")).reactor?.vessel === undefined);

  test("the shipped scenarios written before vessels existed have none", () => {
    expect(withoutVessel.length).toBeGreaterThanOrEqual(9);
  });

  test.each(withoutVessel)("%s without reactor.vessel parses without a vessel key (its hash does not change)", (name) => {
    const doc = JSON.parse(readFileSync(join(directory, name), "utf8"));
    expect(Object.hasOwn(parse(doc).reactor, "vessel")).toBe(false);
  });

  test("without a preset, the 2 L bench reactor is scaled to reactor.maxVolumeL", () => {
    const vessel = resolveVessel(parse(fedBatch())); // maxVolumeL 2
    expect(vessel.presetId).toBeNull();
    expect(vessel.diameterM).toBeCloseTo(VESSEL_PRESETS["bench-2l"].diameterM, 12);
    const big = resolveVessel(parse({ ...fedBatch(), reactor: { maxVolumeL: 16 } }));
    expect(big.diameterM).toBeCloseTo(2 * VESSEL_PRESETS["bench-2l"].diameterM, 12);
    expect(big.impeller.diameterM).toBeCloseTo(2 * VESSEL_PRESETS["bench-2l"].impeller.diameterM, 12);
    expect(big.label).toBe("16 L glass bench reactor");
  });

  test("without maxVolumeL, the bench reactor is scaled to the initial volume at 75 % filling", () => {
    const doc = minimalBatch();
    doc.initial.volumeL = 12; // working volume 16 L: twice the bench reactor's lengths
    const vessel = resolveVessel(parse(doc));
    expect(vessel.diameterM).toBeCloseTo(2 * VESSEL_PRESETS["bench-2l"].diameterM, 12);
    expect(vessel.notes[0]).toContain("initial.volumeL, 12 L, at 75 % filling");
  });

  test("a preset with overrides: the given fields win, the rest come from the preset", () => {
    const doc = { ...fedBatch(), reactor: { maxVolumeL: 150 } } as Record<string, any>;
    doc.reactor.vessel = { preset: "sub-200l", baffles: 2, baffleWidthM: 0.05, impeller: { type: "rushton", count: 3 } };
    const scenario = parse(doc);
    const vessel = resolveVessel(scenario);
    const preset = VESSEL_PRESETS["sub-200l"];
    expect(vessel.presetId).toBe("sub-200l");
    expect(vessel).toMatchObject({ diameterM: preset.diameterM, heightM: preset.heightM, baffles: 2, baffleWidthM: 0.05 });
    expect(vessel.impeller).toEqual({ ...preset.impeller, type: "rushton", count: 3 });
    expect(vessel.sparger).toEqual(preset.sparger);
    expect(vessel.label).toBe("200 L single-use stirred bioreactor, modified");
    expect(vessel.notes).toContain("given in reactor.vessel: baffles, baffleWidthM, impeller.type, impeller.count");
    expect(vessel.sources).toBe(preset.sources);
    // The preset itself is not changed.
    expect(preset.impeller.count).toBe(2);
    // The parsed scenario keeps exactly what the file gave.
    expect(scenario.reactor.vessel).toEqual(doc.reactor.vessel);
  });
});

describe("reactor.vessel rules", () => {
  const withVessel = (vessel: unknown, maxVolumeL = 2): Record<string, any> => ({
    ...fedBatch(),
    reactor: { maxVolumeL, vessel },
  });

  test("a preset that holds the scenario is valid", () => {
    expect(problemsOf(withVessel({ preset: "bench-2l" }))).toEqual([]);
    expect(problemsOf(withVessel({ preset: "steel-90m3" }, 90_000))).toEqual([]);
  });

  test("an impeller wider than the vessel is reported at its path, in m", () => {
    expect(problemsOf(withVessel({ preset: "bench-2l", impeller: { diameterM: 0.2 } }))).toEqual([
      "reactor.vessel.impeller.diameterM: must be smaller than the vessel diameter, 0.122 m (got 0.2)",
    ]);
    // A vessel made narrower than the preset's impeller: the vessel diameter is at fault.
    expect(problemsOf(withVessel({ preset: "sub-2000l", diameterM: 0.3 }, 20))).toEqual([
      "reactor.vessel.diameterM: must be larger than the impeller diameter, 0.366 m (got 0.3)",
    ]);
  });

  test("a maxVolumeL larger than the vessel is reported at reactor.maxVolumeL, in L", () => {
    expect(problemsOf(withVessel({ preset: "bench-2l" }, 5))).toEqual([
      "reactor.maxVolumeL: must be at most the volume of reactor.vessel (2 L glass bench reactor), 2.921 L up to its height of 0.26 m (got 5)",
    ]);
    // Without maxVolumeL the initial volume must fit.
    const doc = withVessel({ preset: "bench-2l" });
    delete doc.reactor.maxVolumeL;
    doc.initial.volumeL = 3;
    expect(problemsOf(doc)).toEqual([
      "initial.volumeL: must be at most the volume of reactor.vessel (2 L glass bench reactor), 2.921 L up to its height of 0.26 m (got 3)",
    ]);
  });

  test("impellers and sparger above the top of the vessel are reported", () => {
    expect(problemsOf(withVessel({ preset: "bench-2l", impeller: { spacingM: 0.25 } }))).toEqual([
      "reactor.vessel.impeller.spacingM: puts the top impeller at 0.291 m (bottomClearanceM 0.041 m + 1 × spacingM 0.25 m), " +
        "not below the vessel height, 0.26 m",
    ]);
    expect(problemsOf(withVessel({ preset: "bench-2l", sparger: { heightM: 0.3 } }))).toEqual([
      "reactor.vessel.sparger.heightM: must be below the vessel height, 0.26 m (got 0.3)",
    ]);
    expect(problemsOf(withVessel({ preset: "steel-90m3", heightM: 8 }, 50_000))).toEqual([
      "reactor.vessel.heightM: must be above the top impeller, at 8.231 m (bottomClearanceM 1.271 m + 3 × spacingM 2.32 m) (got 8)",
    ]);
  });

  test("a field that fails its own check is reported once, and the rules use the preset's value", () => {
    expect(problemsOf(withVessel({ preset: "bench-2l", impeller: { diameterM: -1, count: 1.5 } }))).toEqual([
      "reactor.vessel.impeller.diameterM: must be greater than 0 m and at most 50 m (got -1)",
      "reactor.vessel.impeller.count: expected an integer, got 1.5",
    ]);
    expect(problemsOf(withVessel({ preset: "tank" }))).toEqual([
      expect.stringMatching(/^reactor\.vessel\.preset: expected one of "bench-2l", .*got "tank"/),
    ]);
  });

  test("the cho model takes the same vessel", () => {
    const doc = JSON.parse(readFileSync(join(root, "scenarios/cho-fed-batch.json"), "utf8"));
    doc.reactor.vessel = { preset: "sub-200l" };
    expect(problemsOf(doc)).toEqual([]);
    doc.reactor.maxVolumeL = 300;
    expect(problemsOf(doc)).toEqual([
      "reactor.maxVolumeL: must be at most the volume of reactor.vessel (200 L single-use stirred bioreactor), 241.4 L up to its height of 1.224 m (got 300)",
    ]);
    doc.reactor.maxVolumeL = 2.5;
    doc.reactor.vessel = { preset: "bench-2l", impeller: { diameterM: 0.5 } };
    expect(problemsOf(doc)).toEqual([
      "reactor.vessel.impeller.diameterM: must be smaller than the vessel diameter, 0.122 m (got 0.5)",
    ]);
  });
});

// biotwin scaleup as a user meets it: the JSON names the geometry and every figure
// with its unit in the key, the criterion holds between source and target, the
// scaled scenario runs, warnings appear where physics pushes back, and bad input
// gets a sentence and exit status 1 or 2.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { vesselState } from "../engine/vessel/physics";
import { presetGeometry } from "../engine/vessel/presets";

const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "cli/biotwin.mjs");
const tmp = mkdtempSync(join(tmpdir(), "biotwin-scaleup-"));

function biotwin(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("biotwin scaleup", () => {
  test("JSON: geometry and figures with units in the keys; P/V constant; the target recomputes from its own numbers", () => {
    const r = biotwin(["scaleup", "scenarios/cho-fed-batch.json", "--vessel", "sub-2000l", "--criterion", "pv", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.format).toBe("biotwin-scaleup");
    for (const side of [doc.source, doc.target]) {
      expect(Object.keys(side.vessel)).toEqual(
        expect.arrayContaining(["diameterM", "heightM", "impellerType", "impellerCount", "impellerDiameterM", "powerNumber", "workingVolumeL"]),
      );
      expect(Object.keys(side.derived)).toEqual(
        expect.arrayContaining(["powerPerVolumeWPerM3", "tipSpeedMPerS", "kLaO2PerH", "blendTime95S", "agitationRpm", "reynolds", "kolmogorovLengthUm", "superficialGasVelocityMPerS", "vvm"]),
      );
    }
    expect(doc.target.derived.powerPerVolumeWPerM3 / doc.source.derived.powerPerVolumeWPerM3).toBeCloseTo(1, 6);
    expect(doc.target.vessel.diameterM).toBe(presetGeometry("sub-2000l").diameterM);
    // Anyone can recompute the target's figures from the geometry and operating point it prints.
    const again = vesselState(presetGeometry("sub-2000l"), doc.target.derived.liquidVolumeL, doc.target.derived.agitationRpm, doc.target.derived.gasFlowLPerMin);
    expect(again.kLaO2PerH).toBeCloseTo(doc.target.derived.kLaO2PerH, 9);
    expect(again.tipSpeedMPerS).toBeCloseTo(doc.target.derived.tipSpeedMPerS, 12);
    expect(doc.volumeFactor).toBeCloseTo(2000 / 2.5, 9);
    expect(doc.targetDoc.reactor.vessel.preset).toBe("sub-2000l");
    expect(doc.targetDoc.initial.volumeL).toBeCloseTo(1.5 * 800, 9);
  });

  test("tip speed kept from 2 L to 2,000 L: same tip speed, less P/V; --run runs both and --scenario-out writes a valid scenario", () => {
    const out = join(tmp, "scaled.json");
    const r = biotwin(["scaleup", "scenarios/cho-fed-batch.json", "--vessel", "sub-2000l", "--criterion", "tip", "--format", "json", "--run", "--scenario-out", out]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.target.derived.tipSpeedMPerS).toBeCloseTo(doc.source.derived.tipSpeedMPerS, 9);
    expect(doc.target.derived.powerPerVolumeWPerM3).toBeLessThan(doc.source.derived.powerPerVolumeWPerM3);
    expect(doc.runs.source.status).not.toBe("failed");
    expect(doc.runs.target.status).not.toBe("failed");
    expect(doc.runs.target.peakViableCellsE6PerMl).toBeGreaterThan(5);
    const validate = biotwin(["validate", out]);
    expect(validate.code, validate.stderr).toBe(0);
  });

  test("--zones 10 --run: the target is split into 10 zones and its lowest DO across zones is finite and at most the well-mixed lowest DO", () => {
    const out = join(tmp, "zoned.json");
    const r = biotwin(["scaleup", "scenarios/cho-fed-batch.json", "--vessel", "sub-2000l", "--criterion", "pv", "--zones", "10", "--run", "--format", "json", "--scenario-out", out]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.targetDoc.reactor.zones).toEqual({ count: 10 });
    expect(doc.targetDoc.metadata.title).toContain("in 10 zones");
    expect(doc.runs.target.status).not.toBe("failed");
    const lowestZone = doc.runs.target.minZoneDoPercent;
    expect(Number.isFinite(lowestZone)).toBe(true);
    expect(lowestZone).toBeGreaterThan(0);
    // The well-mixed DO of a zoned run is the mean over the zones, never below the lowest zone.
    expect(lowestZone).toBeLessThanOrEqual(doc.runs.target.minDoPercent);
    // The well-mixed source has no zones: null in JSON.
    expect(doc.runs.source.minZoneDoPercent).toBeNull();
    expect(biotwin(["validate", out]).code).toBe(0);
    const text = biotwin(["scaleup", "scenarios/cho-fed-batch.json", "--vessel", "sub-2000l", "--criterion", "pv", "--zones", "10", "--run"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/run: lowest DO across zones \[% air sat\.\]\s+—\s+[\d.]+\n/);
    const bad = biotwin(["scaleup", "scenarios/cho-fed-batch.json", "--vessel", "sub-2000l", "--criterion", "pv", "--zones", "2.5"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--zones must be a whole number from 1 to 64, not "2.5"/);
  });

  test("the text report lists both vessels with units, and warns when the target is driven too hard", () => {
    const r = biotwin(["scaleup", "scenarios/cho-fed-batch.json", "--vessel", "sub-2000l", "--criterion", "pv"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/P\/V \(gassed\) \[W\/m³\]/);
    expect(r.stdout).toMatch(/tip speed \[m\/s\]/);
    expect(r.stdout).toMatch(/2000 L single-use/);
    expect(r.stdout).toMatch(/Warnings:\n\s+- tip speed [\d.]+ m\/s is above 1.5 m\/s/);
  });

  test("bad input: an unknown preset or criterion is a usage error (2); a microbial scenario is refused (1)", () => {
    const preset = biotwin(["scaleup", "scenarios/cho-fed-batch.json", "--vessel", "sub-3000l", "--criterion", "pv"]);
    expect(preset.code).toBe(2);
    expect(preset.stderr).toMatch(/--vessel must be one of bench-2l, .*steel-90m3, not "sub-3000l"/);
    const criterion = biotwin(["scaleup", "scenarios/cho-fed-batch.json", "--vessel", "sub-200l", "--criterion", "power"]);
    expect(criterion.code).toBe(2);
    expect(criterion.stderr).toMatch(/--criterion must be one of pv, tip, kla, blend, vvm, vs/);
    const microbial = biotwin(["scaleup", "scenarios/ecoli-fed-batch.json", "--vessel", "sub-200l", "--criterion", "pv"]);
    expect(microbial.code).toBe(1);
    expect(microbial.stderr).toMatch(/needs a CHO scenario/);
    for (const x of [preset, criterion, microbial]) expect(x.stderr).not.toMatch(/\n\s+at /);
  });
});

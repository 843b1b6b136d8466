// Studies (issue 7): the Sobol design and estimators on the Ishigami function, runs
// generated alone equal to runs of the whole design, Morris on a linear function, and
// the command line: shards merged and any worker count give the same bytes; a run that
// cannot be made is reported with its reason and the study completes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { morrisEffects, runCount, runPoint, sobolFromRuns, statistics } from "../engine/study/design";
import { parseStudy, type StudySpec } from "../engine/study/spec";
import { extractOutputs } from "../engine/study/outputs";
import type { SimulationResult } from "../engine/simulate";

function study(doc: unknown): StudySpec {
  const r = parseStudy(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.study;
}

const ishigami = ([x1, x2, x3]: number[]) => Math.sin(x1) + 7 * Math.sin(x2) ** 2 + 0.1 * x3 ** 4 * Math.sin(x1);

describe("Sobol design and estimators (Ishigami, a = 7, b = 0.1)", () => {
  const range = { min: -Math.PI, max: Math.PI };
  const s = study({
    seed: 42,
    kind: "sobol",
    parameters: ["x1", "x2", "x3"].map((path) => ({ path, ...range })),
    outputs: ["finalTiter"],
    baseSamples: 20_000,
    bootstrap: 200,
  }) as StudySpec & { kind: "sobol" };
  const y = Array.from({ length: runCount(s) }, (_, k) => ishigami(runPoint(s, k)));
  const r = sobolFromRuns(s, y);
  // Analytic values: V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2.
  const a = 7;
  const b = 0.1;
  const V = a ** 2 / 8 + (b * Math.PI ** 4) / 5 + (b ** 2 * Math.PI ** 8) / 18 + 0.5;
  const V1 = 0.5 * (1 + (b * Math.PI ** 4) / 5) ** 2;
  const V2 = a ** 2 / 8;
  const V13 = (8 * b ** 2 * Math.PI ** 8) / 225;
  const first = [V1 / V, V2 / V, 0];
  const total = [(V1 + V13) / V, V2 / V, V13 / V];

  test("N(d + 2) runs", () => {
    expect(runCount(s)).toBe(20_000 * 5);
  });
  test("first-order indices S1 ≈ 0.314, S2 ≈ 0.442, S3 ≈ 0", () => {
    expect(first[0]).toBeCloseTo(0.3139, 3);
    expect(first[1]).toBeCloseTo(0.4424, 3);
    r.first.forEach((si, i) => expect(Math.abs(si - first[i])).toBeLessThan(0.03));
  });
  test("the analytic indices lie in their 95 % bootstrap intervals", () => {
    expect(total[0]).toBeCloseTo(0.5576, 3);
    expect(total[2]).toBeCloseTo(0.2437, 3);
    r.firstCi.forEach(([lo, hi], i) => {
      expect(first[i]).toBeGreaterThanOrEqual(lo);
      expect(first[i]).toBeLessThanOrEqual(hi);
    });
    r.totalCi.forEach(([lo, hi], i) => {
      expect(total[i]).toBeGreaterThanOrEqual(lo);
      expect(total[i]).toBeLessThanOrEqual(hi);
    });
  });
  test("an offset in the output leaves the indices unchanged (f(B) is centred)", () => {
    const shifted = sobolFromRuns(s, y.map((v) => v + 1000));
    shifted.first.forEach((si, i) => expect(si).toBeCloseTo(r.first[i], 6));
    shifted.total.forEach((si, i) => expect(si).toBeCloseTo(r.total[i], 6));
  });
});

describe("runs by index", () => {
  const specs: StudySpec[] = [
    study({ seed: 3, kind: "monte-carlo", samples: 50, outputs: ["ivc"], parameters: [
      { path: "a", distribution: "normal", mean: 1, sd: 0.1 },
      { path: "b", distribution: "log-normal", meanLog: 0, sdLog: 0.5 },
      { path: "c", distribution: "uniform", min: 2, max: 3 },
      { path: "d", distribution: "triangular", min: 0, mode: 1, max: 4 },
    ] }),
    study({ seed: 5, kind: "morris", trajectories: 10, levels: 4, outputs: ["ivc"], parameters: [{ path: "a", min: 0, max: 1 }, { path: "b", min: 1, max: 2 }] }),
    study({ seed: 9, kind: "sobol", baseSamples: 16, outputs: ["ivc"], parameters: [{ path: "a", min: 0, max: 1 }, { path: "b", min: 1, max: 2 }] }),
    study({ seed: 1, kind: "sweep", outputs: ["ivc"], parameters: [{ path: "a", from: 1, to: 100, grid: "log", points: 3 }, { path: "b", from: 0, to: 1, points: 4 }] }),
  ];
  test.each(specs.map((s) => [s.kind, s] as const))("%s: run k alone equals run k of the whole design", (_kind, s) => {
    const all = Array.from({ length: runCount(s) }, (_, k) => runPoint(s, k));
    for (const k of [runCount(s) - 1, 0, Math.floor(runCount(s) / 2)]) expect(runPoint(s, k)).toEqual(all[k]);
    expect(new Set(all.map((p) => JSON.stringify(p))).size).toBeGreaterThan(1);
  });
  test("sweep grid: last parameter fastest, log grid ends exact", () => {
    const s = specs[3];
    expect(runPoint(s, 0)).toEqual([1, 0]);
    expect(runPoint(s, 1)[0]).toBe(1);
    expect(runPoint(s, 4)[0]).toBeCloseTo(10, 12);
    expect(runPoint(s, 11)).toEqual([100, 1]);
  });
  test("a different seed gives different samples", () => {
    const other = { ...specs[0], seed: 4 };
    expect(runPoint(other, 0)).not.toEqual(runPoint(specs[0], 0));
  });
  test("Monte Carlo samples follow their distributions", () => {
    const s = study({ seed: 11, kind: "monte-carlo", samples: 20_000, outputs: ["ivc"], parameters: [
      { path: "a", distribution: "normal", mean: 1, sd: 0.1 },
      { path: "b", distribution: "triangular", min: 0, mode: 1, max: 4 },
    ] });
    const pts = Array.from({ length: 20_000 }, (_, k) => runPoint(s, k));
    const a = statistics(pts.map((p) => p[0]));
    expect(a.mean).toBeCloseTo(1, 2);
    expect(a.sd).toBeCloseTo(0.1, 2);
    expect(statistics(pts.map((p) => p[1])).mean).toBeCloseTo(5 / 3, 1);
  });
  test("Morris on y = 3a + b² finds a linear effect of 3 with no spread", () => {
    const s = study({ seed: 2, kind: "morris", trajectories: 20, levels: 4, outputs: ["ivc"], parameters: [{ path: "a", min: 0, max: 1 }, { path: "b", min: 0, max: 1 }] }) as StudySpec & { kind: "morris" };
    const y = Array.from({ length: runCount(s) }, (_, k) => {
      const [a, b] = runPoint(s, k);
      return 3 * a + b * b;
    });
    const e = morrisEffects(s, y);
    expect(e.r).toBe(20);
    expect(e.muStar[0]).toBeCloseTo(3, 10);
    expect(e.sigma[0]).toBeCloseTo(0, 10);
    expect(e.muStar[1]).toBeGreaterThan(0);
  });
  test("a bad study names the field", () => {
    const r = parseStudy({ kind: "sobol", parameters: [{ path: "a", min: 1, max: 0 }], outputs: ["ivc"], baseSamples: 4 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0].path).toBe("parameters.0.max");
    const m = parseStudy({ kind: "monte-carlo", samples: 3, parameters: [{ path: "a", distribution: "normal", mean: 1 }], outputs: ["nope"] });
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["parameters.0.sd", "outputs.0"]));
    if (!m.ok) expect(m.problems.find((p) => p.path === "outputs.0")?.message).toMatch(/expected one of "finalTiter".*got "nope"/);
  });
});

describe("outputs", () => {
  const col = (name: string, values: number[]) => ({ name, unit: "", description: "", values: Float64Array.from(values) });
  const result = {
    metadata: { status: "ok" },
    columns: [
      col("time", [0, 1, 2, 3]),
      col("viable_cells", [1, 3, 2, 2]),
      col("titer", [0, 0.1, 0.2, 0.3]),
      col("ph", [7, 7, 7.4, 7.4]),
      col("glucose", [0, 10, 20, 30]),
      col("lactate", [1, 5, 4, 2]),
      col("do_saturation", [40, 30, 35, 38]),
    ],
    balances: [],
  } as unknown as SimulationResult;
  test("KPIs, extremes, hours outside a pH band and a column at a time", () => {
    const o = extractOutputs(result, ["finalTiter", "peakViableDensity", "ivc", "harvestDay", "peakLactate", "peakAmmonium", "minDo",
      { kpi: "timeOutsidePh", low: 6.9, high: 7.1 }, { kpi: "value", column: "glucose", atH: 1.5 }, { kpi: "value", column: "glucose", atH: 5, name: "late" }]);
    expect(o).toEqual({
      finalTiter: 0.3,
      peakViableDensity: 3,
      ivc: (2 + 2.5 + 2) / 24,
      harvestDay: 3 / 24,
      peakLactate: 5,
      peakAmmonium: NaN,
      minDo: 30,
      "timeOutsidePh[6.9,7.1]": 2,
      "glucose@1.5h": 15,
      late: NaN,
    });
  });
});

describe("biotwin study and merge", () => {
  const root = new URL("..", import.meta.url).pathname;
  const bin = join(root, "cli/biotwin.mjs");
  const tmp = mkdtempSync(join(tmpdir(), "biotwin-study-"));
  const biotwin = (args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: "utf8" });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const scenario = join(root, "scenarios/cho-batch.json");
  const sweep = join(tmp, "sweep.json");
  writeFileSync(
    sweep,
    JSON.stringify({
      seed: 7,
      kind: "sweep",
      parameters: [
        { path: "cells.parameters.muMaxPerH", from: 0.03, to: 0.045, points: 3 },
        { path: "initial.glucoseMM", grid: "log", from: 20, to: 40, points: 2 },
      ],
      outputs: ["finalTiter", "peakViableDensity", "minDo", { kpi: "timeOutsidePh", low: 6.9, high: 7.1 }, { kpi: "value", column: "glucose", atH: 48 }],
    }),
  );

  test("one worker, 2 and 3 workers, and 2 or 3 merged shards give the same bytes", () => {
    const whole = biotwin(["study", scenario, "--study", sweep, "--set", "process.durationH=120"]);
    expect(whole.code).toBe(0);
    const lines = whole.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(["study", ...Array(6).fill("run"), "summary"]);
    expect(lines.slice(1, 7).map((l) => l.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(lines.slice(1, 7).every((l) => l.ok && l.outputs.finalTiter > 0)).toBe(true);
    expect(lines[7].outputs.finalTiter.n).toBe(6);
    for (const workers of ["2", "3"]) {
      expect(biotwin(["study", scenario, "--study", sweep, "--set", "process.durationH=120", "--workers", workers]).stdout).toBe(whole.stdout);
    }
    for (const n of [2, 3]) {
      const parts = Array.from({ length: n }, (_, i) => {
        const out = join(tmp, `part-${i}-of-${n}.jsonl`);
        expect(biotwin(["study", scenario, "--study", sweep, "--set", "process.durationH=120", "--shard", `${i}/${n}`, "--workers", "2", "--out", out]).code).toBe(0);
        return out;
      });
      const shard0 = readFileSync(parts[0], "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(shard0[0].shard).toBe(`0/${n}`);
      expect(shard0.slice(1).map((l) => l.index)).toEqual([0, 1, 2, 3, 4, 5].filter((k) => k % n === 0));
      const merged = biotwin(["merge", ...parts.reverse()]);
      expect(merged.code).toBe(0);
      expect(merged.stdout).toBe(whole.stdout);
    }
    const other = join(tmp, "other-base.jsonl");
    biotwin(["study", scenario, "--study", sweep, "--set", "process.durationH=96", "--shard", "1/2", "--out", other]);
    const mixed = biotwin(["merge", join(tmp, "part-0-of-2.jsonl"), other]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/a different study or base scenario/);
    const incomplete = biotwin(["merge", join(tmp, "part-0-of-3.jsonl")]);
    expect(incomplete.code).toBe(1);
    expect(incomplete.stderr).toMatch(/runs missing: 1, 2/);
  });

  test("a run that cannot be made is reported with its reason and the study completes", () => {
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, JSON.stringify({ seed: 1, kind: "sweep", parameters: [{ path: "initial.viableCellsE6PerMl", from: -1, to: 1, points: 3 }], outputs: ["ivc"] }));
    const r = biotwin(["study", scenario, "--study", bad, "--set", "process.durationH=24", "--workers", "2"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[1]).toMatchObject({ index: 0, ok: false, parameters: { "initial.viableCellsE6PerMl": -1 } });
    expect(lines[1].reason).toMatch(/initial\.viableCellsE6PerMl/);
    expect(lines[3]).toMatchObject({ index: 2, ok: true });
    expect(lines[4]).toMatchObject({ type: "summary", failedRuns: 1 });
  });

  test("Monte Carlo: each run has its own scenario seed from (study seed, index); workers and shards do not change it", () => {
    const mc = join(tmp, "mc.json");
    writeFileSync(mc, JSON.stringify({ seed: 3, kind: "monte-carlo", samples: 5, outputs: ["finalTiter", "peakLactate"], parameters: [{ path: "cells.parameters.muMaxPerH", distribution: "normal", mean: 0.039, sd: 0.003 }] }));
    const args = ["study", scenario, "--study", mc, "--set", "process.durationH=48"];
    const whole = biotwin(args);
    expect(whole.code).toBe(0);
    const runs = whole.stdout.trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.type === "run");
    expect(new Set(runs.map((r) => r.seed)).size).toBe(5);
    expect(biotwin([...args, "--workers", "3"]).stdout).toBe(whole.stdout);
    const parts = [0, 1].map((i) => {
      const out = join(tmp, `mc-${i}.jsonl`);
      biotwin([...args, "--shard", `${i}/2`, "--out", out]);
      return out;
    });
    expect(biotwin(["merge", ...parts]).stdout).toBe(whole.stdout);
  });

  test("an invalid study file is exit 1 with the field's path; a bad --shard is a usage error", () => {
    const bad = join(tmp, "invalid.json");
    writeFileSync(bad, JSON.stringify({ kind: "sweep", parameters: [{ path: "a", from: 1, to: 2 }], outputs: ["ivc"] }));
    const r = biotwin(["study", scenario, "--study", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/parameters\.0\.points/);
    expect(biotwin(["study", scenario, "--study", sweep, "--shard", "3/3"]).code).toBe(2);
  });
});

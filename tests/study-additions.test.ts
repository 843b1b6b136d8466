// The study additions of issue 7 (shared/study-contract): kept trajectories and their
// percentile bands, a specification with its Wilson interval, sweep replicates, the
// columns a study reads, and the study section of a scenario — each on hand-checkable
// numbers; and a study without additions gives the same bytes as before them.
import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { gridPointStatistics, runCount, runPoint, runSeed, uniform } from "../engine/study/design";
import { extractTrajectories, studyColumns } from "../engine/study/outputs";
import { runLine, specificationSummary, studyFileText, studyHeader, studySummary, trajectoryBands, wilsonInterval, type RunLine } from "../engine/study/report";
import { parseStudy, studyPaths, type StudySpec } from "../engine/study/spec";
import { parseScenario } from "../engine/scenario";
import type { SimulationResult } from "../engine/simulate";
import { minimalBatch } from "./scenario/fixtures";

function study(doc: unknown): StudySpec {
  const r = parseStudy(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.study;
}

describe("a study without the additions", () => {
  // sha256 of studyFileText for these hand-made records, as written by the code before the
  // additions (commit 864bacf): the header, run lines and summaries must not move a byte.
  const before: Record<string, string> = {
    sweep: "01a9170d3bfe15e385d9068e32c3ebe7d81b251ddfa6af6c27167cea679324cb",
    "monte-carlo": "d4e9b834b627b277afedc6c5829b854aeafb64d1c463c5de3ee7d7fdd188fc8f",
    morris: "940d0110531076a084625d1991d1b731d5e6fd2f1dfa2350972ea3f9a0ba83ba",
    sobol: "1a9fac1d03f698471abe3d11c35ca1f1f51d977ebd8c73bd52b8bd786bf932f4",
  };
  const docs = [
    { seed: 7, kind: "sweep", parameters: [{ path: "a", from: 1, to: 3, points: 3 }, { path: "b", grid: "log", from: 1, to: 100, points: 3 }], outputs: ["finalTiter", { kpi: "value", column: "glucose", atH: 48 }] },
    { seed: 3, kind: "monte-carlo", samples: 12, parameters: [{ path: "a", distribution: "normal", mean: 2, sd: 0.5 }, { path: "b", distribution: "triangular", min: 0, mode: 1, max: 4 }], outputs: ["finalTiter", "ivc"] },
    { seed: 5, kind: "morris", trajectories: 4, parameters: [{ path: "a", min: 0, max: 1 }, { path: "b", min: 1, max: 2 }], outputs: ["finalTiter"] },
    { seed: 9, kind: "sobol", baseSamples: 8, bootstrap: 30, parameters: [{ path: "a", min: 0, max: 1 }, { path: "b", min: 1, max: 2 }], outputs: ["finalTiter"] },
  ];
  test.each(docs.map((d) => [d.kind, d] as const))("%s: the result file has the same bytes as before", (kind, doc) => {
    const s = study(doc);
    const lines = Array.from({ length: runCount(s) }, (_, k) => {
      const v = runPoint(s, k);
      const parameters = Object.fromEntries(s.parameters.map((q, i) => [q.path, v[i]]));
      if (k === 1) return runLine({ index: k, ok: false, parameters, reason: "hand-made failure" });
      const y = v[0] * 3 + v[1] ** 2;
      return runLine({ index: k, ok: true, parameters, outputs: Object.fromEntries(s.outputs.map((o, i) => [typeof o === "string" ? o : "glucose@48h", i === 0 ? y : k % 3 === 0 ? NaN : y / 2])) });
    });
    const text = studyFileText(studyHeader(s, "hash"), lines);
    expect(createHash("sha256").update(text).digest("hex")).toBe(before[kind]);
    expect(Object.keys(JSON.parse(text.trim().split("\n").at(-1)!))).toEqual(["type", "kind", "failedRuns", "outputs"]);
  });
});

describe("Wilson score interval (95 %)", () => {
  // Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3.
  test.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("%i of %i: %f to %f", (k, n, lo, hi) => {
    const [a, b] = wilsonInterval(k, n);
    expect(a).toBeCloseTo(lo, 4);
    expect(b).toBeCloseTo(hi, 4);
  });
  test("all in: the upper end is 1, the lower end n/(n + z²)", () => {
    const [a, b] = wilsonInterval(10, 10);
    expect(b).toBeCloseTo(1, 15);
    expect(a).toBeCloseTo(10 / (10 + 1.959963984540054 ** 2), 12);
  });
});

describe("specification", () => {
  const s = study({
    kind: "monte-carlo",
    samples: 6,
    parameters: [{ path: "a", distribution: "uniform", min: 0, max: 1 }],
    outputs: ["finalTiter", "peakLactate"],
    specification: [{ output: "finalTiter", min: 2 }, { output: "peakLactate", max: 40 }],
  });
  const runs: RunLine[] = [
    { index: 0, ok: true, outputs: { finalTiter: 2, peakLactate: 40 } }, // both bounds met exactly (inclusive)
    { index: 1, ok: true, outputs: { finalTiter: 3, peakLactate: 41 } }, // lactate too high
    { index: 2, ok: true, outputs: { finalTiter: 1.9, peakLactate: 10 } }, // titer too low
    { index: 3, ok: true, outputs: { finalTiter: 5, peakLactate: null } }, // a missing value is out
    { index: 4, ok: false }, // a failed run is out
    { index: 5, ok: true, outputs: { finalTiter: 4, peakLactate: 30 } },
  ];
  test("N counts every run; a failed run or a null value is out; bounds are inclusive", () => {
    const spec = specificationSummary(s, runs);
    expect(spec).toEqual({
      runs: 6,
      inSpec: 2,
      fraction: 2 / 6,
      ci95: wilsonInterval(2, 6),
      criteria: [
        { output: "finalTiter", min: 2, inSpec: 4, fraction: 4 / 6 },
        { output: "peakLactate", max: 40, inSpec: 3, fraction: 3 / 6 },
      ],
    });
    expect(studySummary(s, runs).specification).toEqual(spec);
  });
  test("a criterion on an output the study lacks, or with no bound, names its path", () => {
    const bad = parseStudy({ kind: "sweep", parameters: [{ path: "a", from: 0, to: 1, points: 2 }], outputs: ["ivc"], specification: [{ output: "titer", min: 1 }, { output: "ivc" }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["specification.0.output", "specification.1.min"]));
      expect(bad.problems.find((p) => p.path === "specification.0.output")?.message).toMatch(/"titer" is not an output of the study \("ivc"\)/);
    }
  });
});

describe("trajectories", () => {
  const col = (name: string, values: number[]) => ({ name, unit: "", description: "", values: Float64Array.from(values) });
  const result = (t: number[], vcd: number[]) => ({ metadata: { status: "ok" }, columns: [col("time", t), col("viable_cells", vcd)], balances: [] }) as unknown as SimulationResult;

  test("a run's columns at 0, everyH, ... up to its last time, interpolated; a missing column is null in every point", () => {
    const r = extractTrajectories(result([0, 1, 4, 10], [1, 3, 9, 0]), { columns: ["viable_cells", "titer"], everyH: 2.5 });
    expect(r.tH).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(r.values.viable_cells).toEqual([1, 6, 7.5, 3.75, 0]);
    expect(JSON.parse(JSON.stringify(r)).values.titer).toEqual([null, null, null, null, null]);
    // The grid is i·everyH, so a last point that rounding puts past the end is kept: 3·0.1 > 0.3.
    expect(extractTrajectories(result([0, 0.3], [0, 3]), { columns: ["viable_cells"], everyH: 0.1 }).values.viable_cells).toEqual([0, 1, 2, 3].map((x) => expect.closeTo(x, 12)));
  });

  test("bands: 5/25/50/75/95 % over the ok runs that reach each time; null where none does", () => {
    const run = (index: number, values: (number | null)[], ok = true): RunLine => ({ index, ok, trajectories: { tH: [0, 24, 48].slice(0, values.length), values: { vcd: values } } });
    const runs = [
      run(0, [1, 10, 100]),
      run(1, [2, 20, 200]),
      run(2, [3, 30]), // stopped early
      run(3, [4, 40, null]), // null value at 48 h
      run(4, [5, 50, 500]),
      run(5, [99, 99, 99], false), // failed: never counted
    ];
    const bands = trajectoryBands(["vcd", "titer"], runs);
    expect(bands.tH).toEqual([0, 24, 48]);
    // Five values 1..5: type-7 quantiles p5 = 1.2, p25 = 2, p50 = 3, p75 = 4, p95 = 4.8.
    expect(bands.columns.vcd.n).toEqual([5, 5, 3]);
    expect(bands.columns.vcd.p5.map((x) => x!.toFixed(6))).toEqual(["1.200000", "12.000000", "110.000000"]);
    expect(bands.columns.vcd.p25).toEqual([2, 20, 150]);
    expect(bands.columns.vcd.p50).toEqual([3, 30, 200]);
    expect(bands.columns.vcd.p75).toEqual([4, 40, 350]);
    expect(bands.columns.vcd.p95.map((x) => x!.toFixed(6))).toEqual(["4.800000", "48.000000", "470.000000"]);
    expect(bands.columns.titer).toEqual({ n: [0, 0, 0], p5: [null, null, null], p25: [null, null, null], p50: [null, null, null], p75: [null, null, null], p95: [null, null, null] });
  });

  test("the summary carries the bands; Morris, whose trajectories is its count r, cannot keep columns", () => {
    const s = study({ kind: "sobol", baseSamples: 2, parameters: [{ path: "a", min: 0, max: 1 }], outputs: ["ivc"], trajectories: { columns: ["vcd"], everyH: 24 } });
    const summary = studySummary(s, [{ index: 0, ok: true, outputs: { ivc: 1 }, trajectories: { tH: [0], values: { vcd: [7] } } }]);
    expect(summary.trajectories).toEqual({ tH: [0], columns: { vcd: { n: [1], p5: [7], p25: [7], p50: [7], p75: [7], p95: [7] } } });
    const morris = parseStudy({ kind: "morris", trajectories: { columns: ["vcd"], everyH: 24 }, parameters: [{ path: "a", min: 0, max: 1 }], outputs: ["ivc"] });
    expect(morris.ok).toBe(false);
    if (!morris.ok) expect(morris.problems[0].path).toBe("trajectories");
  });

  test("columns and everyH are checked, by path", () => {
    const r = parseStudy({ kind: "sweep", parameters: [{ path: "a", from: 0, to: 1, points: 2 }], outputs: ["ivc"], trajectories: { columns: ["a", "a"], everyH: 0 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(["trajectories.everyH", "trajectories.columns.1"]);
    const nine = parseStudy({ kind: "sweep", parameters: [{ path: "a", from: 0, to: 1, points: 2 }], outputs: ["ivc"], trajectories: { columns: ["a", "b", "c", "d", "e", "f", "g", "h", "i"], everyH: 1 } });
    expect(nine.ok).toBe(false);
    const twice = parseStudy({ kind: "sweep", parameters: [{ path: "a", from: 0, to: 1, points: 2 }], outputs: ["ivc"], trajectories: { columns: ["a", "a"], everyH: 1 } });
    expect(twice.ok ? [] : twice.problems.map((p) => p.path)).toEqual(["trajectories.columns.1"]);
  });
});

describe("sweep replicates", () => {
  const s = study({
    seed: 11,
    kind: "sweep",
    parameters: [
      { path: "a", from: 1, to: 2, points: 2 },
      { path: "b", from: 10, to: 30, points: 3 },
    ],
    replicates: { samples: 4, parameters: [{ path: "c", distribution: "uniform", min: 100, max: 200 }, { path: "d", distribution: "normal", mean: 0, sd: 1 }] },
    outputs: ["ivc"],
  }) as StudySpec & { kind: "sweep" };

  test("runs = grid points × samples; run k is replicate k mod samples of grid point floor(k / samples)", () => {
    expect(runCount(s)).toBe(2 * 3 * 4);
    expect(studyPaths(s)).toEqual(["a", "b", "c", "d"]);
    const grid = [[1, 10], [1, 20], [1, 30], [2, 10], [2, 20], [2, 30]];
    for (let k = 0; k < runCount(s); k++) {
      const v = runPoint(s, k);
      expect(v.slice(0, 2)).toEqual(grid[Math.floor(k / 4)]);
      // Replicate draws come from uniform(seed, 0, k, dim), as Monte Carlo run k's would.
      expect(v[2]).toBe(100 + uniform(11, 0, k, 0) * 100);
    }
    expect(runPoint(s, 5)[2]).not.toBe(runPoint(s, 4)[2]);
  });

  test("run k alone equals run k of the whole design, and each run has its own seed from (study seed, k)", () => {
    const all = Array.from({ length: runCount(s) }, (_, k) => runPoint(s, k));
    for (const k of [23, 0, 13]) expect(runPoint(s, k)).toEqual(all[k]);
    const mc = study({ seed: 11, kind: "monte-carlo", samples: 24, parameters: [{ path: "c", distribution: "uniform", min: 100, max: 200 }], outputs: ["ivc"] });
    for (const k of [0, 7, 23]) {
      expect(runSeed(s, k)).toBe(runSeed(mc, k));
      expect(runPoint(s, k)[2]).toBe(runPoint(mc, k)[0]);
    }
    const plain = study({ seed: 11, kind: "sweep", parameters: [{ path: "a", from: 1, to: 2, points: 2 }], outputs: ["ivc"] });
    expect(runSeed(plain, 1)).toBeUndefined();
  });

  test("the summary adds per-grid-point statistics in grid order", () => {
    // y = 10·(grid point) + replicate: each point's replicates are g·10 + 0..3.
    const y = Array.from({ length: runCount(s) }, (_, k) => 10 * Math.floor(k / 4) + (k % 4));
    y[1] = null as unknown as number; // a failed replicate of point 0
    const points = gridPointStatistics(s, y);
    expect(points).toHaveLength(6);
    expect(points[0]).toEqual({ grid: [1, 10], n: 3, mean: 5 / 3, sd: expect.closeTo(Math.sqrt(7 / 3), 12), p5: 0.2, p50: 2, p95: expect.closeTo(2.9, 12), });
    expect(points[5]).toMatchObject({ grid: [2, 30], n: 4, mean: 51.5, p50: 51.5 });
    const summary = studySummary(s, y.map((v, index) => (v === null ? { index, ok: false } : { index, ok: true, outputs: { ivc: v } })));
    const ivc = (summary.outputs as Record<string, { n: number; argMax: { index: number; parameters: Record<string, number> }; points: unknown[] }>).ivc;
    expect(ivc.n).toBe(23);
    expect(ivc.argMax.index).toBe(23);
    expect(Object.keys(ivc.argMax.parameters)).toEqual(["a", "b", "c", "d"]);
    expect(ivc.points).toEqual(points);
  });

  test("replicate paths must differ from the sweep's and from each other; replicates are for sweeps only", () => {
    const r = parseStudy({
      kind: "sweep",
      parameters: [{ path: "a", from: 0, to: 1, points: 2 }],
      replicates: { samples: 2, parameters: [{ path: "a", distribution: "normal", mean: 0, sd: 1 }] },
      outputs: ["ivc"],
    });
    expect(r.ok ? [] : r.problems).toEqual([{ path: "replicates.parameters.0.path", message: '"a" is already a parameter' }]);
    const mc = parseStudy({ kind: "monte-carlo", samples: 2, parameters: [{ path: "a", distribution: "normal", mean: 0, sd: 1 }], replicates: { samples: 2, parameters: [] }, outputs: ["ivc"] });
    expect(mc.ok ? [] : mc.problems.map((p) => p.path)).toEqual(["replicates"]);
  });
});

describe("studyColumns", () => {
  test("time first, then what the outputs and trajectories read, each once", () => {
    const s = study({
      kind: "sweep",
      parameters: [{ path: "a", from: 0, to: 1, points: 2 }],
      outputs: ["finalTiter", "minDo", { kpi: "timeOutsidePh", low: 6.8, high: 7.2 }, { kpi: "value", column: "glucose", atH: 48 }],
      trajectories: { columns: ["viable_cells", "lactate"], everyH: 24 },
    });
    // finalTiter reads titer (CHO) or product (microbial); viable_cells tells the models apart.
    expect(studyColumns(s)).toEqual(["time", "viable_cells", "titer", "product", "do_saturation", "ph", "glucose", "lactate"]);
    expect(studyColumns(study({ kind: "sweep", parameters: [{ path: "a", from: 0, to: 1, points: 2 }], outputs: ["harvestDay"] }))).toEqual(["time"]);
  });
});

describe("the study section of a scenario", () => {
  const scenario = minimalBatch();
  test("holds a study document; its problems name the path under study", () => {
    const ok = parseScenario({ ...scenario, study: { kind: "sweep", parameters: [{ path: "initial.substrateGPerL", from: 10, to: 20, points: 2 }], outputs: ["ivc"] } });
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.scenario.study).toMatchObject({ kind: "sweep", seed: 1 });
    const bad = parseScenario({ ...scenario, study: { kind: "sweep", parameters: [{ path: "x", from: 1, to: 2, points: 0 }], outputs: ["nope"] } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      const byPath = Object.fromEntries(bad.problems.map((p) => [p.path, p.message]));
      expect(Object.keys(byPath).sort()).toEqual(["study.outputs.0", "study.parameters.0.points"]);
      expect(byPath["study.parameters.0.points"]).toMatch(/between 1 and 10000 points \(got 0\)/);
      expect(byPath["study.outputs.0"]).toMatch(/expected one of "finalTiter".*got "nope"/);
    }
  });
});

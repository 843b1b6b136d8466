// Study results for the study views' harness page and tests: one StudyViewData per kind,
// made with the engine's own design (runPoint, runSeed, studySummary) and a cheap
// analytic function in place of a simulation, so the right answers are known: a
// quadratic with its optimum on a grid point for the sweeps, the Ishigami function
// (Ishigami & Homma 1990) for Morris and Sobol. A few runs fail on purpose.
import { runPoint, runSeed, statistics } from "../../engine/study/design";
import { studySummary } from "../../engine/study/report";
import type { StudySpec } from "../../engine/study/spec";
import { percentileBands, wilsonInterval, type StudyViewData, type ViewRun, type ViewStudy } from "../model/study-views";

export type FixtureKind = "sweep-1d" | "sweep-replicates" | "sweep-2d" | "monte-carlo" | "morris" | "sobol";
export const FIXTURE_KINDS: readonly FixtureKind[] = ["sweep-1d", "sweep-replicates", "sweep-2d", "monte-carlo", "morris", "sobol"];

const MU = "cells.parameters.muMaxPerH";
const QP = "cells.parameters.qpPgPerCellPerDay";
const KG = "cells.parameters.kGlucoseMM";
const FAILED = "the solver took too many steps (status 3) at 151.2 h";

/** The 2-D fixture's known optimum: titer is largest at μmax = 0.036 1/h and qP = 28 pg/cell/day (both grid points). */
export const OPTIMUM = { mu: 0.036, qp: 28, titer: 5 };

/** Final titer of the quadratic "model", in g/L: OPTIMUM.titer at the optimum, falling off around it. */
export function quadraticTiter(mu: number, qp: number): number {
  return OPTIMUM.titer - 3000 * (mu - OPTIMUM.mu) ** 2 - 0.004 * (qp - OPTIMUM.qp) ** 2;
}

/** Peak lactate of the "model", in mM: grows with μmax. */
function lactate(mu: number): number {
  return 10 + 600 * mu;
}

/** Ishigami function f = sin x1 + a sin² x2 + b x3⁴ sin x1 (a = 7, b = 0.1) on [-π, π]³. */
export function ishigami(x1: number, x2: number, x3: number): number {
  return Math.sin(x1) + 7 * Math.sin(x2) ** 2 + 0.1 * x3 ** 4 * Math.sin(x1);
}

const toPi = (v: number, min: number, max: number) => -Math.PI + (2 * Math.PI * (v - min)) / (max - min);

function record(index: number, parameters: Record<string, number>, outputs: Record<string, number | null> | null, seed?: number): ViewRun {
  const head = seed === undefined ? { index, parameters } : { index, parameters, seed };
  return outputs === null ? { ...head, ok: false, reason: FAILED } : { ...head, ok: true, outputs };
}

function named(study: StudySpec, index: number): Record<string, number> {
  const values = runPoint(study, index);
  return Object.fromEntries(study.parameters.map((p, i) => [p.path, values[i]!]));
}

/** The runs of a plain study (no replicates) from a model of the parameters; `fails(k)` makes run k fail. */
function runAll(study: StudySpec, model: (p: Record<string, number>, k: number) => Record<string, number | null>, fails: (k: number) => boolean): ViewRun[] {
  const n = study.kind === "sweep" ? study.parameters.reduce((m, p) => m * p.points, 1) : study.kind === "monte-carlo" ? study.samples : 0;
  const total = n || (study.kind === "morris" ? study.trajectories * (study.parameters.length + 1) : study.kind === "sobol" ? study.baseSamples * (study.parameters.length + 2) : 0);
  return Array.from({ length: total }, (_, k) => {
    const p = named(study, k);
    return record(k, p, fails(k) ? null : model(p, k), runSeed(study, k));
  });
}

function complete(study: ViewStudy, runs: ViewRun[], model: "cho" = "cho"): StudyViewData {
  return { study, total: runs.length, runs, summary: studySummary(study, runs) as unknown as StudyViewData["summary"], model };
}

function sweep1d(): StudyViewData {
  const study: ViewStudy = { kind: "sweep", seed: 1, outputs: ["finalTiter", "peakLactate"], parameters: [{ path: MU, grid: "linear", from: 0.02, to: 0.06, points: 21 }] };
  const runs = runAll(study, (p) => ({ finalTiter: quadraticTiter(p[MU]!, OPTIMUM.qp), peakLactate: lactate(p[MU]!) }), (k) => k === 3);
  return complete(study, runs);
}

function sweep2d(): StudyViewData {
  const study: ViewStudy = {
    kind: "sweep",
    seed: 1,
    outputs: ["finalTiter", "peakLactate"],
    parameters: [
      { path: MU, grid: "linear", from: 0.02, to: 0.06, points: 21 },
      { path: QP, grid: "linear", from: 10, to: 40, points: 16 },
    ],
  };
  const runs = runAll(study, (p) => ({ finalTiter: quadraticTiter(p[MU]!, p[QP]!), peakLactate: lactate(p[MU]!) }), (k) => k === 40 || k === 250);
  return complete(study, runs);
}

/** 9 μmax values × 20 replicates with qP drawn from normal(25, 3) as the contract's replicates. */
function sweepReplicates(): StudyViewData {
  const samples = 20;
  const replicateParameters = [{ path: QP, distribution: "normal" as const, mean: 25, sd: 3 }];
  const study: ViewStudy = {
    kind: "sweep",
    seed: 7,
    outputs: ["finalTiter"],
    parameters: [{ path: MU, grid: "linear", from: 0.02, to: 0.05, points: 9 }],
    replicates: { samples, parameters: replicateParameters },
  };
  const grid = { ...study, replicates: undefined } as StudySpec;
  const total = 9 * samples;
  // Replicate values as Monte Carlo run k would draw them; each run's seed likewise.
  const mc: StudySpec = { kind: "monte-carlo", seed: study.seed, outputs: study.outputs, parameters: replicateParameters, samples: total };
  const runs: ViewRun[] = Array.from({ length: total }, (_, k) => {
    const mu = runPoint(grid, Math.floor(k / samples))[0]!;
    const qp = runPoint(mc, k)[0]!;
    const parameters = { [MU]: mu, [QP]: qp };
    return record(k, parameters, k === 45 ? null : { finalTiter: quadraticTiter(mu, OPTIMUM.qp) * (qp / 25) }, runSeed(mc, k));
  });
  const ys = runs.map((r) => (r.ok ? r.outputs.finalTiter! : null));
  const points = Array.from({ length: 9 }, (_, g) => {
    const s = statistics(ys.slice(g * samples, (g + 1) * samples));
    return { grid: [runPoint(grid, g)[0]!], n: s.n, mean: s.mean, sd: s.sd, p5: s.p5, p50: s.p50, p95: s.p95 };
  });
  const all = statistics(ys);
  const summary = {
    type: "summary" as const,
    kind: "sweep" as const,
    failedRuns: runs.filter((r) => !r.ok).length,
    outputs: { finalTiter: { ...all, argMin: null, argMax: null, points } },
  };
  return { study, total, runs, summary, model: "cho" };
}

/** Trajectories of the Monte Carlo fixture: a logistic viable density and a titer that accumulates, to a run-dependent end. */
function trajectory(mu: number, qp: number, endDay: number) {
  const tH: number[] = [];
  const vcd: number[] = [];
  const titer: number[] = [];
  for (let day = 0; day <= endDay; day++) {
    tH.push(day * 24);
    vcd.push(0.3 + (20 * mu) / 0.035 / (1 + Math.exp(-(day - 5) / 1.2)) - 0.4 * Math.max(0, day - 9));
    titer.push(((qp / 25) * 3.2) / (1 + Math.exp(-(day - 8) / 2)));
  }
  return { tH, values: { viable_cells: vcd, titer } };
}

/** 400 samples, μmax and qP normal; specification: titer ≥ 2.6 g/L and peak lactate ≤ 32 mM. */
function monteCarlo(): StudyViewData {
  const study: ViewStudy = {
    kind: "monte-carlo",
    seed: 11,
    outputs: ["finalTiter", "peakLactate"],
    samples: 400,
    parameters: [
      { path: MU, distribution: "normal", mean: 0.035, sd: 0.004 },
      { path: QP, distribution: "normal", mean: 25, sd: 4 },
    ],
    trajectories: { columns: ["viable_cells", "titer"], everyH: 24 },
    specification: [
      { output: "finalTiter", min: 2.6 },
      { output: "peakLactate", max: 32 },
    ],
  };
  const runs = runAll(
    study,
    (p, k) => ({ finalTiter: k === 77 ? null : 3.2 * (p[QP]! / 25) * (1 - 200 * (p[MU]! - 0.035) ** 2), peakLactate: lactate(p[MU]!) }),
    (k) => k % 97 === 13,
  ).map((r) => (r.ok ? { ...r, trajectories: trajectory(r.parameters[MU]!, r.parameters[QP]!, 12 + (r.index % 3)) } : r));
  const data = complete(study, runs);
  // The contract's additions, computed plainly here: the share in specification over all runs, and the bands.
  const inSpec = (r: ViewRun, c: { output: string; min?: number; max?: number }) => {
    const v = r.ok ? r.outputs[c.output] : null;
    return v !== null && v !== undefined && (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
  };
  const m = runs.filter((r) => study.specification!.every((c) => inSpec(r, c))).length;
  data.summary!.specification = {
    runs: runs.length,
    inSpec: m,
    fraction: m / runs.length,
    ci95: wilsonInterval(m, runs.length),
    criteria: study.specification!.map((c) => {
      const mc = runs.filter((r) => inSpec(r, c)).length;
      return { ...c, inSpec: mc, fraction: mc / runs.length };
    }),
  };
  const bands = (column: string) => {
    const { tH: _t, column: _c, fromSummary: _f, ...p } = percentileBands({ ...data, summary: undefined }, column);
    return p;
  };
  data.summary!.trajectories = { tH: percentileBands({ ...data, summary: undefined }, "titer").tH, columns: { viable_cells: bands("viable_cells"), titer: bands("titer") } };
  return data;
}

const ISHIGAMI_PARAMETERS = [
  { path: MU, min: 0.02, max: 0.06 },
  { path: KG, min: 0.1, max: 2 },
  { path: QP, min: 10, max: 40 },
];

function ishigamiTiter(p: Record<string, number>): number {
  const [a, b, c] = ISHIGAMI_PARAMETERS.map((q) => toPi(p[q.path]!, q.min, q.max));
  return 5 + 0.25 * ishigami(a!, b!, c!);
}

function morris(): StudyViewData {
  const study: ViewStudy = { kind: "morris", seed: 3, outputs: ["finalTiter"], parameters: ISHIGAMI_PARAMETERS, trajectories: 40, levels: 4 };
  return complete(study, runAll(study, (p) => ({ finalTiter: ishigamiTiter(p) }), (k) => k === 9));
}

function sobol(): StudyViewData {
  const study: ViewStudy = { kind: "sobol", seed: 5, outputs: ["finalTiter"], parameters: ISHIGAMI_PARAMETERS, baseSamples: 512, bootstrap: 200 };
  return complete(study, runAll(study, (p) => ({ finalTiter: ishigamiTiter(p) }), (k) => k === 17));
}

/** The fixture of one kind (a new object each call). */
export function studyFixture(kind: FixtureKind): StudyViewData {
  switch (kind) {
    case "sweep-1d":
      return sweep1d();
    case "sweep-replicates":
      return sweepReplicates();
    case "sweep-2d":
      return sweep2d();
    case "monte-carlo":
      return monteCarlo();
    case "morris":
      return morris();
    case "sobol":
      return sobol();
  }
}

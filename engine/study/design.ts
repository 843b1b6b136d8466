// The design of a study: which parameter values run k uses, as a pure function of the
// study and k, and the summaries (sweep extremes, Monte Carlo statistics, Morris
// elementary effects, Sobol indices) computed from the run outputs. Every random number
// is splitmix64 of (seed, run block, dimension), so any run can be generated alone and
// sharding or worker counts cannot change a number.
import { replicatesOf, studyPaths, type StudySpec } from "./spec";

const MASK = (1n << 64n) - 1n;

/** splitmix64 finaliser (Steele, Lea, Flood 2014) of a 64-bit value. */
function mix64(x: bigint): bigint {
  x = (x + 0x9e3779b97f4a7c15n) & MASK;
  x = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  x = ((x ^ (x >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return x ^ (x >> 31n);
}

/**
 * A uniform number in (0, 1) keyed by (seed, stream, index, dim): counter-based, so it
 * depends on nothing else. `stream` keeps designs apart (0 runs, 1 bootstrap).
 */
export function uniform(seed: number, stream: number, index: number, dim: number): number {
  let x = mix64(BigInt(seed));
  x = mix64(x ^ BigInt(stream));
  x = mix64(x ^ BigInt(index));
  x = mix64(x ^ BigInt(dim));
  return (Number(x >> 11n) + 0.5) / 2 ** 53;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, rel. error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Number of runs the study makes. */
export function runCount(study: StudySpec): number {
  const d = study.parameters.length;
  switch (study.kind) {
    case "sweep":
      return gridPoints(study) * (study.replicates?.samples ?? 1);
    case "monte-carlo":
      return study.samples;
    case "morris":
      return study.trajectories * (d + 1);
    case "sobol":
      return study.baseSamples * (d + 2);
  }
}

/** Points of a sweep's grid (the product of each parameter's points). */
export function gridPoints(study: StudySpec & { kind: "sweep" }): number {
  return study.parameters.reduce((n, p) => n * p.points, 1);
}

function gridValue(p: { grid: "linear" | "log"; from: number; to: number; points: number }, k: number): number {
  if (p.points === 1) return p.from;
  if (k === 0) return p.from;
  if (k === p.points - 1) return p.to;
  const f = k / (p.points - 1);
  return p.grid === "log" ? Math.exp(Math.log(p.from) + f * (Math.log(p.to) - Math.log(p.from))) : p.from + f * (p.to - p.from);
}

/** Morris: trajectory t's base levels (in [0, 1 - Δ]) and the order its factors move in. */
function morrisTrajectory(seed: number, t: number, d: number, levels: number): { base: number[]; order: number[]; delta: number } {
  const delta = levels / (2 * (levels - 1));
  const base = Array.from({ length: d }, (_, i) => Math.floor(uniform(seed, 0, t, i) * (levels / 2)) / (levels - 1));
  const keys = Array.from({ length: d }, (_, i) => uniform(seed, 0, t, d + i));
  const order = keys.map((_, i) => i).sort((x, y) => keys[x] - keys[y] || x - y);
  return { base, order, delta };
}

/** Unit-cube coordinates of run `index` in [0, 1)^d (Morris, Sobol) — exposed for tests. */
export function unitPoint(study: StudySpec & { kind: "morris" | "sobol" }, index: number): number[] {
  const d = study.parameters.length;
  if (study.kind === "morris") {
    const t = Math.floor(index / (d + 1));
    const step = index % (d + 1);
    const { base, order, delta } = morrisTrajectory(study.seed, t, d, study.levels);
    const x = base.slice();
    for (let k = 0; k < step; k++) x[order[k]] += delta;
    return x;
  }
  // Sobol: block j holds A_j, B_j, then A_B^i_j (A_j with column i from B_j) for i = 0..d-1.
  const j = Math.floor(index / (d + 2));
  const slot = index % (d + 2);
  const a = Array.from({ length: d }, (_, i) => uniform(study.seed, 0, j, i));
  const b = Array.from({ length: d }, (_, i) => uniform(study.seed, 0, j, d + i));
  if (slot === 0) return a;
  if (slot === 1) return b;
  a[slot - 2] = b[slot - 2];
  return a;
}

type Distribution = (StudySpec & { kind: "monte-carlo" })["parameters"][number];

/** Run `index`'s draws of `parameters` (dimension i from uniform(seed, 0, index, i)), by inverse CDF. */
function draws(parameters: readonly Distribution[], seed: number, index: number): number[] {
  return parameters.map((p, i) => {
    const u = uniform(seed, 0, index, i);
    switch (p.distribution) {
      case "normal":
        return p.mean + p.sd * normalQuantile(u);
      case "log-normal":
        return Math.exp(p.meanLog + p.sdLog * normalQuantile(u));
      case "uniform":
        return p.min + u * (p.max - p.min);
      case "triangular": {
        const f = (p.mode - p.min) / (p.max - p.min);
        return u < f ? p.min + Math.sqrt(u * (p.max - p.min) * (p.mode - p.min)) : p.max - Math.sqrt((1 - u) * (p.max - p.min) * (p.max - p.mode));
      }
    }
  });
}

/** The values run `index` sets, in the order of studyPaths(study): the parameters, then a sweep's replicate parameters. */
export function runPoint(study: StudySpec, index: number): number[] {
  const n = runCount(study);
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new RangeError(`run index ${index} is outside 0..${n - 1}`);
  switch (study.kind) {
    case "sweep": {
      // Run k is replicate k mod samples of grid point floor(k / samples).
      const samples = study.replicates?.samples ?? 1;
      const values = new Array<number>(study.parameters.length);
      let rest = Math.floor(index / samples);
      for (let i = study.parameters.length - 1; i >= 0; i--) {
        const p = study.parameters[i];
        values[i] = gridValue(p, rest % p.points);
        rest = Math.floor(rest / p.points);
      }
      return study.replicates ? values.concat(draws(study.replicates.parameters, study.seed, index)) : values;
    }
    case "monte-carlo":
      return draws(study.parameters, study.seed, index);
    case "morris":
    case "sobol": {
      const x = unitPoint(study, index);
      return study.parameters.map((p, i) => p.min + x[i] * (p.max - p.min));
    }
  }
}

// ---- summaries -------------------------------------------------------------

/** Output values of each run by index; null for a failed run or a missing value. */
export type RunOutputs = (number | null)[];

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function sampleSd(xs: number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** The q-quantile of sorted values, linearly interpolated (Hyndman and Fan type 7); NaN for none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

export interface SobolIndices {
  /** Rows used (blocks with every run ok). */
  n: number;
  first: number[];
  total: number[];
  /** 95 % percentile bootstrap intervals, [low, high] per parameter (empty without bootstrap). */
  firstCi: [number, number][];
  totalCi: [number, number][];
}

/**
 * First-order (Saltelli et al. 2010, eq. (b)) and total (Jansen 1999) indices from
 * f(A), f(B) and f(A_B^i) rows (one entry per base sample j), with a percentile bootstrap
 * over the rows, resampled with generator stream 1 of `seed`. f(B) is centred on the mean
 * output first: unbiased (E[f(A_B^i) − f(A)] = 0) and far less noisy when the output's
 * mean is large against its spread, as for most KPIs.
 */
export function sobolIndices(fA: number[], fB: number[], fAB: number[][], seed: number, bootstrap: number): SobolIndices {
  const n = fA.length;
  const d = fAB.length;
  const estimate = (rows: ArrayLike<number>) => {
    let sum = 0;
    let sum2 = 0;
    for (let k = 0; k < rows.length; k++) {
      const j = rows[k];
      sum += fA[j] + fB[j];
      sum2 += fA[j] ** 2 + fB[j] ** 2;
    }
    const m = rows.length;
    const centre = sum / (2 * m);
    const variance = sum2 / (2 * m) - centre ** 2;
    const first: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < d; i++) {
      let s = 0;
      let t = 0;
      for (let k = 0; k < m; k++) {
        const j = rows[k];
        s += (fB[j] - centre) * (fAB[i][j] - fA[j]);
        t += (fA[j] - fAB[i][j]) ** 2;
      }
      first.push(s / m / variance);
      total.push(t / (2 * m) / variance);
    }
    return { first, total };
  };
  const all = Int32Array.from({ length: n }, (_, j) => j);
  const point = estimate(all);
  const firstCi: [number, number][] = [];
  const totalCi: [number, number][] = [];
  if (bootstrap > 0 && n > 1) {
    const firsts: number[][] = Array.from({ length: d }, () => []);
    const totals: number[][] = Array.from({ length: d }, () => []);
    const rows = new Int32Array(n);
    for (let b = 0; b < bootstrap; b++) {
      for (let k = 0; k < n; k++) rows[k] = Math.floor(uniform(seed, 1, b, k) * n);
      const e = estimate(rows);
      for (let i = 0; i < d; i++) {
        firsts[i].push(e.first[i]);
        totals[i].push(e.total[i]);
      }
    }
    for (let i = 0; i < d; i++) {
      const f = firsts[i].sort((x, y) => x - y);
      const t = totals[i].sort((x, y) => x - y);
      firstCi.push([quantile(f, 0.025), quantile(f, 0.975)]);
      totalCi.push([quantile(t, 0.025), quantile(t, 0.975)]);
    }
  }
  return { n, ...point, firstCi, totalCi };
}

export interface MorrisEffects {
  /** Trajectories used (every run ok). */
  r: number;
  /** Mean of |EE| (Campolongo et al. 2007), mean of EE and its sample SD, per parameter; EE per unit of the parameter. */
  muStar: number[];
  mu: number[];
  sigma: number[];
}

/** Elementary effects of a Morris design from its run outputs (`y[index]`). */
export function morrisEffects(study: StudySpec & { kind: "morris" }, y: RunOutputs): MorrisEffects {
  const d = study.parameters.length;
  const effects: number[][] = Array.from({ length: d }, () => []);
  let r = 0;
  for (let t = 0; t < study.trajectories; t++) {
    const ys = y.slice(t * (d + 1), (t + 1) * (d + 1));
    if (ys.length !== d + 1 || ys.some((v) => v === null || !Number.isFinite(v))) continue;
    r++;
    const { order, delta } = morrisTrajectory(study.seed, t, d, study.levels);
    order.forEach((i, k) => {
      const p = study.parameters[i];
      effects[i].push((ys[k + 1]! - ys[k]!) / (delta * (p.max - p.min)));
    });
  }
  return {
    r,
    muStar: effects.map((e) => (e.length ? mean(e.map(Math.abs)) : NaN)),
    mu: effects.map((e) => (e.length ? mean(e) : NaN)),
    sigma: effects.map(sampleSd),
  };
}

/** Sobol indices of a Sobol design from its run outputs (`y[index]`); blocks with a failed run are dropped. */
export function sobolFromRuns(study: StudySpec & { kind: "sobol" }, y: RunOutputs): SobolIndices {
  const d = study.parameters.length;
  const fA: number[] = [];
  const fB: number[] = [];
  const fAB: number[][] = Array.from({ length: d }, () => []);
  for (let j = 0; j < study.baseSamples; j++) {
    const block = y.slice(j * (d + 2), (j + 1) * (d + 2));
    if (block.length !== d + 2 || block.some((v) => v === null || !Number.isFinite(v))) continue;
    fA.push(block[0]!);
    fB.push(block[1]!);
    for (let i = 0; i < d; i++) fAB[i].push(block[2 + i]!);
  }
  return sobolIndices(fA, fB, fAB, study.seed, study.bootstrap);
}

/** Mean, SD and 5/50/95 % quantiles of the finite values. */
export function statistics(y: RunOutputs) {
  const xs = y.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  return { n: xs.length, mean: xs.length ? mean(xs) : NaN, sd: sampleSd(xs), p5: quantile(xs, 0.05), p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), min: xs[0] ?? NaN, max: xs.at(-1) ?? NaN };
}

/**
 * A sweep with replicates: per grid point (in grid order, the last parameter fastest),
 * its sweep values and the statistics of its replicates.
 */
export function gridPointStatistics(study: StudySpec & { kind: "sweep" }, y: RunOutputs) {
  const samples = study.replicates?.samples ?? 1;
  const d = study.parameters.length;
  return Array.from({ length: gridPoints(study) }, (_, g) => {
    const { n, mean, sd, p5, p50, p95 } = statistics(y.slice(g * samples, (g + 1) * samples));
    return { grid: runPoint(study, g * samples).slice(0, d), n, mean, sd, p5, p50, p95 };
  });
}

/** The summary of one output: kind-specific. */
export function summarizeOutput(study: StudySpec, y: RunOutputs): unknown {
  const paths = study.parameters.map((p) => p.path);
  switch (study.kind) {
    case "sweep":
    case "monte-carlo": {
      const stats = statistics(y);
      const all = studyPaths(study);
      const at = (v: number) => {
        const k = y.indexOf(v);
        return k < 0 ? null : { index: k, parameters: Object.fromEntries(all.map((p, i) => [p, runPoint(study, k)[i]])) };
      };
      const summary = { ...stats, argMin: at(stats.min), argMax: at(stats.max) };
      return study.kind === "sweep" && study.replicates ? { ...summary, points: gridPointStatistics(study, y) } : summary;
    }
    case "morris": {
      const e = morrisEffects(study, y);
      return { trajectories: e.r, parameters: paths.map((path, i) => ({ path, muStar: e.muStar[i], mu: e.mu[i], sigma: e.sigma[i] })) };
    }
    case "sobol": {
      const s = sobolFromRuns(study, y);
      return {
        baseSamples: s.n,
        parameters: paths.map((path, i) => ({ path, first: s.first[i], firstCi: s.firstCi[i] ?? null, total: s.total[i], totalCi: s.totalCi[i] ?? null })),
      };
    }
  }
}

/**
 * The scenario seed (simulation.seed, 0 to 2³² − 1) of run `index` of a Monte Carlo study
 * or a sweep with replicates, from the study seed and the index alone. Other studies keep the base scenario's seed, so the runs
 * of a sweep or a sensitivity analysis share their random numbers (common random numbers)
 * and differ by their parameters only.
 */
export function runSeed(study: StudySpec, index: number): number | undefined {
  const random = study.kind === "monte-carlo" || replicatesOf(study) !== undefined;
  if (!random || studyPaths(study).includes("simulation.seed")) return undefined;
  return Math.floor(uniform(study.seed, 2, index, 0) * 2 ** 32);
}

// The reference problems built into the core (stiff test set and non-stiff problems
// with exact solutions), with their initial values and known answers, so that tests
// and benchmarks drive the real solvers on them (tests/reference/verification.json).
import * as L from "../assembly/layout";
import { describeStatus, SOLVER_IDS, type Core, type SolverName, type SolverStats } from "./core-bridge";

export interface TestProblem {
  id: string;
  model: number;
  t0: number;
  tEnd: number;
  y0: number[];
  /** Reference end state (stiff test set, RADAU5 at very tight tolerance). */
  yEnd?: number[];
  /** Exact solution, where one is known. */
  exact?: (t: number) => number[];
}

export const TEST_PROBLEMS: Record<string, TestProblem> = {
  rober: {
    id: "rober",
    model: L.MODEL_ROBER,
    t0: 0,
    tEnd: 1e11,
    y0: [1, 0, 0],
    yEnd: [2.083340149701255e-8, 8.333360770334713e-14, 0.999999979166505],
  },
  hires: {
    id: "hires",
    model: L.MODEL_HIRES,
    t0: 0,
    tEnd: 321.8122,
    y0: [1, 0, 0, 0, 0, 0, 0, 0.0057],
    yEnd: [
      0.0007371312573325668, 0.0001442485726316185, 5.888729740967575e-5, 0.001175651343283149,
      0.002386356198831331, 0.006238968252742796, 0.002849998395185769, 0.002850001604814231,
    ],
  },
  vdpol: {
    id: "vdpol",
    model: L.MODEL_VDPOL,
    t0: 0,
    tEnd: 2,
    y0: [2, 0],
    yEnd: [1.706167732170483, -0.8928097010247975],
  },
  rational: {
    id: "rational",
    model: L.MODEL_RATIONAL,
    t0: 5,
    tEnd: 15,
    y0: [1 / 3, 2 / 9],
    exact: (t) => [t / (t + 10), (10 * t) / ((t + 10) * (t + 10))],
  },
  linear: {
    id: "linear",
    model: L.MODEL_LINEAR,
    t0: 0,
    tEnd: 10,
    y0: [0, 2],
    exact: (t) => [-5 * Math.sin(2 * t), 2 * Math.cos(2 * t) + Math.sin(2 * t)],
  },
};

export interface TestSolve {
  status: number;
  message: string;
  yEnd: Float64Array;
  /** Output rows (t then the states), when an output interval was asked for. */
  rows: Float64Array;
  width: number;
  stats: SolverStats;
}

/** Solves a test problem from t0 to its end (or `tEnd`) with one solver and tolerance pair. */
export function solveTestProblem(
  core: Core,
  problem: TestProblem,
  options: { solver: SolverName; rtol: number; atol: number; tEnd?: number; outputIntervalH?: number; maxSteps?: number },
): TestSolve {
  const tEnd = options.tEnd ?? problem.tEnd;
  const dt = options.outputIntervalH ?? 0;
  const rows = dt > 0 ? Math.floor((tEnd - problem.t0) / dt + 1e-9) + 1 : 0;
  const initStatus = core.init(problem.model, SOLVER_IDS[options.solver], rows, 0);
  if (initStatus !== L.STATUS_OK) throw new Error(describeStatus(initStatus));
  problem.y0.forEach((v, i) => core.setState(i, v));
  core.setTime(problem.t0);
  core.setTolerances(options.rtol, options.atol);
  core.setStepControl(0, 0, options.maxSteps ?? 1_000_000);
  core.setOutputGrid(problem.t0, dt);
  const status = core.advanceTo(tEnd);
  return {
    status,
    message: describeStatus(status),
    yEnd: core.state(),
    rows: core.outputRows(),
    width: core.outputWidth,
    stats: core.stats(),
  };
}

/** Significant correct digits: min over components with |ref| > floor of -log10(relative error). */
export function correctDigits(y: ArrayLike<number>, ref: ArrayLike<number>, floor = 1e-10): number {
  let scd = Infinity;
  for (let i = 0; i < ref.length; i++) {
    if (Math.abs(ref[i]) <= floor) continue;
    const rel = Math.abs(y[i] - ref[i]) / Math.abs(ref[i]);
    scd = Math.min(scd, rel === 0 ? 17 : -Math.log10(rel));
  }
  return scd;
}

// The solvers on the reference problems with known answers (docs/model.md §1.3):
// the stiff test set to ≥ 6 correct digits, the exact non-stiff problems to 1e-8,
// dense output on the grid, and the fatal status codes.
import { describe, expect, test } from "vitest";
import * as L from "../assembly/layout";
import { describeStatus, loadCore, type CoreVariant } from "../engine/core-bridge";
import { correctDigits, solveTestProblem, TEST_PROBLEMS } from "../engine/test-problems";

const variants: CoreVariant[] = ["release", "debug"];

describe.each(variants)("%s core", (variant) => {
  test.each([
    ["rober", 1e-10, 1e-14],
    ["hires", 1e-10, 1e-14],
    ["vdpol", 1e-10, 1e-12],
  ])("Rodas4 solves %s to at least 6 significant digits", async (id, rtol, atol) => {
    const core = await loadCore({ variant });
    const problem = TEST_PROBLEMS[id];
    const solve = solveTestProblem(core, problem, { solver: "rodas4", rtol, atol });
    expect(solve.status).toBe(L.STATUS_OK);
    expect(correctDigits(solve.yEnd, problem.yEnd!)).toBeGreaterThanOrEqual(6);
  });

  test.each([
    ["rational", "rodas4"],
    ["rational", "dopri5"],
    ["linear", "rodas4"],
    ["linear", "dopri5"],
  ] as const)("%s with %s matches the exact solution to 1e-8, on the output grid too", async (id, solver) => {
    const core = await loadCore({ variant });
    const problem = TEST_PROBLEMS[id];
    const solve = solveTestProblem(core, problem, { solver, rtol: 1e-12, atol: 1e-14, outputIntervalH: 0.25 });
    expect(solve.status).toBe(L.STATUS_OK);
    const exactEnd = problem.exact!(problem.tEnd);
    exactEnd.forEach((v, i) => expect(Math.abs(solve.yEnd[i] - v)).toBeLessThanOrEqual(1e-8));
    const rows = solve.rows.length / solve.width;
    expect(rows).toBe(Math.round((problem.tEnd - problem.t0) / 0.25) + 1);
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      const t = solve.rows[r * solve.width];
      expect(t).toBeCloseTo(problem.t0 + 0.25 * r, 12);
      problem.exact!(t).forEach((v, i) => (worst = Math.max(worst, Math.abs(solve.rows[r * solve.width + 1 + i] - v))));
    }
    expect(worst).toBeLessThanOrEqual(1e-8);
  });
});

test("dense output does not shorten steps: a fine grid costs no extra steps", async () => {
  const core = await loadCore();
  const problem = TEST_PROBLEMS.hires;
  const coarse = solveTestProblem(core, problem, { solver: "rodas4", rtol: 1e-6, atol: 1e-10 });
  const fine = solveTestProblem(core, problem, { solver: "rodas4", rtol: 1e-6, atol: 1e-10, outputIntervalH: 0.01 });
  expect(fine.stats.steps).toBe(coarse.stats.steps);
  expect(Array.from(fine.yEnd)).toEqual(Array.from(coarse.yEnd));
  expect(fine.rows.length / fine.width).toBe(32182);
});

test("results are identical run after run (no hidden state between inits)", async () => {
  const core = await loadCore();
  const a = solveTestProblem(core, TEST_PROBLEMS.vdpol, { solver: "rodas4", rtol: 1e-7, atol: 1e-9 });
  solveTestProblem(core, TEST_PROBLEMS.rober, { solver: "rodas4", rtol: 1e-4, atol: 1e-8 });
  const b = solveTestProblem(core, TEST_PROBLEMS.vdpol, { solver: "rodas4", rtol: 1e-7, atol: 1e-9 });
  expect(Array.from(b.yEnd)).toEqual(Array.from(a.yEnd));
  expect(b.stats).toEqual(a.stats);
});

describe("fatal statuses end the run with a reason", () => {
  test("too much work", async () => {
    const core = await loadCore();
    const solve = solveTestProblem(core, TEST_PROBLEMS.rober, { solver: "rodas4", rtol: 1e-8, atol: 1e-12, maxSteps: 50 });
    expect(solve.status).toBe(L.STATUS_TOO_MUCH_WORK);
    expect(solve.message).toMatch(/more steps than allowed/);
    expect(solve.stats.failTime).toBeGreaterThan(0);
    // The status is sticky: the core refuses to go on from a failed state.
    expect(core.advanceTo(2e11)).toBe(L.STATUS_TOO_MUCH_WORK);
  });

  test("non-finite state (a singular right-hand side at t = 0)", async () => {
    const core = await loadCore();
    const solve = solveTestProblem(core, { ...TEST_PROBLEMS.rational, t0: 0 }, { solver: "dopri5", rtol: 1e-6, atol: 1e-9 });
    expect(solve.status).toBe(L.STATUS_NON_FINITE);
    expect(describeStatus(solve.status)).toMatch(/NaN or infinite/);
  });

  test("step too small (a solution that blows up in finite time)", async () => {
    // Started off its exact solution with y2 < 0, the rational problem blows up near t = 7.5.
    const core = await loadCore();
    const solve = solveTestProblem(core, { ...TEST_PROBLEMS.rational, y0: [0.5, -1] }, { solver: "rodas4", rtol: 1e-6, atol: 1e-9 });
    expect(solve.status).toBe(L.STATUS_STEP_TOO_SMALL);
    expect(solve.message).toMatch(/step size fell below/);
    expect(solve.stats.failTime).toBeGreaterThan(7);
    expect(solve.stats.failTime).toBeLessThan(8);
  });

  test("bad setup: unknown model, time going backwards, no room for events", async () => {
    const core = await loadCore();
    expect(core.init(99, L.SOLVER_RODAS4, 0, 0)).toBe(L.STATUS_BAD_SETUP);
    expect(core.init(L.MODEL_LINEAR, 7, 0, 0)).toBe(L.STATUS_BAD_SETUP);
    expect(core.init(L.MODEL_LINEAR, L.SOLVER_RODAS4, 0, 0)).toBe(L.STATUS_OK);
    expect(() => core.addEvent(1, L.EVENT_SET_STATE, 0, 1)).toThrow(/refused event/);
    core.setTime(5);
    expect(core.advanceTo(4)).toBe(L.STATUS_BAD_SETUP);
  });
});

test("a time event stops integration exactly and restarts from the new state", async () => {
  // Linear problem: at t = 1.2345 set y1 to its exact value shifted by +1; afterwards
  // the solution is the exact flow from that state, computed here by superposition.
  const core = await loadCore();
  const problem = TEST_PROBLEMS.linear;
  const tEvent = 1.2345;
  core.init(problem.model, L.SOLVER_RODAS4, 0, 1);
  problem.y0.forEach((v, i) => core.setState(i, v));
  core.setTime(0);
  core.setTolerances(1e-12, 1e-14);
  core.setStepControl(0, 0, 100000);
  core.setOutputGrid(0, 0);
  const [y1e] = problem.exact!(tEvent);
  core.addEvent(tEvent, L.EVENT_SET_STATE, 0, y1e + 1);
  expect(core.advanceTo(3)).toBe(L.STATUS_OK);
  // Flow of y' = A y over s from (1, 0): A = [[-1,-5],[1,1]], eigenvalues ±2i.
  const s = 3 - tEvent;
  const unit = [Math.cos(2 * s) - 0.5 * Math.sin(2 * s), 0.5 * Math.sin(2 * s)];
  const expected = problem.exact!(3).map((v, i) => v + unit[i]);
  const y = core.state();
  expected.forEach((v, i) => expect(Math.abs(y[i] - v)).toBeLessThan(1e-9));
});

// The plain-TypeScript baseline core (benchmarks/baseline/ts-core.ts) must be a faithful
// port of the WebAssembly core: same steps, rejections and right-hand-side evaluations,
// and the same numbers (bit-identical in practice; 1e-12 relative is the hard bound).
// If this fails after a change to assembly/, mirror the change in benchmarks/baseline/.
import { beforeAll, describe, expect, test } from "vitest";
import * as L from "../assembly/layout";
import { asExp, asPow } from "../benchmarks/baseline/as-math";
import { createTsCore } from "../benchmarks/baseline/ts-core";
import { loadCore, type Core, type SolverName } from "../engine/core-bridge";
import { formatProblem, parseScenario, type Scenario } from "../engine/scenario";
import { ScenarioSetupError, setUpRun, simulate, type SimulationResult } from "../engine/simulate";
import { solveTestProblem, TEST_PROBLEMS, type TestSolve } from "../engine/test-problems";

const REL = 1e-12;

function relDiff(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

/** Largest relative difference between two arrays of the same length. */
function worstRelDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, relDiff(a[i], b[i]));
  return worst;
}

function bitIdentical(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

let wasm: Core;
beforeAll(async () => {
  wasm = await loadCore();
});

const cases: [string, SolverName, number][] = [];
for (const rtol of [1e-6, 1e-9]) {
  for (const id of ["rober", "hires", "vdpol"]) cases.push([id, "rodas4", rtol]);
  for (const id of ["rational", "linear"]) for (const solver of ["rodas4", "dopri5"] as const) cases.push([id, solver, rtol]);
}

function solveBoth(id: string, solver: SolverName, rtol: number): { w: TestSolve; t: TestSolve } {
  const problem = TEST_PROBLEMS[id];
  // An output grid of ten intervals exercises dense output too (it never shortens steps).
  const options = { solver, rtol, atol: 1e-4 * rtol, outputIntervalH: (problem.tEnd - problem.t0) / 10 };
  return { w: solveTestProblem(wasm, problem, options), t: solveTestProblem(createTsCore(), problem, options) };
}

describe("TsCore agrees with the WebAssembly core on the reference problems", () => {
  test.each(cases)("%s, %s, rtol %s", (id, solver, rtol) => {
    const { w, t } = solveBoth(id, solver, rtol);
    expect(w.status).toBe(L.STATUS_OK);
    expect(t.status).toBe(w.status);
    expect(t.stats.steps).toBe(w.stats.steps);
    expect(t.stats.rejectedSteps).toBe(w.stats.rejectedSteps);
    expect(t.stats.rhsEvals).toBe(w.stats.rhsEvals);
    expect(t.stats.jacobianEvals).toBe(w.stats.jacobianEvals);
    expect(t.stats.luDecompositions).toBe(w.stats.luDecompositions);
    expect(relDiff(t.stats.lastStep, w.stats.lastStep)).toBeLessThanOrEqual(REL);
    expect(worstRelDiff(t.yEnd, w.yEnd)).toBeLessThanOrEqual(REL);
    expect(t.width).toBe(w.width);
    expect(worstRelDiff(t.rows, w.rows)).toBeLessThanOrEqual(REL);
  });

  test("final states and output rows are bit-identical in every case", () => {
    const differing = cases.filter(([id, solver, rtol]) => {
      const { w, t } = solveBoth(id, solver, rtol);
      return !bitIdentical(t.yEnd, w.yEnd) || !bitIdentical(t.rows, w.rows);
    });
    expect(differing).toEqual([]);
  });
});

/** A fed-batch E. coli-like run: a bolus at 5 h, an exponential feed from 8 h, rows every 0.5 h to 24 h. */
function runMicrobial(core: Core, solver: number) {
  const endH = 24;
  const dt = 0.5;
  const gridRows = Math.floor(endH / dt + 1e-9) + 1;
  expect(core.init(L.MODEL_MICROBIAL, solver, gridRows + 1, 4)).toBe(L.STATUS_OK);
  const params: [number, number][] = [
    [L.MP_MU_MAX, 0.66], [L.MP_KS, 0.05], [L.MP_YXS, 0.51], [L.MP_MS, 0.04], [L.MP_KD, 0.01],
    [L.MP_ALPHA, 0.1], [L.MP_BETA, 0.005], [L.MP_YXO, 0.042], [L.MP_MO, 1.33], [L.MP_KO, 0.003],
    [L.MP_KLA, 300], [L.MP_O2_SAT, 0.21], [L.MP_FEED_S, 500],
    [L.MP_ON_SUBSTRATE_LIMIT, 1], [L.MP_ON_MAINTENANCE, 1], [L.MP_ON_DEATH, 1], [L.MP_ON_PRODUCT, 1], [L.MP_ON_OXYGEN, 1],
  ];
  for (const [slot, value] of params) core.setParam(slot, value);
  core.setState(L.MX_X, 0.1);
  core.setState(L.MX_S, 10);
  core.setState(L.MX_O2, 0.21);
  core.setState(L.MX_V, 1);
  core.addEvent(5, L.EVENT_BOLUS, 0, 0.05);
  core.addEvent(8, L.EVENT_SET_PARAM, L.MP_FEED_T0, 8);
  core.addEvent(8, L.EVENT_SET_PARAM, L.MP_FEED_EXP, 0.15);
  core.addEvent(8, L.EVENT_SET_PARAM, L.MP_FEED_RATE, 0.002);
  core.setTime(0);
  core.setTolerances(1e-6, 1e-9);
  core.setStepControl(0, 0, 100_000);
  core.setOutputGrid(0, dt);
  const status = core.advanceTo(endH);
  return { status, count: core.outputCount, width: core.outputWidth, rows: core.outputRows(), state: core.state(), stats: core.stats() };
}

describe("TsCore agrees with the WebAssembly core on a fed-batch microbial run", () => {
  test("rodas4: same steps, same output rows", () => {
    const w = runMicrobial(wasm, L.SOLVER_RODAS4);
    const t = runMicrobial(createTsCore(), L.SOLVER_RODAS4);
    expect(w.status).toBe(L.STATUS_OK);
    expect(t.status).toBe(w.status);
    expect(w.count).toBe(49);
    expect(t.count).toBe(w.count);
    expect(t.width).toBe(1 + L.MX_STATES + L.MX_DERIVED);
    expect(t.width).toBe(w.width);
    expect(t.stats).toEqual(w.stats);
    expect(worstRelDiff(t.rows, w.rows)).toBeLessThanOrEqual(REL);
    expect(worstRelDiff(t.state, w.state)).toBeLessThanOrEqual(REL);
    expect(bitIdentical(t.rows, w.rows)).toBe(true);
    expect(bitIdentical(t.state, w.state)).toBe(true);
    // The run did what it says: the bolus raised the volume, the feed ran from 8 h.
    const vol = (r: number) => t.rows[r * t.width + 1 + L.MX_V];
    const feed = (r: number) => t.rows[r * t.width + 1 + L.MX_STATES + L.MXD_FEED];
    expect(vol(9)).toBe(1); // 4.5 h
    expect(vol(11)).toBeCloseTo(1.05, 12); // 5.5 h
    expect(feed(15)).toBe(0); // 7.5 h
    expect(feed(20)).toBeCloseTo(0.002 * Math.exp(0.15 * 2), 12); // 10 h
  });

  test("dopri5 (the oxygen balance is stiff: it may run out of steps): the same run, or the same failure", () => {
    const w = runMicrobial(wasm, L.SOLVER_DOPRI5);
    const t = runMicrobial(createTsCore(), L.SOLVER_DOPRI5);
    expect(t.status).toBe(w.status);
    expect(t.count).toBe(w.count);
    expect(t.count).toBeGreaterThan(20); // past the bolus and the feed start either way
    expect(t.stats).toEqual(w.stats);
    expect(worstRelDiff(t.rows, w.rows)).toBeLessThanOrEqual(REL);
    expect(bitIdentical(t.rows, w.rows)).toBe(true);
    expect(bitIdentical(t.state, w.state)).toBe(true);
  });
});

/** Everything a caller can observe after a run, for a like-for-like comparison. */
function observe(core: Core, statuses: number[]) {
  return { statuses, time: core.time(), count: core.outputCount, rows: core.outputRows(), state: core.state(), stats: core.stats() };
}

describe("TsCore agrees with the WebAssembly core on failures and sliced runs", () => {
  const scenarios: [string, (core: Core) => ReturnType<typeof observe>][] = [
    ["too much work (ROBER, 50 steps allowed), sticky", (core) => {
      solveTestProblem(core, TEST_PROBLEMS.rober, { solver: "rodas4", rtol: 1e-8, atol: 1e-12, maxSteps: 50 });
      return observe(core, [core.advanceTo(1e11)]);
    }],
    ["a NaN in the state", (core) => {
      core.init(L.MODEL_HIRES, L.SOLVER_RODAS4, 0, 0);
      TEST_PROBLEMS.hires.y0.forEach((v, i) => core.setState(i, v));
      core.setState(3, NaN);
      return observe(core, [core.advanceTo(10)]);
    }],
    ["a right-hand side that refuses the state (volume 0)", (core) => {
      core.init(L.MODEL_MICROBIAL, L.SOLVER_RODAS4, 0, 0);
      core.setParam(L.MP_MU_MAX, 0.5);
      core.setParam(L.MP_YXS, 0.5);
      return observe(core, [core.advanceTo(1)]);
    }],
    ["time going backwards; an unknown model", (core) => {
      core.init(L.MODEL_LINEAR, L.SOLVER_DOPRI5, 0, 0);
      core.setTime(5);
      const back = core.advanceTo(1);
      const unknown = core.init(99, L.SOLVER_RODAS4, 0, 0);
      return observe(core, [back, unknown, core.advanceTo(1)]);
    }],
    ["the fed-batch run in 1 h slices with a closing row off the grid", (core) => {
      runMicrobial(core, L.SOLVER_RODAS4); // sets everything up, runs to 24 h ...
      const statuses: number[] = [];
      core.init(L.MODEL_MICROBIAL, L.SOLVER_RODAS4, 40, 1); // ... then a fresh sliced run
      core.setParam(L.MP_MU_MAX, 0.66);
      core.setParam(L.MP_YXS, 0.51);
      core.setParam(L.MP_KS, 0.05);
      core.setParam(L.MP_FEED_S, 500);
      core.setParam(L.MP_ON_SUBSTRATE_LIMIT, 1);
      core.setState(L.MX_X, 0.1);
      core.setState(L.MX_S, 10);
      core.setState(L.MX_V, 1);
      core.addEvent(3.3, L.EVENT_BOLUS, 0, 0.05);
      core.setTolerances(1e-7, 1e-9);
      core.setOutputGrid(0, 0.7);
      for (let h = 1; h <= 12; h++) statuses.push(core.advanceTo(h));
      core.writeCurrentRow();
      return observe(core, statuses);
    }],
  ];

  test.each(scenarios)("%s", (_name, drive) => {
    const w = drive(wasm);
    const t = drive(createTsCore());
    expect(t.statuses).toEqual(w.statuses);
    expect(t.time).toBe(w.time);
    expect(t.count).toBe(w.count);
    expect(t.stats).toEqual(w.stats);
    expect(bitIdentical(t.rows, w.rows)).toBe(true);
    expect(bitIdentical(t.state, w.state)).toBe(true);
  });

  test("the failure statuses are the expected ones", () => {
    const statuses = scenarios.slice(0, 4).map(([, drive]) => drive(createTsCore()).statuses);
    expect(statuses).toEqual([
      [L.STATUS_TOO_MUCH_WORK],
      [L.STATUS_NON_FINITE],
      [L.STATUS_RHS_FAILED],
      [L.STATUS_BAD_SETUP, L.STATUS_BAD_SETUP, L.STATUS_BAD_SETUP],
    ]);
  });
});

// ---- the CHO model, through the engine -----------------------------------------------

type Doc = Record<string, any>;

/** Validates a scenario document; fails loudly with every problem. */
function scenarioOf(doc: Doc): Scenario {
  const parsed = parseScenario(doc);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join("\n"));
  return parsed.scenario;
}

const CHO_CELLS = {
  model: "cho",
  parameters: { muMaxPerH: 0.039, yieldCellsPerGlucoseCellsPerMmol: 3.57e8, yieldLactatePerGlucoseMolPerMol: 0.7, qpPgPerCellPerDay: 30 },
};

/**
 * A 2 L CHO fed-batch with every operation: two single boluses (feed at 30.5 h, glucose
 * at 50 h), a daily feed bolus schedule from day 3, glucose on demand (below 11 mM, up to
 * 22 mM) at daily checks, daily samples, a temperature shift 37 -> 33 °C at 120 h, all three
 * control loops on, and a harvest rule (viability below 85 %) that ends the run between
 * output rows (near 239 h).
 */
function choFedBatch(): Doc {
  return {
    format: "biotwin-scenario",
    version: 1,
    metadata: { title: "CHO fed-batch: boluses, schedule, feed on demand, samples, temperature shift, loops, harvest" },
    cells: structuredClone(CHO_CELLS),
    reactor: { maxVolumeL: 3 },
    initial: { volumeL: 2, viableCellsE6PerMl: 0.5, glucoseMM: 33, glutamineMM: 4 },
    process: {
      mode: "fed-batch",
      durationH: 336,
      media: {
        feed: { glucoseMM: 250, glutamineMM: 40, sodiumMM: 40, chlorideMM: 20, bicarbonateMM: 20, osmolalityMOsmPerKg: 1200 },
        glucose: { glucoseMM: 2200 },
      },
      boluses: [
        { timeH: 30.5, volumeL: 0.04, medium: "feed" },
        { timeH: 50, volumeL: 0.01, medium: "glucose" },
      ],
      bolusSchedules: [{ medium: "feed", startH: 72, everyH: 24, percentOfInitialVolume: 3 }],
      feedOnDemand: { medium: "glucose", belowMM: 11, targetMM: 22, startH: 72, everyH: 24 },
      sampling: { volumeL: 0.005, everyH: 24 },
      harvest: { viabilityBelowPercent: 85 },
    },
    control: {
      temperature: { setpointC: 37, schedule: [{ timeH: 120, setpointC: 33 }] },
      dissolvedOxygen: { setpointPercent: 40 },
      pH: { setpoint: 7.0, deadBand: 0.05 },
    },
    simulation: { outputIntervalH: 1 },
  };
}

/** 20 days of perfusion (1.5 VVD from 48 h, 99 % retention, 0.2 VVD bleed), loops at their defaults. */
function choPerfusion(): Doc {
  return {
    format: "biotwin-scenario",
    version: 1,
    metadata: { title: "CHO perfusion" },
    cells: structuredClone(CHO_CELLS),
    reactor: { maxVolumeL: 2.5 },
    initial: { volumeL: 2, viableCellsE6PerMl: 0.5, glucoseMM: 35, glutamineMM: 6 },
    process: {
      mode: "perfusion",
      durationH: 480,
      media: {
        fresh: { glucoseMM: 60, glutamineMM: 8, sodiumMM: 120, chlorideMM: 95, bicarbonateMM: 24, osmolalityMOsmPerKg: 300 },
      },
      perfusion: { medium: "fresh", startH: 48, rateVVD: 1.5, retentionEfficiency: 0.99, bleedVVD: 0.2 },
    },
    simulation: { outputIntervalH: 1, relTol: 1e-6, absTol: 1e-8 },
  };
}

/** The fed-batch of the shipped no-control scenario with all three loops off (fixed heater, gassing and CO2). */
function choLoopsOff(): Doc {
  return {
    format: "biotwin-scenario",
    version: 1,
    metadata: { title: "CHO fed-batch, loops off" },
    cells: structuredClone(CHO_CELLS),
    initial: { volumeL: 1.5, viableCellsE6PerMl: 0.5, glucoseMM: 35, glutamineMM: 6 },
    process: {
      mode: "fed-batch",
      durationH: 336,
      media: {
        feed: { glucoseMM: 400, glutamineMM: 100, sodiumMM: 20, chlorideMM: 10, osmolalityMOsmPerKg: 1100 },
        glucose: { glucoseMM: 2220, osmolalityMOsmPerKg: 2400 },
      },
      bolusSchedules: [{ medium: "feed", startH: 72, everyH: 24, percentOfInitialVolume: 3.5 }],
      feedOnDemand: { medium: "glucose", belowMM: 30, targetMM: 45, startH: 72, everyH: 24 },
      sampling: { volumeL: 0.003, startH: 24, everyH: 24 },
    },
    control: {
      temperature: { enabled: false, fixedHeaterW: 22.5 },
      dissolvedOxygen: { enabled: false, agitationRpm: 150, gasFlowLPerMin: 0.05 },
      pH: { enabled: false, co2Fraction: 0.02 },
    },
    simulation: { outputIntervalH: 1, relTol: 1e-6, absTol: 1e-8 },
  };
}

/** The fed-batch with an exponential continuous feed from 96 to 200 h too (f depends on t: Rodas4 needs df/dt). */
function choExponentialFeed(): Doc {
  const doc = choFedBatch();
  doc.process.feedProfile = [{ startH: 96, endH: 200, rateLPerH: 0.0004, exponentialRatePerH: 0.01, medium: "feed" }];
  doc.process.harvest = { viabilityBelowPercent: 80 };
  return doc;
}

/** The first 130 h of the fed-batch with DOPRI5. */
function choDopri5(): Doc {
  const doc = choFedBatch();
  doc.process.durationH = 130;
  doc.simulation.solver = "dopri5";
  return doc;
}

const choCases: [string, () => Doc][] = [
  ["fed-batch: boluses, bolus schedule, feed on demand, samples, temperature shift, three loops, harvest", choFedBatch],
  ["perfusion with bleed", choPerfusion],
  ["fed-batch with the loops off", choLoopsOff],
  ["fed-batch with an exponential feed profile, harvest", choExponentialFeed],
  ["fed-batch, dopri5", choDopri5],
];

/** Runs a scenario on both cores (a fresh TsCore each time, the shared wasm instance as the engine does). */
function simulateBoth(doc: Doc): { w: SimulationResult; t: SimulationResult } {
  const scenario = scenarioOf(doc);
  return { w: simulate(wasm, scenario), t: simulate(createTsCore(), scenario) };
}

function expectSameResult(t: SimulationResult, w: SimulationResult): void {
  expect(t.metadata.statusCode).toBe(w.metadata.statusCode);
  expect(t.metadata.status).toBe(w.metadata.status);
  expect(t.metadata.message).toBe(w.metadata.message);
  expect(Object.is(t.metadata.endTimeH, w.metadata.endTimeH)).toBe(true); // the harvest time, bit for bit
  expect(t.metadata.stats).toEqual(w.metadata.stats); // steps, rejections, rhs/Jacobian/LU counts, last step
  expect(t.metadata.warnings).toEqual(w.metadata.warnings);
  expect(t.columns.map((c) => c.name)).toEqual(w.columns.map((c) => c.name));
  expect(t.columns[0].values.length).toBe(w.columns[0].values.length);
  const differing = w.columns.filter((c, i) => !bitIdentical(t.columns[i].values, c.values)).map((c) => c.name);
  expect(differing).toEqual([]); // every output row, states and derived outputs, bit-identical
  expect(t.balances).toEqual(w.balances);
}

function col(result: SimulationResult, name: string): Float64Array {
  const found = result.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found.values;
}

/** Row index of time `h` on the 1 h output grid. */
const row = (result: SimulationResult, h: number) => col(result, "time").findIndex((v) => v === h);

describe("TsCore agrees with the WebAssembly core on CHO scenarios (parseScenario + simulate)", () => {
  test.each(choCases)("%s", (_name, make) => {
    const { w, t } = simulateBoth(make());
    expect(w.metadata.status).not.toBe("failed");
    expectSameResult(t, w);
  });

  test("the fed-batch did what it says: boluses, demand top-up, temperature shift, loops, harvest between rows", () => {
    const { t } = simulateBoth(choFedBatch());
    expect(t.metadata.status).toBe("harvested");
    expect(t.metadata.statusCode).toBe(L.STATUS_STOPPED);
    const end = t.metadata.endTimeH;
    expect(end).toBeGreaterThan(120);
    expect(end).toBeLessThan(336);
    expect(Number.isInteger(end)).toBe(false); // located inside a step, not on the grid
    const time = col(t, "time");
    expect(time[time.length - 1]).toBe(end); // the closing row is at the harvest time ...
    expect(col(t, "viability")[time.length - 1]).toBeCloseTo(85, 6); // ... where viability crosses 85 %
    expect(Math.min(...col(t, "viability").slice(0, -1))).toBeGreaterThan(85);
    const volume = col(t, "volume");
    expect(volume[row(t, 31)] - volume[row(t, 30)]).toBeCloseTo(0.04, 6); // bolus of feed at 30.5 h
    expect(volume[row(t, 24)] - volume[row(t, 23)]).toBeCloseTo(-0.005, 6); // a sample
    const glucose = col(t, "glucose");
    expect(glucose[row(t, 50)] - glucose[row(t, 49)]).toBeGreaterThan(9); // 10 mL of 2.2 M glucose in 2 L
    const checks = [72, 96, 120, 144, 168, 192, 216].filter((h) => h < end);
    expect(checks.some((h) => Math.abs(glucose[row(t, h)] - 22) < 1e-6)).toBe(true); // a demand top-up to 22 mM
    const setpoint = col(t, "temperature_setpoint");
    expect(setpoint[row(t, 119)]).toBe(37);
    expect(setpoint[row(t, 120)]).toBe(33);
    expect(col(t, "temperature")[row(t, 200)]).toBeCloseTo(33, 1);
    expect(col(t, "do_saturation")[row(t, 200)]).toBeCloseTo(40, -1);
    expect(new Set(col(t, "agitation")).size).toBeGreaterThan(10); // the DO cascade moves
    expect(new Set(col(t, "co2_fraction")).size).toBeGreaterThan(10); // the pH loop moves
  });

  test("the perfusion run holds its volume and perfuses from 48 h; the loops-off run holds its actuators", () => {
    const perfusion = simulateBoth(choPerfusion()).t;
    expect(perfusion.metadata.status).toBe("ok");
    expect(perfusion.metadata.endTimeH).toBe(480);
    expect(col(perfusion, "perfusion_rate")[row(perfusion, 47)]).toBe(0);
    expect(col(perfusion, "perfusion_rate")[row(perfusion, 100)]).toBeCloseTo(1.5 * 2 / 24, 12);
    for (const v of col(perfusion, "volume")) expect(v).toBeCloseTo(2, 6);

    const off = simulateBoth(choLoopsOff()).t;
    expect(off.metadata.status).toBe("ok");
    expect(new Set(col(off, "agitation"))).toEqual(new Set([150]));
    expect(new Set(col(off, "gas_flow"))).toEqual(new Set([0.05]));
    expect(new Set(col(off, "heater_power"))).toEqual(new Set([22.5]));
    expect(new Set(col(off, "base_added"))).toEqual(new Set([0]));
  });

  test("a medium the core cannot set up: the same setup problem from both cores, cleared by the next run", () => {
    const bad = choFedBatch();
    bad.initial.sodiumMM = 10; // chloride from the charge balance would be negative
    const scenario = scenarioOf(bad);
    const ts = createTsCore();
    const messages = [wasm, ts].map((core) => {
      try {
        simulate(core, scenario);
        return "no error";
      } catch (error) {
        expect(error).toBeInstanceOf(ScenarioSetupError);
        return (error as Error).message;
      }
    });
    expect(messages[0]).not.toBe("no error");
    expect(messages[1]).toBe(messages[0]);
    expect(ts.setupProblem).toBe(wasm.setupProblem);
    expect(ts.setupProblem).not.toBe(0);
    const next = scenarioOf(choDopri5());
    const w = simulate(wasm, next);
    const t = simulate(ts, next);
    expect(ts.setupProblem).toBe(0);
    expect(wasm.setupProblem).toBe(0);
    expectSameResult(t, w);
  });

  test("the fed-batch in 24 h slices: the same steps to the harvest, then STATUS_STOPPED on every later slice", () => {
    const scenario = scenarioOf(choFedBatch());
    const drive = (core: Core) => {
      setUpRun(core, scenario);
      const statuses: number[] = [];
      for (let h = 24; h <= 336; h += 24) statuses.push(core.advanceTo(h));
      core.writeCurrentRow();
      return observe(core, statuses);
    };
    const w = drive(wasm);
    const t = drive(createTsCore());
    expect(w.statuses.filter((s) => s === L.STATUS_STOPPED).length).toBeGreaterThan(1);
    expect(w.statuses.every((s) => s === L.STATUS_OK || s === L.STATUS_STOPPED)).toBe(true);
    expect(t.statuses).toEqual(w.statuses);
    expect(Object.is(t.time, w.time)).toBe(true);
    expect(t.count).toBe(w.count);
    expect(t.stats).toEqual(w.stats);
    expect(bitIdentical(t.rows, w.rows)).toBe(true);
    expect(bitIdentical(t.state, w.state)).toBe(true);
  });
});

describe("TsCore agrees with the WebAssembly core on the CHO model's analytic Jacobian", () => {
  test.each(choCases.slice(0, 3))("%s: f and the Jacobian at every 12 h, bit-identical", (_name, make) => {
    const scenario = scenarioOf(make());
    const drive = (core: Core) => {
      setUpRun(core, scenario);
      const points: { f: Float64Array; jac: Float64Array }[] = [];
      for (let h = 0; h <= scenario.process.durationH; h += 12) {
        if (core.advanceTo(h) === L.STATUS_STOPPED) break;
        const jac = core.jacobian();
        expect(jac?.columns).toBe(L.CX_DYNAMIC);
        points.push({ f: core.derivative(), jac: jac!.values });
      }
      return points;
    };
    const w = drive(wasm);
    const t = drive(createTsCore());
    expect(w.length).toBeGreaterThan(10);
    expect(t.length).toBe(w.length);
    const differing = w.flatMap((p, k) => (bitIdentical(t[k].f, p.f) && bitIdentical(t[k].jac, p.jac) ? [] : [k * 12]));
    expect(differing).toEqual([]);
  });
});

describe("as-math: AssemblyScript's exp and pow", () => {
  test("special values follow NativeMath", () => {
    expect(asPow(0, 0.25)).toBe(0);
    expect(asPow(2, 0)).toBe(1);
    expect(Number.isNaN(asPow(-2, 0.25))).toBe(true);
    expect(asPow(Infinity, 0.17)).toBe(Infinity);
    expect(asPow(-8, 3)).toBe(-512);
    expect(relDiff(asPow(5e-324, 0.25), Math.pow(5e-324, 0.25))).toBeLessThan(4e-16); // subnormal x
    expect(asExp(0)).toBe(1);
    expect(asExp(-Infinity)).toBe(0);
    expect(asExp(1000)).toBe(Infinity);
    expect(asExp(-800)).toBe(0);
  });

  test("stays within rounding of V8's Math.pow and Math.exp", () => {
    // Bit-exactness against AssemblyScript is what the solver comparisons above check
    // (V8 differs from it in the last bit for a few percent of controller arguments).
    for (let i = 1; i < 2000; i++) {
      const x = i / 997;
      for (const e of [0.25, 0.17, 0.04, 0.2]) expect(relDiff(asPow(x, e), Math.pow(x, e))).toBeLessThan(4e-16);
      expect(relDiff(asExp(x), Math.exp(x))).toBeLessThan(4e-16);
    }
  });
});

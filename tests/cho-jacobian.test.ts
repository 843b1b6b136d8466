// The analytic Jacobian of the CHO model (choJacobian in assembly/models/cho.ts) against
// careful finite differences of the WebAssembly core's own right-hand side, at states
// taken every 12 h from real runs of the shipped CHO scenarios with each control loop
// switched on and off. The solver trusts this Jacobian (docs/model.md §1.1), so every
// entry of every row, quadratures included, must agree.
import { beforeAll, describe, expect, test } from "vitest";
import * as L from "../assembly/layout";
import { loadCore, type Core } from "../engine/core-bridge";
import { setUpRun, simulate } from "../engine/simulate";
import { readJson, validScenario } from "./helpers";

/** Every entry within this fraction of its column's scale. */
const REL_TOL = 1e-5;
/**
 * Entries are compared in units of each state's scale s_i = max(|y_i|, STATE_FLOOR[i]):
 * Ĵ_ij = ∂f_i/∂y_j · s_j / s_i, in 1/h, so that the rows of one column can share a scale.
 * A column's scale is its largest |Ĵ_ij|, but at least this floor: a rate of 1e-2 1/h (a
 * time scale of 100 h, slower than anything the solver has to resolve in these runs).
 */
const SCALE_FLOOR_PER_H = 1e-2;
/**
 * Difference steps, as fractions of the state's scale: the small one stays clear of most
 * kinks, the large one of the pH solver's rounding (its Newton iteration stops within
 * 1e-13 pH units, which a step of 1e-5 can feel in the dead band's error).
 */
const REL_STEPS = [1e-5, 1e-4];
/** Smallest scale of each state, in its unit (docs/model.md §4.1). */
const STATE_FLOOR = new Array<number>(L.CX_STATES).fill(1); // quadratures: 1 mmol, 1e9 cells, 1 L, 1 mg
STATE_FLOOR[L.CX_XV] = 1e-2; // 1e6 cells/mL
STATE_FLOOR[L.CX_XD] = 1e-2;
STATE_FLOOR[L.CX_GLC] = 1e-2; // mM
STATE_FLOOR[L.CX_GLN] = 1e-2;
STATE_FLOOR[L.CX_LAC] = 1e-2;
STATE_FLOOR[L.CX_AMM] = 1e-2;
STATE_FLOOR[L.CX_MAB] = 1; // mg/L
STATE_FLOOR[L.CX_DO] = 1e-3; // mM
STATE_FLOOR[L.CX_TIC] = 1e-1; // mM
STATE_FLOOR[L.CX_NA] = 1;
STATE_FLOOR[L.CX_CL] = 1;
STATE_FLOOR[L.CX_OTHER] = 1; // mOsm/kg
STATE_FLOOR[L.CX_V] = 1e-2; // L
STATE_FLOOR[L.CX_T] = 1; // °C
STATE_FLOOR[L.CX_I_T] = 1e-1; // K·h
STATE_FLOOR[L.CX_I_DO] = 1; // %·h
STATE_FLOOR[L.CX_I_PH] = 1e-2; // pH·h

const FILES = ["cho-fed-batch.json", "cho-perfusion.json", "cho-chemostat.json", "cho-fed-batch-no-control.json"];
const LOOPS = ["temperature", "dissolvedOxygen", "pH"] as const;
type Loop = (typeof LOOPS)[number];
type Doc = Record<string, any>;

function loopOn(doc: Doc, loop: Loop): boolean {
  return doc.control?.[loop]?.enabled !== false;
}

/** The scenario with each loop on or off as given (a heater that holds about 37 °C when off). */
function withLoops(doc: Doc, on: Record<Loop, boolean>): Doc {
  const out = structuredClone(doc);
  out.control ??= {};
  for (const loop of LOOPS) {
    out.control[loop] = { ...out.control[loop], enabled: on[loop] };
    if (loop === "temperature" && !on[loop]) out.control[loop].fixedHeaterW ??= 22.5;
  }
  return out;
}

/** The file as shipped, each loop toggled alone, all loops on and all off. */
function variants(file: string): [string, Doc][] {
  const doc = readJson(`scenarios/${file}`) as Doc;
  const shipped = Object.fromEntries(LOOPS.map((l) => [l, loopOn(doc, l)])) as Record<Loop, boolean>;
  const sets: Record<Loop, boolean>[] = [shipped];
  for (const loop of LOOPS) sets.push({ ...shipped, [loop]: !shipped[loop] });
  sets.push({ temperature: true, dissolvedOxygen: true, pH: true }, { temperature: false, dissolvedOxygen: false, pH: false });
  const seen = new Set<string>();
  const out: [string, Doc][] = [];
  for (const on of sets) {
    const key = LOOPS.map((l) => `${l} ${on[l] ? "on" : "off"}`).join(", ");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([`${file}, ${key}`, withLoops(doc, on)]);
  }
  return out;
}

/** Sets the core up for the scenario as simulate() does. */
function setUp(core: Core, doc: Doc) {
  const scenario = validScenario(doc);
  setUpRun(core, scenario);
  return scenario;
}

interface ColumnCheck {
  /** Worst |analytic - difference| / (REL_TOL × column scale) of the best stencil; ≤ 1 passes. */
  ratio: number;
  /** Whether central differences agreed, or only one-sided ones (next to a kink). */
  central: boolean;
}

/** Differences of f at y + k h e_j, k = -2..2, for column j with step h. */
function stencilValues(core: Core, y: Float64Array, j: number, h: number): Float64Array[] {
  const f = (k: number) => {
    core.setState(j, y[j] + k * h);
    return core.derivative();
  };
  const values = [f(-2), f(-1), f(1), f(2)];
  core.setState(j, y[j]);
  return [values[0], values[1], core.derivative(), values[2], values[3]];
}

/**
 * Column j of the Jacobian by fourth-order central differences, or, for a state next to
 * a kink (a guard, a clamp, the dead band) that they straddle, by second-order one-sided
 * ones; each with the steps of REL_STEPS. The column passes if one of them agrees.
 */
function checkColumn(core: Core, y: Float64Array, analytic: Float64Array, nd: number, j: number): ColumnCheck {
  const n = y.length;
  const scaleOf = (i: number) => Math.max(Math.abs(y[i]), STATE_FLOOR[i]);
  const norm = (i: number) => scaleOf(j) / scaleOf(i);
  /** Worst ratio of one difference formula over the rows. */
  const ratio = (d: (i: number) => number) => {
    let scale = SCALE_FLOOR_PER_H;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(d(i)) * norm(i));
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, (Math.abs(analytic[i * nd + j] - d(i)) * norm(i)) / (REL_TOL * scale));
    return worst;
  };
  const stencils = REL_STEPS.map((step) => {
    const h = step * scaleOf(j);
    const [fm2, fm1, f0, f1, f2] = stencilValues(core, y, j, h);
    return {
      central: (i: number) => (8 * (f1[i] - fm1[i]) - (f2[i] - fm2[i])) / (12 * h),
      forward: (i: number) => (-3 * f0[i] + 4 * f1[i] - f2[i]) / (2 * h),
      backward: (i: number) => (3 * f0[i] - 4 * fm1[i] + fm2[i]) / (2 * h),
    };
  });
  let best = Infinity;
  for (const s of stencils) best = Math.min(best, ratio(s.central));
  if (best <= 1) return { ratio: best, central: true };
  for (const s of stencils) best = Math.min(best, ratio(s.forward), ratio(s.backward));
  return { ratio: best, central: false };
}

interface PointResult {
  label: string;
  t: number;
  worst: number;
  worstColumn: number;
  oneSided: number;
}

/** Runs a scenario, checking the Jacobian at t = 0 and every 12 h until it ends or is harvested. */
function checkRun(core: Core, label: string, doc: Doc): PointResult[] {
  const scenario = setUp(core, doc);
  const results: PointResult[] = [];
  for (let t = 0; t <= scenario.process.durationH; t += 12) {
    const status = core.advanceTo(t);
    expect([L.STATUS_OK, L.STATUS_STOPPED], `${label} at ${t} h`).toContain(status);
    const y = core.state();
    const jac = core.jacobian();
    expect(jac, "the CHO model has an analytic Jacobian").not.toBeNull();
    const { columns: nd, values } = jac!;
    expect(nd).toBe(L.CX_DYNAMIC);
    expect(values.length).toBe(L.CX_STATES * L.CX_DYNAMIC);
    expect(values.every(Number.isFinite)).toBe(true);
    const point: PointResult = { label, t: core.time(), worst: 0, worstColumn: -1, oneSided: 0 };
    for (let j = 0; j < nd; j++) {
      const c = checkColumn(core, y, values, nd, j);
      if (!c.central) point.oneSided++;
      if (c.ratio > point.worst) {
        point.worst = c.ratio;
        point.worstColumn = j;
      }
    }
    results.push(point);
    if (status === L.STATUS_STOPPED) break;
  }
  return results;
}

let core: Core;
beforeAll(async () => {
  core = await loadCore();
});

/** The fed-batch in vessels whose kLa comes from van't Riet's correlation (docs/model.md §10.3), coalescing or not. */
function vesselCases(): [string, Doc][] {
  const doc = readJson("scenarios/cho-fed-batch.json") as Doc;
  return (["vant-riet-coalescing", "vant-riet-non-coalescing"] as const).map((kLaCorrelation) => {
    const out = structuredClone(doc);
    out.reactor.vessel = { preset: "bench-2l", kLaCorrelation };
    return [`cho-fed-batch.json in the bench-2l vessel, kLa ${kLaCorrelation}`, out];
  });
}

describe("the CHO model's analytic Jacobian agrees with finite differences of its right-hand side", () => {
  const cases = [...FILES.flatMap(variants), ...vesselCases()];
  const all: PointResult[] = [];

  test.each(cases)("%s", (label, doc) => {
    const points = checkRun(core, label, doc);
    all.push(...points);
    expect(points.length).toBeGreaterThan(5);
    const bad = points.filter((p) => !(p.worst <= 1));
    expect(bad.map((p) => `${label} ${p.t.toFixed(2)} h: column ${p.worstColumn} off by ${p.worst.toExponential(2)} × tolerance`)).toEqual([]);
  });

  test("the runs covered many states, most of them away from kinks", () => {
    expect(all.length).toBeGreaterThan(300);
    const columns = all.length * L.CX_DYNAMIC;
    const oneSided = all.reduce((s, p) => s + p.oneSided, 0);
    // Controlled states sit on kinks: T at T_ref (the |T - T_ref| of the growth factor),
    // the pH at the edge of its dead band, lactate and ammonium at 0 at the start.
    expect(oneSided / columns).toBeLessThan(0.1);
    const worst = all.reduce((w, p) => (p.worst > w.worst ? p : w));
    const ratios = all.map((p) => p.worst).sort((a, b) => a - b);
    console.log(
      `cho-jacobian: ${all.length} states, ${columns} columns, ${oneSided} of them by one-sided differences; ` +
        `worst entry per state, relative to its column's scale: median ${(ratios[ratios.length >> 1] * REL_TOL).toExponential(1)}, ` +
        `worst ${(worst.worst * REL_TOL).toExponential(1)} (column ${worst.worstColumn}, ${worst.label}, ${worst.t.toFixed(2)} h)`,
    );
  });
});

test("the solver uses the analytic Jacobian: a 14-day fed-batch needs few right-hand sides per step", () => {
  const result = simulate(core, validScenario(readJson("scenarios/cho-fed-batch.json")));
  const { steps, rejectedSteps, rhsEvals, jacobianEvals } = result.metadata.stats;
  expect(jacobianEvals).toBeGreaterThan(0);
  // Rodas4 takes 6 evaluations per attempted step; forward differences would add 17 per Jacobian.
  expect(rhsEvals).toBeLessThan(7 * (steps + rejectedSteps) + 3 * jacobianEvals);
});

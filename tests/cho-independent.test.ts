// An independent check of the CHO kinetics of the core (docs/model.md §4).
//
// The reference below was written from docs/model.md §4.2–§4.4 only — not from
// assembly/models/cho.ts or any port of it — so that it and the core share the
// documented equations and nothing else. It integrates the seven cell states
//
//   Xv, Xd [1e6 cells/mL], G, Q, L, A [mM], P [mg/L]
//
// of a batch culture with classical RK4 at a fixed step (convergence checked by
// halving the step), and the core runs the same scenario at relTol 1e-10,
// absTol 1e-12.
//
// Why nothing else can feed back into these seven states (from the docs):
// - temperatureEffects, osmolalityEffects and oxygenLimitation are off, so fT,
//   fosm and fO are 1 in μ (§4.2) and the temperature factor of qP (§4.4) is 1.
//   T, DO, osmolality, pH and the ions then enter no equation of §4.2–§4.4.
// - Batch: the only inflow is base from the pH loop and the only outflow is
//   sampling (§7). The pH loop is off (no base, so no volume change and no
//   dilution); there is no sampling. The temperature and DO loops only move T, N,
//   Q_gas and the O2 fraction, which act through fT and fO (switched off); they
//   are off in the main cases and on in one variant, which must give the same
//   cell states. The volume column is checked to stay at V0.
//
// Comparison: at every output hour over 10 days, for every state,
//   |core − reference| / max(|reference|, floor) ≤ 1e-6,
// with the floor 1e-3 in the state's unit (1e3 cells/mL for Xv and Xd, 1 µM for
// G, Q, L, A, 1 µg/L for P). Below the floor this is an absolute check of 1e-9
// (after glucose runs out it decays towards 0 exponentially and a relative
// difference of 1e-30 mM values would say nothing). The derived columns
// growth_rate, death_rate, qp, titer and viability are checked the same way.
import { describe, expect, it } from "vitest";
import { column, run } from "./helpers";

// ---------------------------------------------------------------- the reference

interface ChoParameters {
  muMaxPerH: number;
  kGlucoseMM: number;
  kGlutamineMM: number;
  kiLactateMM: number;
  kiAmmoniaMM: number;
  deathMaxPerH: number;
  kdLactateMM: number;
  kdAmmoniaMM: number;
  yieldCellsPerGlucoseCellsPerMmol: number;
  yieldCellsPerGlutamineCellsPerMmol: number;
  yieldLactatePerGlucoseMolPerMol: number;
  yieldAmmoniaPerGlutamineMolPerMol: number;
  maintenanceGlucoseMmolPerCellPerH: number;
  glutamineMaintenanceMaxMmolPerCellPerH: number;
  glutamineMaintenanceKMM: number;
  glutamineDecayPerH: number;
  ammoniaUptakeMmolPerCellPerH: number;
  starvationDeathPerH: number;
  starvationKMM: number;
  lysisPerH: number;
  lactateUptakeMaxMmolPerCellPerH: number;
  lactateUptakeKMM: number;
  qpPgPerCellPerDay: number;
  qpStationaryBoost: number;
}

interface ChoTerms {
  maintenance: boolean;
  byproductInhibition: boolean;
  byproductDeath: boolean;
  starvationDeath: boolean;
  lysis: boolean;
  lactateSwitch: boolean;
  glutamineDecay: boolean;
  ammoniaUptake: boolean;
}

/** The defaults of docs/model.md §4.6 (written out here, not read from the engine). */
const DOC_DEFAULTS: ChoParameters = {
  muMaxPerH: 0.029,
  kGlucoseMM: 0.084,
  kGlutamineMM: 0.047,
  kiLactateMM: 43,
  kiAmmoniaMM: 6.51,
  deathMaxPerH: 0.016,
  kdLactateMM: 45.8,
  kdAmmoniaMM: 6.51,
  yieldCellsPerGlucoseCellsPerMmol: 1.69e8,
  yieldCellsPerGlutamineCellsPerMmol: 9.74e8,
  yieldLactatePerGlucoseMolPerMol: 1.23,
  yieldAmmoniaPerGlutamineMolPerMol: 0.67,
  maintenanceGlucoseMmolPerCellPerH: 6.92e-11,
  glutamineMaintenanceMaxMmolPerCellPerH: 3.2e-12,
  glutamineMaintenanceKMM: 2.1,
  glutamineDecayPerH: 7.2e-3,
  ammoniaUptakeMmolPerCellPerH: 6.3e-12,
  starvationDeathPerH: 0.02,
  starvationKMM: 0.5,
  lysisPerH: 0.01,
  lactateUptakeMaxMmolPerCellPerH: 2e-11,
  lactateUptakeKMM: 5,
  qpPgPerCellPerDay: 25,
  qpStationaryBoost: 1,
};

const ALL_ON: ChoTerms = {
  maintenance: true,
  byproductInhibition: true,
  byproductDeath: true,
  starvationDeath: true,
  lysis: true,
  lactateSwitch: true,
  glutamineDecay: true,
  ammoniaUptake: true,
};

/** Cells per litre per (1e6 cells/mL): turns a per-cell rate into a volumetric one (§4). */
const CELLS_PER_L_PER_E6_PER_ML = 1e9;
/** The 0.1 mM of the ammonium-uptake factor A/(0.1 mM + A) (§4.3). */
const AMMONIUM_UPTAKE_K_MM = 0.1;

const STATES = ["Xv", "Xd", "G", "Q", "L", "A", "P"] as const;
type State = Float64Array; // [Xv, Xd, G, Q, L, A, P]

interface Rates {
  mu: number;
  muD: number;
  qpPgPerCellPerDay: number;
}

/** μ, μd and qP of §4.2 and §4.4 at state y. */
function rates(p: ChoParameters, t: ChoTerms, y: State): Rates {
  const [, , G, Q, L, A] = y;
  const glucoseMonod = G / (p.kGlucoseMM + G);
  const inhibition = t.byproductInhibition
    ? (p.kiLactateMM / (p.kiLactateMM + L)) * (p.kiAmmoniaMM / (p.kiAmmoniaMM + A))
    : 1;
  // fT = fosm = fO = 1: temperatureEffects, osmolalityEffects, oxygenLimitation off.
  const mu = p.muMaxPerH * glucoseMonod * (Q / (p.kGlutamineMM + Q)) * inhibition;
  const byproductDeath = t.byproductDeath
    ? p.deathMaxPerH * (L / (p.kdLactateMM + L)) * (A / (p.kdAmmoniaMM + A))
    : 0;
  const starvation = t.starvationDeath ? p.starvationDeathPerH * (p.starvationKMM / (p.starvationKMM + G)) : 0;
  // qP0 (1 + b (1 − μ/μmax)) · (1 + kqT max(0, Tref − T)); the last factor is 1 with temperatureEffects off.
  const qp = p.qpPgPerCellPerDay * (1 + p.qpStationaryBoost * (1 - mu / p.muMaxPerH));
  return { mu, muD: byproductDeath + starvation, qpPgPerCellPerDay: qp };
}

/** dy/dt of the seven states in a batch (no flows), docs/model.md §4.2–§4.4. */
function rhs(p: ChoParameters, t: ChoTerms, y: State, dy: State): void {
  const [Xv, Xd, G, Q, L, A] = y;
  const { mu, muD, qpPgPerCellPerDay } = rates(p, t, y);
  const glucoseMonod = G / (p.kGlucoseMM + G);
  // Specific rates in mmol/cell/h.
  const qGlc = mu / p.yieldCellsPerGlucoseCellsPerMmol + (t.maintenance ? p.maintenanceGlucoseMmolPerCellPerH * glucoseMonod : 0);
  const qGln =
    mu / p.yieldCellsPerGlutamineCellsPerMmol +
    (t.maintenance ? (p.glutamineMaintenanceMaxMmolPerCellPerH * Q) / (p.glutamineMaintenanceKMM + Q) : 0);
  const qLac = t.lactateSwitch
    ? (p.yieldLactatePerGlucoseMolPerMol * mu) / p.yieldCellsPerGlucoseCellsPerMmol -
      p.lactateUptakeMaxMmolPerCellPerH * (L / (p.lactateUptakeKMM + L)) * (1 - mu / p.muMaxPerH)
    : p.yieldLactatePerGlucoseMolPerMol * qGlc;
  const qAmm =
    (p.yieldAmmoniaPerGlutamineMolPerMol * mu) / p.yieldCellsPerGlutamineCellsPerMmol -
    (t.ammoniaUptake ? (p.ammoniaUptakeMmolPerCellPerH * A) / (AMMONIUM_UPTAKE_K_MM + A) : 0);
  const decay = t.glutamineDecay ? p.glutamineDecayPerH * Q : 0; // mM/h
  const cellsPerL = Xv * CELLS_PER_L_PER_E6_PER_ML;
  dy[0] = (mu - muD) * Xv;
  dy[1] = muD * Xv - (t.lysis ? p.lysisPerH : 0) * Xd;
  dy[2] = -qGlc * cellsPerL;
  dy[3] = -qGln * cellsPerL - decay;
  dy[4] = qLac * cellsPerL;
  dy[5] = qAmm * cellsPerL + decay;
  // pg/cell/day × 1e6 cells/mL = mg/L/day; /24 for mg/L/h (§4.4).
  dy[6] = (qpPgPerCellPerDay * Xv) / 24;
}

/**
 * Classical RK4 at a fixed step h (which must divide outputEveryH); returns the
 * state at t = 0, outputEveryH, 2 outputEveryH, ... up to durationH.
 */
function integrateRk4(
  p: ChoParameters,
  terms: ChoTerms,
  y0: State,
  durationH: number,
  outputEveryH: number,
  h: number,
): State[] {
  const stepsPerOutput = Math.round(outputEveryH / h);
  if (Math.abs(stepsPerOutput * h - outputEveryH) > 1e-12) throw new Error("h must divide outputEveryH");
  const outputs = Math.round(durationH / outputEveryH);
  const n = y0.length;
  const y = Float64Array.from(y0);
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const tmp = new Float64Array(n);
  const out: State[] = [Float64Array.from(y)];
  for (let o = 0; o < outputs; o++) {
    for (let s = 0; s < stepsPerOutput; s++) {
      rhs(p, terms, y, k1);
      for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
      rhs(p, terms, tmp, k2);
      for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
      rhs(p, terms, tmp, k3);
      for (let i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
      rhs(p, terms, tmp, k4);
      for (let i = 0; i < n; i++) y[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
    out.push(Float64Array.from(y));
  }
  return out;
}

// ---------------------------------------------------------------- the cases

const DURATION_H = 240;
const OUTPUT_EVERY_H = 1;
const RK4_STEP_H = 1 / 256;
const FLOOR = 1e-3; // in each state's unit; see the header
const TOLERANCE = 1e-6;

interface Initial {
  Xv: number; // 1e6 cells/mL
  Xd: number; // 1e6 cells/mL
  G: number; // mM
  Q: number; // mM
  L: number; // mM
  A: number; // mM
  P: number; // mg/L
}

interface Case {
  name: string;
  parameters: Partial<ChoParameters>;
  terms: Partial<ChoTerms>;
  initial: Initial;
  /** true: temperature and DO loops on (pH loop off); false: all loops off. */
  loopsOn?: boolean;
}

const XING_START: Initial = { Xv: 0.3, Xd: 0.02, G: 30, Q: 4, L: 2, A: 0.5, P: 5 };

const CASES: Case[] = [
  { name: "Xing defaults, all kinetic terms on (lactate switch on)", parameters: {}, terms: {}, initial: XING_START },
  {
    name: "Xing defaults, lactate switch off (Xing's qlac = Ylac,glc · qglc)",
    parameters: {},
    terms: { lactateSwitch: false },
    initial: XING_START,
  },
  {
    name: "Bioengineering 2018 values, low glucose (starvation and lactate switch)",
    parameters: {
      muMaxPerH: 0.039,
      yieldCellsPerGlucoseCellsPerMmol: 3.57e8,
      yieldLactatePerGlucoseMolPerMol: 0.7,
      deathMaxPerH: 0.004,
      qpPgPerCellPerDay: 36,
      qpStationaryBoost: 0.5,
    },
    terms: {},
    initial: { Xv: 0.5, Xd: 0.05, G: 8, Q: 3, L: 6, A: 1, P: 0 },
  },
  {
    name: "Xing defaults with the temperature and DO loops running (must not matter)",
    parameters: {},
    terms: {},
    initial: XING_START,
    loopsOn: true,
  },
];

function scenarioFor(c: Case): Record<string, unknown> {
  return {
    format: "biotwin-scenario",
    version: 1,
    metadata: { title: `independent CHO check: ${c.name}` },
    cells: {
      model: "cho",
      parameters: c.parameters,
      terms: {
        ...ALL_ON,
        ...c.terms,
        temperatureEffects: false,
        osmolalityEffects: false,
        oxygenLimitation: false,
      },
    },
    initial: {
      volumeL: 2,
      viableCellsE6PerMl: c.initial.Xv,
      deadCellsE6PerMl: c.initial.Xd,
      glucoseMM: c.initial.G,
      glutamineMM: c.initial.Q,
      lactateMM: c.initial.L,
      ammoniaMM: c.initial.A,
      titerGPerL: c.initial.P / 1000,
    },
    process: { mode: "batch", durationH: DURATION_H },
    control: {
      temperature: { enabled: c.loopsOn === true },
      dissolvedOxygen: { enabled: c.loopsOn === true },
      pH: { enabled: false },
    },
    simulation: { outputIntervalH: OUTPUT_EVERY_H, relTol: 1e-10, absTol: 1e-12 },
  };
}

const CORE_COLUMNS: Record<(typeof STATES)[number], string> = {
  Xv: "viable_cells",
  Xd: "dead_cells",
  G: "glucose",
  Q: "glutamine",
  L: "lactate",
  A: "ammonium",
  P: "antibody",
};

function scaledDifference(value: number, reference: number): number {
  return Math.abs(value - reference) / Math.max(Math.abs(reference), FLOOR);
}

interface Worst {
  diff: number;
  timeH: number;
  core: number;
  reference: number;
}

function worstOver(times: Float64Array, core: ArrayLike<number>, reference: ArrayLike<number>): Worst {
  let worst: Worst = { diff: 0, timeH: 0, core: core[0], reference: reference[0] };
  for (let i = 0; i < times.length; i++) {
    const diff = scaledDifference(core[i], reference[i]);
    if (!(diff <= worst.diff)) worst = { diff, timeH: times[i], core: core[i], reference: reference[i] };
  }
  return worst;
}

describe("CHO kinetics against an independent implementation of docs/model.md §4", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const parameters: ChoParameters = { ...DOC_DEFAULTS, ...c.parameters };
      const terms: ChoTerms = { ...ALL_ON, ...c.terms };
      const y0 = Float64Array.from([c.initial.Xv, c.initial.Xd, c.initial.G, c.initial.Q, c.initial.L, c.initial.A, c.initial.P]);

      // The reference, and its own error: RK4 at h and h/2.
      const ref = integrateRk4(parameters, terms, y0, DURATION_H, OUTPUT_EVERY_H, RK4_STEP_H);
      const half = integrateRk4(parameters, terms, y0, DURATION_H, OUTPUT_EVERY_H, RK4_STEP_H / 2);
      let refSelfError = 0;
      for (let i = 0; i < ref.length; i++) {
        for (let s = 0; s < STATES.length; s++) refSelfError = Math.max(refSelfError, scaledDifference(ref[i][s], half[i][s]));
      }
      expect(refSelfError).toBeLessThan(1e-9);

      // The core.
      const result = await run(scenarioFor(c));
      expect(result.metadata.status).toBe("ok");
      const time = column(result, "time");
      expect(time.length).toBe(ref.length);
      time.forEach((t, i) => expect(t).toBeCloseTo(i * OUTPUT_EVERY_H, 9));
      // No dilution: the volume stays at its start (pH loop off, no sampling).
      for (const v of column(result, "volume")) expect(Math.abs(v - 2)).toBeLessThan(1e-12);

      const report: string[] = [];
      const failures: string[] = [];
      const check = (label: string, core: ArrayLike<number>, reference: ArrayLike<number>) => {
        const w = worstOver(time, core, reference);
        const line = `${label.padEnd(12)} worst ${w.diff.toExponential(2)} at t = ${w.timeH} h (core ${w.core.toPrecision(12)}, reference ${w.reference.toPrecision(12)})`;
        report.push(line);
        if (!(w.diff <= TOLERANCE)) failures.push(line);
      };

      STATES.forEach((s, k) => check(s, column(result, CORE_COLUMNS[s]), ref.map((y) => y[k])));

      // Derived columns, from the reference state at each output time.
      const derived = ref.map((y) => rates(parameters, terms, y));
      check("growth_rate", column(result, "growth_rate"), derived.map((r) => r.mu));
      check("death_rate", column(result, "death_rate"), derived.map((r) => r.muD));
      check("qp", column(result, "qp"), derived.map((r) => r.qpPgPerCellPerDay));
      check("titer", column(result, "titer"), ref.map((y) => y[6] / 1000));
      check("viability", column(result, "viability"), ref.map((y) => (100 * y[0]) / (y[0] + y[1])));

      // Context for the report: when glucose runs out and the lactate peak.
      const gIdx = ref.findIndex((y) => y[2] < 0.1);
      const lPeak = ref.reduce((best, y, i) => (y[4] > ref[best][4] ? i : best), 0);
      console.log(
        [
          `${c.name}: RK4 self-error (h vs h/2) ${refSelfError.toExponential(2)}; glucose < 0.1 mM from t = ${gIdx < 0 ? "never" : `${gIdx} h`}; ` +
            `lactate peak ${ref[lPeak][4].toFixed(3)} mM at ${lPeak} h, end ${ref[ref.length - 1][4].toFixed(3)} mM; ` +
            `Xv peak ${Math.max(...ref.map((y) => y[0])).toFixed(3)}e6/mL; core steps ${result.metadata.stats.steps}`,
          ...report,
        ].join("\n  "),
      );
      expect(failures, failures.join("\n")).toEqual([]);
    });
  }
});

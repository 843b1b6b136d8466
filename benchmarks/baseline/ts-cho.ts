// Port of assembly/models/cho.ts for the plain-TypeScript baseline core (ts-core.ts):
// same equations, same operation order, AssemblyScript's Math.exp / Math.pow (as-math.ts).
// Keep it line by line in step with assembly/models/cho.ts; diffing the two side by side
// should show only the syntax (unchecked(...), StaticArray, module globals -> fields).
//
// The core's module globals of cho.ts (setupProblem, the pH warm start pHCache, the
// media's other solutes and the shared rates) are fields of one TsCho, owned by one
// TsCoreModule (one instance = one wasm instance). They are not reset by init, as in
// the core: pHCache, in particular, carries over between calls and seeds the pH Newton
// iteration, so every call of rates() must happen in the core's order.
import * as L from "../../assembly/layout";
import { asExp, asPow } from "./as-math";

// ---- constants (docs/model.md §5–§6) -----------------------------------------
const LN10 = 2.302585092994046;
/** Apparent pK of CO2(aq)/HCO3- at 37 °C (Henderson–Hasselbalch). */
const PK1 = 6.1;
/** pKw of water at 37 °C. */
const PKW = 13.62;
/** Osmotic coefficient of the ions of a culture medium. */
const OSMOTIC_COEFF = 0.93;
/** Volumetric heat capacity of the broth (water at 37 °C), J/L/K. */
const RHO_CP = 4150.0;
/** Gas constant, L·atm/(mol·K). */
const R_GAS = 0.082057;
const KELVIN = 273.15;
/** Mole fractions of O2 and CO2 in air. */
const Y_O2_AIR = 0.2095;
const Y_CO2_AIR = 0.0004;
const MMHG_PER_ATM = 760.0;
/** Limiting molar conductivities at 25 °C, S·cm²/mol. */
const LAMBDA_NA = 50.1;
const LAMBDA_CL = 76.3;
const LAMBDA_HCO3 = 44.5;
const LAMBDA_LAC = 38.9;
const LAMBDA_NH4 = 73.5;
/** Relative change of conductivity per K from 25 °C. */
const COND_PER_K = 0.02;
/** Finite-concentration correction of the summed limiting conductivities (derived from 0.1 mol/kg KCl). */
const COND_FACTOR = 0.82;
/** Half-saturation keeping ammonium uptake from driving ammonium negative, mM (assumption). */
const K_AMM_UPTAKE = 0.1;
/** Upper end of the DO cascade's controller output: agitation 0..1, gas flow 1..2, O2 2..3. */
const DO_CASCADE_STAGES = 3.0;
/** models/cho.ts PH_NEWTON_LAST_STEP. */
const PH_NEWTON_LAST_STEP = 1e-8;
// Switches of models/cho.ts: temperature limits, DO cascade, pH dead band, pH split range.
const SW_T = 0;
const SW_DO = 1;
const SW_DEADBAND = 2;
const SW_PH = 3;
const CHO_SWITCHES = 4;
export const CHO_SWITCH_FUNCTIONS = 2 * CHO_SWITCHES;

function breakpoint(k: number, j: number, p: Float64Array): number {
  if (k == SW_T) return j == 0 ? -p[L.CP_T_COOL_MAX] : p[L.CP_T_HEAT_MAX];
  if (k == SW_DO) return j;
  if (k == SW_DEADBAND) return j == 0 ? -p[L.CP_PH_DEADBAND] : p[L.CP_PH_DEADBAND];
  return j - 1;
}

function breakpointCount(k: number): number {
  return k == SW_DO ? 4 : k == SW_PH ? 3 : 2;
}

function switchOn(k: number, p: Float64Array): boolean {
  return p[k == SW_T ? L.CP_T_ON : k == SW_DO ? L.CP_DO_ON : L.CP_PH_ON] != 0.0;
}
/** Cells per litre per (1e6 cells/mL). */
const CELLS_PER_L = 1e9;
const HOURS_PER_DAY = 24.0;
const SECONDS_PER_HOUR = 3600.0;

// ---- setup problems reported by choPrepare (read by the engine) -------------------
export const SETUP_OK = 0;
/** Initial sodium too low for the initial pH and pCO2 (chloride would be negative). */
export const SETUP_INITIAL_CHLORIDE = 1;
/** Initial osmolality below what the listed solutes alone give. */
export const SETUP_INITIAL_OSMOLALITY = 2;
/** Medium m's osmolality below its listed solutes: code SETUP_MEDIUM_OSMOLALITY + m. */
export const SETUP_MEDIUM_OSMOLALITY = 10;

function pow10(x: number): number {
  return asExp(x * LN10);
}

/** models/cho.ts RATE_COLUMNS: the derived columns that need the rates. */
const RATE_COLUMNS = [
  L.CXD_PH, L.CXD_PCO2, L.CXD_OSMOLALITY, L.CXD_CONDUCTIVITY, L.CXD_MU, L.CXD_DEATH, L.CXD_QP, L.CXD_OUR, L.CXD_CER, L.CXD_KLA,
  L.CXD_AGITATION, L.CXD_GAS_FLOW, L.CXD_O2_FRACTION, L.CXD_CO2_FRACTION, L.CXD_BASE_RATE, L.CXD_HEATER,
];

/** 10^pK1 and 10^-pKw, computed once (solvePH and the Jacobian use them on every call). */
const TEN_PK1 = pow10(PK1);
const TEN_MINUS_PKW = pow10(-PKW);

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function medium(p: Float64Array, m: number, field: number): number {
  return p[L.CP_MEDIA + m * L.CM_FIELDS + field];
}

/** Charge balance residual at a given pH: ionised carbon + buffer + water - SID (mM). */
function chargeBalance(pH: number, tic: number, buffer: number, pKb: number, sid: number): number {
  return tic / (1.0 + pow10(PK1 - pH)) + buffer / (1.0 + pow10(pKb - pH)) + 1000.0 * (pow10(pH - PKW) - pow10(-pH)) - sid;
}

/** Rate at which sparged gas moves a species into the liquid, mmol/L/h (docs/model.md §5.2). */
function sparge(kla: number, volumeL: number, gasMmolPerH: number, yIn: number, satPerFraction: number, c: number): number {
  const den = gasMmolPerH + kla * volumeL * satPerFraction;
  return den > 0.0 ? (kla * gasMmolPerH * (satPerFraction * yIn - c)) / den : 0.0;
}

/** Output of a PI loop with back-calculation anti-windup. */
function piOutput(kp: number, ti: number, error: number, integral: number): number {
  return kp * (error + integral / ti);
}

function choFeedRate(t: number, p: Float64Array): number {
  const f0 = p[L.CP_FEED_RATE];
  const k = p[L.CP_FEED_EXP];
  if (f0 == 0.0 || k == 0.0) return f0;
  return f0 * asExp(k * (t - p[L.CP_FEED_T0]));
}

export function choIsAutonomous(p: Float64Array): boolean {
  return p[L.CP_FEED_EXP] == 0.0 || p[L.CP_FEED_RATE] == 0.0;
}

/** Osmolality of the listed solutes of a medium, mOsm/kg. */
function listedOsmolality(glc: number, gln: number, na: number, cl: number, hco3: number): number {
  return OSMOTIC_COEFF * (na + cl + hco3) + glc + gln;
}

export function choIsNonNegative(i: number): boolean {
  return i <= L.CX_V || i == L.CX_BASE;
}

// ---- helpers of the analytic Jacobian (TsCho.jacobian) --------------------------

/** Derivative of the guard max(y, 0): it passes y on while y >= 0. */
function guardSlope(y: number): number {
  return y >= 0.0 ? 1.0 : 0.0;
}

/** True where clamp(x, lo, hi) returns x itself. */
function inRange(x: number, lo: number, hi: number): boolean {
  return x >= lo && x <= hi;
}

function gClear(g: Float64Array): void {
  for (let j = 0; j < L.CX_DYNAMIC; j++) g[j] = 0.0;
}

/** g = a·x */
function gScale(g: Float64Array, a: number, x: Float64Array): void {
  for (let j = 0; j < L.CX_DYNAMIC; j++) g[j] = a * x[j];
}

/** g += a·x */
function gAdd(g: Float64Array, a: number, x: Float64Array): void {
  for (let j = 0; j < L.CX_DYNAMIC; j++) g[j] += a * x[j];
}

/** Row of the Jacobian starting at `off` += a·g. */
function jacAdd(jac: Float64Array, off: number, a: number, g: Float64Array): void {
  for (let j = 0; j < L.CX_DYNAMIC; j++) jac[off + j] += a * g[j];
}

export const CHO_DYNAMIC = L.CX_DYNAMIC;
export const CHO_STATES = L.CX_STATES;

/** The module state of assembly/models/cho.ts and its functions that use it. */
export class TsCho {
  /** Why the last prepare failed (SETUP_*), read through the setupProblem verb. */
  setupProblem = SETUP_OK;

  // ---- rates shared by rhs, derived outputs and events (module scratch) -----------
  private pHCache = 7.0;
  private readonly mediaOther = new Float64Array(L.MAX_MEDIA);
  private rPH = 7.0;
  private rCO2aq = 0.0; // mM
  private rHCO3 = 0.0; // mM
  private rOsm = 0.0; // mOsm/kg
  private rMu = 0.0; // 1/h
  private rMuD = 0.0; // 1/h
  private rQglc = 0.0; // mmol/cell/h
  private rQgln = 0.0; // mmol/cell/h
  private rQlac = 0.0; // mmol/cell/h (net, negative when consumed)
  private rQamm = 0.0; // mmol/cell/h (net)
  private rQp = 0.0; // pg/cell/day
  private rOur = 0.0; // mmol/L/h
  private rOtr = 0.0; // mmol/L/h into the liquid
  private rCtr = 0.0; // mmol/L/h into the liquid (negative when stripped)
  private rKla = 0.0; // 1/h
  private rN = 0.0; // rpm
  private rQgas = 0.0; // L/min
  private rXo2 = 0.0; // mole fraction
  private rXco2 = 0.0; // mole fraction
  private rBase = 0.0; // L/h
  private rHeater = 0.0; // W
  private rFeed = 0.0; // L/h
  private rHarvest = 0.0; // L/h (permeate or chemostat outflow)
  private rUT = 0.0; // unsaturated controller outputs, for anti-windup
  private rUDo = 0.0;
  private rUPh = 0.0;
  private rSatT = 0.0; // saturated controller outputs
  private rSatDo = 0.0;
  private rSatPh = 0.0;
  private rPhErrorDb = 0.0; // pH setpoint error outside the dead band
  private rXo2Cascade = 0.0; // O2 fraction the DO cascade asks for, before the room CO2 leaves
  // Switches (models/cho.ts): segment of each, the value it is taken of, locked or not.
  private readonly segment = new Int32Array(CHO_SWITCHES);
  private readonly switchValue = new Float64Array(CHO_SWITCHES);
  private segmentsLocked = false;

  // Factors of μ and qP and the sparged kLa, kept for the Jacobian.
  private rFGlc = 0.0; // glucose Monod factor
  private rFGln = 0.0; // glutamine Monod factor
  private rInhib = 1.0; // lactate and ammonium inhibition
  private rFT = 1.0; // temperature factor of growth
  private rFQpT = 1.0; // temperature factor of qP
  private rFOsm = 1.0; // osmolality factor
  private rFO = 1.0; // oxygen factor
  private rKlaSparged = 0.0; // 1/h, the sparged part of kLa (O2)

  // Jacobian scratch (cho.ts module globals): gradients over the dynamic states, and
  // the partial derivatives of sparge() (spargePartials).
  private readonly gPH = new Float64Array(L.CX_DYNAMIC); // pH
  private readonly gCO2 = new Float64Array(L.CX_DYNAMIC); // CO2(aq), mM
  private readonly gOsm = new Float64Array(L.CX_DYNAMIC); // osmolality, mOsm/kg
  private readonly gMu = new Float64Array(L.CX_DYNAMIC); // 1/h
  private readonly gMuD = new Float64Array(L.CX_DYNAMIC); // 1/h
  private readonly gQglc = new Float64Array(L.CX_DYNAMIC); // mmol/cell/h
  private readonly gQgln = new Float64Array(L.CX_DYNAMIC);
  private readonly gQlac = new Float64Array(L.CX_DYNAMIC);
  private readonly gQamm = new Float64Array(L.CX_DYNAMIC);
  private readonly gQp = new Float64Array(L.CX_DYNAMIC); // pg/cell/day
  private readonly gOur = new Float64Array(L.CX_DYNAMIC); // mmol/L/h
  private readonly gOtr = new Float64Array(L.CX_DYNAMIC);
  private readonly gCtr = new Float64Array(L.CX_DYNAMIC);
  private readonly gPhErrorDb = new Float64Array(L.CX_DYNAMIC); // pH error outside the dead band
  private readonly gUPh = new Float64Array(L.CX_DYNAMIC); // unsaturated pH controller output
  private readonly gBase = new Float64Array(L.CX_DYNAMIC); // L/h
  private readonly gXco2 = new Float64Array(L.CX_DYNAMIC); // mole fraction
  private readonly gXo2 = new Float64Array(L.CX_DYNAMIC); // mole fraction
  private readonly gN = new Float64Array(L.CX_DYNAMIC); // rpm
  private readonly gQgas = new Float64Array(L.CX_DYNAMIC); // L/min
  private readonly gKla = new Float64Array(L.CX_DYNAMIC); // 1/h, sparged
  private readonly gHarvest = new Float64Array(L.CX_DYNAMIC); // L/h
  /** False when gBase (and so gHarvest) is exactly zero (as in the core). */
  private baseMoves = false;
  private spDKla = 0.0;
  private spDGas = 0.0;
  private spDYIn = 0.0;
  private spDC = 0.0;
  private spDV = 0.0;

  // Memos of solvePH and spargedKla, as in the core.
  private memoTic = NaN;
  private memoSid = NaN;
  private memoBuffer = NaN;
  private memoPKb = NaN;
  private memoPH = 7.0;
  private memoSlope = 0.0;
  private memoDFdTic = 0.0;
  private memoPKbExponent = NaN;
  private memoTenPKb = 0.0;

  /** models/cho.ts tenToThe: 10^pKb, once per buffer pKa. */
  private tenToThe(pKb: number): number {
    if (pKb != this.memoPKbExponent) {
      this.memoPKbExponent = pKb;
      this.memoTenPKb = pow10(pKb);
    }
    return this.memoTenPKb;
  }
  private memoN = NaN;
  private memoQ = NaN;
  private memoV = NaN;
  private memoKla = 0.0;
  private klaExpN = 0.0;
  private klaExpQ = 0.0;
  private klaExpV = 0.0;

  /** pH from the strong-ion balance (docs/model.md §5.3): safeguarded Newton on pH in [2, 12]. */
  private solvePH(tic: number, sid: number, buffer: number, pKb: number): number {
    if (tic == this.memoTic && sid == this.memoSid && buffer == this.memoBuffer && pKb == this.memoPKb) return this.memoPH;
    let lo = 2.0, hi = 12.0;
    // The tangent start of the core (models/cho.ts solvePH).
    let x = this.pHCache;
    if (buffer == this.memoBuffer && pKb == this.memoPKb && Number.isFinite(this.memoTic) && this.memoSlope > 0.0) {
      x -= (this.memoDFdTic * (tic - this.memoTic) - (sid - this.memoSid)) / this.memoSlope;
    }
    x = clamp(x, lo, hi);
    let df = 0.0, dTic = 0.0;
    const tenPK1 = TEN_PK1;
    const tenPKb = this.tenToThe(pKb);
    const tenMinusPKw = TEN_MINUS_PKW;
    for (let it = 0; it < 60; it++) {
      const w2 = pow10(-x); // [H+] in M
      const a = tenPK1 * w2;
      const b = tenPKb * w2;
      const w1 = tenMinusPKw / w2;
      const f = tic / (1.0 + a) + buffer / (1.0 + b) + 1000.0 * (w1 - w2) - sid;
      if (f > 0.0) hi = x;
      else lo = x;
      df = LN10 * ((tic * a) / ((1.0 + a) * (1.0 + a)) + (buffer * b) / ((1.0 + b) * (1.0 + b)) + 1000.0 * (w1 + w2));
      dTic = 1.0 / (1.0 + a);
      let next = x - f / df;
      // Converged (or f exactly 0) before the safeguard: a last Newton step that rounds onto
      // the bracket's end must not be replaced by a bisection that starts the search over.
      if (Math.abs(next - x) < PH_NEWTON_LAST_STEP) {
        x = next;
        break;
      }
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      x = next;
    }
    this.pHCache = x;
    this.memoSlope = df;
    this.memoDFdTic = dTic;
    this.memoTic = tic;
    this.memoSid = sid;
    this.memoBuffer = buffer;
    this.memoPKb = pKb;
    this.memoPH = x;
    return x;
  }

  /** Sparged O2 kLa from agitation and gas flow (docs/model.md §5.1). */
  private spargedKla(agitation: number, gasFlow: number, volumeL: number, p: Float64Array): number {
    if (!(gasFlow > 0.0)) {
      this.klaExpN = 0.0;
      this.klaExpQ = 0.0;
      this.klaExpV = 0.0;
      return 0.0;
    }
    const model = p[L.CP_KLA_MODEL] | 0;
    if (agitation == this.memoN && gasFlow == this.memoQ && (model == L.KLA_MODEL_REFERENCE || volumeL == this.memoV)) return this.memoKla;
    this.memoN = agitation;
    this.memoQ = gasFlow;
    this.memoV = volumeL;
    if (model == L.KLA_MODEL_REFERENCE) {
      this.klaExpN = p[L.CP_KLA_N_EXP];
      this.klaExpQ = p[L.CP_KLA_Q_EXP];
      this.klaExpV = 0.0;
      this.memoKla = p[L.CP_KLA_REF] * asPow(agitation / p[L.CP_N_REF], this.klaExpN) * asPow(gasFlow / p[L.CP_Q_REF], this.klaExpQ);
      return this.memoKla;
    }
    // assembly/vessel.ts with AssemblyScript's pow, in the same operation order.
    const coalescing = model == L.KLA_MODEL_VANT_RIET_COALESCING;
    const nPerS = agitation / 60.0;
    const gasM3PerS = gasFlow / 60000.0;
    const d = p[L.CP_IMP_D];
    const tank = p[L.CP_VES_T];
    const rho = p[L.CP_RHO];
    const mu = p[L.CP_MU];
    const fl = nPerS > 0.0 ? gasM3PerS / (nPerS * d * d * d) : 0.0;
    let ratio = 1.0;
    if (fl > 0.0 && nPerS > 0.0) {
      const fr = (nPerS * nPerS * d) / 9.81;
      const re = (rho * nPerS * d * d) / mu;
      ratio = Math.min(0.0312 * asPow(fr, -0.16) * asPow(re, 0.064) * asPow(fl, -0.38) * asPow(tank / d, 0.8), 1.0);
    }
    const p0 = 1.0 * p[L.CP_IMP_NP] * rho * nPerS * nPerS * nPerS * d * d * d * d * d;
    const powerPerVolume = (p0 * ratio) / (volumeL / 1000.0);
    const vs = gasM3PerS / ((Math.PI * tank * tank) / 4.0);
    let perS = 0.0;
    if (powerPerVolume > 0.0 && vs > 0.0) {
      perS = coalescing ? 0.026 * asPow(powerPerVolume, 0.4) * asPow(vs, 0.5) : 0.002 * asPow(powerPerVolume, 0.7) * asPow(vs, 0.2);
    }
    this.memoKla = 3600.0 * perS;
    const alpha = coalescing ? 0.4 : 0.7;
    const capped = ratio >= 1.0;
    this.klaExpN = this.memoKla > 0.0 ? alpha * (3.0 + (capped ? 0.0 : -2.0 * 0.16 + 0.064 + 0.38)) : 0.0;
    this.klaExpQ = this.memoKla > 0.0 ? alpha * (capped ? 0.0 : -0.38) + (coalescing ? 0.5 : 0.2) : 0.0;
    this.klaExpV = this.memoKla > 0.0 ? -alpha : 0.0;
    return this.memoKla;
  }

  /** Forgets the memos: parameters may have changed. */
  paramsChanged(): void {
    this.memoTic = NaN;
    this.memoN = NaN;
    this.ratesT = NaN;
    this.segmentsLocked = false;
  }

  lockSwitches(): void {
    this.segmentsLocked = true;
  }

  /** models/cho.ts choSwitches. */
  switches(t: number, y: Float64Array, p: Float64Array, g: Float64Array): void {
    if (!this.ratesAreFor(t, y)) this.rates(t, y, p);
    for (let k = 0; k < CHO_SWITCHES; k++) {
      let lower = Infinity, upper = Infinity;
      if (switchOn(k, p)) {
        const s = this.segment[k];
        const v = this.switchValue[k];
        if (s > 0) lower = v - breakpoint(k, s - 1, p);
        if (s < breakpointCount(k)) upper = breakpoint(k, s, p) - v;
      }
      g[2 * k] = lower;
      g[2 * k + 1] = upper;
    }
  }

  crossSwitch(q: number): void {
    this.segment[q >> 1] += (q & 1) == 0 ? -1 : 1;
    this.ratesT = NaN;
  }

  // Time and dynamic states of the last rates() call (choJacobian reuses its rates).
  private ratesT = NaN;
  private readonly ratesY = new Float64Array(L.CX_DYNAMIC);

  private ratesAreFor(t: number, y: Float64Array): boolean {
    if (t != this.ratesT) return false;
    for (let i = 0; i < L.CX_DYNAMIC; i++) if (y[i] != this.ratesY[i]) return false;
    return true;
  }

  /** Everything the right-hand side and the derived outputs share. */
  private rates(t: number, y: Float64Array, p: Float64Array): void {
    this.ratesT = t;
    for (let i = 0; i < L.CX_DYNAMIC; i++) this.ratesY[i] = y[i];
    const xv = Math.max(y[L.CX_XV], 0.0);
    const glc = Math.max(y[L.CX_GLC], 0.0);
    const gln = Math.max(y[L.CX_GLN], 0.0);
    const lac = Math.max(y[L.CX_LAC], 0.0);
    const amm = Math.max(y[L.CX_AMM], 0.0);
    const dO = Math.max(y[L.CX_DO], 0.0);
    const tic = Math.max(y[L.CX_TIC], 0.0);
    const temp = y[L.CX_T];
    const v = y[L.CX_V];

    // pH, dissolved CO2 and osmolality (§5.3, §5.4)
    const sid = y[L.CX_NA] + amm - lac - y[L.CX_CL];
    this.rPH = this.solvePH(tic, sid, p[L.CP_BUFFER], p[L.CP_BUFFER_PKA]);
    // pH setpoint error outside the dead band (zero inside it).
    const phError = p[L.CP_PH_SP] - this.rPH;
    const half = p[L.CP_PH_DEADBAND]; // setpoint ± deadBand, the DCU convention (§6.3)
    const segment = this.segment, switchValue = this.switchValue;
    switchValue[SW_DEADBAND] = phError;
    if (!this.segmentsLocked) segment[SW_DEADBAND] = phError < -half ? 0 : phError <= half ? 1 : 2;
    const dbSegment = segment[SW_DEADBAND];
    this.rPhErrorDb = dbSegment == 2 ? phError - half : dbSegment == 0 ? phError + half : 0.0;
    this.rCO2aq = tic / (1.0 + pow10(this.rPH - PK1)); // CO2(aq) share of TIC
    this.rHCO3 = tic - this.rCO2aq;
    this.rOsm = OSMOTIC_COEFF * (y[L.CX_NA] + y[L.CX_CL] + this.rHCO3 + lac + amm) + glc + gln + y[L.CX_OTHER];

    // Kinetics (§4)
    const tRef = p[L.CP_T_REF];
    const tempOn = p[L.CP_ON_TEMPERATURE] != 0.0;
    const fT = tempOn ? Math.max(0.0, 1.0 - p[L.CP_MU_PER_K] * Math.abs(temp - tRef)) : 1.0;
    const fQpT = tempOn ? 1.0 + p[L.CP_QP_PER_K] * Math.max(0.0, tRef - temp) : 1.0;
    const osmOnset = p[L.CP_OSM_ONSET];
    const osmStop = p[L.CP_OSM_STOP];
    const fOsm = p[L.CP_ON_OSMOLALITY] != 0.0 ? clamp((osmStop - this.rOsm) / (osmStop - osmOnset), 0.0, 1.0) : 1.0;
    const fO = p[L.CP_ON_O2_LIMIT] != 0.0 ? dO / (p[L.CP_KO] + dO) : 1.0;
    const kiLac = p[L.CP_KI_LAC];
    const kiAmm = p[L.CP_KI_AMM];
    const inhib = p[L.CP_ON_INHIBITION] != 0.0 ? (kiLac / (kiLac + lac)) * (kiAmm / (kiAmm + amm)) : 1.0;
    const fGlc = glc / (p[L.CP_K_GLC] + glc);
    const fGln = gln / (p[L.CP_K_GLN] + gln);
    const muMax = p[L.CP_MU_MAX];
    this.rMu = muMax * fGlc * fGln * inhib * fT * fOsm * fO;
    this.rFGlc = fGlc;
    this.rFGln = fGln;
    this.rInhib = inhib;
    this.rFT = fT;
    this.rFQpT = fQpT;
    this.rFOsm = fOsm;
    this.rFO = fO;
    let muD = 0.0;
    if (p[L.CP_ON_BYPRODUCT_DEATH] != 0.0) {
      muD += (p[L.CP_MUD_MAX] * lac) / (p[L.CP_KD_LAC] + lac) * (amm / (p[L.CP_KD_AMM] + amm));
    }
    if (p[L.CP_ON_STARVATION] != 0.0) {
      const ks = p[L.CP_KS_STARVE];
      muD += (p[L.CP_K_STARVE] * ks) / (ks + glc);
    }
    this.rMuD = muD;
    const maintOn = p[L.CP_ON_MAINTENANCE] != 0.0;
    this.rQglc = this.rMu / p[L.CP_Y_X_GLC] + (maintOn ? p[L.CP_M_GLC] * fGlc : 0.0);
    this.rQgln = this.rMu / p[L.CP_Y_X_GLN] + (maintOn ? (p[L.CP_A1] * gln) / (p[L.CP_A2] + gln) : 0.0);
    if (p[L.CP_ON_LACTATE_SWITCH] != 0.0) {
      // Lactate follows the glycolytic flux of proliferation and is taken up as growth slows,
      // whether glucose runs low, by-products build up or the temperature drops (§4.3).
      const growing = this.rMu / muMax;
      this.rQlac = (p[L.CP_Y_LAC_GLC] * this.rMu) / p[L.CP_Y_X_GLC] -
        ((p[L.CP_Q_LAC_MAX] * lac) / (p[L.CP_K_LAC_UPTAKE] + lac)) * (1.0 - growing);
    } else {
      this.rQlac = p[L.CP_Y_LAC_GLC] * this.rQglc; // Xing et al. 2010: from all glucose taken up
    }
    this.rQamm = (p[L.CP_Y_AMM_GLN] * this.rMu) / p[L.CP_Y_X_GLN];
    if (p[L.CP_ON_AMM_UPTAKE] != 0.0) this.rQamm -= (p[L.CP_R_AMM] * amm) / (K_AMM_UPTAKE + amm);
    this.rQp = p[L.CP_QP0] * (1.0 + p[L.CP_QP_BOOST] * (1.0 - this.rMu / muMax)) * fQpT;
    this.rOur = p[L.CP_QO2] * fO * xv * CELLS_PER_L;

    // Control loops (§6): outputs and their unsaturated values for anti-windup
    if (p[L.CP_T_ON] != 0.0) {
      this.rUT = piOutput(p[L.CP_T_KP], p[L.CP_T_TI], p[L.CP_T_SP] - temp, y[L.CX_I_T]);
      const coolMax = p[L.CP_T_COOL_MAX];
      const heatMax = p[L.CP_T_HEAT_MAX];
      switchValue[SW_T] = this.rUT;
      if (!this.segmentsLocked) segment[SW_T] = this.rUT < -coolMax ? 0 : this.rUT <= heatMax ? 1 : 2;
      const tSegment = segment[SW_T];
      this.rSatT = tSegment == 0 ? -coolMax : tSegment == 1 ? this.rUT : heatMax;
      this.rHeater = this.rSatT;
    } else {
      this.rHeater = p[L.CP_T_FIXED];
    }
    const doSatMM = p[L.CP_O2_SAT_AIR] * p[L.CP_PRESSURE];
    const doPercent = (100.0 * y[L.CX_DO]) / doSatMM;
    if (p[L.CP_DO_ON] != 0.0) {
      const rUDo = piOutput(p[L.CP_DO_KP], p[L.CP_DO_TI], p[L.CP_DO_SP] - doPercent, y[L.CX_I_DO]);
      this.rUDo = rUDo;
      switchValue[SW_DO] = rUDo;
      if (!this.segmentsLocked) {
        segment[SW_DO] = rUDo < 0.0 ? 0 : rUDo < 1.0 ? 1 : rUDo < 2.0 ? 2 : rUDo <= DO_CASCADE_STAGES ? 3 : 4;
      }
      const doSegment = segment[SW_DO];
      const rSatDo = doSegment == 0 ? 0.0 : doSegment == 4 ? DO_CASCADE_STAGES : rUDo;
      this.rSatDo = rSatDo;
      const agitation = doSegment <= 0 ? 0.0 : doSegment == 1 ? rSatDo : 1.0;
      const gas = doSegment <= 1 ? 0.0 : doSegment == 2 ? rSatDo - 1.0 : 1.0;
      const o2 = doSegment <= 2 ? 0.0 : doSegment == 3 ? rSatDo - 2.0 : 1.0;
      this.rN = p[L.CP_N_MIN] + agitation * (p[L.CP_N_MAX] - p[L.CP_N_MIN]);
      this.rQgas = p[L.CP_Q_MIN] + gas * (p[L.CP_Q_MAX] - p[L.CP_Q_MIN]);
      this.rXo2 = Y_O2_AIR + o2 * (p[L.CP_XO2_MAX] - Y_O2_AIR);
    } else {
      this.rN = p[L.CP_N_FIXED];
      this.rQgas = p[L.CP_Q_FIXED];
      this.rXo2 = p[L.CP_XO2_FIXED];
    }
    if (p[L.CP_PH_ON] != 0.0) {
      const rUPh = piOutput(p[L.CP_PH_KP], p[L.CP_PH_TI], this.rPhErrorDb, y[L.CX_I_PH]);
      this.rUPh = rUPh;
      switchValue[SW_PH] = rUPh;
      if (!this.segmentsLocked) segment[SW_PH] = rUPh < -1.0 ? 0 : rUPh < 0.0 ? 1 : rUPh <= 1.0 ? 2 : 3;
      const phSegment = segment[SW_PH];
      this.rSatPh = phSegment == 0 ? -1.0 : phSegment == 3 ? 1.0 : rUPh;
      this.rBase = (phSegment >= 2 ? this.rSatPh : 0.0) * p[L.CP_BASE_MAX];
      this.rXco2 = (phSegment <= 1 ? -this.rSatPh : 0.0) * p[L.CP_XCO2_MAX];
    } else {
      this.rBase = 0.0;
      this.rXco2 = p[L.CP_XCO2_FIXED];
    }
    this.rXo2Cascade = this.rXo2;
    this.rXo2 = Math.min(this.rXo2, 1.0 - this.rXco2);

    // Gas transfer (§5.1, §5.2)
    const sparged = this.spargedKla(this.rN, this.rQgas, v, p);
    this.rKlaSparged = sparged;
    const surface = p[L.CP_KLA_SURFACE];
    this.rKla = sparged + surface;
    const ratio = p[L.CP_CO2_KLA_RATIO];
    const pressure = p[L.CP_PRESSURE];
    // Gas flows are standard litres (0 °C, 1 atm) per minute.
    const gasMmolPerH = (this.rQgas * 60.0 * 1000.0) / (R_GAS * KELVIN);
    const satO2 = (p[L.CP_O2_SAT_AIR] * pressure) / Y_O2_AIR;
    const satCO2 = p[L.CP_CO2_ALPHA] * MMHG_PER_ATM * pressure;
    this.rOtr = sparge(sparged, v, gasMmolPerH, this.rXo2, satO2, dO) + surface * (satO2 * Y_O2_AIR - dO);
    this.rCtr = sparge(ratio * sparged, v, gasMmolPerH, this.rXco2, satCO2, this.rCO2aq) + ratio * surface * (satCO2 * Y_CO2_AIR - this.rCO2aq);

    // Flows (§7)
    this.rFeed = choFeedRate(t, p);
    const perf = p[L.CP_PERF_RATE];
    const bleed = p[L.CP_BLEED];
    this.rHarvest = p[L.CP_LEVEL_CONTROL] != 0.0 ? Math.max(0.0, this.rFeed + perf + this.rBase - bleed) : 0.0;
  }

  /** One species' inflow terms: sum over streams of F (c_in - c) / V, in its unit per h. */
  private inflow(c: number, feedIn: number, perfIn: number, baseIn: number, perf: number, v: number): number {
    return (this.rFeed * (feedIn - c) + perf * (perfIn - c) + this.rBase * (baseIn - c)) / v;
  }

  /** Right-hand side, called by the solvers several times per step (docs/model.md §4–§8). */
  rhs(t: number, y: Float64Array, dy: Float64Array, p: Float64Array): number {
    const v = y[L.CX_V];
    if (!(v > 0.0)) return L.STATUS_RECOVERABLE;
    this.rates(t, y, p);
    const rMu = this.rMu, rMuD = this.rMuD, rQglc = this.rQglc, rQgln = this.rQgln, rQlac = this.rQlac;
    const rQamm = this.rQamm, rQp = this.rQp, rOtr = this.rOtr, rOur = this.rOur, rCtr = this.rCtr;
    const rFeed = this.rFeed, rBase = this.rBase, rHarvest = this.rHarvest, rHeater = this.rHeater;
    const mediaOther = this.mediaOther;
    const mf = p[L.CP_FEED_MEDIUM] | 0; // <i32> of an index held as f64
    const mp = p[L.CP_PERF_MEDIUM] | 0;
    const perf = p[L.CP_PERF_RATE];
    const bleed = p[L.CP_BLEED];
    const retention = p[L.CP_RETENTION];
    const xv = y[L.CX_XV];
    const xd = y[L.CX_XD];
    const cells = xv * CELLS_PER_L; // cells/L
    const concentrate = (rHarvest * retention) / v; // 1/h: cells held back while permeate leaves
    const out = bleed + rHarvest; // L/h of liquid leaving
    const doIn = p[L.CP_O2_SAT_AIR] * p[L.CP_PRESSURE]; // fresh media are air-saturated

    const lysis = p[L.CP_ON_LYSIS] != 0.0 ? p[L.CP_K_LYSIS] : 0.0;
    const decay = p[L.CP_ON_GLN_DECAY] != 0.0 ? p[L.CP_D_GLN] * Math.max(y[L.CX_GLN], 0.0) : 0.0;
    dy[L.CX_XV] = (rMu - rMuD) * xv + this.inflow(xv, 0.0, 0.0, 0.0, perf, v) + concentrate * xv;
    dy[L.CX_XD] = rMuD * xv - lysis * xd + this.inflow(xd, 0.0, 0.0, 0.0, perf, v) + concentrate * xd;
    dy[L.CX_GLC] = -rQglc * cells + this.inflow(y[L.CX_GLC], medium(p, mf, L.CM_GLC), medium(p, mp, L.CM_GLC), 0.0, perf, v);
    dy[L.CX_GLN] = -rQgln * cells - decay + this.inflow(y[L.CX_GLN], medium(p, mf, L.CM_GLN), medium(p, mp, L.CM_GLN), 0.0, perf, v);
    dy[L.CX_LAC] = rQlac * cells + this.inflow(y[L.CX_LAC], 0.0, 0.0, 0.0, perf, v);
    dy[L.CX_AMM] = rQamm * cells + decay + this.inflow(y[L.CX_AMM], 0.0, 0.0, 0.0, perf, v);
    dy[L.CX_MAB] = (rQp * xv) / HOURS_PER_DAY + this.inflow(y[L.CX_MAB], 0.0, 0.0, 0.0, perf, v);
    dy[L.CX_DO] = rOtr - rOur + this.inflow(y[L.CX_DO], doIn, doIn, doIn, perf, v);
    dy[L.CX_TIC] = rCtr + p[L.CP_RQ] * rOur +
      this.inflow(y[L.CX_TIC], medium(p, mf, L.CM_TIC), medium(p, mp, L.CM_TIC), p[L.CP_BASE_TIC], perf, v);
    dy[L.CX_NA] = this.inflow(y[L.CX_NA], medium(p, mf, L.CM_NA), medium(p, mp, L.CM_NA), p[L.CP_BASE_NA], perf, v);
    dy[L.CX_CL] = this.inflow(y[L.CX_CL], medium(p, mf, L.CM_CL), medium(p, mp, L.CM_CL), 0.0, perf, v);
    dy[L.CX_OTHER] = this.inflow(y[L.CX_OTHER], mediaOther[mf], mediaOther[mp], 0.0, perf, v);
    dy[L.CX_V] = rFeed + perf + rBase - out;
    const temp = y[L.CX_T];
    dy[L.CX_T] = (SECONDS_PER_HOUR * (rHeater - p[L.CP_UA] * (temp - p[L.CP_T_ROOM]))) / (RHO_CP * v);
    // PI integrals with back-calculation (tracking time = integral time): dI/dt = e + (u_sat - u)/Kp
    dy[L.CX_I_T] = p[L.CP_T_ON] != 0.0
      ? p[L.CP_T_SP] - temp + (this.rSatT - this.rUT) / p[L.CP_T_KP]
      : 0.0;
    if (p[L.CP_DO_ON] != 0.0) {
      const doPercent = (100.0 * y[L.CX_DO]) / (p[L.CP_O2_SAT_AIR] * p[L.CP_PRESSURE]);
      dy[L.CX_I_DO] = p[L.CP_DO_SP] - doPercent + (this.rSatDo - this.rUDo) / p[L.CP_DO_KP];
    } else {
      dy[L.CX_I_DO] = 0.0;
    }
    if (p[L.CP_PH_ON] != 0.0) {
      // Inside the dead band the error counts as zero, so the integral (and the output) holds.
      dy[L.CX_I_PH] = this.rPhErrorDb + (this.rSatPh - this.rUPh) / p[L.CP_PH_KP];
    } else {
      dy[L.CX_I_PH] = 0.0;
    }

    // Quadratures for the balance report (§8)
    const glcFed = rFeed * medium(p, mf, L.CM_GLC) + perf * medium(p, mp, L.CM_GLC);
    const glnFed = rFeed * medium(p, mf, L.CM_GLN) + perf * medium(p, mp, L.CM_GLN);
    dy[L.CX_GLC_IN] = glcFed;
    dy[L.CX_GLC_USED] = rQglc * cells * v;
    dy[L.CX_GLC_OUT] = out * y[L.CX_GLC];
    dy[L.CX_GLN_IN] = glnFed;
    dy[L.CX_GLN_USED] = (rQgln * cells + decay) * v;
    dy[L.CX_GLN_OUT] = out * y[L.CX_GLN];
    dy[L.CX_CELLS_GROWN] = rMu * xv * v;
    dy[L.CX_CELLS_DIED] = rMuD * xv * v;
    dy[L.CX_CELLS_OUT] = (bleed + rHarvest * (1.0 - retention)) * xv;
    dy[L.CX_VOL_IN] = rFeed + perf + rBase;
    dy[L.CX_VOL_OUT] = out;
    dy[L.CX_NA_IN] = rFeed * medium(p, mf, L.CM_NA) + perf * medium(p, mp, L.CM_NA) + rBase * p[L.CP_BASE_NA];
    dy[L.CX_NA_OUT] = out * y[L.CX_NA];
    dy[L.CX_LAC_NET] = rQlac * cells * v;
    dy[L.CX_LAC_OUT] = out * y[L.CX_LAC];
    dy[L.CX_MAB_MADE] = ((rQp * xv) / HOURS_PER_DAY) * v;
    dy[L.CX_MAB_OUT] = out * y[L.CX_MAB];
    dy[L.CX_BASE] = rBase;
    return L.STATUS_OK;
  }

  /** One species' inflow derivative (port of jacInflow): through the base rate, c (state ci) and V. */
  private jacInflow(jac: Float64Array, off: number, ci: number, c: number, baseIn: number, value: number, dilution: number, v: number): void {
    if (this.baseMoves) jacAdd(jac, off, (baseIn - c) / v, this.gBase);
    jac[off + ci] -= dilution;
    jac[off + L.CX_V] -= value / v;
  }

  /** ∂sparge/∂(kLa, gas flow, y_in, c, V) into spD*: the quotient rule on docs/model.md §5.2. */
  private spargePartials(kla: number, volumeL: number, gasMmolPerH: number, yIn: number, satPerFraction: number, c: number): void {
    const den = gasMmolPerH + kla * volumeL * satPerFraction;
    if (!(den > 0.0)) {
      this.spDKla = 0.0;
      this.spDGas = 0.0;
      this.spDYIn = 0.0;
      this.spDC = 0.0;
      this.spDV = 0.0;
      return;
    }
    const drive = satPerFraction * yIn - c;
    const inv = 1.0 / den;
    this.spDKla = gasMmolPerH * gasMmolPerH * drive * inv * inv;
    this.spDGas = kla * kla * volumeL * satPerFraction * drive * inv * inv;
    this.spDYIn = kla * gasMmolPerH * satPerFraction * inv;
    this.spDC = -kla * gasMmolPerH * inv;
    this.spDV = -kla * kla * gasMmolPerH * satPerFraction * drive * inv * inv;
  }

  /**
   * Port of choJacobian: ∂f_i/∂y_j for every state i (rows, stride nd) and every dynamic
   * state j < nd, by the chain rule through rates(); false when V <= 0.
   */
  jacobian(t: number, y: Float64Array, p: Float64Array, jac: Float64Array, nd: number): boolean {
    const v = y[L.CX_V];
    if (!(v > 0.0)) return false;
    if (!this.ratesAreFor(t, y)) this.rates(t, y, p);
    const rPH = this.rPH, rCO2aq = this.rCO2aq, rOsm = this.rOsm, rMu = this.rMu, rMuD = this.rMuD, rQglc = this.rQglc;
    const rQgln = this.rQgln, rQlac = this.rQlac, rQamm = this.rQamm, rQp = this.rQp, rN = this.rN, rQgas = this.rQgas;
    const rXo2 = this.rXo2, rXco2 = this.rXco2, rBase = this.rBase, rHeater = this.rHeater, rFeed = this.rFeed, rHarvest = this.rHarvest;
    const rFGlc = this.rFGlc;
    const rFGln = this.rFGln, rInhib = this.rInhib, rFT = this.rFT, rFQpT = this.rFQpT, rFOsm = this.rFOsm, rFO = this.rFO;
    const rKlaSparged = this.rKlaSparged;
    const gPH = this.gPH, gCO2 = this.gCO2, gOsm = this.gOsm, gMu = this.gMu, gMuD = this.gMuD, gQglc = this.gQglc;
    const gQgln = this.gQgln, gQlac = this.gQlac, gQamm = this.gQamm, gQp = this.gQp, gOur = this.gOur, gOtr = this.gOtr;
    const gCtr = this.gCtr, gPhErrorDb = this.gPhErrorDb, gUPh = this.gUPh, gBase = this.gBase, gXco2 = this.gXco2;
    const gXo2 = this.gXo2, gN = this.gN, gQgas = this.gQgas, gKla = this.gKla, gHarvest = this.gHarvest;
    jac.fill(0.0, 0, L.CX_STATES * nd);

    // Guarded states, as rates() sees them, and the slopes of their guards
    const sXv = guardSlope(y[L.CX_XV]);
    const sGlc = guardSlope(y[L.CX_GLC]);
    const sGln = guardSlope(y[L.CX_GLN]);
    const sLac = guardSlope(y[L.CX_LAC]);
    const sAmm = guardSlope(y[L.CX_AMM]);
    const sDo = guardSlope(y[L.CX_DO]);
    const sTic = guardSlope(y[L.CX_TIC]);
    const xvPos = Math.max(y[L.CX_XV], 0.0);
    const glc = Math.max(y[L.CX_GLC], 0.0);
    const gln = Math.max(y[L.CX_GLN], 0.0);
    const lac = Math.max(y[L.CX_LAC], 0.0);
    const amm = Math.max(y[L.CX_AMM], 0.0);
    const dO = Math.max(y[L.CX_DO], 0.0);
    const tic = Math.max(y[L.CX_TIC], 0.0);
    const temp = y[L.CX_T];

    // pH is implicit in the charge balance F(pH; TIC, SID) = 0 (§5.3): dpH = -(∂F/∂y)/(∂F/∂pH),
    // with ∂F/∂TIC = 1/(1 + 10^(pK1 - pH)) and ∂F/∂SID = -1, SID = Na + A - L - Cl.
    const buffer = p[L.CP_BUFFER];
    const hPlus = pow10(-rPH);
    const a = TEN_PK1 * hPlus;
    const b = this.tenToThe(p[L.CP_BUFFER_PKA]) * hPlus;
    const ohMinus = TEN_MINUS_PKW / hPlus;
    const dFdPH = LN10 * ((tic * a) / ((1.0 + a) * (1.0 + a)) + (buffer * b) / ((1.0 + b) * (1.0 + b)) + 1000.0 * (ohMinus + hPlus));
    const dPHdSid = 1.0 / dFdPH;
    gClear(gPH);
    gPH[L.CX_TIC] = -sTic / ((1.0 + a) * dFdPH);
    gPH[L.CX_NA] = dPHdSid;
    gPH[L.CX_CL] = -dPHdSid;
    gPH[L.CX_LAC] = -sLac * dPHdSid;
    gPH[L.CX_AMM] = sAmm * dPHdSid;
    // CO2(aq) = TIC/(1 + 10^(pH - pK1)), HCO3- = TIC - CO2(aq)
    const e = pow10(rPH - PK1);
    gScale(gCO2, -(tic * e * LN10) / ((1.0 + e) * (1.0 + e)), gPH);
    gCO2[L.CX_TIC] += sTic / (1.0 + e);
    // Osmolality (§5.4)
    gScale(gOsm, -OSMOTIC_COEFF, gCO2);
    gOsm[L.CX_TIC] += OSMOTIC_COEFF * sTic;
    gOsm[L.CX_NA] += OSMOTIC_COEFF;
    gOsm[L.CX_CL] += OSMOTIC_COEFF;
    gOsm[L.CX_LAC] += OSMOTIC_COEFF * sLac;
    gOsm[L.CX_AMM] += OSMOTIC_COEFF * sAmm;
    gOsm[L.CX_GLC] += sGlc;
    gOsm[L.CX_GLN] += sGln;
    gOsm[L.CX_OTHER] += 1.0;

    // Kinetics (§4): slopes of the factors of μ, then μ, μd and the specific rates
    const tRef = p[L.CP_T_REF];
    let dFTdT = 0.0, dFQpTdT = 0.0;
    if (p[L.CP_ON_TEMPERATURE] != 0.0) {
      const k = p[L.CP_MU_PER_K];
      // Both factors have a kink at T = Tref: take the side above it for both.
      if (1.0 - k * Math.abs(temp - tRef) >= 0.0) dFTdT = temp >= tRef ? -k : k;
      if (temp < tRef) dFQpTdT = -p[L.CP_QP_PER_K];
    }
    let dFOsmdOsm = 0.0;
    if (p[L.CP_ON_OSMOLALITY] != 0.0) {
      const span = p[L.CP_OSM_STOP] - p[L.CP_OSM_ONSET];
      if (inRange((p[L.CP_OSM_STOP] - rOsm) / span, 0.0, 1.0)) dFOsmdOsm = -1.0 / span;
    }
    let dFOdDo = 0.0;
    if (p[L.CP_ON_O2_LIMIT] != 0.0) {
      const ko = p[L.CP_KO];
      dFOdDo = (sDo * ko) / ((ko + dO) * (ko + dO));
    }
    let dInhibdLac = 0.0, dInhibdAmm = 0.0;
    if (p[L.CP_ON_INHIBITION] != 0.0) {
      dInhibdLac = (-sLac * rInhib) / (p[L.CP_KI_LAC] + lac);
      dInhibdAmm = (-sAmm * rInhib) / (p[L.CP_KI_AMM] + amm);
    }
    const kGlc = p[L.CP_K_GLC];
    const kGln = p[L.CP_K_GLN];
    const dFGlcdGlc = (sGlc * kGlc) / ((kGlc + glc) * (kGlc + glc));
    const dFGlndGln = (sGln * kGln) / ((kGln + gln) * (kGln + gln));
    const muMax = p[L.CP_MU_MAX];
    gScale(gMu, muMax * rFGlc * rFGln * rInhib * rFT * rFO * dFOsmdOsm, gOsm);
    gMu[L.CX_GLC] += muMax * rFGln * rInhib * rFT * rFOsm * rFO * dFGlcdGlc;
    gMu[L.CX_GLN] += muMax * rFGlc * rInhib * rFT * rFOsm * rFO * dFGlndGln;
    const muUninhibited = muMax * rFGlc * rFGln * rFT * rFOsm * rFO;
    gMu[L.CX_LAC] += muUninhibited * dInhibdLac;
    gMu[L.CX_AMM] += muUninhibited * dInhibdAmm;
    gMu[L.CX_T] += muMax * rFGlc * rFGln * rInhib * rFOsm * rFO * dFTdT;
    gMu[L.CX_DO] += muMax * rFGlc * rFGln * rInhib * rFT * rFOsm * dFOdDo;
    gClear(gMuD);
    if (p[L.CP_ON_BYPRODUCT_DEATH] != 0.0) {
      const mudMax = p[L.CP_MUD_MAX];
      const kdLac = p[L.CP_KD_LAC];
      const kdAmm = p[L.CP_KD_AMM];
      gMuD[L.CX_LAC] += ((sLac * mudMax * kdLac) / ((kdLac + lac) * (kdLac + lac))) * (amm / (kdAmm + amm));
      gMuD[L.CX_AMM] += ((mudMax * lac) / (kdLac + lac)) * ((sAmm * kdAmm) / ((kdAmm + amm) * (kdAmm + amm)));
    }
    if (p[L.CP_ON_STARVATION] != 0.0) {
      const ks = p[L.CP_KS_STARVE];
      gMuD[L.CX_GLC] -= (sGlc * p[L.CP_K_STARVE] * ks) / ((ks + glc) * (ks + glc));
    }
    const maintOn = p[L.CP_ON_MAINTENANCE] != 0.0;
    const yXGlc = p[L.CP_Y_X_GLC];
    const yXGln = p[L.CP_Y_X_GLN];
    gScale(gQglc, 1.0 / yXGlc, gMu);
    if (maintOn) gQglc[L.CX_GLC] += p[L.CP_M_GLC] * dFGlcdGlc;
    gScale(gQgln, 1.0 / yXGln, gMu);
    if (maintOn) {
      const a2 = p[L.CP_A2];
      gQgln[L.CX_GLN] += (sGln * p[L.CP_A1] * a2) / ((a2 + gln) * (a2 + gln));
    }
    if (p[L.CP_ON_LACTATE_SWITCH] != 0.0) {
      const kl = p[L.CP_K_LAC_UPTAKE];
      const qLacMax = p[L.CP_Q_LAC_MAX];
      gScale(gQlac, p[L.CP_Y_LAC_GLC] / yXGlc + (qLacMax * lac) / (kl + lac) / muMax, gMu);
      gQlac[L.CX_LAC] -= ((sLac * qLacMax * kl) / ((kl + lac) * (kl + lac))) * (1.0 - rMu / muMax);
    } else {
      gScale(gQlac, p[L.CP_Y_LAC_GLC], gQglc);
    }
    gScale(gQamm, p[L.CP_Y_AMM_GLN] / yXGln, gMu);
    if (p[L.CP_ON_AMM_UPTAKE] != 0.0) {
      gQamm[L.CX_AMM] -= (sAmm * p[L.CP_R_AMM] * K_AMM_UPTAKE) / ((K_AMM_UPTAKE + amm) * (K_AMM_UPTAKE + amm));
    }
    const qp0 = p[L.CP_QP0];
    const boost = p[L.CP_QP_BOOST];
    gScale(gQp, (-qp0 * boost * rFQpT) / muMax, gMu);
    gQp[L.CX_T] += qp0 * (1.0 + boost * (1.0 - rMu / muMax)) * dFQpTdT;
    gClear(gOur);
    gOur[L.CX_XV] = p[L.CP_QO2] * rFO * sXv * CELLS_PER_L;
    gOur[L.CX_DO] = p[L.CP_QO2] * dFOdDo * xvPos * CELLS_PER_L;

    // Control loops (§6): the slope of each clamp is that of its active branch
    const tOn = p[L.CP_T_ON] != 0.0;
    let dHeaterdT = 0.0, dHeaterdIT = 0.0;
    const segment = this.segment;
    if (tOn && segment[SW_T] == 1) {
      dHeaterdT = -p[L.CP_T_KP];
      dHeaterdIT = p[L.CP_T_KP] / p[L.CP_T_TI];
    }
    const doOn = p[L.CP_DO_ON] != 0.0;
    const doSatMM = p[L.CP_O2_SAT_AIR] * p[L.CP_PRESSURE];
    let dSatDodDo = 0.0, dSatDodIDo = 0.0;
    gClear(gN);
    gClear(gQgas);
    gClear(gXo2);
    if (doOn) {
      const doSegment = segment[SW_DO];
      if (doSegment >= 1 && doSegment <= 3) {
        dSatDodDo = (-p[L.CP_DO_KP] * 100.0) / doSatMM;
        dSatDodIDo = p[L.CP_DO_KP] / p[L.CP_DO_TI];
      }
      // One stage of the cascade moves at a time: agitation below 1, gas flow below 2, then O2.
      let dStage = 0.0;
      let stage = gN;
      if (doSegment <= 1) {
        dStage = p[L.CP_N_MAX] - p[L.CP_N_MIN];
      } else if (doSegment == 2) {
        dStage = p[L.CP_Q_MAX] - p[L.CP_Q_MIN];
        stage = gQgas;
      } else {
        dStage = p[L.CP_XO2_MAX] - Y_O2_AIR;
        stage = gXo2;
      }
      stage[L.CX_DO] = dStage * dSatDodDo;
      stage[L.CX_I_DO] = dStage * dSatDodIDo;
    }
    const phOn = p[L.CP_PH_ON] != 0.0;
    gScale(gPhErrorDb, segment[SW_DEADBAND] != 1 ? -1.0 : 0.0, gPH);
    let phInside = false;
    gClear(gBase);
    gClear(gXco2);
    if (phOn) {
      const kp = p[L.CP_PH_KP];
      gScale(gUPh, kp, gPhErrorDb);
      gUPh[L.CX_I_PH] += kp / p[L.CP_PH_TI];
      const phSegment = segment[SW_PH];
      phInside = phSegment == 1 || phSegment == 2;
      if (phInside) {
        if (phSegment == 2) gScale(gBase, p[L.CP_BASE_MAX], gUPh);
        else gScale(gXco2, -p[L.CP_XCO2_MAX], gUPh);
      }
    }
    const baseMoves = phOn && phInside && segment[SW_PH] == 2;
    this.baseMoves = baseMoves;
    // rXo2 = min(cascade O2 fraction, 1 - xCO2)
    if (this.rXo2Cascade > 1.0 - rXco2) gScale(gXo2, -1.0, gXco2);

    // Gas transfer (§5.1, §5.2, §10.3): dkLa = kLa (e_N dN/N + e_Q dQ/Q + e_V dV/V)
    const kla = rKlaSparged;
    gScale(gKla, rN > 0.0 ? (kla * this.klaExpN) / rN : 0.0, gN);
    gAdd(gKla, rQgas > 0.0 ? (kla * this.klaExpQ) / rQgas : 0.0, gQgas);
    gKla[L.CX_V] += (kla * this.klaExpV) / v;
    const surface = p[L.CP_KLA_SURFACE];
    const ratio = p[L.CP_CO2_KLA_RATIO];
    const pressure = p[L.CP_PRESSURE];
    const gasMmolPerH = (rQgas * 60.0 * 1000.0) / (R_GAS * KELVIN);
    const dGasdQ = (60.0 * 1000.0) / (R_GAS * KELVIN);
    const satO2 = (p[L.CP_O2_SAT_AIR] * pressure) / Y_O2_AIR;
    const satCO2 = p[L.CP_CO2_ALPHA] * MMHG_PER_ATM * pressure;
    this.spargePartials(kla, v, gasMmolPerH, rXo2, satO2, dO);
    gScale(gOtr, this.spDKla, gKla);
    gAdd(gOtr, this.spDGas * dGasdQ, gQgas);
    gAdd(gOtr, this.spDYIn, gXo2);
    gOtr[L.CX_DO] += (this.spDC - surface) * sDo;
    gOtr[L.CX_V] += this.spDV;
    this.spargePartials(ratio * kla, v, gasMmolPerH, rXco2, satCO2, rCO2aq);
    gScale(gCtr, this.spDKla * ratio, gKla);
    gAdd(gCtr, this.spDGas * dGasdQ, gQgas);
    gAdd(gCtr, this.spDYIn, gXco2);
    gAdd(gCtr, this.spDC - ratio * surface, gCO2);
    gCtr[L.CX_V] += this.spDV;

    // Flows (§7): level control passes the base rate on to the harvest while it runs
    const perf = p[L.CP_PERF_RATE];
    const bleed = p[L.CP_BLEED];
    gClear(gHarvest);
    const harvestMoves = baseMoves && p[L.CP_LEVEL_CONTROL] != 0.0 && rFeed + perf + rBase - bleed >= 0.0;
    if (harvestMoves) gScale(gHarvest, 1.0, gBase);

    // Rows of the dynamic states (choRhs, term by term)
    const mf = p[L.CP_FEED_MEDIUM] | 0;
    const mp = p[L.CP_PERF_MEDIUM] | 0;
    const retention = p[L.CP_RETENTION];
    const xv = y[L.CX_XV];
    const xd = y[L.CX_XD];
    const cells = xv * CELLS_PER_L;
    const concentrate = (rHarvest * retention) / v;
    const out = bleed + rHarvest;
    const doIn = doSatMM;
    const dilution = (rFeed + perf + rBase) / v; // -∂inflow/∂c
    const lysis = p[L.CP_ON_LYSIS] != 0.0 ? p[L.CP_K_LYSIS] : 0.0;
    const decayOn = p[L.CP_ON_GLN_DECAY] != 0.0;
    const decay = decayOn ? p[L.CP_D_GLN] * gln : 0.0;
    const dDecaydGln = decayOn ? p[L.CP_D_GLN] * sGln : 0.0;
    const yGlc = y[L.CX_GLC];
    const yGln = y[L.CX_GLN];
    const yLac = y[L.CX_LAC];
    const yAmm = y[L.CX_AMM];
    const yMab = y[L.CX_MAB];
    const yDo = y[L.CX_DO];
    const yTic = y[L.CX_TIC];
    const yNa = y[L.CX_NA];
    const yCl = y[L.CX_CL];
    const yOther = y[L.CX_OTHER];

    let off = L.CX_XV * nd;
    jacAdd(jac, off, xv, gMu);
    jacAdd(jac, off, -xv, gMuD);
    this.jacInflow(jac, off, L.CX_XV, xv, 0.0, this.inflow(xv, 0.0, 0.0, 0.0, perf, v), dilution, v);
    if (harvestMoves) jacAdd(jac, off, (retention * xv) / v, gHarvest);
    jac[off + L.CX_XV] += rMu - rMuD + concentrate;
    jac[off + L.CX_V] -= (concentrate * xv) / v;

    off = L.CX_XD * nd;
    jacAdd(jac, off, xv, gMuD);
    this.jacInflow(jac, off, L.CX_XD, xd, 0.0, this.inflow(xd, 0.0, 0.0, 0.0, perf, v), dilution, v);
    if (harvestMoves) jacAdd(jac, off, (retention * xd) / v, gHarvest);
    jac[off + L.CX_XV] += rMuD;
    jac[off + L.CX_XD] += concentrate - lysis;
    jac[off + L.CX_V] -= (concentrate * xd) / v;

    off = L.CX_GLC * nd;
    jacAdd(jac, off, -cells, gQglc);
    jac[off + L.CX_XV] -= rQglc * CELLS_PER_L;
    this.jacInflow(jac, off, L.CX_GLC, yGlc, 0.0, this.inflow(yGlc, medium(p, mf, L.CM_GLC), medium(p, mp, L.CM_GLC), 0.0, perf, v), dilution, v);

    off = L.CX_GLN * nd;
    jacAdd(jac, off, -cells, gQgln);
    jac[off + L.CX_XV] -= rQgln * CELLS_PER_L;
    jac[off + L.CX_GLN] -= dDecaydGln;
    this.jacInflow(jac, off, L.CX_GLN, yGln, 0.0, this.inflow(yGln, medium(p, mf, L.CM_GLN), medium(p, mp, L.CM_GLN), 0.0, perf, v), dilution, v);

    off = L.CX_LAC * nd;
    jacAdd(jac, off, cells, gQlac);
    jac[off + L.CX_XV] += rQlac * CELLS_PER_L;
    this.jacInflow(jac, off, L.CX_LAC, yLac, 0.0, this.inflow(yLac, 0.0, 0.0, 0.0, perf, v), dilution, v);

    off = L.CX_AMM * nd;
    jacAdd(jac, off, cells, gQamm);
    jac[off + L.CX_XV] += rQamm * CELLS_PER_L;
    jac[off + L.CX_GLN] += dDecaydGln;
    this.jacInflow(jac, off, L.CX_AMM, yAmm, 0.0, this.inflow(yAmm, 0.0, 0.0, 0.0, perf, v), dilution, v);

    off = L.CX_MAB * nd;
    jacAdd(jac, off, xv / HOURS_PER_DAY, gQp);
    jac[off + L.CX_XV] += rQp / HOURS_PER_DAY;
    this.jacInflow(jac, off, L.CX_MAB, yMab, 0.0, this.inflow(yMab, 0.0, 0.0, 0.0, perf, v), dilution, v);

    off = L.CX_DO * nd;
    jacAdd(jac, off, 1.0, gOtr);
    jacAdd(jac, off, -1.0, gOur);
    this.jacInflow(jac, off, L.CX_DO, yDo, doIn, this.inflow(yDo, doIn, doIn, doIn, perf, v), dilution, v);

    off = L.CX_TIC * nd;
    const baseTic = p[L.CP_BASE_TIC];
    jacAdd(jac, off, 1.0, gCtr);
    jacAdd(jac, off, p[L.CP_RQ], gOur);
    this.jacInflow(jac, off, L.CX_TIC, yTic, baseTic, this.inflow(yTic, medium(p, mf, L.CM_TIC), medium(p, mp, L.CM_TIC), baseTic, perf, v), dilution, v);

    off = L.CX_NA * nd;
    const baseNa = p[L.CP_BASE_NA];
    this.jacInflow(jac, off, L.CX_NA, yNa, baseNa, this.inflow(yNa, medium(p, mf, L.CM_NA), medium(p, mp, L.CM_NA), baseNa, perf, v), dilution, v);

    off = L.CX_CL * nd;
    this.jacInflow(jac, off, L.CX_CL, yCl, 0.0, this.inflow(yCl, medium(p, mf, L.CM_CL), medium(p, mp, L.CM_CL), 0.0, perf, v), dilution, v);

    off = L.CX_OTHER * nd;
    this.jacInflow(jac, off, L.CX_OTHER, yOther, 0.0, this.inflow(yOther, this.mediaOther[mf], this.mediaOther[mp], 0.0, perf, v), dilution, v);

    off = L.CX_V * nd;
    if (baseMoves) jacAdd(jac, off, 1.0, gBase);
    if (harvestMoves) jacAdd(jac, off, -1.0, gHarvest);

    off = L.CX_T * nd;
    const heatCapacity = RHO_CP * v; // J/K
    const ua = p[L.CP_UA];
    jac[off + L.CX_T] += (SECONDS_PER_HOUR * (dHeaterdT - ua)) / heatCapacity;
    jac[off + L.CX_I_T] += (SECONDS_PER_HOUR * dHeaterdIT) / heatCapacity;
    jac[off + L.CX_V] -= (SECONDS_PER_HOUR * (rHeater - ua * (temp - p[L.CP_T_ROOM]))) / (heatCapacity * v);

    // PI integrals with back-calculation: dI/dt = e + (u_sat - u)/Kp
    if (tOn) {
      off = L.CX_I_T * nd;
      const kp = p[L.CP_T_KP];
      jac[off + L.CX_T] += -1.0 + (dHeaterdT + kp) / kp;
      jac[off + L.CX_I_T] += (dHeaterdIT - kp / p[L.CP_T_TI]) / kp;
    }
    if (doOn) {
      off = L.CX_I_DO * nd;
      const kp = p[L.CP_DO_KP];
      jac[off + L.CX_DO] += -100.0 / doSatMM + (dSatDodDo + (kp * 100.0) / doSatMM) / kp;
      jac[off + L.CX_I_DO] += (dSatDodIDo - kp / p[L.CP_DO_TI]) / kp;
    }
    if (phOn) {
      off = L.CX_I_PH * nd;
      jacAdd(jac, off, 1.0, gPhErrorDb);
      if (!phInside) jacAdd(jac, off, -1.0 / p[L.CP_PH_KP], gUPh);
    }

    // Quadrature rows (§8); the amounts fed with the feeds and perfusion depend on no state
    off = L.CX_GLC_USED * nd;
    jacAdd(jac, off, cells * v, gQglc);
    jac[off + L.CX_XV] += rQglc * CELLS_PER_L * v;
    jac[off + L.CX_V] += rQglc * cells;
    off = L.CX_GLC_OUT * nd;
    if (harvestMoves) jacAdd(jac, off, yGlc, gHarvest);
    jac[off + L.CX_GLC] += out;
    off = L.CX_GLN_USED * nd;
    jacAdd(jac, off, cells * v, gQgln);
    jac[off + L.CX_XV] += rQgln * CELLS_PER_L * v;
    jac[off + L.CX_GLN] += dDecaydGln * v;
    jac[off + L.CX_V] += rQgln * cells + decay;
    off = L.CX_GLN_OUT * nd;
    if (harvestMoves) jacAdd(jac, off, yGln, gHarvest);
    jac[off + L.CX_GLN] += out;
    off = L.CX_CELLS_GROWN * nd;
    jacAdd(jac, off, xv * v, gMu);
    jac[off + L.CX_XV] += rMu * v;
    jac[off + L.CX_V] += rMu * xv;
    off = L.CX_CELLS_DIED * nd;
    jacAdd(jac, off, xv * v, gMuD);
    jac[off + L.CX_XV] += rMuD * v;
    jac[off + L.CX_V] += rMuD * xv;
    off = L.CX_CELLS_OUT * nd;
    if (harvestMoves) jacAdd(jac, off, (1.0 - retention) * xv, gHarvest);
    jac[off + L.CX_XV] += bleed + rHarvest * (1.0 - retention);
    if (baseMoves) jacAdd(jac, L.CX_VOL_IN * nd, 1.0, gBase);
    if (harvestMoves) jacAdd(jac, L.CX_VOL_OUT * nd, 1.0, gHarvest);
    if (baseMoves) jacAdd(jac, L.CX_NA_IN * nd, baseNa, gBase);
    off = L.CX_NA_OUT * nd;
    if (harvestMoves) jacAdd(jac, off, yNa, gHarvest);
    jac[off + L.CX_NA] += out;
    off = L.CX_LAC_NET * nd;
    jacAdd(jac, off, cells * v, gQlac);
    jac[off + L.CX_XV] += rQlac * CELLS_PER_L * v;
    jac[off + L.CX_V] += rQlac * cells;
    off = L.CX_LAC_OUT * nd;
    if (harvestMoves) jacAdd(jac, off, yLac, gHarvest);
    jac[off + L.CX_LAC] += out;
    off = L.CX_MAB_MADE * nd;
    jacAdd(jac, off, (xv / HOURS_PER_DAY) * v, gQp);
    jac[off + L.CX_XV] += (rQp / HOURS_PER_DAY) * v;
    jac[off + L.CX_V] += (rQp * xv) / HOURS_PER_DAY;
    off = L.CX_MAB_OUT * nd;
    if (harvestMoves) jacAdd(jac, off, yMab, gHarvest);
    jac[off + L.CX_MAB] += out;
    if (baseMoves) jacAdd(jac, L.CX_BASE * nd, 1.0, gBase);
    return true;
  }

  /** Conductivity from the ions present, mS/cm (docs/model.md §5.4). */
  private conductivity(y: Float64Array): number {
    const sum = LAMBDA_NA * y[L.CX_NA] + LAMBDA_CL * y[L.CX_CL] + LAMBDA_HCO3 * this.rHCO3 +
      LAMBDA_LAC * Math.max(y[L.CX_LAC], 0.0) + LAMBDA_NH4 * Math.max(y[L.CX_AMM], 0.0);
    return COND_FACTOR * (1.0 + COND_PER_K * (y[L.CX_T] - 25.0)) * sum * 1e-3;
  }

  /** models/cho.ts derivedRates: whether rows carry the outputs that need the rates. */
  derivedRates = true;

  /** models/cho.ts choDerived: the pH memo is put back after a row, so rows never change the solution. */
  derived(t: number, y: Float64Array, p: Float64Array, out: Float64Array, off: number): void {
    const xv = y[L.CX_XV];
    const total = xv + y[L.CX_XD];
    out[off + L.CXD_VIABILITY] = total > 0.0 ? (100.0 * xv) / total : 100.0;
    out[off + L.CXD_TITER] = y[L.CX_MAB] / 1000.0;
    out[off + L.CXD_DO_PERCENT] = (100.0 * y[L.CX_DO]) / (p[L.CP_O2_SAT_AIR] * p[L.CP_PRESSURE]);
    out[off + L.CXD_FEED_RATE] = choFeedRate(t, p);
    out[off + L.CXD_PERFUSION] = p[L.CP_PERF_RATE];
    out[off + L.CXD_TEMP_SETPOINT] = p[L.CP_T_SP];
    out[off + L.CXD_DO_SETPOINT] = p[L.CP_DO_SP];
    out[off + L.CXD_PH_SETPOINT] = p[L.CP_PH_SP];
    if (!this.derivedRates) {
      for (const k of RATE_COLUMNS) out[off + k] = NaN;
      return;
    }
    const cache = this.pHCache, tic = this.memoTic, sid = this.memoSid, buffer = this.memoBuffer, pKb = this.memoPKb;
    const pH = this.memoPH, slope = this.memoSlope, dTic = this.memoDFdTic;
    this.rates(t, y, p);
    out[off + L.CXD_PH] = this.rPH;
    out[off + L.CXD_PCO2] = this.rCO2aq / p[L.CP_CO2_ALPHA];
    out[off + L.CXD_OSMOLALITY] = this.rOsm;
    out[off + L.CXD_CONDUCTIVITY] = this.conductivity(y);
    out[off + L.CXD_MU] = this.rMu;
    out[off + L.CXD_DEATH] = this.rMuD;
    out[off + L.CXD_QP] = this.rQp;
    out[off + L.CXD_OUR] = this.rOur;
    out[off + L.CXD_CER] = p[L.CP_RQ] * this.rOur;
    out[off + L.CXD_KLA] = this.rKla;
    out[off + L.CXD_AGITATION] = this.rN;
    out[off + L.CXD_GAS_FLOW] = this.rQgas;
    out[off + L.CXD_O2_FRACTION] = 100.0 * this.rXo2;
    out[off + L.CXD_CO2_FRACTION] = 100.0 * this.rXco2;
    out[off + L.CXD_BASE_RATE] = 1000.0 * this.rBase;
    out[off + L.CXD_HEATER] = this.rHeater;
    this.pHCache = cache;
    this.memoTic = tic;
    this.memoSid = sid;
    this.memoBuffer = buffer;
    this.memoPKb = pKb;
    this.memoPH = pH;
    this.memoSlope = slope;
    this.memoDFdTic = dTic;
    this.ratesT = NaN;
  }

  /**
   * Completes the initial state from what the scenario states (docs/model.md §5.3):
   * carbon from pH and pCO2, chloride from the charge balance, other solutes from the
   * osmolality, and a bumpless start of the temperature loop. Called once per run.
   */
  prepare(y: Float64Array, p: Float64Array): number {
    this.setupProblem = SETUP_OK;
    const pH = p[L.CP_INIT_PH];
    const co2aq = p[L.CP_CO2_ALPHA] * p[L.CP_INIT_PCO2];
    const hco3 = co2aq * pow10(pH - PK1);
    const tic = co2aq + hco3;
    y[L.CX_TIC] = tic;
    const buffer = p[L.CP_BUFFER];
    const pKb = p[L.CP_BUFFER_PKA];
    // Charge balance at the stated pH: SID = ionised carbon + buffer + water terms.
    const sid = chargeBalance(pH, tic, buffer, pKb, 0.0);
    const cl = y[L.CX_NA] + y[L.CX_AMM] - y[L.CX_LAC] - sid;
    if (cl < 0.0) {
      this.setupProblem = SETUP_INITIAL_CHLORIDE;
      return L.STATUS_BAD_SETUP;
    }
    y[L.CX_CL] = cl;
    const listed = OSMOTIC_COEFF * (y[L.CX_NA] + cl + hco3 + y[L.CX_LAC] + y[L.CX_AMM]) +
      y[L.CX_GLC] + y[L.CX_GLN];
    const other = p[L.CP_INIT_OSM] - listed;
    if (other < 0.0) {
      this.setupProblem = SETUP_INITIAL_OSMOLALITY;
      return L.STATUS_BAD_SETUP;
    }
    y[L.CX_OTHER] = other;
    for (let m = 0; m < L.MAX_MEDIA; m++) {
      const osm = medium(p, m, L.CM_OSM);
      let o = 0.0;
      if (osm > 0.0) {
        o = osm - listedOsmolality(medium(p, m, L.CM_GLC), medium(p, m, L.CM_GLN), medium(p, m, L.CM_NA), medium(p, m, L.CM_CL), medium(p, m, L.CM_TIC));
        if (o < 0.0) {
          this.setupProblem = SETUP_MEDIUM_OSMOLALITY + m;
          return L.STATUS_BAD_SETUP;
        }
      }
      this.mediaOther[m] = o;
    }
    // Bumpless start: the integral that makes the heater hold the initial temperature.
    if (p[L.CP_T_ON] != 0.0) {
      const hold = clamp(p[L.CP_UA] * (y[L.CX_T] - p[L.CP_T_ROOM]), -p[L.CP_T_COOL_MAX], p[L.CP_T_HEAT_MAX]);
      y[L.CX_I_T] = (p[L.CP_T_TI] * hold) / p[L.CP_T_KP];
    }
    this.pHCache = pH;
    this.paramsChanged();
    return L.STATUS_OK;
  }

  /** Mixes `volumeL` of medium `m` into the culture at once (a bolus). */
  bolus(y: Float64Array, p: Float64Array, m: number, volumeL: number): void {
    if (m < 0 || m >= L.MAX_MEDIA || !(volumeL > 0.0)) return;
    const v = y[L.CX_V];
    const vNew = v + volumeL;
    const keep = v / vNew;
    const add = volumeL / vNew;
    const doIn = p[L.CP_O2_SAT_AIR] * p[L.CP_PRESSURE];
    y[L.CX_XV] *= keep;
    y[L.CX_XD] *= keep;
    y[L.CX_GLC] = y[L.CX_GLC] * keep + medium(p, m, L.CM_GLC) * add;
    y[L.CX_GLN] = y[L.CX_GLN] * keep + medium(p, m, L.CM_GLN) * add;
    y[L.CX_LAC] *= keep;
    y[L.CX_AMM] *= keep;
    y[L.CX_MAB] *= keep;
    y[L.CX_DO] = y[L.CX_DO] * keep + doIn * add;
    y[L.CX_TIC] = y[L.CX_TIC] * keep + medium(p, m, L.CM_TIC) * add;
    y[L.CX_NA] = y[L.CX_NA] * keep + medium(p, m, L.CM_NA) * add;
    y[L.CX_CL] = y[L.CX_CL] * keep + medium(p, m, L.CM_CL) * add;
    y[L.CX_OTHER] = y[L.CX_OTHER] * keep + this.mediaOther[m] * add;
    y[L.CX_V] = vNew;
    y[L.CX_GLC_IN] += medium(p, m, L.CM_GLC) * volumeL;
    y[L.CX_GLN_IN] += medium(p, m, L.CM_GLN) * volumeL;
    y[L.CX_NA_IN] += medium(p, m, L.CM_NA) * volumeL;
    y[L.CX_VOL_IN] += volumeL;
  }

  /** Removes `volumeL` of culture at its current composition (a sample). */
  sample(y: Float64Array, volumeL: number): void {
    const v = y[L.CX_V];
    const take = Math.min(volumeL, v);
    if (!(take > 0.0)) return;
    y[L.CX_V] = v - take;
    y[L.CX_VOL_OUT] += take;
    y[L.CX_GLC_OUT] += y[L.CX_GLC] * take;
    y[L.CX_GLN_OUT] += y[L.CX_GLN] * take;
    y[L.CX_CELLS_OUT] += y[L.CX_XV] * take;
    y[L.CX_NA_OUT] += y[L.CX_NA] * take;
    y[L.CX_LAC_OUT] += y[L.CX_LAC] * take;
    y[L.CX_MAB_OUT] += y[L.CX_MAB] * take;
  }

  /** Feed on demand: if glucose is below its threshold, add medium `m` up to the target. */
  feedOnDemand(y: Float64Array, p: Float64Array, m: number): void {
    if (m < 0 || m >= L.MAX_MEDIA) return;
    const glc = y[L.CX_GLC];
    const target = p[L.CP_DEMAND_TARGET];
    const inMedium = medium(p, m, L.CM_GLC);
    if (glc >= p[L.CP_DEMAND_BELOW] || inMedium <= target) return;
    this.bolus(y, p, m, (y[L.CX_V] * (target - glc)) / (inMedium - target));
  }
}

/** Harvest rule: viability minus its threshold, in %; the run stops when it falls through 0. */
export function choStopValue(y: Float64Array, p: Float64Array): number {
  const threshold = p[L.CP_HARVEST_VIABILITY];
  if (threshold <= 0.0) return Infinity;
  const xv = y[L.CX_XV];
  const total = xv + y[L.CX_XD];
  return (total > 0.0 ? (100.0 * xv) / total : 100.0) - threshold;
}

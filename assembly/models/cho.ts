// Well-mixed stirred tank with the CHO cell model (after Xing et al. 2010): growth on
// glucose and glutamine inhibited by lactate and ammonia, death, lysis, the lactate
// switch, antibody productivity, temperature and osmolality effects; dissolved O2 and
// CO2 with gas transfer; pH from the strong-ion balance; conductivity and osmolality;
// temperature; the DO cascade, pH and temperature PI loops; feeds, perfusion, bleed,
// sampling and the harvest rule. Equations, units and sources: docs/model.md §4–§8.
import {
  CHECKPOINT_SLOTS,
  CX_XV, CX_XD, CX_GLC, CX_GLN, CX_LAC, CX_AMM, CX_MAB, CX_DO, CX_TIC, CX_NA, CX_CL, CX_OTHER, CX_V, CX_T,
  CX_I_T, CX_I_DO, CX_I_PH, CX_GLC_IN, CX_GLC_USED, CX_GLC_OUT, CX_GLN_IN, CX_GLN_USED, CX_GLN_OUT,
  CX_CELLS_GROWN, CX_CELLS_DIED, CX_CELLS_OUT, CX_VOL_IN, CX_VOL_OUT, CX_NA_IN, CX_NA_OUT, CX_LAC_NET,
  CX_LAC_OUT, CX_MAB_MADE, CX_MAB_OUT, CX_BASE,
  CXD_VIABILITY, CXD_TITER, CXD_DO_PERCENT, CXD_PH, CXD_PCO2, CXD_OSMOLALITY, CXD_CONDUCTIVITY, CXD_MU,
  CXD_DEATH, CXD_QP, CXD_OUR, CXD_CER, CXD_KLA, CXD_AGITATION, CXD_GAS_FLOW, CXD_O2_FRACTION,
  CXD_CO2_FRACTION, CXD_BASE_RATE, CXD_HEATER, CXD_FEED_RATE, CXD_PERFUSION, CXD_TEMP_SETPOINT,
  CXD_DO_SETPOINT, CXD_PH_SETPOINT,
  CP_MU_MAX, CP_K_GLC, CP_K_GLN, CP_KI_LAC, CP_KI_AMM, CP_MUD_MAX, CP_KD_LAC, CP_KD_AMM, CP_Y_X_GLC,
  CP_Y_X_GLN, CP_Y_LAC_GLC, CP_Y_AMM_GLN, CP_M_GLC, CP_A1, CP_A2, CP_D_GLN, CP_R_AMM, CP_K_STARVE,
  CP_KS_STARVE, CP_K_LYSIS, CP_Q_LAC_MAX, CP_K_LAC_UPTAKE, CP_QP0, CP_QP_BOOST, CP_T_REF,
  CP_MU_PER_K, CP_QP_PER_K, CP_QO2, CP_RQ, CP_KO, CP_OSM_ONSET, CP_OSM_STOP,
  CP_ON_MAINTENANCE, CP_ON_INHIBITION, CP_ON_BYPRODUCT_DEATH, CP_ON_STARVATION, CP_ON_LYSIS,
  CP_ON_LACTATE_SWITCH, CP_ON_GLN_DECAY, CP_ON_AMM_UPTAKE, CP_ON_TEMPERATURE, CP_ON_OSMOLALITY,
  CP_ON_O2_LIMIT,
  CP_KLA_REF, CP_N_REF, CP_Q_REF, CP_KLA_N_EXP, CP_KLA_Q_EXP, CP_KLA_SURFACE, CP_CO2_KLA_RATIO,
  CP_O2_SAT_AIR, CP_CO2_ALPHA, CP_PRESSURE, CP_BUFFER, CP_BUFFER_PKA, CP_UA, CP_T_ROOM,
  CP_T_ON, CP_T_SP, CP_T_KP, CP_T_TI, CP_T_HEAT_MAX, CP_T_COOL_MAX, CP_T_FIXED,
  CP_DO_ON, CP_DO_SP, CP_DO_KP, CP_DO_TI, CP_N_MIN, CP_N_MAX, CP_Q_MIN, CP_Q_MAX, CP_XO2_MAX,
  CP_N_FIXED, CP_Q_FIXED, CP_XO2_FIXED,
  CP_PH_ON, CP_PH_SP, CP_PH_DEADBAND, CP_PH_KP, CP_PH_TI, CP_BASE_MAX, CP_BASE_NA, CP_BASE_TIC,
  CP_XCO2_MAX, CP_XCO2_FIXED,
  CP_FEED_RATE, CP_FEED_EXP, CP_FEED_T0, CP_FEED_MEDIUM, CP_PERF_RATE, CP_PERF_MEDIUM, CP_RETENTION,
  CP_BLEED, CP_LEVEL_CONTROL, CP_DEMAND_BELOW, CP_DEMAND_TARGET, CP_HARVEST_VIABILITY,
  CP_INIT_PH, CP_INIT_PCO2, CP_INIT_OSM, CP_MEDIA, CM_GLC, CM_GLN, CM_NA, CM_CL, CM_TIC, CM_OSM,
  CM_FIELDS, MAX_MEDIA, CX_DYNAMIC, CX_STATES,
  CP_KLA_MODEL, CP_VES_T, CP_IMP_D, CP_IMP_NP, CP_RHO, CP_MU, KLA_MODEL_REFERENCE, KLA_MODEL_VANT_RIET_COALESCING,
  STATUS_OK, STATUS_RECOVERABLE, STATUS_BAD_SETUP,
} from "../layout";
import { gassedPowerRatio, kLaGasExponent, kLaPowerExponent, kLaVantRietPerS, superficialGasVelocity, ungassedPowerW } from "../vessel";

// ---- constants (docs/model.md §5–§6) -----------------------------------------
const LN10: f64 = 2.302585092994046;
/** Apparent pK of CO2(aq)/HCO3- at 37 °C (Henderson–Hasselbalch). */
const PK1: f64 = 6.1;
/** pKw of water at 37 °C. */
const PKW: f64 = 13.62;
/** Osmotic coefficient of the ions of a culture medium. */
const OSMOTIC_COEFF: f64 = 0.93;
/** Volumetric heat capacity of the broth (water at 37 °C), J/L/K. */
export const RHO_CP: f64 = 4150.0;
/** Gas constant, L·atm/(mol·K). */
export const R_GAS: f64 = 0.082057;
export const KELVIN: f64 = 273.15;
/** Mole fractions of O2 and CO2 in air. */
export const Y_O2_AIR: f64 = 0.2095;
export const Y_CO2_AIR: f64 = 0.0004;
export const MMHG_PER_ATM: f64 = 760.0;
/** Limiting molar conductivities at 25 °C, S·cm²/mol. */
const LAMBDA_NA: f64 = 50.1;
const LAMBDA_CL: f64 = 76.3;
const LAMBDA_HCO3: f64 = 44.5;
const LAMBDA_LAC: f64 = 38.9;
const LAMBDA_NH4: f64 = 73.5;
/** Relative change of conductivity per K from 25 °C. */
const COND_PER_K: f64 = 0.02;
/** Finite-concentration correction of the summed limiting conductivities (derived from 0.1 mol/kg KCl). */
const COND_FACTOR: f64 = 0.82;
/** Half-saturation keeping ammonium uptake from driving ammonium negative, mM (assumption). */
const K_AMM_UPTAKE: f64 = 0.1;
/** Upper end of the DO cascade's controller output: agitation 0..1, gas flow 1..2, O2 2..3. */
export const DO_CASCADE_STAGES: f64 = 3.0;
/** Cells per litre per (1e6 cells/mL). */
export const CELLS_PER_L: f64 = 1e9;
export const HOURS_PER_DAY: f64 = 24.0;
export const SECONDS_PER_HOUR: f64 = 3600.0;

// ---- setup problems reported by choPrepare (read by the engine) -------------------
export const SETUP_OK = 0;
/** Initial sodium too low for the initial pH and pCO2 (chloride would be negative). */
export const SETUP_INITIAL_CHLORIDE = 1;
/** Initial osmolality below what the listed solutes alone give. */
export const SETUP_INITIAL_OSMOLALITY = 2;
/** Medium m's osmolality below its listed solutes: code SETUP_MEDIUM_OSMOLALITY + m. */
export const SETUP_MEDIUM_OSMOLALITY = 10;
export let setupProblem: i32 = SETUP_OK;

// ---- rates shared by rhs, derived outputs and events (module scratch) -----------
let pHCache: f64 = 7.0;
export const mediaOther = new StaticArray<f64>(MAX_MEDIA);
export let rPH: f64 = 7.0;
export let rCO2aq: f64 = 0.0; // mM
export let rHCO3: f64 = 0.0; // mM
export let rOsm: f64 = 0.0; // mOsm/kg
export let rMu: f64 = 0.0; // 1/h
export let rMuD: f64 = 0.0; // 1/h
export let rQglc: f64 = 0.0; // mmol/cell/h
export let rQgln: f64 = 0.0; // mmol/cell/h
export let rQlac: f64 = 0.0; // mmol/cell/h (net, negative when consumed)
export let rQamm: f64 = 0.0; // mmol/cell/h (net)
export let rQp: f64 = 0.0; // pg/cell/day
export let rOur: f64 = 0.0; // mmol/L/h
let rOtr: f64 = 0.0; // mmol/L/h into the liquid
let rCtr: f64 = 0.0; // mmol/L/h into the liquid (negative when stripped)
export let rKla: f64 = 0.0; // 1/h
export let rN: f64 = 0.0; // rpm
export let rQgas: f64 = 0.0; // L/min
export let rXo2: f64 = 0.0; // mole fraction
export let rXco2: f64 = 0.0; // mole fraction
export let rBase: f64 = 0.0; // L/h
export let rHeater: f64 = 0.0; // W
export let rFeed: f64 = 0.0; // L/h
export let rHarvest: f64 = 0.0; // L/h (permeate or chemostat outflow)
export let rUT: f64 = 0.0; // unsaturated controller outputs, for anti-windup
export let rUDo: f64 = 0.0;
export let rUPh: f64 = 0.0;
export let rSatT: f64 = 0.0; // saturated controller outputs
export let rSatDo: f64 = 0.0;
export let rSatPh: f64 = 0.0;
export let rPhErrorDb: f64 = 0.0; // pH setpoint error outside the dead band
let rXo2Cascade: f64 = 0.0; // O2 fraction the DO cascade asks for, before the room CO2 leaves

// ---- switches: the kinks of the control loops (docs/model.md §1.1, §6) -------------
// Each switch is a piecewise-linear function of one value with ascending breakpoints;
// its segment says which piece applies. Unlocked, rates() sets the segment from the
// value (a plain clamp); locked by the integrator, the segment stays until the
// integrator moves it at a located crossing, so no step straddles a kink.
/** Temperature loop: cooling limit, linear, heating limit; value: unsaturated output. */
export const SW_T: i32 = 0;
/** DO cascade: below, agitation, gas flow, O2, above; value: unsaturated output. */
export const SW_DO: i32 = 1;
/** pH dead band: below, inside, above; value: setpoint minus pH. */
export const SW_DEADBAND: i32 = 2;
/** pH split range: CO2 at its limit, CO2, base, base at its limit; value: unsaturated output. */
export const SW_PH: i32 = 3;
export const CHO_SWITCHES: i32 = 4;
/** Switching functions: the lower and the upper end of each switch's segment. */
export const CHO_SWITCH_FUNCTIONS: i32 = 2 * CHO_SWITCHES;
const segment = new StaticArray<i32>(CHO_SWITCHES);
const switchValue = new StaticArray<f64>(CHO_SWITCHES);
let segmentsLocked = false;
// Factors of μ and qP and the sparged kLa, kept for the Jacobian (choJacobian).
let rFGlc: f64 = 0.0; // glucose Monod factor
let rFGln: f64 = 0.0; // glutamine Monod factor
let rInhib: f64 = 1.0; // lactate and ammonium inhibition
let rFT: f64 = 1.0; // temperature factor of growth
let rFQpT: f64 = 1.0; // temperature factor of qP
let rFOsm: f64 = 1.0; // osmolality factor
let rFO: f64 = 1.0; // oxygen factor
let rKlaSparged: f64 = 0.0; // 1/h, the sparged part of kLa (O2)

@inline
function pow10(x: f64): f64 {
  return Math.exp(x * LN10);
}

/** 10^pK1 and 10^-pKw, computed once (solvePH and the Jacobian use them on every call). */
const TEN_PK1: f64 = pow10(PK1);
const TEN_MINUS_PKW: f64 = pow10(-PKW);

@inline
function clamp(x: f64, lo: f64, hi: f64): f64 {
  return x < lo ? lo : x > hi ? hi : x;
}

@inline
function medium(p: StaticArray<f64>, m: i32, field: i32): f64 {
  return unchecked(p[CP_MEDIA + m * CM_FIELDS + field]);
}

/** Charge balance residual at a given pH: ionised carbon + buffer + water - SID (mM). */
@inline
function chargeBalance(pH: f64, tic: f64, buffer: f64, pKb: f64, sid: f64): f64 {
  return tic / (1.0 + pow10(PK1 - pH)) + buffer / (1.0 + pow10(pKb - pH)) + 1000.0 * (pow10(pH - PKW) - pow10(-pH)) - sid;
}

// The last inputs and result of solvePH: the Jacobian (choJacobian) and ∂f/∂t re-evaluate
// the rates at the state of the last right-hand side, and most right-hand-side calls of a
// finite-difference Jacobian perturb a state that leaves TIC and SID unchanged.
let memoTic: f64 = NaN;
let memoSid: f64 = NaN;
let memoBuffer: f64 = NaN;
let memoPKb: f64 = NaN;
let memoPH: f64 = 7.0;
// ∂F/∂pH and ∂F/∂TIC at the last Newton iterate (∂F/∂SID = −1), for the next start.
let memoSlope: f64 = 0.0;
let memoDFdTic: f64 = 0.0;

// 10^pKb of the last buffer pKa asked for (a parameter: the same on almost every call).
let memoPKbExponent: f64 = NaN;
let memoTenPKb: f64 = 0.0;

/** 10^pKb, computed once per buffer pKa. */
function tenToThe(pKb: f64): f64 {
  if (pKb != memoPKbExponent) {
    memoPKbExponent = pKb;
    memoTenPKb = pow10(pKb);
  }
  return memoTenPKb;
}

/**
 * A Newton step of pH shorter than this is the last one (docs/model.md §5.3): the error
 * after it is about ln 10 times its square, 1e-16 pH.
 */
const PH_NEWTON_LAST_STEP: f64 = 1e-8;

/** pH from the strong-ion balance (docs/model.md §5.3): safeguarded Newton on pH in [2, 12]. */
function solvePH(tic: f64, sid: f64, buffer: f64, pKb: f64): f64 {
  if (tic == memoTic && sid == memoSid && buffer == memoBuffer && pKb == memoPKb) return memoPH;
  let lo = 2.0, hi = 12.0;
  // Start from the tangent of the last solution (the implicit function theorem on F = 0):
  // the first Newton step is then of second order in the change of TIC and SID.
  let x = pHCache;
  if (buffer == memoBuffer && pKb == memoPKb && isFinite<f64>(memoTic) && memoSlope > 0.0) {
    x -= (memoDFdTic * (tic - memoTic) - (sid - memoSid)) / memoSlope;
  }
  x = clamp(x, lo, hi);
  let df = 0.0, dTic = 0.0;
  const tenPK1 = TEN_PK1;
  const tenPKb = tenToThe(pKb);
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
    // Convergence is quadratic, so a step below PH_NEWTON_LAST_STEP leaves next within
    // roundoff of the root.
    if (Math.abs(next - x) < PH_NEWTON_LAST_STEP) {
      x = next;
      break;
    }
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    x = next;
  }
  pHCache = x;
  memoSlope = df;
  memoDFdTic = dTic;
  memoTic = tic;
  memoSid = sid;
  memoBuffer = buffer;
  memoPKb = pKb;
  memoPH = x;
  return x;
}

// The last agitation, gas flow and volume and the sparged kLa they gave (powers saved per call),
// with kLa's logarithmic derivatives in each (for the Jacobian): d ln kLa / d ln N, Q, V.
let memoN: f64 = NaN;
let memoQ: f64 = NaN;
let memoV: f64 = NaN;
let memoKla: f64 = 0.0;
let klaExpN: f64 = 0.0;
let klaExpQ: f64 = 0.0;
let klaExpV: f64 = 0.0;

/** Oosterhuis' gassed-power fit: ln-derivatives of Pg/P0 in N (Fr^-0.16 Re^0.064 Fl^-0.38) and in Qg (docs/model.md §10.1). */
const GASSED_RATIO_EXP_N: f64 = -2.0 * 0.16 + 0.064 + 0.38;
const GASSED_RATIO_EXP_Q: f64 = -0.38;

/**
 * Sparged O2 kLa from agitation (rpm), gas flow (L/min) and volume (L): the reference
 * power law (docs/model.md §5.1) or van't Riet's correlation of the vessel's gassed
 * power per volume and superficial gas velocity (§10.3).
 */
export function spargedKla(agitation: f64, gasFlow: f64, volumeL: f64, p: StaticArray<f64>): f64 {
  if (!(gasFlow > 0.0)) {
    klaExpN = 0.0;
    klaExpQ = 0.0;
    klaExpV = 0.0;
    return 0.0;
  }
  const model = <i32>unchecked(p[CP_KLA_MODEL]);
  if (agitation == memoN && gasFlow == memoQ && (model == KLA_MODEL_REFERENCE || volumeL == memoV)) return memoKla;
  memoN = agitation;
  memoQ = gasFlow;
  memoV = volumeL;
  if (model == KLA_MODEL_REFERENCE) {
    klaExpN = unchecked(p[CP_KLA_N_EXP]);
    klaExpQ = unchecked(p[CP_KLA_Q_EXP]);
    klaExpV = 0.0;
    memoKla = unchecked(p[CP_KLA_REF]) * Math.pow(agitation / unchecked(p[CP_N_REF]), klaExpN) *
      Math.pow(gasFlow / unchecked(p[CP_Q_REF]), klaExpQ);
    return memoKla;
  }
  const coalescing: i32 = model == KLA_MODEL_VANT_RIET_COALESCING ? 1 : 0;
  const nPerS = agitation / 60.0;
  const gasM3PerS = gasFlow / 60000.0;
  const d = unchecked(p[CP_IMP_D]);
  const tank = unchecked(p[CP_VES_T]);
  const rho = unchecked(p[CP_RHO]);
  const ratio = gassedPowerRatio(nPerS, d, tank, gasM3PerS, rho, unchecked(p[CP_MU]));
  const powerPerVolume = (ungassedPowerW(unchecked(p[CP_IMP_NP]), rho, nPerS, d, 1.0) * ratio) / (volumeL / 1000.0);
  memoKla = 3600.0 * kLaVantRietPerS(powerPerVolume, superficialGasVelocity(gasM3PerS, tank), coalescing);
  const alpha = kLaPowerExponent(coalescing);
  const capped = ratio >= 1.0;
  klaExpN = memoKla > 0.0 ? alpha * (3.0 + (capped ? 0.0 : GASSED_RATIO_EXP_N)) : 0.0;
  klaExpQ = memoKla > 0.0 ? alpha * (capped ? 0.0 : GASSED_RATIO_EXP_Q) + kLaGasExponent(coalescing) : 0.0;
  klaExpV = memoKla > 0.0 ? -alpha : 0.0;
  return memoKla;
}

/** Rate at which sparged gas moves a species into the liquid, mmol/L/h (docs/model.md §5.2). */
@inline
export function sparge(kla: f64, volumeL: f64, gasMmolPerH: f64, yIn: f64, satPerFraction: f64, c: f64): f64 {
  const den = gasMmolPerH + kla * volumeL * satPerFraction;
  return den > 0.0 ? (kla * gasMmolPerH * (satPerFraction * yIn - c)) / den : 0.0;
}

/** Output of a PI loop with back-calculation anti-windup; the raw output goes to `raw`. */
@inline
function piOutput(kp: f64, ti: f64, error: f64, integral: f64): f64 {
  return kp * (error + integral / ti);
}

export function choFeedRate(t: f64, p: StaticArray<f64>): f64 {
  const f0 = unchecked(p[CP_FEED_RATE]);
  const k = unchecked(p[CP_FEED_EXP]);
  if (f0 == 0.0 || k == 0.0) return f0;
  return f0 * Math.exp(k * (t - unchecked(p[CP_FEED_T0])));
}

export function choIsAutonomous(p: StaticArray<f64>): bool {
  return unchecked(p[CP_FEED_EXP]) == 0.0 || unchecked(p[CP_FEED_RATE]) == 0.0;
}

// Time and dynamic states of the last rates() call. choJacobian runs right after the
// right-hand side at the same (t, y) and reuses the rates instead of recomputing them.
let ratesT: f64 = NaN;
const ratesY = new StaticArray<f64>(CX_DYNAMIC);

/** True when the rates of the last rates() call are those of (t, y) with unchanged parameters. */
function ratesAreFor(t: f64, y: StaticArray<f64>): bool {
  if (t != ratesT) return false;
  for (let i = 0; i < CX_DYNAMIC; i++) if (unchecked(y[i]) != unchecked(ratesY[i])) return false;
  return true;
}

/** Everything the right-hand side and the derived outputs share. */
function rates(t: f64, y: StaticArray<f64>, p: StaticArray<f64>): void {
  ratesT = t;
  for (let i = 0; i < CX_DYNAMIC; i++) unchecked((ratesY[i] = y[i]));
  choLocalRates(y, p);
  choControlRates(y, p);
  gasRates(y, p);
  choFlowRates(t, p);
}

/**
 * The rates of one liquid volume that depend only on its own states and temperature:
 * pH, CO2(aq), osmolality, the pH error of the controller, growth, death, uptake,
 * production and OUR (docs/model.md §4, §5.3–§5.4). Reads slots 0..CX_OTHER and CX_T of
 * `y`; results in the module's r* values. The zone model (cho-zones.ts) calls it once per
 * zone per right-hand side.
 */
export function choLocalRates(y: StaticArray<f64>, p: StaticArray<f64>): void {
  const xv = Math.max(unchecked(y[CX_XV]), 0.0);
  const glc = Math.max(unchecked(y[CX_GLC]), 0.0);
  const gln = Math.max(unchecked(y[CX_GLN]), 0.0);
  const lac = Math.max(unchecked(y[CX_LAC]), 0.0);
  const amm = Math.max(unchecked(y[CX_AMM]), 0.0);
  const dO = Math.max(unchecked(y[CX_DO]), 0.0);
  const tic = Math.max(unchecked(y[CX_TIC]), 0.0);
  const temp = unchecked(y[CX_T]);

  // pH, dissolved CO2 and osmolality (§5.3, §5.4)
  const sid = unchecked(y[CX_NA]) + amm - lac - unchecked(y[CX_CL]);
  rPH = solvePH(tic, sid, unchecked(p[CP_BUFFER]), unchecked(p[CP_BUFFER_PKA]));
  // pH setpoint error outside the dead band (zero inside it).
  const phError = unchecked(p[CP_PH_SP]) - rPH;
  const half = unchecked(p[CP_PH_DEADBAND]); // setpoint ± deadBand, the DCU convention (§6.3)
  unchecked((switchValue[SW_DEADBAND] = phError));
  if (!segmentsLocked) unchecked((segment[SW_DEADBAND] = phError < -half ? 0 : phError <= half ? 1 : 2));
  const dbSegment = unchecked(segment[SW_DEADBAND]);
  rPhErrorDb = dbSegment == 2 ? phError - half : dbSegment == 0 ? phError + half : 0.0;
  rCO2aq = tic / (1.0 + pow10(rPH - PK1)); // CO2(aq) share of TIC
  rHCO3 = tic - rCO2aq;
  rOsm = OSMOTIC_COEFF * (unchecked(y[CX_NA]) + unchecked(y[CX_CL]) + rHCO3 + lac + amm) + glc + gln + unchecked(y[CX_OTHER]);

  // Kinetics (§4)
  const tRef = unchecked(p[CP_T_REF]);
  const tempOn = unchecked(p[CP_ON_TEMPERATURE]) != 0.0;
  const fT = tempOn ? Math.max(0.0, 1.0 - unchecked(p[CP_MU_PER_K]) * Math.abs(temp - tRef)) : 1.0;
  const fQpT = tempOn ? 1.0 + unchecked(p[CP_QP_PER_K]) * Math.max(0.0, tRef - temp) : 1.0;
  const osmOnset = unchecked(p[CP_OSM_ONSET]);
  const osmStop = unchecked(p[CP_OSM_STOP]);
  const fOsm = unchecked(p[CP_ON_OSMOLALITY]) != 0.0 ? clamp((osmStop - rOsm) / (osmStop - osmOnset), 0.0, 1.0) : 1.0;
  const fO = unchecked(p[CP_ON_O2_LIMIT]) != 0.0 ? dO / (unchecked(p[CP_KO]) + dO) : 1.0;
  const kiLac = unchecked(p[CP_KI_LAC]);
  const kiAmm = unchecked(p[CP_KI_AMM]);
  const inhib = unchecked(p[CP_ON_INHIBITION]) != 0.0 ? (kiLac / (kiLac + lac)) * (kiAmm / (kiAmm + amm)) : 1.0;
  const fGlc = glc / (unchecked(p[CP_K_GLC]) + glc);
  const fGln = gln / (unchecked(p[CP_K_GLN]) + gln);
  const muMax = unchecked(p[CP_MU_MAX]);
  rMu = muMax * fGlc * fGln * inhib * fT * fOsm * fO;
  rFGlc = fGlc;
  rFGln = fGln;
  rInhib = inhib;
  rFT = fT;
  rFQpT = fQpT;
  rFOsm = fOsm;
  rFO = fO;
  let muD = 0.0;
  if (unchecked(p[CP_ON_BYPRODUCT_DEATH]) != 0.0) {
    muD += (unchecked(p[CP_MUD_MAX]) * lac) / (unchecked(p[CP_KD_LAC]) + lac) * (amm / (unchecked(p[CP_KD_AMM]) + amm));
  }
  if (unchecked(p[CP_ON_STARVATION]) != 0.0) {
    const ks = unchecked(p[CP_KS_STARVE]);
    muD += (unchecked(p[CP_K_STARVE]) * ks) / (ks + glc);
  }
  rMuD = muD;
  const maintOn = unchecked(p[CP_ON_MAINTENANCE]) != 0.0;
  rQglc = rMu / unchecked(p[CP_Y_X_GLC]) + (maintOn ? unchecked(p[CP_M_GLC]) * fGlc : 0.0);
  rQgln = rMu / unchecked(p[CP_Y_X_GLN]) + (maintOn ? (unchecked(p[CP_A1]) * gln) / (unchecked(p[CP_A2]) + gln) : 0.0);
  if (unchecked(p[CP_ON_LACTATE_SWITCH]) != 0.0) {
    // Lactate follows the glycolytic flux of proliferation and is taken up as growth slows,
    // whether glucose runs low, by-products build up or the temperature drops (§4.3).
    const growing = rMu / muMax;
    rQlac = (unchecked(p[CP_Y_LAC_GLC]) * rMu) / unchecked(p[CP_Y_X_GLC]) -
      ((unchecked(p[CP_Q_LAC_MAX]) * lac) / (unchecked(p[CP_K_LAC_UPTAKE]) + lac)) * (1.0 - growing);
  } else {
    rQlac = unchecked(p[CP_Y_LAC_GLC]) * rQglc; // Xing et al. 2010: from all glucose taken up
  }
  rQamm = (unchecked(p[CP_Y_AMM_GLN]) * rMu) / unchecked(p[CP_Y_X_GLN]);
  if (unchecked(p[CP_ON_AMM_UPTAKE]) != 0.0) rQamm -= (unchecked(p[CP_R_AMM]) * amm) / (K_AMM_UPTAKE + amm);
  rQp = unchecked(p[CP_QP0]) * (1.0 + unchecked(p[CP_QP_BOOST]) * (1.0 - rMu / muMax)) * fQpT;
  rOur = unchecked(p[CP_QO2]) * fO * xv * CELLS_PER_L;
}

/**
 * The control loops (§6) from the probe's view of the culture: temperature, DO (in %
 * of air saturation at CP_PRESSURE) and the pH error left by choLocalRates of the same
 * state. Outputs: agitation, gas flow and composition, base rate, heater, and the
 * unsaturated outputs for anti-windup.
 */
export function choControlRates(y: StaticArray<f64>, p: StaticArray<f64>): void {
  const temp = unchecked(y[CX_T]);
  // Control loops (§6): outputs and their unsaturated values for anti-windup
  if (unchecked(p[CP_T_ON]) != 0.0) {
    rUT = piOutput(unchecked(p[CP_T_KP]), unchecked(p[CP_T_TI]), unchecked(p[CP_T_SP]) - temp, unchecked(y[CX_I_T]));
    const coolMax = unchecked(p[CP_T_COOL_MAX]);
    const heatMax = unchecked(p[CP_T_HEAT_MAX]);
    unchecked((switchValue[SW_T] = rUT));
    if (!segmentsLocked) unchecked((segment[SW_T] = rUT < -coolMax ? 0 : rUT <= heatMax ? 1 : 2));
    const tSegment = unchecked(segment[SW_T]);
    rSatT = tSegment == 0 ? -coolMax : tSegment == 1 ? rUT : heatMax;
    rHeater = rSatT;
  } else {
    rHeater = unchecked(p[CP_T_FIXED]);
  }
  const doSatMM = unchecked(p[CP_O2_SAT_AIR]) * unchecked(p[CP_PRESSURE]);
  const doPercent = (100.0 * unchecked(y[CX_DO])) / doSatMM;
  if (unchecked(p[CP_DO_ON]) != 0.0) {
    rUDo = piOutput(unchecked(p[CP_DO_KP]), unchecked(p[CP_DO_TI]), unchecked(p[CP_DO_SP]) - doPercent, unchecked(y[CX_I_DO]));
    unchecked((switchValue[SW_DO] = rUDo));
    // Segments: 0 below the cascade, 1 agitation, 2 gas flow, 3 O2, 4 above it (§6.3).
    if (!segmentsLocked) {
      unchecked((segment[SW_DO] = rUDo < 0.0 ? 0 : rUDo < 1.0 ? 1 : rUDo < 2.0 ? 2 : rUDo <= DO_CASCADE_STAGES ? 3 : 4));
    }
    const doSegment = unchecked(segment[SW_DO]);
    rSatDo = doSegment == 0 ? 0.0 : doSegment == 4 ? DO_CASCADE_STAGES : rUDo;
    const agitation = doSegment <= 0 ? 0.0 : doSegment == 1 ? rSatDo : 1.0;
    const gas = doSegment <= 1 ? 0.0 : doSegment == 2 ? rSatDo - 1.0 : 1.0;
    const o2 = doSegment <= 2 ? 0.0 : doSegment == 3 ? rSatDo - 2.0 : 1.0;
    rN = unchecked(p[CP_N_MIN]) + agitation * (unchecked(p[CP_N_MAX]) - unchecked(p[CP_N_MIN]));
    rQgas = unchecked(p[CP_Q_MIN]) + gas * (unchecked(p[CP_Q_MAX]) - unchecked(p[CP_Q_MIN]));
    rXo2 = Y_O2_AIR + o2 * (unchecked(p[CP_XO2_MAX]) - Y_O2_AIR);
  } else {
    rN = unchecked(p[CP_N_FIXED]);
    rQgas = unchecked(p[CP_Q_FIXED]);
    rXo2 = unchecked(p[CP_XO2_FIXED]);
  }
  if (unchecked(p[CP_PH_ON]) != 0.0) {
    rUPh = piOutput(unchecked(p[CP_PH_KP]), unchecked(p[CP_PH_TI]), rPhErrorDb, unchecked(y[CX_I_PH]));
    unchecked((switchValue[SW_PH] = rUPh));
    // Segments: 0 CO2 at its maximum, 1 CO2, 2 base, 3 base at its maximum (§6.4).
    if (!segmentsLocked) unchecked((segment[SW_PH] = rUPh < -1.0 ? 0 : rUPh < 0.0 ? 1 : rUPh <= 1.0 ? 2 : 3));
    const phSegment = unchecked(segment[SW_PH]);
    rSatPh = phSegment == 0 ? -1.0 : phSegment == 3 ? 1.0 : rUPh;
    rBase = (phSegment >= 2 ? rSatPh : 0.0) * unchecked(p[CP_BASE_MAX]);
    rXco2 = (phSegment <= 1 ? -rSatPh : 0.0) * unchecked(p[CP_XCO2_MAX]);
  } else {
    rBase = 0.0;
    rXco2 = unchecked(p[CP_XCO2_FIXED]);
  }
  rXo2Cascade = rXo2;
  rXo2 = Math.min(rXo2, 1.0 - rXco2);
}

/** Gas transfer of the well-mixed tank (§5.1, §5.2) at the control outputs of choControlRates. */
function gasRates(y: StaticArray<f64>, p: StaticArray<f64>): void {
  const dO = Math.max(unchecked(y[CX_DO]), 0.0);
  const v = unchecked(y[CX_V]);
  // Gas transfer (§5.1, §5.2)
  const sparged = spargedKla(rN, rQgas, v, p);
  rKlaSparged = sparged;
  const surface = unchecked(p[CP_KLA_SURFACE]);
  rKla = sparged + surface;
  const ratio = unchecked(p[CP_CO2_KLA_RATIO]);
  const pressure = unchecked(p[CP_PRESSURE]);
  // Gas flows are standard litres (0 °C, 1 atm) per minute.
  const gasMmolPerH = (rQgas * 60.0 * 1000.0) / (R_GAS * KELVIN);
  const satO2 = (unchecked(p[CP_O2_SAT_AIR]) * pressure) / Y_O2_AIR;
  const satCO2 = unchecked(p[CP_CO2_ALPHA]) * MMHG_PER_ATM * pressure;
  rOtr = sparge(sparged, v, gasMmolPerH, rXo2, satO2, dO) + surface * (satO2 * Y_O2_AIR - dO);
  rCtr = sparge(ratio * sparged, v, gasMmolPerH, rXco2, satCO2, rCO2aq) + ratio * surface * (satCO2 * Y_CO2_AIR - rCO2aq);
}

/** Feed rate at time t and the harvest outflow of level control at the base rate of choControlRates (§7). */
export function choFlowRates(t: f64, p: StaticArray<f64>): void {
  // Flows (§7)
  rFeed = choFeedRate(t, p);
  const perf = unchecked(p[CP_PERF_RATE]);
  const bleed = unchecked(p[CP_BLEED]);
  rHarvest = unchecked(p[CP_LEVEL_CONTROL]) != 0.0 ? Math.max(0.0, rFeed + perf + rBase - bleed) : 0.0;
}

/** One species' inflow terms: sum over streams of F (c_in - c) / V, in its unit per h. */
@inline
function inflow(c: f64, feedIn: f64, perfIn: f64, baseIn: f64, perf: f64, v: f64): f64 {
  return (rFeed * (feedIn - c) + perf * (perfIn - c) + rBase * (baseIn - c)) / v;
}

/** Right-hand side, called by the solvers several times per step (docs/model.md §4–§8). */
export function choRhs(t: f64, y: StaticArray<f64>, dy: StaticArray<f64>, p: StaticArray<f64>): i32 {
  const v = unchecked(y[CX_V]);
  if (!(v > 0.0)) return STATUS_RECOVERABLE;
  rates(t, y, p);
  const mf = <i32>unchecked(p[CP_FEED_MEDIUM]);
  const mp = <i32>unchecked(p[CP_PERF_MEDIUM]);
  const perf = unchecked(p[CP_PERF_RATE]);
  const bleed = unchecked(p[CP_BLEED]);
  const retention = unchecked(p[CP_RETENTION]);
  const xv = unchecked(y[CX_XV]);
  const xd = unchecked(y[CX_XD]);
  const cells = xv * CELLS_PER_L; // cells/L
  const concentrate = (rHarvest * retention) / v; // 1/h: cells held back while permeate leaves
  const out = bleed + rHarvest; // L/h of liquid leaving
  const doIn = unchecked(p[CP_O2_SAT_AIR]) * unchecked(p[CP_PRESSURE]); // fresh media are air-saturated

  const lysis = unchecked(p[CP_ON_LYSIS]) != 0.0 ? unchecked(p[CP_K_LYSIS]) : 0.0;
  const decay = unchecked(p[CP_ON_GLN_DECAY]) != 0.0 ? unchecked(p[CP_D_GLN]) * Math.max(unchecked(y[CX_GLN]), 0.0) : 0.0;
  unchecked((dy[CX_XV] = (rMu - rMuD) * xv + inflow(xv, 0.0, 0.0, 0.0, perf, v) + concentrate * xv));
  unchecked((dy[CX_XD] = rMuD * xv - lysis * xd + inflow(xd, 0.0, 0.0, 0.0, perf, v) + concentrate * xd));
  unchecked((dy[CX_GLC] = -rQglc * cells + inflow(y[CX_GLC], medium(p, mf, CM_GLC), medium(p, mp, CM_GLC), 0.0, perf, v)));
  unchecked((dy[CX_GLN] = -rQgln * cells - decay + inflow(y[CX_GLN], medium(p, mf, CM_GLN), medium(p, mp, CM_GLN), 0.0, perf, v)));
  unchecked((dy[CX_LAC] = rQlac * cells + inflow(y[CX_LAC], 0.0, 0.0, 0.0, perf, v)));
  unchecked((dy[CX_AMM] = rQamm * cells + decay + inflow(y[CX_AMM], 0.0, 0.0, 0.0, perf, v)));
  unchecked((dy[CX_MAB] = (rQp * xv) / HOURS_PER_DAY + inflow(y[CX_MAB], 0.0, 0.0, 0.0, perf, v)));
  unchecked((dy[CX_DO] = rOtr - rOur + inflow(y[CX_DO], doIn, doIn, doIn, perf, v)));
  unchecked((dy[CX_TIC] = rCtr + unchecked(p[CP_RQ]) * rOur +
    inflow(y[CX_TIC], medium(p, mf, CM_TIC), medium(p, mp, CM_TIC), p[CP_BASE_TIC], perf, v)));
  unchecked((dy[CX_NA] = inflow(y[CX_NA], medium(p, mf, CM_NA), medium(p, mp, CM_NA), p[CP_BASE_NA], perf, v)));
  unchecked((dy[CX_CL] = inflow(y[CX_CL], medium(p, mf, CM_CL), medium(p, mp, CM_CL), 0.0, perf, v)));
  unchecked((dy[CX_OTHER] = inflow(y[CX_OTHER], mediaOther[mf], mediaOther[mp], 0.0, perf, v)));
  unchecked((dy[CX_V] = rFeed + perf + rBase - out));
  const temp = unchecked(y[CX_T]);
  unchecked((dy[CX_T] = (SECONDS_PER_HOUR * (rHeater - unchecked(p[CP_UA]) * (temp - unchecked(p[CP_T_ROOM])))) / (RHO_CP * v)));
  // PI integrals with back-calculation (tracking time = integral time): dI/dt = e + (u_sat - u)/Kp
  unchecked((dy[CX_I_T] = unchecked(p[CP_T_ON]) != 0.0
    ? p[CP_T_SP] - temp + (rSatT - rUT) / p[CP_T_KP]
    : 0.0));
  if (unchecked(p[CP_DO_ON]) != 0.0) {
    const doPercent = (100.0 * unchecked(y[CX_DO])) / (unchecked(p[CP_O2_SAT_AIR]) * unchecked(p[CP_PRESSURE]));
    unchecked((dy[CX_I_DO] = p[CP_DO_SP] - doPercent + (rSatDo - rUDo) / p[CP_DO_KP]));
  } else {
    unchecked((dy[CX_I_DO] = 0.0));
  }
  if (unchecked(p[CP_PH_ON]) != 0.0) {
    // Inside the dead band the error counts as zero, so the integral (and the output) holds.
    unchecked((dy[CX_I_PH] = rPhErrorDb + (rSatPh - rUPh) / p[CP_PH_KP]));
  } else {
    unchecked((dy[CX_I_PH] = 0.0));
  }

  // Quadratures for the balance report (§8)
  const glcFed = rFeed * medium(p, mf, CM_GLC) + perf * medium(p, mp, CM_GLC);
  const glnFed = rFeed * medium(p, mf, CM_GLN) + perf * medium(p, mp, CM_GLN);
  unchecked((dy[CX_GLC_IN] = glcFed));
  unchecked((dy[CX_GLC_USED] = rQglc * cells * v));
  unchecked((dy[CX_GLC_OUT] = out * unchecked(y[CX_GLC])));
  unchecked((dy[CX_GLN_IN] = glnFed));
  unchecked((dy[CX_GLN_USED] = (rQgln * cells + decay) * v));
  unchecked((dy[CX_GLN_OUT] = out * unchecked(y[CX_GLN])));
  unchecked((dy[CX_CELLS_GROWN] = rMu * xv * v));
  unchecked((dy[CX_CELLS_DIED] = rMuD * xv * v));
  unchecked((dy[CX_CELLS_OUT] = (bleed + rHarvest * (1.0 - retention)) * xv));
  unchecked((dy[CX_VOL_IN] = rFeed + perf + rBase));
  unchecked((dy[CX_VOL_OUT] = out));
  unchecked((dy[CX_NA_IN] = rFeed * medium(p, mf, CM_NA) + perf * medium(p, mp, CM_NA) + rBase * unchecked(p[CP_BASE_NA])));
  unchecked((dy[CX_NA_OUT] = out * unchecked(y[CX_NA])));
  unchecked((dy[CX_LAC_NET] = rQlac * cells * v));
  unchecked((dy[CX_LAC_OUT] = out * unchecked(y[CX_LAC])));
  unchecked((dy[CX_MAB_MADE] = ((rQp * xv) / HOURS_PER_DAY) * v));
  unchecked((dy[CX_MAB_OUT] = out * unchecked(y[CX_MAB])));
  unchecked((dy[CX_BASE] = rBase));
  return STATUS_OK;
}

/** Glutamine decay of the last choLocalTerms, mM/h. */
export let rDecay: f64 = 0.0;

/**
 * The reaction terms of one liquid volume (no flows, no gas transfer) into
 * dy[off .. off + CX_OTHER], from the rates of choLocalRates at the same state: growth,
 * death, lysis, uptake and release, glutamine decay, product, OUR and CER (docs/model.md
 * §4). The zone model calls it once per zone per right-hand side; choRhs keeps its own
 * expressions (the same terms, summed with the flows).
 */
export function choLocalTerms(y: StaticArray<f64>, p: StaticArray<f64>, dy: StaticArray<f64>, off: i32): void {
  const xv = unchecked(y[CX_XV]);
  const xd = unchecked(y[CX_XD]);
  const cells = xv * CELLS_PER_L;
  const lysis = unchecked(p[CP_ON_LYSIS]) != 0.0 ? unchecked(p[CP_K_LYSIS]) : 0.0;
  const decay = unchecked(p[CP_ON_GLN_DECAY]) != 0.0 ? unchecked(p[CP_D_GLN]) * Math.max(unchecked(y[CX_GLN]), 0.0) : 0.0;
  rDecay = decay;
  unchecked((dy[off + CX_XV] = (rMu - rMuD) * xv));
  unchecked((dy[off + CX_XD] = rMuD * xv - lysis * xd));
  unchecked((dy[off + CX_GLC] = -rQglc * cells));
  unchecked((dy[off + CX_GLN] = -rQgln * cells - decay));
  unchecked((dy[off + CX_LAC] = rQlac * cells));
  unchecked((dy[off + CX_AMM] = rQamm * cells + decay));
  unchecked((dy[off + CX_MAB] = (rQp * xv) / HOURS_PER_DAY));
  unchecked((dy[off + CX_DO] = -rOur));
  unchecked((dy[off + CX_TIC] = unchecked(p[CP_RQ]) * rOur));
  unchecked((dy[off + CX_NA] = 0.0));
  unchecked((dy[off + CX_CL] = 0.0));
  unchecked((dy[off + CX_OTHER] = 0.0));
}

/** Forgets the rates memo of choJacobian: the zone model has overwritten the r* values. */
export function choForgetRates(): void {
  ratesT = NaN;
}

// ---- the analytic Jacobian (docs/model.md §1.1) ----------------------------------
// Gradients of the quantities rates() computes, over the dynamic states (entry j is
// ∂/∂y_j); allocated once, filled by choJacobian and combined into its rows.
const gPH = new StaticArray<f64>(CX_DYNAMIC); // pH
const gCO2 = new StaticArray<f64>(CX_DYNAMIC); // CO2(aq), mM
const gOsm = new StaticArray<f64>(CX_DYNAMIC); // osmolality, mOsm/kg
const gMu = new StaticArray<f64>(CX_DYNAMIC); // 1/h
const gMuD = new StaticArray<f64>(CX_DYNAMIC); // 1/h
const gQglc = new StaticArray<f64>(CX_DYNAMIC); // mmol/cell/h
const gQgln = new StaticArray<f64>(CX_DYNAMIC);
const gQlac = new StaticArray<f64>(CX_DYNAMIC);
const gQamm = new StaticArray<f64>(CX_DYNAMIC);
const gQp = new StaticArray<f64>(CX_DYNAMIC); // pg/cell/day
const gOur = new StaticArray<f64>(CX_DYNAMIC); // mmol/L/h
const gOtr = new StaticArray<f64>(CX_DYNAMIC);
const gCtr = new StaticArray<f64>(CX_DYNAMIC);
const gPhErrorDb = new StaticArray<f64>(CX_DYNAMIC); // pH error outside the dead band
const gUPh = new StaticArray<f64>(CX_DYNAMIC); // unsaturated pH controller output
const gBase = new StaticArray<f64>(CX_DYNAMIC); // L/h
const gXco2 = new StaticArray<f64>(CX_DYNAMIC); // mole fraction
const gXo2 = new StaticArray<f64>(CX_DYNAMIC); // mole fraction
const gN = new StaticArray<f64>(CX_DYNAMIC); // rpm
const gQgas = new StaticArray<f64>(CX_DYNAMIC); // L/min
const gKla = new StaticArray<f64>(CX_DYNAMIC); // 1/h, sparged
const gHarvest = new StaticArray<f64>(CX_DYNAMIC); // L/h

/** Derivative of the guard max(y, 0): it passes y on while y >= 0. */
@inline
function guardSlope(y: f64): f64 {
  return y >= 0.0 ? 1.0 : 0.0;
}

/** True where clamp(x, lo, hi) returns x itself. */
@inline
function inRange(x: f64, lo: f64, hi: f64): bool {
  return x >= lo && x <= hi;
}

// The gradients have CX_DYNAMIC entries: pairs of lanes (f64x2, the same IEEE
// operations lane by lane as the scalar loops, so the TypeScript port stays bit-identical)
// and a last single entry.
const PAIRS_END: i32 = CX_DYNAMIC & ~1;

@inline
function gClear(g: StaticArray<f64>): void {
  memory.fill(changetype<usize>(g), 0, (<usize>CX_DYNAMIC) << 3);
}

/** g = a·x */
@inline
function gScale(g: StaticArray<f64>, a: f64, x: StaticArray<f64>): void {
  const gp = changetype<usize>(g), xp = changetype<usize>(x);
  const av = f64x2.splat(a);
  for (let j = 0; j < PAIRS_END; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(gp + o, f64x2.mul(av, v128.load(xp + o)));
  }
  if (PAIRS_END < CX_DYNAMIC) unchecked((g[CX_DYNAMIC - 1] = a * x[CX_DYNAMIC - 1]));
}

/** g += a·x */
@inline
function gAdd(g: StaticArray<f64>, a: f64, x: StaticArray<f64>): void {
  const gp = changetype<usize>(g), xp = changetype<usize>(x);
  const av = f64x2.splat(a);
  for (let j = 0; j < PAIRS_END; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(gp + o, f64x2.add(v128.load(gp + o), f64x2.mul(av, v128.load(xp + o))));
  }
  if (PAIRS_END < CX_DYNAMIC) unchecked((g[CX_DYNAMIC - 1] += a * x[CX_DYNAMIC - 1]));
}

/** Row of the Jacobian starting at `off` += a·g. */
@inline
function jacAdd(jac: StaticArray<f64>, off: i32, a: f64, g: StaticArray<f64>): void {
  const rp = changetype<usize>(jac) + ((<usize>off) << 3), gp = changetype<usize>(g);
  const av = f64x2.splat(a);
  for (let j = 0; j < PAIRS_END; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(rp + o, f64x2.add(v128.load(rp + o), f64x2.mul(av, v128.load(gp + o))));
  }
  if (PAIRS_END < CX_DYNAMIC) unchecked((jac[off + CX_DYNAMIC - 1] += a * g[CX_DYNAMIC - 1]));
}

// False when gBase (and so gHarvest) is exactly zero: the pH loop is off, in its dead band,
// saturated or dosing CO2. choJacobian then skips the terms that would add zeros.
let baseMoves = false;

/**
 * Adds the derivative of `inflow(c, ...)` (its value `value`, base concentration `baseIn`)
 * to a row: through the base rate, through c (state `ci`) and through V.
 */
@inline
function jacInflow(jac: StaticArray<f64>, off: i32, ci: i32, c: f64, baseIn: f64, value: f64, dilution: f64, v: f64): void {
  if (baseMoves) jacAdd(jac, off, (baseIn - c) / v, gBase);
  unchecked((jac[off + ci] -= dilution));
  unchecked((jac[off + CX_V] -= value / v));
}

// Partial derivatives of sparge() at its last arguments (spargePartials).
let spDKla: f64 = 0.0;
let spDGas: f64 = 0.0;
let spDYIn: f64 = 0.0;
let spDC: f64 = 0.0;
let spDV: f64 = 0.0;

/** ∂sparge/∂(kLa, gas flow, y_in, c, V) into spD*: the quotient rule on docs/model.md §5.2. */
@inline
function spargePartials(kla: f64, volumeL: f64, gasMmolPerH: f64, yIn: f64, satPerFraction: f64, c: f64): void {
  const den = gasMmolPerH + kla * volumeL * satPerFraction;
  if (!(den > 0.0)) {
    spDKla = 0.0;
    spDGas = 0.0;
    spDYIn = 0.0;
    spDC = 0.0;
    spDV = 0.0;
    return;
  }
  const drive = satPerFraction * yIn - c;
  const inv = 1.0 / den;
  spDKla = gasMmolPerH * gasMmolPerH * drive * inv * inv;
  spDGas = kla * kla * volumeL * satPerFraction * drive * inv * inv;
  spDYIn = kla * gasMmolPerH * satPerFraction * inv;
  spDC = -kla * gasMmolPerH * inv;
  spDV = -kla * kla * gasMmolPerH * satPerFraction * drive * inv * inv;
}

/**
 * Analytic Jacobian of choRhs: ∂f_i/∂y_j for every state i (rows, stride nd) and every
 * dynamic state j < nd (columns), by the chain rule through rates() — the implicit pH,
 * CO2(aq), osmolality, kinetics, control loops, gas transfer and flows. At a max, min or
 * clamp it is the derivative of the branch the value takes (at a kink, one side of it).
 * ∂f/∂t (an exponential feed) is left to the integrator. Called by the integrator once
 * per Rodas4 step; false when the state is unusable (V <= 0).
 */
export function choJacobian(t: f64, y: StaticArray<f64>, p: StaticArray<f64>, jac: StaticArray<f64>, nd: i32): bool {
  const v = unchecked(y[CX_V]);
  if (!(v > 0.0)) return false;
  if (!ratesAreFor(t, y)) rates(t, y, p);
  memory.fill(changetype<usize>(jac), 0, (<usize>(CX_STATES * nd)) << 3);

  // Guarded states, as rates() sees them, and the slopes of their guards
  const sXv = guardSlope(unchecked(y[CX_XV]));
  const sGlc = guardSlope(unchecked(y[CX_GLC]));
  const sGln = guardSlope(unchecked(y[CX_GLN]));
  const sLac = guardSlope(unchecked(y[CX_LAC]));
  const sAmm = guardSlope(unchecked(y[CX_AMM]));
  const sDo = guardSlope(unchecked(y[CX_DO]));
  const sTic = guardSlope(unchecked(y[CX_TIC]));
  const xvPos = Math.max(unchecked(y[CX_XV]), 0.0);
  const glc = Math.max(unchecked(y[CX_GLC]), 0.0);
  const gln = Math.max(unchecked(y[CX_GLN]), 0.0);
  const lac = Math.max(unchecked(y[CX_LAC]), 0.0);
  const amm = Math.max(unchecked(y[CX_AMM]), 0.0);
  const dO = Math.max(unchecked(y[CX_DO]), 0.0);
  const tic = Math.max(unchecked(y[CX_TIC]), 0.0);
  const temp = unchecked(y[CX_T]);

  // pH is implicit in the charge balance F(pH; TIC, SID) = 0 (§5.3): dpH = -(∂F/∂y)/(∂F/∂pH),
  // with ∂F/∂TIC = 1/(1 + 10^(pK1 - pH)) and ∂F/∂SID = -1, SID = Na + A - L - Cl.
  const buffer = unchecked(p[CP_BUFFER]);
  const hPlus = pow10(-rPH);
  const a = TEN_PK1 * hPlus;
  const b = tenToThe(unchecked(p[CP_BUFFER_PKA])) * hPlus;
  const ohMinus = TEN_MINUS_PKW / hPlus;
  const dFdPH = LN10 * ((tic * a) / ((1.0 + a) * (1.0 + a)) + (buffer * b) / ((1.0 + b) * (1.0 + b)) + 1000.0 * (ohMinus + hPlus));
  const dPHdSid = 1.0 / dFdPH;
  gClear(gPH);
  unchecked((gPH[CX_TIC] = -sTic / ((1.0 + a) * dFdPH)));
  unchecked((gPH[CX_NA] = dPHdSid));
  unchecked((gPH[CX_CL] = -dPHdSid));
  unchecked((gPH[CX_LAC] = -sLac * dPHdSid));
  unchecked((gPH[CX_AMM] = sAmm * dPHdSid));
  // CO2(aq) = TIC/(1 + 10^(pH - pK1)), HCO3- = TIC - CO2(aq)
  const e = pow10(rPH - PK1);
  gScale(gCO2, -(tic * e * LN10) / ((1.0 + e) * (1.0 + e)), gPH);
  unchecked((gCO2[CX_TIC] += sTic / (1.0 + e)));
  // Osmolality (§5.4)
  gScale(gOsm, -OSMOTIC_COEFF, gCO2);
  unchecked((gOsm[CX_TIC] += OSMOTIC_COEFF * sTic));
  unchecked((gOsm[CX_NA] += OSMOTIC_COEFF));
  unchecked((gOsm[CX_CL] += OSMOTIC_COEFF));
  unchecked((gOsm[CX_LAC] += OSMOTIC_COEFF * sLac));
  unchecked((gOsm[CX_AMM] += OSMOTIC_COEFF * sAmm));
  unchecked((gOsm[CX_GLC] += sGlc));
  unchecked((gOsm[CX_GLN] += sGln));
  unchecked((gOsm[CX_OTHER] += 1.0));

  // Kinetics (§4): slopes of the factors of μ, then μ, μd and the specific rates
  const tRef = unchecked(p[CP_T_REF]);
  let dFTdT = 0.0, dFQpTdT = 0.0;
  if (unchecked(p[CP_ON_TEMPERATURE]) != 0.0) {
    const k = unchecked(p[CP_MU_PER_K]);
    // Both factors have a kink at T = Tref: take the side above it for both.
    if (1.0 - k * Math.abs(temp - tRef) >= 0.0) dFTdT = temp >= tRef ? -k : k;
    if (temp < tRef) dFQpTdT = -unchecked(p[CP_QP_PER_K]);
  }
  let dFOsmdOsm = 0.0;
  if (unchecked(p[CP_ON_OSMOLALITY]) != 0.0) {
    const span = unchecked(p[CP_OSM_STOP]) - unchecked(p[CP_OSM_ONSET]);
    if (inRange((unchecked(p[CP_OSM_STOP]) - rOsm) / span, 0.0, 1.0)) dFOsmdOsm = -1.0 / span;
  }
  let dFOdDo = 0.0;
  if (unchecked(p[CP_ON_O2_LIMIT]) != 0.0) {
    const ko = unchecked(p[CP_KO]);
    dFOdDo = (sDo * ko) / ((ko + dO) * (ko + dO));
  }
  let dInhibdLac = 0.0, dInhibdAmm = 0.0;
  if (unchecked(p[CP_ON_INHIBITION]) != 0.0) {
    dInhibdLac = (-sLac * rInhib) / (unchecked(p[CP_KI_LAC]) + lac);
    dInhibdAmm = (-sAmm * rInhib) / (unchecked(p[CP_KI_AMM]) + amm);
  }
  const kGlc = unchecked(p[CP_K_GLC]);
  const kGln = unchecked(p[CP_K_GLN]);
  const dFGlcdGlc = (sGlc * kGlc) / ((kGlc + glc) * (kGlc + glc));
  const dFGlndGln = (sGln * kGln) / ((kGln + gln) * (kGln + gln));
  const muMax = unchecked(p[CP_MU_MAX]);
  gScale(gMu, muMax * rFGlc * rFGln * rInhib * rFT * rFO * dFOsmdOsm, gOsm);
  unchecked((gMu[CX_GLC] += muMax * rFGln * rInhib * rFT * rFOsm * rFO * dFGlcdGlc));
  unchecked((gMu[CX_GLN] += muMax * rFGlc * rInhib * rFT * rFOsm * rFO * dFGlndGln));
  const muUninhibited = muMax * rFGlc * rFGln * rFT * rFOsm * rFO;
  unchecked((gMu[CX_LAC] += muUninhibited * dInhibdLac));
  unchecked((gMu[CX_AMM] += muUninhibited * dInhibdAmm));
  unchecked((gMu[CX_T] += muMax * rFGlc * rFGln * rInhib * rFOsm * rFO * dFTdT));
  unchecked((gMu[CX_DO] += muMax * rFGlc * rFGln * rInhib * rFT * rFOsm * dFOdDo));
  gClear(gMuD);
  if (unchecked(p[CP_ON_BYPRODUCT_DEATH]) != 0.0) {
    const mudMax = unchecked(p[CP_MUD_MAX]);
    const kdLac = unchecked(p[CP_KD_LAC]);
    const kdAmm = unchecked(p[CP_KD_AMM]);
    unchecked((gMuD[CX_LAC] += ((sLac * mudMax * kdLac) / ((kdLac + lac) * (kdLac + lac))) * (amm / (kdAmm + amm))));
    unchecked((gMuD[CX_AMM] += ((mudMax * lac) / (kdLac + lac)) * ((sAmm * kdAmm) / ((kdAmm + amm) * (kdAmm + amm)))));
  }
  if (unchecked(p[CP_ON_STARVATION]) != 0.0) {
    const ks = unchecked(p[CP_KS_STARVE]);
    unchecked((gMuD[CX_GLC] -= (sGlc * unchecked(p[CP_K_STARVE]) * ks) / ((ks + glc) * (ks + glc))));
  }
  const maintOn = unchecked(p[CP_ON_MAINTENANCE]) != 0.0;
  const yXGlc = unchecked(p[CP_Y_X_GLC]);
  const yXGln = unchecked(p[CP_Y_X_GLN]);
  gScale(gQglc, 1.0 / yXGlc, gMu);
  if (maintOn) unchecked((gQglc[CX_GLC] += unchecked(p[CP_M_GLC]) * dFGlcdGlc));
  gScale(gQgln, 1.0 / yXGln, gMu);
  if (maintOn) {
    const a2 = unchecked(p[CP_A2]);
    unchecked((gQgln[CX_GLN] += (sGln * unchecked(p[CP_A1]) * a2) / ((a2 + gln) * (a2 + gln))));
  }
  if (unchecked(p[CP_ON_LACTATE_SWITCH]) != 0.0) {
    const kl = unchecked(p[CP_K_LAC_UPTAKE]);
    const qLacMax = unchecked(p[CP_Q_LAC_MAX]);
    gScale(gQlac, unchecked(p[CP_Y_LAC_GLC]) / yXGlc + (qLacMax * lac) / (kl + lac) / muMax, gMu);
    unchecked((gQlac[CX_LAC] -= ((sLac * qLacMax * kl) / ((kl + lac) * (kl + lac))) * (1.0 - rMu / muMax)));
  } else {
    gScale(gQlac, unchecked(p[CP_Y_LAC_GLC]), gQglc);
  }
  gScale(gQamm, unchecked(p[CP_Y_AMM_GLN]) / yXGln, gMu);
  if (unchecked(p[CP_ON_AMM_UPTAKE]) != 0.0) {
    unchecked((gQamm[CX_AMM] -= (sAmm * unchecked(p[CP_R_AMM]) * K_AMM_UPTAKE) / ((K_AMM_UPTAKE + amm) * (K_AMM_UPTAKE + amm))));
  }
  const qp0 = unchecked(p[CP_QP0]);
  const boost = unchecked(p[CP_QP_BOOST]);
  gScale(gQp, (-qp0 * boost * rFQpT) / muMax, gMu);
  unchecked((gQp[CX_T] += qp0 * (1.0 + boost * (1.0 - rMu / muMax)) * dFQpTdT));
  gClear(gOur);
  unchecked((gOur[CX_XV] = unchecked(p[CP_QO2]) * rFO * sXv * CELLS_PER_L));
  unchecked((gOur[CX_DO] = unchecked(p[CP_QO2]) * dFOdDo * xvPos * CELLS_PER_L));

  // Control loops (§6): the slope of each clamp is that of its active branch
  const tOn = unchecked(p[CP_T_ON]) != 0.0;
  let dHeaterdT = 0.0, dHeaterdIT = 0.0;
  if (tOn && unchecked(segment[SW_T]) == 1) {
    dHeaterdT = -unchecked(p[CP_T_KP]);
    dHeaterdIT = unchecked(p[CP_T_KP]) / unchecked(p[CP_T_TI]);
  }
  const doOn = unchecked(p[CP_DO_ON]) != 0.0;
  const doSatMM = unchecked(p[CP_O2_SAT_AIR]) * unchecked(p[CP_PRESSURE]);
  let dSatDodDo = 0.0, dSatDodIDo = 0.0;
  gClear(gN);
  gClear(gQgas);
  gClear(gXo2);
  if (doOn) {
    const doSegment = unchecked(segment[SW_DO]);
    if (doSegment >= 1 && doSegment <= 3) {
      dSatDodDo = (-unchecked(p[CP_DO_KP]) * 100.0) / doSatMM;
      dSatDodIDo = unchecked(p[CP_DO_KP]) / unchecked(p[CP_DO_TI]);
    }
    // One stage of the cascade moves at a time: agitation below 1, gas flow below 2, then O2.
    let dStage = 0.0;
    let stage = gN;
    if (doSegment <= 1) {
      dStage = unchecked(p[CP_N_MAX]) - unchecked(p[CP_N_MIN]);
    } else if (doSegment == 2) {
      dStage = unchecked(p[CP_Q_MAX]) - unchecked(p[CP_Q_MIN]);
      stage = gQgas;
    } else {
      dStage = unchecked(p[CP_XO2_MAX]) - Y_O2_AIR;
      stage = gXo2;
    }
    unchecked((stage[CX_DO] = dStage * dSatDodDo));
    unchecked((stage[CX_I_DO] = dStage * dSatDodIDo));
  }
  const phOn = unchecked(p[CP_PH_ON]) != 0.0;
  gScale(gPhErrorDb, unchecked(segment[SW_DEADBAND]) != 1 ? -1.0 : 0.0, gPH);
  let phInside = false;
  gClear(gBase);
  gClear(gXco2);
  if (phOn) {
    const kp = unchecked(p[CP_PH_KP]);
    gScale(gUPh, kp, gPhErrorDb);
    unchecked((gUPh[CX_I_PH] += kp / unchecked(p[CP_PH_TI])));
    const phSegment = unchecked(segment[SW_PH]);
    phInside = phSegment == 1 || phSegment == 2;
    if (phInside) {
      if (phSegment == 2) gScale(gBase, unchecked(p[CP_BASE_MAX]), gUPh);
      else gScale(gXco2, -unchecked(p[CP_XCO2_MAX]), gUPh);
    }
  }
  baseMoves = phOn && phInside && unchecked(segment[SW_PH]) == 2;
  // rXo2 = min(cascade O2 fraction, 1 - xCO2)
  if (rXo2Cascade > 1.0 - rXco2) gScale(gXo2, -1.0, gXco2);

  // Gas transfer (§5.1, §5.2, §10.3): kLa is locally a power law in N, Q and V, so
  // dkLa = kLa (e_N dN/N + e_Q dQ/Q + e_V dV/V) with the exponents of the last spargedKla call.
  const kla = rKlaSparged;
  gScale(gKla, rN > 0.0 ? (kla * klaExpN) / rN : 0.0, gN);
  gAdd(gKla, rQgas > 0.0 ? (kla * klaExpQ) / rQgas : 0.0, gQgas);
  unchecked((gKla[CX_V] += (kla * klaExpV) / v));
  const surface = unchecked(p[CP_KLA_SURFACE]);
  const ratio = unchecked(p[CP_CO2_KLA_RATIO]);
  const pressure = unchecked(p[CP_PRESSURE]);
  const gasMmolPerH = (rQgas * 60.0 * 1000.0) / (R_GAS * KELVIN);
  const dGasdQ = (60.0 * 1000.0) / (R_GAS * KELVIN);
  const satO2 = (unchecked(p[CP_O2_SAT_AIR]) * pressure) / Y_O2_AIR;
  const satCO2 = unchecked(p[CP_CO2_ALPHA]) * MMHG_PER_ATM * pressure;
  spargePartials(kla, v, gasMmolPerH, rXo2, satO2, dO);
  gScale(gOtr, spDKla, gKla);
  gAdd(gOtr, spDGas * dGasdQ, gQgas);
  gAdd(gOtr, spDYIn, gXo2);
  unchecked((gOtr[CX_DO] += (spDC - surface) * sDo));
  unchecked((gOtr[CX_V] += spDV));
  spargePartials(ratio * kla, v, gasMmolPerH, rXco2, satCO2, rCO2aq);
  gScale(gCtr, spDKla * ratio, gKla);
  gAdd(gCtr, spDGas * dGasdQ, gQgas);
  gAdd(gCtr, spDYIn, gXco2);
  gAdd(gCtr, spDC - ratio * surface, gCO2);
  unchecked((gCtr[CX_V] += spDV));

  // Flows (§7): level control passes the base rate on to the harvest while it runs
  const perf = unchecked(p[CP_PERF_RATE]);
  const bleed = unchecked(p[CP_BLEED]);
  gClear(gHarvest);
  const harvestMoves = baseMoves && unchecked(p[CP_LEVEL_CONTROL]) != 0.0 && rFeed + perf + rBase - bleed >= 0.0;
  if (harvestMoves) gScale(gHarvest, 1.0, gBase);

  // Rows of the dynamic states (choRhs, term by term)
  const mf = <i32>unchecked(p[CP_FEED_MEDIUM]);
  const mp = <i32>unchecked(p[CP_PERF_MEDIUM]);
  const retention = unchecked(p[CP_RETENTION]);
  const xv = unchecked(y[CX_XV]);
  const xd = unchecked(y[CX_XD]);
  const cells = xv * CELLS_PER_L;
  const concentrate = (rHarvest * retention) / v;
  const out = bleed + rHarvest;
  const doIn = doSatMM;
  const dilution = (rFeed + perf + rBase) / v; // -∂inflow/∂c
  const lysis = unchecked(p[CP_ON_LYSIS]) != 0.0 ? unchecked(p[CP_K_LYSIS]) : 0.0;
  const decayOn = unchecked(p[CP_ON_GLN_DECAY]) != 0.0;
  const decay = decayOn ? unchecked(p[CP_D_GLN]) * gln : 0.0;
  const dDecaydGln = decayOn ? unchecked(p[CP_D_GLN]) * sGln : 0.0;
  const yGlc = unchecked(y[CX_GLC]);
  const yGln = unchecked(y[CX_GLN]);
  const yLac = unchecked(y[CX_LAC]);
  const yAmm = unchecked(y[CX_AMM]);
  const yMab = unchecked(y[CX_MAB]);
  const yDo = unchecked(y[CX_DO]);
  const yTic = unchecked(y[CX_TIC]);
  const yNa = unchecked(y[CX_NA]);
  const yCl = unchecked(y[CX_CL]);
  const yOther = unchecked(y[CX_OTHER]);

  let off = CX_XV * nd;
  jacAdd(jac, off, xv, gMu);
  jacAdd(jac, off, -xv, gMuD);
  jacInflow(jac, off, CX_XV, xv, 0.0, inflow(xv, 0.0, 0.0, 0.0, perf, v), dilution, v);
  if (harvestMoves) jacAdd(jac, off, (retention * xv) / v, gHarvest);
  unchecked((jac[off + CX_XV] += rMu - rMuD + concentrate));
  unchecked((jac[off + CX_V] -= (concentrate * xv) / v));

  off = CX_XD * nd;
  jacAdd(jac, off, xv, gMuD);
  jacInflow(jac, off, CX_XD, xd, 0.0, inflow(xd, 0.0, 0.0, 0.0, perf, v), dilution, v);
  if (harvestMoves) jacAdd(jac, off, (retention * xd) / v, gHarvest);
  unchecked((jac[off + CX_XV] += rMuD));
  unchecked((jac[off + CX_XD] += concentrate - lysis));
  unchecked((jac[off + CX_V] -= (concentrate * xd) / v));

  off = CX_GLC * nd;
  jacAdd(jac, off, -cells, gQglc);
  unchecked((jac[off + CX_XV] -= rQglc * CELLS_PER_L));
  jacInflow(jac, off, CX_GLC, yGlc, 0.0, inflow(yGlc, medium(p, mf, CM_GLC), medium(p, mp, CM_GLC), 0.0, perf, v), dilution, v);

  off = CX_GLN * nd;
  jacAdd(jac, off, -cells, gQgln);
  unchecked((jac[off + CX_XV] -= rQgln * CELLS_PER_L));
  unchecked((jac[off + CX_GLN] -= dDecaydGln));
  jacInflow(jac, off, CX_GLN, yGln, 0.0, inflow(yGln, medium(p, mf, CM_GLN), medium(p, mp, CM_GLN), 0.0, perf, v), dilution, v);

  off = CX_LAC * nd;
  jacAdd(jac, off, cells, gQlac);
  unchecked((jac[off + CX_XV] += rQlac * CELLS_PER_L));
  jacInflow(jac, off, CX_LAC, yLac, 0.0, inflow(yLac, 0.0, 0.0, 0.0, perf, v), dilution, v);

  off = CX_AMM * nd;
  jacAdd(jac, off, cells, gQamm);
  unchecked((jac[off + CX_XV] += rQamm * CELLS_PER_L));
  unchecked((jac[off + CX_GLN] += dDecaydGln));
  jacInflow(jac, off, CX_AMM, yAmm, 0.0, inflow(yAmm, 0.0, 0.0, 0.0, perf, v), dilution, v);

  off = CX_MAB * nd;
  jacAdd(jac, off, xv / HOURS_PER_DAY, gQp);
  unchecked((jac[off + CX_XV] += rQp / HOURS_PER_DAY));
  jacInflow(jac, off, CX_MAB, yMab, 0.0, inflow(yMab, 0.0, 0.0, 0.0, perf, v), dilution, v);

  off = CX_DO * nd;
  jacAdd(jac, off, 1.0, gOtr);
  jacAdd(jac, off, -1.0, gOur);
  jacInflow(jac, off, CX_DO, yDo, doIn, inflow(yDo, doIn, doIn, doIn, perf, v), dilution, v);

  off = CX_TIC * nd;
  const baseTic = unchecked(p[CP_BASE_TIC]);
  jacAdd(jac, off, 1.0, gCtr);
  jacAdd(jac, off, unchecked(p[CP_RQ]), gOur);
  jacInflow(jac, off, CX_TIC, yTic, baseTic, inflow(yTic, medium(p, mf, CM_TIC), medium(p, mp, CM_TIC), baseTic, perf, v), dilution, v);

  off = CX_NA * nd;
  const baseNa = unchecked(p[CP_BASE_NA]);
  jacInflow(jac, off, CX_NA, yNa, baseNa, inflow(yNa, medium(p, mf, CM_NA), medium(p, mp, CM_NA), baseNa, perf, v), dilution, v);

  off = CX_CL * nd;
  jacInflow(jac, off, CX_CL, yCl, 0.0, inflow(yCl, medium(p, mf, CM_CL), medium(p, mp, CM_CL), 0.0, perf, v), dilution, v);

  off = CX_OTHER * nd;
  jacInflow(jac, off, CX_OTHER, yOther, 0.0, inflow(yOther, unchecked(mediaOther[mf]), unchecked(mediaOther[mp]), 0.0, perf, v), dilution, v);

  off = CX_V * nd;
  if (baseMoves) jacAdd(jac, off, 1.0, gBase);
  if (harvestMoves) jacAdd(jac, off, -1.0, gHarvest);

  off = CX_T * nd;
  const heatCapacity = RHO_CP * v; // J/K
  const ua = unchecked(p[CP_UA]);
  unchecked((jac[off + CX_T] += (SECONDS_PER_HOUR * (dHeaterdT - ua)) / heatCapacity));
  unchecked((jac[off + CX_I_T] += (SECONDS_PER_HOUR * dHeaterdIT) / heatCapacity));
  unchecked((jac[off + CX_V] -= (SECONDS_PER_HOUR * (rHeater - ua * (temp - unchecked(p[CP_T_ROOM])))) / (heatCapacity * v)));

  // PI integrals with back-calculation: dI/dt = e + (u_sat - u)/Kp
  if (tOn) {
    off = CX_I_T * nd;
    const kp = unchecked(p[CP_T_KP]);
    unchecked((jac[off + CX_T] += -1.0 + (dHeaterdT + kp) / kp));
    unchecked((jac[off + CX_I_T] += (dHeaterdIT - kp / unchecked(p[CP_T_TI])) / kp));
  }
  if (doOn) {
    off = CX_I_DO * nd;
    const kp = unchecked(p[CP_DO_KP]);
    unchecked((jac[off + CX_DO] += -100.0 / doSatMM + (dSatDodDo + (kp * 100.0) / doSatMM) / kp));
    unchecked((jac[off + CX_I_DO] += (dSatDodIDo - kp / unchecked(p[CP_DO_TI])) / kp));
  }
  if (phOn) {
    off = CX_I_PH * nd;
    jacAdd(jac, off, 1.0, gPhErrorDb);
    if (!phInside) jacAdd(jac, off, -1.0 / unchecked(p[CP_PH_KP]), gUPh);
  }

  // Quadrature rows (§8); the amounts fed with the feeds and perfusion depend on no state
  off = CX_GLC_USED * nd;
  jacAdd(jac, off, cells * v, gQglc);
  unchecked((jac[off + CX_XV] += rQglc * CELLS_PER_L * v));
  unchecked((jac[off + CX_V] += rQglc * cells));
  off = CX_GLC_OUT * nd;
  if (harvestMoves) jacAdd(jac, off, yGlc, gHarvest);
  unchecked((jac[off + CX_GLC] += out));
  off = CX_GLN_USED * nd;
  jacAdd(jac, off, cells * v, gQgln);
  unchecked((jac[off + CX_XV] += rQgln * CELLS_PER_L * v));
  unchecked((jac[off + CX_GLN] += dDecaydGln * v));
  unchecked((jac[off + CX_V] += rQgln * cells + decay));
  off = CX_GLN_OUT * nd;
  if (harvestMoves) jacAdd(jac, off, yGln, gHarvest);
  unchecked((jac[off + CX_GLN] += out));
  off = CX_CELLS_GROWN * nd;
  jacAdd(jac, off, xv * v, gMu);
  unchecked((jac[off + CX_XV] += rMu * v));
  unchecked((jac[off + CX_V] += rMu * xv));
  off = CX_CELLS_DIED * nd;
  jacAdd(jac, off, xv * v, gMuD);
  unchecked((jac[off + CX_XV] += rMuD * v));
  unchecked((jac[off + CX_V] += rMuD * xv));
  off = CX_CELLS_OUT * nd;
  if (harvestMoves) jacAdd(jac, off, (1.0 - retention) * xv, gHarvest);
  unchecked((jac[off + CX_XV] += bleed + rHarvest * (1.0 - retention)));
  if (baseMoves) jacAdd(jac, CX_VOL_IN * nd, 1.0, gBase);
  if (harvestMoves) jacAdd(jac, CX_VOL_OUT * nd, 1.0, gHarvest);
  if (baseMoves) jacAdd(jac, CX_NA_IN * nd, baseNa, gBase);
  off = CX_NA_OUT * nd;
  if (harvestMoves) jacAdd(jac, off, yNa, gHarvest);
  unchecked((jac[off + CX_NA] += out));
  off = CX_LAC_NET * nd;
  jacAdd(jac, off, cells * v, gQlac);
  unchecked((jac[off + CX_XV] += rQlac * CELLS_PER_L * v));
  unchecked((jac[off + CX_V] += rQlac * cells));
  off = CX_LAC_OUT * nd;
  if (harvestMoves) jacAdd(jac, off, yLac, gHarvest);
  unchecked((jac[off + CX_LAC] += out));
  off = CX_MAB_MADE * nd;
  jacAdd(jac, off, (xv / HOURS_PER_DAY) * v, gQp);
  unchecked((jac[off + CX_XV] += (rQp / HOURS_PER_DAY) * v));
  unchecked((jac[off + CX_V] += (rQp * xv) / HOURS_PER_DAY));
  off = CX_MAB_OUT * nd;
  if (harvestMoves) jacAdd(jac, off, yMab, gHarvest);
  unchecked((jac[off + CX_MAB] += out));
  if (baseMoves) jacAdd(jac, CX_BASE * nd, 1.0, gBase);
  return true;
}

/** Conductivity from the ions present, mS/cm (docs/model.md §5.4). */
export function conductivity(y: StaticArray<f64>): f64 {
  const sum = LAMBDA_NA * unchecked(y[CX_NA]) + LAMBDA_CL * unchecked(y[CX_CL]) + LAMBDA_HCO3 * rHCO3 +
    LAMBDA_LAC * Math.max(unchecked(y[CX_LAC]), 0.0) + LAMBDA_NH4 * Math.max(unchecked(y[CX_AMM]), 0.0);
  return COND_FACTOR * (1.0 + COND_PER_K * (unchecked(y[CX_T]) - 25.0)) * sum * 1e-3;
}

/**
 * False: output rows leave the columns that need the rates (pH, pCO2, osmolality,
 * conductivity, the kinetic rates, the loops' outputs and flows) NaN, for a run whose
 * caller reads none of them (choSetDerivedRates; docs/model.md §1.1).
 */
let derivedRates = true;

export function choSetDerivedRates(on: bool): void {
  derivedRates = on;
}

/**
 * The derived outputs of an output row. The pH solve's warm start and memo are put back
 * after a row's rates and the rates are marked stale, so rows (the output grid, and
 * whether they carry the rates) never change the solution.
 */
export function choDerived(t: f64, y: StaticArray<f64>, p: StaticArray<f64>, out: StaticArray<f64>, off: i32): void {
  const xv = unchecked(y[CX_XV]);
  const total = xv + unchecked(y[CX_XD]);
  unchecked((out[off + CXD_VIABILITY] = total > 0.0 ? (100.0 * xv) / total : 100.0));
  unchecked((out[off + CXD_TITER] = unchecked(y[CX_MAB]) / 1000.0));
  unchecked((out[off + CXD_DO_PERCENT] = (100.0 * y[CX_DO]) / (p[CP_O2_SAT_AIR] * p[CP_PRESSURE])));
  unchecked((out[off + CXD_FEED_RATE] = choFeedRate(t, p)));
  unchecked((out[off + CXD_PERFUSION] = p[CP_PERF_RATE]));
  unchecked((out[off + CXD_TEMP_SETPOINT] = p[CP_T_SP]));
  unchecked((out[off + CXD_DO_SETPOINT] = p[CP_DO_SP]));
  unchecked((out[off + CXD_PH_SETPOINT] = p[CP_PH_SP]));
  if (!derivedRates) {
    for (let k = 0; k < RATE_COLUMNS.length; k++) unchecked((out[off + RATE_COLUMNS[k]] = NaN));
    return;
  }
  const cache = pHCache, tic = memoTic, sid = memoSid, buffer = memoBuffer, pKb = memoPKb, pH = memoPH;
  const slope = memoSlope, dTic = memoDFdTic;
  rates(t, y, p);
  unchecked((out[off + CXD_PH] = rPH));
  unchecked((out[off + CXD_PCO2] = rCO2aq / p[CP_CO2_ALPHA]));
  unchecked((out[off + CXD_OSMOLALITY] = rOsm));
  unchecked((out[off + CXD_CONDUCTIVITY] = conductivity(y)));
  unchecked((out[off + CXD_MU] = rMu));
  unchecked((out[off + CXD_DEATH] = rMuD));
  unchecked((out[off + CXD_QP] = rQp));
  unchecked((out[off + CXD_OUR] = rOur));
  unchecked((out[off + CXD_CER] = p[CP_RQ] * rOur));
  unchecked((out[off + CXD_KLA] = rKla));
  unchecked((out[off + CXD_AGITATION] = rN));
  unchecked((out[off + CXD_GAS_FLOW] = rQgas));
  unchecked((out[off + CXD_O2_FRACTION] = 100.0 * rXo2));
  unchecked((out[off + CXD_CO2_FRACTION] = 100.0 * rXco2));
  unchecked((out[off + CXD_BASE_RATE] = 1000.0 * rBase));
  unchecked((out[off + CXD_HEATER] = rHeater));
  pHCache = cache;
  memoTic = tic;
  memoSid = sid;
  memoBuffer = buffer;
  memoPKb = pKb;
  memoPH = pH;
  memoSlope = slope;
  memoDFdTic = dTic;
  ratesT = NaN;
}

/** The derived columns choDerived fills from the rates (NaN without them). */
const RATE_COLUMNS: StaticArray<i32> = [
  CXD_PH, CXD_PCO2, CXD_OSMOLALITY, CXD_CONDUCTIVITY, CXD_MU, CXD_DEATH, CXD_QP, CXD_OUR, CXD_CER, CXD_KLA,
  CXD_AGITATION, CXD_GAS_FLOW, CXD_O2_FRACTION, CXD_CO2_FRACTION, CXD_BASE_RATE, CXD_HEATER,
];

/** Osmolality of the listed solutes of a medium, mOsm/kg. */
@inline
function listedOsmolality(glc: f64, gln: f64, na: f64, cl: f64, hco3: f64): f64 {
  return OSMOTIC_COEFF * (na + cl + hco3) + glc + gln;
}

/**
 * Completes the initial state from what the scenario states (docs/model.md §5.3):
 * carbon from pH and pCO2, chloride from the charge balance, other solutes from the
 * osmolality, and a bumpless start of the temperature loop. Called once per run.
 */
export function choPrepare(y: StaticArray<f64>, p: StaticArray<f64>): i32 {
  setupProblem = SETUP_OK;
  const pH = unchecked(p[CP_INIT_PH]);
  const co2aq = unchecked(p[CP_CO2_ALPHA]) * unchecked(p[CP_INIT_PCO2]);
  const hco3 = co2aq * pow10(pH - PK1);
  const tic = co2aq + hco3;
  unchecked((y[CX_TIC] = tic));
  const buffer = unchecked(p[CP_BUFFER]);
  const pKb = unchecked(p[CP_BUFFER_PKA]);
  // Charge balance at the stated pH: SID = ionised carbon + buffer + water terms.
  const sid = chargeBalance(pH, tic, buffer, pKb, 0.0);
  const cl = unchecked(y[CX_NA]) + unchecked(y[CX_AMM]) - unchecked(y[CX_LAC]) - sid;
  if (cl < 0.0) {
    setupProblem = SETUP_INITIAL_CHLORIDE;
    return STATUS_BAD_SETUP;
  }
  unchecked((y[CX_CL] = cl));
  const listed = OSMOTIC_COEFF * (unchecked(y[CX_NA]) + cl + hco3 + unchecked(y[CX_LAC]) + unchecked(y[CX_AMM])) +
    unchecked(y[CX_GLC]) + unchecked(y[CX_GLN]);
  const other = unchecked(p[CP_INIT_OSM]) - listed;
  if (other < 0.0) {
    setupProblem = SETUP_INITIAL_OSMOLALITY;
    return STATUS_BAD_SETUP;
  }
  unchecked((y[CX_OTHER] = other));
  for (let m = 0; m < MAX_MEDIA; m++) {
    const osm = medium(p, m, CM_OSM);
    let o = 0.0;
    if (osm > 0.0) {
      o = osm - listedOsmolality(medium(p, m, CM_GLC), medium(p, m, CM_GLN), medium(p, m, CM_NA), medium(p, m, CM_CL), medium(p, m, CM_TIC));
      if (o < 0.0) {
        setupProblem = SETUP_MEDIUM_OSMOLALITY + m;
        return STATUS_BAD_SETUP;
      }
    }
    unchecked((mediaOther[m] = o));
  }
  // Bumpless start: the integral that makes the heater hold the initial temperature.
  if (unchecked(p[CP_T_ON]) != 0.0) {
    const hold = clamp(unchecked(p[CP_UA]) * (unchecked(y[CX_T]) - unchecked(p[CP_T_ROOM])), -unchecked(p[CP_T_COOL_MAX]), unchecked(p[CP_T_HEAT_MAX]));
    unchecked((y[CX_I_T] = (unchecked(p[CP_T_TI]) * hold) / unchecked(p[CP_T_KP])));
  }
  pHCache = pH;
  choParamsChanged();
  return STATUS_OK;
}

// The pH warm start at each checkpoint of the integrator (docs/model.md §1.1): the only
// state of this module that outlives an event (its memos and segments are reset there).
const ckPHCache = new StaticArray<f64>(CHECKPOINT_SLOTS);

export function choSaveCheckpoint(slot: i32): void {
  if (slot >= 0 && slot < CHECKPOINT_SLOTS) unchecked((ckPHCache[slot] = pHCache));
}

export function choRestoreCheckpoint(slot: i32): void {
  if (slot >= 0 && slot < CHECKPOINT_SLOTS) pHCache = unchecked(ckPHCache[slot]);
}

/** Forgets the memos of solvePH and spargedKla (parameters may have changed) and unlocks the switches. */
export function choParamsChanged(): void {
  memoTic = NaN;
  memoN = NaN;
  ratesT = NaN;
  segmentsLocked = false;
}

/** Keeps every switch in the segment the last rates() gave it, until choCrossSwitch moves it. */
export function choLockSwitches(): void {
  segmentsLocked = true;
}

/** Breakpoint j (ascending, from 0) of switch k: the ends of its segments (§6.2–§6.4). */
function breakpoint(k: i32, j: i32, p: StaticArray<f64>): f64 {
  if (k == SW_T) return j == 0 ? -unchecked(p[CP_T_COOL_MAX]) : unchecked(p[CP_T_HEAT_MAX]);
  if (k == SW_DO) return <f64>j;
  if (k == SW_DEADBAND) return j == 0 ? -unchecked(p[CP_PH_DEADBAND]) : unchecked(p[CP_PH_DEADBAND]);
  return <f64>(j - 1);
}

@inline
function breakpointCount(k: i32): i32 {
  return k == SW_DO ? 4 : k == SW_PH ? 3 : 2;
}

@inline
function switchOn(k: i32, p: StaticArray<f64>): bool {
  return unchecked(p[k == SW_T ? CP_T_ON : k == SW_DO ? CP_DO_ON : CP_PH_ON]) != 0.0;
}

/**
 * The switching functions at (t, y) in the current segments into g: g[2k] = value minus
 * the lower end of switch k's segment, g[2k + 1] = upper end minus value; +∞ where the
 * segment is open on that side or the loop is off. All are ≥ 0 while the segments hold.
 * Called by the integrator after each accepted step (at the state of the last
 * right-hand side, so the rates are reused) and while it locates a crossing.
 */
export function choSwitches(t: f64, y: StaticArray<f64>, p: StaticArray<f64>, g: StaticArray<f64>): void {
  if (!ratesAreFor(t, y)) rates(t, y, p);
  for (let k = 0; k < CHO_SWITCHES; k++) {
    let lower = Infinity, upper = Infinity;
    if (switchOn(k, p)) {
      const s = unchecked(segment[k]);
      const v = unchecked(switchValue[k]);
      if (s > 0) lower = v - breakpoint(k, s - 1, p);
      if (s < breakpointCount(k)) upper = breakpoint(k, s, p) - v;
    }
    unchecked((g[2 * k] = lower));
    unchecked((g[2 * k + 1] = upper));
  }
}

/** Moves switch q / 2 into the next segment across the end that function q watches. */
export function choCrossSwitch(q: i32): void {
  const k = q >> 1;
  unchecked((segment[k] += (q & 1) == 0 ? -1 : 1));
  ratesT = NaN;
}

/** Mixes `volumeL` of medium `m` into the culture at once (a bolus). */
export function choBolus(y: StaticArray<f64>, p: StaticArray<f64>, m: i32, volumeL: f64): void {
  if (m < 0 || m >= MAX_MEDIA || !(volumeL > 0.0)) return;
  const v = unchecked(y[CX_V]);
  const vNew = v + volumeL;
  const keep = v / vNew;
  const add = volumeL / vNew;
  const doIn = unchecked(p[CP_O2_SAT_AIR]) * unchecked(p[CP_PRESSURE]);
  unchecked((y[CX_XV] *= keep));
  unchecked((y[CX_XD] *= keep));
  unchecked((y[CX_GLC] = y[CX_GLC] * keep + medium(p, m, CM_GLC) * add));
  unchecked((y[CX_GLN] = y[CX_GLN] * keep + medium(p, m, CM_GLN) * add));
  unchecked((y[CX_LAC] *= keep));
  unchecked((y[CX_AMM] *= keep));
  unchecked((y[CX_MAB] *= keep));
  unchecked((y[CX_DO] = y[CX_DO] * keep + doIn * add));
  unchecked((y[CX_TIC] = y[CX_TIC] * keep + medium(p, m, CM_TIC) * add));
  unchecked((y[CX_NA] = y[CX_NA] * keep + medium(p, m, CM_NA) * add));
  unchecked((y[CX_CL] = y[CX_CL] * keep + medium(p, m, CM_CL) * add));
  unchecked((y[CX_OTHER] = y[CX_OTHER] * keep + mediaOther[m] * add));
  unchecked((y[CX_V] = vNew));
  unchecked((y[CX_GLC_IN] += medium(p, m, CM_GLC) * volumeL));
  unchecked((y[CX_GLN_IN] += medium(p, m, CM_GLN) * volumeL));
  unchecked((y[CX_NA_IN] += medium(p, m, CM_NA) * volumeL));
  unchecked((y[CX_VOL_IN] += volumeL));
}

/** Removes `volumeL` of culture at its current composition (a sample). */
export function choSample(y: StaticArray<f64>, volumeL: f64): void {
  const v = unchecked(y[CX_V]);
  const take = Math.min(volumeL, v);
  if (!(take > 0.0)) return;
  unchecked((y[CX_V] = v - take));
  unchecked((y[CX_VOL_OUT] += take));
  unchecked((y[CX_GLC_OUT] += y[CX_GLC] * take));
  unchecked((y[CX_GLN_OUT] += y[CX_GLN] * take));
  unchecked((y[CX_CELLS_OUT] += y[CX_XV] * take));
  unchecked((y[CX_NA_OUT] += y[CX_NA] * take));
  unchecked((y[CX_LAC_OUT] += y[CX_LAC] * take));
  unchecked((y[CX_MAB_OUT] += y[CX_MAB] * take));
}

/** Feed on demand: if glucose is below its threshold, add medium `m` up to the target. */
export function choFeedOnDemand(y: StaticArray<f64>, p: StaticArray<f64>, m: i32): void {
  if (m < 0 || m >= MAX_MEDIA) return;
  const glc = unchecked(y[CX_GLC]);
  const target = unchecked(p[CP_DEMAND_TARGET]);
  const inMedium = medium(p, m, CM_GLC);
  if (glc >= unchecked(p[CP_DEMAND_BELOW]) || inMedium <= target) return;
  choBolus(y, p, m, (unchecked(y[CX_V]) * (target - glc)) / (inMedium - target));
}

/** Harvest rule: viability minus its threshold, in %; the run stops when it falls through 0. */
export function choStopValue(y: StaticArray<f64>, p: StaticArray<f64>): f64 {
  const threshold = unchecked(p[CP_HARVEST_VIABILITY]);
  if (threshold <= 0.0) return Infinity;
  const xv = unchecked(y[CX_XV]);
  const total = xv + unchecked(y[CX_XD]);
  return (total > 0.0 ? (100.0 * xv) / total : 100.0) - threshold;
}

export function choIsNonNegative(i: i32): bool {
  return i <= CX_V || i == CX_BASE;
}

export const CHO_DYNAMIC: i32 = CX_DYNAMIC;
export const CHO_STATES: i32 = CX_STATES;

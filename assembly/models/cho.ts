// Well-mixed stirred tank with the CHO cell model (after Xing et al. 2010): growth on
// glucose and glutamine inhibited by lactate and ammonia, death, lysis, the lactate
// switch, antibody productivity, temperature and osmolality effects; dissolved O2 and
// CO2 with gas transfer; pH from the strong-ion balance; conductivity and osmolality;
// temperature; the DO cascade, pH and temperature PI loops; feeds, perfusion, bleed,
// sampling and the harvest rule. Equations, units and sources: docs/model.md §4–§8.
import {
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
  STATUS_OK, STATUS_RECOVERABLE, STATUS_BAD_SETUP,
} from "../layout";

// ---- constants (docs/model.md §5–§6) -----------------------------------------
const LN10: f64 = 2.302585092994046;
/** Apparent pK of CO2(aq)/HCO3- at 37 °C (Henderson–Hasselbalch). */
const PK1: f64 = 6.1;
/** pKw of water at 37 °C. */
const PKW: f64 = 13.62;
/** Osmotic coefficient of the ions of a culture medium. */
const OSMOTIC_COEFF: f64 = 0.93;
/** Volumetric heat capacity of the broth (water at 37 °C), J/L/K. */
const RHO_CP: f64 = 4150.0;
/** Gas constant, L·atm/(mol·K). */
const R_GAS: f64 = 0.082057;
const KELVIN: f64 = 273.15;
/** Mole fractions of O2 and CO2 in air. */
const Y_O2_AIR: f64 = 0.2095;
const Y_CO2_AIR: f64 = 0.0004;
const MMHG_PER_ATM: f64 = 760.0;
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
const DO_CASCADE_STAGES: f64 = 3.0;
/** Cells per litre per (1e6 cells/mL). */
const CELLS_PER_L: f64 = 1e9;
const HOURS_PER_DAY: f64 = 24.0;
const SECONDS_PER_HOUR: f64 = 3600.0;

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
const mediaOther = new StaticArray<f64>(MAX_MEDIA);
let rPH: f64 = 7.0;
let rCO2aq: f64 = 0.0; // mM
let rHCO3: f64 = 0.0; // mM
let rOsm: f64 = 0.0; // mOsm/kg
let rMu: f64 = 0.0; // 1/h
let rMuD: f64 = 0.0; // 1/h
let rQglc: f64 = 0.0; // mmol/cell/h
let rQgln: f64 = 0.0; // mmol/cell/h
let rQlac: f64 = 0.0; // mmol/cell/h (net, negative when consumed)
let rQamm: f64 = 0.0; // mmol/cell/h (net)
let rQp: f64 = 0.0; // pg/cell/day
let rOur: f64 = 0.0; // mmol/L/h
let rOtr: f64 = 0.0; // mmol/L/h into the liquid
let rCtr: f64 = 0.0; // mmol/L/h into the liquid (negative when stripped)
let rKla: f64 = 0.0; // 1/h
let rN: f64 = 0.0; // rpm
let rQgas: f64 = 0.0; // L/min
let rXo2: f64 = 0.0; // mole fraction
let rXco2: f64 = 0.0; // mole fraction
let rBase: f64 = 0.0; // L/h
let rHeater: f64 = 0.0; // W
let rFeed: f64 = 0.0; // L/h
let rHarvest: f64 = 0.0; // L/h (permeate or chemostat outflow)
let rUT: f64 = 0.0; // unsaturated controller outputs, for anti-windup
let rUDo: f64 = 0.0;
let rUPh: f64 = 0.0;
let rSatT: f64 = 0.0; // saturated controller outputs
let rSatDo: f64 = 0.0;
let rSatPh: f64 = 0.0;
let rPhErrorDb: f64 = 0.0; // pH setpoint error outside the dead band

@inline
function pow10(x: f64): f64 {
  return Math.exp(x * LN10);
}

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

// The last inputs and result of solvePH: most right-hand-side calls of a finite-
// difference Jacobian perturb a state that leaves TIC and SID unchanged.
let memoTic: f64 = NaN;
let memoSid: f64 = NaN;
let memoBuffer: f64 = NaN;
let memoPKb: f64 = NaN;
let memoPH: f64 = 7.0;

/** pH from the strong-ion balance (docs/model.md §5.3): safeguarded Newton on pH in [2, 12]. */
function solvePH(tic: f64, sid: f64, buffer: f64, pKb: f64): f64 {
  if (tic == memoTic && sid == memoSid && buffer == memoBuffer && pKb == memoPKb) return memoPH;
  let lo = 2.0, hi = 12.0;
  let x = clamp(pHCache, lo, hi);
  const tenPK1 = pow10(PK1);
  const tenPKb = pow10(pKb);
  const tenMinusPKw = pow10(-PKW);
  for (let it = 0; it < 60; it++) {
    const w2 = pow10(-x); // [H+] in M
    const a = tenPK1 * w2;
    const b = tenPKb * w2;
    const w1 = tenMinusPKw / w2;
    const f = tic / (1.0 + a) + buffer / (1.0 + b) + 1000.0 * (w1 - w2) - sid;
    if (f > 0.0) hi = x;
    else lo = x;
    const df = LN10 * ((tic * a) / ((1.0 + a) * (1.0 + a)) + (buffer * b) / ((1.0 + b) * (1.0 + b)) + 1000.0 * (w1 + w2));
    let next = x - f / df;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) < 1e-13) {
      x = next;
      break;
    }
    x = next;
  }
  pHCache = x;
  memoTic = tic;
  memoSid = sid;
  memoBuffer = buffer;
  memoPKb = pKb;
  memoPH = x;
  return x;
}

// The last agitation and gas flow and the sparged kLa they gave (two powers saved per call).
let memoN: f64 = NaN;
let memoQ: f64 = NaN;
let memoKla: f64 = 0.0;

/** Sparged O2 kLa from agitation and gas flow (docs/model.md §5.1). */
function spargedKla(agitation: f64, gasFlow: f64, p: StaticArray<f64>): f64 {
  if (!(gasFlow > 0.0)) return 0.0;
  if (agitation == memoN && gasFlow == memoQ) return memoKla;
  memoN = agitation;
  memoQ = gasFlow;
  memoKla = unchecked(p[CP_KLA_REF]) * Math.pow(agitation / unchecked(p[CP_N_REF]), unchecked(p[CP_KLA_N_EXP])) *
    Math.pow(gasFlow / unchecked(p[CP_Q_REF]), unchecked(p[CP_KLA_Q_EXP]));
  return memoKla;
}

/** Rate at which sparged gas moves a species into the liquid, mmol/L/h (docs/model.md §5.2). */
@inline
function sparge(kla: f64, volumeL: f64, gasMmolPerH: f64, yIn: f64, satPerFraction: f64, c: f64): f64 {
  const den = gasMmolPerH + kla * volumeL * satPerFraction;
  return den > 0.0 ? (kla * gasMmolPerH * (satPerFraction * yIn - c)) / den : 0.0;
}

/** Output of a PI loop with back-calculation anti-windup; the raw output goes to `raw`. */
@inline
function piOutput(kp: f64, ti: f64, error: f64, integral: f64): f64 {
  return kp * (error + integral / ti);
}

function choFeedRate(t: f64, p: StaticArray<f64>): f64 {
  const f0 = unchecked(p[CP_FEED_RATE]);
  const k = unchecked(p[CP_FEED_EXP]);
  if (f0 == 0.0 || k == 0.0) return f0;
  return f0 * Math.exp(k * (t - unchecked(p[CP_FEED_T0])));
}

export function choIsAutonomous(p: StaticArray<f64>): bool {
  return unchecked(p[CP_FEED_EXP]) == 0.0 || unchecked(p[CP_FEED_RATE]) == 0.0;
}

/** Everything the right-hand side and the derived outputs share. */
function rates(t: f64, y: StaticArray<f64>, p: StaticArray<f64>): void {
  const xv = Math.max(unchecked(y[CX_XV]), 0.0);
  const glc = Math.max(unchecked(y[CX_GLC]), 0.0);
  const gln = Math.max(unchecked(y[CX_GLN]), 0.0);
  const lac = Math.max(unchecked(y[CX_LAC]), 0.0);
  const amm = Math.max(unchecked(y[CX_AMM]), 0.0);
  const dO = Math.max(unchecked(y[CX_DO]), 0.0);
  const tic = Math.max(unchecked(y[CX_TIC]), 0.0);
  const temp = unchecked(y[CX_T]);
  const v = unchecked(y[CX_V]);

  // pH, dissolved CO2 and osmolality (§5.3, §5.4)
  const sid = unchecked(y[CX_NA]) + amm - lac - unchecked(y[CX_CL]);
  rPH = solvePH(tic, sid, unchecked(p[CP_BUFFER]), unchecked(p[CP_BUFFER_PKA]));
  // pH setpoint error outside the dead band (zero inside it).
  const phError = unchecked(p[CP_PH_SP]) - rPH;
  const half = unchecked(p[CP_PH_DEADBAND]); // setpoint ± deadBand, the DCU convention (§6.3)
  rPhErrorDb = phError > half ? phError - half : phError < -half ? phError + half : 0.0;
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

  // Control loops (§6): outputs and their unsaturated values for anti-windup
  if (unchecked(p[CP_T_ON]) != 0.0) {
    rUT = piOutput(unchecked(p[CP_T_KP]), unchecked(p[CP_T_TI]), unchecked(p[CP_T_SP]) - temp, unchecked(y[CX_I_T]));
    rSatT = clamp(rUT, -unchecked(p[CP_T_COOL_MAX]), unchecked(p[CP_T_HEAT_MAX]));
    rHeater = rSatT;
  } else {
    rHeater = unchecked(p[CP_T_FIXED]);
  }
  const doSatMM = unchecked(p[CP_O2_SAT_AIR]) * unchecked(p[CP_PRESSURE]);
  const doPercent = (100.0 * unchecked(y[CX_DO])) / doSatMM;
  if (unchecked(p[CP_DO_ON]) != 0.0) {
    rUDo = piOutput(unchecked(p[CP_DO_KP]), unchecked(p[CP_DO_TI]), unchecked(p[CP_DO_SP]) - doPercent, unchecked(y[CX_I_DO]));
    rSatDo = clamp(rUDo, 0.0, DO_CASCADE_STAGES);
    rN = unchecked(p[CP_N_MIN]) + clamp(rSatDo, 0.0, 1.0) * (unchecked(p[CP_N_MAX]) - unchecked(p[CP_N_MIN]));
    rQgas = unchecked(p[CP_Q_MIN]) + clamp(rSatDo - 1.0, 0.0, 1.0) * (unchecked(p[CP_Q_MAX]) - unchecked(p[CP_Q_MIN]));
    rXo2 = Y_O2_AIR + clamp(rSatDo - 2.0, 0.0, 1.0) * (unchecked(p[CP_XO2_MAX]) - Y_O2_AIR);
  } else {
    rN = unchecked(p[CP_N_FIXED]);
    rQgas = unchecked(p[CP_Q_FIXED]);
    rXo2 = unchecked(p[CP_XO2_FIXED]);
  }
  if (unchecked(p[CP_PH_ON]) != 0.0) {
    rUPh = piOutput(unchecked(p[CP_PH_KP]), unchecked(p[CP_PH_TI]), rPhErrorDb, unchecked(y[CX_I_PH]));
    rSatPh = clamp(rUPh, -1.0, 1.0);
    rBase = Math.max(rSatPh, 0.0) * unchecked(p[CP_BASE_MAX]);
    rXco2 = Math.max(-rSatPh, 0.0) * unchecked(p[CP_XCO2_MAX]);
  } else {
    rBase = 0.0;
    rXco2 = unchecked(p[CP_XCO2_FIXED]);
  }
  rXo2 = Math.min(rXo2, 1.0 - rXco2);

  // Gas transfer (§5.1, §5.2)
  const sparged = spargedKla(rN, rQgas, p);
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

/** Conductivity from the ions present, mS/cm (docs/model.md §5.4). */
function conductivity(y: StaticArray<f64>): f64 {
  const sum = LAMBDA_NA * unchecked(y[CX_NA]) + LAMBDA_CL * unchecked(y[CX_CL]) + LAMBDA_HCO3 * rHCO3 +
    LAMBDA_LAC * Math.max(unchecked(y[CX_LAC]), 0.0) + LAMBDA_NH4 * Math.max(unchecked(y[CX_AMM]), 0.0);
  return COND_FACTOR * (1.0 + COND_PER_K * (unchecked(y[CX_T]) - 25.0)) * sum * 1e-3;
}

export function choDerived(t: f64, y: StaticArray<f64>, p: StaticArray<f64>, out: StaticArray<f64>, off: i32): void {
  rates(t, y, p);
  const xv = unchecked(y[CX_XV]);
  const total = xv + unchecked(y[CX_XD]);
  unchecked((out[off + CXD_VIABILITY] = total > 0.0 ? (100.0 * xv) / total : 100.0));
  unchecked((out[off + CXD_TITER] = unchecked(y[CX_MAB]) / 1000.0));
  unchecked((out[off + CXD_DO_PERCENT] = (100.0 * y[CX_DO]) / (p[CP_O2_SAT_AIR] * p[CP_PRESSURE])));
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
  unchecked((out[off + CXD_FEED_RATE] = rFeed));
  unchecked((out[off + CXD_PERFUSION] = p[CP_PERF_RATE]));
  unchecked((out[off + CXD_TEMP_SETPOINT] = p[CP_T_SP]));
  unchecked((out[off + CXD_DO_SETPOINT] = p[CP_DO_SP]));
  unchecked((out[off + CXD_PH_SETPOINT] = p[CP_PH_SP]));
}

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

/** Forgets the memos of solvePH and spargedKla: parameters may have changed. */
export function choParamsChanged(): void {
  memoTic = NaN;
  memoN = NaN;
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

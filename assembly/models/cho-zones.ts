// The CHO culture in a large tank split into N vertical zones (0 at the top): every
// zone carries its own liquid states and runs the kinetics of models/cho.ts; zones
// exchange liquid with their neighbours (impeller pumping), feeds and base enter the
// top zone, harvest and bleed leave the bottom one, and one gas phase carries the
// sparged gas past every zone. The controllers read the probe zone. Equations, units
// and sources: docs/model.md §11. The solver sees the structure through a declared
// Jacobian pattern (czPattern) and sum rows (czAux), docs/model.md §1.1.
import {
  CX_XV, CX_XD, CX_GLC, CX_GLN, CX_LAC, CX_AMM, CX_MAB, CX_DO, CX_TIC, CX_NA, CX_CL, CX_OTHER, CX_V, CX_T,
  CX_I_T, CX_I_DO, CX_I_PH, CX_GLC_IN, CX_GLC_USED, CX_GLC_OUT, CX_GLN_IN, CX_GLN_USED, CX_GLN_OUT,
  CX_CELLS_GROWN, CX_CELLS_DIED, CX_CELLS_OUT, CX_VOL_IN, CX_VOL_OUT, CX_NA_IN, CX_NA_OUT, CX_LAC_NET,
  CX_LAC_OUT, CX_MAB_MADE, CX_MAB_OUT, CX_BASE, CX_STATES, CX_DERIVED,
  CXD_VIABILITY, CXD_TITER, CXD_DO_PERCENT, CXD_PH, CXD_PCO2, CXD_OSMOLALITY, CXD_CONDUCTIVITY, CXD_MU,
  CXD_DEATH, CXD_QP, CXD_OUR, CXD_CER, CXD_KLA, CXD_AGITATION, CXD_GAS_FLOW, CXD_O2_FRACTION,
  CXD_CO2_FRACTION, CXD_BASE_RATE, CXD_HEATER, CXD_FEED_RATE, CXD_PERFUSION, CXD_TEMP_SETPOINT,
  CXD_DO_SETPOINT, CXD_PH_SETPOINT,
  CP_KLA_SURFACE, CP_CO2_KLA_RATIO, CP_O2_SAT_AIR, CP_CO2_ALPHA, CP_PRESSURE, CP_UA, CP_T_ROOM, CP_RQ,
  CP_T_ON, CP_T_SP, CP_T_KP, CP_DO_ON, CP_DO_SP, CP_DO_KP, CP_PH_ON, CP_PH_SP, CP_PH_KP, CP_BASE_NA, CP_BASE_TIC,
  CP_FEED_MEDIUM, CP_PERF_RATE, CP_PERF_MEDIUM, CP_RETENTION, CP_BLEED, CP_DEMAND_BELOW, CP_DEMAND_TARGET,
  CP_HARVEST_VIABILITY, CP_MEDIA, CM_GLC, CM_GLN, CM_NA, CM_CL, CM_TIC, CM_FIELDS, MAX_MEDIA,
  MAX_ZONES, CZ_LOCAL, CZG_V, CZG_T, CZG_I_T, CZG_I_DO, CZG_I_PH, CZG_GAS_O2, CZG_GAS_CO2, CZ_GLOBALS,
  CZ_QUADRATURES, CP_ZONE_PROBE, CP_ZONE_GAS_RESIDENCE, CP_ZONE_TABLE, CZF_FRACTION, CZF_PRESSURE,
  CZF_KLA_SHARE, CZF_EXCHANGE, CZF_FIELDS, CZD_DO_PERCENT, CZD_PH, CZD_PCO2, CZD_KLA, CZD_FIELDS,
  STATUS_OK, STATUS_RECOVERABLE,
} from "../layout";
import {
  choLocalRates, choControlRates, choFlowRates, choLocalTerms, choForgetRates, choPrepare, choParamsChanged,
  spargedKla, conductivity, mediaOther,
  rPH, rCO2aq, rOsm, rMu, rMuD, rQglc, rQgln, rQlac, rQp, rOur, rDecay, rN, rQgas, rXo2, rXco2, rBase, rHeater,
  rFeed, rHarvest, rUT, rUDo, rUPh, rSatT, rSatDo, rSatPh, rPhErrorDb,
  RHO_CP, R_GAS, KELVIN, Y_O2_AIR, Y_CO2_AIR, MMHG_PER_ATM, CELLS_PER_L, HOURS_PER_DAY, SECONDS_PER_HOUR,
} from "./cho";

// ---- sizes (set before init by setModelSize) ---------------------------------------
let zones: i32 = 1;
/** Aux rows per zone: six reaction quadratures, then the O2 and CO2 taken from the gas. */
const AUX_PER_ZONE: i32 = 8;
const AUX_GLC_USED = 0;
const AUX_GLN_USED = 1;
const AUX_GROWN = 2;
const AUX_DIED = 3;
const AUX_LAC_NET = 4;
const AUX_MAB_MADE = 5;
const AUX_GAS_O2 = 6;
const AUX_GAS_CO2 = 7;

/** The aux values of the last right-hand side (docs/model.md §1.1, sum rows). */
export const czAuxValues = new StaticArray<f64>(AUX_PER_ZONE * MAX_ZONES + 2);
/** A state shaped like the well-mixed model's, for one zone at a time. */
const ys = new StaticArray<f64>(CX_STATES);
let scratchDy = new StaticArray<f64>(0);

// Per-zone values of the last right-hand side, for the derived outputs.
const zPH = new StaticArray<f64>(MAX_ZONES);
const zCO2 = new StaticArray<f64>(MAX_ZONES);
const zOsm = new StaticArray<f64>(MAX_ZONES);
const zCond = new StaticArray<f64>(MAX_ZONES);
const zMu = new StaticArray<f64>(MAX_ZONES);
const zMuD = new StaticArray<f64>(MAX_ZONES);
const zQp = new StaticArray<f64>(MAX_ZONES);
const zOur = new StaticArray<f64>(MAX_ZONES);
const zKla = new StaticArray<f64>(MAX_ZONES);
let wantDerived = false;
// Globals of the last right-hand side.
let gKla: f64 = 0.0; // 1/h, vessel O2 kLa (sparged + surface), as the well-mixed model reports it
let gFlowIn: f64 = 0.0; // L/h into the top zone (feed, fresh medium, base)
let gFlowOut: f64 = 0.0; // L/h out of the bottom zone (harvest, bleed)

/** Sets the number of zones (1..MAX_ZONES); called through setModelSize before init. */
export function czSetZoneCount(n: i32): bool {
  if (n < 1 || n > MAX_ZONES) return false;
  zones = n;
  scratchDy = new StaticArray<f64>(czStateCount());
  return true;
}

export function czZoneCount(): i32 {
  return zones;
}

export function czDynamicCount(): i32 {
  return CZ_LOCAL * zones + CZ_GLOBALS;
}

export function czStateCount(): i32 {
  return czDynamicCount() + CZ_QUADRATURES;
}

export function czDerivedCount(): i32 {
  return CZ_LOCAL + CX_DERIVED + CZD_FIELDS * zones;
}

export function czAuxCount(): i32 {
  return AUX_PER_ZONE * zones + 2;
}

@inline
function gSlot(k: i32): i32 {
  return CZ_LOCAL * zones + k;
}

/** Slot of a quadrature given by its well-mixed slot (CX_GLC_IN .. CX_BASE). */
@inline
function qSlot(cx: i32): i32 {
  return CZ_LOCAL * zones + CZ_GLOBALS + (cx - CX_GLC_IN);
}

@inline
function zoneField(p: StaticArray<f64>, z: i32, field: i32): f64 {
  return unchecked(p[CP_ZONE_TABLE + z * CZF_FIELDS + field]);
}

@inline
function medium(p: StaticArray<f64>, m: i32, field: i32): f64 {
  return unchecked(p[CP_MEDIA + m * CM_FIELDS + field]);
}

function probeZone(p: StaticArray<f64>): i32 {
  const z = <i32>unchecked(p[CP_ZONE_PROBE]);
  return z < 0 ? 0 : z >= zones ? zones - 1 : z;
}

/** Copies zone z and the globals into `ys`, the well-mixed layout the CHO functions read. */
function loadZone(y: StaticArray<f64>, z: i32): void {
  const off = z * CZ_LOCAL;
  for (let s = 0; s < CZ_LOCAL; s++) unchecked((ys[s] = y[off + s]));
  unchecked((ys[CX_V] = y[gSlot(CZG_V)]));
  unchecked((ys[CX_T] = y[gSlot(CZG_T)]));
  unchecked((ys[CX_I_T] = y[gSlot(CZG_I_T)]));
  unchecked((ys[CX_I_DO] = y[gSlot(CZG_I_DO)]));
  unchecked((ys[CX_I_PH] = y[gSlot(CZG_I_PH)]));
}

// Control outputs of the last right-hand side (read from the probe zone).
let cN: f64 = 0.0, cQgas: f64 = 0.0, cXo2: f64 = 0.0, cXco2: f64 = 0.0, cBase: f64 = 0.0, cHeater: f64 = 0.0;
let cFeed: f64 = 0.0, cHarvest: f64 = 0.0, cUT: f64 = 0.0, cUDo: f64 = 0.0, cUPh: f64 = 0.0;
let cSatT: f64 = 0.0, cSatDo: f64 = 0.0, cSatPh: f64 = 0.0, cPhErrorDb: f64 = 0.0;

/** The control loops and flows from the probe zone (docs/model.md §11.5). */
function control(t: f64, y: StaticArray<f64>, p: StaticArray<f64>): void {
  loadZone(y, probeZone(p));
  choLocalRates(ys, p);
  choControlRates(ys, p);
  choFlowRates(t, p);
  cN = rN;
  cQgas = rQgas;
  cXo2 = rXo2;
  cXco2 = rXco2;
  cBase = rBase;
  cHeater = rHeater;
  cFeed = rFeed;
  cHarvest = rHarvest;
  cUT = rUT;
  cUDo = rUDo;
  cUPh = rUPh;
  cSatT = rSatT;
  cSatDo = rSatDo;
  cSatPh = rSatPh;
  cPhErrorDb = rPhErrorDb;
}

/** Gas in the liquid, mmol, for a gas flow in mmol/h (docs/model.md §11.4). */
@inline
function gasHoldupMmol(gasMmolPerH: f64, p: StaticArray<f64>): f64 {
  return gasMmolPerH * unchecked(p[CP_ZONE_GAS_RESIDENCE]);
}

/**
 * Right-hand side of the zone model (docs/model.md §11), called by the solver several
 * times per step and once per colour group of each Jacobian: local kinetics in every
 * zone, transfer from the shared gas phase, exchange and net flows between zones,
 * feeds into the top zone and outflow from the bottom one, the control loops on the
 * probe zone, and the sums over zones (quadratures and gas) with their parts in czAuxValues.
 */
export function czRhs(t: f64, y: StaticArray<f64>, dy: StaticArray<f64>, p: StaticArray<f64>): i32 {
  const n = zones;
  const v = unchecked(y[gSlot(CZG_V)]);
  if (!(v > 0.0)) return STATUS_RECOVERABLE;
  choForgetRates();
  control(t, y, p);
  const mf = <i32>unchecked(p[CP_FEED_MEDIUM]);
  const mp = <i32>unchecked(p[CP_PERF_MEDIUM]);
  const perf = unchecked(p[CP_PERF_RATE]);
  const bleed = unchecked(p[CP_BLEED]);
  const retention = unchecked(p[CP_RETENTION]);
  const fin = cFeed + perf + cBase; // L/h into the top zone
  const fout = bleed + cHarvest; // L/h out of the bottom zone
  gFlowIn = fin;
  gFlowOut = fout;
  const pMean = unchecked(p[CP_PRESSURE]);
  const doIn = unchecked(p[CP_O2_SAT_AIR]) * pMean; // fresh media are air-saturated
  const sparged = spargedKla(cN, cQgas, v, p);
  const surface = unchecked(p[CP_KLA_SURFACE]);
  const ratio = unchecked(p[CP_CO2_KLA_RATIO]);
  const gasMmolPerH = (cQgas * 60.0 * 1000.0) / (R_GAS * KELVIN);
  const holdup = gasHoldupMmol(gasMmolPerH, p);
  const gasO2 = unchecked(y[gSlot(CZG_GAS_O2)]);
  const gasCO2 = unchecked(y[gSlot(CZG_GAS_CO2)]);
  const o2SatAir = unchecked(p[CP_O2_SAT_AIR]);
  const alpha = unchecked(p[CP_CO2_ALPHA]);
  const spargedV = sparged * v; // L/h
  const toGas = holdup > 0.0 ? 1.0 / holdup : 0.0;
  gKla = sparged + surface;
  let sumGlcUsed = 0.0, sumGlnUsed = 0.0, sumGrown = 0.0, sumDied = 0.0, sumLac = 0.0, sumMab = 0.0;
  let sumGasO2 = 0.0, sumGasCO2 = 0.0;

  // Local terms: kinetics and gas transfer in every zone (§11.3, §11.4)
  for (let z = 0; z < n; z++) {
    const off = z * CZ_LOCAL;
    loadZone(y, z);
    choLocalRates(ys, p);
    choLocalTerms(ys, p, dy, off);
    const phi = zoneField(p, z, CZF_FRACTION);
    const share = zoneField(p, z, CZF_KLA_SHARE);
    const pz = zoneField(p, z, CZF_PRESSURE);
    const vz = phi * v;
    const dO = Math.max(unchecked(ys[CX_DO]), 0.0);
    const satO2 = (o2SatAir * pz) / Y_O2_AIR; // mM per unit mole fraction
    const satCO2 = alpha * MMHG_PER_ATM * pz;
    const drivingO2 = satO2 * gasO2 - dO;
    const drivingCO2 = satCO2 * gasCO2 - rCO2aq;
    const kz = (sparged * share) / phi; // 1/h, the zone's sparged kLa
    let otr = kz * drivingO2;
    let ctr = ratio * kz * drivingCO2;
    let klaZone = kz;
    if (z == 0) {
      // Surface aeration acts on the top zone, at the saturation of the well-mixed model (§11.4).
      const ks = surface / phi;
      otr += ks * (o2SatAir * pMean - dO);
      ctr += ratio * ks * (alpha * MMHG_PER_ATM * pMean * Y_CO2_AIR - rCO2aq);
      klaZone += ks;
    }
    unchecked((dy[off + CX_DO] += otr));
    unchecked((dy[off + CX_TIC] += ctr));
    // What the gas phase gives up in this zone, per mmol of gas in the liquid
    const gasO2Part = -spargedV * share * drivingO2 * toGas;
    const gasCO2Part = -ratio * spargedV * share * drivingCO2 * toGas;
    const xv = unchecked(ys[CX_XV]);
    const cells = xv * CELLS_PER_L;
    const glcUsed = rQglc * cells * vz;
    const glnUsed = (rQgln * cells + rDecay) * vz;
    const grown = rMu * xv * vz;
    const died = rMuD * xv * vz;
    const lacNet = rQlac * cells * vz;
    const mabMade = ((rQp * xv) / HOURS_PER_DAY) * vz;
    const a = z * AUX_PER_ZONE;
    unchecked((czAuxValues[a + AUX_GLC_USED] = glcUsed));
    unchecked((czAuxValues[a + AUX_GLN_USED] = glnUsed));
    unchecked((czAuxValues[a + AUX_GROWN] = grown));
    unchecked((czAuxValues[a + AUX_DIED] = died));
    unchecked((czAuxValues[a + AUX_LAC_NET] = lacNet));
    unchecked((czAuxValues[a + AUX_MAB_MADE] = mabMade));
    unchecked((czAuxValues[a + AUX_GAS_O2] = gasO2Part));
    unchecked((czAuxValues[a + AUX_GAS_CO2] = gasCO2Part));
    sumGlcUsed += glcUsed;
    sumGlnUsed += glnUsed;
    sumGrown += grown;
    sumDied += died;
    sumLac += lacNet;
    sumMab += mabMade;
    sumGasO2 += gasO2Part;
    sumGasCO2 += gasCO2Part;
    if (wantDerived) {
      unchecked((zPH[z] = rPH));
      unchecked((zCO2[z] = rCO2aq));
      unchecked((zOsm[z] = rOsm));
      unchecked((zCond[z] = conductivity(ys)));
      unchecked((zMu[z] = rMu));
      unchecked((zMuD[z] = rMuD));
      unchecked((zQp[z] = rQp));
      unchecked((zOur[z] = rOur));
      unchecked((zKla[z] = klaZone));
    }
  }

  // Feeds, base and fresh medium into the top zone (§11.2)
  const v0 = zoneField(p, 0, CZF_FRACTION) * v;
  for (let s = 0; s < CZ_LOCAL; s++) {
    let cin = 0.0, perfIn = 0.0, baseIn = 0.0;
    if (s == CX_GLC) {
      cin = medium(p, mf, CM_GLC);
      perfIn = medium(p, mp, CM_GLC);
    } else if (s == CX_GLN) {
      cin = medium(p, mf, CM_GLN);
      perfIn = medium(p, mp, CM_GLN);
    } else if (s == CX_DO) {
      cin = doIn;
      perfIn = doIn;
      baseIn = doIn;
    } else if (s == CX_TIC) {
      cin = medium(p, mf, CM_TIC);
      perfIn = medium(p, mp, CM_TIC);
      baseIn = unchecked(p[CP_BASE_TIC]);
    } else if (s == CX_NA) {
      cin = medium(p, mf, CM_NA);
      perfIn = medium(p, mp, CM_NA);
      baseIn = unchecked(p[CP_BASE_NA]);
    } else if (s == CX_CL) {
      cin = medium(p, mf, CM_CL);
      perfIn = medium(p, mp, CM_CL);
    } else if (s == CX_OTHER) {
      cin = unchecked(mediaOther[mf]);
      perfIn = unchecked(mediaOther[mp]);
    }
    const c = unchecked(y[s]);
    unchecked((dy[s] += (cFeed * (cin - c) + perf * (perfIn - c) + cBase * (baseIn - c)) / v0));
  }
  // Cells held back by the retention device at the bottom outlet (§7): the permeate leaves without them.
  const bottom = (n - 1) * CZ_LOCAL;
  const vBottom = zoneField(p, n - 1, CZF_FRACTION) * v;
  const concentrate = (cHarvest * retention) / vBottom;
  unchecked((dy[bottom + CX_XV] += concentrate * y[bottom + CX_XV]));
  unchecked((dy[bottom + CX_XD] += concentrate * y[bottom + CX_XD]));

  // Exchange between neighbours and the net downward flow that keeps every zone's share of V (§11.2)
  let above = 0.0; // cumulative volume fraction of the zones above the boundary
  for (let b = 0; b < n - 1; b++) {
    above += zoneField(p, b, CZF_FRACTION);
    const exchange = zoneField(p, b, CZF_EXCHANGE) * cN; // L/h
    const down = (1.0 - above) * fin + above * fout; // L/h
    const upper = b * CZ_LOCAL;
    const lower = upper + CZ_LOCAL;
    const invUpper = 1.0 / (zoneField(p, b, CZF_FRACTION) * v);
    const invLower = 1.0 / (zoneField(p, b + 1, CZF_FRACTION) * v);
    for (let s = 0; s < CZ_LOCAL; s++) {
      const diff = unchecked(y[upper + s]) - unchecked(y[lower + s]);
      unchecked((dy[upper + s] -= exchange * diff * invUpper));
      unchecked((dy[lower + s] += (exchange + down) * diff * invLower));
    }
  }

  // Globals (§11.5)
  const temp = unchecked(y[gSlot(CZG_T)]);
  unchecked((dy[gSlot(CZG_V)] = fin - fout));
  unchecked((dy[gSlot(CZG_T)] = (SECONDS_PER_HOUR * (cHeater - unchecked(p[CP_UA]) * (temp - unchecked(p[CP_T_ROOM])))) / (RHO_CP * v)));
  unchecked((dy[gSlot(CZG_I_T)] = unchecked(p[CP_T_ON]) != 0.0 ? p[CP_T_SP] - temp + (cSatT - cUT) / p[CP_T_KP] : 0.0));
  const probe = probeZone(p) * CZ_LOCAL;
  if (unchecked(p[CP_DO_ON]) != 0.0) {
    const doPercent = (100.0 * unchecked(y[probe + CX_DO])) / (o2SatAir * pMean);
    unchecked((dy[gSlot(CZG_I_DO)] = p[CP_DO_SP] - doPercent + (cSatDo - cUDo) / p[CP_DO_KP]));
  } else {
    unchecked((dy[gSlot(CZG_I_DO)] = 0.0));
  }
  unchecked((dy[gSlot(CZG_I_PH)] = unchecked(p[CP_PH_ON]) != 0.0 ? cPhErrorDb + (cSatPh - cUPh) / p[CP_PH_KP] : 0.0));
  // The gas phase: what the sparger brings minus what the zones take (§11.4)
  const baseO2 = holdup > 0.0 ? (cXo2 - gasO2) / unchecked(p[CP_ZONE_GAS_RESIDENCE]) : 0.0;
  const baseCO2 = holdup > 0.0 ? (cXco2 - gasCO2) / unchecked(p[CP_ZONE_GAS_RESIDENCE]) : 0.0;
  const auxBase = AUX_PER_ZONE * n;
  unchecked((czAuxValues[auxBase] = baseO2));
  unchecked((czAuxValues[auxBase + 1] = baseCO2));
  unchecked((dy[gSlot(CZG_GAS_O2)] = baseO2 + sumGasO2));
  unchecked((dy[gSlot(CZG_GAS_CO2)] = baseCO2 + sumGasCO2));

  // Quadratures (§8): flows at the top and bottom, reactions summed over zones
  const glcFed = cFeed * medium(p, mf, CM_GLC) + perf * medium(p, mp, CM_GLC);
  const glnFed = cFeed * medium(p, mf, CM_GLN) + perf * medium(p, mp, CM_GLN);
  unchecked((dy[qSlot(CX_GLC_IN)] = glcFed));
  unchecked((dy[qSlot(CX_GLC_USED)] = sumGlcUsed));
  unchecked((dy[qSlot(CX_GLC_OUT)] = fout * unchecked(y[bottom + CX_GLC])));
  unchecked((dy[qSlot(CX_GLN_IN)] = glnFed));
  unchecked((dy[qSlot(CX_GLN_USED)] = sumGlnUsed));
  unchecked((dy[qSlot(CX_GLN_OUT)] = fout * unchecked(y[bottom + CX_GLN])));
  unchecked((dy[qSlot(CX_CELLS_GROWN)] = sumGrown));
  unchecked((dy[qSlot(CX_CELLS_DIED)] = sumDied));
  unchecked((dy[qSlot(CX_CELLS_OUT)] = (bleed + cHarvest * (1.0 - retention)) * unchecked(y[bottom + CX_XV])));
  unchecked((dy[qSlot(CX_VOL_IN)] = fin));
  unchecked((dy[qSlot(CX_VOL_OUT)] = fout));
  unchecked((dy[qSlot(CX_NA_IN)] = cFeed * medium(p, mf, CM_NA) + perf * medium(p, mp, CM_NA) + cBase * unchecked(p[CP_BASE_NA])));
  unchecked((dy[qSlot(CX_NA_OUT)] = fout * unchecked(y[bottom + CX_NA])));
  unchecked((dy[qSlot(CX_LAC_NET)] = sumLac));
  unchecked((dy[qSlot(CX_LAC_OUT)] = fout * unchecked(y[bottom + CX_LAC])));
  unchecked((dy[qSlot(CX_MAB_MADE)] = sumMab));
  unchecked((dy[qSlot(CX_MAB_OUT)] = fout * unchecked(y[bottom + CX_MAB])));
  unchecked((dy[qSlot(CX_BASE)] = cBase));
  return STATUS_OK;
}

// ---- structure for the solver (docs/model.md §1.1) ----------------------------------

/** True when a column reaches every zone: a global state, or a state the probe's controllers read. */
function denseColumn(col: i32, p: StaticArray<f64>): bool {
  if (col >= CZ_LOCAL * zones) return true;
  if (col / CZ_LOCAL != probeZone(p)) return false;
  const s = col % CZ_LOCAL;
  return s == CX_DO || s == CX_TIC || s == CX_NA || s == CX_CL || s == CX_LAC || s == CX_AMM;
}

/**
 * May ∂f_row/∂y_col be nonzero? Rows 0..n-1 are the states, rows n.. the aux rows
 * (czAuxValues). Called for every (row, column) once per run, before the first step.
 */
export function czPattern(row: i32, col: i32, p: StaticArray<f64>): bool {
  if (denseColumn(col, p)) return true;
  const zc = col / CZ_LOCAL;
  const sc = col % CZ_LOCAL;
  const n = czStateCount();
  if (row >= n) {
    const a = row - n;
    return a < AUX_PER_ZONE * zones && a / AUX_PER_ZONE == zc;
  }
  if (row < CZ_LOCAL * zones) {
    const zr = row / CZ_LOCAL;
    if (zr == zc) return true;
    return (zr == zc - 1 || zr == zc + 1) && row % CZ_LOCAL == sc;
  }
  // Quadratures of the outflow read the bottom zone.
  return row >= czDynamicCount() && zc == zones - 1;
}

/** The state row that aux row `a` is a part of (its derivative is the sum of its parts). */
export function czAuxTarget(a: i32): i32 {
  if (a >= AUX_PER_ZONE * zones) return gSlot(a == AUX_PER_ZONE * zones ? CZG_GAS_O2 : CZG_GAS_CO2);
  switch (a % AUX_PER_ZONE) {
    case AUX_GLC_USED: return qSlot(CX_GLC_USED);
    case AUX_GLN_USED: return qSlot(CX_GLN_USED);
    case AUX_GROWN: return qSlot(CX_CELLS_GROWN);
    case AUX_DIED: return qSlot(CX_CELLS_DIED);
    case AUX_LAC_NET: return qSlot(CX_LAC_NET);
    case AUX_MAB_MADE: return qSlot(CX_MAB_MADE);
    case AUX_GAS_O2: return gSlot(CZG_GAS_O2);
    default: return gSlot(CZG_GAS_CO2);
  }
}

// ---- outputs, setup and events ---------------------------------------------------

/**
 * Evaluates the zones at (t, y) for the lifelines (docs/model.md §12): afterwards
 * czZoneQp, czZoneMu, czZonePco2, czAgitation, czFlowIn and czFlowOut read the values.
 * Called once per output row by assembly/lifelines.ts after the run; a status.
 */
export function czSnapshot(t: f64, y: StaticArray<f64>, p: StaticArray<f64>): i32 {
  wantDerived = true;
  const st = czRhs(t, y, scratchDy, p);
  wantDerived = false;
  return st;
}

/** pg/cell/day, the specific productivity in zone z at the last czSnapshot. */
export function czZoneQp(z: i32): f64 {
  return unchecked(zQp[z]);
}

/** 1/h, the specific growth rate in zone z at the last czSnapshot. */
export function czZoneMu(z: i32): f64 {
  return unchecked(zMu[z]);
}

/** mmHg, pCO2 in zone z at the last czSnapshot. */
export function czZonePco2(z: i32, p: StaticArray<f64>): f64 {
  return unchecked(zCO2[z]) / unchecked(p[CP_CO2_ALPHA]);
}

/** rpm, the agitation at the last czSnapshot. */
export function czAgitation(): f64 {
  return cN;
}

/** L/h into the top zone at the last czSnapshot. */
export function czFlowIn(): f64 {
  return gFlowIn;
}

/** L/h out of the bottom zone at the last czSnapshot. */
export function czFlowOut(): f64 {
  return gFlowOut;
}

/** Output row after the states: liquid means, the well-mixed outputs, then per zone (layout.ts CZD_*). */
export function czDerived(t: f64, y: StaticArray<f64>, p: StaticArray<f64>, out: StaticArray<f64>, off: i32): void {
  wantDerived = true;
  const st = czRhs(t, y, scratchDy, p);
  wantDerived = false;
  const n = zones;
  for (let s = 0; s < CZ_LOCAL; s++) {
    let m = 0.0;
    for (let z = 0; z < n; z++) m += zoneField(p, z, CZF_FRACTION) * unchecked(y[z * CZ_LOCAL + s]);
    unchecked((out[off + s] = m));
  }
  const d = off + CZ_LOCAL;
  const pMean = unchecked(p[CP_PRESSURE]);
  const doRef = unchecked(p[CP_O2_SAT_AIR]) * pMean;
  let ph = 0.0, co2 = 0.0, osm = 0.0, cond = 0.0, our = 0.0, cellSum = 0.0, mu = 0.0, muD = 0.0, qp = 0.0;
  for (let z = 0; z < n; z++) {
    const phi = zoneField(p, z, CZF_FRACTION);
    const xv = phi * unchecked(y[z * CZ_LOCAL + CX_XV]);
    ph += phi * unchecked(zPH[z]);
    co2 += phi * unchecked(zCO2[z]);
    osm += phi * unchecked(zOsm[z]);
    cond += phi * unchecked(zCond[z]);
    our += phi * unchecked(zOur[z]);
    cellSum += xv;
    mu += xv * unchecked(zMu[z]);
    muD += xv * unchecked(zMuD[z]);
    qp += xv * unchecked(zQp[z]);
    const zo = d + CX_DERIVED + z * CZD_FIELDS;
    unchecked((out[zo + CZD_DO_PERCENT] = (100.0 * y[z * CZ_LOCAL + CX_DO]) / doRef));
    unchecked((out[zo + CZD_PH] = zPH[z]));
    unchecked((out[zo + CZD_PCO2] = zCO2[z] / p[CP_CO2_ALPHA]));
    unchecked((out[zo + CZD_KLA] = zKla[z]));
  }
  const xvMean = unchecked(out[off + CX_XV]);
  const total = xvMean + unchecked(out[off + CX_XD]);
  unchecked((out[d + CXD_VIABILITY] = total > 0.0 ? (100.0 * xvMean) / total : 100.0));
  unchecked((out[d + CXD_TITER] = out[off + CX_MAB] / 1000.0));
  unchecked((out[d + CXD_DO_PERCENT] = (100.0 * out[off + CX_DO]) / doRef));
  unchecked((out[d + CXD_PH] = ph));
  unchecked((out[d + CXD_PCO2] = co2 / p[CP_CO2_ALPHA]));
  unchecked((out[d + CXD_OSMOLALITY] = osm));
  unchecked((out[d + CXD_CONDUCTIVITY] = cond));
  unchecked((out[d + CXD_MU] = cellSum > 0.0 ? mu / cellSum : 0.0));
  unchecked((out[d + CXD_DEATH] = cellSum > 0.0 ? muD / cellSum : 0.0));
  unchecked((out[d + CXD_QP] = cellSum > 0.0 ? qp / cellSum : 0.0));
  unchecked((out[d + CXD_OUR] = our));
  unchecked((out[d + CXD_CER] = p[CP_RQ] * our));
  unchecked((out[d + CXD_KLA] = gKla));
  unchecked((out[d + CXD_AGITATION] = cN));
  unchecked((out[d + CXD_GAS_FLOW] = cQgas));
  unchecked((out[d + CXD_O2_FRACTION] = 100.0 * cXo2));
  unchecked((out[d + CXD_CO2_FRACTION] = 100.0 * cXco2));
  unchecked((out[d + CXD_BASE_RATE] = 1000.0 * cBase));
  unchecked((out[d + CXD_HEATER] = cHeater));
  unchecked((out[d + CXD_FEED_RATE] = cFeed));
  unchecked((out[d + CXD_PERFUSION] = p[CP_PERF_RATE]));
  unchecked((out[d + CXD_TEMP_SETPOINT] = p[CP_T_SP]));
  unchecked((out[d + CXD_DO_SETPOINT] = p[CP_DO_SP]));
  unchecked((out[d + CXD_PH_SETPOINT] = p[CP_PH_SP]));
  if (st != STATUS_OK) for (let k = 0; k < czDerivedCount(); k++) unchecked((out[off + k] = NaN));
}

/**
 * Completes the initial state (docs/model.md §11.6): the engine writes the same liquid
 * state into every zone; carbon, chloride and other solutes come from choPrepare on
 * zone 0 and are copied to all zones; the gas phase starts at its quasi-steady
 * composition. Called once per run.
 */
export function czPrepare(y: StaticArray<f64>, p: StaticArray<f64>): i32 {
  loadZone(y, 0);
  const st = choPrepare(ys, p);
  if (st != STATUS_OK) return st;
  for (let z = 0; z < zones; z++) {
    const off = z * CZ_LOCAL;
    unchecked((y[off + CX_TIC] = ys[CX_TIC]));
    unchecked((y[off + CX_CL] = ys[CX_CL]));
    unchecked((y[off + CX_OTHER] = ys[CX_OTHER]));
  }
  unchecked((y[gSlot(CZG_I_T)] = ys[CX_I_T]));
  // Quasi-steady gas: what enters equals what leaves plus what the liquid takes.
  unchecked((y[gSlot(CZG_GAS_O2)] = Y_O2_AIR));
  unchecked((y[gSlot(CZG_GAS_CO2)] = Y_CO2_AIR));
  czRhs(0.0, y, scratchDy, p);
  const v = unchecked(y[gSlot(CZG_V)]);
  const sparged = spargedKla(cN, cQgas, v, p);
  const gasMmolPerH = (cQgas * 60.0 * 1000.0) / (R_GAS * KELVIN);
  const ratio = unchecked(p[CP_CO2_KLA_RATIO]);
  let inO2 = gasMmolPerH * cXo2, satO2 = gasMmolPerH;
  let inCO2 = gasMmolPerH * cXco2, satCO2 = gasMmolPerH;
  for (let z = 0; z < zones; z++) {
    loadZone(y, z);
    choLocalRates(ys, p);
    const w = sparged * v * zoneField(p, z, CZF_KLA_SHARE);
    const pz = zoneField(p, z, CZF_PRESSURE);
    inO2 += w * Math.max(unchecked(ys[CX_DO]), 0.0);
    satO2 += (w * unchecked(p[CP_O2_SAT_AIR]) * pz) / Y_O2_AIR;
    inCO2 += ratio * w * rCO2aq;
    satCO2 += ratio * w * unchecked(p[CP_CO2_ALPHA]) * MMHG_PER_ATM * pz;
  }
  if (satO2 > 0.0) unchecked((y[gSlot(CZG_GAS_O2)] = inO2 / satO2));
  if (satCO2 > 0.0) unchecked((y[gSlot(CZG_GAS_CO2)] = inCO2 / satCO2));
  choParamsChanged();
  return STATUS_OK;
}

/**
 * A bolus of `volumeL` of medium m: it enters the top zone; each zone then keeps its
 * share of the new volume and passes the rest, mixed, to the zone below (§11.6).
 */
export function czBolus(y: StaticArray<f64>, p: StaticArray<f64>, m: i32, volumeL: f64): void {
  if (m < 0 || m >= MAX_MEDIA || !(volumeL > 0.0)) return;
  const v = unchecked(y[gSlot(CZG_V)]);
  const vNew = v + volumeL;
  const doIn = unchecked(p[CP_O2_SAT_AIR]) * unchecked(p[CP_PRESSURE]);
  // The liquid passed down, first the medium itself.
  for (let s = 0; s < CZ_LOCAL; s++) unchecked((ys[s] = 0.0));
  unchecked((ys[CX_GLC] = medium(p, m, CM_GLC)));
  unchecked((ys[CX_GLN] = medium(p, m, CM_GLN)));
  unchecked((ys[CX_DO] = doIn));
  unchecked((ys[CX_TIC] = medium(p, m, CM_TIC)));
  unchecked((ys[CX_NA] = medium(p, m, CM_NA)));
  unchecked((ys[CX_CL] = medium(p, m, CM_CL)));
  unchecked((ys[CX_OTHER] = mediaOther[m]));
  let passed = volumeL;
  for (let z = 0; z < zones && passed > 0.0; z++) {
    const phi = zoneField(p, z, CZF_FRACTION);
    const vz = phi * v;
    const total = vz + passed;
    const off = z * CZ_LOCAL;
    for (let s = 0; s < CZ_LOCAL; s++) {
      const mixed = (vz * unchecked(y[off + s]) + passed * unchecked(ys[s])) / total;
      unchecked((y[off + s] = mixed));
      unchecked((ys[s] = mixed));
    }
    passed = total - phi * vNew;
  }
  unchecked((y[gSlot(CZG_V)] = vNew));
  unchecked((y[qSlot(CX_GLC_IN)] += medium(p, m, CM_GLC) * volumeL));
  unchecked((y[qSlot(CX_GLN_IN)] += medium(p, m, CM_GLN) * volumeL));
  unchecked((y[qSlot(CX_NA_IN)] += medium(p, m, CM_NA) * volumeL));
  unchecked((y[qSlot(CX_VOL_IN)] += volumeL));
}

/** Volume-weighted mean of liquid state s over the zones. */
function mean(y: StaticArray<f64>, p: StaticArray<f64>, s: i32): f64 {
  let m = 0.0;
  for (let z = 0; z < zones; z++) m += zoneField(p, z, CZF_FRACTION) * unchecked(y[z * CZ_LOCAL + s]);
  return m;
}

/** A sample of `volumeL` taken evenly from every zone (each keeps its share of V). */
export function czSample(y: StaticArray<f64>, p: StaticArray<f64>, volumeL: f64): void {
  const v = unchecked(y[gSlot(CZG_V)]);
  const take = Math.min(volumeL, v);
  if (!(take > 0.0)) return;
  unchecked((y[gSlot(CZG_V)] = v - take));
  unchecked((y[qSlot(CX_VOL_OUT)] += take));
  unchecked((y[qSlot(CX_GLC_OUT)] += mean(y, p, CX_GLC) * take));
  unchecked((y[qSlot(CX_GLN_OUT)] += mean(y, p, CX_GLN) * take));
  unchecked((y[qSlot(CX_CELLS_OUT)] += mean(y, p, CX_XV) * take));
  unchecked((y[qSlot(CX_NA_OUT)] += mean(y, p, CX_NA) * take));
  unchecked((y[qSlot(CX_LAC_OUT)] += mean(y, p, CX_LAC) * take));
  unchecked((y[qSlot(CX_MAB_OUT)] += mean(y, p, CX_MAB) * take));
}

/** Feed on demand on the tank's mean glucose (an off-line sample sees the mean). */
export function czFeedOnDemand(y: StaticArray<f64>, p: StaticArray<f64>, m: i32): void {
  if (m < 0 || m >= MAX_MEDIA) return;
  const glc = mean(y, p, CX_GLC);
  const target = unchecked(p[CP_DEMAND_TARGET]);
  const inMedium = medium(p, m, CM_GLC);
  if (glc >= unchecked(p[CP_DEMAND_BELOW]) || inMedium <= target) return;
  czBolus(y, p, m, (unchecked(y[gSlot(CZG_V)]) * (target - glc)) / (inMedium - target));
}

/** Harvest rule on the tank's mean viability. */
export function czStopValue(y: StaticArray<f64>, p: StaticArray<f64>): f64 {
  const threshold = unchecked(p[CP_HARVEST_VIABILITY]);
  if (threshold <= 0.0) return Infinity;
  const xv = mean(y, p, CX_XV);
  const total = xv + mean(y, p, CX_XD);
  return (total > 0.0 ? (100.0 * xv) / total : 100.0) - threshold;
}

export function czIsNonNegative(i: i32): bool {
  if (i < CZ_LOCAL * zones) return true;
  return i == gSlot(CZG_V) || i == gSlot(CZG_GAS_O2) || i == gSlot(CZG_GAS_CO2) || i == qSlot(CX_BASE);
}

// Stirred-tank correlations: power and gassed power, pumping, mixing, turbulence,
// gas velocity and hold-up, kLa, flooding and hydrostatic pressure. Written in the
// subset of TypeScript that AssemblyScript also compiles (numbers as f64, flags as
// i32), so the core (kLa as the run goes) and the engine (the scale-up table) use
// one implementation. SI units. Equations and sources: docs/model.md §10.

export const GRAVITY_M_PER_S2: f64 = 9.81;

export const IMPELLER_RUSHTON: i32 = 0;
export const IMPELLER_PITCHED_BLADE: i32 = 1;
export const IMPELLER_HYDROFOIL: i32 = 2;
export const IMPELLER_MARINE: i32 = 3;

/** Turbulent power number Np of one impeller (../shared/MODEL.md §5; docs/model.md §10.1). */
export function powerNumber(impeller: i32): f64 {
  if (impeller == IMPELLER_RUSHTON) return 5.0;
  if (impeller == IMPELLER_PITCHED_BLADE) return 1.27;
  if (impeller == IMPELLER_HYDROFOIL) return 0.35;
  return 0.35; // marine propeller, low end of 0.35-0.5
}

/** Pumping (flow) number Nq: discharge Q = Nq N D³ (docs/model.md §10.1). */
export function pumpingNumber(impeller: i32): f64 {
  if (impeller == IMPELLER_RUSHTON) return 0.72;
  if (impeller == IMPELLER_PITCHED_BLADE) return 0.79;
  if (impeller == IMPELLER_HYDROFOIL) return 0.4;
  return 0.5;
}

/** Impeller Reynolds number ρ N D² / μ (N in 1/s). */
export function reynolds(rho: f64, nPerS: f64, dM: f64, mu: f64): f64 {
  return (rho * nPerS * dM * dM) / mu;
}

/** Froude number N² D / g. */
export function froude(nPerS: f64, dM: f64): f64 {
  return (nPerS * nPerS * dM) / GRAVITY_M_PER_S2;
}

/** Gas flow number Fl = Qg / (N D³). */
export function flowNumber(gasM3PerS: f64, nPerS: f64, dM: f64): f64 {
  return nPerS > 0.0 ? gasM3PerS / (nPerS * dM * dM * dM) : 0.0;
}

/** Ungassed power of `count` impellers, W: P0 = count Np ρ N³ D⁵ (turbulent). */
export function ungassedPowerW(np: f64, rho: f64, nPerS: f64, dM: f64, count: f64): f64 {
  return count * np * rho * nPerS * nPerS * nPerS * dM * dM * dM * dM * dM;
}

/**
 * Gassed-to-ungassed power ratio Pg/P0 = 0.0312 Fr^-0.16 Re^0.064 Fl^-0.38 (T/D)^0.8
 * (Oosterhuis 1984), at most 1 (no gas, or so little that the fit would exceed 1).
 */
export function gassedPowerRatio(nPerS: f64, dM: f64, tM: f64, gasM3PerS: f64, rho: f64, mu: f64): f64 {
  const fl = flowNumber(gasM3PerS, nPerS, dM);
  if (!(fl > 0.0) || !(nPerS > 0.0)) return 1.0;
  const ratio =
    0.0312 *
    Math.pow(froude(nPerS, dM), -0.16) *
    Math.pow(reynolds(rho, nPerS, dM, mu), 0.064) *
    Math.pow(fl, -0.38) *
    Math.pow(tM / dM, 0.8);
  return Math.min(ratio, 1.0);
}

/** Superficial gas velocity vs = Qg / (π T² / 4), m/s. */
export function superficialGasVelocity(gasM3PerS: f64, tM: f64): f64 {
  return gasM3PerS / ((Math.PI * tM * tM) / 4.0);
}

/**
 * kLa of O2, 1/s (van't Riet 1979): coalescing 0.026 (Pg/V)^0.4 vs^0.5; non-coalescing
 * (coalescing = 0) 0.002 (Pg/V)^0.7 vs^0.2. Pg/V in W/m³, vs in m/s.
 */
export function kLaVantRietPerS(powerPerVolume: f64, vs: f64, coalescing: i32): f64 {
  if (!(powerPerVolume > 0.0) || !(vs > 0.0)) return 0.0;
  return coalescing != 0 ? 0.026 * Math.pow(powerPerVolume, 0.4) * Math.pow(vs, 0.5) : 0.002 * Math.pow(powerPerVolume, 0.7) * Math.pow(vs, 0.2);
}

/** Exponents of kLa in Pg/V and vs for the van't Riet fit (for the analytic Jacobian). */
export function kLaPowerExponent(coalescing: i32): f64 {
  return coalescing != 0 ? 0.4 : 0.7;
}

export function kLaGasExponent(coalescing: i32): f64 {
  return coalescing != 0 ? 0.5 : 0.2;
}

/** Gas hold-up (volume fraction) 0.13 (P/V)^(1/3) vs^(2/3) (Noorman 2018). */
export function gasHoldup(powerPerVolume: f64, vs: f64): f64 {
  if (!(powerPerVolume > 0.0) || !(vs > 0.0)) return 0.0;
  return 0.13 * Math.pow(powerPerVolume, 1.0 / 3.0) * Math.pow(vs, 2.0 / 3.0);
}

/**
 * 95 % blend time, s (Handbook of Industrial Mixing, turbulent, Np^(1/3) Re ≥ 6370):
 * θ95 = 5.2 T^1.5 H^0.5 / (Np^(1/3) N D²).
 */
export function blendTime95S(np: f64, nPerS: f64, dM: f64, tM: f64, hM: f64): f64 {
  if (!(nPerS > 0.0)) return Infinity;
  return (5.2 * Math.pow(tM, 1.5) * Math.sqrt(hM)) / (Math.cbrt(np) * nPerS * dM * dM);
}

/** Kolmogorov length (ν³/ε)^(1/4), m (ε in W/kg, ν in m²/s). */
export function kolmogorovLengthM(epsilonWPerKg: f64, nuM2PerS: f64): f64 {
  if (!(epsilonWPerKg > 0.0)) return Infinity;
  return Math.pow((nuM2PerS * nuM2PerS * nuM2PerS) / epsilonWPerKg, 0.25);
}

/**
 * Gas flow number at which a Rushton turbine floods: Fl_F = 30 Fr (D/T)^3.5
 * (Nienow et al. 1985, in the Handbook of Industrial Mixing); an indicator for other impellers.
 */
export function floodingFlowNumber(nPerS: f64, dM: f64, tM: f64): f64 {
  return 30.0 * froude(nPerS, dM) * Math.pow(dM / tM, 3.5);
}

/** Pressure at depth below the surface, Pa: p_head + ρ g depth. */
export function hydrostaticPressurePa(headPa: f64, rho: f64, depthM: f64): f64 {
  return headPa + rho * GRAVITY_M_PER_S2 * Math.max(depthM, 0.0);
}

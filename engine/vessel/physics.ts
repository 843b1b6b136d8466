// What a vessel does with a given liquid volume, agitation and gas flow: power and
// P/V, tip speed, Reynolds number, pumping and circulation, blend time, energy
// dissipation and Kolmogorov length, gas velocity, vvm and hold-up, kLa for O2 and
// CO2, flooding and hydrostatic pressure. The correlations are the core's own
// (assembly/vessel.ts); this file applies them to a geometry. docs/model.md §10.
import * as V from "../../assembly/vessel";
import { impellerHeightsM, liquidHeightM, type ImpellerType, type VesselGeometry } from "./geometry";

/** Properties of the broth and the gas in the headspace. */
export interface FluidProperties {
  /** Density, kg/m³. */
  densityKgPerM3: number;
  /** Dynamic viscosity, Pa·s. */
  viscosityPaS: number;
  /** Head-space pressure (absolute), Pa. */
  headPressurePa: number;
  /** Coalescing medium (van't Riet's coalescing fit) or not (media with salts or antifoam that hinder coalescence are often non-coalescing). */
  coalescing: boolean;
}

/** Water-like cell-culture medium at 37 °C under 1 atm (docs/model.md §10.2). */
export const CULTURE_MEDIUM: FluidProperties = {
  densityKgPerM3: 1000,
  viscosityPaS: 1.0e-3,
  headPressurePa: 101_325,
  coalescing: true,
};

/** kLa(CO2) / kLa(O2) from the square root of the diffusivity ratio (docs/model.md §5.1). */
export const CO2_KLA_RATIO = 0.89;

export const IMPELLER_IDS: Record<ImpellerType, number> = {
  rushton: V.IMPELLER_RUSHTON,
  "pitched-blade": V.IMPELLER_PITCHED_BLADE,
  hydrofoil: V.IMPELLER_HYDROFOIL,
  marine: V.IMPELLER_MARINE,
};

/** The operating point of a vessel, with every figure's unit in its name. */
export interface VesselState {
  liquidVolumeL: number;
  liquidHeightM: number;
  /** Impellers below the liquid surface (only these draw power). */
  submergedImpellers: number;
  agitationRpm: number;
  gasFlowLPerMin: number;
  powerNumber: number;
  pumpingNumber: number;
  reynolds: number;
  ungassedPowerW: number;
  gassedPowerW: number;
  gassedPowerRatio: number;
  powerPerVolumeWPerM3: number;
  /** Mean energy dissipation, W/kg. */
  epsilonWPerKg: number;
  tipSpeedMPerS: number;
  /** Impeller discharge of all submerged impellers, m³/s. */
  pumpingM3PerS: number;
  /** Liquid volume over impeller discharge, s. */
  circulationTimeS: number;
  blendTime95S: number;
  kolmogorovLengthUm: number;
  superficialGasVelocityMPerS: number;
  /** Gas flow per liquid volume per minute. */
  vvm: number;
  gasHoldup: number;
  flowNumber: number;
  floodingFlowNumber: number;
  kLaO2PerH: number;
  kLaCo2PerH: number;
  /** Absolute pressure at the bottom, Pa, and its mean over the liquid height. */
  bottomPressurePa: number;
  meanPressurePa: number;
  /** Saturation at the bottom relative to the surface (C* scales with pressure). */
  bottomSaturationRatio: number;
}

/** The figures of a vessel at an operating point (liquid volume L, agitation rpm, gas flow L/min). */
export function vesselState(
  g: VesselGeometry,
  liquidVolumeL: number,
  agitationRpm: number,
  gasFlowLPerMin: number,
  fluid: FluidProperties = CULTURE_MEDIUM,
): VesselState {
  const rho = fluid.densityKgPerM3;
  const mu = fluid.viscosityPaS;
  const n = agitationRpm / 60;
  const d = g.impeller.diameterM;
  const t = g.diameterM;
  const volumeM3 = liquidVolumeL / 1000;
  const heightM = liquidHeightM(g, liquidVolumeL);
  const submerged = impellerHeightsM(g).filter((z) => z < heightM).length;
  const type = IMPELLER_IDS[g.impeller.type];
  const np = V.powerNumber(type);
  const nq = V.pumpingNumber(type);
  const gasM3PerS = gasFlowLPerMin / 1000 / 60;
  const p0 = V.ungassedPowerW(np, rho, n, d, submerged);
  const ratio = V.gassedPowerRatio(n, d, t, gasM3PerS, rho, mu);
  const pg = p0 * ratio;
  const pv = volumeM3 > 0 ? pg / volumeM3 : 0;
  const vs = V.superficialGasVelocity(gasM3PerS, t);
  const pumping = submerged * nq * n * d ** 3;
  const kla = V.kLaVantRietPerS(pv, vs, fluid.coalescing ? 1 : 0) * 3600;
  const bottom = V.hydrostaticPressurePa(fluid.headPressurePa, rho, heightM);
  const mean = V.hydrostaticPressurePa(fluid.headPressurePa, rho, heightM / 2);
  return {
    liquidVolumeL,
    liquidHeightM: heightM,
    submergedImpellers: submerged,
    agitationRpm,
    gasFlowLPerMin,
    powerNumber: np,
    pumpingNumber: nq,
    reynolds: V.reynolds(rho, n, d, mu),
    ungassedPowerW: p0,
    gassedPowerW: pg,
    gassedPowerRatio: ratio,
    powerPerVolumeWPerM3: pv,
    epsilonWPerKg: pv / rho,
    tipSpeedMPerS: Math.PI * n * d,
    pumpingM3PerS: pumping,
    circulationTimeS: pumping > 0 ? volumeM3 / pumping : Infinity,
    blendTime95S: V.blendTime95S(np, n, d, t, heightM),
    kolmogorovLengthUm: V.kolmogorovLengthM(pv / rho, mu / rho) * 1e6,
    superficialGasVelocityMPerS: vs,
    vvm: liquidVolumeL > 0 ? gasFlowLPerMin / liquidVolumeL : 0,
    gasHoldup: V.gasHoldup(pv, vs),
    flowNumber: V.flowNumber(gasM3PerS, n, d),
    floodingFlowNumber: V.floodingFlowNumber(n, d, t),
    kLaO2PerH: kla,
    kLaCo2PerH: kla * CO2_KLA_RATIO,
    bottomPressurePa: bottom,
    meanPressurePa: mean,
    bottomSaturationRatio: bottom / fluid.headPressurePa,
  };
}

// Scale-up: from an operating point in a source vessel to the agitation and gas flow
// of a target vessel that keep one quantity constant (P/V, tip speed, kLa, blend
// time, vvm or superficial gas velocity), with the figures of both side by side and
// warnings where physics pushes back. docs/model.md §10.4.
import type { VesselGeometry } from "./geometry";
import { CULTURE_MEDIUM, vesselState, type FluidProperties, type VesselState } from "./physics";

export const SCALE_UP_CRITERIA = ["pv", "tip", "kla", "blend", "vvm", "vs"] as const;
export type ScaleUpCriterion = (typeof SCALE_UP_CRITERIA)[number];

export const CRITERION_LABELS: Record<ScaleUpCriterion, string> = {
  pv: "constant power per volume (P/V)",
  tip: "constant impeller tip speed",
  kla: "constant kLa",
  blend: "constant blend time",
  vvm: "constant gas flow per volume (vvm), agitation at constant P/V",
  vs: "constant superficial gas velocity, agitation at constant P/V",
};

export interface OperatingPoint {
  vessel: VesselGeometry;
  volumeL: number;
  agitationRpm: number;
  gasFlowLPerMin: number;
}

/** What the culture asks of the vessel at its most demanding moment (from the source run). */
export interface CultureDemand {
  /** Peak oxygen uptake rate, mmol/L/h. */
  peakOurMmolPerLPerH: number;
  /** CO2 evolution rate at that time, mmol/L/h. */
  peakCerMmolPerLPerH: number;
  /** DO setpoint, % of air saturation. */
  doSetpointPercent: number;
  /** Largest O2 fraction the cascade may give the sparge gas (0.21–1). */
  maxO2Fraction: number;
  /** O2 solubility against air at the surface, mM (mmol/L). */
  o2SaturationAirMM: number;
  /** CO2 solubility, mM per mmHg. */
  co2SolubilityMMPerMmHg: number;
}

/** Limits a warning checks (defaults for animal cells; docs/model.md §10.4). */
export interface ScaleUpLimits {
  tipSpeedMPerS: number;
  epsilonWPerKg: number;
  vvm: number;
  pco2MmHg: number;
  /** Fraction of the flooding gas flow number beyond which the impeller is near flooding. */
  floodingFraction: number;
}

export const ANIMAL_CELL_LIMITS: ScaleUpLimits = {
  tipSpeedMPerS: 1.5,
  epsilonWPerKg: 0.075,
  vvm: 0.1,
  pco2MmHg: 100,
  floodingFraction: 0.8,
};

export interface ScaleUpWarning {
  /** What the warning is about: "tip", "epsilon", "flooding", "kla", "pco2", "vvm", "criterion". */
  topic: string;
  message: string;
}

export interface ScaleUpResult {
  criterion: ScaleUpCriterion;
  source: VesselState;
  target: VesselState;
  /** kLa the culture needs at its peak demand, 1/h (NaN without a demand). */
  requiredKLaPerH: number;
  /** pCO2 expected at the peak in source and target, mmHg (NaN without a demand). */
  expectedPco2MmHg: { source: number; target: number };
  warnings: ScaleUpWarning[];
}

const MOLAR_VOLUME_L_PER_MOL = 22.414; // ideal gas at 0 °C, 1 atm (gas flows in standard litres)
const PA_PER_MMHG = 133.322;

/** Smallest N (rpm) in [lo, hi] with f(N) ≥ goal, for f rising with N; null if even hi falls short. */
function solveRising(f: (rpm: number) => number, goal: number, lo = 1e-3, hi = 5000): number | null {
  if (f(hi) < goal) return null;
  for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) < goal) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** pCO2 expected in the liquid at a CO2 evolution rate: the exit gas carries it out, the film resists it. */
function expectedPco2(state: VesselState, demand: CultureDemand): number {
  const cerPerH = demand.peakCerMmolPerLPerH * state.liquidVolumeL; // mmol/h
  const gasMmolPerH = (state.gasFlowLPerMin * 60 * 1000) / MOLAR_VOLUME_L_PER_MOL;
  const exitFraction = gasMmolPerH > 0 ? Math.min(1, cerPerH / gasMmolPerH) : 1;
  const film = state.kLaCo2PerH > 0 ? demand.peakCerMmolPerLPerH / (state.kLaCo2PerH * demand.co2SolubilityMMPerMmHg) : Infinity;
  return (exitFraction * state.meanPressurePa) / PA_PER_MMHG + film;
}

/**
 * Maps `source` onto `target` (its vessel and liquid volume) keeping `criterion`
 * constant. Gas flow follows vvm unless the criterion is "vs" (constant superficial
 * gas velocity); with `demand`, warns when kLa cannot meet the peak oxygen demand and
 * estimates pCO2.
 */
export function scaleUp(
  source: OperatingPoint,
  target: { vessel: VesselGeometry; volumeL: number },
  criterion: ScaleUpCriterion,
  options: { demand?: CultureDemand; limits?: ScaleUpLimits; fluid?: FluidProperties } = {},
): ScaleUpResult {
  const fluid = options.fluid ?? CULTURE_MEDIUM;
  const limits = options.limits ?? ANIMAL_CELL_LIMITS;
  const s = vesselState(source.vessel, source.volumeL, source.agitationRpm, source.gasFlowLPerMin, fluid);
  const warnings: ScaleUpWarning[] = [];

  const gasFlowLPerMin =
    criterion === "vs"
      ? (s.superficialGasVelocityMPerS * Math.PI * target.vessel.diameterM ** 2) / 4 * 60_000
      : (source.gasFlowLPerMin / source.volumeL) * target.volumeL;
  const at = (rpm: number) => vesselState(target.vessel, target.volumeL, rpm, gasFlowLPerMin, fluid);

  let rpm: number | null;
  switch (criterion) {
    case "tip":
      rpm = (source.agitationRpm * source.vessel.impeller.diameterM) / target.vessel.impeller.diameterM;
      break;
    case "blend":
      rpm = solveRising((n) => -at(n).blendTime95S, -s.blendTime95S);
      break;
    case "kla":
      rpm = solveRising((n) => at(n).kLaO2PerH, s.kLaO2PerH);
      break;
    default:
      rpm = solveRising((n) => at(n).powerPerVolumeWPerM3, s.powerPerVolumeWPerM3);
  }
  if (rpm === null) {
    rpm = 5000;
    warnings.push({ topic: "criterion", message: `${CRITERION_LABELS[criterion]} cannot be met below 5,000 rpm in the target vessel` });
  }
  const t = at(rpm);

  if (t.tipSpeedMPerS > limits.tipSpeedMPerS) {
    warnings.push({ topic: "tip", message: `tip speed ${t.tipSpeedMPerS.toFixed(2)} m/s is above ${limits.tipSpeedMPerS} m/s, more than animal cells are usually given` });
  }
  if (t.epsilonWPerKg > limits.epsilonWPerKg) {
    warnings.push({ topic: "epsilon", message: `mean energy dissipation ${t.epsilonWPerKg.toPrecision(3)} W/kg is above the usual ${limits.epsilonWPerKg} W/kg for animal cells` });
  }
  if (t.vvm > limits.vvm) {
    warnings.push({ topic: "vvm", message: `gas flow ${t.vvm.toPrecision(3)} vvm is above the usual ${limits.vvm} vvm for animal cells (foam, bubble damage)` });
  }
  if (t.flowNumber > limits.floodingFraction * t.floodingFlowNumber) {
    warnings.push({
      topic: "flooding",
      message: `gas flow number ${t.flowNumber.toPrecision(3)} is ${t.flowNumber > t.floodingFlowNumber ? "beyond" : "near"} the flooding point ${t.floodingFlowNumber.toPrecision(3)}: the impeller no longer disperses the gas`,
    });
  }

  let requiredKLaPerH = Number.NaN;
  const expectedPco2MmHg = { source: Number.NaN, target: Number.NaN };
  const demand = options.demand;
  if (demand) {
    // The largest driving force the cascade can give: pure-O2-enriched gas at mean pressure vs the setpoint.
    const saturation = demand.o2SaturationAirMM * (demand.maxO2Fraction / 0.21) * (t.meanPressurePa / fluid.headPressurePa);
    const setpoint = demand.o2SaturationAirMM * (demand.doSetpointPercent / 100);
    requiredKLaPerH = saturation > setpoint ? demand.peakOurMmolPerLPerH / (saturation - setpoint) : Infinity;
    if (t.kLaO2PerH < requiredKLaPerH) {
      warnings.push({
        topic: "kla",
        message: `kLa ${t.kLaO2PerH.toPrecision(3)} 1/h cannot meet the peak oxygen demand (${demand.peakOurMmolPerLPerH.toPrecision(3)} mmol/L/h needs ≥ ${requiredKLaPerH.toPrecision(3)} 1/h even with ${Math.round(demand.maxO2Fraction * 100)} % O2)`,
      });
    }
    expectedPco2MmHg.source = expectedPco2(s, demand);
    expectedPco2MmHg.target = expectedPco2(t, demand);
    if (expectedPco2MmHg.target > limits.pco2MmHg) {
      warnings.push({
        topic: "pco2",
        message: `pCO2 will accumulate: about ${expectedPco2MmHg.target.toFixed(0)} mmHg expected at the peak (source ${expectedPco2MmHg.source.toFixed(0)} mmHg), above ${limits.pco2MmHg} mmHg`,
      });
    }
  }
  return { criterion, source: s, target: t, requiredKLaPerH, expectedPco2MmHg, warnings };
}

// Result columns of the vessel physics over a run: from each output row's agitation,
// gas flow and volume, the engine derives P/V, tip speed, Reynolds number, blend and
// circulation time, Kolmogorov length, gas velocity, vvm and hold-up (docs/model.md
// §10.1), so they can be charted and exported beside the culture. Only for CHO runs
// with a vessel in the scenario.
import type { ColumnSpec } from "../models/adapter";
import type { Scenario } from "../scenario";
import { isChoScenario } from "../scenario";
import { CULTURE_MEDIUM, vesselState, type VesselState } from "./physics";
import { resolveVessel } from "./resolve";

/** Derived columns appended after the core's, and how to compute one row of them. */
export interface DerivedColumns {
  specs: ColumnSpec[];
  /** The column names each row's values are computed from, in the order `compute` takes them. */
  inputs: string[];
  compute(inputs: number[], out: Float64Array, offset: number): void;
}

const VESSEL_COLUMNS: [ColumnSpec, (s: VesselState) => number][] = [
  [{ name: "power_per_volume", unit: "W/m³", description: "gassed impeller power per liquid volume" }, (s) => s.powerPerVolumeWPerM3],
  [{ name: "energy_dissipation", unit: "W/kg", description: "mean energy dissipation rate" }, (s) => s.epsilonWPerKg],
  [{ name: "tip_speed", unit: "m/s", description: "impeller tip speed" }, (s) => s.tipSpeedMPerS],
  [{ name: "reynolds", unit: "1", description: "impeller Reynolds number" }, (s) => s.reynolds],
  [{ name: "blend_time", unit: "s", description: "95 % blend time" }, (s) => s.blendTime95S],
  [{ name: "circulation_time", unit: "s", description: "liquid volume over impeller discharge" }, (s) => s.circulationTimeS],
  [{ name: "kolmogorov_length", unit: "µm", description: "Kolmogorov length of the mean dissipation" }, (s) => s.kolmogorovLengthUm],
  [{ name: "superficial_gas_velocity", unit: "m/s", description: "sparged gas flow over the vessel cross-section" }, (s) => s.superficialGasVelocityMPerS],
  [{ name: "vvm", unit: "1/min", description: "gas flow per liquid volume per minute" }, (s) => s.vvm],
  [{ name: "gas_holdup", unit: "1", description: "gas volume fraction of the dispersion" }, (s) => s.gasHoldup],
  [{ name: "liquid_height", unit: "m", description: "height of the (ungassed) liquid surface above the bottom" }, (s) => s.liquidHeightM],
];

/** Names, units and descriptions of the vessel columns, in order. */
export const VESSEL_COLUMN_SPECS: readonly ColumnSpec[] = VESSEL_COLUMNS.map(([spec]) => spec);

/** The vessel columns of a CHO scenario with a vessel, or null. */
export function vesselColumns(scenario: Scenario): DerivedColumns | null {
  if (!isChoScenario(scenario) || scenario.reactor.vessel === undefined) return null;
  const vessel = resolveVessel(scenario);
  const fluid = {
    ...CULTURE_MEDIUM,
    headPressurePa: scenario.reactor.pressureAtm * 101_325,
    coalescing: scenario.reactor.vessel.kLaCorrelation !== "vant-riet-non-coalescing",
  };
  return {
    specs: [...VESSEL_COLUMN_SPECS],
    inputs: ["agitation", "gas_flow", "volume"],
    compute([agitationRpm, gasFlowLPerMin, volumeL], out, offset) {
      const state = vesselState(vessel, volumeL, agitationRpm, gasFlowLPerMin, fluid);
      VESSEL_COLUMNS.forEach(([, pick], i) => {
        const v = pick(state);
        out[offset + i] = Number.isFinite(v) ? v : NaN;
      });
    },
  };
}

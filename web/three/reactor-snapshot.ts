// The state of the reactor that the 3D view draws: the last row of a run, read into one
// reused object by column name. Missing columns (a microbial run has no pH) read as NaN.
// No three.js here: the element reads snapshots in its animation loop and hands them on.
import type { RunData } from "../model/run-data";
import { LIQUID_FIELDS, type LiquidField } from "./liquid-fields";

/** The probes the view draws, each reading one run column. */
export type ProbeId = "ph" | "do" | "pco2" | "conductivity";

export interface ProbeSpec {
  id: ProbeId;
  label: string;
  column: string;
  unit: string;
  digits: number;
  /** Tip colour (#rrggbb), also the swatch of the read-out. */
  color: string;
}

export const PROBES: readonly ProbeSpec[] = [
  { id: "ph", label: "pH probe", column: "ph", unit: "pH", digits: 2, color: "#2f6fd6" },
  { id: "do", label: "DO probe", column: "do_saturation", unit: "% air sat.", digits: 1, color: "#e07b1a" },
  { id: "pco2", label: "pCO₂ probe", column: "pco2", unit: "mmHg", digits: 1, color: "#2e9e4f" },
  { id: "conductivity", label: "Conductivity probe", column: "conductivity", unit: "mS/cm", digits: 2, color: "#8c4fc9" },
];

/**
 * The zones of a compartment model of a large tank (docs/model.md §11): `count` zones
 * stacked from the top (zone 0) to the bottom, with the value of the view's current field
 * in each (`values[z]`, in the field's unit; NaN: no value). `fractions[z]` is zone z's
 * share of the liquid volume (engine/models/cho-zones.ts zoneLayout; they sum to 1); absent,
 * the zones are equal-height slices of the current liquid. `probeZone`: the zone of the DO
 * and pH probes, marked in the read-out (absent: not marked).
 */
export interface ReactorZones {
  count: number;
  values: Float64Array;
  fractions?: readonly number[];
  probeZone?: number;
}

/** The state of one zone that the view's read-out shows, each in its usual unit (NaN: not in the run). */
export interface ZoneState {
  doPercent: number;
  ph: number;
  pco2MmHg: number;
  glucoseMM: number;
  lactateMM: number;
}

/** The per-zone columns of a zoned CHO run (engine/models/cho-zones.ts zoneColumn) that a zone's read-out shows. */
export const ZONE_STATE_COLUMNS: Readonly<Record<keyof ZoneState, string>> = {
  doPercent: "do_saturation",
  ph: "ph",
  pco2MmHg: "pco2",
  glucoseMM: "glucose",
  lactateMM: "lactate",
};

/** Reads zone z's state from the last row of `run` (columns zone_<z>_<name>). */
export function readZoneState(run: RunData | null, z: number): ZoneState {
  const at = (name: string) => (run ? last(run, `zone_${z}_${name}`) : Number.NaN);
  return {
    doPercent: at(ZONE_STATE_COLUMNS.doPercent),
    ph: at(ZONE_STATE_COLUMNS.ph),
    pco2MmHg: at(ZONE_STATE_COLUMNS.pco2MmHg),
    glucoseMM: at(ZONE_STATE_COLUMNS.glucoseMM),
    lactateMM: at(ZONE_STATE_COLUMNS.lactateMM),
  };
}

export interface ReactorSnapshot {
  /** Rows the snapshot was read from (0: no data yet). */
  rows: number;
  /** Time of the row, h. */
  timeH: number;
  /** Liquid volume, L. */
  volumeL: number;
  /** Impeller speed, rpm (NaN: not in the run). */
  agitationRpm: number;
  /** Sparge gas flow, L/min (NaN: not in the run). */
  gasFlowLPerMin: number;
  /** Cumulative base added, L (NaN: not in the run). */
  baseAddedL: number;
  /** Continuous feed rate, L/h (NaN: not in the run). */
  feedRateLPerH: number;
  /** How full the drawn cell cloud is, 0..1 (total cells over CELL_CLOUD_FULL_*). */
  cellFill: number;
  /** Dead share of all cells, 0..1. */
  deadShare: number;
  /** The value of every liquid field, in that field's unit (NaN: not in the run). */
  fields: Record<LiquidField, number>;
  /** The value of every probe, in the probe's unit (NaN: not in the run). */
  probes: Record<ProbeId, number>;
}

/** Total CHO cell density at which the cloud draws every cell it may, 1e6 cells/mL. */
const CELL_CLOUD_FULL_E6_PER_ML = 20;
/** Total microbial biomass at which the cloud draws every cell it may, g/L. */
const CELL_CLOUD_FULL_BIOMASS_G_PER_L = 40;

export function emptySnapshot(): ReactorSnapshot {
  return {
    rows: 0,
    timeH: 0,
    volumeL: Number.NaN,
    agitationRpm: Number.NaN,
    gasFlowLPerMin: Number.NaN,
    baseAddedL: Number.NaN,
    feedRateLPerH: Number.NaN,
    cellFill: 0,
    deadShare: 0,
    fields: { do: Number.NaN, ph: Number.NaN, pco2: Number.NaN, glucose: Number.NaN, lactate: Number.NaN, temperature: Number.NaN },
    probes: { ph: Number.NaN, do: Number.NaN, pco2: Number.NaN, conductivity: Number.NaN },
  };
}

/** The last value of a column, NaN when the run has no such column or no rows. */
function last(run: RunData, column: string): number {
  if (run.length === 0 || !run.has(column)) return Number.NaN;
  return run.column(column)[run.length - 1];
}

/** Reads the last row of `run` into `out` (reused). Called by the element when run.version changes. */
export function readSnapshot(run: RunData | null, out: ReactorSnapshot): ReactorSnapshot {
  if (!run || run.length === 0) {
    Object.assign(out, emptySnapshot());
    return out;
  }
  out.rows = run.length;
  out.timeH = run.lastTimeH;
  out.volumeL = last(run, "volume");
  out.agitationRpm = last(run, "agitation");
  out.gasFlowLPerMin = last(run, "gas_flow");
  out.baseAddedL = last(run, "base_added");
  out.feedRateLPerH = last(run, "feed_rate");
  let live: number;
  let dead: number;
  let full: number;
  if (run.has("viable_cells")) {
    live = last(run, "viable_cells");
    dead = last(run, "dead_cells");
    full = CELL_CLOUD_FULL_E6_PER_ML;
  } else {
    live = last(run, "biomass");
    dead = last(run, "dead_biomass");
    full = CELL_CLOUD_FULL_BIOMASS_G_PER_L;
  }
  live = Number.isFinite(live) ? Math.max(0, live) : 0;
  dead = Number.isFinite(dead) ? Math.max(0, dead) : 0;
  out.cellFill = Math.min(1, (live + dead) / full);
  out.deadShare = live + dead > 0 ? dead / (live + dead) : 0;
  for (const spec of Object.values(LIQUID_FIELDS)) out.fields[spec.field] = last(run, spec.column);
  for (const probe of PROBES) out.probes[probe.id] = last(run, probe.column);
  return out;
}

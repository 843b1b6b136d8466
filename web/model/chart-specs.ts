// Which charts the app shows for each cell model, as plain data: the result columns
// each chart plots, on which axis, with which colour. <bt-chart> draws one spec and
// <bt-chart-panel> lays out the list; tests/chart-specs.test.ts checks every column
// and unit against the models' adapters in engine/models/.

export type ChartModel = "cho" | "microbial";

/** One y axis. Every series on it has this unit, so the axis title can carry it. */
export interface AxisSpec {
  /** Axis title without the unit ("Cells"); the chart appends " [unit]". */
  label: string;
  unit: string;
  /** A fixed domain (viability 0–100 %); null lets the axis grow to fit the data. */
  domain?: readonly [number, number];
  /** Whether a growing axis starts at 0 (concentrations); false for pH, DO and the like. */
  includeZero?: boolean;
}

/** How a line is drawn: "value" for a measured or modelled quantity, "setpoint" thin and dotted. */
export type SeriesRole = "value" | "setpoint";

export interface SeriesSpec {
  /** Column name in the run's result (engine/models/*.ts). */
  column: string;
  /** Legend label. */
  label: string;
  /** Unit of the column, as the model names it; equals the unit of its axis. */
  unit: string;
  axis: "left" | "right";
  /** Line colour (CSS colour). */
  color: string;
  role?: SeriesRole;
}

export interface ChartSpec {
  /** Stable id, used in file names of exports (`biotwin-<id>.svg`). */
  id: string;
  title: string;
  left: AxisSpec;
  right?: AxisSpec;
  series: readonly SeriesSpec[];
}

/**
 * Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008), without its
 * yellow, which is unreadable on white.
 */
export const PALETTE = {
  blue: "#0072B2",
  vermillion: "#D55E00",
  green: "#009E73",
  purple: "#CC79A7",
  orange: "#E69F00",
  sky: "#56B4E9",
  black: "#222222",
  grey: "#7A7A7A",
} as const;

const C = PALETTE;

const CHO_CHARTS: readonly ChartSpec[] = [
  {
    id: "cells",
    title: "Cells",
    left: { label: "Cell density", unit: "1e6 cells/mL", includeZero: true },
    right: { label: "Viability", unit: "%", domain: [0, 100] },
    series: [
      { column: "viable_cells", label: "Viable cells", unit: "1e6 cells/mL", axis: "left", color: C.blue },
      { column: "dead_cells", label: "Dead cells", unit: "1e6 cells/mL", axis: "left", color: C.vermillion },
      { column: "viability", label: "Viability", unit: "%", axis: "right", color: C.green },
    ],
  },
  {
    id: "metabolites",
    title: "Substrates and by-products",
    left: { label: "Concentration", unit: "mM", includeZero: true },
    series: [
      { column: "glucose", label: "Glucose", unit: "mM", axis: "left", color: C.blue },
      { column: "glutamine", label: "Glutamine", unit: "mM", axis: "left", color: C.green },
      { column: "lactate", label: "Lactate", unit: "mM", axis: "left", color: C.vermillion },
      { column: "ammonium", label: "Ammonium", unit: "mM", axis: "left", color: C.purple },
    ],
  },
  {
    id: "titer",
    title: "Antibody titer",
    left: { label: "Titer", unit: "g/L", includeZero: true },
    series: [{ column: "titer", label: "Titer", unit: "g/L", axis: "left", color: C.blue }],
  },
  {
    id: "dissolved-oxygen",
    title: "Dissolved oxygen",
    left: { label: "DO", unit: "% air sat.", includeZero: true },
    series: [
      { column: "do_saturation", label: "DO", unit: "% air sat.", axis: "left", color: C.blue },
      { column: "do_setpoint", label: "DO setpoint", unit: "% air sat.", axis: "left", color: C.grey, role: "setpoint" },
    ],
  },
  {
    // Only zoned runs have these columns: the app derives them from the zone_<z>_* columns
    // (web/model/zone-columns.ts); otherwise the chart is left out.
    id: "zones",
    title: "Zones: DO and glucose spread",
    left: { label: "DO", unit: "% air sat.", includeZero: true },
    right: { label: "Glucose", unit: "mM", includeZero: true },
    series: [
      { column: "zones_do_probe", label: "DO, probe zone", unit: "% air sat.", axis: "left", color: C.blue },
      { column: "zones_do_min", label: "DO, lowest zone", unit: "% air sat.", axis: "left", color: C.vermillion },
      { column: "zones_do_max", label: "DO, highest zone", unit: "% air sat.", axis: "left", color: C.sky },
      { column: "zones_glucose_probe", label: "Glucose, probe zone", unit: "mM", axis: "right", color: C.green },
      { column: "zones_glucose_min", label: "Glucose, lowest zone", unit: "mM", axis: "right", color: C.orange },
      { column: "zones_glucose_max", label: "Glucose, highest zone", unit: "mM", axis: "right", color: C.purple },
    ],
  },
  {
    id: "ph",
    title: "pH",
    left: { label: "pH", unit: "pH" },
    series: [
      { column: "ph", label: "pH", unit: "pH", axis: "left", color: C.vermillion },
      { column: "ph_setpoint", label: "pH setpoint", unit: "pH", axis: "left", color: C.grey, role: "setpoint" },
    ],
  },
  {
    id: "pco2",
    title: "Dissolved CO₂",
    left: { label: "pCO₂", unit: "mmHg", includeZero: true },
    series: [{ column: "pco2", label: "pCO₂", unit: "mmHg", axis: "left", color: C.green }],
  },
  {
    id: "conductivity",
    title: "Conductivity",
    left: { label: "Conductivity", unit: "mS/cm" },
    series: [{ column: "conductivity", label: "Conductivity", unit: "mS/cm", axis: "left", color: C.purple }],
  },
  {
    id: "volume",
    title: "Volume and feeds",
    left: { label: "Volume", unit: "L", includeZero: true },
    right: { label: "Feed rate", unit: "L/h", includeZero: true },
    series: [
      { column: "volume", label: "Volume", unit: "L", axis: "left", color: C.blue },
      { column: "base_added", label: "Base added", unit: "L", axis: "left", color: C.purple },
      { column: "feed_rate", label: "Feed rate", unit: "L/h", axis: "right", color: C.orange },
    ],
  },
  {
    id: "do-cascade",
    title: "DO cascade: agitation and gas flow",
    left: { label: "Agitation", unit: "rpm", includeZero: true },
    right: { label: "Gas flow", unit: "L/min", includeZero: true },
    series: [
      { column: "agitation", label: "Agitation", unit: "rpm", axis: "left", color: C.blue },
      { column: "gas_flow", label: "Gas flow", unit: "L/min", axis: "right", color: C.orange },
    ],
  },
  {
    id: "gas-and-base",
    title: "Gas composition and base",
    left: { label: "Fraction in sparge gas", unit: "%", includeZero: true },
    right: { label: "Base rate", unit: "mL/h", includeZero: true },
    series: [
      { column: "o2_fraction", label: "O₂ fraction", unit: "%", axis: "left", color: C.sky },
      { column: "co2_fraction", label: "CO₂ fraction", unit: "%", axis: "left", color: C.green },
      { column: "base_rate", label: "Base rate", unit: "mL/h", axis: "right", color: C.purple },
    ],
  },
  {
    // Only runs with reactor.vessel have these columns (engine/vessel/columns.ts); otherwise the chart is left out.
    id: "vessel",
    title: "Vessel: power and tip speed",
    left: { label: "P/V (gassed)", unit: "W/m³", includeZero: true },
    right: { label: "Tip speed", unit: "m/s", includeZero: true },
    series: [
      { column: "power_per_volume", label: "P/V", unit: "W/m³", axis: "left", color: C.blue },
      { column: "tip_speed", label: "Tip speed", unit: "m/s", axis: "right", color: C.vermillion },
    ],
  },
];

const MICROBIAL_CHARTS: readonly ChartSpec[] = [
  {
    id: "biomass",
    title: "Biomass",
    left: { label: "Biomass", unit: "g/L", includeZero: true },
    right: { label: "Viability", unit: "%", domain: [0, 100] },
    series: [
      { column: "biomass", label: "Viable biomass", unit: "g/L", axis: "left", color: C.blue },
      { column: "dead_biomass", label: "Dead biomass", unit: "g/L", axis: "left", color: C.vermillion },
      { column: "viability", label: "Viability", unit: "%", axis: "right", color: C.green },
    ],
  },
  {
    id: "substrate",
    title: "Substrate",
    left: { label: "Substrate", unit: "g/L", includeZero: true },
    series: [{ column: "substrate", label: "Substrate", unit: "g/L", axis: "left", color: C.orange }],
  },
  {
    id: "product",
    title: "Product",
    left: { label: "Product", unit: "g/L", includeZero: true },
    series: [{ column: "product", label: "Product", unit: "g/L", axis: "left", color: C.purple }],
  },
  {
    id: "dissolved-oxygen",
    title: "Dissolved oxygen",
    left: { label: "DO", unit: "% air sat.", includeZero: true },
    series: [{ column: "do_saturation", label: "DO", unit: "% air sat.", axis: "left", color: C.blue }],
  },
  {
    id: "volume",
    title: "Volume and feed",
    left: { label: "Volume", unit: "L", includeZero: true },
    right: { label: "Feed rate", unit: "L/h", includeZero: true },
    series: [
      { column: "volume", label: "Volume", unit: "L", axis: "left", color: C.blue },
      { column: "feed_rate", label: "Feed rate", unit: "L/h", axis: "right", color: C.orange },
    ],
  },
];

/** The charts of a cell model, in display order. */
export function chartSpecsFor(model: ChartModel): readonly ChartSpec[] {
  return model === "cho" ? CHO_CHARTS : MICROBIAL_CHARTS;
}

/**
 * The spec restricted to the series whose column exists in one of the given runs
 * (`has` is RunData.has), or null when none does. With no run yet, the spec as is.
 */
export function presentSeries(spec: ChartSpec, runs: readonly ({ has(name: string): boolean } | null)[]): ChartSpec | null {
  const known = runs.filter((r): r is { has(name: string): boolean } => r !== null);
  if (known.length === 0) return spec;
  const series = spec.series.filter((s) => known.some((r) => r.has(s.column)));
  if (series.length === spec.series.length) return spec;
  if (series.length === 0) return null;
  const right = series.some((s) => s.axis === "right") ? spec.right : undefined;
  return { ...spec, series, right };
}

/** Axis title with its unit: "Cell density [1e6 cells/mL]"; a unit equal to the label is not repeated ("pH"). */
export function axisTitle(axis: AxisSpec): string {
  return axis.unit === axis.label ? axis.label : `${axis.label} [${axis.unit}]`;
}

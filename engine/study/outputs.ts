// What a study keeps of each run, read from a SimulationResult: its outputs (a value
// the run cannot give, no such column or a time outside the run, is NaN) and, when the
// study asks, columns over time on a regular grid (trajectories).
import { computeKpis } from "../kpis";
import type { SimulationResult } from "../simulate";
import { outputName, trajectoriesOf, type OUTPUT_IDS, type StudyOutput, type StudySpec } from "./spec";

function extreme(values: Float64Array | undefined, pick: (a: number, b: number) => number): number {
  if (!values || values.length === 0) return NaN;
  let best = values[0];
  for (let i = 1; i < values.length; i++) best = pick(best, values[i]);
  return best;
}

/** Hours with the mean pH of an output interval outside [low, high]. */
function hoursOutside(t: Float64Array, ph: Float64Array | undefined, low: number, high: number): number {
  if (!ph) return NaN;
  let hours = 0;
  for (let i = 1; i < t.length; i++) {
    const mid = 0.5 * (ph[i] + ph[i - 1]);
    if (mid < low || mid > high) hours += t[i] - t[i - 1];
  }
  return hours;
}

/** The value of `y` at time `atH` by linear interpolation; NaN outside the run. */
function valueAt(t: Float64Array, y: Float64Array | undefined, atH: number): number {
  if (!y || t.length === 0 || atH < t[0] || atH > t[t.length - 1]) return NaN;
  let i = 1;
  while (i < t.length - 1 && t[i] < atH) i++;
  if (t.length === 1 || t[i] === t[i - 1]) return y[i];
  const f = (atH - t[i - 1]) / (t[i] - t[i - 1]);
  return y[i - 1] + Math.max(0, Math.min(1, f)) * (y[i] - y[i - 1]);
}

/** Each output of the study for a run, by output name, in the order listed. */
export function extractOutputs(result: SimulationResult, outputs: readonly StudyOutput[]): Record<string, number> {
  const byName = new Map(result.columns.map((c) => [c.name, c.values]));
  const column = (n: string) => byName.get(n);
  const t = column("time") ?? new Float64Array(0);
  const kpis = computeKpis(column, { harvested: result.metadata.status === "harvested", finished: result.metadata.status !== "failed" });
  const kpi = (id: string) => kpis.find((k) => k.id === id)!.value;
  const value = (o: StudyOutput): number => {
    if (typeof o !== "string") return o.kpi === "timeOutsidePh" ? hoursOutside(t, column("ph"), o.low, o.high) : valueAt(t, column(o.column), o.atH);
    switch (o) {
      case "finalTiter":
        return kpi("finalTiter");
      case "peakViableDensity":
        return kpi("peakDensity");
      case "ivc":
        return kpi("ivc");
      case "harvestDay":
        return kpi("harvestDay");
      case "peakLactate":
        return extreme(column("lactate"), Math.max);
      case "peakAmmonium":
        return extreme(column("ammonium"), Math.max);
      case "maxPco2":
        return extreme(column("pco2"), Math.max);
      case "minDo":
        return extreme(column("do_saturation"), Math.min);
    }
  };
  return Object.fromEntries(outputs.map((o) => [outputName(o), value(o)]));
}

/** Columns of a run at 0, everyH, 2·everyH ... h up to its last time; NaN where a column is missing (null in JSON). */
export interface RunTrajectories {
  tH: number[];
  values: Record<string, number[]>;
}

/**
 * The kept columns of a run, by linear interpolation at tH = i·everyH for i = 0, 1, ...
 * while tH ≤ the run's last time (a run that stops early has fewer points).
 */
export function extractTrajectories(result: SimulationResult, trajectories: { columns: readonly string[]; everyH: number }): RunTrajectories {
  const byName = new Map(result.columns.map((c) => [c.name, c.values]));
  const t = byName.get("time") ?? new Float64Array(0);
  const endH = t.length > 0 ? t[t.length - 1] : -Infinity;
  const tH: number[] = [];
  // i·everyH, not a running sum, so the grid is the same in every run; the tolerance keeps
  // a last point that rounding puts a hair past the end.
  for (let i = 0; i * trajectories.everyH <= endH + 1e-9 * Math.max(1, endH); i++) tH.push(i * trajectories.everyH);
  const values: Record<string, number[]> = {};
  for (const name of trajectories.columns) {
    const y = byName.get(name);
    values[name] = y ? resample(t, y, tH) : tH.map(() => NaN);
  }
  return { tH, values };
}

/** y(t) at each of the ascending times `at`, linearly interpolated, clamped to the ends. */
function resample(t: Float64Array, y: Float64Array, at: readonly number[]): number[] {
  const out: number[] = [];
  let i = 1;
  for (const x of at) {
    if (t.length === 1 || x <= t[0]) {
      out.push(y[0]);
      continue;
    }
    while (i < t.length - 1 && t[i] < x) i++;
    const span = t[i] - t[i - 1];
    const f = span > 0 ? Math.max(0, Math.min(1, (x - t[i - 1]) / span)) : 1;
    out.push(y[i - 1] + f * (y[i] - y[i - 1]));
  }
  return out;
}

/** Columns the KPIs read (engine/kpis.ts): viable_cells tells a CHO run from a microbial one (biomass, product). */
const KPI_COLUMNS: Record<(typeof OUTPUT_IDS)[number], readonly string[]> = {
  finalTiter: ["viable_cells", "titer", "product"],
  peakViableDensity: ["viable_cells", "biomass"],
  ivc: ["viable_cells", "biomass"],
  harvestDay: [],
  peakLactate: ["lactate"],
  peakAmmonium: ["ammonium"],
  maxPco2: ["pco2"],
  minDo: ["do_saturation"],
};

/**
 * The result columns a study reads of each run, "time" first, each once: those its
 * outputs and kept trajectories need. A KPI lists the columns of both cell models (CHO
 * and microbial), since the study alone does not say which model the base scenario has.
 */
export function studyColumns(study: StudySpec): string[] {
  const columns = new Set<string>(["time"]);
  for (const o of study.outputs) {
    if (typeof o === "string") KPI_COLUMNS[o].forEach((c) => columns.add(c));
    else columns.add(o.kpi === "timeOutsidePh" ? "ph" : o.column);
  }
  trajectoriesOf(study)?.columns.forEach((c) => columns.add(c));
  return [...columns];
}

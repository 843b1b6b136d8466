// The numbers a study keeps of each run (its outputs), read from a SimulationResult.
// A value the run cannot give (no such column, time outside the run) is NaN.
import { computeKpis } from "../kpis";
import type { SimulationResult } from "../simulate";
import { outputName, type StudyOutput } from "./spec";

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

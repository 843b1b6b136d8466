// Plain helpers over a run's cell lifelines (engine/lifelines.ts, docs/model.md §12) for the
// app: labels with units, the histogram shown at a time, the CSV export of the histograms,
// inverse-CDF sampling of a histogram (the 3D view colours its cells with it) and the
// buffers that cross the worker boundary. No DOM, no three.js.
import type { LifelineQuantity, LifelinesResult } from "../../engine/lifelines";

/** How the panel and the 3D view name each lifeline quantity (engine names as keys). */
export const LIFELINE_LABELS: Readonly<Record<string, { label: string; unit: string; digits: number }>> = {
  exposure_low_do: { label: "Exposure to low DO", unit: "h", digits: 2 },
  exposure_high_glucose: { label: "Exposure to high glucose", unit: "h", digits: 2 },
  exposure_high_pco2: { label: "Exposure to high pCO₂", unit: "h", digits: 2 },
  specific_productivity: { label: "Specific productivity qP", unit: "pg/cell/day", digits: 1 },
  growth_rate: { label: "Growth rate μ", unit: "1/h", digits: 4 },
  internal_state: { label: "Internal stress state", unit: "–", digits: 3 },
  do_saturation: { label: "DO", unit: "% air sat.", digits: 1 },
  glucose: { label: "Glucose", unit: "mM", digits: 1 },
  pco2: { label: "pCO₂", unit: "mmHg", digits: 1 },
};

/** Label, unit and decimals of a quantity or seen value; falls back to the engine's name and unit. */
export function lifelineLabel(name: string, unit = ""): { label: string; unit: string; digits: number } {
  return LIFELINE_LABELS[name] ?? { label: name, unit, digits: 3 };
}

/** Index of the last histogram time at or before `timeH` (h); 0 when all are later. */
export function histogramIndexAt(times: ArrayLike<number>, timeH: number): number {
  let index = 0;
  for (let i = 0; i < times.length; i++) if (times[i] <= timeH + 1e-9 * Math.max(1, Math.abs(timeH))) index = i;
  return index;
}

/** Lower and upper edge of bin `b` of `bins` fixed bins from 0 to `upper`. */
export function binEdges(upper: number, bins: number, b: number): [number, number] {
  return [(upper * b) / bins, (upper * (b + 1)) / bins];
}

function csvNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(10))) : "";
}

/**
 * The histograms as CSV: one row per histogram time and bin; for every quantity the bin's
 * lower and upper edge (in the quantity's unit) and the agents in it. Header `name [unit]`
 * as the result's CSV (engine/export.ts). The last bin also holds every agent above its upper edge.
 */
export function lifelinesCsv(lifelines: LifelinesResult): string {
  const header = ["time [h]", "bin"];
  for (const q of lifelines.quantities) {
    const unit = q.unit === "–" ? "1" : q.unit;
    header.push(`${q.name}_lower [${unit}]`, `${q.name}_upper [${unit}]`, `${q.name}_agents [cells]`);
  }
  const lines = [header.join(",")];
  for (let t = 0; t < lifelines.times.length; t++) {
    for (let b = 0; b < lifelines.bins; b++) {
      const row = [csvNumber(lifelines.times[t]), String(b)];
      for (const q of lifelines.quantities) {
        const [lower, upper] = binEdges(q.upper, lifelines.bins, b);
        row.push(csvNumber(lower), csvNumber(upper), csvNumber(q.histograms[t][b]));
      }
      lines.push(row.join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `n` values spread over the distribution of a histogram: value i is the (i + ½)/n quantile
 * of the counts, taken linearly within its bin (inverse-CDF sampling on a regular grid of
 * probabilities). A uniform random u in [0, 1) picks value ⌊u n⌋, which is then a draw from
 * the histogram. All zeros when the histogram is empty.
 */
export function histogramQuantiles(counts: ArrayLike<number>, upper: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const bins = counts.length;
  let total = 0;
  for (let b = 0; b < bins; b++) total += Math.max(0, counts[b]);
  if (!(total > 0) || bins === 0) return out;
  const width = upper / bins;
  let b = 0;
  let below = 0; // agents in bins before b
  for (let i = 0; i < n; i++) {
    const target = ((i + 0.5) / n) * total;
    while (b < bins - 1 && below + Math.max(0, counts[b]) < target) {
      below += Math.max(0, counts[b]);
      b++;
    }
    const inBin = Math.max(0, counts[b]);
    const share = inBin > 0 ? Math.min(1, Math.max(0, (target - below) / inBin)) : 0.5;
    out[i] = (b + share) * width;
  }
  return out;
}

/** One lifeline quantity's histogram at one time: what the 3D view samples its cell colours from. */
export interface LifelineDistribution {
  /** Engine name of the quantity (internal_state, specific_productivity, ...). */
  name: string;
  label: string;
  unit: string;
  /** The histogram's time, h. */
  timeH: number;
  /** Upper edge of the last bin (the first starts at 0), in `unit`. */
  upper: number;
  /** Agents per bin. */
  counts: Float64Array;
  /** Population mean, in `unit`. */
  mean: number;
}

/** The histogram of quantity `name` at the last histogram time at or before `timeH`; null when the run has no such quantity. */
export function lifelineDistribution(lifelines: LifelinesResult, name: string, timeH: number): LifelineDistribution | null {
  const q: LifelineQuantity | undefined = lifelines.quantities.find((x) => x.name === name);
  if (!q || lifelines.times.length === 0) return null;
  const t = histogramIndexAt(lifelines.times, timeH);
  const { label, unit } = lifelineLabel(q.name, q.unit);
  return { name: q.name, label, unit, timeH: lifelines.times[t], upper: q.upper, counts: q.histograms[t], mean: q.mean[t] };
}

/** Every distinct ArrayBuffer inside a lifelines result, to transfer it across a worker boundary. */
export function lifelineBuffers(lifelines: LifelinesResult): ArrayBuffer[] {
  const arrays: Float64Array[] = [
    lifelines.times,
    ...lifelines.quantities.flatMap((q) => [...q.histograms, q.mean, q.sd]),
    ...lifelines.seen.flatMap((s) => [s.mean, s.sd, s.zoneMean]),
    lifelines.zoneMeans.qp,
    lifelines.zoneMeans.mu,
    ...lifelines.occupancy,
  ];
  const agents = [lifelines.agents.zone.buffer, lifelines.agents.state.buffer] as ArrayBuffer[];
  return [...new Set([...arrays.map((a) => a.buffer as ArrayBuffer), ...agents])];
}

// Cell lifelines of a zone run (docs/model.md §12): sets the core's lifelines up from
// `reactor.zones.lifelines`, runs them over the finished run's output rows and turns
// the core's buffers into named histograms and means with units.
import * as L from "../assembly/layout";
import type { Core } from "./core-bridge";
import type { ChoScenario, Scenario } from "./scenario";

/** One histogram quantity: fixed bins from 0 to `upper` (the last bin also holds everything above). */
export interface LifelineQuantity {
  name: string;
  unit: string;
  description: string;
  /** Upper edge of the last bin; the lower edge of the first is 0. */
  upper: number;
  /** Agents per bin, one Float64Array of `bins` counts per histogram time. */
  histograms: Float64Array[];
  /** Population mean and standard deviation at each histogram time. */
  mean: Float64Array;
  sd: Float64Array;
}

/** A quantity the agents see in their zone, against the volume-weighted mean over the zones. */
export interface LifelineSeen {
  name: string;
  unit: string;
  /** Mean and standard deviation over the agents of their zone's value. */
  mean: Float64Array;
  sd: Float64Array;
  /** The volume-weighted mean over the zones at the same time. */
  zoneMean: Float64Array;
}

export interface LifelinesResult {
  count: number;
  seed: number;
  /** The agent step actually used (the output interval is a whole number of steps), s. */
  stepS: number;
  bins: number;
  /** Histogram times, h. */
  times: Float64Array;
  quantities: LifelineQuantity[];
  seen: LifelineSeen[];
  /** Volume-weighted zone means of qP (pg/cell/day) and μ (1/h): what the agents' means should be with no response. */
  zoneMeans: { qp: Float64Array; mu: Float64Array };
  /** Agents per zone (zone 0 at the top) at each histogram time. */
  occupancy: Float64Array[];
  /**
   * The first agents (at most MAX_AGENTS_SHOWN; agents are alike in law, so these are a
   * random sample) as they are at the end of the run, for the 3D view to draw: each one's
   * zone and internal state. Not written to JSON.
   */
  agents: { timeH: number; zone: Uint8Array; state: Float32Array };
}

/** Most agents whose zone and state the result keeps for the 3D view (its largest cell cloud). */
export const MAX_AGENTS_SHOWN = 100_000;

const QUANTITIES: [number, string, string, string][] = [
  [L.LQ_EXPOSURE_DO, "exposure_low_do", "h", "time spent below doBelowPercent in the histogram interval"],
  [L.LQ_EXPOSURE_GLUCOSE, "exposure_high_glucose", "h", "time spent above glucoseAboveMM in the histogram interval"],
  [L.LQ_EXPOSURE_PCO2, "exposure_high_pco2", "h", "time spent above pco2AboveMmHg in the histogram interval"],
  [L.LQ_QP, "specific_productivity", "pg/cell/day", "the cell's qP: its zone's × its multiplier × (1 − productivityLoss × state)"],
  [L.LQ_MU, "growth_rate", "1/h", "the cell's specific growth rate: its zone's × its multiplier"],
  [L.LQ_STATE, "internal_state", "–", "the internal state, relaxing towards 1 while the cell meets a condition"],
];

/** The lifelines of a scenario, or undefined when it has none. */
export function lifelineSettings(scenario: Scenario) {
  return scenario.cells.model === "cho" ? (scenario as ChoScenario).reactor.zones?.lifelines : undefined;
}

/** Output rows between histograms, agent steps per output interval and the step (h) for a scenario with lifelines. */
export function lifelineGrid(scenario: ChoScenario) {
  const settings = lifelineSettings(scenario)!;
  const outputH = scenario.simulation.outputIntervalH;
  const stepsPerRow = Math.max(1, Math.round((outputH * 3600) / settings.stepS));
  const histogramEvery = Math.max(1, Math.round(settings.histogramIntervalH / outputH));
  return { stepsPerRow, stepH: outputH / stepsPerRow, histogramEvery, histogramH: histogramEvery * outputH };
}

/**
 * Runs the lifelines of `scenario` over the output rows of the zone run the core has just
 * finished (simulate calls it after the run); undefined when the scenario has none.
 */
export function runLifelines(core: Core, scenario: Scenario): LifelinesResult | undefined {
  const settings = lifelineSettings(scenario);
  if (!settings) return undefined;
  const cho = scenario as ChoScenario;
  const grid = lifelineGrid(cho);
  const rows = core.outputCount;
  const capacity = Math.floor((rows - 1) / grid.histogramEvery) + 2;
  core.lifelinesInit(settings.count, capacity, settings.bins);
  const p = cho.cells.parameters;
  const upper: number[] = [];
  upper[L.LQ_EXPOSURE_DO] = grid.histogramH;
  upper[L.LQ_EXPOSURE_GLUCOSE] = grid.histogramH;
  upper[L.LQ_EXPOSURE_PCO2] = grid.histogramH;
  upper[L.LQ_QP] = p.qpPgPerCellPerDay > 0 ? 2 * p.qpPgPerCellPerDay * (1 + p.qpStationaryBoost) : 1;
  upper[L.LQ_MU] = 2 * p.muMaxPerH;
  upper[L.LQ_STATE] = 1;
  const set = (i: number, v: number) => core.setLifelineParam(i, v);
  set(L.LP_SEED, scenario.simulation.seed);
  set(L.LP_STEP_H, grid.stepH);
  set(L.LP_STEPS_PER_ROW, grid.stepsPerRow);
  set(L.LP_HISTOGRAM_EVERY, grid.histogramEvery);
  set(L.LP_GROWTH_CV, settings.growthCV);
  set(L.LP_PRODUCTIVITY_CV, settings.productivityCV);
  set(L.LP_RESPONSE_H, settings.responseTimeH);
  set(L.LP_DO_BELOW, settings.doBelowPercent);
  set(L.LP_GLUCOSE_ABOVE, settings.glucoseAboveMM);
  set(L.LP_PCO2_ABOVE, settings.pco2AboveMmHg);
  set(L.LP_PRODUCTIVITY_LOSS, settings.productivityLoss);
  upper.forEach((u, q) => set(L.LP_UPPER + q, u));
  const status = core.lifelinesRun();
  if (status !== L.STATUS_OK) throw new Error(`the lifelines failed with status ${status}`);
  const b = core.lifelineBuffers();
  const times = b.times;
  const k = times.length;
  const stat = (slot: number) => Float64Array.from({ length: k }, (_, i) => b.statistics[i * L.LS_COUNT + slot]);
  const zones = cho.reactor.zones!.count;
  return {
    count: settings.count,
    seed: scenario.simulation.seed,
    stepS: grid.stepH * 3600,
    bins: b.bins,
    times,
    quantities: QUANTITIES.map(([q, name, unit, description]) => ({
      name,
      unit,
      description,
      upper: upper[q],
      histograms: Array.from({ length: k }, (_, i) => b.histograms.slice((i * L.LQ_COUNT + q) * b.bins, (i * L.LQ_COUNT + q + 1) * b.bins)),
      mean: stat(2 * q),
      sd: stat(2 * q + 1),
    })),
    seen: [
      { name: "do_saturation", unit: "% air sat.", mean: stat(L.LS_SEEN_DO), sd: stat(L.LS_SEEN_DO + 1), zoneMean: stat(L.LS_ZONE_DO) },
      { name: "glucose", unit: "mM", mean: stat(L.LS_SEEN_GLUCOSE), sd: stat(L.LS_SEEN_GLUCOSE + 1), zoneMean: stat(L.LS_ZONE_GLUCOSE) },
      { name: "pco2", unit: "mmHg", mean: stat(L.LS_SEEN_PCO2), sd: stat(L.LS_SEEN_PCO2 + 1), zoneMean: stat(L.LS_ZONE_PCO2) },
    ],
    zoneMeans: { qp: stat(L.LS_ZONE_QP), mu: stat(L.LS_ZONE_MU) },
    occupancy: Array.from({ length: k }, (_, i) => b.occupancy.slice(i * L.MAX_ZONES, i * L.MAX_ZONES + zones)),
    agents: {
      timeH: core.time(),
      zone: (core.lifelineAgents(L.LA_ZONE) as Uint8Array).slice(0, MAX_AGENTS_SHOWN),
      state: (core.lifelineAgents(L.LA_STATE) as Float32Array).slice(0, MAX_AGENTS_SHOWN),
    },
  };
}

/** The lifelines as plain JSON (typed arrays as arrays) for `biotwin run --format json`. */
export function lifelinesJson(result: LifelinesResult) {
  const list = (a: Float64Array) => Array.from(a);
  return {
    count: result.count,
    seed: result.seed,
    stepS: result.stepS,
    bins: result.bins,
    times: list(result.times),
    quantities: result.quantities.map((q) => ({
      name: q.name,
      unit: q.unit,
      description: q.description,
      lower: 0,
      upper: q.upper,
      histograms: q.histograms.map(list),
      mean: list(q.mean),
      sd: list(q.sd),
    })),
    seen: result.seen.map((s) => ({ name: s.name, unit: s.unit, mean: list(s.mean), sd: list(s.sd), zoneMean: list(s.zoneMean) })),
    zoneMeans: { qp: list(result.zoneMeans.qp), mu: list(result.zoneMeans.mu) },
    occupancy: result.occupancy.map(list),
  };
}

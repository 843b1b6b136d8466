// Development and test page for the charts: builds RunData with synthetic CHO-like
// fed-batch curves (the real CHO column names and units), streams the rows into a
// <bt-chart-panel model="cho"> over a few seconds and pins an earlier variant.
// ?model=microbial does the same with microbial columns. tests/browser/chart.test.ts
// drives it through window.chartHarness.
import { choModel } from "../../engine/models/cho";
import { microbialModel } from "../../engine/models/microbial";
import "../elements/bt-chart-panel";
import type { ChartModel } from "../model/chart-specs";
import { RunData, type SeriesInfo } from "../model/run-data";
import { seededRandom as random } from "../model/seeded-random";

const DURATION_H = 336;
const MICROBIAL_DURATION_H = 48;
/** Rows per hour of the microbial run (it is short). */
const MICROBIAL_ROWS_PER_H = 4;
const HOURS_PER_DAY = 24;
/** Rows appended per streaming tick, and the tick period in ms. */
const ROWS_PER_TICK = 6;
const TICK_MS = 40;
/** Days of the glucose boluses and the glucose each adds, in mM. */
const FEED_DAYS = [3, 5, 7, 9, 11, 13];
const FEED_GLUCOSE_MM = 12;


const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** One row of synthetic values by column name at time tH; `scale` varies the run (1 = current). */
function syntheticRow(tH: number, scale: number, noise: () => number): Record<string, number> {
  const d = tH / HOURS_PER_DAY;
  const jitter = (size: number) => (noise() - 0.5) * 2 * size;
  const vcd = (0.3 + (18 * scale - 0.3) * logistic((d - 5) / 1.1)) * Math.exp(-0.12 * Math.max(0, d - 11));
  const dead = 0.03 + 0.05 * Math.pow(d, 1.6) * scale;
  const fedDays = FEED_DAYS.filter((k) => d >= k);
  const glucose = Math.max(0.5, 35 - 3.6 * scale * d + FEED_GLUCOSE_MM * fedDays.length);
  const glutamine = 6 * Math.exp(-0.35 * d) + fedDays.reduce((sum, k) => sum + 1.5 * Math.exp(-0.35 * (d - k)), 0);
  const lactate = 2 + 18 * scale * (d / 4) * Math.exp(1 - d / 4);
  const ammonium = 1 + 6 * scale * (1 - Math.exp(-d / 5));
  const titer = 3.2 * scale * (logistic((d - 9) / 2.2) - logistic(-9 / 2.2));
  const baseAdded = 0.002 * Math.pow(d, 1.3);
  const feedRate = d >= 3 ? 0.004 + 0.001 * Math.sin(d) : 0;
  const load = vcd / (18 * scale);
  return {
    viable_cells: vcd,
    dead_cells: dead,
    viability: (100 * vcd) / (vcd + dead),
    glucose,
    glutamine,
    lactate,
    ammonium,
    antibody: titer * 1000,
    titer,
    do_saturation: 40 + 55 * Math.exp(-2 * d) + jitter(1.2),
    do_setpoint: 40,
    ph: 7.0 + 0.06 * Math.exp(-d) - 0.03 * load + jitter(0.004),
    ph_setpoint: 7.0,
    pco2: 35 + 45 * load + jitter(0.8),
    conductivity: 14 + 0.15 * d + jitter(0.02),
    volume: 2 + (d > 3 ? 0.096 * (d - 3) : 0) + baseAdded,
    base_added: baseAdded,
    feed_rate: feedRate,
    agitation: 120 + 80 * clamp01((vcd - 5) / 8),
    gas_flow: 0.05 + 0.2 * clamp01((vcd - 10) / 6),
    o2_fraction: 21 + 40 * clamp01((vcd - 14) / 4),
    co2_fraction: 5 * Math.exp(-d / 2),
    base_rate: Math.max(0, 0.11 * Math.pow(d, 0.3) * (1 + 0.3 * Math.sin(3 * d))),
    temperature: d < 7 ? 36.8 : 33,
    temperature_setpoint: d < 7 ? 36.8 : 33,
    volume_added: 0.096 * Math.max(0, d - 3) + baseAdded,
  };
}

/** One row of a synthetic microbial fed-batch (E. coli-like, 2 days) at time tH. */
function microbialRow(tH: number, scale: number, noise: () => number): Record<string, number> {
  const jitter = (size: number) => (noise() - 0.5) * 2 * size;
  const fed = tH >= 10;
  const biomass = 0.2 + (40 * scale - 0.2) * logistic((tH - 16) / 3.5);
  const dead = 0.02 + 0.012 * tH * scale;
  const substrate = fed ? Math.max(0.05, 2 * Math.exp(-(tH - 10) / 4)) : Math.max(0.05, 20 - 0.002 * Math.exp(tH / 1.4));
  return {
    biomass,
    dead_biomass: dead,
    viability: (100 * biomass) / (biomass + dead),
    substrate,
    product: 12 * scale * logistic((tH - 22) / 5),
    dissolved_o2: 0.2,
    do_saturation: Math.max(5, 95 - 70 * clamp01(biomass / 20)) + jitter(1.5),
    volume: 5 + (fed ? 0.05 * (tH - 10) : 0),
    feed_rate: fed ? 0.05 : 0,
    growth_rate: 0.3 * (1 - biomass / (40 * scale)),
  };
}

const params = new URLSearchParams(location.search);
const model: ChartModel = params.get("model") === "microbial" ? "microbial" : "cho";
const durationH = model === "cho" ? DURATION_H : MICROBIAL_DURATION_H;
const series: SeriesInfo[] = [
  { name: "time", unit: "h", description: "time since inoculation" },
  ...(model === "cho" ? choModel : microbialModel).columns,
];

/** All rows of a synthetic run, row-major (time first, then choModel.columns). */
function syntheticRows(scale: number, seed: number): Float64Array {
  const noise = random(seed);
  const width = series.length;
  const perH = model === "cho" ? 1 : MICROBIAL_ROWS_PER_H;
  const count = durationH * perH + 1;
  const rows = new Float64Array(count * width);
  for (let r = 0; r < count; r++) {
    const tH = r / perH;
    const values = model === "cho" ? syntheticRow(tH, scale, noise) : microbialRow(tH, scale, noise);
    rows[r * width] = tH;
    for (let c = 1; c < width; c++) rows[r * width + c] = values[series[c].name] ?? 0;
  }
  return rows;
}

const instant = params.has("instant");
const run = new RunData(series, durationH, "current run");
const allRows = syntheticRows(1, 42);
let pinned: RunData | null = null;
if (!params.has("nopin")) {
  pinned = new RunData(series, durationH, "earlier run");
  pinned.appendRows(syntheticRows(0.85, 7));
}

/** What the browser test reads: the runs, when streaming started (performance.now, ms) and whether it is done. */
const harness = { run, pinned, model, streamStartMs: performance.now(), done: false };
(window as unknown as { chartHarness: typeof harness }).chartHarness = harness;

const panel = document.querySelector("bt-chart-panel")!;
panel.model = model;
panel.run = run;
panel.pinned = pinned;

const width = series.length;
const totalRows = allRows.length / width;
let next = 0;
function stream(): void {
  const count = instant ? totalRows : Math.min(ROWS_PER_TICK, totalRows - next);
  run.appendRows(allRows.subarray(next * width, (next + count) * width));
  next += count;
  if (next < totalRows) setTimeout(stream, TICK_MS);
  else harness.done = true;
}
stream();

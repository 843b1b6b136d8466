// Development and test page for the 3D reactor view: a synthetic CHO fed-batch (real
// column names and units, seeded; volume rising with daily boluses, agitation ramping as
// DO falls, lactate rising then consumed) shown in <bt-reactor-view> for a 2 L glass
// vessel, a 2,000 L single-use tank or a 200 L steel tank (?vessel=). With ?zones=N the run
// also has N zones (zone_<z>_* columns: DO rising, glucose falling with depth) and the view
// gets `.zones` from the last row, as bt-app passes it. tests/browser/reactor.test.ts
// and benchmarks/reactor-view.ts drive it through window.reactorHarness.
import "./reactor-harness-nowebgl";
import { choModel } from "../../engine/models/cho";
import { liquidHeightM, volumeBelowL, type VesselGeometry } from "../../engine/vessel/geometry";
import "../elements/bt-reactor-view";
import type { BtReactorView } from "../elements/bt-reactor-view";
import { RunData, type SeriesInfo } from "../model/run-data";
import { isLiquidField, LIQUID_FIELDS } from "../three/liquid-fields";
import { lastZoneValues } from "../model/zone-columns";
import { seededRandom as random } from "../model/seeded-random";

/** Vessels of the harness (until engine/vessel/presets.ts exists). */
const VESSELS: Record<string, VesselGeometry> = {
  // A 2 L bench glass vessel: T 13 cm, H 26 cm, dished bottom, one Rushton turbine, four baffles.
  "2l": {
    diameterM: 0.13,
    heightM: 0.26,
    bottom: "dished",
    impeller: { type: "rushton", diameterM: 0.053, count: 1, bottomClearanceM: 0.05, spacingM: 0, blades: 6 },
    baffles: 4,
    baffleWidthM: 0.013,
    sparger: { type: "ring", diameterM: 0.04, heightM: 0.022 },
    material: "glass",
  },
  // A 2,000 L single-use tank: T 1.25 m, H 2.5 m, flat bottom, two pitched-blade impellers, no baffles.
  "2000l": {
    diameterM: 1.25,
    heightM: 2.5,
    bottom: "flat",
    impeller: { type: "pitched-blade", diameterM: 0.45, count: 2, bottomClearanceM: 0.35, spacingM: 0.65, blades: 4 },
    baffles: 0,
    baffleWidthM: 0,
    sparger: { type: "ring", diameterM: 0.32, heightM: 0.12 },
    material: "single-use",
  },
  // A 200 L steel tank: T 0.55 m, H 1.0 m, dished bottom, two Rushton turbines, four baffles.
  "200l": {
    diameterM: 0.55,
    heightM: 1.0,
    bottom: "dished",
    impeller: { type: "rushton", diameterM: 0.18, count: 2, bottomClearanceM: 0.2, spacingM: 0.3, blades: 6 },
    baffles: 4,
    baffleWidthM: 0.055,
    sparger: { type: "open-pipe", diameterM: 0.02, heightM: 0.1 },
    material: "steel",
  },
};

/** Per vessel: starting volume (L), agitation range (rpm), gas flow range (L/min). */
const OPERATION: Record<string, { volumeL: number; rpm: [number, number]; gasLPerMin: [number, number] }> = {
  "2l": { volumeL: 1.5, rpm: [120, 250], gasLPerMin: [0.02, 0.12] },
  "2000l": { volumeL: 1500, rpm: [45, 110], gasLPerMin: [15, 110] },
  "200l": { volumeL: 130, rpm: [80, 170], gasLPerMin: [1.5, 10] },
};

const DURATION_H = 336;
const HOURS_PER_DAY = 24;
/** Bolus days and the volume each adds, as a share of the starting volume. */
const BOLUS_DAYS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const BOLUS_SHARE = 0.03;
const BOLUS_GLUCOSE_MM = 10;
/** Base added over the whole run, as a share of the starting volume. */
const BASE_SHARE = 0.03;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** One row of the synthetic fed-batch at time tH, by column name. */
function syntheticRow(tH: number, vesselKey: string, noise: () => number): Record<string, number> {
  const op = OPERATION[vesselKey];
  const d = tH / HOURS_PER_DAY;
  const jitter = (size: number) => (noise() - 0.5) * 2 * size;
  const vcd = (0.3 + 17.7 * logistic((d - 5) / 1.1)) * Math.exp(-0.12 * Math.max(0, d - 11));
  const dead = 0.03 + 0.05 * Math.pow(d, 1.6);
  const boluses = BOLUS_DAYS.filter((k) => d >= k).length;
  const load = clamp01((vcd - 4) / 10);
  const lactate = 2 + 24 * (d / 4.5) * Math.exp(1 - d / 4.5);
  const baseAdded = op.volumeL * BASE_SHARE * Math.pow(d / 14, 1.3);
  return {
    viable_cells: vcd,
    dead_cells: dead,
    viability: (100 * vcd) / (vcd + dead),
    glucose: Math.max(0.5, 35 - 4 * d + BOLUS_GLUCOSE_MM * boluses),
    glutamine: 6 * Math.exp(-0.35 * d),
    lactate,
    ammonium: 1 + 6 * (1 - Math.exp(-d / 5)),
    titer: 3.2 * (logistic((d - 9) / 2.2) - logistic(-9 / 2.2)),
    do_saturation: 38 + 57 * Math.exp(-1.1 * d) - 6 * clamp01((vcd - 14) / 3) + jitter(1.2),
    do_setpoint: 40,
    ph: 7.2 - 0.01 * lactate + jitter(0.004),
    ph_setpoint: 7.0,
    pco2: 30 + 55 * load + jitter(0.8),
    conductivity: 14 + 0.15 * d + jitter(0.02),
    volume: op.volumeL * (1 + BOLUS_SHARE * boluses) + baseAdded,
    volume_added: op.volumeL * BOLUS_SHARE * boluses + baseAdded,
    base_added: baseAdded,
    feed_rate: 0,
    agitation: op.rpm[0] + (op.rpm[1] - op.rpm[0]) * load,
    gas_flow: op.gasLPerMin[0] + (op.gasLPerMin[1] - op.gasLPerMin[0]) * clamp01((vcd - 8) / 8),
    o2_fraction: 21 + 40 * clamp01((vcd - 14) / 4),
    temperature: d < 7 ? 36.8 : 33,
    temperature_setpoint: d < 7 ? 36.8 : 33,
  };
}

/** Synthetic per-zone columns: the well-mixed value shifted by the depth of the zone's middle, 0 at the top, 1 at the bottom. */
const ZONE_SERIES: { name: string; unit: string; at(row: Record<string, number>, depth: number): number }[] = [
  // Lower DO far from the sparger, at the top (as the 50-zone checks of docs/model.md §11.7).
  { name: "do_saturation", unit: "% air sat.", at: (r, f) => r.do_saturation + 30 * (f - 0.5) },
  { name: "ph", unit: "pH", at: (r, f) => r.ph + 0.06 * (0.5 - f) },
  { name: "pco2", unit: "mmHg", at: (r, f) => r.pco2 * (0.8 + 0.4 * f) },
  // Feeds enter at the top.
  { name: "glucose", unit: "mM", at: (r, f) => r.glucose * (1.3 - 0.6 * f) },
  { name: "lactate", unit: "mM", at: (r) => r.lactate },
];

const params = new URLSearchParams(location.search);
const vesselKey = params.get("vessel") && params.get("vessel")! in VESSELS ? params.get("vessel")! : "2l";
const seed = Number(params.get("seed") ?? 7) || 7;
const zoneCount = Math.max(0, Math.min(64, Math.floor(Number(params.get("zones") ?? 0)) || 0));
const series: SeriesInfo[] = [
  { name: "time", unit: "h", description: "time since inoculation" },
  ...choModel.columns,
  ...Array.from({ length: zoneCount }, (_, z) => ZONE_SERIES.map((c) => ({ name: `zone_${z}_${c.name}`, unit: c.unit, description: `${c.name}, zone ${z}` }))).flat(),
];
const width = series.length;
const totalRows = DURATION_H + 1;

/** Every row of the synthetic run, row-major, time first. */
const allRows = (() => {
  const noise = random(seed);
  const rows = new Float64Array(totalRows * width);
  for (let r = 0; r < totalRows; r++) {
    const values = syntheticRow(r, vesselKey, noise);
    for (let z = 0; z < zoneCount; z++) for (const c of ZONE_SERIES) values[`zone_${z}_${c.name}`] = c.at(values, (z + 0.5) / zoneCount);
    rows[r * width] = r;
    for (let c = 1; c < width; c++) rows[r * width + c] = values[series[c].name] ?? 0;
  }
  return rows;
})();

const run = new RunData(series, DURATION_H, "current run", totalRows);
let shownRows = 0;

/** Shows the run up to hour `hours` (appends rows, or clears and refills when going back). */
function showUntil(hours: number): void {
  const rows = Math.max(1, Math.min(totalRows, Math.floor(hours) + 1));
  if (rows < shownRows) {
    run.clear();
    shownRows = 0;
  }
  if (rows > shownRows) run.appendRows(allRows.subarray(shownRows * width, rows * width));
  shownRows = rows;
  applyZones();
}

/**
 * Zone fractions as engine/models/cho-zones.ts makes them: equal-height slices of the
 * liquid at the starting volume, each zone's share of that volume, top first.
 */
function zoneFractions(count: number): number[] {
  const vessel = VESSELS[vesselKey];
  const v0 = OPERATION[vesselKey].volumeL;
  const h0 = liquidHeightM(vessel, v0);
  return Array.from({ length: count }, (_, z) => {
    const top = h0 * (1 - z / count);
    const bottom = z === count - 1 ? 0 : h0 * (1 - (z + 1) / count);
    return (volumeBelowL(vessel, top) - volumeBelowL(vessel, bottom)) / v0;
  });
}

/** Hands the view its zones from the run's last row for its field (as bt-app does); none without ?zones. */
function applyZones(): void {
  if (!view || zoneCount === 0) return;
  const spec = LIQUID_FIELDS[view.field];
  view.zones = { count: zoneCount, values: lastZoneValues(run, zoneCount, spec.zoneColumn, spec.column), fractions: zoneFractions(zoneCount), probeZone: Math.floor(zoneCount * 0.7) };
}

const slot = document.getElementById("view-slot")!;
let view: BtReactorView | null = null;
const field = params.get("field");
const maxCells = params.has("cells") ? Number(params.get("cells")) : 20_000;

/** Creates a new <bt-reactor-view> for the harness's vessel and run; resolves with whenReady(). */
function mount(): Promise<boolean> {
  unmount();
  const element = document.createElement("bt-reactor-view");
  element.vessel = VESSELS[vesselKey];
  element.run = run;
  element.seed = seed;
  element.maxCells = maxCells;
  if (isLiquidField(field)) element.field = field;
  element.addEventListener("field-change", (event) => {
    harness.fieldEvents.push((event as CustomEvent<{ field: string }>).detail.field);
    applyZones();
  });
  slot.append(element);
  view = element;
  harness.view = element;
  applyZones();
  return element.updateComplete.then(() => element.whenReady());
}

function unmount(): void {
  view?.remove();
  view = null;
  harness.view = null;
}

let streamTimer = 0;
/**
 * Replays the run from hour `fromH` to hour `toH`, `rowsPerTick` rows every `tickMs`, and
 * from `fromH` again at the end (a reset), like a live run arriving in slices.
 */
function startStreaming(rowsPerTick = 1, tickMs = 50, fromH = 0, toH = DURATION_H): void {
  stopStreaming();
  showUntil(fromH);
  const tick = () => {
    if (shownRows - 1 >= toH) showUntil(fromH);
    else showUntil(Math.min(toH, shownRows - 1 + rowsPerTick));
    streamTimer = window.setTimeout(tick, tickMs);
  };
  streamTimer = window.setTimeout(tick, tickMs);
}

function stopStreaming(): void {
  window.clearTimeout(streamTimer);
  streamTimer = 0;
}

const harness = {
  run,
  vessels: VESSELS,
  vesselKey,
  view: null as BtReactorView | null,
  fieldEvents: [] as string[],
  ready: null as Promise<boolean> | null,
  zoneCount,
  zoneFractions,
  applyZones,
  showUntil,
  mount,
  unmount,
  startStreaming,
  stopStreaming,
};
(window as unknown as { reactorHarness: typeof harness }).reactorHarness = harness;

showUntil(params.has("t") ? Number(params.get("t")) : 240);
harness.ready = mount();
if (params.has("stream")) startStreaming();

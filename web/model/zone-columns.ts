// The zones of a compartment-model run as the app reads them (docs/model.md §11): how many
// zones a run has, the spread columns its charts draw (DO and glucose in the probe zone,
// the lowest and the highest zone, derived row by row from the zone_<z>_* columns that
// engine/models/cho-zones.ts writes), and the last row's value of a quantity in every
// zone, which colours the 3D view. Plain data, no DOM.
import { zoneColumn, zoneLayout } from "../../engine/models/cho-zones";
import { isChoScenario, type Scenario } from "../../engine/scenario";
import type { DerivedSeries, SeriesInfo } from "./run-data";

/** The quantities whose spread over the zones the app derives: the per-zone column each reads. */
const SPREAD_QUANTITIES = [
  { key: "do", zoneColumn: "do_saturation", unit: "% air sat.", what: "dissolved oxygen" },
  { key: "glucose", zoneColumn: "glucose", unit: "mM", what: "glucose" },
] as const;

const SPREAD_STATS = [
  { key: "probe", what: "in the probe zone" },
  { key: "min", what: "in the lowest zone (the least of all zones)" },
  { key: "max", what: "in the highest zone (the most of all zones)" },
] as const;

/** Name of a spread column: zones_do_min, zones_glucose_probe, … */
export function zoneSpreadColumn(quantity: (typeof SPREAD_QUANTITIES)[number]["key"], stat: (typeof SPREAD_STATS)[number]["key"]): string {
  return `zones_${quantity}_${stat}`;
}

/** Every spread column the app may derive, with its unit (for the charts and their test). */
export const ZONE_SPREAD_COLUMNS: readonly SeriesInfo[] = SPREAD_QUANTITIES.flatMap((q) =>
  SPREAD_STATS.map((s) => ({ name: zoneSpreadColumn(q.key, s.key), unit: q.unit, description: `${q.what} ${s.what}` })),
);

/** Zones of a run, from its columns (zone_0_do_saturation, zone_1_do_saturation, …); 0: a well-mixed run. */
export function zoneCount(has: (name: string) => boolean): number {
  let n = 0;
  while (has(zoneColumn(n, "do_saturation"))) n++;
  return n;
}

/** How a scenario's tank is zoned, as the app draws it: null when the scenario has no reactor.zones. */
export interface ZoneGeometry {
  count: number;
  /** Zone of the DO and pH probes (0 at the top). */
  probeZone: number;
  /** Each zone's share of the liquid volume, top first (engine/models/cho-zones.ts zoneLayout). */
  fractions: readonly number[];
}

/** The zoning of a scenario with reactor.zones (zoneLayout, docs/model.md §11.1); null: it has none. */
export function zoneGeometryOf(scenario: Scenario): ZoneGeometry | null {
  if (!isChoScenario(scenario) || !scenario.reactor.zones) return null;
  const layout = zoneLayout(scenario);
  return { count: layout.count, probeZone: layout.probeZone, fractions: layout.fractions };
}

/** The probe zone of a scenario with reactor.zones (zone 0 at the top); null: the scenario has no zones. */
export function probeZoneOf(scenario: Scenario): number | null {
  return zoneGeometryOf(scenario)?.probeZone ?? null;
}

/** The least of the values that are not NaN; NaN when all are. */
function least(values: Float64Array): number {
  let m = Number.NaN;
  for (const v of values) if (!Number.isNaN(v) && (Number.isNaN(m) || v < m)) m = v;
  return m;
}

/** The greatest of the values that are not NaN; NaN when all are. */
function most(values: Float64Array): number {
  let m = Number.NaN;
  for (const v of values) if (!Number.isNaN(v) && (Number.isNaN(m) || v > m)) m = v;
  return m;
}

/**
 * The spread columns of a run with columns `series` (time first): for DO and glucose, the
 * value in `probeZone` (left out when null or not a zone of the run), the lowest and the
 * highest over the zones in each row (NaN values skipped). Empty for a well-mixed run.
 * Passed to RunData, which computes them as rows arrive.
 */
export function zoneSpreadSeries(series: readonly SeriesInfo[], probeZone: number | null): DerivedSeries[] {
  const index = new Map(series.map((s, i) => [s.name, i]));
  const n = zoneCount((name) => index.has(name));
  if (n === 0) return [];
  const out: DerivedSeries[] = [];
  for (const q of SPREAD_QUANTITIES) {
    const sources = Array.from({ length: n }, (_, z) => index.get(zoneColumn(z, q.zoneColumn)));
    if (sources.some((i) => i === undefined)) continue;
    const all = sources as number[];
    const info = (stat: (typeof SPREAD_STATS)[number]) => ({ name: zoneSpreadColumn(q.key, stat.key), unit: q.unit, description: `${q.what} ${stat.what}` });
    if (probeZone !== null && probeZone >= 0 && probeZone < n) {
      out.push({ info: info(SPREAD_STATS[0]), sources: [all[probeZone]], value: (v) => v[0] });
    }
    out.push({ info: info(SPREAD_STATS[1]), sources: all, value: least });
    out.push({ info: info(SPREAD_STATS[2]), sources: all, value: most });
  }
  return out;
}

/** What zoneValues reads: RunData's lookups. */
interface Columns {
  readonly length: number;
  has(name: string): boolean;
  column(name: string): Float64Array;
}

/**
 * The last row's value in each of `count` zones of the per-zone column `perZone`
 * (zone_<z>_<perZone>), written into `out` (a new array when its length differs).
 * With `perZone` null (a quantity the tank has once, like temperature) or a zone's column
 * missing, the well-mixed column `column` is used. NaN: no rows or no such column.
 */
export function lastZoneValues(run: Columns, count: number, perZone: string | null, column: string, out?: Float64Array): Float64Array {
  const values = out && out.length === count ? out : new Float64Array(count);
  const last = (name: string) => (run.length > 0 && run.has(name) ? run.column(name)[run.length - 1] : Number.NaN);
  const mixed = last(column);
  for (let z = 0; z < count; z++) {
    const name = perZone === null ? null : zoneColumn(z, perZone);
    values[z] = name !== null && run.has(name) ? last(name) : mixed;
  }
  return values;
}

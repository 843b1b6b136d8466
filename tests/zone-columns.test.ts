// The app's reading of zoned runs (web/model/zone-columns.ts): the zone count from the
// columns, the spread columns (probe zone, lowest and highest zone of DO and glucose)
// computed as rows arrive in RunData, the last row's per-zone values for the 3D view,
// and the lowest DO across zones that the scale-up reports.
import { describe, expect, test } from "vitest";
import { lowestAcrossZones } from "../engine/vessel/scaleup-plan";
import { parseScenario } from "../engine/scenario";
import { RunData, type SeriesInfo } from "../web/model/run-data";
import { lastZoneValues, probeZoneOf, zoneCount, zoneGeometryOf, ZONE_SPREAD_COLUMNS, zoneSpreadSeries } from "../web/model/zone-columns";
import { readJson } from "./helpers";

const info = (name: string, unit: string): SeriesInfo => ({ name, unit, description: name });

/** time, do_saturation, glucose, then 3 zones of DO and glucose. */
const SERIES: SeriesInfo[] = [
  info("time", "h"),
  info("do_saturation", "% air sat."),
  info("glucose", "mM"),
  ...[0, 1, 2].flatMap((z) => [info(`zone_${z}_glucose`, "mM"), info(`zone_${z}_do_saturation`, "% air sat.")]),
];

/** Rows: time, DO mean, glucose mean, then (glucose, DO) of zones 0, 1, 2. */
const ROWS = [
  [0, 50, 30, 30, 52, 30, 50, 30, 48],
  [1, 40, 31, 40, 45, 29, 38, 24, 37],
  [2, 35, 20, 20, Number.NaN, 21, 30, 19, 34],
];

describe("zone columns", () => {
  test("a run's zone count comes from its zone_<z>_do_saturation columns", () => {
    const names = new Set(SERIES.map((s) => s.name));
    expect(zoneCount((n) => names.has(n))).toBe(3);
    expect(zoneCount(() => false)).toBe(0);
    expect(zoneSpreadSeries([info("time", "h"), info("do_saturation", "% air sat.")], 0)).toEqual([]);
  });

  test("spread columns: probe zone, lowest and highest zone per row (NaN skipped), as rows stream in", () => {
    const derived = zoneSpreadSeries(SERIES, 1);
    expect(derived.map((d) => d.info.name)).toEqual(["zones_do_probe", "zones_do_min", "zones_do_max", "zones_glucose_probe", "zones_glucose_min", "zones_glucose_max"]);
    const units = new Map(ZONE_SPREAD_COLUMNS.map((c) => [c.name, c.unit]));
    for (const d of derived) expect(d.info.unit).toBe(units.get(d.info.name));
    const run = new RunData(SERIES, 2, "zoned", 2, derived);
    expect(run.rowWidth).toBe(SERIES.length);
    run.appendRows(Float64Array.from(ROWS.slice(0, 2).flat()));
    run.appendRows(Float64Array.from(ROWS[2]));
    expect(Array.from(run.column("zones_do_probe"))).toEqual([50, 38, 30]);
    expect(Array.from(run.column("zones_do_min"))).toEqual([48, 37, 30]);
    expect(Array.from(run.column("zones_do_max"))).toEqual([52, 45, 34]);
    expect(Array.from(run.column("zones_glucose_probe"))).toEqual([30, 29, 21]);
    expect(Array.from(run.column("zones_glucose_min"))).toEqual([30, 24, 19]);
    expect(Array.from(run.column("zones_glucose_max"))).toEqual([30, 40, 21]);
    // A whole run gives the same; a pinned copy keeps the derived columns as plain ones.
    const whole = RunData.fromColumns(SERIES, SERIES.map((_, c) => Float64Array.from(ROWS.map((r) => r[c]))), 2, "whole", derived);
    expect(Array.from(whole.column("zones_do_min"))).toEqual([48, 37, 30]);
    const pinned = run.snapshot("pinned");
    expect(Array.from(pinned.column("zones_glucose_max"))).toEqual([30, 40, 21]);
    pinned.clear();
    expect(run.length).toBe(3);
  });

  test("no probe zone (or one outside the run) leaves the probe columns out", () => {
    expect(zoneSpreadSeries(SERIES, null).map((d) => d.info.name)).toEqual(["zones_do_min", "zones_do_max", "zones_glucose_min", "zones_glucose_max"]);
    expect(zoneSpreadSeries(SERIES, 7).some((d) => d.info.name.endsWith("_probe"))).toBe(false);
  });

  test("the last row's value in each zone, or the well-mixed value for a quantity without zone columns", () => {
    const run = RunData.fromColumns(SERIES, SERIES.map((_, c) => Float64Array.from(ROWS.map((r) => r[c]))), 2);
    expect(Array.from(lastZoneValues(run, 3, "glucose", "glucose"))).toEqual([20, 21, 19]);
    expect(Array.from(lastZoneValues(run, 3, null, "do_saturation"))).toEqual([35, 35, 35]);
    const out = new Float64Array(3);
    expect(lastZoneValues(run, 3, "do_saturation", "do_saturation", out)).toBe(out);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(Array.from(lastZoneValues(run, 3, "temperature", "temperature")).every(Number.isNaN)).toBe(true);
  });

  test("the lowest DO across zones over a run; NaN without zones", () => {
    const columns = new Map(SERIES.map((s, c) => [s.name, ROWS.map((r) => r[c])]));
    expect(lowestAcrossZones((n) => columns.get(n))).toBe(30);
    expect(lowestAcrossZones((n) => columns.get(n), "glucose")).toBe(19);
    expect(Number.isNaN(lowestAcrossZones(() => undefined))).toBe(true);
  });

  test("the zones scenario: 20 zones whose fractions sum to 1, and a probe zone inside the tank", () => {
    const parsed = parseScenario(readJson("scenarios/cho-fed-batch-2000l-zones.json"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const zoning = zoneGeometryOf(parsed.scenario)!;
    expect(zoning.count).toBe(20);
    expect(zoning.fractions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(zoning.probeZone).toBeGreaterThan(0);
    expect(zoning.probeZone).toBeLessThan(20);
    expect(probeZoneOf(parsed.scenario)).toBe(zoning.probeZone);
    const wellMixed = parseScenario(readJson("scenarios/cho-fed-batch-2000l.json"));
    expect(wellMixed.ok && zoneGeometryOf(wellMixed.scenario)).toBe(null);
  });
});

// The chart specs name real result columns: every series of every chart of each cell
// model exists in that model's adapter with the unit the chart shows, and each axis
// holds a single unit (so its title can carry it).
import { describe, expect, test } from "vitest";
import { choModel } from "../engine/models/cho";
import { microbialModel } from "../engine/models/microbial";
import type { ModelAdapter } from "../engine/models";
import { VESSEL_COLUMN_SPECS } from "../engine/vessel/columns";
import { chartSpecsFor, presentSeries, type ChartModel } from "../web/model/chart-specs";
import { ZONE_SPREAD_COLUMNS } from "../web/model/zone-columns";

const adapters: Record<ChartModel, ModelAdapter> = {
  cho: choModel as ModelAdapter,
  microbial: microbialModel as ModelAdapter,
};

describe.each(Object.entries(adapters) as [ChartModel, ModelAdapter][])("charts of the %s model", (model, adapter) => {
  // CHO runs in a vessel also carry the vessel columns the engine derives (engine/vessel/columns.ts),
  // and zoned runs the spread columns the app derives (web/model/zone-columns.ts).
  const derived = model === "cho" ? [...VESSEL_COLUMN_SPECS, ...ZONE_SPREAD_COLUMNS] : [];
  const units = new Map([...adapter.columns, ...derived].map((c) => [c.name, c.unit]));
  const specs = chartSpecsFor(model);

  test("have unique ids and at least one series each", () => {
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
    for (const spec of specs) expect(spec.series.length, spec.id).toBeGreaterThan(0);
  });

  test.each(specs.map((s) => [s.id, s] as const))("%s: every series is a column of the model, with its unit", (_id, spec) => {
    for (const s of spec.series) {
      expect(units.has(s.column), `${spec.id}: no column ${s.column} in the ${model} model`).toBe(true);
      expect(s.unit, `${spec.id}/${s.column}`).toBe(units.get(s.column));
    }
  });

  test.each(specs.map((s) => [s.id, s] as const))("%s: every series has the unit of its axis", (_id, spec) => {
    for (const s of spec.series) {
      const axis = s.axis === "left" ? spec.left : spec.right;
      expect(axis, `${spec.id}/${s.column} is on a missing ${s.axis} axis`).toBeDefined();
      expect(s.unit, `${spec.id}/${s.column}`).toBe(axis!.unit);
    }
    if (spec.right) expect(spec.series.some((s) => s.axis === "right"), `${spec.id}: right axis without series`).toBe(true);
  });
});

test("the CHO charts cover the quantities the app promises", () => {
  const columns = chartSpecsFor("cho").flatMap((s) => s.series.map((x) => x.column));
  for (const name of ["viable_cells", "dead_cells", "viability", "glucose", "glutamine", "lactate", "ammonium", "titer", "do_saturation", "ph", "pco2", "conductivity", "volume", "base_added", "feed_rate", "agitation", "gas_flow", "o2_fraction", "co2_fraction", "base_rate"]) {
    expect(columns).toContain(name);
  }
});

test("a series whose column a run lacks is left out, and a chart with none is dropped", () => {
  const [cells] = chartSpecsFor("cho");
  const run = { has: (name: string) => name !== "dead_cells" && name !== "viability" };
  const trimmed = presentSeries(cells, [run, null])!;
  expect(trimmed.series.map((s) => s.column)).toEqual(["viable_cells"]);
  expect(trimmed.right).toBeUndefined();
  expect(presentSeries(cells, [{ has: () => false }])).toBeNull();
  expect(presentSeries(cells, [null])).toBe(cells);
});

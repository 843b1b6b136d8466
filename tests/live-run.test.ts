// The live mode of the app (engine/live-run.ts): slices add up to the whole run,
// knob changes act from the moment they are made and are recorded, bad knob
// values are refused with a sentence; and the KPIs (engine/kpis.ts).
import { describe, expect, test } from "vitest";
import { loadCore } from "../engine/core-bridge";
import { computeKpis } from "../engine/kpis";
import { LiveRun } from "../engine/live-run";
import { simulate } from "../engine/simulate";
import { readJson, validScenario } from "./helpers";

const choFedBatch = () => validScenario(readJson("scenarios/cho-fed-batch.json"));

/** Splits row-major rows into named columns. */
function columnsOf(run: LiveRun, rows: Float64Array): Map<string, Float64Array> {
  const width = run.columns.length;
  const count = rows.length / width;
  return new Map(run.columns.map((c, j) => [c.name, Float64Array.from({ length: count }, (_, r) => rows[r * width + j])]));
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("live run", () => {
  test("slices of 7 h give the whole run's rows, within the solver tolerance", async () => {
    const scenario = choFedBatch();
    const whole = simulate(await loadCore(), scenario);
    const live = new LiveRun(await loadCore(), scenario);
    const parts = [live.advance(0).rows];
    while (!live.finished) parts.push(live.advance(7).rows);
    const cols = columnsOf(live, concat(parts));
    const time = whole.columns[0].values;
    expect(cols.get("time")).toEqual(time);
    for (const name of ["viable_cells", "glucose", "lactate", "titer", "volume", "ph", "do_saturation"]) {
      const expected = whole.columns.find((c) => c.name === name)!.values;
      const got = cols.get(name)!;
      const scale = Math.max(...expected.map(Math.abs));
      for (let i = 0; i < time.length; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(100 * scenario.simulation.relTol * scale);
    }
  });

  test("a DO setpoint raised on day 4 moves DO to the new setpoint and is recorded", async () => {
    const live = new LiveRun(await loadCore(), choFedBatch());
    live.advance(96);
    const before = live.knobs().find((k) => k.id === "doSetpoint")!;
    expect(before.available).toBe(true);
    expect(before.value).toBe(40);
    const action = live.setKnob("doSetpoint", 60);
    expect(action).toMatchObject({ knob: "doSetpoint", previous: 40, value: 60, unit: "% air sat." });
    expect(action.timeH).toBeCloseTo(96, 9);
    const cols = columnsOf(live, live.advance(24).rows);
    const doSat = cols.get("do_saturation")!;
    const setpoint = cols.get("do_setpoint")!;
    expect(setpoint[setpoint.length - 1]).toBe(60);
    expect(Math.abs(doSat[doSat.length - 1] - 60)).toBeLessThan(3);
    expect(live.result().metadata.actions).toEqual([action]);
  });

  test("a continuous feed switched on live raises the volume against the same run without it", async () => {
    const scenario = choFedBatch();
    const plain = new LiveRun(await loadCore(), scenario);
    const fed = new LiveRun(await loadCore(), scenario);
    plain.advance(48);
    fed.advance(48);
    fed.setKnob("feedRate", 0.002);
    const volumeAt72 = (run: LiveRun) => {
      const cols = columnsOf(run, run.advance(24).rows);
      const v = cols.get("volume")!;
      return v[v.length - 1];
    };
    // 24 h at 2 mL/h = 48 mL more liquid (samples and base are the same in both runs).
    expect(volumeAt72(fed) - volumeAt72(plain)).toBeCloseTo(0.048, 6);
  });

  test("knobs a scenario does not have, values out of range and changes after the end are refused with a reason", async () => {
    const noControl = validScenario(readJson("scenarios/cho-fed-batch-no-control.json"));
    const live = new LiveRun(await loadCore(), noControl);
    const ph = live.knobs().find((k) => k.id === "phSetpoint")!;
    expect(ph.available).toBe(false);
    expect(ph.why).toMatch(/pH loop is off/);
    expect(() => live.setKnob("phSetpoint", 7.1)).toThrow(/pH loop is off/);
    expect(() => live.setKnob("agitation", -5)).toThrow(/between 0 and 2000 rpm/);
    expect(() => live.setKnob("kla", 10)).toThrow(/no knob "kla"/);
    live.runToEnd();
    expect(live.finished).toBe(true);
    expect(() => live.setKnob("agitation", 100)).toThrow(/run has ended/);
    expect(() => live.advance(Number.NaN)).toThrow(/finite number/);
  });
});

describe("KPIs", () => {
  test("the integral of viable cells is the trapezoidal area, per day; peak and final values are read off the columns", () => {
    const time = Float64Array.from([0, 24, 48, 72]);
    const cells = Float64Array.from([1, 3, 5, 2]);
    const titer = Float64Array.from([0, 0.1, 0.5, 0.9]);
    const cols = new Map([["time", time], ["viable_cells", cells], ["titer", titer]]);
    const kpis = computeKpis((n) => cols.get(n), { harvested: false, finished: true });
    const byId = new Map(kpis.map((k) => [k.id, k]));
    expect(byId.get("peakDensity")).toMatchObject({ value: 5, atH: 48, unit: "1e6 cells/mL" });
    expect(byId.get("finalTiter")).toMatchObject({ value: 0.9, unit: "g/L" });
    expect(byId.get("ivc")!.value).toBeCloseTo((2 + 4 + 3.5) * 1, 12);
    expect(byId.get("harvestDay")!.value).toBe(3);
    const streaming = computeKpis((n) => cols.get(n), { harvested: false, finished: false });
    expect(streaming.find((k) => k.id === "harvestDay")!.value).toBeNaN();
  });

  test("the CHO fed-batch KPIs are those of a modern process (10-30e6 cells/mL, 1-10 g/L)", async () => {
    const result = simulate(await loadCore(), choFedBatch());
    const byName = new Map(result.columns.map((c) => [c.name, c.values]));
    const kpis = new Map(computeKpis((n) => byName.get(n), { harvested: result.metadata.status === "harvested", finished: true }).map((k) => [k.id, k.value]));
    expect(kpis.get("peakDensity")).toBeGreaterThan(10);
    expect(kpis.get("peakDensity")).toBeLessThan(30);
    expect(kpis.get("finalTiter")).toBeGreaterThan(1);
    expect(kpis.get("finalTiter")).toBeLessThan(10);
    expect(kpis.get("harvestDay")).toBeCloseTo(result.metadata.endTimeH / 24, 12);
    expect(kpis.get("ivc")).toBeGreaterThan(50);
  });
});

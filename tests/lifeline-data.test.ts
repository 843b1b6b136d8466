// The app's helpers over cell lifelines (web/model/lifeline-data.ts, web/three/cell-colours.ts)
// and the worker's lifelines (web/worker/simulation-service.ts): inverse-CDF sampling gives
// back the histogram; the CSV has one row per time and bin and every agent in it; the
// buffers listed for transfer are all of them; the cells' colour table follows the
// distribution; a live run that has ended gets the same lifelines as the whole run.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import type { LifelinesResult } from "../engine/lifelines";
import { binEdges, histogramIndexAt, histogramQuantiles, lifelineBuffers, lifelineDistribution, lifelinesCsv } from "../web/model/lifeline-data";
import { agentBands, CELL_COLOURINGS, CELL_QUANTILES, cellColourTable } from "../web/three/cell-colours";
import { SimulationService } from "../web/worker/simulation-service";
import { readJson } from "./helpers";

type Doc = Record<string, any>;

let service: SimulationService;
let zonesDoc: Doc;
let lifelines: LifelinesResult;

beforeAll(async () => {
  service = new SimulationService(await WebAssembly.compile(readFileSync(new URL("../build/core.wasm", import.meta.url))));
  // The shipped zoned 2,000 L fed-batch with fewer lifelines.
  zonesDoc = readJson("scenarios/cho-fed-batch-2000l-zones.json") as Doc;
  zonesDoc.reactor.zones.lifelines.count = 2000;
  const reply = service.runWhole(zonesDoc);
  if (!reply.ok) throw new Error(JSON.stringify(reply.problems));
  lifelines = reply.result.lifelines!;
});

/** Share of `values` in each of `bins` fixed bins from 0 to `upper` (the last holds everything above). */
function shares(values: ArrayLike<number>, upper: number, bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) out[Math.min(bins - 1, Math.max(0, Math.floor((values[i] / upper) * bins)))] += 1 / values.length;
  return out;
}

describe("histogramQuantiles", () => {
  test("a uniform rank mapped through the quantiles gives back the histogram (within 1/n per bin)", () => {
    const counts = [0, 10, 0, 30, 5, 55];
    const n = 1000;
    const values = histogramQuantiles(counts, 3, n);
    const total = counts.reduce((a, b) => a + b, 0);
    shares(values, 3, counts.length).forEach((s, b) => expect(Math.abs(s - counts[b] / total)).toBeLessThanOrEqual(1 / n + 1e-12));
    for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    expect(values[0]).toBeGreaterThanOrEqual(0.5);
    expect(values[n - 1]).toBeLessThanOrEqual(3);
  });

  test("all agents in one bin: every value inside that bin; an empty histogram gives zeros", () => {
    const values = histogramQuantiles([0, 0, 7, 0], 8, 64);
    for (const v of values) expect(v >= 4 && v <= 6).toBe(true);
    expect(Array.from(histogramQuantiles([0, 0, 0], 1, 4))).toEqual([0, 0, 0, 0]);
  });
});

describe("lifelines of a run, for the panel", () => {
  test("histogramIndexAt picks the last time at or before", () => {
    const times = [0, 24, 48, 72];
    expect([histogramIndexAt(times, 0), histogramIndexAt(times, 23.9), histogramIndexAt(times, 24), histogramIndexAt(times, 100), histogramIndexAt(times, -1)]).toEqual([0, 0, 1, 3, 0]);
  });

  test("the CSV has a header with units and one row per histogram time and bin, with every agent counted once per quantity", () => {
    const lines = lifelinesCsv(lifelines).trimEnd().split("\n");
    const header = lines[0].split(",");
    expect(header.slice(0, 2)).toEqual(["time [h]", "bin"]);
    expect(header).toContain("specific_productivity_lower [pg/cell/day]");
    expect(header).toContain("exposure_low_do_agents [cells]");
    expect(header).toContain("internal_state_upper [1]");
    expect(header).toHaveLength(2 + 3 * lifelines.quantities.length);
    expect(lines).toHaveLength(1 + lifelines.times.length * lifelines.bins);
    const rows = lines.slice(1).map((l) => l.split(",").map(Number));
    for (const [qi, q] of lifelines.quantities.entries()) {
      const col = 2 + 3 * qi;
      for (let t = 0; t < lifelines.times.length; t++) {
        const block = rows.slice(t * lifelines.bins, (t + 1) * lifelines.bins);
        expect(block.every((r) => r[0] === lifelines.times[t])).toBe(true);
        expect(block.reduce((sum, r) => sum + r[col + 2], 0)).toBe(lifelines.count);
        expect(block[lifelines.bins - 1][col + 1]).toBeCloseTo(q.upper, 9);
        expect(block[3][col]).toBeCloseTo(binEdges(q.upper, lifelines.bins, 3)[0], 9);
      }
    }
  });

  test("lifelineBuffers lists every array's buffer once: a transfer detaches them all and the copy has the same numbers", () => {
    const copy = structuredClone(lifelines);
    const buffers = lifelineBuffers(copy);
    // times, histograms + mean + sd of each quantity, what agents see, zone means, occupancy, and the agents' zone and state.
    const arrays = 1 + copy.quantities.length * (copy.times.length + 2) + copy.seen.length * 3 + 2 + copy.occupancy.length + 2;
    expect(buffers).toHaveLength(arrays);
    const moved = structuredClone(copy, { transfer: buffers });
    expect(buffers.every((b) => b.byteLength === 0)).toBe(true);
    expect(Array.from(moved.quantities[3].histograms[2])).toEqual(Array.from(lifelines.quantities[3].histograms[2]));
    expect(Array.from(moved.seen[0].zoneMean)).toEqual(Array.from(lifelines.seen[0].zoneMean));
    expect(Array.from(moved.agents.state.subarray(0, 50))).toEqual(Array.from(lifelines.agents.state.subarray(0, 50)));
  });

  test("the result keeps a sample of agents at the end of the run, their zones distributed like the last occupancy", () => {
    const a = lifelines.agents;
    expect(a.zone.length).toBe(Math.min(lifelines.count, 100_000));
    expect(a.state.length).toBe(a.zone.length);
    expect(a.timeH).toBeCloseTo(lifelines.times[lifelines.times.length - 1], 9);
    const last = lifelines.occupancy[lifelines.occupancy.length - 1];
    const counts = new Float64Array(last.length);
    for (const z of a.zone) counts[z]++;
    if (a.zone.length === lifelines.count) expect(Array.from(counts)).toEqual(Array.from(last));
    for (const s of a.state) expect(s >= 0 && s <= 1).toBe(true);
  });

  test("agent bands: each drawn cell keeps to its agent's zone, zone 0 at the top, bands as tall as the volume fractions", () => {
    const bands = agentBands(Uint8Array.of(0, 2, 1), [0.5, 0.25, 0.25], 4);
    expect(Array.from(bands)).toEqual([0.5, 1, 0, 0.25, 0.25, 0.5, 0.5, 1]);
  });

  test("the cells' colour table follows the distribution: calm cells green, stressed ones red, in proportion", () => {
    const bins = 10;
    const counts = new Float64Array(bins);
    counts[0] = 750;
    counts[bins - 1] = 250;
    const table = cellColourTable(CELL_COLOURINGS.stress, { counts, upper: 1 });
    expect(table).toHaveLength(CELL_QUANTILES * 4);
    const texel = (i: number) => Array.from(table.subarray(i * 4, i * 4 + 4));
    const red = (i: number) => texel(i)[0] > 150 && texel(i)[1] < 90;
    const green = (i: number) => texel(i)[1] > texel(i)[0];
    const reds = Array.from({ length: CELL_QUANTILES }, (_, i) => i).filter(red).length;
    expect(reds / CELL_QUANTILES).toBeCloseTo(0.25, 2);
    expect(green(0) && green(CELL_QUANTILES * 0.7)).toBe(true);
    expect(red(CELL_QUANTILES - 1)).toBe(true);
    expect(texel(5)[3]).toBe(255);
  });

  test("lifelineDistribution takes the histogram shown at a time", () => {
    const d = lifelineDistribution(lifelines, "internal_state", 50)!;
    expect(d.timeH).toBe(48);
    expect(d.unit).toBe("–");
    expect(Array.from(d.counts)).toEqual(Array.from(lifelines.quantities.find((q) => q.name === "internal_state")!.histograms[2]));
    expect(lifelineDistribution(lifelines, "no_such", 50)).toBeNull();
  });
});

describe("the worker's lifelines of a live run", () => {
  test("none while it runs; once it has ended, the lifelines of the whole run (to the solver's tolerance: slices move the steps)", () => {
    const start = service.startLive(zonesDoc);
    expect(start.ok).toBe(true);
    service.advance(30);
    expect(service.liveLifelines()).toBeNull();
    service.advance(1000);
    const live = service.liveLifelines()!;
    expect(live).not.toBeNull();
    expect(Array.from(live.times)).toEqual(Array.from(lifelines.times));
    for (const [i, q] of live.quantities.entries()) {
      const whole = lifelines.quantities[i];
      expect(q.name).toBe(whole.name);
      for (let t = 0; t < live.times.length; t++) expect(Math.abs(q.mean[t] - whole.mean[t])).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(whole.mean[t]), q.upper * 1e-3));
    }
    // Same seed, same walk: the agents stay where the whole run put them.
    const moved = live.occupancy.reduce((n, o, t) => n + o.reduce((m, v, z) => m + Math.abs(v - lifelines.occupancy[t][z]), 0), 0);
    expect(moved).toBeLessThanOrEqual(0.001 * lifelines.count * live.times.length);
  });

  test("a live run of a scenario without lifelines has none", () => {
    const doc = readJson("scenarios/cho-fed-batch.json");
    expect(service.startLive(doc).ok).toBe(true);
    service.advance(1e6);
    expect(service.liveLifelines()).toBeNull();
  });
});

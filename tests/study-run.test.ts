// runIndices, the scheduler of the Node pool (the browser's uses the same IndexRegions):
// every index runs once and comes back in order whatever pool ran it; each pool works
// through its own contiguous region, then helps; batches shrink towards the end so the
// pools finish together.
import { expect, test } from "vitest";
import { IndexRegions, runIndices, type RunRecord, type StudyPool } from "../engine/study/run";

function fakePool(name: string, log: { pool: string; batch: number[] }[]): StudyPool {
  return {
    runBatch: async (batch) => {
      log.push({ pool: name, batch });
      // Answer out of order, after a turn of the event loop, as a worker would.
      await new Promise((resolve) => setTimeout(resolve, 1));
      return batch.map((index): RunRecord => ({ index, ok: true, parameters: {}, outputs: { pool: name.charCodeAt(0) } })).reverse();
    },
    close: async () => {},
  };
}

test("every index once, records in index order; each pool works through its own run of indices; batches shrink to 1", async () => {
  const log: { pool: string; batch: number[] }[] = [];
  const indices = Array.from({ length: 300 }, (_, k) => 3 * k + 1);
  const records = await runIndices([fakePool("a", log), fakePool("b", log)], indices, 32, undefined, 2);
  expect(records.map((r) => r.index)).toEqual(indices);
  expect(log.flatMap((l) => l.batch).sort((x, y) => x - y)).toEqual(indices);
  // Pool a starts at the first index, pool b half-way; each goes on where its last batch ended.
  const first = (pool: string) => log.find((l) => l.pool === pool)!.batch[0];
  expect([first("a"), first("b")]).toEqual([indices[0], indices[150]]);
  // Within its own half, a pool's batches follow one another; only the help it gives the
  // other pool at the end (from the back of that pool's half) comes from elsewhere.
  const own = { a: (k: number) => k < 150, b: (k: number) => k >= 150 };
  for (const pool of ["a", "b"] as const) {
    const positions = log.filter((l) => l.pool === pool).flatMap((l) => l.batch.map((i) => indices.indexOf(i))).filter(own[pool]);
    expect(positions).toEqual(Array.from({ length: positions.length }, (_, k) => positions[0] + k));
  }
  const sizes = log.map((l) => l.batch.length);
  // 300 runs over 4 lanes: a batch is an eighth of what is left (ceil), at most 32:
  // 300/8 → 32, 268/8 → 32, 236/8 → 30, 206/8 → 26.
  expect(sizes.slice(0, 4)).toEqual([32, 32, 30, 26]);
  expect(Math.max(...sizes)).toBe(32);
  expect(sizes.slice(-3)).toEqual([1, 1, 1]);
  // Never more than the guided share of what was left (a region's last batch may be shorter).
  let left = indices.length;
  for (const size of sizes) {
    expect(size).toBeLessThanOrEqual(Math.min(32, Math.ceil(left / 8)));
    left -= size;
  }
});

test("a pool whose region is done takes from the back of the largest one left", () => {
  const regions = new IndexRegions([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2);
  expect(regions.take(0, 5)).toEqual([0, 1, 2, 3, 4]);
  expect(regions.take(1, 2)).toEqual([5, 6]);
  expect(regions.take(0, 2)).toEqual([8, 9]);
  expect(regions.take(1, 2)).toEqual([7]);
  expect(regions.remaining).toBe(0);
  expect(regions.take(0, 2)).toEqual([]);
});

test("progress counts the runs done", async () => {
  const done: number[] = [];
  await runIndices([fakePool("a", [])], [0, 1, 2, 3, 4], 2, (n) => done.push(n));
  expect(done.at(-1)).toBe(5);
  expect(done).toEqual([...done].sort((x, y) => x - y));
});

test("a study run builds only the columns its outputs read, and every output and kept trajectory equals the one from the full result", async () => {
  const { loadCore } = await import("../engine/core-bridge");
  const { simulate } = await import("../engine/simulate");
  const { extractOutputs, extractTrajectories } = await import("../engine/study/outputs");
  const { parseStudy } = await import("../engine/study/spec");
  const { runStudyPoint } = await import("../engine/study/run");
  const { readJson, validScenario } = await import("./helpers");
  const core = await loadCore();
  const base = readJson("scenarios/cho-fed-batch.json");
  const parsed = parseStudy({
    kind: "sweep",
    parameters: [{ path: "cells.parameters.muMaxPerH", from: 0.035, to: 0.04, points: 2 }],
    outputs: ["finalTiter", "peakViableDensity", "ivc", "harvestDay", "peakLactate", "peakAmmonium", "maxPco2", "minDo", { kpi: "timeOutsidePh", low: 6.95, high: 7.15 }, { kpi: "value", column: "osmolality", atH: 200 }],
    trajectories: { columns: ["glucose", "do_saturation"], everyH: 12 },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const record = runStudyPoint(core, base, parsed.study, 1);
  if (!record.ok) throw new Error(record.reason);
  const full = simulate(core, validScenario({ ...(base as object), cells: { ...(base as { cells: object }).cells, parameters: { ...(base as { cells: { parameters: object } }).cells.parameters, muMaxPerH: 0.04 } } }));
  expect(full.columns.length).toBeGreaterThan(40);
  expect(record.outputs).toEqual(extractOutputs(full, parsed.study.outputs));
  expect(record.trajectories).toEqual(extractTrajectories(full, { columns: ["glucose", "do_saturation"], everyH: 12 }));
  expect(Object.values(record.outputs).every(Number.isFinite)).toBe(true);
});

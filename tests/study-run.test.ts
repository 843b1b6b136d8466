// runIndices, the scheduler shared by the Node and browser pools: every index runs once
// and comes back in order whatever pool ran it; the first batches go to different
// pools; batches shrink towards the end so the pools finish together.
import { expect, test } from "vitest";
import { runIndices, type RunRecord, type StudyPool } from "../engine/study/run";

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

test("every index once, records in index order; the first batches go to different pools; batches shrink to 1", async () => {
  const log: { pool: string; batch: number[] }[] = [];
  const indices = Array.from({ length: 300 }, (_, k) => 3 * k + 1);
  const records = await runIndices([fakePool("a", log), fakePool("b", log)], indices, 32, undefined, 2);
  expect(records.map((r) => r.index)).toEqual(indices);
  expect(log.flatMap((l) => l.batch).sort((x, y) => x - y)).toEqual(indices);
  expect(log.slice(0, 4).map((l) => l.pool)).toEqual(["a", "b", "a", "b"]);
  const sizes = log.map((l) => l.batch.length);
  // 300 runs over 4 lanes: a batch is an eighth of what is left (ceil), at most 32:
  // 300/8 → 32, 268/8 → 32, 236/8 → 30, 206/8 → 26.
  expect(sizes.slice(0, 4)).toEqual([32, 32, 30, 26]);
  expect(Math.max(...sizes)).toBe(32);
  expect(sizes.slice(-3)).toEqual([1, 1, 1]);
  for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]);
});

test("progress counts the runs done", async () => {
  const done: number[] = [];
  await runIndices([fakePool("a", [])], [0, 1, 2, 3, 4], 2, (n) => done.push(n));
  expect(done.at(-1)).toBe(5);
  expect(done).toEqual([...done].sort((x, y) => x - y));
});

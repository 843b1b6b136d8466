// Shared prefixes (engine/shared-prefix.ts, docs/model.md §1.1): a run that continues
// from the last run's checkpoint gives the numbers of a fresh run, bit for bit — every
// column of every row, the solver statistics, the status and the end time — whatever
// order the runs come in, and the runs did continue (so the check is not vacuous).
import { describe, expect, test } from "vitest";
import { loadCore, type Core } from "../engine/core-bridge";
import { simulate, type SimulationResult } from "../engine/simulate";
import { SharedPrefixes } from "../engine/shared-prefix";
import { readJson, validScenario } from "./helpers";

type Doc = Record<string, any>;
const fedBatch = readJson("scenarios/cho-fed-batch.json") as Doc;

function variant(change: (d: Doc) => void): Doc {
  const d = structuredClone(fedBatch);
  change(d);
  return d;
}

const feedAndShift = (percent: number, shiftH: number) =>
  variant((d) => {
    d.process.bolusSchedules[0].percentOfInitialVolume = percent;
    d.control.temperature.schedule[0].timeH = shiftH;
  });

/** Everything a run reports, as exact numbers (NaN-safe, −0 distinct) for toEqual. */
function fingerprint(r: SimulationResult) {
  return {
    status: r.metadata.status,
    statusCode: r.metadata.statusCode,
    endTimeH: Object.is(r.metadata.endTimeH, -0) ? "-0" : r.metadata.endTimeH,
    stats: r.metadata.stats,
    columns: r.columns.map((c) => ({ name: c.name, bits: Array.from(new BigUint64Array(new Float64Array(c.values).buffer)) })),
    balances: r.balances,
  };
}

/** Runs `docs` in order on one core with shared prefixes, and each afresh on another core. */
async function compare(docs: Doc[], between?: (core: Core) => void) {
  const shared = await loadCore();
  const fresh = await loadCore();
  const prefixes = new SharedPrefixes();
  docs.forEach((doc, i) => {
    const scenario = validScenario(doc);
    const expected = fingerprint(simulate(fresh, scenario));
    const got = fingerprint(simulate(shared, scenario, { prefixes }));
    expect(got, `run ${i}`).toEqual(expected);
    between?.(shared);
  });
  return prefixes;
}

describe("runs that share a beginning", () => {
  test("a feed × shift-day sweep in index order (shift day fastest) equals fresh runs, and most runs continue", async () => {
    const docs = [2, 3.5, 5].flatMap((percent) => [72, 100, 131, 168].map((shift) => feedAndShift(percent, shift)));
    const prefixes = await compare(docs);
    // Every run after the first shares at least the days before the first bolus (72 h).
    expect(prefixes.continued).toBe(docs.length - 1);
    expect(prefixes.skippedH / prefixes.continued).toBeGreaterThanOrEqual(48);
  });

  test("shift days going back in time continue from earlier checkpoints", async () => {
    const prefixes = await compare([168, 150, 120, 96, 73, 150].map((shift) => feedAndShift(3.5, shift)));
    expect(prefixes.continued).toBe(5);
  });

  test("a changed parameter (the cell line) starts afresh; the same run twice continues from its last checkpoint", async () => {
    const slower = variant((d) => (d.cells.parameters.muMaxPerH = 0.035));
    const prefixes = await compare([fedBatch, slower, slower, fedBatch]);
    expect(prefixes.continued).toBe(1);
  });

  test("runs that end early (the harvest rule) equal fresh runs, before and after the runs they continue from", async () => {
    const early = (shiftH: number) =>
      variant((d) => {
        d.process.harvest.viabilityBelowPercent = 97;
        d.control.temperature.schedule[0].timeH = shiftH;
      });
    const runs = [early(168), early(100), early(300), early(120)];
    const prefixes = await compare(runs);
    const stopped = simulate(await loadCore(), validScenario(runs[2]));
    expect(stopped.metadata.status).toBe("harvested");
    expect(prefixes.continued).toBe(3);
  });

  test("another run set up on the core in between makes the next start afresh", async () => {
    const other = validScenario(variant((d) => (d.process.durationH = 200)));
    const prefixes = await compare(
      [72, 96, 120].map((shift) => feedAndShift(3, shift)),
      (core) => simulate(core, other),
    );
    expect(prefixes.continued).toBe(0);
  });
});

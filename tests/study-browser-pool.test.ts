// The browser's study runner (web/model/study-runner.ts) and the Study view's model
// (web/model/study-model.ts), with stand-in workers: every run gets exactly one record;
// a worker that crashes or hangs has its batch recorded as failed and is replaced; cancel
// stops at once and nothing arrives after it; the default study of the fed-batch is the
// issue's question; a run's scenario document is the base with that run's values.
import { describe, expect, test } from "vitest";
import { loadCore } from "../engine/core-bridge";
import { runCount, runPoint } from "../engine/study/design";
import { runStudyPoint, type RunRecord } from "../engine/study/run";
import { parseStudy, type StudySpec } from "../engine/study/spec";
import { parseScenario } from "../engine/scenario";
import { getAt } from "../web/model/schema-form";
import { baseScenarioOf, defaultStudy, RESULTS_INTERVAL_MS, resultsInterval, runDocument, StudyModel, studyFields } from "../web/model/study-model";
import { defaultWorkerCount, StudyRun, type StudySlot } from "../web/model/study-runner";
import { readJson } from "./helpers";

function study(doc: unknown): StudySpec {
  const parsed = parseStudy(doc);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.study;
}

const SWEEP = study({ kind: "sweep", parameters: [{ path: "a", from: 0, to: 1, points: 40 }], outputs: ["finalTiter"] });

/** A record whose output is a function of the run's value (what a real run would compute). */
function fakeRecord(s: StudySpec, index: number): RunRecord {
  const x = runPoint(s, index)[0];
  return { index, ok: true, parameters: { [s.parameters[0].path]: x }, outputs: { finalTiter: 2 * x } };
}

interface SlotLog {
  created: number;
  terminated: number;
  batches: number[][];
}

/** Stand-in workers: answer after `delayMs`; `misbehave(n, batch)` may make slot n crash or hang on a batch. */
function fakeSlots(s: StudySpec, options: { delayMs?: number; misbehave?: (slot: number, batch: number[]) => "crash" | "hang" | "fail-init" | null } = {}) {
  const log: SlotLog = { created: 0, terminated: 0, batches: [] };
  const create = (): StudySlot => {
    const n = log.created++;
    let crash: (e: Error) => void = () => {};
    const lost = new Promise<never>((_, reject) => (crash = reject));
    lost.catch(() => {});
    let dead = false;
    return {
      init: async () => {
        if (options.misbehave?.(n, []) === "fail-init") throw new Error("could not load the kinetics core (404 Not Found)");
      },
      runBatch: (batch) =>
        new Promise((resolve) => {
          log.batches.push(batch);
          const what = options.misbehave?.(n, batch) ?? null;
          if (what === "crash") return setTimeout(() => crash(new Error("the study worker crashed (out of memory)")), 1);
          if (what === "hang") return;
          setTimeout(() => !dead && resolve(batch.map((k) => fakeRecord(s, k))), options.delayMs ?? 0);
        }),
      terminate: () => {
        dead = true;
        log.terminated++;
      },
      lost,
    };
  };
  return { create, log };
}

describe("study runner", () => {
  test("one fewer worker than the cores, at least one", () => {
    expect([1, 2, 4, 8].map((c) => defaultWorkerCount(c))).toEqual([1, 1, 3, 7]);
  });

  test("every run gets exactly one record, whatever the worker count", async () => {
    for (const workers of [1, 2, 3]) {
      const { create, log } = fakeSlots(SWEEP, { delayMs: 1 });
      const got: RunRecord[] = [];
      const run = new StudyRun({}, SWEEP, 40, { workers, createSlot: create, onRecords: (r) => got.push(...r) });
      expect(await run.outcome).toBe("complete");
      expect(got.map((r) => r.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, k) => k));
      expect(got.sort((a, b) => a.index - b.index)).toEqual(Array.from({ length: 40 }, (_, k) => fakeRecord(SWEEP, k)));
      expect(log.created).toBe(workers);
      expect(log.terminated).toBe(workers);
    }
  });

  test("a crashed worker's batch is recorded as failed with the reason, the worker is replaced and the study completes", async () => {
    let crashed = false;
    const { create, log } = fakeSlots(SWEEP, {
      misbehave: (_n, batch) => {
        if (!crashed && batch.includes(5)) {
          crashed = true;
          return "crash";
        }
        return null;
      },
    });
    const got: RunRecord[] = [];
    const progress: number[] = [];
    const run = new StudyRun({}, SWEEP, 40, { workers: 2, maxBatch: 4, createSlot: create, onRecords: (r) => got.push(...r), onProgress: (p) => progress.push(p.failed) });
    expect(await run.outcome).toBe("complete");
    expect(got).toHaveLength(40);
    const failed = got.filter((r) => !r.ok);
    expect(failed.map((r) => r.index)).toContain(5);
    for (const r of failed) expect(r.ok === false && r.reason).toMatch(/crashed \(out of memory\)/);
    expect(failed[0].parameters).toEqual({ a: runPoint(SWEEP, failed[0].index)[0] });
    expect(log.created).toBe(3);
    expect(progress.at(-1)).toBe(failed.length);
    // Only the batch the worker was running fails; the one queued behind it runs on the replacement.
    expect(failed.length).toBeLessThanOrEqual(4);
  });

  test("each worker has the next batch queued while it runs one, and batches shrink towards the end", async () => {
    const s = study({ kind: "sweep", parameters: [{ path: "a", from: 0, to: 1, points: 200 }], outputs: ["finalTiter"] });
    let outstanding = 0;
    let most = 0;
    const sizes: number[] = [];
    const slot = (): StudySlot => ({
      init: async () => {},
      runBatch: (batch) => {
        outstanding++;
        most = Math.max(most, outstanding);
        sizes.push(batch.length);
        return new Promise((resolve) =>
          setTimeout(() => {
            outstanding--;
            resolve(batch.map((k) => fakeRecord(s, k)));
          }, 2),
        );
      },
      terminate: () => {},
      lost: new Promise<never>(() => {}),
    });
    const got: RunRecord[] = [];
    const run = new StudyRun({}, s, 200, { workers: 1, maxBatch: 16, createSlot: slot, onRecords: (r) => got.push(...r) });
    expect(await run.outcome).toBe("complete");
    expect(got.map((r) => r.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, k) => k));
    expect(most).toBe(2);
    expect(sizes.at(-1)).toBe(1);
  });

  test("a worker that does not answer in time is replaced and its runs are recorded as failed", async () => {
    let hung = false;
    const { create, log } = fakeSlots(SWEEP, {
      misbehave: (_n, batch) => {
        if (!hung && batch.includes(7)) {
          hung = true;
          return "hang";
        }
        return null;
      },
    });
    const got: RunRecord[] = [];
    const run = new StudyRun({}, SWEEP, 40, { workers: 1, maxBatch: 4, runTimeoutMs: 30, createSlot: create, onRecords: (r) => got.push(...r) });
    expect(await run.outcome).toBe("complete");
    expect(got).toHaveLength(40);
    const failed = got.filter((r) => !r.ok);
    expect(failed.map((r) => r.index)).toContain(7);
    expect(failed[0].ok === false && failed[0].reason).toMatch(/stuck and has been replaced/);
    expect(log.created).toBe(2);
    expect(failed.length).toBeLessThanOrEqual(4);
  });

  test("cancel settles the study as cancelled at once, terminates every worker, and no record arrives after it", async () => {
    const { create, log } = fakeSlots(SWEEP, { delayMs: 20 });
    const got: RunRecord[] = [];
    const run = new StudyRun({}, SWEEP, 40, { workers: 2, createSlot: create, onRecords: (r) => got.push(...r) });
    await new Promise((r) => setTimeout(r, 30));
    run.cancel();
    const atCancel = got.length;
    expect(await run.outcome).toBe("cancelled");
    expect(log.terminated).toBe(log.created);
    await new Promise((r) => setTimeout(r, 60));
    expect(got.length).toBe(atCancel);
    expect(atCancel).toBeLessThan(40);
  });

  test("workers that cannot start fail the study with the reason", async () => {
    const { create } = fakeSlots(SWEEP, { misbehave: () => "fail-init" });
    const run = new StudyRun({}, SWEEP, 40, { workers: 2, createSlot: create, onRecords: () => {} });
    await expect(run.outcome).rejects.toThrow(/the study workers could not start: could not load the kinetics core/);
  });
});

describe("study model", () => {
  const fedBatch = readJson("scenarios/cho-fed-batch.json");

  test("a running study's results come at most every second, and no more often than 10 times the last redraw took", () => {
    expect(resultsInterval(0)).toBe(RESULTS_INTERVAL_MS);
    expect(resultsInterval(80)).toBe(RESULTS_INTERVAL_MS);
    expect(resultsInterval(300)).toBe(3000);
    const m = new StudyModel(undefined);
    m.noteRedraw(300);
    m.noteRedraw(Number.NaN);
    m.noteRedraw(-1);
    expect(m.lastRedrawMs).toBe(300);
  });

  test("the fed-batch opens with the issue's question: bolus feed × shift day, 7 × 5 runs of titer, peak density and IVC", () => {
    const m = new StudyModel(undefined);
    m.load(fedBatch);
    expect(m.problems).toEqual([]);
    expect(m.runCount).toBe(35);
    expect(m.study!.parameters.map((p) => p.path)).toEqual(["process.bolusSchedules.0.percentOfInitialVolume", "control.temperature.schedule.0.timeH"]);
  });

  test("a scenario without those fields opens with a sweep of one of its numbers around its value", () => {
    const doc = readJson("scenarios/ecoli-fed-batch.json");
    const s = study(defaultStudy(doc));
    const p = s.parameters[0] as { path: string; from: number; to: number };
    expect(studyFields(doc).map((f) => f.path)).toContain(p.path);
    const value = getAt(doc, p.path) as number;
    expect(p.from).toBeLessThan(value);
    expect(p.to).toBeGreaterThan(value);
  });

  test("the fields a study can vary carry their units and current values", () => {
    const fields = studyFields(fedBatch);
    const mu = fields.find((f) => f.path === "cells.parameters.muMaxPerH");
    expect(mu).toMatchObject({ unit: "1/h", value: getAt(fedBatch, "cells.parameters.muMaxPerH") });
    expect(fields.some((f) => f.path.startsWith("simulation."))).toBe(false);
  });

  test("an invalid draft lists its problems by path and makes no runs", () => {
    const m = new StudyModel(undefined);
    m.setDraft({ kind: "sweep", parameters: [{ path: "cells.parameters.muMaxPerH", from: 0.03, to: 0.04, points: 0 }], outputs: ["finalTiter"] });
    expect(m.study).toBeNull();
    expect(m.runCount).toBe(0);
    expect(m.problems.map((p) => p.path)).toContain("parameters.0.points");
  });

  test("a run's scenario is the base (without its study section) with the run's values and seed", () => {
    const base = baseScenarioOf({ ...(fedBatch as object), study: { kind: "sweep" } });
    expect(base).not.toHaveProperty("study");
    const doc = runDocument(base, { parameters: { "cells.parameters.muMaxPerH": 0.041 }, seed: 77 });
    expect(getAt(doc, "cells.parameters.muMaxPerH")).toBe(0.041);
    expect(getAt(doc, "simulation.seed")).toBe(77);
    expect(getAt(base, "cells.parameters.muMaxPerH")).toBe(getAt(fedBatch, "cells.parameters.muMaxPerH"));
  });

  test("a study run on the real core through the pool gives the command line's records and a summary", async () => {
    const core = await loadCore();
    const s = { kind: "sweep", parameters: [{ path: "cells.parameters.muMaxPerH", from: 0.03, to: 0.045, points: 4 }], outputs: ["finalTiter", "ivc"] };
    const inProcess = (): StudySlot => {
      let job: { doc: unknown; spec: StudySpec } | null = null;
      return {
        init: async (doc, spec) => void (job = { doc, spec }),
        runBatch: async (batch) => batch.map((k) => runStudyPoint(core, job!.doc, job!.spec, k)),
        terminate: () => {},
        lost: new Promise<never>(() => {}),
      };
    };
    const m = new StudyModel(undefined, inProcess);
    m.setDraft(s, { save: false });
    await m.start(fedBatch);
    expect(m.status).toBe("complete");
    expect(m.message).toMatch(/^4 runs in/);
    const expected = Array.from({ length: runCount(m.study!) }, (_, k) => runStudyPoint(core, fedBatch, m.study!, k));
    expect(m.data!.runs).toEqual(expected);
    const summary = (m.data!.summary!.outputs as Record<string, unknown>).finalTiter as { n: number; argMax: { index: number } };
    expect(summary.n).toBe(4);
    expect(m.runDocument(summary.argMax.index)).toEqual(runDocument(fedBatch, expected[summary.argMax.index]));
  });

  test("a scenario with a study section opens its study; saving the scenario with the study gives a file biotwin study can run", () => {
    const m = new StudyModel(undefined);
    m.adoptScenario(fedBatch);
    expect(m.runCount).toBe(35);
    const own = { kind: "monte-carlo", samples: 50, parameters: [{ path: "cells.parameters.muMaxPerH", distribution: "normal", mean: 0.04, sd: 0.002 }], outputs: ["finalTiter"], specification: [{ output: "finalTiter", min: 5 }] };
    const withStudy = { ...(fedBatch as object), study: own };
    m.adoptScenario(withStudy);
    expect(m.draft).toEqual(own);
    expect(m.runCount).toBe(50);
    // The same document again (a re-render) keeps the user's edits.
    m.setDraft({ ...own, samples: 60 }, { save: false });
    m.adoptScenario(withStudy);
    expect(m.runCount).toBe(60);
    const file = m.scenarioWithStudy(withStudy, "CHO fed-batch");
    expect(file.name).toBe("cho-fed-batch-with-study.json");
    const saved = JSON.parse(file.text);
    const parsed = parseScenario(saved);
    expect(parsed.ok && parsed.scenario).toBeTruthy();
    expect(saved.study).toEqual({ ...own, samples: 60 });
    expect(baseScenarioOf(saved)).toEqual(fedBatch);
  });

  test("cancel keeps the runs done and says how many", async () => {
    const { create } = fakeSlots(SWEEP, { delayMs: 15 });
    const m = new StudyModel(undefined, create);
    m.setDraft({ kind: "sweep", parameters: [{ path: "a", from: 0, to: 1, points: 40 }], outputs: ["finalTiter"] }, { save: false });
    const done = m.start({});
    await new Promise((r) => setTimeout(r, 25));
    m.cancel();
    await done;
    expect(m.status).toBe("cancelled");
    const kept = m.data!.runs.filter(Boolean).length;
    expect(kept).toBeLessThan(40);
    expect(m.message).toBe(`Cancelled after ${kept} of 40 runs; the results below are of those runs.`);
  });
});

// Entry of a study worker: one of the pool that runs the runs of a study in the browser
// (web/model/study-runner.ts). It compiles the core once, is given the base scenario and
// the study, then answers batches of run indices with their records — the same
// runStudyPoint as the command line's worker threads, so the numbers are the same.
import { expose } from "comlink";
import { Core } from "../../engine/core-bridge";
import { SharedPrefixes } from "../../engine/shared-prefix";
import { runStudyPoint, type RunRecord } from "../../engine/study/run";
import type { StudySpec } from "../../engine/study/spec";
import { compileCore } from "./core-module";

const core = compileCore().then((module) => Core.fromModule(module));
let job: { baseDoc: unknown; study: StudySpec } | null = null;
/** Runs of the study that share a beginning continue from the last run's checkpoints. */
const prefixes = new SharedPrefixes();

const api = {
  /** Sets the study this worker runs (waits for the core, so a ready worker answers at once). */
  init: async (baseDoc: unknown, study: StudySpec): Promise<void> => {
    await core;
    job = { baseDoc, study };
  },
  runBatch: async (indices: number[]): Promise<RunRecord[]> => {
    const c = await core;
    if (!job) throw new Error("the study worker has no study: call init first");
    const { baseDoc, study } = job;
    return indices.map((k) => runStudyPoint(c, baseDoc, study, k, prefixes));
  },
};

export type StudyWorkerApi = typeof api;

expose(api);

// The Node pool of a study: worker_threads running batches of runs. A worker is this
// same bundle (build/cli.mjs) started with workerData.biotwinStudyWorker; it loads the
// core once and answers each run of a batch with its record as soon as it is done, so
// the pool knows which run a worker is on: a run that takes longer than the run timeout
// (a runaway solve) is failed, its worker terminated and replaced, and the batch goes on.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { loadCore } from "../engine/core-bridge";
import { runStudyPoint, type RunRecord, type StudyPool } from "../engine/study/run";
import { studyPaths, type StudySpec } from "../engine/study/spec";
import { runPoint, runSeed } from "../engine/study/design";

interface WorkerData {
  biotwinStudyWorker: true;
  baseDoc: unknown;
  study: StudySpec;
}

if (!isMainThread && (workerData as WorkerData | undefined)?.biotwinStudyWorker) {
  const { baseDoc, study } = workerData as WorkerData;
  const core = await loadCore();
  parentPort!.on("message", (indices: number[]) => {
    for (const k of indices) parentPort!.postMessage(runStudyPoint(core, baseDoc, study, k));
  });
  // Runs are timed from here: starting a worker is not a run's time.
  parentPort!.postMessage("ready");
}

export interface WorkerPoolOptions {
  /** Longest one run may take before it is failed and its worker replaced, in s. */
  runTimeoutS: number;
}

/**
 * One worker thread. Batches may be handed over before the last one is done: they queue
 * in the worker, which then never waits for the main thread between batches. A run that
 * outlasts `runTimeoutS`, or a worker that dies (an error thrown outside a run, out of
 * memory), fails that run with the reason; a new worker takes the rest of the queue.
 */
export function workerPool(baseDoc: unknown, study: StudySpec, options: WorkerPoolOptions): StudyPool {
  let worker: Worker | undefined;
  /** Whether the current worker has loaded its core (runs are timed from then on). */
  let ready = false;
  /** Runs posted to the current worker and not answered yet, in the order it runs them. */
  const queue: { index: number; done: (record: RunRecord) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;

  const fail = (index: number, reason: string): RunRecord => {
    const seed = runSeed(study, index);
    const values = runPoint(study, index);
    const parameters = Object.fromEntries(studyPaths(study).map((path, i) => [path, values[i]]));
    return seed === undefined ? { index, ok: false, parameters, reason } : { index, ok: false, parameters, seed, reason };
  };
  /** The run at the head of the queue gets runTimeoutS from now (it starts when the one before it ends). */
  const arm = () => {
    clearTimeout(timer);
    timer = ready && queue.length > 0 ? setTimeout(() => abandon(`timed out after ${options.runTimeoutS} s (--run-timeout)`), options.runTimeoutS * 1000) : undefined;
  };
  /**
   * Fails the run the worker is on, drops the worker and hands what is left to a new one.
   * A worker that dies before it is ready would die again: then every queued run fails.
   */
  const abandon = (reason: string) => {
    const w = worker;
    const started = ready;
    worker = undefined;
    ready = false;
    void w?.terminate();
    for (const q of queue.splice(0, started ? 1 : queue.length)) q.done(fail(q.index, reason));
    if (queue.length > 0) post(queue.map((q) => q.index));
    arm();
  };
  const spawn = () => {
    const w = new Worker(new URL(import.meta.url), { workerData: { biotwinStudyWorker: true, baseDoc, study } satisfies WorkerData });
    w.on("message", (message: RunRecord | "ready") => {
      if (worker !== w) return;
      if (message === "ready") ready = true;
      else queue.shift()?.done(message);
      arm();
    });
    const die = (reason: string) => {
      if (worker === w) abandon(`the study worker stopped: ${reason}`);
    };
    w.on("error", (error) => die(error.message));
    w.on("exit", (code) => die(`exit code ${code}`));
    return w;
  };
  const post = (indices: number[]) => {
    worker ??= spawn();
    worker.postMessage(indices);
  };
  return {
    runBatch: (indices) => {
      const records = indices.map((index) => new Promise<RunRecord>((done) => queue.push({ index, done })));
      const wasIdle = queue.length === indices.length;
      post(indices);
      if (wasIdle) arm();
      return Promise.all(records);
    },
    close: async () => {
      clearTimeout(timer);
      const w = worker;
      worker = undefined;
      ready = false;
      await w?.terminate();
    },
  };
}

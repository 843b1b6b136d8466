// The Node pool of a study: worker_threads running batches of runs. A worker is this
// same bundle (build/cli.mjs) started with workerData.biotwinStudyWorker; it loads the
// core once and answers each batch of run indices with their records. Which run it is
// on, and since when, it writes to memory shared with the pool (no message per run:
// waking the main thread for every run took CPU from the workers on a 2-core machine),
// so a run that takes longer than the run timeout (a runaway solve) is failed, its
// worker terminated and replaced, and the batches go on.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { loadCore } from "../engine/core-bridge";
import { SharedPrefixes } from "../engine/shared-prefix";
import { failedRecord, runStudyPoint, type RunRecord, type StudyPool } from "../engine/study/run";
import type { StudySpec } from "../engine/study/spec";

interface WorkerData {
  biotwinStudyWorker: true;
  baseDoc: unknown;
  study: StudySpec;
  /** The worker's heartbeat, see `heartbeat`. */
  shared: SharedArrayBuffer;
}

/** No run in progress (the `current` slot of a heartbeat). */
const IDLE = -1;

/** Views of a worker's heartbeat: the run in progress (or IDLE) and when it started (ms since the epoch). */
function heartbeat(shared: SharedArrayBuffer) {
  return { startedMs: new BigInt64Array(shared, 0, 1), current: new Int32Array(shared, 8, 1) };
}

if (!isMainThread && (workerData as WorkerData | undefined)?.biotwinStudyWorker) {
  const { baseDoc, study, shared } = workerData as WorkerData;
  const { startedMs, current } = heartbeat(shared);
  const core = await loadCore();
  const prefixes = new SharedPrefixes();
  parentPort!.on("message", (indices: number[]) => {
    const records = indices.map((k) => {
      // The start time first: a pool that reads this index reads a start at least as new.
      Atomics.store(startedMs, 0, BigInt(Date.now()));
      Atomics.store(current, 0, k);
      return runStudyPoint(core, baseDoc, study, k, prefixes);
    });
    Atomics.store(current, 0, IDLE);
    parentPort!.postMessage(records);
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
 * memory), fails that run with the reason; a new worker runs the rest of the queue again
 * (runs the old worker finished but had not sent give the same records a second time).
 */
export function workerPool(baseDoc: unknown, study: StudySpec, options: WorkerPoolOptions): StudyPool {
  const timeoutMs = options.runTimeoutS * 1000;
  let worker: { thread: Worker; beat: ReturnType<typeof heartbeat>; ready: boolean } | undefined;
  /** Runs posted to the current worker and not answered yet, in the order it runs them. */
  const queue: { index: number; done: (record: RunRecord) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;

  const fail = (index: number, reason: string): RunRecord => failedRecord(study, index, reason);
  /** Checks the run in progress when it would be due, until the queue is empty. */
  const watch = (afterMs = timeoutMs) => {
    clearTimeout(timer);
    timer = worker?.ready && queue.length > 0 ? setTimeout(check, afterMs) : undefined;
  };
  const check = () => {
    if (!worker) return;
    // The index first (see the worker): a start read after it is at least as new.
    const index = Atomics.load(worker.beat.current, 0);
    const runningMs = Date.now() - Number(Atomics.load(worker.beat.startedMs, 0));
    if (index === IDLE || runningMs < timeoutMs) watch(index === IDLE ? timeoutMs : timeoutMs - runningMs);
    else abandon(`timed out after ${options.runTimeoutS} s (--run-timeout)`, index);
  };
  /**
   * Drops the worker, fails run `index` (the run it was on; the head of the queue if
   * none) with `reason` and hands the rest of the queue to a new worker. A worker that
   * dies before it is ready would die again: then every queued run fails.
   */
  const abandon = (reason: string, index = IDLE) => {
    const old = worker;
    worker = undefined;
    void old?.thread.terminate();
    const at = Math.max(0, queue.findIndex((q) => q.index === index));
    for (const q of old?.ready ? queue.splice(at, 1) : queue.splice(0)) q.done(fail(q.index, reason));
    if (queue.length > 0) post(queue.map((q) => q.index));
    watch();
  };
  const spawn = () => {
    const shared = new SharedArrayBuffer(16);
    const beat = heartbeat(shared);
    Atomics.store(beat.current, 0, IDLE);
    const thread = new Worker(new URL(import.meta.url), { workerData: { biotwinStudyWorker: true, baseDoc, study, shared } satisfies WorkerData });
    const self = { thread, beat, ready: false };
    thread.on("message", (message: RunRecord[] | "ready") => {
      if (worker !== self) return;
      if (message === "ready") self.ready = true;
      else for (const record of message) queue.shift()?.done(record);
      watch();
    });
    const die = (reason: string) => {
      if (worker === self) abandon(`the study worker stopped: ${reason}`, Atomics.load(beat.current, 0));
    };
    thread.on("error", (error) => die(error.message));
    thread.on("exit", (code) => die(`exit code ${code}`));
    return self;
  };
  const post = (indices: number[]) => {
    worker ??= spawn();
    worker.thread.postMessage(indices);
  };
  return {
    runBatch: (indices) => {
      const records = indices.map((index) => new Promise<RunRecord>((done) => queue.push({ index, done })));
      const wasIdle = queue.length === indices.length;
      post(indices);
      if (wasIdle) watch();
      return Promise.all(records);
    },
    close: async () => {
      clearTimeout(timer);
      const old = worker;
      worker = undefined;
      await old?.thread.terminate();
    },
  };
}

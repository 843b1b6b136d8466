// The Node pool of a study: worker_threads running batches of runs. A worker is this
// same bundle (build/cli.mjs) started with workerData.biotwinStudyWorker; it loads the
// core once and answers each batch of run indices with their records.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { loadCore } from "../engine/core-bridge";
import { runStudyPoint, type RunRecord, type StudyPool } from "../engine/study/run";
import type { StudySpec } from "../engine/study/spec";

interface WorkerData {
  biotwinStudyWorker: true;
  baseDoc: unknown;
  study: StudySpec;
}

if (!isMainThread && (workerData as WorkerData | undefined)?.biotwinStudyWorker) {
  const { baseDoc, study } = workerData as WorkerData;
  const core = await loadCore();
  parentPort!.on("message", (indices: number[]) => {
    parentPort!.postMessage(indices.map((k) => runStudyPoint(core, baseDoc, study, k)));
  });
}

/** Runs in this thread. */
export async function inProcessPool(baseDoc: unknown, study: StudySpec): Promise<StudyPool> {
  const core = await loadCore();
  return {
    runBatch: async (indices) => indices.map((k) => runStudyPoint(core, baseDoc, study, k)),
    close: async () => {},
  };
}

/** One worker thread; a worker that dies fails its batch with the reason. */
export function workerPool(baseDoc: unknown, study: StudySpec): StudyPool {
  const worker = new Worker(new URL(import.meta.url), { workerData: { biotwinStudyWorker: true, baseDoc, study } satisfies WorkerData });
  let pending: { resolve: (r: RunRecord[]) => void; reject: (e: Error) => void } | undefined;
  let dead: Error | undefined;
  worker.on("message", (records: RunRecord[]) => {
    const p = pending;
    pending = undefined;
    p?.resolve(records);
  });
  const die = (error: Error) => {
    dead = error;
    pending?.reject(error);
    pending = undefined;
  };
  worker.on("error", die);
  worker.on("exit", (code) => die(new Error(`a study worker exited (code ${code})`)));
  return {
    runBatch: (indices) =>
      new Promise((resolve, reject) => {
        if (dead) return reject(dead);
        pending = { resolve, reject };
        worker.postMessage(indices);
      }),
    close: async () => {
      worker.removeAllListeners("exit");
      await worker.terminate();
    },
  };
}

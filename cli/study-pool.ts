// The Node pool of a study: worker_threads running batches of runs. A worker is this
// same bundle (build/cli.mjs) started with workerData.biotwinStudyWorker; it loads the
// core once and answers each batch of run indices with their records.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { loadCore } from "../engine/core-bridge";
import { runStudyPoint, type RunRecord, type StudyPool } from "../engine/study/run";
import type { StudySpec } from "../engine/study/spec";
import { runPoint } from "../engine/study/design";

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

/**
 * One worker thread. A worker that dies (an error thrown outside a run, out of memory)
 * fails its batch's runs with the reason and is replaced for the next batch.
 */
export function workerPool(baseDoc: unknown, study: StudySpec): StudyPool {
  let pending: { indices: number[]; resolve: (r: RunRecord[]) => void } | undefined;
  let worker: Worker | undefined;
  const spawn = () => {
    const w = new Worker(new URL(import.meta.url), { workerData: { biotwinStudyWorker: true, baseDoc, study } satisfies WorkerData });
    w.on("message", (records: RunRecord[]) => {
      const p = pending;
      pending = undefined;
      p?.resolve(records);
    });
    const die = (reason: string) => {
      if (worker !== w) return;
      worker = undefined;
      const p = pending;
      pending = undefined;
      void w.terminate();
      p?.resolve(p.indices.map((index) => ({ index, ok: false, parameters: pointParameters(study, index), reason: `the study worker stopped: ${reason}` })));
    };
    w.on("error", (error) => die(error.message));
    w.on("exit", (code) => die(`exit code ${code}`));
    return w;
  };
  return {
    runBatch: (indices) =>
      new Promise((resolve) => {
        worker ??= spawn();
        pending = { indices, resolve };
        worker.postMessage(indices);
      }),
    close: async () => {
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}

function pointParameters(study: StudySpec, index: number): Record<string, number> {
  const values = runPoint(study, index);
  return Object.fromEntries(study.parameters.map((p, i) => [p.path, values[i]]));
}

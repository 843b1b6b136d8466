// Runs a study in the browser on a pool of Web Workers (web/worker/study-worker.ts): one
// fewer than the cores, at least one. Each worker takes batches of run indices, with the
// next one queued while it runs one (it never waits for the page between two); the batch
// size adapts so a batch takes about BATCH_TARGET_MS, which keeps progress and cancel
// prompt, and shrinks towards the end so the workers finish together. A worker that
// crashes or does not answer in time is replaced and its batch's runs are recorded as
// failed with the reason; the study goes on. Cancel terminates the workers at once. Which worker ran a run never changes its numbers (runStudyPoint is a
// pure function of the study, the base scenario and the run index).
import { wrap, type Remote } from "comlink";
import { failedRecord, guidedBatch, IndexRegions, type RunRecord } from "../../engine/study/run";
import type { StudySpec } from "../../engine/study/spec";
import type { StudyWorkerApi } from "../worker/study-worker";

/** Wall time a batch should take, ms: short enough for a live progress bar and a prompt cancel. */
export const BATCH_TARGET_MS = 150;
/** Largest batch, runs. */
export const MAX_BATCH = 64;
/** Batches queued on a worker at once: the next one waits in the worker while it runs one. */
export const PIPELINE = 2;
/** How long one run may take before its worker counts as stuck, ms (a whole run's allowance). */
export const RUN_TIMEOUT_MS = 60_000;

/** Workers for a study: one fewer than the logical cores (the page keeps one), at least one. */
export function defaultWorkerCount(cores = globalThis.navigator?.hardwareConcurrency ?? 2): number {
  return Math.max(1, Math.floor(cores) - 1);
}

export interface StudyProgress {
  done: number;
  failed: number;
  total: number;
  elapsedS: number;
  /** Runs per second since the start (0 until the first batch returns). */
  ratePerS: number;
  /** Seconds left at that rate; null until it is known. */
  etaS: number | null;
  workers: number;
}

export type StudyOutcome = "complete" | "cancelled";

/** One worker as the runner sees it (a Web Worker in the app, a fake in unit tests). */
export interface StudySlot {
  init(baseDoc: unknown, study: StudySpec): Promise<void>;
  runBatch(indices: number[]): Promise<RunRecord[]>;
  terminate(): void;
  /** Rejects (with the reason) when the worker crashes; never resolves. */
  readonly lost: Promise<never>;
}

/** A study slot on a real Web Worker. */
export function webWorkerSlot(): StudySlot {
  const worker = new Worker(new URL("../worker/study-worker.ts", import.meta.url), { type: "module", name: "biotwin-study" });
  const api: Remote<StudyWorkerApi> = wrap<StudyWorkerApi>(worker);
  const lost = new Promise<never>((_, reject) => {
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      reject(new Error(`the study worker crashed (${event.message || "error"})`));
    });
    worker.addEventListener("messageerror", () => reject(new Error("the study worker sent a message that could not be read")));
  });
  lost.catch(() => {});
  return {
    init: (baseDoc, study) => api.init(baseDoc, study),
    runBatch: (indices) => api.runBatch(indices),
    terminate: () => worker.terminate(),
    lost,
  };
}

export interface StudyRunOptions {
  workers?: number;
  /** Told each batch's records as they arrive (any order of batches). */
  onRecords: (records: RunRecord[]) => void;
  onProgress?: (progress: StudyProgress) => void;
  runTimeoutMs?: number;
  /** Makes a worker (tests pass fakes). */
  createSlot?: () => StudySlot;
  /** Run indices to run (default all, in order). */
  indices?: number[];
  /** Largest batch (default MAX_BATCH). */
  maxBatch?: number;
}

class Cancelled extends Error {}

/** One running study; `outcome` settles when every run has a record or the study is cancelled. */
export class StudyRun {
  readonly outcome: Promise<StudyOutcome>;
  private cancelled = false;
  private readonly slots = new Set<StudySlot>();
  private cancelWaiters: (() => void)[] = [];

  constructor(baseDoc: unknown, study: StudySpec, total: number, private readonly options: StudyRunOptions) {
    this.outcome = this.run(baseDoc, study, total);
  }

  /** Stops the study now: every worker is terminated; the records already told are kept. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const slot of this.slots) slot.terminate();
    this.slots.clear();
    for (const wake of this.cancelWaiters) wake();
    this.cancelWaiters = [];
  }

  private whenCancelled(): Promise<never> {
    return new Promise<never>((_, reject) => {
      if (this.cancelled) reject(new Cancelled());
      else this.cancelWaiters.push(() => reject(new Cancelled()));
    });
  }

  private async run(baseDoc: unknown, study: StudySpec, total: number): Promise<StudyOutcome> {
    const o = this.options;
    const queue = o.indices ?? Array.from({ length: total }, (_, k) => k);
    const createSlot = o.createSlot ?? webWorkerSlot;
    const runTimeoutMs = o.runTimeoutMs ?? RUN_TIMEOUT_MS;
    const maxBatch = o.maxBatch ?? MAX_BATCH;
    const workers = Math.max(1, Math.min(o.workers ?? defaultWorkerCount(), queue.length || 1));
    const started = performance.now();
    let done = 0;
    let failed = 0;
    const report = () => {
      const elapsedS = (performance.now() - started) / 1000;
      const ratePerS = done > 0 && elapsedS > 0 ? done / elapsedS : 0;
      o.onProgress?.({ done, failed, total: queue.length, elapsedS, ratePerS, etaS: ratePerS > 0 ? (queue.length - done) / ratePerS : null, workers });
    };
    const record = (records: RunRecord[]) => {
      if (this.cancelled) return;
      done += records.length;
      failed += records.filter((r) => !r.ok).length;
      o.onRecords(records);
      report();
    };
    const failedRecords = (indices: number[], reason: string): RunRecord[] => indices.map((index) => failedRecord(study, index, reason));

    /** Indices of batches that were queued on a worker that was lost before it started them. */
    const retry: number[] = [];
    // Each worker works through its own run of indices, then helps the others: neighbouring
    // runs continue from each other's checkpoints (engine/shared-prefix.ts).
    const regions = new IndexRegions(queue, workers);
    const remaining = () => retry.length + regions.remaining;
    /** Worker w's next batch: retried indices first, then its region; guided so the workers finish together. */
    const takeBatch = (w: number, size: number): number[] => {
      const guided = guidedBatch(size, remaining(), workers);
      const batch = retry.splice(0, guided);
      return batch.length > 0 ? batch : regions.take(w, guided);
    };

    /**
     * A worker's loop: start a slot, then keep PIPELINE batches queued on it (so it never
     * waits for the page between two) until the queue is empty; replace the slot if it is
     * lost. The batch at the head is the one the worker is running: it alone can fail,
     * and its time-out runs from when it became the head.
     */
    const worker = async (_: unknown, w: number) => {
      let slot: StudySlot | null = null;
      let batchSize = Math.min(2, maxBatch);
      const stop = this.whenCancelled();
      stop.catch(() => {});
      const pending: { batch: number[]; answer: Promise<RunRecord[]> }[] = [];
      while (remaining() > 0 || pending.length > 0) {
        if (!slot) {
          slot = createSlot();
          this.slots.add(slot);
          try {
            await Promise.race([slot.init(baseDoc, study), slot.lost, stop]);
          } catch (error) {
            if (error instanceof Cancelled) throw error;
            // A worker that cannot even start (the core does not load) will not start next time either.
            this.cancel();
            throw new Error(`the study workers could not start: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        while (pending.length < PIPELINE && remaining() > 0) {
          const batch = takeBatch(w, batchSize);
          const answer = slot.runBatch(batch);
          answer.catch(() => {});
          pending.push({ batch, answer });
        }
        const head = pending[0];
        const t0 = performance.now();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const allowanceMs = runTimeoutMs * head.batch.length;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${(allowanceMs / 1000).toFixed(0)} s for ${head.batch.length} run(s): the worker was stuck and has been replaced`)), allowanceMs);
        });
        try {
          record(await Promise.race([head.answer, slot.lost, timeout, stop]));
          pending.shift();
          const perRunMs = (performance.now() - t0) / head.batch.length;
          batchSize = Math.max(1, Math.min(maxBatch, Math.round(BATCH_TARGET_MS / Math.max(perRunMs, 0.01))));
        } catch (error) {
          if (error instanceof Cancelled) throw error;
          slot.terminate();
          this.slots.delete(slot);
          slot = null;
          batchSize = 1;
          pending.shift();
          // The batches behind the head never started: they go to the next worker.
          for (const queued of pending.splice(0)) retry.push(...queued.batch);
          record(failedRecords(head.batch, error instanceof Error ? error.message : String(error)));
        } finally {
          clearTimeout(timer);
        }
      }
      if (slot) {
        slot.terminate();
        this.slots.delete(slot);
      }
    };
    try {
      await Promise.all(Array.from({ length: workers }, worker));
    } catch (error) {
      if (error instanceof Cancelled) return "cancelled";
      throw error;
    }
    if (this.cancelled) return "cancelled";
    return "complete";
  }
}

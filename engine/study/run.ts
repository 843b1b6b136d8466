// Runs the points of a study: one run is the base scenario document with the run's
// parameter values set by path, validated, simulated and reduced to its outputs. A run
// that cannot be made (an invalid value, a setup problem, a solver failure) is recorded
// with its reason; runPoint never throws for a bad point. The pool interface lets the
// browser (Web Workers) and Node (worker_threads, cli/study-pool.ts) run batches.
import type { Core } from "../core-bridge";
import { applyOverrides, formatProblem, parseScenario } from "../scenario";
import { simulate } from "../simulate";
import type { SharedPrefixes } from "../shared-prefix";
import { runPoint as designPoint, runSeed } from "./design";
import { extractOutputs, extractTrajectories, studyColumns, type RunTrajectories } from "./outputs";
import { studyPaths, trajectoriesOf, type StudySpec } from "./spec";

/** One run of a study; `parameters` by path in studyPaths order; `seed` for runs with their own simulation.seed. */
export type RunRecord =
  | { index: number; ok: true; parameters: Record<string, number>; seed?: number; outputs: Record<string, number>; trajectories?: RunTrajectories }
  | { index: number; ok: false; parameters: Record<string, number>; seed?: number; reason: string };

/**
 * Runs point `index` of `study` on `baseDoc` (an unvalidated scenario document). A pool
 * passes the `prefixes` of its core, so runs that share a beginning do not repeat it
 * (engine/shared-prefix.ts; the records are the same either way).
 */
export function runStudyPoint(core: Core, baseDoc: unknown, study: StudySpec, index: number, prefixes?: SharedPrefixes): RunRecord {
  const values = designPoint(study, index);
  const paths = studyPaths(study);
  const parameters = Object.fromEntries(paths.map((path, i) => [path, values[i]]));
  const seed = runSeed(study, index);
  const head = seed === undefined ? { index, parameters } : { index, parameters, seed };
  const fail = (reason: string): RunRecord => ({ ...head, ok: false, reason });
  try {
    const sets = paths.map((path, i) => `${path}=${JSON.stringify(values[i])}`);
    if (seed !== undefined) sets.push(`simulation.seed=${seed}`);
    const doc = applyOverrides(baseDoc, sets);
    const parsed = parseScenario(doc);
    if (!parsed.ok) return fail(parsed.problems.map(formatProblem).join("; "));
    // Only the columns the outputs and kept trajectories read (the numbers are the same; the run is cheaper).
    const result = simulate(core, parsed.scenario, { columns: studyColumns(study), prefixes });
    if (result.metadata.status === "failed") return fail(result.metadata.message);
    const outputs = extractOutputs(result, study.outputs);
    const kept = trajectoriesOf(study);
    return kept ? { ...head, ok: true, outputs, trajectories: extractTrajectories(result, kept) } : { ...head, ok: true, outputs };
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

/** The record of a run that could not be made (a worker lost, a time-out), with the parameters and seed it would have had. */
export function failedRecord(study: StudySpec, index: number, reason: string): RunRecord {
  const values = designPoint(study, index);
  const parameters = Object.fromEntries(studyPaths(study).map((path, i) => [path, values[i]]));
  const seed = runSeed(study, index);
  return seed === undefined ? { index, ok: false, parameters, reason } : { index, ok: false, parameters, seed, reason };
}

/** Runs batches of run indices somewhere (threads, workers) and returns their records. */
export interface StudyPool {
  runBatch(indices: number[]): Promise<RunRecord[]>;
  close(): Promise<void>;
}

/** The run indices of shard `shard` of `count` (0-based): indices ≡ shard (mod count). */
export function shardIndices(total: number, shard = 0, count = 1): number[] {
  const out: number[] = [];
  for (let k = shard; k < total; k += count) out.push(k);
  return out;
}

/**
 * The run indices of a study split into one contiguous region per worker. A worker takes
 * batches from the front of its own region and, once that is empty, from the back of the
 * largest region left, so each worker's runs follow one another in index order as far as
 * possible: runs next to each other differ least, and a worker's next run continues from
 * its last one's checkpoints (engine/shared-prefix.ts). Which worker runs an index never
 * changes its record.
 */
export class IndexRegions {
  private readonly start: number[];
  private readonly end: number[];

  constructor(private readonly indices: readonly number[], workers: number) {
    const n = Math.max(1, workers);
    this.start = Array.from({ length: n }, (_, w) => Math.round((w * indices.length) / n));
    this.end = Array.from({ length: n }, (_, w) => Math.round(((w + 1) * indices.length) / n));
  }

  /** Indices not yet taken. */
  get remaining(): number {
    return this.start.reduce((sum, s, w) => sum + this.end[w] - s, 0);
  }

  /** Up to `size` indices for worker `w` (none when every region is empty). */
  take(w: number, size: number): number[] {
    if (this.end[w] > this.start[w]) {
      const from = this.start[w];
      this.start[w] = Math.min(this.end[w], from + size);
      return this.indices.slice(from, this.start[w]);
    }
    let largest = -1;
    for (let r = 0; r < this.start.length; r++) {
      if (this.end[r] > this.start[r] && (largest < 0 || this.end[r] - this.start[r] > this.end[largest] - this.start[largest])) largest = r;
    }
    if (largest < 0) return [];
    const to = this.end[largest];
    this.end[largest] = Math.max(this.start[largest], to - size);
    return this.indices.slice(this.end[largest], to);
  }
}

/** Guided batch size: up to `batchSize`, a share of what is left so the workers finish together. */
export function guidedBatch(batchSize: number, remaining: number, lanes: number): number {
  return Math.max(1, Math.min(batchSize, Math.ceil(remaining / (2 * lanes))));
}

/**
 * Runs `indices` over `pools` and returns the records in index order. Each pool works
 * through its own region of the indices (IndexRegions) and then helps the others; a pool
 * that queues batches (cli/study-pool.ts) may hold `inFlight` of them at once so it never
 * waits between two. Batches hold up to `batchSize` runs and shrink towards the end
 * (guided scheduling), so the pools finish together instead of one idling while another
 * ends a long batch. Which pool runs which index never changes a record.
 */
export async function runIndices(pools: StudyPool[], indices: number[], batchSize: number, onProgress?: (done: number) => void, inFlight = 1): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  const regions = new IndexRegions(indices, pools.length);
  const lanes = pools.length * inFlight;
  await Promise.all(
    pools.flatMap((pool, w) =>
      Array.from({ length: inFlight }, async () => {
        const next = () => regions.take(w, guidedBatch(batchSize, regions.remaining, lanes));
        for (let batch = next(); batch.length > 0; batch = next()) {
          records.push(...(await pool.runBatch(batch)));
          onProgress?.(records.length);
        }
      }),
    ),
  );
  return records.sort((a, b) => a.index - b.index);
}

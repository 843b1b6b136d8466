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
 * Runs `indices` over `pools` and returns the records in index order. Batches go to
 * whichever pool is free; a pool that queues batches (cli/study-pool.ts) may hold
 * `inFlight` of them at once so it never waits between two. Batches hold up to
 * `batchSize` runs and shrink towards the end (guided scheduling: a share of what is
 * left), so the pools finish together instead of one idling while another ends a long
 * batch. Which pool runs which index never changes a record.
 */
export async function runIndices(pools: StudyPool[], indices: number[], batchSize: number, onProgress?: (done: number) => void, inFlight = 1): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  // Round-robin, so the first batches go to different pools.
  const lanes = Array.from({ length: inFlight }, () => pools).flat();
  let next = 0;
  const take = () => {
    const size = Math.max(1, Math.min(batchSize, Math.ceil((indices.length - next) / (2 * lanes.length))));
    const batch = indices.slice(next, next + size);
    next += batch.length;
    return batch;
  };
  await Promise.all(
    lanes.map(async (pool) => {
      while (next < indices.length) {
        records.push(...(await pool.runBatch(take())));
        onProgress?.(records.length);
      }
    }),
  );
  return records.sort((a, b) => a.index - b.index);
}

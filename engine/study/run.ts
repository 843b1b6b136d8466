// Runs the points of a study: one run is the base scenario document with the run's
// parameter values set by path, validated, simulated and reduced to its outputs. A run
// that cannot be made (an invalid value, a setup problem, a solver failure) is recorded
// with its reason; runPoint never throws for a bad point. The pool interface lets the
// browser (Web Workers) and Node (worker_threads, cli/study-pool.ts) run batches.
import type { Core } from "../core-bridge";
import { applyOverrides, formatProblem, parseScenario } from "../scenario";
import { simulate } from "../simulate";
import { runPoint as designPoint, runSeed } from "./design";
import { extractOutputs } from "./outputs";
import type { StudySpec } from "./spec";

export type RunRecord =
  | { index: number; ok: true; parameters: Record<string, number>; seed?: number; outputs: Record<string, number> }
  | { index: number; ok: false; parameters: Record<string, number>; seed?: number; reason: string };

/** Runs point `index` of `study` on `baseDoc` (an unvalidated scenario document). */
export function runStudyPoint(core: Core, baseDoc: unknown, study: StudySpec, index: number): RunRecord {
  const values = designPoint(study, index);
  const parameters = Object.fromEntries(study.parameters.map((p, i) => [p.path, values[i]]));
  const seed = runSeed(study, index);
  const head = seed === undefined ? { index, parameters } : { index, parameters, seed };
  const fail = (reason: string): RunRecord => ({ ...head, ok: false, reason });
  try {
    const sets = study.parameters.map((p, i) => `${p.path}=${JSON.stringify(values[i])}`);
    if (seed !== undefined) sets.push(`simulation.seed=${seed}`);
    const doc = applyOverrides(baseDoc, sets);
    const parsed = parseScenario(doc);
    if (!parsed.ok) return fail(parsed.problems.map(formatProblem).join("; "));
    const result = simulate(core, parsed.scenario);
    if (result.metadata.status === "failed") return fail(result.metadata.message);
    return { ...head, ok: true, outputs: extractOutputs(result, study.outputs) };
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
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
 * Runs `indices` over `pools` (each takes one batch at a time) and returns the records
 * in index order. Batches of `batchSize` runs are handed to whichever pool is free.
 */
export async function runIndices(pools: StudyPool[], indices: number[], batchSize: number, onProgress?: (done: number) => void): Promise<RunRecord[]> {
  const batches: number[][] = [];
  for (let i = 0; i < indices.length; i += batchSize) batches.push(indices.slice(i, i + batchSize));
  const records: RunRecord[] = [];
  let next = 0;
  await Promise.all(
    pools.map(async (pool) => {
      while (next < batches.length) {
        const batch = batches[next++];
        records.push(...(await pool.runBatch(batch)));
        onProgress?.(records.length);
      }
    }),
  );
  return records.sort((a, b) => a.index - b.index);
}

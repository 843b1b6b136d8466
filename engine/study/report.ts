// The JSON-lines file of a study: a header line (the study and its run count), one line
// per run in run-index order, then a summary line. A shard file has the header (with
// "shard": "i/n") and its runs only; merging the shards rebuilds exactly the bytes of the
// unsharded file, because both go through studyFileText.
import { runCount, summarizeOutput } from "./design";
import type { RunRecord } from "./run";
import { outputName, type StudySpec } from "./spec";

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v));

export interface StudyHeader {
  type: "study";
  format: "biotwin-study-result";
  version: 1;
  study: StudySpec;
  /** SHA-256 of the base scenario (after --set, defaults filled): shards of different bases do not merge. */
  baseScenarioHash: string;
  runs: number;
  shard?: string;
}

export function studyHeader(study: StudySpec, baseScenarioHash: string, shard?: { index: number; count: number }): StudyHeader {
  const header: StudyHeader = { type: "study", format: "biotwin-study-result", version: 1, study, baseScenarioHash, runs: runCount(study) };
  if (shard && shard.count > 1) header.shard = `${shard.index}/${shard.count}`;
  return header;
}

export function runLine(record: RunRecord): string {
  return json({ type: "run", ...record });
}

/** One summary per output, from the run lines (a run's missing or null value counts as failed). */
export function studySummary(study: StudySpec, runs: readonly { index: number; ok: boolean; outputs?: Record<string, number | null> }[]) {
  const total = runCount(study);
  const outputs: Record<string, unknown> = {};
  for (const o of study.outputs) {
    const name = outputName(o);
    const y: (number | null)[] = new Array(total).fill(null);
    for (const r of runs) if (r.ok && r.outputs) y[r.index] = r.outputs[name] ?? null;
    outputs[name] = summarizeOutput(study, y);
  }
  return { type: "summary", kind: study.kind, failedRuns: runs.filter((r) => !r.ok).length, outputs };
}

/**
 * The file text: header, the run lines (already serialized, any order) sorted by index,
 * and for a complete study the summary line computed from the serialized runs.
 */
export function studyFileText(header: StudyHeader, lines: readonly string[]): string {
  const runs = lines.map((l) => JSON.parse(l) as { index: number; ok: boolean; outputs?: Record<string, number | null> });
  const order = runs.map((r, i) => i).sort((a, b) => runs[a].index - runs[b].index);
  const out = [json(header), ...order.map((i) => lines[i])];
  if (header.shard === undefined) out.push(json(studySummary(header.study, runs)));
  return out.join("\n") + "\n";
}

/** Joins shard files into the text an unsharded run gives; throws Error with a sentence when they do not fit together. */
export function mergeStudyFiles(parts: { name: string; text: string }[]): string {
  let header: StudyHeader | undefined;
  let headerKey = "";
  let shardCount = 0;
  const shards = new Set<number>();
  const lines = new Map<number, string>();
  for (const part of parts) {
    const rows = part.text.split("\n").filter((l) => l.trim() !== "");
    if (rows.length === 0) throw new Error(`${part.name}: empty file`);
    let h: StudyHeader;
    try {
      h = JSON.parse(rows[0]);
    } catch {
      throw new Error(`${part.name}: line 1 is not JSON`);
    }
    if (h?.type !== "study" || h.format !== "biotwin-study-result") throw new Error(`${part.name}: not a study result (line 1 is not a study header)`);
    const { shard, ...rest } = h;
    const key = json(rest);
    if (header === undefined) {
      header = rest;
      headerKey = key;
    } else if (key !== headerKey) throw new Error(`${part.name}: a different study or base scenario than ${parts[0].name}`);
    const m = /^(\d+)\/(\d+)$/.exec(shard ?? "0/1");
    if (!m) throw new Error(`${part.name}: bad shard "${shard}"`);
    const [i, n] = [Number(m[1]), Number(m[2])];
    if (shardCount === 0) shardCount = n;
    else if (n !== shardCount) throw new Error(`${part.name}: shard ${shard} does not fit a study split in ${shardCount}`);
    if (shards.has(i)) throw new Error(`${part.name}: shard ${i}/${n} is given twice`);
    shards.add(i);
    rows.slice(1).forEach((row, k) => {
      let r: { type?: string; index?: number };
      try {
        r = JSON.parse(row);
      } catch {
        throw new Error(`${part.name}: line ${k + 2} is not JSON`);
      }
      if (r.type === "summary") return;
      if (r.type !== "run" || !Number.isInteger(r.index)) throw new Error(`${part.name}: line ${k + 2} is not a run`);
      if (lines.has(r.index!)) throw new Error(`${part.name}: run ${r.index} appears twice`);
      lines.set(r.index!, row);
    });
  }
  if (!header) throw new Error("no files to merge");
  const missing: number[] = [];
  for (let k = 0; k < header.runs && missing.length < 5; k++) if (!lines.has(k)) missing.push(k);
  if (missing.length > 0) throw new Error(`runs missing: ${missing.join(", ")}${missing.length === 5 ? ", ..." : ""} (is a shard left out?)`);
  if (lines.size !== header.runs) throw new Error(`the parts hold ${lines.size} runs; the study has ${header.runs}`);
  return studyFileText(header, [...lines.values()]);
}

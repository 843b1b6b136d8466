// The JSON-lines file of a study: a header line (the study and its run count), one line
// per run in run-index order, then a summary line. A shard file has the header (with
// "shard": "i/n") and its runs only; merging the shards rebuilds exactly the bytes of the
// unsharded file, because both go through studyFileText.
import { quantile, runCount, summarizeOutput } from "./design";
import type { RunRecord } from "./run";
import { outputName, trajectoriesOf, type StudySpec } from "./spec";

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

/** A run as its line reads back: numbers that were not finite are null. */
export interface RunLine {
  index: number;
  ok: boolean;
  outputs?: Record<string, number | null>;
  trajectories?: { tH: number[]; values: Record<string, (number | null)[] | null> };
}

/** Percentile bands of kept columns over the ok runs that reach each time; null where no run does (n = 0). */
export interface TrajectoryBands {
  tH: number[];
  columns: Record<string, { n: number[]; p5: (number | null)[]; p25: (number | null)[]; p50: (number | null)[]; p75: (number | null)[]; p95: (number | null)[] }>;
}

export function trajectoryBands(columns: readonly string[], runs: readonly RunLine[]): TrajectoryBands {
  let tH: number[] = [];
  for (const r of runs) if (r.ok && r.trajectories && r.trajectories.tH.length > tH.length) tH = r.trajectories.tH;
  const bands: TrajectoryBands["columns"] = {};
  for (const column of columns) {
    const band = { n: [] as number[], p5: [] as (number | null)[], p25: [] as (number | null)[], p50: [] as (number | null)[], p75: [] as (number | null)[], p95: [] as (number | null)[] };
    for (let i = 0; i < tH.length; i++) {
      const xs: number[] = [];
      for (const r of runs) {
        const v = r.ok ? r.trajectories?.values[column]?.[i] : undefined;
        if (typeof v === "number" && Number.isFinite(v)) xs.push(v);
      }
      xs.sort((a, b) => a - b);
      const q = (p: number) => (xs.length > 0 ? quantile(xs, p) : null);
      band.n.push(xs.length);
      band.p5.push(q(0.05));
      band.p25.push(q(0.25));
      band.p50.push(q(0.5));
      band.p75.push(q(0.75));
      band.p95.push(q(0.95));
    }
    bands[column] = band;
  }
  return { tH, columns: bands };
}

/** Wilson score interval of a proportion k/n at the 95 % level (Wilson 1927; Newcombe 1998, method 3). */
export function wilsonInterval(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  if (n <= 0) return [0, 1];
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The share of all the study's runs (N = runCount) that meet every criterion; a failed run
 * or a missing value is out of specification. Bounds are inclusive.
 */
export function specificationSummary(study: StudySpec, runs: readonly RunLine[]) {
  const criteria = study.specification ?? [];
  const total = runCount(study);
  const meets = (c: (typeof criteria)[number], r: RunLine) => {
    const v = r.ok ? r.outputs?.[c.output] : undefined;
    return typeof v === "number" && Number.isFinite(v) && (c.min === undefined || v >= c.min) && (c.max === undefined || v <= c.max);
  };
  const inSpec = runs.filter((r) => criteria.every((c) => meets(c, r))).length;
  return {
    runs: total,
    inSpec,
    fraction: inSpec / total,
    ci95: wilsonInterval(inSpec, total),
    criteria: criteria.map((c) => {
      const m = runs.filter((r) => meets(c, r)).length;
      return { ...c, inSpec: m, fraction: m / total };
    }),
  };
}

/**
 * One summary per output, from the run lines (a run's missing or null value counts as
 * failed), then the trajectory bands and the specification when the study asks for them.
 */
export function studySummary(study: StudySpec, runs: readonly RunLine[]) {
  const total = runCount(study);
  const outputs: Record<string, unknown> = {};
  for (const o of study.outputs) {
    const name = outputName(o);
    const y: (number | null)[] = new Array(total).fill(null);
    for (const r of runs) if (r.ok && r.outputs) y[r.index] = r.outputs[name] ?? null;
    outputs[name] = summarizeOutput(study, y);
  }
  const summary: Record<string, unknown> = { type: "summary", kind: study.kind, failedRuns: runs.filter((r) => !r.ok).length, outputs };
  const kept = trajectoriesOf(study);
  if (kept) summary.trajectories = trajectoryBands(kept.columns, runs);
  if (study.specification) summary.specification = specificationSummary(study, runs);
  return summary;
}

/**
 * The file text: header, the run lines (already serialized, any order) sorted by index,
 * and for a complete study the summary line computed from the serialized runs.
 */
export function studyFileText(header: StudyHeader, lines: readonly string[]): string {
  const runs = lines.map((l) => JSON.parse(l) as RunLine);
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

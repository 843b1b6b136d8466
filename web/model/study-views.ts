// The data behind the study result views (issue 7): pure transforms from a study, its
// run records (sparse while the study runs) and its summary line (when complete) to
// what <bt-study-results> and its views draw — sweep series, 2-D grids, histograms with
// specification limits, percentile bands over time, tornado rows — and to the CSV and
// JSON exports. No DOM. The input types follow engine/study (StudySpec, RunRecord,
// studySummary) plus the optional fields (kept trajectories, specification, replicates).
import { computeKpis } from "../../engine/kpis";
import { CHO_COLUMNS } from "../../engine/models/cho";
import { microbialModel } from "../../engine/models/microbial";
import { quantile, runPoint, summarizeOutput } from "../../engine/study/design";
import type { RunRecord } from "../../engine/study/run";
import { outputName, studyPaths, trajectoriesOf, type StudyOutput, type StudySpec } from "../../engine/study/spec";
import { wilsonInterval } from "../../engine/study/report";
import { allFields, buildScenarioForm, splitPath, type FormField } from "./schema-form";

// ---- input shapes (engine/study plus the contract's optional additions) -------------

/** Result columns kept over time in every run, every `everyH` h. */
export type TrajectorySpec = NonNullable<ReturnType<typeof trajectoriesOf>>;

/** One specification criterion on an output (inclusive bounds; at least one of them). */
export type SpecCriterion = NonNullable<StudySpec["specification"]>[number];

/** The study the views draw (engine/study's StudySpec: a Morris study's `trajectories` is its count r). */
export type ViewStudy = StudySpec;

/** The trajectory columns the runs keep, if any (never a Morris study's trajectory count). */
export const trajectorySpec = trajectoriesOf;

/** A run's columns over time: tH in h; a value is null where the column is missing (JSON null). */
export interface RunTrajectories {
  tH: number[];
  values: Record<string, (number | null)[]>;
}

/** A run record as read from a study file: outputs may be null (non-finite in JSON). */
export type ViewRun = (
  | (Omit<Extract<RunRecord, { ok: true }>, "outputs"> & { outputs: Record<string, number | null> })
  | Extract<RunRecord, { ok: false }>
) & { trajectories?: RunTrajectories };

/** Percentiles over ok runs at each time of a grid; null where n = 0. */
export interface PercentileSeries {
  n: number[];
  p5: (number | null)[];
  p25: (number | null)[];
  p50: (number | null)[];
  p75: (number | null)[];
  p95: (number | null)[];
}

export interface SpecificationSummary {
  runs: number;
  inSpec: number;
  fraction: number;
  ci95: [number, number];
  criteria: (SpecCriterion & { inSpec: number; fraction: number })[];
}

/** The summary line of a complete study (studySummary() plus the contract's additions). */
export interface ViewSummary {
  type?: "summary";
  kind: StudySpec["kind"];
  failedRuns: number;
  outputs: Record<string, unknown>;
  trajectories?: { tH: number[]; columns: Record<string, PercentileSeries> };
  specification?: SpecificationSummary;
}

/** What <bt-study-results> is fed: the study, its run count, the runs by index (sparse while running) and the summary when complete. */
export interface StudyViewData {
  study: ViewStudy;
  /** Runs the study makes. */
  total: number;
  /** By run index; undefined for a run not done yet. */
  runs: (ViewRun | undefined)[];
  /** Only when the study is complete. */
  summary?: ViewSummary;
  /** The cell model of the base scenario, for units; inferred from the study when left out. */
  model?: CellModel;
}

export type CellModel = "cho" | "microbial";

// ---- small numerics -----------------------------------------------------------------

/** Linear-interpolation quantile (type 7) of ascending values; NaN if empty (engine/study/design.ts). */
export const quantileSorted = quantile;
export { wilsonInterval };

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

// ---- names, labels and units --------------------------------------------------------

/** The output names of the study, in the order listed (the keys of a run's outputs). */
export function outputNames(study: StudySpec): string[] {
  return study.outputs.map(outputName);
}

/** An output's value in a run; null for a failed, missing or non-finite one. */
export function runValue(run: ViewRun | undefined, output: string): number | null {
  if (!run || !run.ok) return null;
  const v = run.outputs[output];
  return finite(v) ? v : null;
}

/** The cell model: as given, else from the trajectory columns or the parameter paths; CHO when nothing tells. */
export function studyModel(data: Pick<StudyViewData, "study" | "model">): CellModel {
  if (data.model) return data.model;
  const microbialColumns = new Set(microbialModel.columns.map((c) => c.name));
  const choColumns = new Set(CHO_COLUMNS.map((c) => c.name));
  const columns = [
    ...(trajectorySpec(data.study)?.columns ?? []),
    ...data.study.outputs.flatMap((o) => (typeof o !== "string" && o.kpi === "value" ? [o.column] : [])),
  ];
  if (columns.some((c) => microbialColumns.has(c) && !choColumns.has(c))) return "microbial";
  if (columns.some((c) => choColumns.has(c) && !microbialColumns.has(c))) return "cho";
  const paths = parameterPaths(data.study);
  const known = (model: CellModel) => paths.filter((p) => schemaField(p, model) !== undefined).length;
  return known("microbial") > known("cho") ? "microbial" : "cho";
}

/** A column's unit and description in a model's results; undefined if the model has no such column. */
export function columnInfo(column: string, model: CellModel): { unit: string; description: string } | undefined {
  if (column === "time") return { unit: "h", description: "time" };
  return (model === "cho" ? CHO_COLUMNS : microbialModel.columns).find((c) => c.name === column);
}

/** Labels and units of the named outputs (the KPIs' from engine/kpis.ts, the extremes' from the result columns). */
export function outputInfo(study: StudySpec, name: string, model: CellModel): { label: string; unit: string } {
  const o: StudyOutput | undefined = study.outputs.find((x) => outputName(x) === name);
  if (o === undefined) return { label: name, unit: "" };
  const cho = model === "cho";
  const kpis = computeKpis((c) => (c === (cho ? "viable_cells" : "biomass") ? new Float64Array(0) : undefined), { harvested: false, finished: true });
  const kpi = (id: string) => kpis.find((k) => k.id === id)!;
  const column = (c: string) => columnInfo(c, model)?.unit ?? "";
  if (typeof o !== "string") {
    if (o.kpi === "timeOutsidePh") return { label: o.name ?? `Time with pH outside ${o.low}–${o.high}`, unit: "h" };
    return { label: o.name ?? `${capitalise(columnInfo(o.column, model)?.description ?? o.column)} at ${o.atH} h`, unit: column(o.column) };
  }
  switch (o) {
    case "finalTiter":
      return { label: kpi("finalTiter").label, unit: kpi("finalTiter").unit };
    case "peakViableDensity":
      return { label: kpi("peakDensity").label, unit: kpi("peakDensity").unit };
    case "ivc":
      return { label: kpi("ivc").label, unit: kpi("ivc").unit };
    case "harvestDay":
      return { label: kpi("harvestDay").label, unit: kpi("harvestDay").unit };
    case "peakLactate":
      return { label: "Peak lactate", unit: column("lactate") };
    case "peakAmmonium":
      return { label: "Peak ammonium", unit: column("ammonium") };
    case "maxPco2":
      return { label: "Highest pCO2", unit: column("pco2") };
    case "minDo":
      return { label: "Lowest DO", unit: column("do_saturation") };
  }
}

const formCache = new Map<CellModel, Map<string, FormField>>();

/** The schema field at a dotted path for a model (array items and record entries through their item schema). */
function schemaField(path: string, model: CellModel): FormField | undefined {
  let byPath = formCache.get(model);
  if (!byPath) {
    byPath = new Map(allFields(buildScenarioForm({ cells: { model } })).map((f) => [f.path, f]));
    formCache.set(model, byPath);
  }
  const keys = splitPath(path);
  // The longest prefix the form has (the draft has no array items), then down through item schemas.
  for (let length = keys.length; length > 0; length--) {
    let field = byPath.get(keys.slice(0, length).join("."));
    if (!field) continue;
    for (const key of keys.slice(length)) {
      field = field.kind === "array" || field.kind === "record" ? field.item : field.children?.find((c) => c.key === key);
      if (!field) return undefined;
    }
    return field;
  }
  return undefined;
}

/** A study parameter's label and unit from the scenario schema ("μmax", "1/h"); the path itself and no unit when the schema has none. */
export function parameterInfo(path: string, model: CellModel): { label: string; unit: string } {
  if (path === "simulation.seed") return { label: "Seed", unit: "" };
  const field = schemaField(path, model);
  return { label: field?.label ?? path, unit: field?.unit ?? "" };
}

/** Every parameter path of a run: the study's, then the replicates'. */
export const parameterPaths = studyPaths;

/** "Label [unit]", or just the label for a dimensionless quantity. */
export function axisLabel(info: { label: string; unit: string }): string {
  return info.unit ? `${info.label} [${info.unit}]` : info.label;
}

/** The first letter in upper case, except in names like "pH" and "pCO2". */
export function capitalise(text: string): string {
  return /^[a-z][A-Z]/.test(text) ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

// ---- counts -------------------------------------------------------------------------

export interface RunCounts {
  total: number;
  done: number;
  ok: number;
  failed: number;
  /** ok runs whose value of `output` is null (not finite); counted apart from failed runs. */
  noValue: number;
}

/** How many runs are done, ok and failed; with `output`, how many ok runs have no value for it. */
export function runCounts(data: StudyViewData, output?: string): RunCounts {
  let done = 0;
  let ok = 0;
  let noValue = 0;
  for (const r of data.runs) {
    if (!r) continue;
    done++;
    if (r.ok) {
      ok++;
      if (output !== undefined && runValue(r, output) === null) noValue++;
    }
  }
  return { total: data.total, done, ok, failed: done - ok, noValue };
}

// ---- 1-D sweep ----------------------------------------------------------------------

/** One run as a mark: its index, x (the parameter's value) and y (null: failed or no value). */
export interface RunPoint {
  index: number;
  x: number;
  y: number | null;
  ok: boolean;
}

/** Statistics of the runs at one grid value: median and 5–95 % band of the values (null if none). */
export interface GridStat {
  x: number;
  n: number;
  p5: number | null;
  p50: number | null;
  p95: number | null;
}

export interface SweepSeries {
  path: string;
  /** Every done run, by index. */
  points: RunPoint[];
  /** Per distinct parameter value, ascending: the line (median) and band. */
  grid: GridStat[];
  /** Whether more than one run shares a grid value (replicates or other swept parameters): draw the band. */
  banded: boolean;
  failed: number;
}

/**
 * The output of every run against sweep parameter `parameter` (an index into
 * study.parameters) and, per value of it, the median and the 5–95 % band over the
 * runs there (replicates, or the other swept parameters). The replicates' medians come
 * from the summary's `points` when it has them (1 swept parameter).
 */
export function sweepSeries(data: StudyViewData, output: string, parameter = 0): SweepSeries {
  const path = data.study.parameters[parameter]!.path;
  const points: RunPoint[] = [];
  const byX = new Map<number, number[]>();
  let failed = 0;
  data.runs.forEach((r, index) => {
    if (!r) return;
    const x = r.parameters[path];
    if (!finite(x)) return;
    const y = runValue(r, output);
    if (!r.ok) failed++;
    points.push({ index, x, y, ok: r.ok });
    const list = byX.get(x) ?? [];
    if (y !== null) list.push(y);
    byX.set(x, list);
  });
  const fromSummary = summaryPoints(data, output);
  const grid: GridStat[] = [...byX.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([x, ys]) => {
      const s = fromSummary?.get(x);
      if (s) return s;
      const sorted = ys.sort((a, b) => a - b);
      const q = (p: number) => (sorted.length ? quantileSorted(sorted, p) : null);
      return { x, n: sorted.length, p5: q(0.05), p50: q(0.5), p95: q(0.95) };
    });
  const perX = data.study.kind === "sweep" ? data.total / Math.max(1, axisValues(data.study, parameter).length) : 1;
  return { path, points, grid, banded: perX > 1, failed };
}

/** The summary's per-grid-point statistics of a 1-parameter sweep with replicates, by grid value. */
function summaryPoints(data: StudyViewData, output: string): Map<number, GridStat> | undefined {
  if (data.study.parameters.length !== 1) return undefined;
  const s = data.summary?.outputs[output] as { points?: { grid: number[]; n: number; p5: number | null; p50: number | null; p95: number | null }[] } | undefined;
  if (!s?.points) return undefined;
  return new Map(s.points.map((p) => [p.grid[0]!, { x: p.grid[0]!, n: p.n, p5: nullable(p.p5), p50: nullable(p.p50), p95: nullable(p.p95) }]));
}

const nullable = (v: number | null | undefined): number | null => (finite(v) ? v : null);

/** The grid values of sweep parameter `parameter`, in grid order (from the engine's runPoint). */
export function axisValues(study: StudySpec, parameter: number): number[] {
  if (study.kind !== "sweep") return [];
  const p = study.parameters[parameter]!;
  const stride = study.parameters.slice(parameter + 1).reduce((n, q) => n * q.points, 1);
  const base = { ...study, replicates: undefined } as StudySpec;
  return Array.from({ length: p.points }, (_, k) => runPoint(base, k * stride)[parameter]!);
}

/** Runs per sweep grid point (the replicates' samples, else 1). */
function samplesPerPoint(study: ViewStudy): number {
  return study.kind === "sweep" && study.replicates ? study.replicates.samples : 1;
}

// ---- 2-D sweep ----------------------------------------------------------------------

export interface GridCell {
  /** Column (x parameter) and row (y parameter) of the cell. */
  i: number;
  j: number;
  x: number;
  y: number;
  /** The output there (the median of the replicates); null: no ok run with a value (yet). */
  value: number | null;
  /** The run a click opens: the one there (nearest the median with replicates); null before any run. */
  index: number | null;
  /** Runs done there, and how many failed or gave no value. */
  done: number;
  failed: number;
}

export interface SweepGrid {
  xPath: string;
  yPath: string;
  xValues: number[];
  yValues: number[];
  /** values[j][i]: row j (y value), column i (x value); null for missing or failed runs. */
  values: (number | null)[][];
  cells: GridCell[];
  /** The cell with the largest (max) or smallest (min) value; null when no cell has one. */
  optimum: GridCell | null;
  failed: number;
}

/**
 * The output over two sweep parameters (indices into study.parameters; others, if any,
 * are pooled by median) as a matrix, and the optimum cell: the largest value for "max",
 * the smallest for "min".
 */
export function sweepGrid(data: StudyViewData, output: string, optimise: "max" | "min", xParameter = 0, yParameter = 1): SweepGrid {
  const study = data.study;
  const xValues = axisValues(study, xParameter);
  const yValues = axisValues(study, yParameter);
  const xPath = study.parameters[xParameter]!.path;
  const yPath = study.parameters[yParameter]!.path;
  const cellRuns: { index: number; value: number | null; ok: boolean }[][] = Array.from({ length: xValues.length * yValues.length }, () => []);
  const points = study.kind === "sweep" ? study.parameters.map((p) => p.points) : [];
  const samples = samplesPerPoint(study);
  let failed = 0;
  data.runs.forEach((r, index) => {
    if (!r) return;
    if (!r.ok) failed++;
    // Grid coordinates from the run index (grid point g = floor(index / samples), last parameter fastest).
    let rest = Math.floor(index / samples);
    const coords = new Array<number>(points.length);
    for (let p = points.length - 1; p >= 0; p--) {
      coords[p] = rest % points[p]!;
      rest = Math.floor(rest / points[p]!);
    }
    cellRuns[coords[yParameter]! * xValues.length + coords[xParameter]!]!.push({ index, value: runValue(r, output), ok: r.ok });
  });
  const cells: GridCell[] = [];
  const values: (number | null)[][] = yValues.map(() => new Array<number | null>(xValues.length).fill(null));
  cellRuns.forEach((runs, k) => {
    const i = k % xValues.length;
    const j = Math.floor(k / xValues.length);
    const ys = runs.flatMap((r) => (r.value === null ? [] : [r.value])).sort((a, b) => a - b);
    const value = ys.length ? quantileSorted(ys, 0.5) : null;
    let index: number | null = runs[0]?.index ?? null;
    if (value !== null) {
      let best = Infinity;
      for (const r of runs) if (r.value !== null && Math.abs(r.value - value) < best) [best, index] = [Math.abs(r.value - value), r.index];
    }
    values[j]![i] = value;
    cells.push({ i, j, x: xValues[i]!, y: yValues[j]!, value, index, done: runs.length, failed: runs.filter((r) => r.value === null).length });
  });
  let optimum: GridCell | null = null;
  for (const c of cells) {
    if (c.value === null) continue;
    if (optimum === null || (optimise === "max" ? c.value > optimum.value! : c.value < optimum.value!)) optimum = c;
  }
  return { xPath, yPath, xValues, yValues, values, cells, optimum, failed };
}

// ---- histogram and specification ----------------------------------------------------

export type BinRule = "freedman-diaconis" | "sturges";

export interface HistogramBin {
  x0: number;
  x1: number;
  count: number;
}

export interface Histogram {
  /** The rule that set the bin width (Freedman–Diaconis unless the IQR is 0 or there are fewer than 4 values: Sturges). */
  rule: BinRule;
  bins: HistogramBin[];
  /** Every done run with a value, for the dot strip. */
  values: { index: number; value: number }[];
  /** Runs done that failed or gave no value (out of specification). */
  missing: number[];
  /** The output's specification limits (from study.specification), if any. */
  limits: { min?: number; max?: number } | null;
}

/** Most bins a histogram gets, however many runs. */
const MAX_BINS = 80;

/** Bins of an output's values over the done runs: Freedman–Diaconis width 2·IQR/n^⅓, or Sturges ⌈log2 n⌉ + 1 bins; `rule` forces one. */
export function histogram(data: StudyViewData, output: string, rule?: BinRule): Histogram {
  const values: { index: number; value: number }[] = [];
  const missing: number[] = [];
  data.runs.forEach((r, index) => {
    if (!r) return;
    const v = runValue(r, output);
    if (v === null) missing.push(index);
    else values.push({ index, value: v });
  });
  const sorted = values.map((v) => v.value).sort((a, b) => a - b);
  const n = sorted.length;
  const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
  const chosen: BinRule = rule ?? (n >= 4 && iqr > 0 ? "freedman-diaconis" : "sturges");
  let bins: HistogramBin[] = [];
  if (n > 0) {
    let lo = sorted[0]!;
    let hi = sorted[n - 1]!;
    if (hi - lo <= 1e-12 * Math.max(1, Math.abs(hi))) {
      const pad = Math.abs(hi) * 0.05 || 0.5;
      lo -= pad;
      hi += pad;
    }
    const count =
      chosen === "freedman-diaconis" && iqr > 0
        ? Math.ceil((hi - lo) / ((2 * iqr) / Math.cbrt(n)))
        : Math.ceil(Math.log2(Math.max(1, n))) + 1;
    const k = Math.max(1, Math.min(MAX_BINS, count));
    const width = (hi - lo) / k;
    bins = Array.from({ length: k }, (_, b) => ({ x0: lo + b * width, x1: b === k - 1 ? hi : lo + (b + 1) * width, count: 0 }));
    for (const v of sorted) bins[Math.min(k - 1, Math.floor((v - lo) / width))]!.count++;
  }
  const criterion = data.study.specification?.find((c) => c.output === output);
  const limits = criterion ? { ...(finite(criterion.min) ? { min: criterion.min } : {}), ...(finite(criterion.max) ? { max: criterion.max } : {}) } : null;
  return { rule: chosen, bins, values, missing, limits };
}

/** Whether a value meets a criterion (inclusive bounds; null never does). */
export function meets(value: number | null, c: SpecCriterion): boolean {
  return value !== null && (!finite(c.min) || value >= c.min) && (!finite(c.max) || value <= c.max);
}

export interface SpecificationView extends SpecificationSummary {
  /** Whether these are the summary's numbers (complete study) or computed from the runs done so far. */
  fromSummary: boolean;
}

/**
 * The share of runs in specification (every criterion met; a failed run or a null value
 * is out) with its Wilson 95 % interval: the summary's when present, else over the runs
 * done so far. null when the study has no specification.
 */
export function specification(data: StudyViewData): SpecificationView | null {
  const criteria = data.study.specification;
  if (!criteria || criteria.length === 0) return null;
  if (data.summary?.specification) return { ...data.summary.specification, fromSummary: true };
  const done = data.runs.filter((r): r is ViewRun => r !== undefined);
  const runs = done.length;
  const inSpec = done.filter((r) => criteria.every((c) => meets(runValue(r, c.output), c))).length;
  return {
    runs,
    inSpec,
    fraction: runs ? inSpec / runs : 0,
    ci95: wilsonInterval(inSpec, runs),
    criteria: criteria.map((c) => {
      const m = done.filter((r) => meets(runValue(r, c.output), c)).length;
      return { ...c, inSpec: m, fraction: runs ? m / runs : 0 };
    }),
    fromSummary: false,
  };
}

/** "83.5 % in specification (95 % CI 79.6–86.8 %)". */
export function specificationText(s: SpecificationSummary): string {
  const pct = (f: number) => (100 * f).toFixed(1);
  return `${pct(s.fraction)} % in specification (95 % CI ${pct(s.ci95[0])}–${pct(s.ci95[1])} %)`;
}

// ---- percentile bands over time -----------------------------------------------------

export interface BandSeries extends PercentileSeries {
  column: string;
  tH: number[];
  fromSummary: boolean;
}

/**
 * The 5, 25, 50, 75 and 95 % percentiles of a trajectory column at each time, over the
 * ok runs that reach it: the summary's when present, else from the runs done so far.
 */
export function percentileBands(data: StudyViewData, column: string): BandSeries {
  const s = data.summary?.trajectories;
  if (s && s.columns[column]) return { column, tH: s.tH, ...s.columns[column]!, fromSummary: true };
  let tH: number[] = [];
  const runs = data.runs.filter((r): r is ViewRun => r !== undefined && r.ok && r.trajectories !== undefined);
  for (const r of runs) if (r.trajectories!.tH.length > tH.length) tH = r.trajectories!.tH;
  const out: BandSeries = { column, tH, n: [], p5: [], p25: [], p50: [], p75: [], p95: [], fromSummary: false };
  tH.forEach((_, k) => {
    const xs = runs.flatMap((r) => {
      const v = r.trajectories!.values[column]?.[k];
      return finite(v) ? [v] : [];
    });
    xs.sort((a, b) => a - b);
    const q = (p: number) => (xs.length ? quantileSorted(xs, p) : null);
    out.n.push(xs.length);
    out.p5.push(q(0.05));
    out.p25.push(q(0.25));
    out.p50.push(q(0.5));
    out.p75.push(q(0.75));
    out.p95.push(q(0.95));
  });
  return out;
}

// ---- tornado (sensitivity) ----------------------------------------------------------

export interface TornadoRow {
  path: string;
  /**
   * What the rows are sorted by. Morris: μ* × (max − min), the mean absolute effect of
   * the parameter over its whole range, in the output's unit (μ* itself is per unit of
   * the parameter, so parameters in different units would not compare); Sobol: the total index.
   */
  value: number;
  /** Morris: σ × (max − min) likewise; Sobol: the first-order index. null when not a number. */
  second: number | null;
  /** Morris: μ* and σ as the engine gives them, per unit of the parameter. */
  muStar?: number | null;
  sigma?: number | null;
  /** Sobol: 95 % bootstrap intervals of the total and the first-order index. */
  valueCi: [number, number] | null;
  secondCi: [number, number] | null;
}

export interface Tornado {
  method: "morris" | "sobol";
  rows: TornadoRow[];
  /** Morris: trajectories used (r) of those planned; Sobol: base samples used (N) of those planned. */
  used: number;
  planned: number;
  /** Runs per trajectory (d + 1) or per base sample (d + 2). */
  runsPerSample: number;
}

/**
 * Tornado rows of a Morris (μ* with σ) or Sobol (total and first-order indices with
 * their CIs) study, most important first: from the summary, or while the study runs
 * from the engine's summarizeOutput over the runs done so far.
 */
export function tornadoRows(data: StudyViewData, output: string): Tornado | null {
  const study = data.study;
  if (study.kind !== "morris" && study.kind !== "sobol") return null;
  let s = data.summary?.outputs[output] as Record<string, unknown> | undefined;
  if (!s) {
    const y = Array.from({ length: data.total }, (_, k) => runValue(data.runs[k], output));
    s = summarizeOutput(study, y) as Record<string, unknown>;
  }
  const d = study.parameters.length;
  const ci = (v: unknown): [number, number] | null => (Array.isArray(v) && finite(v[0]) && finite(v[1]) ? [v[0], v[1]] : null);
  if (study.kind === "morris") {
    const params = s.parameters as { path: string; muStar: number | null; sigma: number | null }[];
    const range = new Map(study.parameters.map((p) => [p.path, p.max - p.min]));
    const rows = params.map((p) => {
      const [muStar, sigma, width] = [nullable(p.muStar), nullable(p.sigma), range.get(p.path) ?? NaN];
      return { path: p.path, value: muStar === null ? NaN : muStar * width, second: sigma === null ? null : sigma * width, muStar, sigma, valueCi: null, secondCi: null };
    });
    return { method: "morris", rows: sortRows(rows), used: (s.trajectories as number) ?? 0, planned: study.trajectories, runsPerSample: d + 1 };
  }
  const params = s.parameters as { path: string; first: number | null; firstCi: unknown; total: number | null; totalCi: unknown }[];
  const rows = params.map((p) => ({ path: p.path, value: nullable(p.total) ?? NaN, second: nullable(p.first), valueCi: ci(p.totalCi), secondCi: ci(p.firstCi) }));
  return { method: "sobol", rows: sortRows(rows), used: (s.baseSamples as number) ?? 0, planned: study.baseSamples, runsPerSample: d + 2 };
}

/** Largest value first; NaN (no estimate yet) last. */
function sortRows(rows: TornadoRow[]): TornadoRow[] {
  return rows.sort((a, b) => (Number.isNaN(a.value) ? 1 : 0) - (Number.isNaN(b.value) ? 1 : 0) || b.value - a.value);
}

// ---- exports ------------------------------------------------------------------------

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const csvNumber = (v: number | null | undefined): string => (finite(v) ? String(v) : "");

/**
 * The done runs as CSV, one row each in index order: index, each parameter (header
 * `path [unit]`), seed (when the runs have one), ok, each output (`name [unit]`), reason.
 */
export function runsCsv(data: StudyViewData): string {
  const model = studyModel(data);
  const paths = parameterPaths(data.study);
  const outputs = outputNames(data.study);
  const done = data.runs.filter((r): r is ViewRun => r !== undefined);
  const seeded = done.some((r) => r.seed !== undefined);
  const head = (label: string, unit: string) => (unit ? `${label} [${unit}]` : label);
  const header = [
    "index",
    ...paths.map((p) => head(p, parameterInfo(p, model).unit)),
    ...(seeded ? ["seed"] : []),
    "ok",
    ...outputs.map((o) => head(o, outputInfo(data.study, o, model).unit)),
    "reason",
  ];
  const rows = done.map((r) => [
    String(r.index),
    ...paths.map((p) => csvNumber(r.parameters[p])),
    ...(seeded ? [csvNumber(r.seed)] : []),
    String(r.ok),
    ...outputs.map((o) => csvNumber(runValue(r, o))),
    r.ok ? "" : r.reason,
  ]);
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** The study as one JSON document: a study header, the done runs and the summary (null while running); non-finite numbers as null. */
export function studyJson(data: StudyViewData): string {
  const doc = {
    header: { type: "study", format: "biotwin-study-result", version: 1, study: data.study, runs: data.total },
    runs: data.runs.filter((r): r is ViewRun => r !== undefined),
    summary: data.summary ?? null,
  };
  return JSON.stringify(doc, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n";
}

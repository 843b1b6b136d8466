// The state of the Study view: the study being written (a draft that may not validate
// yet, with its problems), the run of a study on the Web Worker pool (progress, cancel)
// and its records and summary, which the result views draw. Views render it and call its
// methods; it imports no view.
import { applyOverrides, parseJsonText, type ScenarioProblem } from "../../engine/scenario";
import { runCount } from "../../engine/study/design";
import { studySummary } from "../../engine/study/report";
import type { RunRecord } from "../../engine/study/run";
import { parseStudy, type StudySpec } from "../../engine/study/spec";
import { slug, type Download } from "./app-model";
import { allFields, buildScenarioForm, getAt, type FormField } from "./schema-form";
import { Store } from "./store";
import type { StudyViewData, ViewSummary } from "./study-views";
import { defaultWorkerCount, StudyRun, type StudyProgress, type StudySlot } from "./study-runner";

export type StudyStatus = "idle" | "running" | "complete" | "cancelled" | "failed";

/** What the result views draw (a new object on every change of the runs, so the views redraw). */
export type StudyData = StudyViewData & { runs: (RunRecord | undefined)[] };

/** The key under which the study draft is kept in local storage (no edit is lost on reload). */
export const STUDY_AUTOSAVE_KEY = "biotwin.study.v1";

/**
 * How often the result views get the runs so far while a study runs, ms: each redraw goes
 * over every run, so a 10,000-run study must not redraw per batch (the progress bar does).
 */
export const RESULTS_INTERVAL_MS = 1000;

/**
 * While a study runs, the views redraw no more often than this many times the last
 * redraw took (at least RESULTS_INTERVAL_MS apart): redraws then take at most about a
 * tenth of the page's time, whatever the number of runs, and the rest goes to the
 * page and, on a machine with few cores, to the workers.
 */
export const REDRAW_SPACING_FACTOR = 10;

/** The wait before the next results for the views, ms, after a redraw that took `redrawMs`. */
export function resultsInterval(redrawMs: number): number {
  return Math.max(RESULTS_INTERVAL_MS, REDRAW_SPACING_FACTOR * redrawMs);
}

/** How often the progress bar moves while a study runs, ms (each move re-renders the page's header and the view). */
export const PROGRESS_INTERVAL_MS = 250;

/** Studies larger than this ask before they start (runs). */
export const LARGE_STUDY_RUNS = 20_000;

/** A numeric field of the scenario a study can vary. */
export interface StudyField {
  path: string;
  label: string;
  unit?: string;
  value?: number;
  min?: number;
  max?: number;
}

/** The numbers of a scenario document a study can vary: its present number fields, with label, unit, value and bounds. */
export function studyFields(scenarioDoc: unknown): StudyField[] {
  const form = buildScenarioForm(scenarioDoc);
  const fields: StudyField[] = [];
  const visit = (f: FormField) => {
    if ((f.kind === "number" || f.kind === "integer") && f.present && !f.path.startsWith("simulation.") && !f.path.startsWith("study.")) {
      const value = getAt(scenarioDoc, f.path);
      fields.push({ path: f.path, label: f.label, unit: f.unit, value: typeof value === "number" ? value : undefined, min: f.min ?? f.exclusiveMin, max: f.max ?? f.exclusiveMax });
    }
    f.children?.forEach(visit);
  };
  allFields(form).forEach(visit);
  const seen = new Set<string>();
  return fields.filter((f) => !seen.has(f.path) && seen.add(f.path));
}

const round3 = (x: number) => Number(x.toPrecision(3));

/** A sweep parameter over ±25 % of a field's current value (within its bounds), 5 points. */
export function sweepParameterFor(field: StudyField, points = 5): Record<string, unknown> {
  const v = field.value ?? 1;
  let from = v === 0 ? 0 : round3(v * 0.75);
  let to = v === 0 ? 1 : round3(v * 1.25);
  if (field.min !== undefined) from = Math.max(from, field.min);
  if (field.max !== undefined) to = Math.min(to, field.max);
  if (to <= from) to = from + 1;
  return { path: field.path, grid: "linear", from: Math.min(from, to), to: Math.max(from, to), points };
}

/**
 * The study a scenario opens with: for a fed-batch with a bolus schedule and a temperature
 * shift, the issue's question "which feed and shift day give the most antibody?" (a 7 × 5
 * sweep); otherwise a 5-point sweep of the first cell parameter.
 */
export function defaultStudy(scenarioDoc: unknown): Record<string, unknown> {
  const outputs = ["finalTiter", "peakViableDensity", "ivc"];
  const feed = getAt(scenarioDoc, "process.bolusSchedules.0.percentOfInitialVolume");
  const shift = getAt(scenarioDoc, "control.temperature.schedule.0.timeH");
  if (typeof feed === "number" && typeof shift === "number") {
    return {
      kind: "sweep",
      seed: 1,
      parameters: [
        { path: "process.bolusSchedules.0.percentOfInitialVolume", grid: "linear", from: 2, to: 5, points: 7 },
        { path: "control.temperature.schedule.0.timeH", grid: "linear", from: 72, to: 168, points: 5 },
      ],
      outputs,
    };
  }
  const fields = studyFields(scenarioDoc);
  const field = fields.find((f) => f.path.startsWith("cells.")) ?? fields[0];
  return { kind: "sweep", seed: 1, parameters: field ? [sweepParameterFor(field)] : [], outputs };
}

/** The scenario document of one run of a study: the base with the run's parameter values (and seed) set. */
export function runDocument(baseDoc: unknown, record: Pick<RunRecord, "parameters" | "seed">): unknown {
  const sets = Object.entries(record.parameters).map(([path, value]) => `${path}=${JSON.stringify(value)}`);
  if (record.seed !== undefined) sets.push(`simulation.seed=${record.seed}`);
  return applyOverrides(baseDoc, sets);
}

/** The base scenario of a study: the scenario without its own study section. */
export function baseScenarioOf(scenarioDoc: unknown): unknown {
  if (scenarioDoc === null || typeof scenarioDoc !== "object" || Array.isArray(scenarioDoc)) return scenarioDoc;
  const { study: _study, ...rest } = scenarioDoc as Record<string, unknown>;
  return rest;
}

export class StudyModel extends Store {
  /** The study as being written; may be invalid (`problems` says why). */
  draft: unknown = null;
  problems: ScenarioProblem[] = [];
  /** The draft, validated (null while it has problems). */
  study: StudySpec | null = null;
  /** Runs the draft makes (0 while invalid). */
  runCount = 0;
  workers = defaultWorkerCount();
  status: StudyStatus = "idle";
  progress: StudyProgress | null = null;
  message = "";
  data: StudyData | null = null;
  /** The base scenario the current results were run on. */
  baseDoc: unknown = null;
  private current: StudyRun | null = null;
  /** How long the views' last redraw took, ms (noteRedraw); spaces their next data while a study runs. */
  private redrawMs = 0;

  /** The views tell how long a redraw of the results took, ms. */
  noteRedraw(ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.redrawMs = ms;
  }

  /** How long the views' last redraw took, ms (0 before any). */
  get lastRedrawMs(): number {
    return this.redrawMs;
  }

  constructor(
    private readonly storage: Storage | undefined = globalThis.localStorage,
    private readonly createSlot?: () => StudySlot,
  ) {
    super();
  }

  private adoptedFrom: unknown = undefined;

  /**
   * Follows the current scenario: one with a `study` section opens that study (once per
   * scenario document); otherwise the draft stays (the saved one, or the default study of
   * the first scenario seen).
   */
  adoptScenario(scenarioDoc: unknown): void {
    if (scenarioDoc === this.adoptedFrom) return;
    this.adoptedFrom = scenarioDoc;
    const own = scenarioDoc && typeof scenarioDoc === "object" ? (scenarioDoc as Record<string, unknown>).study : undefined;
    if (own !== undefined) {
      this.setDraft(own);
      this.message = "This scenario has a study of its own: it is in the builder.";
    } else if (this.draft === null) this.load(scenarioDoc);
  }

  /** The scenario with this study as its `study` section (what `biotwin study FILE` runs without --study). */
  scenarioWithStudy(scenarioDoc: unknown, title: string): Download {
    const doc = { ...(baseScenarioOf(scenarioDoc) as Record<string, unknown>), study: this.draft };
    return { name: `${slug(title)}-with-study.json`, type: "application/json", text: `${JSON.stringify(doc, null, 2)}\n` };
  }

  /** Starts from the saved draft if there is one, else the default study of `scenarioDoc`. */
  load(scenarioDoc: unknown): void {
    let saved: unknown = null;
    try {
      const text = this.storage?.getItem(STUDY_AUTOSAVE_KEY);
      if (text) saved = JSON.parse(text);
    } catch {
      saved = null;
    }
    this.setDraft(saved ?? defaultStudy(scenarioDoc), { save: false });
  }

  setDraft(draft: unknown, options = { save: true }): void {
    this.draft = draft;
    const parsed = parseStudy(draft);
    this.problems = parsed.ok ? [] : parsed.problems;
    this.study = parsed.ok ? parsed.study : null;
    this.runCount = parsed.ok ? runCount(parsed.study) : 0;
    if (options.save) {
      try {
        this.storage?.setItem(STUDY_AUTOSAVE_KEY, JSON.stringify(draft));
      } catch {
        // storage full or unavailable: the draft stays in memory
      }
    }
    this.changed();
  }

  /** Opens a study file's text; a file that is not JSON changes nothing and says why. */
  openText(text: string, source: string): boolean {
    const parsed = parseJsonText(text, source);
    if (!parsed.ok) {
      this.message = parsed.problems.map((p) => p.message).join("; ");
      this.changed();
      return false;
    }
    const doc = parsed.doc as Record<string, unknown> | null;
    // A scenario file with a study section opens its study.
    this.setDraft(doc && typeof doc === "object" && "study" in doc && "cells" in doc ? doc.study : doc);
    this.message = `Opened the study of ${source}.`;
    return true;
  }

  studyFile(title: string): Download {
    return { name: `${slug(title)}-study.json`, type: "application/json", text: `${JSON.stringify(this.draft, null, 2)}\n` };
  }

  setWorkers(n: number): void {
    this.workers = Math.max(1, Math.min(64, Math.round(n)));
    this.changed();
  }

  get running(): boolean {
    return this.status === "running";
  }

  /** Runs the (valid) draft on `scenarioDoc`; resolves when it completes, is cancelled or fails. */
  async start(scenarioDoc: unknown): Promise<void> {
    const study = this.study;
    if (!study || this.running) return;
    const total = runCount(study);
    const baseDoc = baseScenarioOf(scenarioDoc);
    const runs: (RunRecord | undefined)[] = new Array(total);
    this.baseDoc = baseDoc;
    const cells = (baseDoc as { cells?: { model?: unknown } } | null)?.cells?.model;
    this.data = { study, total, runs, model: cells === "microbial" ? "microbial" : "cho" };
    this.status = "running";
    this.message = "";
    this.progress = { done: 0, failed: 0, total, elapsedS: 0, ratePerS: 0, etaS: null, workers: Math.min(this.workers, total) };
    this.changed();
    let lastPublished = performance.now();
    let lastProgress = 0;
    const run = new StudyRun(baseDoc, study, total, {
      workers: this.workers,
      createSlot: this.createSlot,
      onRecords: (records) => {
        for (const r of records) runs[r.index] = r;
        // The views redraw from every run so far: hand them new data at most every
        // resultsInterval of their last redraw's time.
        const now = performance.now();
        if (now - lastPublished >= resultsInterval(this.redrawMs)) {
          lastPublished = now;
          this.data = { ...this.data! };
          this.changed();
        }
      },
      onProgress: (p) => {
        this.progress = p;
        // A few moves a second are enough; every render takes CPU the workers could use.
        const now = performance.now();
        if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
          lastProgress = now;
          this.changed();
        }
      },
    });
    this.current = run;
    try {
      const outcome = await run.outcome;
      if (this.current !== run) return;
      const done = runs.filter((r): r is RunRecord => r !== undefined);
      // A cancelled study keeps its summary of the runs it has (missing runs count as failed).
      this.data = { ...this.data!, summary: studySummary(study, done) as unknown as ViewSummary };
      this.status = outcome;
      const failed = done.filter((r) => !r.ok).length;
      const seconds = this.progress?.elapsedS ?? 0;
      this.message =
        outcome === "complete"
          ? `${total.toLocaleString("en")} runs in ${seconds.toFixed(1)} s${failed ? `; ${failed} failed (see the table)` : ""}.`
          : `Cancelled after ${done.length.toLocaleString("en")} of ${total.toLocaleString("en")} runs; the results below are of those runs.`;
    } catch (error) {
      if (this.current !== run) return;
      this.status = "failed";
      this.message = error instanceof Error ? error.message : String(error);
    } finally {
      if (this.current === run) this.current = null;
      this.changed();
    }
  }

  cancel(): void {
    this.current?.cancel();
  }

  /** The scenario document of run `index` of the shown results; null if it has no record. */
  runDocument(index: number): unknown {
    const record = this.data?.runs[index];
    return record ? runDocument(this.baseDoc, record) : null;
  }
}

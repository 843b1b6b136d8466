// The state of the app and what a user can do with it: the current scenario and
// its editor draft, the live run streaming from the worker (play, pause, step,
// reset, speed, knobs), whole runs, a pinned run to compare, KPIs, files, share
// links and autosave. Views render it and call its methods; it imports no view.
import { computeKpis, type Kpi } from "../../engine/kpis";
import type { KnobId, KnobState, LiveAction, LivePhase, LiveSlice } from "../../engine/live-run";
import type { SolverStats } from "../../engine/core-bridge";
import { toCsv, toJson } from "../../engine/export";
import { parseScenario, parseScenarioText, type Scenario, type ScenarioProblem } from "../../engine/scenario";
import type { SimulationResult } from "../../engine/simulate";
import { lifelineSettings, type LifelinesResult } from "../../engine/lifelines";
import { loadAutosave, saveAutosave } from "./autosave";
import { builtinScenario, DEFAULT_SCENARIO_ID } from "./builtin-scenarios";
import { RunData } from "./run-data";
import { decodeScenarioFragment, encodeScenarioFragment, ShareLinkError } from "./share-link";
import { CALL_TIMEOUT_MS, SimulationClient, WorkerLostError } from "./simulation-client";
import { Store } from "./store";
import { probeZoneOf, zoneSpreadSeries } from "./zone-columns";

export type RunPhase = LivePhase | "idle" | "starting";

export interface Notice {
  id: number;
  level: "info" | "warning" | "error";
  text: string;
}

/** A file or link that did not open: where it came from and every problem, with its path. */
export interface OpenProblems {
  source: string;
  problems: ScenarioProblem[];
}

/** A file for the view to hand to the user. */
export interface Download {
  name: string;
  type: string;
  text: string;
}

/** Simulated hours per second of wall time offered by the speed control. */
export const SPEEDS_H_PER_S = [1, 6, 24, 72, 168] as const;
export const DEFAULT_SPEED_H_PER_S = 24;
/** Wall time between two slices of a live run, ms (about 15 slices a second). */
export const SLICE_INTERVAL_MS = 66;

/** A file name made of a title: lower case, words joined by dashes, at most 60 characters. */
export function slug(title: string): string {
  return (
    title
      .normalize("NFKD")
      .replace(/[^\w\s-]/g, "")
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, "-")
      .slice(0, 60) || "scenario"
  );
}

export class AppModel extends Store {
  /** The scenario that runs: always valid. */
  scenario!: Scenario;
  /** The document of `scenario`, as written (what is saved and shared). */
  scenarioDoc: unknown = null;
  /** What the editor holds; may be invalid (then `draftProblems` says why). */
  draft: unknown = null;
  draftProblems: ScenarioProblem[] = [];
  /** Where the current scenario came from, for the status line. */
  source = "";
  /** The scenario was edited after the shown run started: re-run to see the change. */
  stale = false;

  run: RunData | null = null;
  pinned: RunData | null = null;
  phase: RunPhase = "idle";
  playing = false;
  speedHPerS: number = DEFAULT_SPEED_H_PER_S;
  /** Simulated hours per wall-clock second over the last second of play. */
  measuredSpeedHPerS = 0;
  timeH = 0;
  message = "";
  stats: SolverStats | null = null;
  knobs: KnobState[] = [];
  actions: LiveAction[] = [];
  kpis: Kpi[] = [];
  notices: Notice[] = [];
  openProblems: OpenProblems | null = null;
  /**
   * The cell lifelines (docs/model.md §12) of the shown run: from a whole run's result, or
   * fetched from the worker when a live run ends. null: none yet, or the scenario has none.
   */
  lifelines: LifelinesResult | null = null;
  /** The worker is computing the lifelines of the live run that has just ended. */
  lifelinesPending = false;

  readonly client: SimulationClient;
  private outputIntervalH = 1;
  private busy = false;
  private frame = 0;
  private lastFrameMs = 0;
  private speedWindow: { wallMs: number; simH: number }[] = [];
  private noticeId = 0;
  /** Bumped on every reset, so replies of an older run are ignored. */
  private generation = 0;
  /** The scenario of the live run has lifelines: fetch them when it ends (false once asked). */
  private lifelinesDue = false;

  constructor(client?: SimulationClient) {
    super();
    this.client = client ?? new SimulationClient((error) => this.workerLost(error));
  }

  // ---- start ------------------------------------------------------------------

  /** Opens the scenario of the page's link, else the autosaved one, else the default; then plays it. */
  async start(hash = globalThis.location?.hash ?? ""): Promise<void> {
    let opened = false;
    try {
      const text = await decodeScenarioFragment(hash);
      if (text !== null) opened = this.openText(text, "the shared link", { play: false });
    } catch (error) {
      this.openProblems = { source: "the shared link", problems: [{ path: "", message: (error as Error).message }] };
    }
    if (!opened) {
      const saved = loadAutosave();
      if (saved) {
        const parsed = parseScenario(saved.draft);
        if (parsed.ok) {
          this.adopt(saved.draft, parsed.scenario, `${saved.source} (restored)`);
          opened = true;
        } else {
          // Keep the unfinished edit in the editor; run the default meanwhile.
          this.openBuiltin(DEFAULT_SCENARIO_ID, { play: false });
          this.draft = saved.draft;
          this.draftProblems = parsed.problems;
          this.notify("info", "Your last edit was restored; it still has problems (see the editor). The default scenario runs meanwhile.");
          opened = true;
        }
      }
    }
    const linkProblems = this.openProblems;
    if (!opened) this.openBuiltin(DEFAULT_SCENARIO_ID, { play: false });
    // The fallback scenario opened fine; still show why the link did not.
    this.openProblems = linkProblems;
    await this.reset({ play: true });
  }

  // ---- scenarios --------------------------------------------------------------

  openBuiltin(id: string, options = { play: true }): boolean {
    const builtin = builtinScenario(id);
    if (!builtin) return false;
    return this.openDocument(builtin.doc, `built-in: ${id}.json`, options);
  }

  /** Opens JSON text (a file or a link); an invalid one changes nothing and lists its problems. */
  openText(text: string, source: string, options = { play: true }): boolean {
    const parsed = parseScenarioText(text, source);
    if (!parsed.ok) {
      this.openProblems = { source, problems: parsed.problems };
      this.changed();
      return false;
    }
    return this.openDocument(JSON.parse(text.replace(/^\uFEFF/, "")), source, options);
  }

  openDocument(doc: unknown, source: string, options = { play: true }): boolean {
    const parsed = parseScenario(doc);
    if (!parsed.ok) {
      this.openProblems = { source, problems: parsed.problems };
      this.changed();
      return false;
    }
    this.openProblems = null;
    this.adopt(doc, parsed.scenario, source);
    this.autosave();
    // A run started (or starting: the first one may not have answered yet) restarts on the new scenario.
    if (this.generation > 0) void this.reset({ play: options.play });
    return true;
  }

  dismissOpenProblems(): void {
    this.openProblems = null;
    this.changed();
  }

  /** An edit from the form: kept (and autosaved) even when invalid; a valid one becomes the scenario. */
  editDraft(doc: unknown): void {
    this.draft = doc;
    const parsed = parseScenario(doc);
    this.draftProblems = parsed.ok ? [] : parsed.problems;
    if (parsed.ok) {
      this.scenario = parsed.scenario;
      this.scenarioDoc = doc;
      this.stale = this.run !== null;
    }
    this.autosave();
    this.changed();
  }

  private adopt(doc: unknown, scenario: Scenario, source: string): void {
    this.scenarioDoc = doc;
    this.scenario = scenario;
    this.draft = doc;
    this.draftProblems = [];
    this.source = source;
    this.changed();
  }

  private autosave(): void {
    if (!saveAutosave(this.draft, this.source)) this.notify("warning", "This browser does not let biotwin save your edits locally; save the scenario as a file.");
  }

  // ---- live run ---------------------------------------------------------------

  /** Stops what runs and marks a new run as starting; returns its generation. */
  private beginRun(): number {
    this.stopLoop();
    this.phase = "starting";
    this.actions = [];
    this.stale = false;
    this.lifelines = null;
    this.lifelinesPending = false;
    this.lifelinesDue = false;
    this.changed();
    return ++this.generation;
  }

  /** Starts the current scenario afresh (rows cleared, knobs back to the scenario's values). */
  async reset(options = { play: false }): Promise<void> {
    const generation = this.beginRun();
    try {
      const start = await this.client.call("startLive", [this.scenarioDoc]);
      if (generation !== this.generation) return;
      if (!start.ok) {
        this.failStart(start.problems);
        return;
      }
      this.outputIntervalH = start.outputIntervalH;
      // A zoned run also gets the spread of DO and glucose over its zones (web/model/zone-columns.ts).
      const derived = zoneSpreadSeries(start.columns, probeZoneOf(this.scenario));
      this.run = new RunData(start.columns, start.durationH, "current run", undefined, derived);
      this.knobs = start.knobs;
      this.lifelinesDue = lifelineSettings(this.scenario) !== undefined;
      this.receive(start.slice);
      if (options.play) this.play();
    } catch (error) {
      this.handleError(error);
    }
  }

  play(): void {
    if (this.playing) return;
    if (!this.run || this.isFinished()) {
      void this.reset({ play: true });
      return;
    }
    this.playing = true;
    this.lastFrameMs = performance.now();
    this.speedWindow = [];
    this.changed();
    this.frame = requestAnimationFrame((now) => this.tick(now));
  }

  pause(): void {
    this.stopLoop();
    this.changed();
  }

  /** Advances one output interval (paused). */
  async step(): Promise<void> {
    this.stopLoop();
    if (!this.run || this.isFinished() || this.busy) return;
    await this.advance(this.outputIntervalH);
  }

  setSpeed(hPerS: number): void {
    if (!(hPerS > 0)) return;
    this.speedHPerS = hPerS;
    this.changed();
  }

  /** Turns a knob at the current simulated time; the run continues from there. */
  async setKnob(id: KnobId, value: number): Promise<void> {
    try {
      const { action, knobs } = await this.client.call("setKnob", [id, value]);
      this.actions = [...this.actions, action];
      this.knobs = knobs;
      this.notify("info", `${action.label} set to ${value} ${action.unit} at ${action.timeH.toFixed(1)} h (was ${Number(action.previous.toPrecision(4))} ${action.unit})`);
    } catch (error) {
      this.handleError(error);
    }
    this.changed();
  }

  /** Runs the current scenario to the end at full speed, in one call. */
  async runWhole(): Promise<void> {
    const generation = this.beginRun();
    try {
      const reply = await this.client.call("runWhole", [this.scenarioDoc], CALL_TIMEOUT_MS.whole);
      if (generation !== this.generation) return;
      if (!reply.ok) {
        this.failStart(reply.problems);
        return;
      }
      const { result } = reply;
      this.run = RunData.fromColumns(
        result.columns,
        result.columns.map((c) => c.values),
        this.scenario.process.durationH,
        "current run",
        zoneSpreadSeries(result.columns, probeZoneOf(this.scenario)),
      );
      this.knobs = [];
      this.timeH = result.metadata.endTimeH;
      this.stats = result.metadata.stats;
      this.phase = result.metadata.status === "harvested" ? "harvested" : result.metadata.status === "failed" ? "failed" : "ended";
      this.message = result.metadata.message;
      this.lifelines = result.lifelines ?? null;
      this.updateKpis();
    } catch (error) {
      this.handleError(error);
    }
    this.changed();
  }

  private tick(now: number): void {
    if (!this.playing) return;
    this.frame = requestAnimationFrame((t) => this.tick(t));
    // One slice per SLICE_INTERVAL_MS of wall time: the charts redraw at that rate, not at every frame.
    if (this.busy || now - this.lastFrameMs < SLICE_INTERVAL_MS) return;
    const dtS = Math.min(Math.max((now - this.lastFrameMs) / 1000, 0), 0.25);
    this.lastFrameMs = now;
    const hours = this.speedHPerS * dtS;
    if (hours <= 0) return;
    void this.advance(hours);
  }

  private async advance(hours: number): Promise<void> {
    const generation = this.generation;
    this.busy = true;
    try {
      const slice = await this.client.call("advance", [hours]);
      if (generation !== this.generation) return;
      this.receive(slice);
      this.recordSpeed(hours);
    } catch (error) {
      if (generation === this.generation) this.handleError(error);
    } finally {
      this.busy = false;
    }
  }

  private receive(slice: LiveSlice): void {
    this.run?.appendRows(slice.rows);
    this.timeH = slice.timeH;
    this.phase = slice.phase;
    this.message = slice.message;
    this.stats = slice.stats;
    if (this.isFinished()) this.stopLoop();
    if (this.lifelinesDue && (this.phase === "ended" || this.phase === "harvested")) void this.fetchLiveLifelines();
    this.updateKpis();
    this.changed();
  }

  /** Asks the worker for the lifelines of the live run that has just ended; the page stays responsive meanwhile. */
  private async fetchLiveLifelines(): Promise<void> {
    const generation = this.generation;
    this.lifelinesDue = false;
    this.lifelinesPending = true;
    this.changed();
    try {
      const lifelines = await this.client.call("liveLifelines", [], CALL_TIMEOUT_MS.whole);
      if (generation !== this.generation) return;
      this.lifelines = lifelines;
    } catch (error) {
      if (generation === this.generation) this.handleError(error);
    } finally {
      if (generation === this.generation) {
        this.lifelinesPending = false;
        this.changed();
      }
    }
  }

  private recordSpeed(hours: number): void {
    const now = performance.now();
    this.speedWindow.push({ wallMs: now, simH: hours });
    while (this.speedWindow.length > 1 && now - this.speedWindow[0].wallMs > 1000) this.speedWindow.shift();
    const spanMs = now - this.speedWindow[0].wallMs;
    const simH = this.speedWindow.slice(1).reduce((sum, s) => sum + s.simH, 0);
    this.measuredSpeedHPerS = spanMs > 0 ? (simH * 1000) / spanMs : 0;
  }

  private updateKpis(): void {
    const run = this.run;
    if (!run) return;
    this.kpis = computeKpis((name) => (run.has(name) ? run.column(name) : undefined), {
      harvested: this.phase === "harvested",
      finished: this.isFinished(),
    });
  }

  isFinished(): boolean {
    return this.phase === "ended" || this.phase === "harvested" || this.phase === "failed";
  }

  private stopLoop(): void {
    this.playing = false;
    cancelAnimationFrame(this.frame);
  }

  private failStart(problems: ScenarioProblem[]): void {
    this.phase = "failed";
    this.message = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ");
    this.notify("error", `The scenario cannot run: ${this.message}`);
    this.changed();
  }

  private handleError(error: unknown): void {
    this.stopLoop();
    if (error instanceof WorkerLostError) return; // workerLost has said it and is recovering
    this.notify("error", (error as Error).message ?? String(error));
  }

  /** The worker was replaced: say so, and pick the live run up where it was (same scenario, same actions). */
  private workerLost(error: WorkerLostError): void {
    const wasPlaying = this.playing;
    this.stopLoop();
    this.busy = false;
    this.notify("warning", `${error.message}. Your scenario and the result so far are kept.`);
    const run = this.run;
    if (!run || run.length === 0) return;
    const untilH = this.timeH;
    const actions = this.actions;
    const generation = ++this.generation;
    void this.client
      .call("startLive", [this.scenarioDoc, { actions, untilH }])
      .then((start) => {
        if (generation !== this.generation || !start.ok) return;
        this.knobs = start.knobs;
        if (start.slice.rows.length > run.length * run.rowWidth) {
          // Rows beyond those kept (the replayed run went past the last received slice).
          run.appendRows(start.slice.rows.subarray(run.length * run.rowWidth));
        }
        this.timeH = start.slice.timeH;
        this.phase = start.slice.phase;
        this.message = start.slice.message;
        this.notify("info", `The run was picked up at ${untilH.toFixed(1)} h in a new worker.`);
        this.changed();
        if (wasPlaying) this.play();
      })
      .catch(() => this.notify("error", "The new worker could not pick the run up; press Reset to start again."));
  }

  // ---- compare ----------------------------------------------------------------

  pin(): void {
    if (!this.run || this.run.length === 0) return;
    const title = this.scenario.metadata.title;
    this.pinned = this.run.snapshot(`pinned: ${title.length > 40 ? `${title.slice(0, 39)}…` : title} (to ${this.run.lastTimeH.toFixed(0)} h)`);
    this.changed();
  }

  unpin(): void {
    this.pinned = null;
    this.changed();
  }

  // ---- files ------------------------------------------------------------------

  scenarioFile(): Download {
    const doc = this.draft ?? this.scenarioDoc;
    const title = (this.scenario?.metadata.title as string | undefined) ?? "scenario";
    return { name: `${slug(title)}.json`, type: "application/json", text: `${JSON.stringify(doc, null, 2)}\n` };
  }

  /** The result so far as CSV or JSON (the whole-run or live result, with balances, actions and any lifelines). */
  async resultFile(format: "csv" | "json"): Promise<Download | null> {
    let result: SimulationResult;
    try {
      result = this.phase === "idle" || this.knobs.length === 0 ? await this.wholeResult() : await this.client.call("liveResult", []);
      // A live run's lifelines were fetched when it ended (the live result has none).
      if (!result.lifelines && this.lifelines && this.isFinished()) result = { ...result, lifelines: this.lifelines };
    } catch (error) {
      this.handleError(error);
      return null;
    }
    const name = `${slug(this.scenario.metadata.title)}-result.${format}`;
    return format === "csv" ? { name, type: "text/csv", text: toCsv(result) } : { name, type: "application/json", text: toJson(result) };
  }

  private async wholeResult(): Promise<SimulationResult> {
    const reply = await this.client.call("runWhole", [this.scenarioDoc], CALL_TIMEOUT_MS.whole);
    if (!reply.ok) throw new Error(reply.problems.map((p) => p.message).join("; "));
    return reply.result;
  }

  /** A link that opens the current scenario (its fragment holds it); null with a notice when too large. */
  async shareLink(base = globalThis.location?.href ?? ""): Promise<string | null> {
    try {
      const fragment = await encodeScenarioFragment(this.draft ?? this.scenarioDoc);
      return `${base.replace(/#.*$/, "")}#${fragment}`;
    } catch (error) {
      if (error instanceof ShareLinkError) {
        this.notify("error", error.message);
        return null;
      }
      throw error;
    }
  }

  // ---- notices ----------------------------------------------------------------

  notify(level: Notice["level"], text: string): void {
    this.notices = [...this.notices.slice(-4), { id: ++this.noticeId, level, text }];
    this.changed();
  }

  dismissNotice(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.changed();
  }

  /** For tests of the watchdog: makes the worker unresponsive for `ms`. */
  debugBusyWorker(ms: number): Promise<unknown> {
    return this.client.call("busyFor", [ms], 2000).catch(() => undefined);
  }
}

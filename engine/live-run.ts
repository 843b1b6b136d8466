// A run that advances in slices (play, pause, step) and takes knob changes while
// it goes: the live mode of the browser app. Each slice returns the output rows
// it produced; each knob change is applied at the current simulated time and
// recorded in the run's history of actions. Pure engine code: no DOM.
import * as L from "../assembly/layout";
import { describeStatus, type Core, type SolverStats } from "./core-bridge";
import type { ColumnSpec } from "./models/adapter";
import type { ModelAdapter } from "./models";
import { vesselColumns, type DerivedColumns } from "./vessel/columns";
import { collectResult, ScenarioSetupError, setUpRun, type SimulationResult } from "./simulate";
import { isChoScenario, type Scenario } from "./scenario";

/** The knobs a user can turn during a live run. */
export type KnobId = "feedRate" | "temperatureSetpoint" | "doSetpoint" | "phSetpoint" | "agitation" | "kla";

/** A knob as the UI shows it: what it is, its unit and range, its value now, and whether this scenario has it. */
export interface KnobState {
  id: KnobId;
  label: string;
  unit: string;
  min: number;
  max: number;
  /** Suggested increment of the input, in `unit`. */
  step: number;
  value: number;
  /** False when the scenario has nothing this knob acts on (no feed medium, loop off); `why` says so. */
  available: boolean;
  why: string;
  help: string;
}

/** One change a user made during a run. */
export interface LiveAction {
  /** Simulated time of the change, h. */
  timeH: number;
  knob: KnobId;
  label: string;
  unit: string;
  previous: number;
  value: number;
}

export type LivePhase = "ready" | "running" | "ended" | "harvested" | "failed";

export interface LiveSlice {
  /** New output rows since the last slice, row-major (time first, then every column). */
  rows: Float64Array;
  /** Simulated time reached, h. */
  timeH: number;
  phase: LivePhase;
  /** A sentence about the state of the run ("ok", why it stopped or failed). */
  message: string;
  stats: SolverStats;
}

interface KnobDefinition {
  label: string;
  unit: string;
  min: number;
  max: number;
  step: number;
  help: string;
  /** null when available, else the reason it is not. */
  unavailable(scenario: Scenario): string | null;
  read(core: Core, timeH: number): number;
  write(core: Core, value: number, timeH: number): void;
}

/** A continuous feed set live: a constant rate from now on, of the first medium (CHO) or the feed medium (microbial). */
function feedKnob(rateSlot: number, expSlot: number, t0Slot: number, maxLPerH: (s: Scenario) => number): KnobDefinition {
  return {
    label: "Feed rate",
    unit: "L/h",
    min: 0,
    max: 1,
    step: 0.001,
    help: "Continuous feed from now on, at a constant rate (a later feed profile of the scenario may change it).",
    unavailable: (s) => (maxLPerH(s) > 0 ? null : "the scenario has no feed medium"),
    read: (core, t) => core.getParam(rateSlot) * Math.exp(core.getParam(expSlot) * (t - core.getParam(t0Slot))),
    write: (core, value, t) => {
      core.setParam(t0Slot, t);
      core.setParam(expSlot, 0);
      core.setParam(rateSlot, value);
    },
  };
}

function param(slot: number) {
  return {
    read: (core: Core) => core.getParam(slot),
    write: (core: Core, value: number) => core.setParam(slot, value),
  };
}

function choKnobs(): Partial<Record<KnobId, KnobDefinition>> {
  const cho = (why: (s: Extract<Scenario, { cells: { model: "cho" } }>) => string | null) => (s: Scenario) =>
    isChoScenario(s) ? why(s) : "only the CHO model has this control loop";
  return {
    feedRate: feedKnob(L.CP_FEED_RATE, L.CP_FEED_EXP, L.CP_FEED_T0, (s) =>
      isChoScenario(s) && Object.keys(s.process.media).length > 0 ? 1 : 0,
    ),
    temperatureSetpoint: {
      label: "Temperature setpoint",
      unit: "°C",
      min: 20,
      max: 45,
      step: 0.1,
      help: "Setpoint of the temperature loop (a later scheduled setpoint of the scenario replaces it).",
      unavailable: cho((s) => (s.control.temperature.enabled ? null : "the temperature loop is off")),
      ...param(L.CP_T_SP),
    },
    doSetpoint: {
      label: "DO setpoint",
      unit: "% air sat.",
      min: 0,
      max: 200,
      step: 1,
      help: "Setpoint of the dissolved-oxygen cascade.",
      unavailable: cho((s) => (s.control.dissolvedOxygen.enabled ? null : "the DO loop is off")),
      ...param(L.CP_DO_SP),
    },
    phSetpoint: {
      label: "pH setpoint",
      unit: "pH",
      min: 6,
      max: 8.5,
      step: 0.01,
      help: "Setpoint of the pH loop (CO2 above it, base below it).",
      unavailable: cho((s) => (s.control.pH.enabled ? null : "the pH loop is off")),
      ...param(L.CP_PH_SP),
    },
    agitation: {
      label: "Agitation",
      unit: "rpm",
      min: 0,
      max: 2000,
      step: 5,
      help: "Impeller speed when the DO loop is off; with the loop on, the lowest speed of its cascade (at most its highest).",
      unavailable: cho(() => null),
      read: (core) => core.getParam(core.getParam(L.CP_DO_ON) !== 0 ? L.CP_N_MIN : L.CP_N_FIXED),
      write: (core, value) => {
        if (core.getParam(L.CP_DO_ON) !== 0) core.setParam(L.CP_N_MIN, Math.min(value, core.getParam(L.CP_N_MAX)));
        else core.setParam(L.CP_N_FIXED, value);
      },
    },
  };
}

function microbialKnobs(): Partial<Record<KnobId, KnobDefinition>> {
  return {
    feedRate: feedKnob(L.MP_FEED_RATE, L.MP_FEED_EXP, L.MP_FEED_T0, (s) =>
      !isChoScenario(s) && s.process.feedMedium !== undefined && s.process.mode !== "continuous" ? 1 : 0,
    ),
    kla: {
      label: "kLa (aeration)",
      unit: "1/h",
      min: 0,
      max: 2000,
      step: 10,
      help: "Volumetric O2 transfer coefficient: more agitation or gas gives a higher kLa.",
      unavailable: () => null,
      ...param(L.MP_KLA),
    },
  };
}

export class LiveRun {
  /** time first, then the model's columns. */
  readonly columns: ColumnSpec[];
  readonly durationH: number;
  readonly actions: LiveAction[] = [];
  private readonly knobDefs: Partial<Record<KnobId, KnobDefinition>>;
  private readonly model: ModelAdapter;
  private readonly derived: DerivedColumns | null;
  /** Width of the core's rows (time and the model's columns), before the derived columns. */
  private readonly coreWidth: number;
  private rowsSent = 0;
  private phase: LivePhase = "ready";
  private message = "ready";
  private statusCode = L.STATUS_OK;

  constructor(
    private readonly core: Core,
    private readonly scenario: Scenario,
  ) {
    const model = setUpRun(core, scenario);
    this.model = model;
    this.derived = vesselColumns(scenario);
    const coreColumns = [{ name: "time", unit: "h", description: "time since the start of the run" }, ...model.columns];
    this.coreWidth = coreColumns.length;
    this.columns = [...coreColumns, ...(this.derived?.specs ?? [])];
    this.durationH = scenario.process.durationH;
    this.knobDefs = isChoScenario(scenario) ? choKnobs() : microbialKnobs();
    // Complete the initial state (the model's own setup checks) and write the row at t = 0.
    const status = core.advanceTo(0);
    if (status === L.STATUS_BAD_SETUP && core.setupProblem !== 0 && model.setupProblem) {
      throw new ScenarioSetupError([model.setupProblem(core.setupProblem, scenario)]);
    }
    this.settle(status);
  }

  get timeH(): number {
    return this.core.time();
  }

  get finished(): boolean {
    return this.phase === "ended" || this.phase === "harvested" || this.phase === "failed";
  }

  /** Advances by `hours` of simulated time (clipped to the end of the run); returns the new rows. */
  advance(hours: number): LiveSlice {
    if (!(hours >= 0) || !Number.isFinite(hours)) throw new Error(`advance: hours must be a finite number ≥ 0, got ${hours}`);
    if (!this.finished) {
      const target = Math.min(this.core.time() + hours, this.durationH);
      this.settle(this.core.advanceTo(target));
    }
    return this.slice();
  }

  /** Runs to the end (or until the run stops) and returns every row not yet sent. */
  runToEnd(): LiveSlice {
    return this.advance(Math.max(0, this.durationH - this.core.time()));
  }

  knobs(): KnobState[] {
    const t = this.core.time();
    return (Object.entries(this.knobDefs) as [KnobId, KnobDefinition][]).map(([id, k]) => {
      const why = k.unavailable(this.scenario);
      return {
        id,
        label: k.label,
        unit: k.unit,
        min: k.min,
        max: k.max,
        step: k.step,
        value: why === null ? k.read(this.core, t) : NaN,
        available: why === null,
        why: why ?? "",
        help: k.help,
      };
    });
  }

  /** Turns a knob now; the run continues from this moment with the new value. */
  setKnob(id: KnobId, value: number): LiveAction {
    const k = this.knobDefs[id];
    if (!k) throw new Error(`this scenario has no knob "${id}"`);
    const why = k.unavailable(this.scenario);
    if (why !== null) throw new Error(`${k.label} cannot be changed: ${why}`);
    if (!Number.isFinite(value) || value < k.min || value > k.max) {
      throw new Error(`${k.label} must be between ${k.min} and ${k.max} ${k.unit}, got ${value}`);
    }
    if (this.finished) throw new Error(`the run has ended (${this.message}); reset it to change ${k.label}`);
    const t = this.core.time();
    const action: LiveAction = { timeH: t, knob: id, label: k.label, unit: k.unit, previous: k.read(this.core, t), value };
    k.write(this.core, value, t);
    this.actions.push(action);
    return action;
  }

  private settle(status: number): void {
    this.statusCode = status;
    const t = this.core.time();
    if (status === L.STATUS_STOPPED) {
      this.phase = "harvested";
      this.message = `harvested at ${t.toFixed(2)} h (day ${(t / 24).toFixed(2)}): viability fell below the harvest threshold`;
    } else if (status !== L.STATUS_OK) {
      this.phase = "failed";
      this.message = `the run stopped at ${t.toPrecision(6)} h: ${describeStatus(status)}`;
    } else if (t >= this.durationH - 1e-9 * Math.max(1, this.durationH)) {
      this.phase = "ended";
      this.message = "ok";
    } else {
      this.phase = t > 0 ? "running" : "ready";
      this.message = "ok";
    }
    // Close a finished run with a row at its last time, as simulate does.
    if (this.finished) {
      const rows = this.core.outputCount;
      const last = rows > 0 ? this.core.outputColumn(0, rows - 1, rows)[0] : -Infinity;
      if (last < t - 1e-9 * Math.max(1, t)) this.core.writeCurrentRow();
    }
  }

  /** The core's rows with the derived columns appended to each. */
  private withDerived(rows: Float64Array): Float64Array {
    const d = this.derived;
    if (!d) return rows;
    const w = this.coreWidth;
    const width = this.columns.length;
    const count = rows.length / w;
    const inputs = d.inputs.map((name) => this.columns.findIndex((c) => c.name === name));
    const out = new Float64Array(count * width);
    for (let r = 0; r < count; r++) {
      out.set(rows.subarray(r * w, (r + 1) * w), r * width);
      d.compute(inputs.map((i) => rows[r * w + i]), out, r * width + w);
    }
    return out;
  }

  private slice(): LiveSlice {
    const count = this.core.outputCount;
    const rows = this.withDerived(this.core.outputRows(this.rowsSent, count));
    this.rowsSent = count;
    return { rows, timeH: this.core.time(), phase: this.phase, message: this.message, stats: this.core.stats() };
  }

  /**
   * The result so far (every row, balances, metadata with the history of actions),
   * as a whole run returns it; the run can go on afterwards.
   */
  result(): SimulationResult {
    const result = collectResult(this.core, this.scenario, this.model, this.statusCode, false);
    if (this.actions.length > 0) result.metadata.actions = this.actions.slice();
    if (!this.finished) result.metadata.message = `live run paused at ${this.core.time().toFixed(2)} h of ${this.durationH} h`;
    return result;
  }

  /** The core's status code of the last slice (0 ok). */
  get status(): number {
    return this.statusCode;
  }
}

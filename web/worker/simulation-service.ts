// SimulationService: what a simulation worker offers the page (through comlink).
// Whole runs return their result at once; a live run advances in slices and takes
// knob changes. Results cross as transferables. Uses the same engine as the CLI.
import { transfer } from "comlink";
import { STATUS_OK, STATUS_STOPPED } from "../../assembly/layout";
import { Core } from "../../engine/core-bridge";
import { LiveRun, type KnobId, type KnobState, type LiveAction, type LiveSlice } from "../../engine/live-run";
import { isChoScenario, parseScenario, type Scenario, type ScenarioProblem } from "../../engine/scenario";
import { MAX_ZONE_COUNT } from "../../engine/scenario/cho-schema";
import { ScenarioSetupError, simulate, type SimulationResult } from "../../engine/simulate";
import { lifelineSettings, runLifelines, type LifelinesResult } from "../../engine/lifelines";
import { lifelineBuffers } from "../model/lifeline-data";
import type { ColumnSpec } from "../../engine/models";
import { VESSEL_PRESET_IDS, type VesselPresetId } from "../../engine/vessel/presets";
import { SCALE_UP_CRITERIA, type ScaleUpCriterion } from "../../engine/vessel/scaleup";
import { planScaleUp, withExplicitVessel, type ScaleUpPlan } from "../../engine/vessel/scaleup-plan";

/** A scenario the worker refused: every problem with its path. */
export interface Refusal {
  ok: false;
  problems: ScenarioProblem[];
}

export interface LiveStart {
  ok: true;
  columns: ColumnSpec[];
  durationH: number;
  outputIntervalH: number;
  knobs: KnobState[];
  /** The row at t = 0 (and anything replayed). */
  slice: LiveSlice;
}

export interface WholeRun {
  ok: true;
  result: SimulationResult;
}

/** A scale-up planned from a run of the source scenario, and the run of the scaled scenario if asked for. */
export interface ScaleUpReply {
  ok: true;
  plan: ScaleUpPlan;
  /** The run of plan.sourceDoc (the source scenario in its explicit vessel). */
  source: SimulationResult;
  /** The run of plan.targetDoc; null when it was not asked for. */
  target: SimulationResult | null;
  /** Simulated duration of both scenarios, h (the x range of their charts; scaling keeps it). */
  durationH: number;
}

function validated(doc: unknown): Scenario | Refusal {
  const parsed = parseScenario(doc);
  return parsed.ok ? parsed.scenario : { ok: false, problems: parsed.problems };
}

function isRefusal(x: Scenario | Refusal): x is Refusal {
  return (x as Refusal).ok === false;
}

function refusalOf(error: unknown): Refusal {
  if (error instanceof ScenarioSetupError) return { ok: false, problems: error.problems };
  throw error;
}

/** The buffers of a result that cross as transferables: every column and the lifelines' arrays. */
function resultBuffers(result: SimulationResult): ArrayBuffer[] {
  return [...result.columns.map((c) => c.values.buffer as ArrayBuffer), ...(result.lifelines ? lifelineBuffers(result.lifelines) : [])];
}

function transferSlice<T extends { slice: LiveSlice }>(value: T): T {
  return transfer(value, [value.slice.rows.buffer]);
}

export class SimulationService {
  private live: LiveRun | null = null;
  /** The core and scenario of the live run (the lifelines read the core's rows once it has ended). */
  private liveRun: { core: Core; scenario: Scenario } | null = null;

  constructor(private readonly module: WebAssembly.Module) {}

  /** Runs the scenario document to the end and returns the whole result (columns and lifelines transferred). */
  runWhole(doc: unknown): WholeRun | Refusal {
    const scenario = validated(doc);
    if (isRefusal(scenario)) return scenario;
    try {
      const result = simulate(Core.fromModule(this.module), scenario);
      return transfer({ ok: true as const, result }, resultBuffers(result));
    } catch (error) {
      return refusalOf(error);
    }
  }

  /**
   * Plans the scale-up of a CHO scenario document to the vessel preset `presetId` at
   * `criterion` (the flow of `biotwin scaleup`: run the source in its explicit vessel,
   * plan from that run, and run the scaled scenario when `runTarget`). Refuses invalid
   * input, a microbial scenario and a failed source run with problems; the columns of
   * both runs are transferred. `zones`: split the target tank into that many zones
   * (reactor.zones.count); null: as the source.
   */
  scaleUp(doc: unknown, presetId: string, criterion: string, runTarget: boolean, zones: number | null = null): ScaleUpReply | Refusal {
    if (!(VESSEL_PRESET_IDS as readonly string[]).includes(presetId)) {
      return { ok: false, problems: [{ path: "", message: `the target vessel must be one of ${VESSEL_PRESET_IDS.join(", ")}, not "${presetId}"` }] };
    }
    if (!(SCALE_UP_CRITERIA as readonly string[]).includes(criterion)) {
      return { ok: false, problems: [{ path: "", message: `the criterion must be one of ${SCALE_UP_CRITERIA.join(", ")}, not "${criterion}"` }] };
    }
    if (zones !== null && !(Number.isInteger(zones) && zones >= 1 && zones <= MAX_ZONE_COUNT)) {
      return { ok: false, problems: [{ path: "", message: `the zone count must be a whole number from 1 to ${MAX_ZONE_COUNT}, not ${zones}` }] };
    }
    const scenario = validated(doc);
    if (isRefusal(scenario)) return scenario;
    if (!isChoScenario(scenario)) {
      return {
        ok: false,
        problems: [{ path: "cells.model", message: `scale-up needs a CHO scenario (cells.model "cho"): the ${scenario.cells.model} model has no agitation or gas flow to scale` }],
      };
    }
    const runDocument = (d: unknown, what: string): SimulationResult | Refusal => {
      const parsed = validated(d);
      if (isRefusal(parsed)) return { ok: false, problems: parsed.problems.map((p) => ({ ...p, message: `${what}: ${p.message}` })) };
      try {
        return simulate(Core.fromModule(this.module), parsed);
      } catch (error) {
        return refusalOf(error);
      }
    };
    const source = runDocument(withExplicitVessel(doc as Record<string, unknown>, scenario), "the source scenario in its vessel");
    if ("ok" in source) return source;
    if (source.metadata.status === "failed") {
      return { ok: false, problems: [{ path: "", message: `the source run failed: ${source.metadata.message}` }] };
    }
    const plan = planScaleUp(doc as Record<string, unknown>, scenario, source, presetId as VesselPresetId, criterion as ScaleUpCriterion, { zones });
    let target: SimulationResult | null = null;
    if (runTarget) {
      const run = runDocument(plan.targetDoc, "the scaled scenario");
      if ("ok" in run) return run;
      target = run;
    }
    const buffers = [...resultBuffers(source), ...(target ? resultBuffers(target) : [])];
    return transfer({ ok: true as const, plan, source, target, durationH: scenario.process.durationH }, buffers);
  }

  /**
   * Starts a live run of the document (replacing any). `replay` re-applies the actions
   * of an earlier run at their times and advances to `untilH`: how a replaced worker
   * picks a run up where the old one was.
   */
  startLive(doc: unknown, replay: { actions: LiveAction[]; untilH: number } = { actions: [], untilH: 0 }): LiveStart | Refusal {
    const scenario = validated(doc);
    if (isRefusal(scenario)) return scenario;
    let live: LiveRun;
    const core = Core.fromModule(this.module);
    try {
      live = new LiveRun(core, scenario);
    } catch (error) {
      return refusalOf(error);
    }
    this.live = live;
    this.liveRun = { core, scenario };
    const parts: Float64Array[] = [live.advance(0).rows];
    for (const action of replay.actions) {
      parts.push(live.advance(action.timeH - live.timeH).rows);
      live.setKnob(action.knob, action.value);
    }
    const last = live.advance(Math.max(0, replay.untilH - live.timeH));
    parts.push(last.rows);
    const rows = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      rows.set(p, at);
      at += p.length;
    }
    return transferSlice({
      ok: true as const,
      columns: live.columns,
      durationH: live.durationH,
      outputIntervalH: scenario.simulation.outputIntervalH,
      knobs: live.knobs(),
      slice: { ...last, rows },
    });
  }

  /** Advances the live run by `hours` of simulated time; the new rows are transferred. */
  advance(hours: number): LiveSlice {
    const slice = this.requireLive().advance(hours);
    return transfer(slice, [slice.rows.buffer]);
  }

  setKnob(id: KnobId, value: number): { action: LiveAction; knobs: KnobState[] } {
    const live = this.requireLive();
    const action = live.setKnob(id, value);
    return { action, knobs: live.knobs() };
  }

  /** The live run's result so far, with balances and the history of actions (no lifelines: see liveLifelines). */
  liveResult(): SimulationResult {
    const result = this.requireLive().result();
    return transfer(result, resultBuffers(result));
  }

  /**
   * The cell lifelines (docs/model.md §12) of the live run once it has ended or been
   * harvested: run by the core over the live run's own rows, knob changes included, as
   * simulate runs them after a whole run. null while the run goes on, when it failed, or
   * when its scenario has no lifelines. The arrays are transferred.
   */
  liveLifelines(): LifelinesResult | null {
    const live = this.requireLive();
    const run = this.liveRun;
    const failed = live.status !== STATUS_OK && live.status !== STATUS_STOPPED;
    if (!run || !live.finished || failed || !lifelineSettings(run.scenario)) return null;
    const lifelines = runLifelines(run.core, run.scenario) ?? null;
    return lifelines ? transfer(lifelines, lifelineBuffers(lifelines)) : null;
  }

  /** For the tests of the page's watchdog: keeps the worker busy for `ms` milliseconds. */
  busyFor(ms: number): void {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      // a stuck computation
    }
  }

  private requireLive(): LiveRun {
    if (!this.live) throw new Error("no live run: start one first");
    return this.live;
  }
}


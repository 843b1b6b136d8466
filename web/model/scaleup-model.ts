// The state of the Scale-up view: the target vessel, criterion and zone count chosen, the
// plan the worker made for the scenario (biotwin scaleup's flow) and the runs of the
// source and the scaled scenario. Views render it and call its methods; it imports no view.
import { computeKpis } from "../../engine/kpis";
import { isChoScenario, parseScenario, type ScenarioProblem } from "../../engine/scenario";
import type { SimulationResult } from "../../engine/simulate";
import type { VesselPresetId } from "../../engine/vessel/presets";
import type { ScaleUpCriterion } from "../../engine/vessel/scaleup";
import { lowestAcrossZones, type ScaleUpPlan } from "../../engine/vessel/scaleup-plan";
import type { Download } from "./app-model";
import { RunData } from "./run-data";
import { CALL_TIMEOUT_MS, type SimulationClient } from "./simulation-client";
import { Store } from "./store";
import { probeZoneOf, zoneSpreadSeries } from "./zone-columns";

export const DEFAULT_PRESET_ID: VesselPresetId = "sub-2000l";
export const DEFAULT_CRITERION: ScaleUpCriterion = "pv";
/** Zone counts the view offers for the target tank; null: well mixed. */
export const ZONE_CHOICES: readonly (number | null)[] = [null, 10, 25, 50];

/** How long a scale-up may take in the worker: two whole runs, in ms. */
const SCALE_UP_TIMEOUT_MS = 2 * CALL_TIMEOUT_MS.whole;

/** Whether a scenario document can be scaled up: only a valid CHO scenario has agitation and gas to scale. */
export type ScenarioFit = "cho" | "not-cho" | "invalid";

/** How a run ended, from its metadata. */
export interface RunOutcome {
  status: SimulationResult["metadata"]["status"];
  message: string;
}

/** The figures of a finished run that the scale-up table compares (NaN: not in the run). */
export interface RunFigures {
  peakViableCellsE6PerMl: number;
  finalTiterGPerL: number;
  /** Lowest DO of the run, % of air saturation: the well-mixed DO (with zones, the volume-weighted mean over them). */
  lowestDoPercent: number;
  /** Lowest DO in any zone over the run, % of air saturation; NaN for a well-mixed run. */
  lowestZoneDoPercent: number;
  highestPco2MmHg: number;
}

/** The figures the table shows for a run (the same ones as `biotwin scaleup --run`). */
export function runFigures(run: RunData): RunFigures {
  const column = (name: string) => (run.has(name) ? run.column(name) : undefined);
  const kpis = computeKpis(column, { harvested: false, finished: true });
  const kpi = (id: string) => kpis.find((k) => k.id === id)?.value ?? Number.NaN;
  const extreme = (name: string, pick: (a: number, b: number) => number) => {
    const values = column(name);
    return values && values.length > 0 ? values.reduce(pick) : Number.NaN;
  };
  return {
    peakViableCellsE6PerMl: kpi("peakDensity"),
    finalTiterGPerL: kpi("finalTiter"),
    lowestDoPercent: extreme("do_saturation", (a, b) => Math.min(a, b)),
    lowestZoneDoPercent: lowestAcrossZones(column),
    highestPco2MmHg: extreme("pco2", (a, b) => Math.max(a, b)),
  };
}

/** A volume for labels: "2.5 L", "2,000 L", "12,500 L". */
export function volumeLabel(volumeL: number): string {
  return `${volumeL.toLocaleString("en", { maximumSignificantDigits: 4 })} L`;
}

function slug(title: string): string {
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

/** A finished run as RunData; a zoned run (probe zone from its scenario document) also gets the zone spread columns. */
function runData(result: SimulationResult, durationH: number, label: string, doc: unknown): RunData {
  const parsed = parseScenario(doc);
  const probeZone = parsed.ok ? probeZoneOf(parsed.scenario) : null;
  return RunData.fromColumns(
    result.columns,
    result.columns.map((c) => c.values),
    durationH,
    label,
    zoneSpreadSeries(result.columns, probeZone),
  );
}

export class ScaleUpModel extends Store {
  /** The target vessel preset. */
  presetId: VesselPresetId = DEFAULT_PRESET_ID;
  /** The quantity kept constant from source to target. */
  criterion: ScaleUpCriterion = DEFAULT_CRITERION;
  /** Zones the target tank is split into (reactor.zones.count); null: well mixed. */
  zones: number | null = null;
  /** A plan (and maybe runs) is being computed in the worker. */
  busy = false;
  /** What `busy` is doing, for the status line ("" when idle). */
  activity = "";
  /** The last plan; null: none yet (or the last attempt failed). */
  plan: ScaleUpPlan | null = null;
  /** The scenario document `plan` was made for (compare by identity to tell a stale plan); null: no plan. */
  plannedDoc: unknown = null;
  /** The zone count `plan` was made with (null: none). */
  plannedZones: number | null = null;
  /** The run of the source scenario in its vessel; null: no plan. */
  source: RunData | null = null;
  sourceOutcome: RunOutcome | null = null;
  /** The run of the scaled scenario; null: only planned, or no plan. */
  target: RunData | null = null;
  targetOutcome: RunOutcome | null = null;
  /** Why the last attempt gave nothing (a sentence); null: it worked. */
  error: string | null = null;
  /** The problems behind `error` with their paths; empty when none. */
  problems: ScenarioProblem[] = [];
  /** What the last attempt did, for the status line ("" before the first). */
  notice = "";

  private readonly client: Pick<SimulationClient, "call">;
  /** Bumped on every request, so a reply to an older one is ignored. */
  private generation = 0;
  private fitOf: { doc: unknown; fit: ScenarioFit } | null = null;

  /** @param client - the worker to plan in (the app passes its own) */
  constructor(client: Pick<SimulationClient, "call">) {
    super();
    this.client = client;
  }

  /** Whether `doc` can be scaled up (remembered for the last document asked about). */
  fit(doc: unknown): ScenarioFit {
    const last = this.fitOf;
    if (last !== null && last.doc === doc) return last.fit;
    const parsed = parseScenario(doc);
    const fit: ScenarioFit = !parsed.ok ? "invalid" : isChoScenario(parsed.scenario) ? "cho" : "not-cho";
    this.fitOf = { doc, fit };
    return fit;
  }

  setPreset(id: VesselPresetId): void {
    this.presetId = id;
    this.changed();
  }

  setCriterion(criterion: ScaleUpCriterion): void {
    this.criterion = criterion;
    this.changed();
  }

  /** Splits the target tank into `zones` zones (null: well mixed) from the next plan on. */
  setZones(zones: number | null): void {
    this.zones = zones;
    this.changed();
  }

  /** The plan on show is for another document, vessel or criterion than the ones chosen now. */
  isStale(doc: unknown): boolean {
    const plan = this.plan;
    return (
      plan !== null &&
      (this.plannedDoc !== doc || plan.criterion !== this.criterion || plan.target.vessel.presetId !== this.presetId || this.plannedZones !== this.zones)
    );
  }

  /** Plans without running the scaled scenario (the source still runs: its peak demand sets the operating point). */
  planOnly(doc: unknown): Promise<void> {
    return this.run(doc, { runTarget: false });
  }

  /**
   * Plans the scale-up of `doc` to the chosen vessel at the chosen criterion and, with
   * `runTarget` (the default), runs the scaled scenario too. A reply to an earlier call
   * that arrives after a later call started is dropped.
   */
  async run(doc: unknown, options: { runTarget: boolean } = { runTarget: true }): Promise<void> {
    const generation = ++this.generation;
    const presetId = this.presetId;
    const criterion = this.criterion;
    const zones = this.zones;
    this.busy = true;
    this.activity = options.runTarget ? "Running the source and the scaled scenario…" : "Running the source and planning…";
    this.changed();
    const startedMs = performance.now();
    try {
      const reply = await this.client.call("scaleUp", [doc, presetId, criterion, options.runTarget, zones], SCALE_UP_TIMEOUT_MS);
      if (generation !== this.generation) return;
      if (!reply.ok) {
        this.clearResult();
        this.problems = reply.problems;
        this.error = `The scale-up could not be planned: ${reply.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ")}`;
        this.notice = "";
        return;
      }
      const { plan, source, target, durationH } = reply;
      this.plan = plan;
      this.plannedDoc = doc;
      this.plannedZones = zones;
      this.source = runData(source, durationH, `source (${volumeLabel(plan.source.vessel.workingVolumeL)})`, plan.sourceDoc);
      this.sourceOutcome = { status: source.metadata.status, message: source.metadata.message };
      const inZones = zones !== null ? `, ${zones} zones` : "";
      this.target = target ? runData(target, durationH, `target (${volumeLabel(plan.target.vessel.workingVolumeL)}${inZones})`, plan.targetDoc) : null;
      this.targetOutcome = target ? { status: target.metadata.status, message: target.metadata.message } : null;
      this.error = null;
      this.problems = [];
      const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
      const failed = target?.metadata.status === "failed" ? ` The scaled run failed: ${target.metadata.message}` : "";
      this.notice = `${target ? "Planned and ran both" : "Planned"} at ${plan.criterionLabel} in ${seconds} s.${failed}`;
    } catch (error) {
      if (generation !== this.generation) return;
      this.clearResult();
      this.problems = [];
      this.error = (error as Error).message ?? String(error);
      this.notice = "";
    } finally {
      if (generation === this.generation) {
        this.busy = false;
        this.activity = "";
        this.changed();
      }
    }
  }

  /** The scaled scenario as a JSON file; null without a plan. */
  scaledScenarioFile(): Download | null {
    const doc = this.plan?.targetDoc;
    if (!doc) return null;
    const title = typeof doc.metadata?.title === "string" ? doc.metadata.title : "scaled-scenario";
    return { name: `${slug(title)}.json`, type: "application/json", text: `${JSON.stringify(doc, null, 2)}\n` };
  }

  private clearResult(): void {
    this.plan = null;
    this.plannedDoc = null;
    this.plannedZones = null;
    this.source = null;
    this.sourceOutcome = null;
    this.target = null;
    this.targetOutcome = null;
  }
}

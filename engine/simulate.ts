// simulate(scenario): runs a validated scenario in the core and returns named
// columns with units, a balance report and metadata (core version, scenario hash,
// seed, solver status). Pure engine code: no DOM, no Node APIs.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import * as L from "../assembly/layout";
import { version as engineVersion } from "../package.json";
import { describeStatus, loadCore, SOLVER_IDS, type Core, type SetupTarget, type SolverStats } from "./core-bridge";
import { modelFor, type Balance, type ModelAdapter, type SetupProblem } from "./models";
import type { LiveAction } from "./live-run";
import { runLifelines, type LifelinesResult } from "./lifelines";
import { vesselColumns } from "./vessel/columns";
import { canonicalJson, type Scenario } from "./scenario";
import type { SharedPrefixes } from "./shared-prefix";

export interface Column {
  name: string;
  unit: string;
  description: string;
  values: Float64Array;
}

/** A valid scenario whose numbers cannot describe a real medium (found when the core sets up). */
export class ScenarioSetupError extends Error {
  constructor(readonly problems: SetupProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  }
}

export interface ResultMetadata {
  title: string;
  engineVersion: string;
  coreAbiVersion: number;
  /**
   * SHA-256 of the scenario with defaults filled, as canonical JSON. Computed when first
   * read (it costs about as much as building every column), then kept.
   */
  scenarioHash: string;
  seed: number;
  model: string;
  solver: string;
  relTol: number;
  absTol: number;
  /**
   * "ok"; "harvested" when the harvest rule ended the run early; "failed" when the
   * solver stopped before the end (the columns hold what was computed).
   */
  status: "ok" | "harvested" | "failed";
  statusCode: number;
  /** A sentence for the user. */
  message: string;
  /** Simulated time reached, in h. */
  endTimeH: number;
  stats: SolverStats;
  warnings: string[];
  /** Knob changes made during a live run, in time order (absent for runs without any). */
  actions?: LiveAction[];
}

/** What simulate() builds besides the run itself. */
export interface SimulateOptions {
  /**
   * Names of the columns to build, besides time (always first): model columns and the
   * derived vessel columns alike, in the result in the model's order. Names the run does
   * not have are left out without an error. Absent: every column.
   */
  columns?: readonly string[];
  /**
   * Runs of a study on one core: a run whose setup differs from the last one's only in
   * events after some time continues from the last one's checkpoint before it (the
   * numbers are the same as a fresh run's, bit for bit). engine/shared-prefix.ts.
   */
  prefixes?: SharedPrefixes;
}

export interface SimulationResult {
  metadata: ResultMetadata;
  /** time [h] first, then every model column (or those of SimulateOptions.columns). */
  columns: Column[];
  balances: Balance[];
  /** Cell lifelines (docs/model.md §12), for a zone scenario with reactor.zones.lifelines. */
  lifelines?: LifelinesResult;
}

/** Hex SHA-256 of the scenario's canonical JSON. */
export function scenarioHash(scenario: Scenario): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(scenario))));
}

function failureMessage(statusCode: number, endTimeH: number, durationH: number, solver: string): string {
  const hint =
    solver === "dopri5" && (statusCode === L.STATUS_TOO_MUCH_WORK || statusCode === L.STATUS_STEP_TOO_SMALL)
      ? '; dopri5 is for non-stiff problems: try "simulation": { "solver": "rodas4" }'
      : "";
  return `the run stopped at ${endTimeH.toPrecision(6)} h of ${durationH} h: ${describeStatus(statusCode)}${hint}`;
}

/**
 * Sets the core up for a run of the scenario (model, parameters, state, events,
 * tolerances, output grid) without advancing it; returns the model adapter. Live runs
 * and tests that step the core themselves start here.
 */
export function setUpRun(core: Core, scenario: Scenario) {
  return configureRun(core, scenario);
}

/**
 * setUpRun's verbs, on a core or on a recorder of them (engine/shared-prefix.ts). With
 * `columns` (SimulateOptions), rows carry the model's rates only if a column read needs them.
 */
export function configureRun(core: SetupTarget, scenario: Scenario, columns?: readonly string[]) {
  const model = modelFor(scenario);
  const sim = scenario.simulation;
  const gridRows = Math.floor(scenario.process.durationH / sim.outputIntervalH + 1e-9) + 1;
  if (model.modelSize !== undefined) core.setModelSize(model.modelId, model.modelSize);
  const initStatus = core.init(model.modelId, SOLVER_IDS[sim.solver], gridRows + 1, model.eventCount(scenario));
  if (initStatus !== L.STATUS_OK) throw new Error(`could not set up the core: ${describeStatus(initStatus)}`);
  model.configure(core, scenario);
  core.setTime(0);
  core.setTolerances(sim.relTol, sim.absTol);
  model.absTolScale(scenario).forEach((scale, i) => core.setAbsTol(i, sim.absTol * scale));
  core.setStepControl(0, 0, sim.maxSteps);
  core.setOutputGrid(0, sim.outputIntervalH);
  core.setDerivedRates(rowsNeedRates(model, scenario, columns));
  return model;
}

/** Whether any column a run reads (or a derived column it reads is computed from) needs the model's rates. */
function rowsNeedRates(model: ModelAdapter, scenario: Scenario, columns?: readonly string[]): boolean {
  if (columns === undefined || model.rateColumns === undefined) return true;
  const read = new Set(columns);
  const derived = vesselColumns(scenario);
  if (derived && derived.specs.some((spec) => read.has(spec.name))) derived.inputs.forEach((name) => read.add(name));
  return [...read].some((name) => model.rateColumns!.has(name));
}

/** Problems of a setup that the core finds when it completes the initial state, or none. */
function setupProblems(core: Core, scenario: Scenario, statusCode: number, model: ReturnType<typeof modelFor>): SetupProblem[] {
  if (statusCode !== L.STATUS_BAD_SETUP || core.setupProblem === 0 || !model.setupProblem) return [];
  return [model.setupProblem(core.setupProblem, scenario)];
}

/**
 * Checks what only the core can check (a medium whose charge balance or osmolality
 * cannot close) without running: sets up and advances to t = 0.
 */
export function checkSetup(core: Core, scenario: Scenario): SetupProblem[] {
  const model = setUpRun(core, scenario);
  return setupProblems(core, scenario, core.advanceTo(0), model);
}

/**
 * Runs a validated scenario (see parseScenario) on a loaded core. `options.columns`
 * names the columns to build (studies pass those their outputs read); the balances,
 * warnings and lifelines are the same either way.
 */
export function simulate(core: Core, scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const model = options.prefixes ? options.prefixes.setUp(core, scenario, options.columns) : configureRun(core, scenario, options.columns);
  const statusCode = core.advanceTo(scenario.process.durationH);
  const problems = setupProblems(core, scenario, statusCode, model);
  if (problems.length > 0) throw new ScenarioSetupError(problems);
  const result = collectResult(core, scenario, model, statusCode, true, options);
  // The lifelines read the finished run's rows (with the closing row); they never change them.
  const lifelines = result.metadata.status === "failed" ? undefined : runLifelines(core, scenario);
  return lifelines ? { ...result, lifelines } : result;
}

/**
 * The result of a run so far: every output row (closed with a row at the time
 * reached), the balances and the metadata. `statusCode` is the core's last status;
 * a live run that has not reached its end reports "ok" with the time it reached.
 */
export function collectResult(
  core: Core,
  scenario: Scenario,
  model: ModelAdapter,
  statusCode: number,
  closeWithCurrentRow = true,
  options: SimulateOptions = {},
): SimulationResult {
  const sim = scenario.simulation;
  const durationH = scenario.process.durationH;
  const endTimeH = core.time();
  const rowsSoFar = core.outputCount;
  const lastRowTime = rowsSoFar > 0 ? core.outputColumn(0, rowsSoFar - 1, rowsSoFar)[0] : -Infinity;
  if (closeWithCurrentRow && lastRowTime < endTimeH - 1e-9 * Math.max(1, endTimeH)) core.writeCurrentRow();

  const rows = core.outputCount;
  const wanted = options.columns === undefined ? undefined : new Set(options.columns);
  const isWanted = (name: string) => wanted === undefined || wanted.has(name);
  const derived = vesselColumns(scenario);
  const derivedWanted = derived !== null && derived.specs.some((spec) => isWanted(spec.name));
  // Core columns to copy out: the wanted ones, the inputs of wanted derived ones, and
  // the volume for the warning below.
  const needed = new Set(["time", ...(derivedWanted ? derived.inputs : []), ...(scenario.reactor.maxVolumeL !== undefined ? ["volume"] : [])]);
  const coreSpecs = [{ name: "time", unit: "h", description: "time since the start of the run" }, ...model.columns];
  const copied = coreSpecs.map((spec, i) => ({ spec, i })).filter(({ spec }) => isWanted(spec.name) || needed.has(spec.name));
  const copiedValues = core.outputColumns(copied.map(({ i }) => i), 0, rows);
  const byName = new Map(copied.map(({ spec }, k) => [spec.name, copiedValues[k]]));
  const columns: Column[] = copied
    .map(({ spec }, k) => ({ ...spec, values: copiedValues[k] }))
    .filter((c) => c.name === "time" || isWanted(c.name));
  if (derived && derivedWanted) {
    const inputs = derived.inputs.map((name) => byName.get(name)!);
    const values = derived.specs.map(() => new Float64Array(rows));
    const row = new Float64Array(derived.specs.length);
    for (let r = 0; r < rows; r++) {
      derived.compute(inputs.map((c) => c[r]), row, 0);
      values.forEach((v, i) => (v[r] = row[i]));
    }
    derived.specs.forEach((spec, i) => {
      if (isWanted(spec.name)) columns.push({ ...spec, values: values[i] });
    });
  }
  // The balances read the first and last row of the core's columns, whatever was built.
  const firstRow = core.outputRows(0, Math.min(1, rows));
  const lastRow = core.outputRows(Math.max(rows - 1, 0), rows);
  const coreIndex = new Map(coreSpecs.map((spec, i) => [spec.name, i]));
  const ends = (name: string) => {
    const i = coreIndex.get(name);
    if (i === undefined) throw new Error(`no column ${name}`);
    return { first: firstRow[i], last: lastRow[i] };
  };
  const stats = core.stats();
  const harvested = statusCode === L.STATUS_STOPPED;
  const ok = statusCode === L.STATUS_OK || harvested;
  const warnings: string[] = [];
  const maxVolumeL = scenario.reactor.maxVolumeL;
  const volume = byName.get("volume");
  if (maxVolumeL !== undefined && volume) {
    const over = volume.findIndex((v) => v > maxVolumeL);
    if (over >= 0) {
      warnings.push(
        `the volume reached ${volume[over].toPrecision(4)} L at ${byName.get("time")![over].toFixed(2)} h, above the vessel's ${maxVolumeL} L (reactor.maxVolumeL)`,
      );
    }
  }
  if (stats.droppedOutputRows > 0) warnings.push(`${stats.droppedOutputRows} output rows did not fit and were dropped`);

  const metadata: ResultMetadata = {
    title: scenario.metadata.title,
    engineVersion,
    coreAbiVersion: core.abiVersion,
    scenarioHash: "",
    seed: sim.seed,
    model: scenario.cells.model,
    solver: sim.solver,
    relTol: sim.relTol,
    absTol: sim.absTol,
    status: harvested ? "harvested" : ok ? "ok" : "failed",
    statusCode,
    message: harvested
      ? `harvested at ${endTimeH.toFixed(2)} h (day ${(endTimeH / 24).toFixed(2)}): viability fell below the harvest threshold`
      : ok
        ? "ok"
        : failureMessage(statusCode, endTimeH, durationH, sim.solver),
    endTimeH,
    stats,
    warnings,
  };
  defineLazy(metadata, "scenarioHash", () => scenarioHash(scenario));
  return { metadata, columns, balances: model.balances(ends) };
}

/**
 * Makes `key` of `target` an enumerable property computed by `compute` when first read
 * and kept from then on (as a plain value: copies, JSON and structured clones see it).
 */
function defineLazy<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = compute();
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set: (value: T[K]) => {
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
    },
  });
}

/** Loads the core (once per process or worker) and runs the scenario. */
export async function simulateScenario(scenario: Scenario): Promise<SimulationResult> {
  return simulate(await loadCore(), scenario);
}

// The one file that owns the WebAssembly boundary: it loads the core (in Node or in
// a worker), makes views over memory.buffer and copies results out. Nothing else in
// the project touches the core's memory.
import * as L from "../assembly/layout";

/** The core's flat verbs (assembly/index.ts), common to the wasm exports and the TypeScript port. */
interface CoreVerbs {
  coreVersion(): number;
  setModelSize(model: number, size: number): number;
  init(model: number, solver: number, outCapacity: number, eventCapacity: number): number;
  setParam(index: number, value: number): number;
  getParam(index: number): number;
  setState(index: number, value: number): number;
  getState(index: number): number;
  setTime(t0: number): void;
  time(): number;
  setTolerances(relTol: number, absTol: number): void;
  setAbsTol(index: number, absTol: number): number;
  setStepControl(h0: number, hMax: number, maxSteps: number): void;
  setOutputGrid(t0: number, dt: number): void;
  addEvent(t: number, kind: number, index: number, value: number): number;
  advanceTo(t: number): number;
  enableCheckpoints(): number;
  setDerivedRates(on: number): void;
  checkpointCount(): number;
  checkpointTime(k: number): number;
  restoreCheckpoint(k: number): number;
  writeCurrentRow(): void;
  evaluateRhs(): number;
  evaluateJacobian(): number;
  evaluateDifferences(byGroups: number): number;
  jacobianGroups(): number;
  setupProblem(): number;
  stateCount(): number;
  outputWidth(): number;
  outputCount(): number;
}

/** The lifeline verbs (assembly/lifelines.ts); only the WebAssembly core has them. */
interface LifelineVerbs {
  lifelinesInit(count: number, capacity: number, bins: number): number;
  setLifelineParam(index: number, value: number): number;
  lifelinesRun(): number;
  lifelinesTransition(row: number, stepH: number): number;
  lifelinesBenchUpdate(steps: number): void;
  lifelinesBenchCopy(steps: number, bulk: number): void;
  lifelinesHistogramCount(): number;
  lifelinesBins(): number;
  lifelinesAgentCount(): number;
}

/** Copies of the lifelines' buffers (docs/model.md §12), laid out as assembly/lifelines.ts writes them. */
export interface LifelineBuffers {
  /** h, one per histogram time. */
  times: Float64Array;
  /** Counts: [time][LQ_*][bin]. */
  histograms: Float64Array;
  /** [time][LS_*]. */
  statistics: Float64Array;
  /** Agents per zone: [time][MAX_ZONES]. */
  occupancy: Float64Array;
  bins: number;
}

/** The WebAssembly exports: the verbs plus memory and pointers into it. */
interface CoreExports extends CoreVerbs, LifelineVerbs {
  lifelinesTimesPtr(): number;
  lifelinesHistogramsPtr(): number;
  lifelinesStatisticsPtr(): number;
  lifelinesOccupancyPtr(): number;
  lifelinesTransitionPtr(): number;
  lifelinesAgentPtr(field: number): number;
  memory: WebAssembly.Memory;
  outputPtr(): number;
  statePtr(): number;
  statsPtr(): number;
  derivativePtr(): number;
  jacobianPtr(): number;
}

/**
 * A core implementation as `Core` drives it: the verbs, plus views over the state,
 * output and statistics buffers (valid until the next call that may allocate).
 */
export interface RawCore extends CoreVerbs {
  stateView(): Float64Array;
  outputView(): Float64Array;
  statsView(): Float64Array;
  /** f(t, y) as the last evaluateRhs left it. */
  derivativeView(): Float64Array;
  /** The Jacobian as the last evaluateJacobian left it: stateCount() rows of `columns`. */
  jacobianView(columns: number): Float64Array;
  /** The lifelines, when the implementation has them (the TypeScript port has not). */
  lifelines?: LifelineVerbs & {
    buffers(): LifelineBuffers;
    transitionView(): Float64Array;
    agentView(field: number): ArrayBufferView;
  };
}

/** Views over memory.buffer, made anew on each call since memory may have grown. */
function wasmRawCore(x: CoreExports): RawCore {
  return {
    ...x,
    stateView: () => new Float64Array(x.memory.buffer, x.statePtr(), x.stateCount()),
    outputView: () => new Float64Array(x.memory.buffer, x.outputPtr(), x.outputCount() * x.outputWidth()),
    statsView: () => new Float64Array(x.memory.buffer, x.statsPtr(), L.STAT_COUNT),
    derivativeView: () => new Float64Array(x.memory.buffer, x.derivativePtr(), x.stateCount()),
    jacobianView: (columns) => new Float64Array(x.memory.buffer, x.jacobianPtr(), x.stateCount() * columns),
    lifelines: {
      lifelinesInit: x.lifelinesInit,
      setLifelineParam: x.setLifelineParam,
      lifelinesRun: x.lifelinesRun,
      lifelinesTransition: x.lifelinesTransition,
      lifelinesBenchUpdate: x.lifelinesBenchUpdate,
      lifelinesBenchCopy: x.lifelinesBenchCopy,
      lifelinesHistogramCount: x.lifelinesHistogramCount,
      lifelinesBins: x.lifelinesBins,
      lifelinesAgentCount: x.lifelinesAgentCount,
      buffers: () => {
        const count = x.lifelinesHistogramCount();
        const bins = x.lifelinesBins();
        const buf = x.memory.buffer;
        return {
          times: new Float64Array(buf, x.lifelinesTimesPtr(), count).slice(),
          histograms: new Float64Array(buf, x.lifelinesHistogramsPtr(), count * L.LQ_COUNT * bins).slice(),
          statistics: new Float64Array(buf, x.lifelinesStatisticsPtr(), count * L.LS_COUNT).slice(),
          occupancy: new Float64Array(buf, x.lifelinesOccupancyPtr(), count * L.MAX_ZONES).slice(),
          bins,
        };
      },
      transitionView: () => new Float64Array(x.memory.buffer, x.lifelinesTransitionPtr(), L.MAX_ZONES * L.MAX_ZONES),
      agentView: (field) => {
        const m = x.lifelinesAgentCount();
        const ptr = x.lifelinesAgentPtr(field);
        const buf = x.memory.buffer;
        if (field === L.LA_ZONE) return new Uint8Array(buf, ptr, m);
        if (field === L.LA_EXPOSURE) return new BigUint64Array(buf, ptr, m);
        return new Float32Array(buf, ptr, m);
      },
    },
  };
}

export type CoreVariant = "release" | "debug";

export type SolverName = "rodas4" | "dopri5";

/** Solver names of the scenario format, and their ids in the core. */
export const SOLVER_IDS: Record<SolverName, number> = {
  rodas4: L.SOLVER_RODAS4,
  dopri5: L.SOLVER_DOPRI5,
};

/** Solver statistics of the current run. */
export interface SolverStats {
  steps: number;
  rejectedSteps: number;
  rhsEvals: number;
  jacobianEvals: number;
  luDecompositions: number;
  /** Size of the last accepted step, in the model's time unit. */
  lastStep: number;
  /** Time at which a fatal status was raised, in the model's time unit (0 if none). */
  failTime: number;
  /** Output rows that did not fit in the output buffer. */
  droppedOutputRows: number;
  /** Kinks of the model (switch crossings) located inside steps; each ends a step there. */
  switches: number;
}

/** A sentence for each status code the core returns. */
export function describeStatus(status: number): string {
  switch (status) {
    case L.STATUS_OK:
      return "ok";
    case L.STATUS_RECOVERABLE:
      return "the model refused this state (for example a volume at zero)";
    case L.STATUS_TOO_MUCH_WORK:
      return "the solver took more steps than allowed (simulation.maxSteps); the problem may be stiffer than expected, or the step budget too small";
    case L.STATUS_STEP_TOO_SMALL:
      return "the step size fell below what the time resolution allows; the model may have a discontinuity or a singularity here";
    case L.STATUS_NON_FINITE:
      return "the state became NaN or infinite; a parameter may be out of its physical range";
    case L.STATUS_SINGULAR:
      return "the solver's Newton matrix stayed singular as the step shrank";
    case L.STATUS_RHS_FAILED:
      return "the model refused the state repeatedly (for example a volume that reached zero)";
    case L.STATUS_BAD_SETUP:
      return "the core was set up wrongly (unknown model or solver, time going backwards, or too many events)";
    case L.STATUS_STOPPED:
      return "a stop condition was met (the harvest rule)";
    default:
      return `unknown status ${status}`;
  }
}

function abortImport(memory: () => WebAssembly.Memory) {
  const readString = (ptr: number): string => {
    if (!ptr) return "";
    const buf = memory().buffer;
    const byteLength = new Uint32Array(buf, ptr - 4, 1)[0];
    return String.fromCharCode(...new Uint16Array(buf, ptr, byteLength >>> 1));
  };
  return (msg: number, file: number, line: number, col: number) => {
    throw new Error(`core assertion failed: ${readString(msg)} at ${readString(file)}:${line}:${col}`);
  };
}

/** The verbs that set a run up (engine/simulate.ts configureRun): a Core, or a recorder of them. */
export type SetupTarget = Pick<
  Core,
  | "setModelSize"
  | "init"
  | "setParam"
  | "setState"
  | "setTime"
  | "setTolerances"
  | "setAbsTol"
  | "setStepControl"
  | "setOutputGrid"
  | "addEvent"
  | "setDerivedRates"
>;

/**
 * A loaded core: the WebAssembly module, or (for benchmarks) the plain TypeScript
 * port in benchmarks/baseline. One run at a time; each `init` starts a new one.
 */
export class Core {
  private readonly x: RawCore;

  private constructor(raw: RawCore) {
    this.x = raw;
    const version = raw.coreVersion();
    if (version !== L.CORE_ABI_VERSION) {
      throw new Error(`core ABI version ${version} does not match the engine's ${L.CORE_ABI_VERSION}; rebuild with npm run build`);
    }
  }

  /** Instantiates a compiled module (works in Node and in workers of any size). */
  static fromModule(module: WebAssembly.Module): Core {
    let instance: WebAssembly.Instance | undefined;
    const memory = () => (instance!.exports as unknown as CoreExports).memory;
    instance = new WebAssembly.Instance(module, { env: { abort: abortImport(memory) } });
    return new Core(wasmRawCore(instance.exports as unknown as CoreExports));
  }

  /** Wraps another implementation of the verbs (the TypeScript port of the core). */
  static fromRaw(raw: RawCore): Core {
    return new Core(raw);
  }

  static async fromBytes(bytes: BufferSource): Promise<Core> {
    return Core.fromModule(await WebAssembly.compile(bytes));
  }

  get abiVersion(): number {
    return this.x.coreVersion();
  }

  /** The size of a model with a variable number of states (zones of MODEL_CHO_ZONES), before init. */
  setModelSize(model: number, size: number): void {
    this.check(this.x.setModelSize(model, size), `model size ${size}`);
  }

  init(model: number, solver: number, outCapacity: number, eventCapacity: number): number {
    this.runs++;
    return this.x.init(model, solver, outCapacity, eventCapacity);
  }

  private runs = 0;

  /** How many runs `init` has set up on this core: a run's checkpoints are its own until the next. */
  get runSerial(): number {
    return this.runs;
  }

  /**
   * Keeps a checkpoint at each event time the run arrives at, before the events there
   * (after init, before the first advanceTo); false for a model or core that cannot.
   * engine/shared-prefix.ts continues later runs from them. docs/model.md §1.1.
   */
  enableCheckpoints(): boolean {
    return this.x.enableCheckpoints() === L.STATUS_OK;
  }

  /**
   * Whether output rows carry the derived outputs that need the model's rates (the CHO
   * model's pH, pCO2, loop outputs, kinetic rates; on after init). Off, those columns
   * are NaN and rows are cheap; the solution is the same either way.
   */
  setDerivedRates(on: boolean): void {
    this.x.setDerivedRates(on ? 1 : 0);
  }

  /** Times (h) of the current run's checkpoints, in order. */
  checkpointTimes(): number[] {
    return Array.from({ length: this.x.checkpointCount() }, (_, k) => this.x.checkpointTime(k));
  }

  /**
   * Puts the run back at checkpoint k as it arrived there, with the events from its time
   * on dropped; returns how many events it kept (the run's first ones in time order).
   */
  restoreCheckpoint(k: number): number {
    const kept = this.x.restoreCheckpoint(k);
    if (kept < 0) throw new Error(`the core has no checkpoint ${k}`);
    return kept;
  }

  setParam(index: number, value: number): void {
    this.check(this.x.setParam(index, value), `parameter slot ${index}`);
  }

  getParam(index: number): number {
    return this.x.getParam(index);
  }

  setState(index: number, value: number): void {
    this.check(this.x.setState(index, value), `state slot ${index}`);
  }

  getState(index: number): number {
    return this.x.getState(index);
  }

  setTime(t0: number): void {
    this.x.setTime(t0);
  }

  time(): number {
    return this.x.time();
  }

  setTolerances(relTol: number, absTol: number): void {
    this.x.setTolerances(relTol, absTol);
  }

  setAbsTol(index: number, absTol: number): void {
    this.check(this.x.setAbsTol(index, absTol), `tolerance slot ${index}`);
  }

  setStepControl(h0: number, hMax: number, maxSteps: number): void {
    this.x.setStepControl(h0, hMax, maxSteps);
  }

  setOutputGrid(t0: number, dt: number): void {
    this.x.setOutputGrid(t0, dt);
  }

  addEvent(t: number, kind: number, index: number, value: number): void {
    this.check(this.x.addEvent(t, kind, index, value), `event at ${t}`);
  }

  /** Integrates to exactly `t`; returns a status code (0 ok, negative fatal). */
  advanceTo(t: number): number {
    return this.x.advanceTo(t);
  }

  /** Appends an output row at the current time and state. */
  writeCurrentRow(): void {
    this.x.writeCurrentRow();
  }

  /** Why the setup of the last run failed (SETUP_* codes of assembly/models/cho.ts; 0 none). */
  get setupProblem(): number {
    return this.x.setupProblem();
  }

  get stateCount(): number {
    return this.x.stateCount();
  }

  get outputWidth(): number {
    return this.x.outputWidth();
  }

  get outputCount(): number {
    return this.x.outputCount();
  }

  /** A copy of the current state vector. */
  state(): Float64Array {
    return this.x.stateView().slice();
  }

  /** A copy of output rows [from, to) as one row-major block of outputWidth numbers per row. */
  outputRows(from = 0, to = this.outputCount): Float64Array {
    const width = this.x.outputWidth();
    return this.x.outputView().slice(from * width, to * width);
  }

  /** Column `col` of output rows [from, to), copied out. */
  outputColumn(col: number, from = 0, to = this.outputCount): Float64Array {
    return this.outputColumns([col], from, to)[0];
  }

  /** Columns `cols` of output rows [from, to), each copied out, through one view of the rows. */
  outputColumns(cols: readonly number[], from = 0, to = this.outputCount): Float64Array[] {
    const width = this.x.outputWidth();
    const view = this.x.outputView();
    return cols.map((col) => {
      const column = new Float64Array(to - from);
      for (let r = from; r < to; r++) column[r - from] = view[r * width + col];
      return column;
    });
  }

  /**
   * f(t, y) at the current time and state (a copy), for checks such as the Jacobian
   * test. The model completes its initial state in the first advanceTo; before it this throws.
   */
  derivative(): Float64Array {
    this.check(this.x.evaluateRhs(), "to evaluate the right-hand side");
    return this.x.derivativeView().slice();
  }

  /**
   * The model's analytic Jacobian ∂f/∂y at the current time and state (a copy): stateCount
   * rows of `columns` entries, one per dynamic state (the quadratures have no column), row-major;
   * null if the model has none (the solver then uses finite differences) or before the first advanceTo.
   */
  jacobian(): { columns: number; values: Float64Array } | null {
    const columns = this.x.evaluateJacobian();
    return columns > 0 ? { columns, values: this.x.jacobianView(columns).slice() } : null;
  }

  /**
   * A finite-difference Jacobian at the current time and state (a copy), by column groups
   * (models that declare their pattern) or one column at a time; null before the first advanceTo.
   */
  differenceJacobian(byGroups: boolean): { columns: number; values: Float64Array } | null {
    const columns = this.x.evaluateDifferences(byGroups ? 1 : 0);
    return columns > 0 ? { columns, values: this.x.jacobianView(columns).slice() } : null;
  }

  /** Column groups of the run's finite-difference Jacobian (0: plain differences or analytic). */
  get jacobianGroups(): number {
    return this.x.jacobianGroups();
  }

  /** The lifeline verbs, or an error for a core without them (the TypeScript port). */
  private get lifelines() {
    const l = this.x.lifelines;
    if (!l) throw new Error("this core has no lifelines (only the WebAssembly core runs them)");
    return l;
  }

  /** Allocates `count` agents and room for `capacity` histogram times of `bins` bins (docs/model.md §12). */
  lifelinesInit(count: number, capacity: number, bins: number): void {
    this.check(this.lifelines.lifelinesInit(count, capacity, bins), `${count} lifelines`);
  }

  /** Sets lifeline parameter LP_* `index`. */
  setLifelineParam(index: number, value: number): void {
    this.check(this.lifelines.setLifelineParam(index, value), `lifeline parameter ${index}`);
  }

  /** Runs the lifelines over the output rows of the finished zone run; a status code. */
  lifelinesRun(): number {
    return this.lifelines.lifelinesRun();
  }

  /** Copies of the lifelines' histograms and statistics after lifelinesRun. */
  lifelineBuffers(): LifelineBuffers {
    return this.lifelines.buffers();
  }

  /** The n × n transition matrix (row-major) for a step of `stepH` h at output row `row`. */
  lifelineTransition(row: number, stepH: number): { zones: number; values: Float64Array } {
    const n = this.lifelines.lifelinesTransition(row, stepH);
    if (n <= 0) throw new Error(`core refused the transition matrix: ${describeStatus(n)}`);
    const view = this.lifelines.transitionView();
    const values = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) values[i * n + j] = view[i * L.MAX_ZONES + j];
    return { zones: n, values };
  }

  /** A copy of agent array LA_* `field` (Uint8Array, Float32Array or BigUint64Array). */
  lifelineAgents(field: number): ArrayBufferView {
    const view = this.lifelines.agentView(field) as Uint8Array | Float32Array | BigUint64Array;
    return view.slice();
  }

  /** `steps` passes of the agent update (benchmarks only). */
  lifelinesBenchUpdate(steps: number): void {
    this.lifelines.lifelinesBenchUpdate(steps);
  }

  /** `steps` passes of a plain copy of the arrays the update touches, by a loop or by memory.copy (benchmarks only). */
  lifelinesBenchCopy(steps: number, bulk = false): void {
    this.lifelines.lifelinesBenchCopy(steps, bulk ? 1 : 0);
  }

  stats(): SolverStats {
    const s = this.x.statsView();
    return {
      steps: s[L.STAT_STEPS],
      rejectedSteps: s[L.STAT_REJECTED],
      rhsEvals: s[L.STAT_RHS_EVALS],
      jacobianEvals: s[L.STAT_JAC_EVALS],
      luDecompositions: s[L.STAT_LU_DECOMPS],
      lastStep: s[L.STAT_LAST_STEP],
      failTime: s[L.STAT_FAIL_TIME],
      droppedOutputRows: s[L.STAT_OUTPUT_DROPPED],
      switches: s[L.STAT_SWITCHES],
    };
  }

  private check(status: number, what: string): void {
    if (status !== L.STATUS_OK) throw new Error(`core refused ${what}: ${describeStatus(status)}`);
  }
}

const loaded = new Map<CoreVariant, Promise<WebAssembly.Module>>();

/**
 * Compiles the core once per process (or worker) and returns a fresh instance.
 * In Node it reads build/core.wasm; elsewhere it fetches `url` (the web build
 * passes the URL its bundler gave the file).
 */
export async function loadCore(options: { variant?: CoreVariant; url?: string | URL } = {}): Promise<Core> {
  const variant = options.variant ?? "release";
  let module = loaded.get(variant);
  if (!module) {
    module = compileCore(variant, options.url);
    loaded.set(variant, module);
  }
  return Core.fromModule(await module);
}

async function compileCore(variant: CoreVariant, url?: string | URL): Promise<WebAssembly.Module> {
  const file = variant === "release" ? "core.wasm" : "core.debug.wasm";
  // Through a variable: a bundler that sees new URL(`...${x}`, import.meta.url) would pack all of build/.
  const here = import.meta.url;
  if (url === undefined && typeof process !== "undefined" && process.versions?.node) {
    const { readFile } = await import("node:fs/promises");
    const path = new URL(`../build/${file}`, here);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch {
      throw new Error(`the kinetics core ${path.pathname} is missing; build it with: npm run build`);
    }
    return WebAssembly.compile(bytes);
  }
  const response = await fetch(url ?? new URL(`../build/${file}`, here));
  if (!response.ok) throw new Error(`could not load the kinetics core (${response.status} ${response.statusText})`);
  return WebAssembly.compile(await response.arrayBuffer());
}

// The integrator: adaptive Rodas4 (stiff) and Dormand–Prince 5(4) (non-stiff)
// steppers, step-size control, time events, dense output on the output grid, and
// status codes. Everything is allocated in `allocate`; a step never allocates.
// Methods: Hairer & Wanner, Solving ODEs I (DOPRI5, §II.5) and II (RODAS, §VI.4);
// coefficients as in Hairer's dopri5.f and rodas.f (docs/model.md §1).
import {
  SOLVER_RODAS4, SOLVER_DOPRI5,
  STATUS_OK, STATUS_TOO_MUCH_WORK, STATUS_STEP_TOO_SMALL, STATUS_NON_FINITE, STATUS_SINGULAR,
  STATUS_RHS_FAILED, STATUS_BAD_SETUP, STATUS_STOPPED,
  EVENT_SET_PARAM, EVENT_SET_STATE,
  STAT_STEPS, STAT_REJECTED, STAT_RHS_EVALS, STAT_JAC_EVALS, STAT_LU_DECOMPS, STAT_LAST_STEP,
  STAT_FAIL_TIME, STAT_OUTPUT_DROPPED, STAT_SWITCHES, STAT_COUNT, MAX_PARAMS, CHECKPOINT_SLOTS,
} from "./layout";
import {
  modelRhs, modelJacobian, modelIsAutonomous, modelIsNonNegative, modelDerived, modelEvent,
  modelStateCount, modelDerivedCount, modelDynamicCount, modelPrepare, modelStopValue, modelParamsChanged,
  modelHasPattern, modelPattern, modelAuxCount, modelAuxTarget, modelAuxValues,
  modelSwitchCount, modelLockSwitches, modelSwitches, modelCrossSwitch,
  modelCanCheckpoint, modelSaveCheckpoint, modelRestoreCheckpoint,
} from "./model";
import { anyWatched, luFactor, luSolve, SparseLu } from "./linalg";

// ---- Rodas4 coefficients (rodas.f, METH = 1) -------------------------------
const R_GAMMA: f64 = 0.25;
const R_C2: f64 = 0.386, R_C3: f64 = 0.21, R_C4: f64 = 0.63;
const R_D1: f64 = 0.25, R_D2: f64 = -0.1043, R_D3: f64 = 0.1035, R_D4: f64 = -0.3620000000000023e-1;
const R_A21: f64 = 1.544;
const R_A31: f64 = 0.9466785280815826, R_A32: f64 = 0.2557011698983284;
const R_A41: f64 = 3.314825187068521, R_A42: f64 = 2.896124015972201, R_A43: f64 = 0.9986419139977817;
const R_A51: f64 = 1.221224509226641, R_A52: f64 = 6.019134481288629, R_A53: f64 = 12.53708332932087;
const R_A54: f64 = -0.687886036105895;
const R_C21: f64 = -5.6688;
const R_C31: f64 = -2.430093356833875, R_C32: f64 = -0.2063599157091915;
const R_C41: f64 = -0.1073529058151375, R_C42: f64 = -9.594562251023355, R_C43: f64 = -20.47028614809616;
const R_C51: f64 = 7.496443313967647, R_C52: f64 = -10.24680431464352, R_C53: f64 = -33.99990352819905;
const R_C54: f64 = 11.7089089320616;
const R_C61: f64 = 8.083246795921522, R_C62: f64 = -7.981132988064893, R_C63: f64 = -31.52159432874371;
const R_C64: f64 = 16.31930543123136, R_C65: f64 = -6.058818238834054;
const R_D21: f64 = 10.12623508344586, R_D22: f64 = -7.487995877610167, R_D23: f64 = -34.80091861555747;
const R_D24: f64 = -7.992771707568823, R_D25: f64 = 1.025137723295662;
const R_D31: f64 = -0.6762803392801253, R_D32: f64 = 6.087714651680015, R_D33: f64 = 16.43084320892478;
const R_D34: f64 = 24.76722511418386, R_D35: f64 = -6.594389125716872;

// ---- Dormand–Prince 5(4) coefficients (dopri5.f) ---------------------------
const P_C2: f64 = 0.2, P_C3: f64 = 0.3, P_C4: f64 = 0.8, P_C5: f64 = 8.0 / 9.0;
const P_A21: f64 = 0.2;
const P_A31: f64 = 3.0 / 40.0, P_A32: f64 = 9.0 / 40.0;
const P_A41: f64 = 44.0 / 45.0, P_A42: f64 = -56.0 / 15.0, P_A43: f64 = 32.0 / 9.0;
const P_A51: f64 = 19372.0 / 6561.0, P_A52: f64 = -25360.0 / 2187.0, P_A53: f64 = 64448.0 / 6561.0;
const P_A54: f64 = -212.0 / 729.0;
const P_A61: f64 = 9017.0 / 3168.0, P_A62: f64 = -355.0 / 33.0, P_A63: f64 = 46732.0 / 5247.0;
const P_A64: f64 = 49.0 / 176.0, P_A65: f64 = -5103.0 / 18656.0;
const P_A71: f64 = 35.0 / 384.0, P_A73: f64 = 500.0 / 1113.0, P_A74: f64 = 125.0 / 192.0;
const P_A75: f64 = -2187.0 / 6784.0, P_A76: f64 = 11.0 / 84.0;
const P_E1: f64 = 71.0 / 57600.0, P_E3: f64 = -71.0 / 16695.0, P_E4: f64 = 71.0 / 1920.0;
const P_E5: f64 = -17253.0 / 339200.0, P_E6: f64 = 22.0 / 525.0, P_E7: f64 = -1.0 / 40.0;
const P_D1: f64 = -12715105075.0 / 11282082432.0, P_D3: f64 = 87487479700.0 / 32700410799.0;
const P_D4: f64 = -10690763975.0 / 1880347072.0, P_D5: f64 = 701980252875.0 / 199316789632.0;
const P_D6: f64 = -1453857185.0 / 822651844.0, P_D7: f64 = 69997945.0 / 29380423.0;

// ---- step-size control (Hairer's codes) -----------------------------------
const SAFETY: f64 = 0.9;
// Bounds on h_new / h: rodas.f allows 1/5 .. 6, dopri5.f allows 1/5 .. 10.
const RODAS_GROW_MAX: f64 = 6.0;
const DOPRI_GROW_MAX: f64 = 10.0;
const SHRINK_MAX: f64 = 5.0; // both methods
/**
 * Bound on h_new / h after the first step from a start, an event or a crossing, whose
 * size is only an estimate (Hairer's hinit): as CVODE's first-step bound (1e4), the
 * error of that step decides how far the next may go (docs/model.md §1.1).
 */
const FIRST_STEP_GROW_MAX: f64 = 1e4;
const DOPRI_BETA: f64 = 0.04; // PI stabilisation of DOPRI5
const SHRINK_FAILED: f64 = 0.25; // h factor after a refused right-hand side or a NaN
const SHRINK_NEGATIVE: f64 = 0.5; // h factor after a step that made a concentration negative
const MAX_CONSECUTIVE_FAILURES: i32 = 30;
const UROUND: f64 = f64.EPSILON;
/** A located switch crossing is within this fraction of the step (docs/model.md §1.1). */
const SWITCH_TIME_TOL: f64 = 1e-6;
/** Illinois iterations to locate one crossing, at most. */
const MAX_SWITCH_ITERATIONS: i32 = 60;

// ---- attempt results (internal) --------------------------------------------
const ATTEMPT_OK: i32 = 0;
const ATTEMPT_RHS: i32 = 1;
const ATTEMPT_SINGULAR: i32 = 2;

// ---- module state -----------------------------------------------------------
let model: i32 = -1;
let solver: i32 = SOLVER_RODAS4;
let n: i32 = 0;
/** Leading states in the Newton matrix; states nd..n-1 are quadratures (docs/model.md §1.1). */
let nd: i32 = 0;
let prepared: bool = false;
let stopped: bool = false;
let t: f64 = 0.0; // h (model time)
let h: f64 = 0.0; // proposed next step, 0 = estimate at the next step
let hMax: f64 = Infinity;
let maxSteps: i32 = 500000;
let rtol: f64 = 1e-6;
let errNorm: f64 = 0.0;
let fatal: i32 = STATUS_OK;
let f0Valid: bool = false;
let firstStep: bool = true;
/** After a jump, the next step starts from a fresh estimate (never larger than the step before). */
let restart: bool = true;
let lastRejected: bool = false;
/** The next accepted step is the first after a (re)start: its growth is bounded by FIRST_STEP_GROW_MAX. */
let fromStart: bool = true;
let errOld: f64 = 1.0;
let hOld: f64 = 0.0;
let facOld: f64 = 1e-4;
let tOld: f64 = 0.0;
let hDid: f64 = 0.0;
let stepsThisCall: i32 = 0;

export let params = new StaticArray<f64>(MAX_PARAMS);
export let stats = new StaticArray<f64>(STAT_COUNT);
export let y = new StaticArray<f64>(0);
export let atol = new StaticArray<f64>(0);
let ynew = new StaticArray<f64>(0);
let f0 = new StaticArray<f64>(0);
let ytmp = new StaticArray<f64>(0);
export let dy = new StaticArray<f64>(0);
let fT = new StaticArray<f64>(0);
let k1 = new StaticArray<f64>(0);
let k2 = new StaticArray<f64>(0);
let k3 = new StaticArray<f64>(0);
let k4 = new StaticArray<f64>(0);
let k5 = new StaticArray<f64>(0);
let k6 = new StaticArray<f64>(0);
let k7 = new StaticArray<f64>(0);
let yDense = new StaticArray<f64>(0);
let cont3 = new StaticArray<f64>(0);
let cont4 = new StaticArray<f64>(0);
let cont5 = new StaticArray<f64>(0);
let yPrev = new StaticArray<f64>(0);
export let jac = new StaticArray<f64>(0);
let wMat = new StaticArray<f64>(0);
let piv = new StaticArray<i32>(0);
/** Pattern, pivot order and fill of the Newton matrix (docs/model.md §1.1). */
let sparseLu = new SparseLu(0);
/** True when the last W was factorised by dense partial pivoting (a sparse pivot was too small). */
let wDense = false;
// Quadrature rows of the Jacobian in compressed-row form (see compressQuadratureRows):
// the entries that have been nonzero in this run, their columns and positions in `jac`.
let qRowStart = new StaticArray<i32>(1);
let qVal = new StaticArray<f64>(0);
let qCol = new StaticArray<i32>(0);
let qPos = new StaticArray<i32>(0);
/** All ones at the quadrature rows' positions outside their pattern (anyWatched). */
let qWatch = new StaticArray<i64>(0);
let nonNeg = new StaticArray<bool>(0);
let autonomous: bool = true;

// Column groups for a finite-difference Jacobian of a model that declares its pattern
// (Curtis, Powell & Reid 1974; docs/model.md §1.1). Rows are the states, then the aux
// rows: parts of sum rows, whose derivative is the sum of their parts.
let grouped = false;
let nAux: i32 = 0;
/** Column j touches rows colRow[colStart[j] .. colStart[j+1]) (aux row a is n + a; sum rows left out). */
let colStart = new StaticArray<i32>(1);
let colRow = new StaticArray<i32>(0);
/** Group g perturbs columns groupCol[groupStart[g] .. groupStart[g+1]). */
let groupCount: i32 = 0;
let groupStart = new StaticArray<i32>(1);
let groupCol = new StaticArray<i32>(0);
let auxTarget = new StaticArray<i32>(0);
let fBase = new StaticArray<f64>(0);
let auxBase = new StaticArray<f64>(0);
let fdDelta = new StaticArray<f64>(0);

// Switching functions of the model (docs/model.md §1.1): their values at the start and
// the end of the current step, and scratch for locating a crossing.
let nSwitch: i32 = 0;
let switchesLocked = false;
let gStart = new StaticArray<f64>(0);
let gEnd = new StaticArray<f64>(0);
let gTmp = new StaticArray<f64>(0);
/** The switching function that crossed first inside the last step (−1: none), and when. */
let crossingSwitch: i32 = -1;
let crossingTime: f64 = 0.0;

// Checkpoints (docs/model.md §1.1, "Shared prefixes"): when switched on, the state on
// arriving at each event time, before the events there apply, so a run whose setup
// differs from the last one only in events after that time continues from it. Slot k
// is the k-th event time the run arrived at; ckCount slots are valid.
let checkpointsOn = false;
let ckCount: i32 = 0;
let ckT = new StaticArray<f64>(0);
let ckH = new StaticArray<f64>(0);
let ckSteps = new StaticArray<i32>(0);
let ckOutCount = new StaticArray<i32>(0);
let ckOutNext = new StaticArray<i32>(0);
let ckEvNext = new StaticArray<i32>(0);
let ckY = new StaticArray<f64>(0);
let ckParams = new StaticArray<f64>(0);
let ckStats = new StaticArray<f64>(0);
let ckPattern = new StaticArray<bool>(0);
let ckQWatch = new StaticArray<i64>(0);
/** Steps of the advance call a restored run continues (its budget counts them). */
let carriedSteps: i32 = 0;

// Output grid: rows of [t, y[0..n), derived[0..m)].
export let out = new StaticArray<f64>(0);
let outCap: i32 = 0;
export let outCount: i32 = 0;
export let rowLen: i32 = 0;
let nDerived: i32 = 0;
let tOut0: f64 = 0.0;
let dtOut: f64 = 0.0; // h; <= 0 means no output grid
let outNext: i32 = 0; // index of the next grid point to emit

// Time events, kept sorted by time (stable).
let evT = new StaticArray<f64>(0);
let evValue = new StaticArray<f64>(0);
let evKind = new StaticArray<i32>(0);
let evIndex = new StaticArray<i32>(0);
let evCap: i32 = 0;
let evCount: i32 = 0;
let evNext: i32 = 0;

/** Allocates every buffer for `modelId`; called by `init`, once per run. */
export function allocate(modelId: i32, solverId: i32, outCapacity: i32, eventCapacity: i32): i32 {
  const size = modelStateCount(modelId);
  if (size == 0 || (solverId != SOLVER_RODAS4 && solverId != SOLVER_DOPRI5) || outCapacity < 0 || eventCapacity < 0) {
    model = -1;
    fatal = STATUS_BAD_SETUP;
    return STATUS_BAD_SETUP;
  }
  model = modelId;
  solver = solverId;
  n = size;
  nd = modelDynamicCount(modelId);
  nDerived = modelDerivedCount(modelId);
  rowLen = 1 + n + nDerived;
  y = new StaticArray<f64>(n);
  atol = new StaticArray<f64>(n);
  ynew = new StaticArray<f64>(n);
  f0 = new StaticArray<f64>(n);
  ytmp = new StaticArray<f64>(n);
  dy = new StaticArray<f64>(n);
  fT = new StaticArray<f64>(n);
  k1 = new StaticArray<f64>(n);
  k2 = new StaticArray<f64>(n);
  k3 = new StaticArray<f64>(n);
  k4 = new StaticArray<f64>(n);
  k5 = new StaticArray<f64>(n);
  k6 = new StaticArray<f64>(n);
  k7 = new StaticArray<f64>(n);
  yDense = new StaticArray<f64>(n);
  cont3 = new StaticArray<f64>(n);
  cont4 = new StaticArray<f64>(n);
  cont5 = new StaticArray<f64>(n);
  yPrev = new StaticArray<f64>(n);
  jac = new StaticArray<f64>(n * nd); // rows: every state; columns: the dynamic ones
  wMat = new StaticArray<f64>(nd * nd);
  piv = new StaticArray<i32>(nd);
  sparseLu = new SparseLu(nd);
  qRowStart = new StaticArray<i32>(n - nd + 1);
  qVal = new StaticArray<f64>((n - nd) * nd);
  qCol = new StaticArray<i32>((n - nd) * nd);
  qPos = new StaticArray<i32>((n - nd) * nd);
  qWatch = new StaticArray<i64>((n - nd) * nd);
  for (let k = 0; k < (n - nd) * nd; k++) unchecked((qWatch[k] = -1));
  nonNeg = new StaticArray<bool>(n);
  grouped = false;
  nAux = 0;
  groupCount = 0;
  checkpointsOn = false;
  ckCount = 0;
  carriedSteps = 0;
  nSwitch = modelSwitchCount(modelId);
  gStart = new StaticArray<f64>(nSwitch);
  gEnd = new StaticArray<f64>(nSwitch);
  gTmp = new StaticArray<f64>(nSwitch);
  for (let i = 0; i < n; i++) {
    unchecked((nonNeg[i] = modelIsNonNegative(modelId, i)));
    unchecked((atol[i] = 1e-9));
  }
  for (let i = 0; i < MAX_PARAMS; i++) unchecked((params[i] = 0.0));
  for (let i = 0; i < STAT_COUNT; i++) unchecked((stats[i] = 0.0));
  out = new StaticArray<f64>(outCapacity * rowLen);
  outCap = outCapacity;
  outCount = 0;
  outNext = 0;
  tOut0 = 0.0;
  dtOut = 0.0;
  evT = new StaticArray<f64>(eventCapacity);
  evValue = new StaticArray<f64>(eventCapacity);
  evKind = new StaticArray<i32>(eventCapacity);
  evIndex = new StaticArray<i32>(eventCapacity);
  evCap = eventCapacity;
  evCount = 0;
  evNext = 0;
  t = 0.0;
  h = 0.0;
  hMax = Infinity;
  maxSteps = 500000;
  rtol = 1e-6;
  fatal = STATUS_OK;
  prepared = false;
  stopped = false;
  resetHistory();
  return STATUS_OK;
}

/** Forgets derivative and controller history: after a jump in state or parameters. */
function resetHistory(): void {
  f0Valid = false;
  restart = true;
  switchesLocked = false; // the model unlocks its branches in modelParamsChanged
  modelParamsChanged(model);
  firstStep = true;
  lastRejected = false;
  errOld = 1.0;
  facOld = 1e-4;
}

export function stateCount(): i32 {
  return n;
}

/** The model of the current run (MODEL_* id; −1 before a successful init). */
export function currentModel(): i32 {
  return model;
}

export function currentTime(): f64 {
  return t;
}

export function setTime(t0: f64): void {
  t = t0;
  resetHistory();
}

export function setTolerances(relTol: f64, absTol: f64): void {
  rtol = relTol;
  for (let i = 0; i < n; i++) unchecked((atol[i] = absTol));
}

export function setStepControl(h0: f64, hMaximum: f64, maxStepsPerAdvance: i32): void {
  h = h0 > 0.0 ? h0 : 0.0;
  hMax = hMaximum > 0.0 ? hMaximum : Infinity;
  maxSteps = maxStepsPerAdvance > 0 ? maxStepsPerAdvance : 500000;
}

export function setOutputGrid(t0: f64, dt: f64): void {
  tOut0 = t0;
  dtOut = dt;
  outNext = 0;
  outCount = 0;
}

/** Marks the state or parameters as changed from outside: the next step restarts cleanly. */
export function invalidate(): void {
  resetHistory();
}

/** Adds a time event, kept in time order (stable for equal times). */
export function addEvent(time: f64, kind: i32, index: i32, value: f64): i32 {
  if (evCount >= evCap || !isFinite<f64>(time)) return STATUS_BAD_SETUP;
  if (kind == EVENT_SET_PARAM && (index < 0 || index >= MAX_PARAMS)) return STATUS_BAD_SETUP;
  if (kind == EVENT_SET_STATE && (index < 0 || index >= n)) return STATUS_BAD_SETUP;
  let i = evCount;
  while (i > evNext && unchecked(evT[i - 1]) > time) {
    unchecked((evT[i] = evT[i - 1]));
    unchecked((evValue[i] = evValue[i - 1]));
    unchecked((evKind[i] = evKind[i - 1]));
    unchecked((evIndex[i] = evIndex[i - 1]));
    i--;
  }
  unchecked((evT[i] = time));
  unchecked((evValue[i] = value));
  unchecked((evKind[i] = kind));
  unchecked((evIndex[i] = index));
  evCount++;
  return STATUS_OK;
}

// ---- helpers ----------------------------------------------------------------

@inline
function timeEps(tt: f64): f64 {
  return 8.0 * UROUND * Math.max(1.0, Math.abs(tt));
}

@inline
function rhs(tt: f64, yy: StaticArray<f64>, dd: StaticArray<f64>): i32 {
  unchecked((stats[STAT_RHS_EVALS] += 1.0));
  return modelRhs(model, tt, yy, dd, params);
}

function fail(code: i32): i32 {
  fatal = code;
  unchecked((stats[STAT_FAIL_TIME] = t));
  return code;
}

/** Weighted RMS norm of `e` with weights atol + rtol·max(|y|, |ynew|). */
function errorNorm(e: StaticArray<f64>): f64 {
  let sum = 0.0;
  for (let i = 0; i < n; i++) {
    const sk = unchecked(atol[i]) + rtol * Math.max(Math.abs(unchecked(y[i])), Math.abs(unchecked(ynew[i])));
    const r = unchecked(e[i]) / sk;
    sum += r * r;
  }
  return Math.sqrt(sum / <f64>n);
}

/** Hairer's starting step estimate (hinit in dopri5.f) for a method of order `order`. */
function initialStep(order: f64): f64 {
  let dnf = 0.0, dny = 0.0;
  for (let i = 0; i < n; i++) {
    const sk = unchecked(atol[i]) + rtol * Math.abs(unchecked(y[i]));
    dnf += (unchecked(f0[i]) / sk) * (unchecked(f0[i]) / sk);
    dny += (unchecked(y[i]) / sk) * (unchecked(y[i]) / sk);
  }
  let h0 = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
  h0 = Math.min(h0, hMax);
  for (let i = 0; i < n; i++) unchecked((ytmp[i] = y[i] + h0 * f0[i]));
  if (rhs(t + h0, ytmp, dy) != STATUS_OK) return h0 * 1e-3;
  let der2 = 0.0;
  for (let i = 0; i < n; i++) {
    const sk = unchecked(atol[i]) + rtol * Math.abs(unchecked(y[i]));
    const d = (unchecked(dy[i]) - unchecked(f0[i])) / sk;
    der2 += d * d;
  }
  der2 = Math.sqrt(der2) / h0;
  const der12 = Math.max(Math.abs(der2), Math.sqrt(dnf));
  const h1 = der12 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / der12, 1.0 / order);
  return Math.min(Math.min(100.0 * h0, h1), hMax);
}

/** Forward differences, one column at a time, around f0 = f(t, y). */
function plainDifferences(): i32 {
  for (let j = 0; j < nd; j++) {
    const yj = unchecked(y[j]);
    const delta = Math.sqrt(UROUND * Math.max(1e-5, Math.abs(yj)));
    unchecked((y[j] = yj + delta));
    const st = rhs(t, y, dy);
    unchecked((y[j] = yj));
    if (st != STATUS_OK) return st;
    const invDelta = 1.0 / delta;
    for (let i = 0; i < n; i++) unchecked((jac[i * nd + j] = (dy[i] - f0[i]) * invDelta));
  }
  return STATUS_OK;
}

/**
 * Forward differences by column groups: every column of a group is perturbed at once
 * (they touch disjoint rows), one right-hand side per group; a sum row gets the sum of
 * its aux rows' differences. Same increments as plainDifferences. docs/model.md §1.1.
 */
function groupedDifferences(): i32 {
  const st0 = rhs(t, y, fBase);
  if (st0 != STATUS_OK) return st0;
  const aux = modelAuxValues(model);
  for (let a = 0; a < nAux; a++) unchecked((auxBase[a] = aux[a]));
  // Clear the entries the groups write (sum rows accumulate).
  for (let j = 0; j < nd; j++) {
    const end = unchecked(colStart[j + 1]);
    for (let k = unchecked(colStart[j]); k < end; k++) {
      const r = unchecked(colRow[k]);
      const row = r < n ? r : unchecked(auxTarget[r - n]);
      unchecked((jac[row * nd + j] = 0.0));
    }
  }
  for (let g = 0; g < groupCount; g++) {
    const gEnd = unchecked(groupStart[g + 1]);
    for (let q = unchecked(groupStart[g]); q < gEnd; q++) {
      const j = unchecked(groupCol[q]);
      const yj = unchecked(y[j]);
      const delta = Math.sqrt(UROUND * Math.max(1e-5, Math.abs(yj)));
      unchecked((fdDelta[j] = delta));
      unchecked((ytmp[j] = yj));
      unchecked((y[j] = yj + delta));
    }
    const st = rhs(t, y, dy);
    for (let q = unchecked(groupStart[g]); q < gEnd; q++) {
      const j = unchecked(groupCol[q]);
      unchecked((y[j] = ytmp[j]));
    }
    if (st != STATUS_OK) return st;
    for (let q = unchecked(groupStart[g]); q < gEnd; q++) {
      const j = unchecked(groupCol[q]);
      const invDelta = 1.0 / unchecked(fdDelta[j]);
      const end = unchecked(colStart[j + 1]);
      for (let k = unchecked(colStart[j]); k < end; k++) {
        const r = unchecked(colRow[k]);
        if (r < n) {
          unchecked((jac[r * nd + j] = (dy[r] - fBase[r]) * invDelta));
        } else {
          const a = r - n;
          const row = unchecked(auxTarget[a]);
          unchecked((jac[row * nd + j] += (aux[a] - auxBase[a]) * invDelta));
        }
      }
    }
  }
  return STATUS_OK;
}

/**
 * Reads a model's declared pattern and groups its columns greedily (each column takes the
 * lowest group none of whose columns shares a row with it), seeds the sparse LU with the
 * pattern of J, and allocates the buffers of groupedDifferences. Once per run, before the
 * first step; models without a declared pattern keep plain differences.
 */
function setUpGroups(): void {
  if (!modelHasPattern(model)) return;
  nAux = modelAuxCount(model);
  const rows = n + nAux;
  auxTarget = new StaticArray<i32>(nAux);
  const sumRow = new StaticArray<bool>(n);
  for (let a = 0; a < nAux; a++) {
    const target = modelAuxTarget(model, a);
    unchecked((auxTarget[a] = target));
    unchecked((sumRow[target] = true));
  }
  // The pattern by columns, sum rows left out (their aux rows stand for them).
  colStart = new StaticArray<i32>(nd + 1);
  let count = 0;
  for (let pass = 0; pass < 2; pass++) {
    count = 0;
    for (let j = 0; j < nd; j++) {
      if (pass == 1) unchecked((colStart[j] = count));
      for (let r = 0; r < rows; r++) {
        if (r < n && unchecked(sumRow[r])) continue;
        if (!modelPattern(model, r, j, params)) continue;
        if (pass == 1) unchecked((colRow[count] = r));
        count++;
      }
    }
    if (pass == 0) colRow = new StaticArray<i32>(count);
  }
  unchecked((colStart[nd] = count));
  // The same by rows, for the grouping.
  const rowStart = new StaticArray<i32>(rows + 1);
  for (let k = 0; k < count; k++) unchecked((rowStart[colRow[k] + 1] += 1));
  for (let r = 0; r < rows; r++) unchecked((rowStart[r + 1] += rowStart[r]));
  const rowCol = new StaticArray<i32>(count);
  const fill = new StaticArray<i32>(rows);
  for (let j = 0; j < nd; j++) {
    for (let k = unchecked(colStart[j]); k < unchecked(colStart[j + 1]); k++) {
      const r = unchecked(colRow[k]);
      unchecked((rowCol[rowStart[r] + fill[r]] = j));
      unchecked((fill[r] += 1));
    }
  }
  const group = new StaticArray<i32>(nd);
  const seen = new StaticArray<i32>(nd + 1);
  for (let j = 0; j < nd; j++) unchecked((group[j] = -1));
  for (let g = 0; g <= nd; g++) unchecked((seen[g] = -1));
  groupCount = 0;
  for (let j = 0; j < nd; j++) {
    for (let k = unchecked(colStart[j]); k < unchecked(colStart[j + 1]); k++) {
      const r = unchecked(colRow[k]);
      for (let m = unchecked(rowStart[r]); m < unchecked(rowStart[r + 1]); m++) {
        const g = unchecked(group[rowCol[m]]);
        if (g >= 0) unchecked((seen[g] = j));
      }
    }
    let g = 0;
    while (unchecked(seen[g]) == j) g++;
    unchecked((group[j] = g));
    if (g + 1 > groupCount) groupCount = g + 1;
  }
  groupStart = new StaticArray<i32>(groupCount + 1);
  groupCol = new StaticArray<i32>(nd);
  for (let j = 0; j < nd; j++) unchecked((groupStart[group[j] + 1] += 1));
  for (let g = 0; g < groupCount; g++) unchecked((groupStart[g + 1] += groupStart[g]));
  const placed = new StaticArray<i32>(groupCount);
  for (let j = 0; j < nd; j++) {
    const g = unchecked(group[j]);
    unchecked((groupCol[groupStart[g] + placed[g]] = j));
    unchecked((placed[g] += 1));
  }
  // The pattern of J's dynamic block for the sparse LU.
  const declared = new StaticArray<bool>(nd * nd);
  for (let j = 0; j < nd; j++) {
    for (let k = unchecked(colStart[j]); k < unchecked(colStart[j + 1]); k++) {
      const r = unchecked(colRow[k]);
      const row = r < n ? r : unchecked(auxTarget[r - n]);
      if (row < nd) unchecked((declared[row * nd + j] = true));
    }
  }
  sparseLu.seed(declared);
  fBase = new StaticArray<f64>(n);
  auxBase = new StaticArray<f64>(nAux);
  fdDelta = new StaticArray<f64>(nd);
  grouped = true;
}

/** Number of column groups of the last run's finite-difference Jacobian (0: none). */
export function jacobianGroups(): i32 {
  return grouped ? groupCount : 0;
}

/**
 * Finite-difference Jacobian at the current time and state into `jac`: by column groups
 * (`byGroups`, for a model that declares its pattern) or one column at a time. For the
 * test that both agree; the solver never calls it. Returns nd, or 0 before the first advance.
 */
export function evaluateDifferences(byGroups: bool): i32 {
  if (model < 0 || !prepared) return 0;
  if (rhs(t, y, f0) != STATUS_OK) return 0;
  f0Valid = false;
  for (let k = 0; k < n * nd; k++) unchecked((jac[k] = 0.0));
  const st = byGroups && grouped ? groupedDifferences() : plainDifferences();
  return st == STATUS_OK ? nd : 0;
}

/** Jacobian (analytic or forward differences, Hairer's increments) and df/dt at (t, y). */
function prepareJacobian(): i32 {
  unchecked((stats[STAT_JAC_EVALS] += 1.0));
  if (grouped) {
    const st = groupedDifferences();
    if (st != STATUS_OK) return st;
  } else if (!modelJacobian(model, t, y, params, jac, nd)) {
    const st = plainDifferences();
    if (st != STATUS_OK) return st;
  }
  // A declared pattern is complete: nothing outside it can appear.
  if (!grouped) sparseLu.update(jac); // the first nd rows: J_dd, row stride nd
  compressQuadratureRows();
  autonomous = modelIsAutonomous(model, params);
  if (!autonomous) {
    const delta = Math.sqrt(UROUND * Math.max(1e-5, Math.abs(t)));
    const st = rhs(t + delta, y, dy);
    if (st != STATUS_OK) return st;
    for (let i = 0; i < n; i++) unchecked((fT[i] = (dy[i] - f0[i]) / delta));
  }
  return STATUS_OK;
}

// ---- Rodas4 ----------------------------------------------------------------

let stageGammaH: f64 = 0.0;

/**
 * Solves W k = b in place for W = I/(γh) - J. J has zero columns for the quadrature
 * states, so W is block lower-triangular: LU on the dynamic block, then
 * k_q = γh (b_q + J_qd k_d) for the quadratures.
 */
function solveStage(b: StaticArray<f64>): void {
  if (wDense) luSolve(wMat, piv, nd, b);
  else sparseLu.solve(wMat, b);
  for (let i = nd; i < n; i++) {
    let s = unchecked(b[i]);
    const end = unchecked(qRowStart[i - nd + 1]);
    for (let k = unchecked(qRowStart[i - nd]); k < end; k++) s += unchecked(qVal[k]) * unchecked(b[qCol[k]]);
    unchecked((b[i] = stageGammaH * s));
  }
}

/**
 * The quadrature rows of J (each depends on a few dynamic states) as compressed rows,
 * so every stage sums only their nonzero entries. The pattern is the union of the
 * entries nonzero so far in the run: it is rebuilt only when an entry outside it turns
 * nonzero (found by anyWatched), else the values are gathered from their positions.
 * Entries of the pattern that are zero at this step add exact zeros.
 */
function compressQuadratureRows(): void {
  const base = nd * nd;
  const count = (n - nd) * nd;
  if (anyWatched(jac, base, qWatch, count)) {
    for (let pos = base; pos < base + count; pos++) {
      if (unchecked(jac[pos]) != 0.0) unchecked((qWatch[pos - base] = 0));
    }
    rebuildQuadratureRows();
  }
  const end = unchecked(qRowStart[n - nd]);
  for (let k = 0; k < end; k++) unchecked((qVal[k] = jac[qPos[k]]));
}

/** The compressed rows' structure (qRowStart, qCol, qPos) from the pattern in qWatch. */
function rebuildQuadratureRows(): void {
  const base = nd * nd;
  let k = 0;
  for (let i = nd; i < n; i++) {
    unchecked((qRowStart[i - nd] = k));
    for (let j = 0; j < nd; j++) {
      const pos = i * nd + j;
      if (unchecked(qWatch[pos - base]) == 0) {
        unchecked((qCol[k] = j));
        unchecked((qPos[k] = pos));
        k++;
      }
    }
  }
  unchecked((qRowStart[n - nd] = k));
}

// ---- stage combinations, by pairs of lanes --------------------------------------
// Each computes its formula for entries 0..m-1 with f64x2 (the same IEEE operations in
// the same order, lane by lane, as the scalar formula in its comment, so results are
// bit-identical to scalar code) and the last entry alone when m is odd.

@inline
function at(a: StaticArray<f64>): usize {
  return changetype<usize>(a);
}

/** d = b + c1·x1 */
function comb1(d: StaticArray<f64>, m: i32, b: StaticArray<f64>, c1: f64, x1: StaticArray<f64>): void {
  const dp = at(d), bp = at(b), p1 = at(x1), v1 = f64x2.splat(c1), pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(dp + o, f64x2.add(v128.load(bp + o), f64x2.mul(v1, v128.load(p1 + o))));
  }
  if (pairs < m) unchecked((d[pairs] = b[pairs] + c1 * x1[pairs]));
}

/** d = b + c1·x1 + c2·x2 */
function comb2(d: StaticArray<f64>, m: i32, b: StaticArray<f64>, c1: f64, x1: StaticArray<f64>, c2: f64, x2: StaticArray<f64>): void {
  const dp = at(d), bp = at(b), p1 = at(x1), p2 = at(x2), v1 = f64x2.splat(c1), v2 = f64x2.splat(c2), pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    const s = f64x2.add(v128.load(bp + o), f64x2.mul(v1, v128.load(p1 + o)));
    v128.store(dp + o, f64x2.add(s, f64x2.mul(v2, v128.load(p2 + o))));
  }
  if (pairs < m) unchecked((d[pairs] = b[pairs] + c1 * x1[pairs] + c2 * x2[pairs]));
}

/** d = b + c1·x1 + c2·x2 + c3·x3 */
function comb3(
  d: StaticArray<f64>, m: i32, b: StaticArray<f64>,
  c1: f64, x1: StaticArray<f64>, c2: f64, x2: StaticArray<f64>, c3: f64, x3: StaticArray<f64>,
): void {
  const dp = at(d), bp = at(b), p1 = at(x1), p2 = at(x2), p3 = at(x3);
  const v1 = f64x2.splat(c1), v2 = f64x2.splat(c2), v3 = f64x2.splat(c3), pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    let s = f64x2.add(v128.load(bp + o), f64x2.mul(v1, v128.load(p1 + o)));
    s = f64x2.add(s, f64x2.mul(v2, v128.load(p2 + o)));
    v128.store(dp + o, f64x2.add(s, f64x2.mul(v3, v128.load(p3 + o))));
  }
  if (pairs < m) unchecked((d[pairs] = b[pairs] + c1 * x1[pairs] + c2 * x2[pairs] + c3 * x3[pairs]));
}

/** d = b + c1·x1 + c2·x2 + c3·x3 + c4·x4 */
function comb4(
  d: StaticArray<f64>, m: i32, b: StaticArray<f64>,
  c1: f64, x1: StaticArray<f64>, c2: f64, x2: StaticArray<f64>, c3: f64, x3: StaticArray<f64>, c4: f64, x4: StaticArray<f64>,
): void {
  const dp = at(d), bp = at(b), p1 = at(x1), p2 = at(x2), p3 = at(x3), p4 = at(x4);
  const v1 = f64x2.splat(c1), v2 = f64x2.splat(c2), v3 = f64x2.splat(c3), v4 = f64x2.splat(c4), pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    let s = f64x2.add(v128.load(bp + o), f64x2.mul(v1, v128.load(p1 + o)));
    s = f64x2.add(s, f64x2.mul(v2, v128.load(p2 + o)));
    s = f64x2.add(s, f64x2.mul(v3, v128.load(p3 + o)));
    v128.store(dp + o, f64x2.add(s, f64x2.mul(v4, v128.load(p4 + o))));
  }
  if (pairs < m) unchecked((d[pairs] = b[pairs] + c1 * x1[pairs] + c2 * x2[pairs] + c3 * x3[pairs] + c4 * x4[pairs]));
}

/** One pair of lanes, at byte offset o, of c1·x1 + c2·x2 + c3·x3 + c4·x4 + c5·x5. */
@inline
function sum5Pair(
  o: usize, p1: usize, p2: usize, p3: usize, p4: usize, p5: usize, v1: v128, v2: v128, v3: v128, v4: v128, v5: v128,
): v128 {
  let s = f64x2.add(f64x2.mul(v1, v128.load(p1 + o)), f64x2.mul(v2, v128.load(p2 + o)));
  s = f64x2.add(s, f64x2.mul(v3, v128.load(p3 + o)));
  s = f64x2.add(s, f64x2.mul(v4, v128.load(p4 + o)));
  return f64x2.add(s, f64x2.mul(v5, v128.load(p5 + o)));
}

// stageN: the right-hand side of Rodas4's stage N + 1 from the N stages before it,
// d = b + (c1·x1 + … + cN·xN)·h, with b = f at the stage and h = 1/step.

/** d = b + c1·x1·h */
function stage1(d: StaticArray<f64>, m: i32, b: StaticArray<f64>, h: f64, c1: f64, x1: StaticArray<f64>): void {
  const dp = at(d), bp = at(b), p1 = at(x1), vh = f64x2.splat(h), v1 = f64x2.splat(c1), pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(dp + o, f64x2.add(v128.load(bp + o), f64x2.mul(f64x2.mul(v1, v128.load(p1 + o)), vh)));
  }
  if (pairs < m) unchecked((d[pairs] = b[pairs] + c1 * x1[pairs] * h));
}

/** d = b + (c1·x1 + c2·x2)·h */
function stage2(d: StaticArray<f64>, m: i32, b: StaticArray<f64>, h: f64, c1: f64, x1: StaticArray<f64>, c2: f64, x2: StaticArray<f64>): void {
  const dp = at(d), bp = at(b), p1 = at(x1), p2 = at(x2), vh = f64x2.splat(h);
  const v1 = f64x2.splat(c1), v2 = f64x2.splat(c2), pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    const s = f64x2.add(f64x2.mul(v1, v128.load(p1 + o)), f64x2.mul(v2, v128.load(p2 + o)));
    v128.store(dp + o, f64x2.add(v128.load(bp + o), f64x2.mul(s, vh)));
  }
  if (pairs < m) unchecked((d[pairs] = b[pairs] + (c1 * x1[pairs] + c2 * x2[pairs]) * h));
}

/** d = b + (c1·x1 + c2·x2 + c3·x3)·h */
function stage3(
  d: StaticArray<f64>, m: i32, b: StaticArray<f64>, h: f64,
  c1: f64, x1: StaticArray<f64>, c2: f64, x2: StaticArray<f64>, c3: f64, x3: StaticArray<f64>,
): void {
  const dp = at(d), bp = at(b), p1 = at(x1), p2 = at(x2), p3 = at(x3), vh = f64x2.splat(h);
  const v1 = f64x2.splat(c1), v2 = f64x2.splat(c2), v3 = f64x2.splat(c3), pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    let s = f64x2.add(f64x2.mul(v1, v128.load(p1 + o)), f64x2.mul(v2, v128.load(p2 + o)));
    s = f64x2.add(s, f64x2.mul(v3, v128.load(p3 + o)));
    v128.store(dp + o, f64x2.add(v128.load(bp + o), f64x2.mul(s, vh)));
  }
  if (pairs < m) unchecked((d[pairs] = b[pairs] + (c1 * x1[pairs] + c2 * x2[pairs] + c3 * x3[pairs]) * h));
}

/** d = b + (c1·x1 + c2·x2 + c3·x3 + c4·x4)·h */
function stage4(
  d: StaticArray<f64>, m: i32, b: StaticArray<f64>, h: f64,
  c1: f64, x1: StaticArray<f64>, c2: f64, x2: StaticArray<f64>, c3: f64, x3: StaticArray<f64>, c4: f64, x4: StaticArray<f64>,
): void {
  const dp = at(d), bp = at(b), p1 = at(x1), p2 = at(x2), p3 = at(x3), p4 = at(x4), vh = f64x2.splat(h);
  const v1 = f64x2.splat(c1), v2 = f64x2.splat(c2), v3 = f64x2.splat(c3), v4 = f64x2.splat(c4), pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    let s = f64x2.add(f64x2.mul(v1, v128.load(p1 + o)), f64x2.mul(v2, v128.load(p2 + o)));
    s = f64x2.add(s, f64x2.mul(v3, v128.load(p3 + o)));
    s = f64x2.add(s, f64x2.mul(v4, v128.load(p4 + o)));
    v128.store(dp + o, f64x2.add(v128.load(bp + o), f64x2.mul(s, vh)));
  }
  if (pairs < m) unchecked((d[pairs] = b[pairs] + (c1 * x1[pairs] + c2 * x2[pairs] + c3 * x3[pairs] + c4 * x4[pairs]) * h));
}

/** d = b + (c1·x1 + c2·x2 + c3·x3 + c4·x4 + c5·x5)·h */
function stage5(
  d: StaticArray<f64>, m: i32, b: StaticArray<f64>, h: f64,
  c1: f64, x1: StaticArray<f64>, c2: f64, x2: StaticArray<f64>, c3: f64, x3: StaticArray<f64>, c4: f64, x4: StaticArray<f64>,
  c5: f64, x5: StaticArray<f64>,
): void {
  const dp = at(d), bp = at(b), p1 = at(x1), p2 = at(x2), p3 = at(x3), p4 = at(x4), p5 = at(x5), vh = f64x2.splat(h);
  const v1 = f64x2.splat(c1), v2 = f64x2.splat(c2), v3 = f64x2.splat(c3), v4 = f64x2.splat(c4), v5 = f64x2.splat(c5);
  const pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(dp + o, f64x2.add(v128.load(bp + o), f64x2.mul(sum5Pair(o, p1, p2, p3, p4, p5, v1, v2, v3, v4, v5), vh)));
  }
  if (pairs < m) {
    unchecked((d[pairs] = b[pairs] + (c1 * x1[pairs] + c2 * x2[pairs] + c3 * x3[pairs] + c4 * x4[pairs] + c5 * x5[pairs]) * h));
  }
}

/** d = c1·x1 + c2·x2 + c3·x3 + c4·x4 + c5·x5 */
function sum5(
  d: StaticArray<f64>, m: i32,
  c1: f64, x1: StaticArray<f64>, c2: f64, x2: StaticArray<f64>, c3: f64, x3: StaticArray<f64>, c4: f64, x4: StaticArray<f64>,
  c5: f64, x5: StaticArray<f64>,
): void {
  const dp = at(d), p1 = at(x1), p2 = at(x2), p3 = at(x3), p4 = at(x4), p5 = at(x5);
  const v1 = f64x2.splat(c1), v2 = f64x2.splat(c2), v3 = f64x2.splat(c3), v4 = f64x2.splat(c4), v5 = f64x2.splat(c5);
  const pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(dp + o, sum5Pair(o, p1, p2, p3, p4, p5, v1, v2, v3, v4, v5));
  }
  if (pairs < m) unchecked((d[pairs] = c1 * x1[pairs] + c2 * x2[pairs] + c3 * x3[pairs] + c4 * x4[pairs] + c5 * x5[pairs]));
}

/** d = a + b */
function sumOf(d: StaticArray<f64>, m: i32, a: StaticArray<f64>, b: StaticArray<f64>): void {
  const dp = at(d), ap = at(a), bp = at(b), pairs = m & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(dp + o, f64x2.add(v128.load(ap + o), v128.load(bp + o)));
  }
  if (pairs < m) unchecked((d[pairs] = a[pairs] + b[pairs]));
}

/** v += a·x over all n states. */
function addScaled(v: StaticArray<f64>, a: f64, x: StaticArray<f64>): void {
  for (let i = 0; i < n; i++) unchecked((v[i] += a * x[i]));
}

/** One Rodas4 attempt of size hh from (t, y): ynew, errNorm and the dense coefficients. */
function rodasAttempt(hh: f64): i32 {
  const fac = 1.0 / (R_GAMMA * hh);
  unchecked((stats[STAT_LU_DECOMPS] += 1.0));
  sparseLu.build(wMat, jac, fac);
  wDense = !sparseLu.factor(wMat);
  if (wDense) {
    // A diagonal pivot failed the threshold test: dense LU with partial pivoting instead.
    for (let i = 0; i < nd * nd; i++) unchecked((wMat[i] = -jac[i]));
    for (let i = 0; i < nd; i++) unchecked((wMat[i * nd + i] += fac));
    if (!luFactor(wMat, piv, nd)) return ATTEMPT_SINGULAR;
  }
  stageGammaH = R_GAMMA * hh;
  const inv = 1.0 / hh;
  // stage 1 (the ∂f/∂t terms hh·d_i·f_t only for a non-autonomous right-hand side)
  memory.copy(at(k1), at(f0), (<usize>n) << 3);
  if (!autonomous) addScaled(k1, hh * R_D1, fT);
  solveStage(k1);
  // stage 2. Stages 2-4 form ytmp for the dynamic states only: no right-hand side reads
  // a quadrature (docs/model.md §1.1); stage 5 forms all of it, for ynew.
  comb1(ytmp, nd, y, R_A21, k1);
  if (rhs(t + R_C2 * hh, ytmp, dy) != STATUS_OK) return ATTEMPT_RHS;
  if (!autonomous) addScaled(dy, hh * R_D2, fT);
  stage1(k2, n, dy, inv, R_C21, k1);
  solveStage(k2);
  // stage 3
  comb2(ytmp, nd, y, R_A31, k1, R_A32, k2);
  if (rhs(t + R_C3 * hh, ytmp, dy) != STATUS_OK) return ATTEMPT_RHS;
  if (!autonomous) addScaled(dy, hh * R_D3, fT);
  stage2(k3, n, dy, inv, R_C31, k1, R_C32, k2);
  solveStage(k3);
  // stage 4
  comb3(ytmp, nd, y, R_A41, k1, R_A42, k2, R_A43, k3);
  if (rhs(t + R_C4 * hh, ytmp, dy) != STATUS_OK) return ATTEMPT_RHS;
  if (!autonomous) addScaled(dy, hh * R_D4, fT);
  stage3(k4, n, dy, inv, R_C41, k1, R_C42, k2, R_C43, k3);
  solveStage(k4);
  // stage 5
  comb4(ytmp, n, y, R_A51, k1, R_A52, k2, R_A53, k3, R_A54, k4);
  if (rhs(t + hh, ytmp, dy) != STATUS_OK) return ATTEMPT_RHS;
  stage4(k5, n, dy, inv, R_C51, k1, R_C52, k2, R_C53, k3, R_C54, k4);
  solveStage(k5);
  // stage 6: its solution is the embedded error estimate
  sumOf(ytmp, n, ytmp, k5);
  if (rhs(t + hh, ytmp, dy) != STATUS_OK) return ATTEMPT_RHS;
  stage5(k6, n, dy, inv, R_C61, k1, R_C62, k2, R_C63, k3, R_C64, k4, R_C65, k5);
  solveStage(k6);
  sumOf(ynew, n, ytmp, k6);
  errNorm = errorNorm(k6);
  return ATTEMPT_OK;
}

function rodasPrepareDense(): void {
  sum5(cont3, n, R_D21, k1, R_D22, k2, R_D23, k3, R_D24, k4, R_D25, k5);
  sum5(cont4, n, R_D31, k1, R_D32, k2, R_D33, k3, R_D34, k4, R_D35, k5);
}

/** Gustafsson's predictive controller as in rodas.f; returns the proposed next step. */
function rodasAcceptedStep(hh: f64): f64 {
  const growMax = fromStart ? FIRST_STEP_GROW_MAX : RODAS_GROW_MAX;
  let fac = Math.max(1.0 / growMax, Math.min(SHRINK_MAX, Math.pow(errNorm, 0.25) / SAFETY));
  if (!firstStep) {
    let facPred = (hOld / hh) * Math.pow((errNorm * errNorm) / errOld, 0.25) / SAFETY;
    facPred = Math.max(1.0 / growMax, Math.min(SHRINK_MAX, facPred));
    fac = Math.max(fac, facPred);
  }
  firstStep = false;
  hOld = hh;
  errOld = Math.max(0.01, errNorm);
  let hNew = hh / fac;
  if (lastRejected) hNew = Math.min(hNew, hh);
  return hNew;
}

// ---- DOPRI5 ------------------------------------------------------------------

function dopriAttempt(hh: f64): i32 {
  // k1 = f0 (first same as last)
  for (let i = 0; i < n; i++) unchecked((ytmp[i] = y[i] + hh * P_A21 * f0[i]));
  if (rhs(t + P_C2 * hh, ytmp, k2) != STATUS_OK) return ATTEMPT_RHS;
  for (let i = 0; i < n; i++) unchecked((ytmp[i] = y[i] + hh * (P_A31 * f0[i] + P_A32 * k2[i])));
  if (rhs(t + P_C3 * hh, ytmp, k3) != STATUS_OK) return ATTEMPT_RHS;
  for (let i = 0; i < n; i++) unchecked((ytmp[i] = y[i] + hh * (P_A41 * f0[i] + P_A42 * k2[i] + P_A43 * k3[i])));
  if (rhs(t + P_C4 * hh, ytmp, k4) != STATUS_OK) return ATTEMPT_RHS;
  for (let i = 0; i < n; i++) {
    unchecked((ytmp[i] = y[i] + hh * (P_A51 * f0[i] + P_A52 * k2[i] + P_A53 * k3[i] + P_A54 * k4[i])));
  }
  if (rhs(t + P_C5 * hh, ytmp, k5) != STATUS_OK) return ATTEMPT_RHS;
  for (let i = 0; i < n; i++) {
    unchecked((ytmp[i] = y[i] + hh * (P_A61 * f0[i] + P_A62 * k2[i] + P_A63 * k3[i] + P_A64 * k4[i] + P_A65 * k5[i])));
  }
  if (rhs(t + hh, ytmp, k6) != STATUS_OK) return ATTEMPT_RHS;
  for (let i = 0; i < n; i++) {
    unchecked((ynew[i] = y[i] + hh * (P_A71 * f0[i] + P_A73 * k3[i] + P_A74 * k4[i] + P_A75 * k5[i] + P_A76 * k6[i])));
  }
  if (rhs(t + hh, ynew, k7) != STATUS_OK) return ATTEMPT_RHS;
  for (let i = 0; i < n; i++) {
    unchecked((ytmp[i] = hh * (P_E1 * f0[i] + P_E3 * k3[i] + P_E4 * k4[i] + P_E5 * k5[i] + P_E6 * k6[i] + P_E7 * k7[i])));
  }
  errNorm = errorNorm(ytmp);
  return ATTEMPT_OK;
}

function dopriPrepareDense(hh: f64): void {
  for (let i = 0; i < n; i++) {
    const yd = unchecked(ynew[i]) - unchecked(y[i]);
    const bspl = hh * unchecked(f0[i]) - yd;
    unchecked((cont3[i] = bspl));
    unchecked((cont4[i] = yd - hh * k7[i] - bspl));
    unchecked((cont5[i] = hh * (P_D1 * f0[i] + P_D3 * k3[i] + P_D4 * k4[i] + P_D5 * k5[i] + P_D6 * k6[i] + P_D7 * k7[i])));
  }
}

/** PI controller of dopri5.f; returns the proposed next step. */
function dopriAcceptedStep(hh: f64): f64 {
  const fac11 = Math.pow(errNorm, 0.2 - DOPRI_BETA * 0.75);
  let fac = fac11 / Math.pow(facOld, DOPRI_BETA);
  fac = Math.max(1.0 / DOPRI_GROW_MAX, Math.min(SHRINK_MAX, fac / SAFETY));
  facOld = Math.max(errNorm, 1e-4);
  let hNew = hh / fac;
  if (lastRejected) hNew = Math.min(hNew, hh);
  return hNew;
}

function rejectedStep(hh: f64): f64 {
  if (solver == SOLVER_RODAS4) {
    return hh / Math.max(1.0 / RODAS_GROW_MAX, Math.min(SHRINK_MAX, Math.pow(errNorm, 0.25) / SAFETY));
  }
  const fac11 = Math.pow(errNorm, 0.2 - DOPRI_BETA * 0.75);
  return hh / Math.min(SHRINK_MAX, fac11 / SAFETY);
}

/** The state at time `ts` inside the last accepted step, into `yDense`. */
function denseAt(ts: f64): void {
  const s = (ts - tOld) / hDid;
  const s1 = 1.0 - s;
  if (solver == SOLVER_RODAS4) {
    for (let i = 0; i < n; i++) {
      unchecked((yDense[i] = yPrev[i] * s1 + s * (y[i] + s1 * (cont3[i] + s * cont4[i]))));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const yd = unchecked(y[i]) - unchecked(yPrev[i]);
      unchecked((yDense[i] = yPrev[i] + s * (yd + s1 * (cont3[i] + s * (cont4[i] + s1 * cont5[i])))));
    }
  }
  for (let i = 0; i < n; i++) {
    if (unchecked(nonNeg[i]) && unchecked(yDense[i]) < 0.0) unchecked((yDense[i] = 0.0));
  }
}

// ---- driver ------------------------------------------------------------------

/** f0 = f(t, y), checked: no step size can repair a state or derivative that is NaN or infinite. */
function derivativeNow(): i32 {
  if (rhs(t, y, f0) != STATUS_OK) return fail(STATUS_RHS_FAILED);
  for (let i = 0; i < n; i++) {
    if (!isFinite<f64>(unchecked(f0[i])) || !isFinite<f64>(unchecked(y[i]))) return fail(STATUS_NON_FINITE);
  }
  f0Valid = true;
  return STATUS_OK;
}

/**
 * f0 at the start of a step and, for a model with switches, their values there: the
 * branches are locked (after a jump, as the state gives them) and any switching function
 * already below zero moves its switch on before the step (docs/model.md §1.1).
 */
function startStep(): i32 {
  const st = derivativeNow();
  if (st != STATUS_OK || nSwitch == 0) return st;
  if (!switchesLocked) {
    modelLockSwitches(model);
    switchesLocked = true;
  }
  for (let pass = 0; pass <= nSwitch; pass++) {
    modelSwitches(model, t, y, params, gStart);
    let q = 0;
    while (q < nSwitch && !(unchecked(gStart[q]) < 0.0)) q++;
    if (q == nSwitch) break;
    modelCrossSwitch(model, q);
    const again = derivativeNow();
    if (again != STATUS_OK) return again;
  }
  return STATUS_OK;
}

/** Takes one accepted step towards `tStop` (never past it), retrying smaller steps as needed. */
function stepOnce(tStop: f64): i32 {
  if (!f0Valid) {
    const st = startStep();
    if (st != STATUS_OK) return st;
  }
  if (h <= 0.0) {
    h = initialStep(solver == SOLVER_RODAS4 ? 4.0 : 5.0);
  } else if (restart) {
    h = Math.min(h, initialStep(solver == SOLVER_RODAS4 ? 4.0 : 5.0));
  }
  if (restart) {
    fromStart = true;
    firstStep = true; // the predictive controller's history ends at the jump
  }
  restart = false;
  if (solver == SOLVER_RODAS4) {
    if (prepareJacobian() != STATUS_OK) return fail(STATUS_RHS_FAILED);
  }
  let failures = 0;
  while (true) {
    if (stepsThisCall >= maxSteps) return fail(STATUS_TOO_MUCH_WORK);
    let hh = Math.min(h, hMax);
    let reachesStop = false;
    if (t + 1.01 * hh >= tStop) {
      hh = tStop - t;
      reachesStop = true;
    }
    if (!(hh > 16.0 * UROUND * Math.abs(t))) {
      if (reachesStop) {
        // The stop is closer than the time resolution: it has been reached.
        t = tStop;
        return STATUS_OK;
      }
      return fail(STATUS_STEP_TOO_SMALL);
    }
    stepsThisCall++;
    const r = solver == SOLVER_RODAS4 ? rodasAttempt(hh) : dopriAttempt(hh);
    let shrink = 0.0;
    if (r == ATTEMPT_RHS) {
      shrink = SHRINK_FAILED;
    } else if (r == ATTEMPT_SINGULAR) {
      shrink = SHRINK_NEGATIVE;
    } else if (!isFinite<f64>(errNorm)) {
      shrink = SHRINK_FAILED;
    } else if (errNorm <= 1.0) {
      for (let i = 0; i < n; i++) {
        if (unchecked(nonNeg[i]) && unchecked(ynew[i]) < -unchecked(atol[i])) {
          shrink = SHRINK_NEGATIVE;
          break;
        }
      }
      if (shrink == 0.0) {
        acceptStep(hh, reachesStop ? tStop : t + hh);
        return STATUS_OK;
      }
    }
    unchecked((stats[STAT_REJECTED] += 1.0));
    if (shrink == 0.0) {
      h = rejectedStep(hh); // error test failed: ordinary rejection
    } else {
      failures++;
      if (failures > MAX_CONSECUTIVE_FAILURES) {
        if (r == ATTEMPT_RHS) return fail(STATUS_RHS_FAILED);
        if (r == ATTEMPT_SINGULAR) return fail(STATUS_SINGULAR);
        if (!isFinite<f64>(errNorm)) return fail(STATUS_NON_FINITE);
        return fail(STATUS_STEP_TOO_SMALL);
      }
      h = hh * shrink;
    }
    lastRejected = true;
  }
  return STATUS_OK;
}

function acceptStep(hh: f64, tNew: f64): void {
  const hNext = solver == SOLVER_RODAS4 ? rodasAcceptedStep(hh) : dopriAcceptedStep(hh);
  if (solver == SOLVER_RODAS4) rodasPrepareDense();
  else dopriPrepareDense(hh);
  let clamped = false;
  for (let i = 0; i < n; i++) {
    unchecked((yPrev[i] = y[i]));
    let v = unchecked(ynew[i]);
    if (unchecked(nonNeg[i]) && v < 0.0) {
      v = 0.0;
      clamped = true;
    }
    unchecked((y[i] = v));
  }
  if (solver == SOLVER_DOPRI5 && !clamped) {
    for (let i = 0; i < n; i++) unchecked((f0[i] = k7[i]));
    f0Valid = true;
  } else {
    f0Valid = false;
  }
  tOld = t;
  hDid = hh;
  t = tNew;
  h = hNext;
  lastRejected = false;
  fromStart = false;
  unchecked((stats[STAT_STEPS] += 1.0));
  unchecked((stats[STAT_LAST_STEP] = hh));
}

function writeRow(tk: f64, yy: StaticArray<f64>): void {
  if (outCount >= outCap) {
    unchecked((stats[STAT_OUTPUT_DROPPED] += 1.0));
    return;
  }
  const off = outCount * rowLen;
  unchecked((out[off] = tk));
  for (let i = 0; i < n; i++) unchecked((out[off + 1 + i] = yy[i]));
  modelDerived(model, tk, yy, params, out, off + 1 + n);
  outCount++;
}

@inline
function gridTime(k: i32): f64 {
  return tOut0 + <f64>k * dtOut;
}

/** Grid points inside the last step, from dense output. */
function emitInsideStep(): void {
  if (dtOut <= 0.0) return;
  const limit = t - timeEps(t);
  while (gridTime(outNext) < limit) {
    const tk = gridTime(outNext);
    if (tk >= tOld) {
      denseAt(tk);
      writeRow(tk, yDense);
    }
    outNext++;
  }
}

/** Events due at the current time, then grid points at the current time (after the events). */
function settleAtCurrentTime(): void {
  const eps = timeEps(t);
  while (evNext < evCount && unchecked(evT[evNext]) <= t + eps) {
    const kind = unchecked(evKind[evNext]);
    const index = unchecked(evIndex[evNext]);
    const value = unchecked(evValue[evNext]);
    if (kind == EVENT_SET_PARAM) unchecked((params[index] = value));
    else if (kind == EVENT_SET_STATE) unchecked((y[index] = value));
    else modelEvent(model, kind, y, params, index, value);
    evNext++;
    resetHistory();
  }
  if (dtOut <= 0.0) return;
  while (gridTime(outNext) <= t + eps) {
    const tk = gridTime(outNext);
    if (tk >= t - eps) writeRow(tk, y);
    outNext++;
  }
}

/**
 * f(t, y) at the current time and state into `dy`; a status. For checks from outside
 * (a Jacobian test); the solver never calls it. BAD_SETUP before the first advance,
 * which completes the model's initial state.
 */
export function evaluateRhs(): i32 {
  if (model < 0 || !prepared) return STATUS_BAD_SETUP;
  return modelRhs(model, t, y, dy, params);
}

/**
 * The model's analytic Jacobian at the current time and state into `jac` (n rows × nd
 * columns); returns nd, or 0 if the model has none (or before the first advance).
 */
export function evaluateJacobian(): i32 {
  if (model < 0 || !prepared) return 0;
  return modelJacobian(model, t, y, params, jac, nd) ? nd : 0;
}

/** Appends an output row at the current time and state (the engine closes a run with it). */
export function emitCurrent(): void {
  writeRow(t, y);
}

/**
 * Integrates to exactly `tTarget`, stopping at every event on the way and writing
 * every output grid point passed. Called once per run, or once per slice in live runs.
 */
export function advance(tTarget: f64): i32 {
  if (fatal != STATUS_OK) return fatal;
  if (model < 0) return STATUS_BAD_SETUP;
  if (stopped) return STATUS_STOPPED;
  if (!(tTarget >= t - timeEps(t))) return fail(STATUS_BAD_SETUP);
  if (!prepared) {
    const st = modelPrepare(model, y, params);
    if (st != STATUS_OK) return fail(st);
    setUpGroups();
    prepared = true;
  }
  stepsThisCall = carriedSteps;
  carriedSteps = 0;
  while (true) {
    if (checkpointsOn && evNext < evCount && unchecked(evT[evNext]) <= t + timeEps(t)) saveCheckpoint();
    settleAtCurrentTime();
    // The stop condition is met once its value is below zero (already at the start, or after an event).
    if (modelStopValue(model, y, params) < 0.0) {
      stopped = true;
      return STATUS_STOPPED;
    }
    if (t >= tTarget - timeEps(tTarget)) return STATUS_OK;
    let tStop = tTarget;
    if (evNext < evCount && unchecked(evT[evNext]) < tStop) tStop = unchecked(evT[evNext]);
    const r = stepOnce(tStop);
    if (r != STATUS_OK) return r;
    let crossing = -1;
    if (switchesLocked) {
      const st = firstCrossing();
      if (st != STATUS_OK) return st;
      crossing = crossingSwitch;
    }
    // The stop condition ends the run inside the step unless a switch crossed before it.
    if (modelStopValue(model, y, params) < 0.0 && !(crossing >= 0 && stopValueAt(crossingTime) >= 0.0)) {
      stopInsideStep();
      stopped = true;
      return STATUS_STOPPED;
    }
    if (crossing >= 0) crossSwitch();
    if (hDid > 0.0 && tOld < t) emitInsideStep();
  }
  return STATUS_OK;
}

/**
 * After an accepted step of a model with switches: f0 at the new state (the next step's,
 * so nothing is spent twice) and the switching functions there. If one fell below zero
 * inside the step, its earliest crossing (located on the dense output) goes to
 * crossingSwitch and crossingTime; otherwise crossingSwitch is −1 and the values at the
 * end of the step are the next step's start values (docs/model.md §1.1).
 */
function firstCrossing(): i32 {
  crossingSwitch = -1;
  if (!f0Valid) {
    const st = derivativeNow();
    if (st != STATUS_OK) return st;
  }
  modelSwitches(model, t, y, params, gEnd);
  for (let q = 0; q < nSwitch; q++) {
    if (!(unchecked(gEnd[q]) < 0.0)) continue;
    const tq = locateCrossing(q, unchecked(gStart[q]), unchecked(gEnd[q]));
    if (crossingSwitch < 0 || tq < crossingTime) {
      crossingSwitch = q;
      crossingTime = tq;
    }
  }
  if (crossingSwitch < 0) {
    for (let q = 0; q < nSwitch; q++) unchecked((gStart[q] = gEnd[q]));
  }
  return STATUS_OK;
}

/**
 * Ends the last step at the crossing firstCrossing found: writes the grid rows before it
 * from the step's interpolant, moves the state there and the switch into its next
 * segment. The next step starts from the crossing.
 */
function crossSwitch(): void {
  unchecked((stats[STAT_SWITCHES] += 1.0));
  if (crossingTime < t) {
    // y still holds the end of the full step, which the interpolant needs.
    t = crossingTime;
    emitInsideStep();
    denseAt(crossingTime);
    for (let i = 0; i < n; i++) unchecked((y[i] = yDense[i]));
  }
  modelCrossSwitch(model, crossingSwitch);
  f0Valid = false;
  // The piece that starts here may bring a fast transient (a loop leaving saturation):
  // as after an event, the next step is no larger than a fresh starting estimate.
  restart = true;
}

/** The stop condition's value at time `ts` inside the last step, from its dense output. */
function stopValueAt(ts: f64): f64 {
  denseAt(ts);
  return modelStopValue(model, yDense, params);
}

/**
 * The time in (tOld, t] where switching function q crosses zero, from its values `ga`
 * (≥ 0) at tOld and `gb` (< 0) at t: the Illinois variant of regula falsi on the dense
 * output, to SWITCH_TIME_TOL of the step. Returns the end of the final bracket on the
 * far side of the crossing, so the switch's next segment holds there.
 */
function locateCrossing(q: i32, ga: f64, gb: f64): f64 {
  let a = tOld, b = t, fa = ga, fb = gb;
  if (!(fa >= 0.0)) return b;
  const tol = SWITCH_TIME_TOL * hDid + timeEps(b);
  let side = 0;
  for (let it = 0; it < MAX_SWITCH_ITERATIONS && b - a > tol; it++) {
    let m = b - (fb * (b - a)) / (fb - fa);
    if (!(m > a && m < b)) m = 0.5 * (a + b);
    denseAt(m);
    modelSwitches(model, m, yDense, params, gTmp);
    const fm = unchecked(gTmp[q]);
    if (fm < 0.0) {
      b = m;
      fb = fm;
      if (side == -1) fa *= 0.5;
      side = -1;
    } else {
      a = m;
      fa = fm;
      if (side == 1) fb *= 0.5;
      side = 1;
    }
  }
  return b;
}

/**
 * The stop condition fell below zero inside the last step (a state event): bisect on
 * the step's dense output for the first time it is below, write the grid rows before
 * that time from the same interpolant, then move the state there.
 */
function stopInsideStep(): void {
  let lo = tOld, hi = t;
  for (let it = 0; it < 60 && hi - lo > timeEps(hi); it++) {
    const mid = 0.5 * (lo + hi);
    denseAt(mid);
    if (modelStopValue(model, yDense, params) >= 0.0) lo = mid;
    else hi = mid;
  }
  // y still holds the end of the full step, which the interpolant needs.
  t = hi;
  emitInsideStep();
  denseAt(hi);
  for (let i = 0; i < n; i++) unchecked((y[i] = yDense[i]));
  f0Valid = false;
}

// ---- checkpoints of shared prefixes (docs/model.md §1.1) --------------------------

/**
 * Switches checkpoints on for the run set up by the last `init` (after it, before the
 * first advance); false for a model or solver setup that cannot restore its state.
 */
export function enableCheckpoints(): bool {
  if (model < 0 || prepared || grouped || !modelCanCheckpoint(model)) return false;
  const slots = CHECKPOINT_SLOTS;
  if (ckT.length != slots || ckY.length != slots * n || ckPattern.length != slots * nd * nd) {
    ckT = new StaticArray<f64>(slots);
    ckH = new StaticArray<f64>(slots);
    ckSteps = new StaticArray<i32>(slots);
    ckOutCount = new StaticArray<i32>(slots);
    ckOutNext = new StaticArray<i32>(slots);
    ckEvNext = new StaticArray<i32>(slots);
    ckY = new StaticArray<f64>(slots * n);
    ckParams = new StaticArray<f64>(slots * MAX_PARAMS);
    ckStats = new StaticArray<f64>(slots * STAT_COUNT);
    ckPattern = new StaticArray<bool>(slots * nd * nd);
    ckQWatch = new StaticArray<i64>(slots * (n - nd) * nd);
  }
  checkpointsOn = true;
  ckCount = 0;
  return true;
}

/** Number of checkpoints the current run holds. */
export function checkpointCount(): i32 {
  return checkpointsOn ? ckCount : 0;
}

/** Time of checkpoint k (NaN if there is none). */
export function checkpointTime(k: i32): f64 {
  return checkpointsOn && k >= 0 && k < ckCount ? unchecked(ckT[k]) : NaN;
}

/**
 * The state on arriving at an event time, before its events: everything a run carries
 * past the events there. The events reset the derivative, the controller history, the
 * model's memos and its switch segments (resetHistory), so those are not kept.
 */
function saveCheckpoint(): void {
  if (ckCount >= CHECKPOINT_SLOTS || (ckCount > 0 && unchecked(ckT[ckCount - 1]) >= t)) return;
  const k = ckCount;
  unchecked((ckT[k] = t));
  unchecked((ckH[k] = h));
  unchecked((ckSteps[k] = stepsThisCall));
  unchecked((ckOutCount[k] = outCount));
  unchecked((ckOutNext[k] = outNext));
  unchecked((ckEvNext[k] = evNext));
  memory.copy(changetype<usize>(ckY) + ((<usize>(k * n)) << 3), changetype<usize>(y), (<usize>n) << 3);
  memory.copy(changetype<usize>(ckParams) + ((<usize>(k * MAX_PARAMS)) << 3), changetype<usize>(params), (<usize>MAX_PARAMS) << 3);
  memory.copy(changetype<usize>(ckStats) + ((<usize>(k * STAT_COUNT)) << 3), changetype<usize>(stats), (<usize>STAT_COUNT) << 3);
  memory.copy(changetype<usize>(ckPattern) + <usize>(k * nd * nd), changetype<usize>(sparseLu.pattern), <usize>(nd * nd));
  const q = (n - nd) * nd;
  memory.copy(changetype<usize>(ckQWatch) + ((<usize>(k * q)) << 3), changetype<usize>(qWatch), (<usize>q) << 3);
  modelSaveCheckpoint(model, k);
  ckCount = k + 1;
}

/**
 * Puts the run back at checkpoint k, as it arrived there: state, parameters (events set
 * some), step size, statistics, output rows and event cursor, the patterns of the sparse
 * LU and of the quadrature rows, and the model's own state; then forgets the history as
 * the events there will. The events from the cursor on are dropped: the caller adds its
 * own (addEvent), those at the checkpoint's time first. Returns the event cursor, or −1
 * if there is no slot k.
 */
export function restoreCheckpoint(k: i32): i32 {
  if (!checkpointsOn || k < 0 || k >= ckCount) return -1;
  t = unchecked(ckT[k]);
  h = unchecked(ckH[k]);
  carriedSteps = unchecked(ckSteps[k]);
  outCount = unchecked(ckOutCount[k]);
  outNext = unchecked(ckOutNext[k]);
  evNext = unchecked(ckEvNext[k]);
  evCount = evNext;
  memory.copy(changetype<usize>(y), changetype<usize>(ckY) + ((<usize>(k * n)) << 3), (<usize>n) << 3);
  memory.copy(changetype<usize>(params), changetype<usize>(ckParams) + ((<usize>(k * MAX_PARAMS)) << 3), (<usize>MAX_PARAMS) << 3);
  memory.copy(changetype<usize>(stats), changetype<usize>(ckStats) + ((<usize>(k * STAT_COUNT)) << 3), (<usize>STAT_COUNT) << 3);
  memory.copy(changetype<usize>(sparseLu.pattern), changetype<usize>(ckPattern) + <usize>(k * nd * nd), <usize>(nd * nd));
  sparseLu.analyse();
  const q = (n - nd) * nd;
  memory.copy(changetype<usize>(qWatch), changetype<usize>(ckQWatch) + ((<usize>(k * q)) << 3), (<usize>q) << 3);
  rebuildQuadratureRows();
  modelRestoreCheckpoint(model, k);
  prepared = true;
  stopped = false;
  fatal = STATUS_OK;
  resetHistory();
  ckCount = k;
  return evNext;
}

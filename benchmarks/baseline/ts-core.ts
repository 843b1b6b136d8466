// A plain-TypeScript port of the kinetics core (assembly/), for benchmarks only: it
// lets them measure "the WebAssembly core vs the same solver and model written in plain
// TypeScript". It is NOT used by the engine.
//
// It must stay in step with assembly/: same algorithms, coefficients, control flow and
// floating-point operation order, so that both cores take the same steps and, ideally,
// produce bit-identical results (tests/baseline-port.test.ts checks this). Any change to
// assembly/integrator.ts, linalg.ts, model.ts, models/*.ts or index.ts must be mirrored here.
//
// Layout:
//   TsCoreModule  port of assembly/index.ts + integrator.ts + model.ts + linalg.ts +
//                 models/microbial.ts + models/testset.ts: the raw numeric verbs, with the
//                 core's module globals as fields (one instance = one wasm instance).
//   TsCho         (ts-cho.ts) port of models/cho.ts, its module globals as fields; each
//                 TsCoreModule owns one.
//   createTsCore  wraps it in the engine's own Core class (Core.fromRaw), so that engine
//                 code (simulate, solveTestProblem) drives either core unchanged.
//
// Where AssemblyScript differs from JavaScript, this follows AssemblyScript:
//   - Math.pow and Math.exp are AssemblyScript's (musl) versions, ported in as-math.ts;
//     V8's differ in the last bit for a few percent of arguments.
//   - i32 parameters of the exported verbs are truncated as at the wasm boundary (x | 0).
//   - f64.EPSILON is Number.EPSILON; Math.sqrt/abs/min/max/isFinite round identically.
//   - StaticArray<f64> / <i32> / <bool> are Float64Array / Int32Array / Uint8Array, all
//     allocated in init; a step does not allocate.
import * as L from "../../assembly/layout";
import { Core, type RawCore } from "../../engine/core-bridge";
import { asExp, asPow } from "./as-math";
import { CHO_DYNAMIC, CHO_STATES, CHO_SWITCH_FUNCTIONS, choIsAutonomous, choIsNonNegative, choStopValue, TsCho } from "./ts-cho";

// ---- Rodas4 coefficients (rodas.f, METH = 1) -------------------------------
const R_GAMMA = 0.25;
const R_C2 = 0.386, R_C3 = 0.21, R_C4 = 0.63;
const R_D1 = 0.25, R_D2 = -0.1043, R_D3 = 0.1035, R_D4 = -0.3620000000000023e-1;
const R_A21 = 1.544;
const R_A31 = 0.9466785280815826, R_A32 = 0.2557011698983284;
const R_A41 = 3.314825187068521, R_A42 = 2.896124015972201, R_A43 = 0.9986419139977817;
const R_A51 = 1.221224509226641, R_A52 = 6.019134481288629, R_A53 = 12.53708332932087;
const R_A54 = -0.687886036105895;
const R_C21 = -5.6688;
const R_C31 = -2.430093356833875, R_C32 = -0.2063599157091915;
const R_C41 = -0.1073529058151375, R_C42 = -9.594562251023355, R_C43 = -20.47028614809616;
const R_C51 = 7.496443313967647, R_C52 = -10.24680431464352, R_C53 = -33.99990352819905;
const R_C54 = 11.7089089320616;
const R_C61 = 8.083246795921522, R_C62 = -7.981132988064893, R_C63 = -31.52159432874371;
const R_C64 = 16.31930543123136, R_C65 = -6.058818238834054;
const R_D21 = 10.12623508344586, R_D22 = -7.487995877610167, R_D23 = -34.80091861555747;
const R_D24 = -7.992771707568823, R_D25 = 1.025137723295662;
const R_D31 = -0.6762803392801253, R_D32 = 6.087714651680015, R_D33 = 16.43084320892478;
const R_D34 = 24.76722511418386, R_D35 = -6.594389125716872;

// ---- Dormand–Prince 5(4) coefficients (dopri5.f) ---------------------------
const P_C2 = 0.2, P_C3 = 0.3, P_C4 = 0.8, P_C5 = 8.0 / 9.0;
const P_A21 = 0.2;
const P_A31 = 3.0 / 40.0, P_A32 = 9.0 / 40.0;
const P_A41 = 44.0 / 45.0, P_A42 = -56.0 / 15.0, P_A43 = 32.0 / 9.0;
const P_A51 = 19372.0 / 6561.0, P_A52 = -25360.0 / 2187.0, P_A53 = 64448.0 / 6561.0;
const P_A54 = -212.0 / 729.0;
const P_A61 = 9017.0 / 3168.0, P_A62 = -355.0 / 33.0, P_A63 = 46732.0 / 5247.0;
const P_A64 = 49.0 / 176.0, P_A65 = -5103.0 / 18656.0;
const P_A71 = 35.0 / 384.0, P_A73 = 500.0 / 1113.0, P_A74 = 125.0 / 192.0;
const P_A75 = -2187.0 / 6784.0, P_A76 = 11.0 / 84.0;
const P_E1 = 71.0 / 57600.0, P_E3 = -71.0 / 16695.0, P_E4 = 71.0 / 1920.0;
const P_E5 = -17253.0 / 339200.0, P_E6 = 22.0 / 525.0, P_E7 = -1.0 / 40.0;
const P_D1 = -12715105075.0 / 11282082432.0, P_D3 = 87487479700.0 / 32700410799.0;
const P_D4 = -10690763975.0 / 1880347072.0, P_D5 = 701980252875.0 / 199316789632.0;
const P_D6 = -1453857185.0 / 822651844.0, P_D7 = 69997945.0 / 29380423.0;

// ---- step-size control (Hairer's codes) -----------------------------------
const SAFETY = 0.9;
const RODAS_GROW_MAX = 6.0;
/** Bound on h_new / h after the first step from a start, an event or a crossing (as the core). */
const FIRST_STEP_GROW_MAX = 1e4;
const DOPRI_GROW_MAX = 10.0;
const SHRINK_MAX = 5.0;
const DOPRI_BETA = 0.04;
const SHRINK_FAILED = 0.25;
const SHRINK_NEGATIVE = 0.5;
const MAX_CONSECUTIVE_FAILURES = 30;
const SWITCH_TIME_TOL = 1e-6;
const MAX_SWITCH_ITERATIONS = 60;
const UROUND = Number.EPSILON; // f64.EPSILON

// ---- attempt results (internal) --------------------------------------------
const ATTEMPT_OK = 0;
const ATTEMPT_RHS = 1;
const ATTEMPT_SINGULAR = 2;

// ---- linalg.ts ----------------------------------------------------------------

/** P·A = L·U in place (row-major n×n); false on a zero or non-finite pivot. */
export function luFactor(a: Float64Array, piv: Int32Array, n: number): boolean {
  for (let k = 0; k < n; k++) {
    let p = k;
    let big = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > big) {
        big = v;
        p = i;
      }
    }
    piv[k] = p;
    if (big == 0.0 || !Number.isFinite(big)) return false;
    if (p != k) {
      for (let j = 0; j < n; j++) {
        const tmp = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = tmp;
      }
    }
    const inv = 1.0 / a[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const l = a[i * n + k] * inv;
      a[i * n + k] = l;
      if (l != 0.0) {
        for (let j = k + 1; j < n; j++) {
          a[i * n + j] -= l * a[k * n + j];
        }
      }
    }
  }
  return true;
}

/** Solves A·x = b in place in `b` with the factors from luFactor. */
export function luSolve(a: Float64Array, piv: Int32Array, n: number, b: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const p = piv[k];
    if (p != k) {
      const tmp = b[k];
      b[k] = b[p];
      b[p] = tmp;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = b[i];
    for (let j = 0; j < i; j++) s -= a[i * n + j] * b[j];
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= a[i * n + j] * b[j];
    b[i] = s / a[i * n + i];
  }
}

/** Relative threshold for the diagonal pivots of SparseLu (linalg.ts). */
const SPARSE_PIVOT_THRESHOLD = 0.01;

/** LU without row exchanges on a fill-reducing order, for a known pattern (linalg.ts). */
export class SparseLu {
  n: number;
  pattern: Uint8Array;
  outside: Int32Array;
  outsideCount = 0;
  perm: Int32Array;
  lStart: Int32Array;
  lRow: Int32Array;
  lRowStart: Int32Array;
  lCol: Int32Array;
  uStart: Int32Array;
  uCol: Int32Array;
  fillDst: Int32Array;
  fillSrc: Int32Array;
  fillCount = 0;
  lRowPos: Int32Array;
  lVal: Float64Array;
  uVal: Float64Array;
  diagInv: Float64Array;
  nextPos: Int32Array;
  work: Uint8Array;
  remaining: Uint8Array;
  x: Float64Array;

  constructor(n: number) {
    this.n = n;
    this.pattern = new Uint8Array(n * n);
    this.outside = new Int32Array(n * n);
    this.perm = new Int32Array(n);
    this.lStart = new Int32Array(n + 1);
    this.lRow = new Int32Array(n * n);
    this.lRowPos = new Int32Array(n * n);
    this.lVal = new Float64Array(n * n);
    this.uVal = new Float64Array(n * n);
    this.diagInv = new Float64Array(n);
    this.nextPos = new Int32Array(n);
    this.lRowStart = new Int32Array(n + 1);
    this.lCol = new Int32Array(n * n);
    this.uStart = new Int32Array(n + 1);
    this.uCol = new Int32Array(n * n);
    this.fillDst = new Int32Array(n * n);
    this.fillSrc = new Int32Array(n * n);
    this.work = new Uint8Array(n * n);
    this.remaining = new Uint8Array(n);
    this.x = new Float64Array(n);
    for (let i = 0; i < n; i++) this.pattern[i * n + i] = 1;
    this.analyse();
  }

  update(m: Float64Array): void {
    const pattern = this.pattern, outside = this.outside, count = this.outsideCount;
    let grown = false;
    for (let t = 0; t < count; t++) {
      const k = outside[t];
      if (m[k] != 0.0) {
        pattern[k] = 1;
        grown = true;
      }
    }
    if (grown) this.analyse();
  }

  analyse(): void {
    const n = this.n, work = this.work, remaining = this.remaining;
    let outsideCount = 0;
    for (let k = 0; k < n * n; k++) {
      const inside = this.pattern[k];
      work[k] = inside;
      if (!inside) this.outside[outsideCount++] = k;
    }
    this.outsideCount = outsideCount;
    for (let i = 0; i < n; i++) remaining[i] = 1;
    for (let k = 0; k < n; k++) {
      let best = -1;
      let bestCost = 2147483647;
      for (let c = 0; c < n; c++) {
        if (!remaining[c]) continue;
        let r = 0, s = 0;
        for (let j = 0; j < n; j++) {
          if (j == c || !remaining[j]) continue;
          if (work[c * n + j]) r++;
          if (work[j * n + c]) s++;
        }
        if (r * s < bestCost) {
          bestCost = r * s;
          best = c;
        }
      }
      this.perm[k] = best;
      remaining[best] = 0;
      for (let i = 0; i < n; i++) {
        if (!remaining[i] || !work[i * n + best]) continue;
        for (let j = 0; j < n; j++) {
          if (remaining[j] && work[best * n + j]) work[i * n + j] = 1;
        }
      }
    }
    const perm = this.perm;
    let nl = 0, nlr = 0, nu = 0, nf = 0;
    for (let k = 0; k < n; k++) {
      this.lStart[k] = nl;
      this.lRowStart[k] = nlr;
      this.uStart[k] = nu;
      const pk = perm[k];
      for (let m = 0; m < n; m++) {
        const pm = perm[m];
        if (m > k && work[pm * n + pk]) this.lRow[nl++] = m;
        if (m < k && work[pk * n + pm]) this.lCol[nlr++] = m;
        if (m > k && work[pk * n + pm]) this.uCol[nu++] = m;
        if (work[pk * n + pm]) {
          this.fillDst[nf] = k * n + m;
          this.fillSrc[nf] = pk * n + pm;
          nf++;
        }
      }
    }
    this.lStart[n] = nl;
    this.lRowStart[n] = nlr;
    this.uStart[n] = nu;
    this.fillCount = nf;
    const next = this.nextPos;
    for (let m = 0; m < n; m++) next[m] = this.lRowStart[m];
    for (let k = 0; k < n; k++) {
      for (let t = this.lStart[k]; t < this.lStart[k + 1]; t++) {
        const m = this.lRow[t];
        this.lRowPos[t] = next[m];
        next[m] += 1;
      }
    }
  }

  build(a: Float64Array, m: Float64Array, c: number): void {
    const n = this.n, fillDst = this.fillDst, fillSrc = this.fillSrc;
    for (let t = 0; t < this.fillCount; t++) a[fillDst[t]] = -m[fillSrc[t]];
    for (let k = 0; k < n; k++) a[k * n + k] += c;
  }

  factor(a: Float64Array): boolean {
    const n = this.n, lStart = this.lStart, lRow = this.lRow, uStartA = this.uStart, uCol = this.uCol;
    for (let k = 0; k < n; k++) {
      const pivot = a[k * n + k];
      const start = lStart[k];
      const end = lStart[k + 1];
      let big = 0.0;
      for (let t = start; t < end; t++) big = Math.max(big, Math.abs(a[lRow[t] * n + k]));
      if (pivot == 0.0 || !Number.isFinite(pivot) || !(Math.abs(pivot) >= SPARSE_PIVOT_THRESHOLD * big)) return false;
      const inv = 1.0 / pivot;
      this.diagInv[k] = inv;
      const uStart = uStartA[k];
      const uEnd = uStartA[k + 1];
      for (let s = uStart; s < uEnd; s++) this.uVal[s] = a[k * n + uCol[s]];
      for (let t = start; t < end; t++) {
        const row = lRow[t] * n;
        const l = a[row + k] * inv;
        a[row + k] = l;
        this.lVal[this.lRowPos[t]] = l;
        if (l != 0.0) {
          for (let s = uStart; s < uEnd; s++) {
            const j = uCol[s];
            a[row + j] -= l * a[k * n + j];
          }
        }
      }
    }
    return true;
  }

  solve(a: Float64Array, b: Float64Array): void {
    const n = this.n, x = this.x, perm = this.perm, lRowStart = this.lRowStart, lCol = this.lCol, uStart = this.uStart, uCol = this.uCol;
    const lVal = this.lVal, uVal = this.uVal, diagInv = this.diagInv;
    for (let i = 0; i < n; i++) {
      let s = b[perm[i]];
      const end = lRowStart[i + 1];
      for (let t = lRowStart[i]; t < end; t++) s -= lVal[t] * x[lCol[t]];
      x[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i];
      const end = uStart[i + 1];
      for (let t = uStart[i]; t < end; t++) s -= uVal[t] * x[uCol[t]];
      x[i] = s * diagInv[i];
    }
    for (let k = 0; k < n; k++) b[perm[k]] = x[k];
  }
}

/** v += a·x over the first n entries (integrator.ts addScaled). */
function addScaled(n: number, v: Float64Array, a: number, x: Float64Array): void {
  for (let i = 0; i < n; i++) v[i] += a * x[i];
}

// ---- models/testset.ts ----------------------------------------------------------
const ROBER_K1 = 0.04;
const ROBER_K2 = 3e7;
const ROBER_K3 = 1e4;

function roberRhs(y: Float64Array, dy: Float64Array): void {
  const y1 = y[0], y2 = y[1], y3 = y[2];
  const a = ROBER_K1 * y1, b = ROBER_K3 * y2 * y3, c = ROBER_K2 * y2 * y2;
  dy[0] = -a + b;
  dy[1] = a - b - c;
  dy[2] = c;
}

function roberJac(y: Float64Array, jac: Float64Array): void {
  const y2 = y[1], y3 = y[2];
  jac[0] = -ROBER_K1;
  jac[1] = ROBER_K3 * y3;
  jac[2] = ROBER_K3 * y2;
  jac[3] = ROBER_K1;
  jac[4] = -ROBER_K3 * y3 - 2.0 * ROBER_K2 * y2;
  jac[5] = -ROBER_K3 * y2;
  jac[6] = 0.0;
  jac[7] = 2.0 * ROBER_K2 * y2;
  jac[8] = 0.0;
}

function hiresRhs(y: Float64Array, dy: Float64Array): void {
  const y1 = y[0], y2 = y[1], y3 = y[2], y4 = y[3];
  const y5 = y[4], y6 = y[5], y7 = y[6], y8 = y[7];
  dy[0] = -1.71 * y1 + 0.43 * y2 + 8.32 * y3 + 0.0007;
  dy[1] = 1.71 * y1 - 8.75 * y2;
  dy[2] = -10.03 * y3 + 0.43 * y4 + 0.035 * y5;
  dy[3] = 8.32 * y2 + 1.71 * y3 - 1.12 * y4;
  dy[4] = -1.745 * y5 + 0.43 * y6 + 0.43 * y7;
  dy[5] = -280.0 * y6 * y8 + 0.69 * y4 + 1.71 * y5 - 0.43 * y6 + 0.69 * y7;
  dy[6] = 280.0 * y6 * y8 - 1.81 * y7;
  dy[7] = -280.0 * y6 * y8 + 1.81 * y7;
}

function hiresJac(y: Float64Array, jac: Float64Array): void {
  for (let i = 0; i < 64; i++) jac[i] = 0.0;
  const y6 = y[5], y8 = y[7];
  jac[0 * 8 + 0] = -1.71;
  jac[0 * 8 + 1] = 0.43;
  jac[0 * 8 + 2] = 8.32;
  jac[1 * 8 + 0] = 1.71;
  jac[1 * 8 + 1] = -8.75;
  jac[2 * 8 + 2] = -10.03;
  jac[2 * 8 + 3] = 0.43;
  jac[2 * 8 + 4] = 0.035;
  jac[3 * 8 + 1] = 8.32;
  jac[3 * 8 + 2] = 1.71;
  jac[3 * 8 + 3] = -1.12;
  jac[4 * 8 + 4] = -1.745;
  jac[4 * 8 + 5] = 0.43;
  jac[4 * 8 + 6] = 0.43;
  jac[5 * 8 + 3] = 0.69;
  jac[5 * 8 + 4] = 1.71;
  jac[5 * 8 + 5] = -280.0 * y8 - 0.43;
  jac[5 * 8 + 6] = 0.69;
  jac[5 * 8 + 7] = -280.0 * y6;
  jac[6 * 8 + 5] = 280.0 * y8;
  jac[6 * 8 + 6] = -1.81;
  jac[6 * 8 + 7] = 280.0 * y6;
  jac[7 * 8 + 5] = -280.0 * y8;
  jac[7 * 8 + 6] = 1.81;
  jac[7 * 8 + 7] = -280.0 * y6;
}

const VDPOL_EPS = 1e-6;

function vdpolRhs(y: Float64Array, dy: Float64Array): void {
  const y1 = y[0], y2 = y[1];
  dy[0] = y2;
  dy[1] = ((1.0 - y1 * y1) * y2 - y1) / VDPOL_EPS;
}

function vdpolJac(y: Float64Array, jac: Float64Array): void {
  const y1 = y[0], y2 = y[1];
  jac[0] = 0.0;
  jac[1] = 1.0;
  jac[2] = (-2.0 * y1 * y2 - 1.0) / VDPOL_EPS;
  jac[3] = (1.0 - y1 * y1) / VDPOL_EPS;
}

function rationalRhs(t: number, y: Float64Array, dy: Float64Array): void {
  const y1 = y[0], y2 = y[1];
  dy[0] = y2 / t;
  dy[1] = (y2 * (y1 + 2.0 * y2 - 1.0)) / (t * (y1 - 1.0));
}

function linearRhs(y: Float64Array, dy: Float64Array): void {
  const y1 = y[0], y2 = y[1];
  dy[0] = -y1 - 5.0 * y2;
  dy[1] = y1 + y2;
}

function linearJac(jac: Float64Array): void {
  jac[0] = -1.0;
  jac[1] = -5.0;
  jac[2] = 1.0;
  jac[3] = 1.0;
}

// ---- models/microbial.ts (pure parts) ----------------------------------------------

/** Inflow rate F(t) in L/h: constant, or exponential from MP_FEED_T0. */
function feedRate(t: number, p: Float64Array): number {
  const f0 = p[L.MP_FEED_RATE];
  const k = p[L.MP_FEED_EXP];
  if (f0 == 0.0 || k == 0.0) return f0;
  return f0 * asExp(k * (t - p[L.MP_FEED_T0]));
}

function microbialIsAutonomous(p: Float64Array): boolean {
  return p[L.MP_FEED_EXP] == 0.0 || p[L.MP_FEED_RATE] == 0.0;
}

function microbialBolus(y: Float64Array, p: Float64Array, volumeL: number): void {
  const v = y[L.MX_V];
  const vNew = v + volumeL;
  const keep = v / vNew;
  const sFeed = p[L.MP_FEED_S];
  y[L.MX_X] *= keep;
  y[L.MX_XD] *= keep;
  y[L.MX_S] = y[L.MX_S] * keep + (sFeed * volumeL) / vNew;
  y[L.MX_P] *= keep;
  if (p[L.MP_ON_OXYGEN] != 0.0) {
    y[L.MX_O2] = y[L.MX_O2] * keep + (p[L.MP_O2_SAT] * volumeL) / vNew;
  }
  y[L.MX_V] = vNew;
  y[L.MX_S_FED] += sFeed * volumeL;
}

// ---- model.ts (pure parts) ------------------------------------------------------

function modelStateCount(model: number): number {
  switch (model) {
    case L.MODEL_MICROBIAL: return L.MX_STATES;
    case L.MODEL_ROBER: return 3;
    case L.MODEL_HIRES: return 8;
    case L.MODEL_VDPOL: return 2;
    case L.MODEL_RATIONAL: return 2;
    case L.MODEL_LINEAR: return 2;
    case L.MODEL_CHO: return CHO_STATES;
    default: return 0;
  }
}

/**
 * Number of leading states that the dynamics depend on. The rest are quadratures
 * (cumulative amounts for balances): nothing depends on them, so the solver keeps
 * them out of the Newton matrix (docs/model.md §1.1).
 */
function modelDynamicCount(model: number): number {
  switch (model) {
    case L.MODEL_MICROBIAL: return L.MX_S_FED;
    case L.MODEL_CHO: return CHO_DYNAMIC;
    default: return modelStateCount(model);
  }
}

function modelDerivedCount(model: number): number {
  if (model == L.MODEL_MICROBIAL) return L.MX_DERIVED;
  if (model == L.MODEL_CHO) return L.CX_DERIVED;
  return 0;
}

/** Analytic Jacobians of the test-set models (nd = n); the CHO model's is TsCoreModule.modelJacobian. */
function testSetJacobian(model: number, y: Float64Array, jac: Float64Array): boolean {
  switch (model) {
    case L.MODEL_ROBER: roberJac(y, jac); return true;
    case L.MODEL_HIRES: hiresJac(y, jac); return true;
    case L.MODEL_VDPOL: vdpolJac(y, jac); return true;
    case L.MODEL_LINEAR: linearJac(jac); return true;
    default: return false;
  }
}

function modelIsAutonomous(model: number, p: Float64Array): boolean {
  if (model == L.MODEL_RATIONAL) return false;
  if (model == L.MODEL_MICROBIAL) return microbialIsAutonomous(p);
  if (model == L.MODEL_CHO) return choIsAutonomous(p);
  return true;
}

function modelIsNonNegative(model: number, i: number): boolean {
  if (model == L.MODEL_CHO) return choIsNonNegative(i);
  if (model != L.MODEL_MICROBIAL) return false;
  return i == L.MX_X || i == L.MX_XD || i == L.MX_S || i == L.MX_P || i == L.MX_O2 || i == L.MX_V;
}

/** A stop condition: the run stops where this falls through zero (Infinity: none). */
function modelStopValue(model: number, y: Float64Array, p: Float64Array): number {
  return model == L.MODEL_CHO ? choStopValue(y, p) : Infinity;
}

const EMPTY_F64 = new Float64Array(0);

/**
 * The core's module state and exported verbs (assembly/index.ts over integrator.ts).
 * Method names and return codes are those of the wasm exports.
 */
export class TsCoreModule implements RawCore {
  // ---- integrator.ts module state ----
  private model = -1;
  private solver = L.SOLVER_RODAS4;
  private n = 0;
  /** Leading states in the Newton matrix; states nd..n-1 are quadratures (docs/model.md §1.1). */
  private nd = 0;
  private prepared = false;
  private stopped = false;
  private t = 0.0;
  private h = 0.0;
  private hMax = Infinity;
  private maxSteps = 500000;
  private rtol = 1e-6;
  private errNorm = 0.0;
  private fatal = L.STATUS_OK;
  private f0Valid = false;
  private firstStep = true;
  private restart = true;
  private lastRejected = false;
  private fromStart = true;
  private errOld = 1.0;
  private hOld = 0.0;
  private facOld = 1e-4;
  private tOld = 0.0;
  private hDid = 0.0;
  private stepsThisCall = 0;
  // Switching functions (integrator.ts): values at the start and end of the step, scratch, the first crossing.
  private nSwitch = 0;
  private switchesLocked = false;
  private gStart = EMPTY_F64;
  private gEnd = EMPTY_F64;
  private gTmp = EMPTY_F64;
  private crossingSwitch = -1;
  private crossingTime = 0.0;

  readonly params = new Float64Array(L.MAX_PARAMS);
  readonly stats = new Float64Array(L.STAT_COUNT);
  y = EMPTY_F64;
  atol = EMPTY_F64;
  private ynew = EMPTY_F64;
  private f0 = EMPTY_F64;
  private ytmp = EMPTY_F64;
  private dy = EMPTY_F64;
  private fT = EMPTY_F64;
  private k1 = EMPTY_F64;
  private k2 = EMPTY_F64;
  private k3 = EMPTY_F64;
  private k4 = EMPTY_F64;
  private k5 = EMPTY_F64;
  private k6 = EMPTY_F64;
  private k7 = EMPTY_F64;
  private yDense = EMPTY_F64;
  private cont3 = EMPTY_F64;
  private cont4 = EMPTY_F64;
  private cont5 = EMPTY_F64;
  private yPrev = EMPTY_F64;
  private jac = EMPTY_F64;
  private wMat = EMPTY_F64;
  private piv = new Int32Array(0);
  private sparseLu = new SparseLu(0);
  private wDense = false;
  private nonNeg = new Uint8Array(0);
  private autonomous = true;
  private stageGammaH = 0.0;

  // Output grid: rows of [t, y[0..n), derived[0..m)].
  out = EMPTY_F64;
  private outCap = 0;
  outCount = 0;
  rowLen = 0;
  private nDerived = 0;
  private tOut0 = 0.0;
  private dtOut = 0.0;
  private outNext = 0;

  // Time events, kept sorted by time (stable).
  private evT = EMPTY_F64;
  private evValue = EMPTY_F64;
  private evKind = new Int32Array(0);
  private evIndex = new Int32Array(0);
  private evCap = 0;
  private evCount = 0;
  private evNext = 0;

  // models/microbial.ts: rates shared by the right-hand side and the derived outputs.
  private rMu = 0.0;
  private rQs = 0.0;
  private rQo = 0.0;
  private rOtr = 0.0;

  // models/cho.ts: its module globals (setupProblem, pH warm start, media, shared rates).
  private readonly cho = new TsCho();

  // ==== index.ts: the exported verbs ============================================

  coreVersion(): number {
    return L.CORE_ABI_VERSION;
  }

  /** The zone model (MODEL_CHO_ZONES) is not ported: no model here has a size. */
  setModelSize(_model: number, _size: number): number {
    return L.STATUS_BAD_SETUP;
  }

  /** Not ported (only models with a declared pattern differ from the solver's own differences). */
  evaluateDifferences(_byGroups: number): number {
    return 0;
  }

  jacobianGroups(): number {
    return 0;
  }

  /** Checkpoints of shared prefixes are not ported: runs always start afresh. */
  enableCheckpoints(): number {
    return L.STATUS_BAD_SETUP;
  }

  checkpointCount(): number {
    return 0;
  }

  checkpointTime(_k: number): number {
    return NaN;
  }

  restoreCheckpoint(_k: number): number {
    return -1;
  }

  /** Why the last run's setup failed (models/cho.ts SETUP_* codes; 0 = no problem). */
  setupProblem(): number {
    return this.cho.setupProblem;
  }

  // Views for engine/core-bridge.ts (the wasm core makes them over memory.buffer).
  stateView(): Float64Array {
    return this.y.subarray(0, this.stateCount());
  }

  outputView(): Float64Array {
    return this.out.subarray(0, this.outputCount() * this.outputWidth());
  }

  statsView(): Float64Array {
    return this.stats;
  }

  derivativeView(): Float64Array {
    return this.dy.subarray(0, this.stateCount());
  }

  jacobianView(columns: number): Float64Array {
    return this.jac.subarray(0, this.stateCount() * columns);
  }

  init(model: number, solver: number, outCapacity: number, eventCapacity: number): number {
    this.cho.derivedRates = true;
    return this.allocate(model | 0, solver | 0, outCapacity | 0, eventCapacity | 0);
  }

  setDerivedRates(on: number): void {
    this.cho.derivedRates = on != 0;
  }

  setParam(index: number, value: number): number {
    index |= 0;
    if (index < 0 || index >= L.MAX_PARAMS) return L.STATUS_BAD_SETUP;
    this.params[index] = value;
    this.invalidate();
    return L.STATUS_OK;
  }

  getParam(index: number): number {
    index |= 0;
    return index >= 0 && index < L.MAX_PARAMS ? this.params[index] : NaN;
  }

  setState(index: number, value: number): number {
    index |= 0;
    if (index < 0 || index >= this.n) return L.STATUS_BAD_SETUP;
    this.y[index] = value;
    this.invalidate();
    return L.STATUS_OK;
  }

  getState(index: number): number {
    index |= 0;
    return index >= 0 && index < this.n ? this.y[index] : NaN;
  }

  setTime(t0: number): void {
    this.t = t0;
    this.resetHistory();
  }

  time(): number {
    return this.t;
  }

  setTolerances(relTol: number, absTol: number): void {
    this.rtol = relTol;
    for (let i = 0; i < this.n; i++) this.atol[i] = absTol;
  }

  setAbsTol(index: number, absTol: number): number {
    index |= 0;
    if (index < 0 || index >= this.n) return L.STATUS_BAD_SETUP;
    this.atol[index] = absTol;
    return L.STATUS_OK;
  }

  setStepControl(h0: number, hMaximum: number, maxStepsPerAdvance: number): void {
    maxStepsPerAdvance |= 0;
    this.h = h0 > 0.0 ? h0 : 0.0;
    this.hMax = hMaximum > 0.0 ? hMaximum : Infinity;
    this.maxSteps = maxStepsPerAdvance > 0 ? maxStepsPerAdvance : 500000;
  }

  setOutputGrid(t0: number, dt: number): void {
    this.tOut0 = t0;
    this.dtOut = dt;
    this.outNext = 0;
    this.outCount = 0;
  }

  /** Adds a time event, kept in time order (stable for equal times). */
  addEvent(time: number, kind: number, index: number, value: number): number {
    kind |= 0;
    index |= 0;
    if (this.evCount >= this.evCap || !Number.isFinite(time)) return L.STATUS_BAD_SETUP;
    if (kind == L.EVENT_SET_PARAM && (index < 0 || index >= L.MAX_PARAMS)) return L.STATUS_BAD_SETUP;
    if (kind == L.EVENT_SET_STATE && (index < 0 || index >= this.n)) return L.STATUS_BAD_SETUP;
    const evT = this.evT, evValue = this.evValue, evKind = this.evKind, evIndex = this.evIndex;
    let i = this.evCount;
    while (i > this.evNext && evT[i - 1] > time) {
      evT[i] = evT[i - 1];
      evValue[i] = evValue[i - 1];
      evKind[i] = evKind[i - 1];
      evIndex[i] = evIndex[i - 1];
      i--;
    }
    evT[i] = time;
    evValue[i] = value;
    evKind[i] = kind;
    evIndex[i] = index;
    this.evCount++;
    return L.STATUS_OK;
  }

  advanceTo(t: number): number {
    return this.advance(t);
  }

  writeCurrentRow(): void {
    this.writeRow(this.t, this.y);
  }

  /** Port of evaluateRhs: f(t, y) at the current time and state into dy; a status. */
  evaluateRhs(): number {
    if (this.model < 0 || !this.prepared) return L.STATUS_BAD_SETUP;
    return this.rhsUncounted(this.t, this.y, this.dy);
  }

  /** Port of evaluateJacobian: the analytic Jacobian into jac; nd, or 0 if the model has none. */
  evaluateJacobian(): number {
    if (this.model < 0 || !this.prepared) return 0;
    return this.modelJacobian(this.t, this.y, this.params, this.jac, this.nd) ? this.nd : 0;
  }

  stateCount(): number {
    return this.n;
  }

  outputWidth(): number {
    return this.rowLen;
  }

  outputCount(): number {
    return this.outCount;
  }

  // ==== integrator.ts ===========================================================

  /** Allocates every buffer for `modelId`; called by `init`, once per run. */
  private allocate(modelId: number, solverId: number, outCapacity: number, eventCapacity: number): number {
    const size = modelStateCount(modelId);
    if (size == 0 || (solverId != L.SOLVER_RODAS4 && solverId != L.SOLVER_DOPRI5) || outCapacity < 0 || eventCapacity < 0) {
      this.model = -1;
      this.fatal = L.STATUS_BAD_SETUP;
      return L.STATUS_BAD_SETUP;
    }
    const n = size;
    this.model = modelId;
    this.solver = solverId;
    this.n = n;
    const nd = modelDynamicCount(modelId);
    this.nd = nd;
    this.nDerived = modelDerivedCount(modelId);
    this.rowLen = 1 + n + this.nDerived;
    this.y = new Float64Array(n);
    this.atol = new Float64Array(n);
    this.ynew = new Float64Array(n);
    this.f0 = new Float64Array(n);
    this.ytmp = new Float64Array(n);
    this.dy = new Float64Array(n);
    this.fT = new Float64Array(n);
    this.k1 = new Float64Array(n);
    this.k2 = new Float64Array(n);
    this.k3 = new Float64Array(n);
    this.k4 = new Float64Array(n);
    this.k5 = new Float64Array(n);
    this.k6 = new Float64Array(n);
    this.k7 = new Float64Array(n);
    this.yDense = new Float64Array(n);
    this.cont3 = new Float64Array(n);
    this.cont4 = new Float64Array(n);
    this.cont5 = new Float64Array(n);
    this.yPrev = new Float64Array(n);
    this.jac = new Float64Array(n * nd); // rows: every state; columns: the dynamic ones
    this.wMat = new Float64Array(nd * nd);
    this.piv = new Int32Array(nd);
    this.sparseLu = new SparseLu(nd);
    this.nonNeg = new Uint8Array(n);
    this.nSwitch = modelId == L.MODEL_CHO ? CHO_SWITCH_FUNCTIONS : 0;
    this.gStart = new Float64Array(this.nSwitch);
    this.gEnd = new Float64Array(this.nSwitch);
    this.gTmp = new Float64Array(this.nSwitch);
    for (let i = 0; i < n; i++) {
      this.nonNeg[i] = modelIsNonNegative(modelId, i) ? 1 : 0;
      this.atol[i] = 1e-9;
    }
    for (let i = 0; i < L.MAX_PARAMS; i++) this.params[i] = 0.0;
    for (let i = 0; i < L.STAT_COUNT; i++) this.stats[i] = 0.0;
    this.out = new Float64Array(outCapacity * this.rowLen);
    this.outCap = outCapacity;
    this.outCount = 0;
    this.outNext = 0;
    this.tOut0 = 0.0;
    this.dtOut = 0.0;
    this.evT = new Float64Array(eventCapacity);
    this.evValue = new Float64Array(eventCapacity);
    this.evKind = new Int32Array(eventCapacity);
    this.evIndex = new Int32Array(eventCapacity);
    this.evCap = eventCapacity;
    this.evCount = 0;
    this.evNext = 0;
    this.t = 0.0;
    this.h = 0.0;
    this.hMax = Infinity;
    this.maxSteps = 500000;
    this.rtol = 1e-6;
    this.fatal = L.STATUS_OK;
    this.prepared = false;
    this.stopped = false;
    this.resetHistory();
    // As in the core, tOld, hDid, hOld, errNorm and autonomous survive an init.
    return L.STATUS_OK;
  }

  /** Forgets derivative and controller history: after a jump in state or parameters. */
  private resetHistory(): void {
    this.f0Valid = false;
    this.restart = true;
    this.switchesLocked = false; // the model unlocks its branches in paramsChanged
    if (this.model == L.MODEL_CHO) this.cho.paramsChanged();
    this.firstStep = true;
    this.lastRejected = false;
    this.errOld = 1.0;
    this.facOld = 1e-4;
  }

  /** Marks the state or parameters as changed from outside: the next step restarts cleanly. */
  private invalidate(): void {
    this.resetHistory();
  }

  // ---- helpers ----------------------------------------------------------------

  private timeEps(tt: number): number {
    return 8.0 * UROUND * Math.max(1.0, Math.abs(tt));
  }

  /** f(t, y) into dd, counted; returns a status (model.ts modelRhs). */
  private rhs(tt: number, yy: Float64Array, dd: Float64Array): number {
    this.stats[L.STAT_RHS_EVALS] += 1.0;
    return this.rhsUncounted(tt, yy, dd);
  }

  /** model.ts modelRhs: f(t, y) into dd; returns a status. */
  private rhsUncounted(tt: number, yy: Float64Array, dd: Float64Array): number {
    switch (this.model) {
      case L.MODEL_MICROBIAL: return this.microbialRhs(tt, yy, dd, this.params);
      case L.MODEL_CHO: return this.cho.rhs(tt, yy, dd, this.params);
      case L.MODEL_ROBER: roberRhs(yy, dd); break;
      case L.MODEL_HIRES: hiresRhs(yy, dd); break;
      case L.MODEL_VDPOL: vdpolRhs(yy, dd); break;
      case L.MODEL_RATIONAL: rationalRhs(tt, yy, dd); break;
      case L.MODEL_LINEAR: linearRhs(yy, dd); break;
    }
    return L.STATUS_OK;
  }

  private fail(code: number): number {
    this.fatal = code;
    this.stats[L.STAT_FAIL_TIME] = this.t;
    return code;
  }

  /** Weighted RMS norm of `e` with weights atol + rtol·max(|y|, |ynew|). */
  private errorNorm(e: Float64Array): number {
    const n = this.n, atol = this.atol, y = this.y, ynew = this.ynew, rtol = this.rtol;
    let sum = 0.0;
    for (let i = 0; i < n; i++) {
      const sk = atol[i] + rtol * Math.max(Math.abs(y[i]), Math.abs(ynew[i]));
      const r = e[i] / sk;
      sum += r * r;
    }
    return Math.sqrt(sum / n);
  }

  /** Hairer's starting step estimate (hinit in dopri5.f) for a method of order `order`. */
  private initialStep(order: number): number {
    const n = this.n, atol = this.atol, y = this.y, f0 = this.f0, ytmp = this.ytmp, dy = this.dy, rtol = this.rtol;
    let dnf = 0.0, dny = 0.0;
    for (let i = 0; i < n; i++) {
      const sk = atol[i] + rtol * Math.abs(y[i]);
      dnf += (f0[i] / sk) * (f0[i] / sk);
      dny += (y[i] / sk) * (y[i] / sk);
    }
    let h0 = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
    h0 = Math.min(h0, this.hMax);
    for (let i = 0; i < n; i++) ytmp[i] = y[i] + h0 * f0[i];
    if (this.rhs(this.t + h0, ytmp, dy) != L.STATUS_OK) return h0 * 1e-3;
    let der2 = 0.0;
    for (let i = 0; i < n; i++) {
      const sk = atol[i] + rtol * Math.abs(y[i]);
      const d = (dy[i] - f0[i]) / sk;
      der2 += d * d;
    }
    der2 = Math.sqrt(der2) / h0;
    const der12 = Math.max(Math.abs(der2), Math.sqrt(dnf));
    const h1 = der12 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : asPow(0.01 / der12, 1.0 / order);
    return Math.min(Math.min(100.0 * h0, h1), this.hMax);
  }

  /** Jacobian (analytic or forward differences, Hairer's increments) and df/dt at (t, y). */
  private prepareJacobian(): number {
    const n = this.n, nd = this.nd, y = this.y, dy = this.dy, f0 = this.f0, jac = this.jac;
    this.stats[L.STAT_JAC_EVALS] += 1.0;
    if (!this.modelJacobian(this.t, y, this.params, jac, nd)) {
      for (let j = 0; j < nd; j++) {
        const yj = y[j];
        const delta = Math.sqrt(UROUND * Math.max(1e-5, Math.abs(yj)));
        y[j] = yj + delta;
        const st = this.rhs(this.t, y, dy);
        y[j] = yj;
        if (st != L.STATUS_OK) return st;
        const invDelta = 1.0 / delta;
        for (let i = 0; i < n; i++) jac[i * nd + j] = (dy[i] - f0[i]) * invDelta;
      }
    }
    this.sparseLu.update(jac);
    this.autonomous = modelIsAutonomous(this.model, this.params);
    if (!this.autonomous) {
      const delta = Math.sqrt(UROUND * Math.max(1e-5, Math.abs(this.t)));
      const st = this.rhs(this.t + delta, y, dy);
      if (st != L.STATUS_OK) return st;
      const fT = this.fT;
      for (let i = 0; i < n; i++) fT[i] = (dy[i] - f0[i]) / delta;
    }
    return L.STATUS_OK;
  }

  // ---- Rodas4 ----------------------------------------------------------------

  /**
   * Solves W k = b in place for W = I/(γh) - J. J has zero columns for the quadrature
   * states, so W is block lower-triangular: LU on the dynamic block, then
   * k_q = γh (b_q + J_qd k_d) for the quadratures.
   */
  private solveStage(b: Float64Array): void {
    const n = this.n, nd = this.nd, jac = this.jac, gh = this.stageGammaH;
    if (this.wDense) luSolve(this.wMat, this.piv, nd, b);
    else this.sparseLu.solve(this.wMat, b);
    for (let i = nd; i < n; i++) {
      let s = b[i];
      for (let j = 0; j < nd; j++) s += jac[i * nd + j] * b[j];
      b[i] = gh * s;
    }
  }

  /** One Rodas4 attempt of size hh from (t, y): ynew, errNorm and the dense coefficients. */
  private rodasAttempt(hh: number): number {
    const n = this.n, nd = this.nd, t = this.t, y = this.y, ynew = this.ynew, ytmp = this.ytmp, dy = this.dy;
    const f0 = this.f0, fT = this.fT, jac = this.jac, wMat = this.wMat, piv = this.piv;
    const k1 = this.k1, k2 = this.k2, k3 = this.k3, k4 = this.k4, k5 = this.k5, k6 = this.k6;
    const fac = 1.0 / (R_GAMMA * hh);
    this.stats[L.STAT_LU_DECOMPS] += 1.0;
    this.sparseLu.build(wMat, jac, fac);
    this.wDense = !this.sparseLu.factor(wMat);
    if (this.wDense) {
      for (let i = 0; i < nd * nd; i++) wMat[i] = -jac[i];
      for (let i = 0; i < nd; i++) wMat[i * nd + i] += fac;
      if (!luFactor(wMat, piv, nd)) return ATTEMPT_SINGULAR;
    }
    this.stageGammaH = R_GAMMA * hh;
    const autonomous = this.autonomous;
    const inv = 1.0 / hh;
    // stage 1 (the ∂f/∂t terms only for a non-autonomous right-hand side)
    for (let i = 0; i < n; i++) k1[i] = f0[i];
    if (!autonomous) addScaled(n, k1, hh * R_D1, fT);
    this.solveStage(k1);
    // stage 2
    for (let i = 0; i < nd; i++) ytmp[i] = y[i] + R_A21 * k1[i]; // stages 2-4: dynamic states only
    if (this.rhs(t + R_C2 * hh, ytmp, dy) != L.STATUS_OK) return ATTEMPT_RHS;
    if (!autonomous) addScaled(n, dy, hh * R_D2, fT);
    for (let i = 0; i < n; i++) k2[i] = dy[i] + R_C21 * k1[i] * inv;
    this.solveStage(k2);
    // stage 3
    for (let i = 0; i < nd; i++) ytmp[i] = y[i] + R_A31 * k1[i] + R_A32 * k2[i];
    if (this.rhs(t + R_C3 * hh, ytmp, dy) != L.STATUS_OK) return ATTEMPT_RHS;
    if (!autonomous) addScaled(n, dy, hh * R_D3, fT);
    for (let i = 0; i < n; i++) {
      k3[i] = dy[i] + (R_C31 * k1[i] + R_C32 * k2[i]) * inv;
    }
    this.solveStage(k3);
    // stage 4
    for (let i = 0; i < nd; i++) ytmp[i] = y[i] + R_A41 * k1[i] + R_A42 * k2[i] + R_A43 * k3[i];
    if (this.rhs(t + R_C4 * hh, ytmp, dy) != L.STATUS_OK) return ATTEMPT_RHS;
    if (!autonomous) addScaled(n, dy, hh * R_D4, fT);
    for (let i = 0; i < n; i++) {
      k4[i] = dy[i] + (R_C41 * k1[i] + R_C42 * k2[i] + R_C43 * k3[i]) * inv;
    }
    this.solveStage(k4);
    // stage 5
    for (let i = 0; i < n; i++) {
      ytmp[i] = y[i] + R_A51 * k1[i] + R_A52 * k2[i] + R_A53 * k3[i] + R_A54 * k4[i];
    }
    if (this.rhs(t + hh, ytmp, dy) != L.STATUS_OK) return ATTEMPT_RHS;
    for (let i = 0; i < n; i++) {
      k5[i] = dy[i] + (R_C51 * k1[i] + R_C52 * k2[i] + R_C53 * k3[i] + R_C54 * k4[i]) * inv;
    }
    this.solveStage(k5);
    // stage 6: its solution is the embedded error estimate
    for (let i = 0; i < n; i++) ytmp[i] += k5[i];
    if (this.rhs(t + hh, ytmp, dy) != L.STATUS_OK) return ATTEMPT_RHS;
    for (let i = 0; i < n; i++) {
      k6[i] = dy[i] + (R_C61 * k1[i] + R_C62 * k2[i] + R_C63 * k3[i] + R_C64 * k4[i] + R_C65 * k5[i]) * inv;
    }
    this.solveStage(k6);
    for (let i = 0; i < n; i++) ynew[i] = ytmp[i] + k6[i];
    this.errNorm = this.errorNorm(k6);
    return ATTEMPT_OK;
  }

  private rodasPrepareDense(): void {
    const n = this.n, cont3 = this.cont3, cont4 = this.cont4;
    const k1 = this.k1, k2 = this.k2, k3 = this.k3, k4 = this.k4, k5 = this.k5;
    for (let i = 0; i < n; i++) {
      cont3[i] = R_D21 * k1[i] + R_D22 * k2[i] + R_D23 * k3[i] + R_D24 * k4[i] + R_D25 * k5[i];
      cont4[i] = R_D31 * k1[i] + R_D32 * k2[i] + R_D33 * k3[i] + R_D34 * k4[i] + R_D35 * k5[i];
    }
  }

  /** Gustafsson's predictive controller as in rodas.f; returns the proposed next step. */
  private rodasAcceptedStep(hh: number): number {
    const errNorm = this.errNorm;
    const growMax = this.fromStart ? FIRST_STEP_GROW_MAX : RODAS_GROW_MAX;
    let fac = Math.max(1.0 / growMax, Math.min(SHRINK_MAX, asPow(errNorm, 0.25) / SAFETY));
    if (!this.firstStep) {
      let facPred = ((this.hOld / hh) * asPow((errNorm * errNorm) / this.errOld, 0.25)) / SAFETY;
      facPred = Math.max(1.0 / growMax, Math.min(SHRINK_MAX, facPred));
      fac = Math.max(fac, facPred);
    }
    this.firstStep = false;
    this.hOld = hh;
    this.errOld = Math.max(0.01, errNorm);
    let hNew = hh / fac;
    if (this.lastRejected) hNew = Math.min(hNew, hh);
    return hNew;
  }

  // ---- DOPRI5 ------------------------------------------------------------------

  private dopriAttempt(hh: number): number {
    const n = this.n, t = this.t, y = this.y, ynew = this.ynew, ytmp = this.ytmp, f0 = this.f0;
    const k2 = this.k2, k3 = this.k3, k4 = this.k4, k5 = this.k5, k6 = this.k6, k7 = this.k7;
    // k1 = f0 (first same as last)
    for (let i = 0; i < n; i++) ytmp[i] = y[i] + hh * P_A21 * f0[i];
    if (this.rhs(t + P_C2 * hh, ytmp, k2) != L.STATUS_OK) return ATTEMPT_RHS;
    for (let i = 0; i < n; i++) ytmp[i] = y[i] + hh * (P_A31 * f0[i] + P_A32 * k2[i]);
    if (this.rhs(t + P_C3 * hh, ytmp, k3) != L.STATUS_OK) return ATTEMPT_RHS;
    for (let i = 0; i < n; i++) ytmp[i] = y[i] + hh * (P_A41 * f0[i] + P_A42 * k2[i] + P_A43 * k3[i]);
    if (this.rhs(t + P_C4 * hh, ytmp, k4) != L.STATUS_OK) return ATTEMPT_RHS;
    for (let i = 0; i < n; i++) {
      ytmp[i] = y[i] + hh * (P_A51 * f0[i] + P_A52 * k2[i] + P_A53 * k3[i] + P_A54 * k4[i]);
    }
    if (this.rhs(t + P_C5 * hh, ytmp, k5) != L.STATUS_OK) return ATTEMPT_RHS;
    for (let i = 0; i < n; i++) {
      ytmp[i] = y[i] + hh * (P_A61 * f0[i] + P_A62 * k2[i] + P_A63 * k3[i] + P_A64 * k4[i] + P_A65 * k5[i]);
    }
    if (this.rhs(t + hh, ytmp, k6) != L.STATUS_OK) return ATTEMPT_RHS;
    for (let i = 0; i < n; i++) {
      ynew[i] = y[i] + hh * (P_A71 * f0[i] + P_A73 * k3[i] + P_A74 * k4[i] + P_A75 * k5[i] + P_A76 * k6[i]);
    }
    if (this.rhs(t + hh, ynew, k7) != L.STATUS_OK) return ATTEMPT_RHS;
    for (let i = 0; i < n; i++) {
      ytmp[i] = hh * (P_E1 * f0[i] + P_E3 * k3[i] + P_E4 * k4[i] + P_E5 * k5[i] + P_E6 * k6[i] + P_E7 * k7[i]);
    }
    this.errNorm = this.errorNorm(ytmp);
    return ATTEMPT_OK;
  }

  private dopriPrepareDense(hh: number): void {
    const n = this.n, y = this.y, ynew = this.ynew, f0 = this.f0;
    const k3 = this.k3, k4 = this.k4, k5 = this.k5, k6 = this.k6, k7 = this.k7;
    const cont3 = this.cont3, cont4 = this.cont4, cont5 = this.cont5;
    for (let i = 0; i < n; i++) {
      const yd = ynew[i] - y[i];
      const bspl = hh * f0[i] - yd;
      cont3[i] = bspl;
      cont4[i] = yd - hh * k7[i] - bspl;
      cont5[i] = hh * (P_D1 * f0[i] + P_D3 * k3[i] + P_D4 * k4[i] + P_D5 * k5[i] + P_D6 * k6[i] + P_D7 * k7[i]);
    }
  }

  /** PI controller of dopri5.f; returns the proposed next step. */
  private dopriAcceptedStep(hh: number): number {
    const fac11 = asPow(this.errNorm, 0.2 - DOPRI_BETA * 0.75);
    let fac = fac11 / asPow(this.facOld, DOPRI_BETA);
    fac = Math.max(1.0 / DOPRI_GROW_MAX, Math.min(SHRINK_MAX, fac / SAFETY));
    this.facOld = Math.max(this.errNorm, 1e-4);
    let hNew = hh / fac;
    if (this.lastRejected) hNew = Math.min(hNew, hh);
    return hNew;
  }

  private rejectedStep(hh: number): number {
    if (this.solver == L.SOLVER_RODAS4) {
      return hh / Math.max(1.0 / RODAS_GROW_MAX, Math.min(SHRINK_MAX, asPow(this.errNorm, 0.25) / SAFETY));
    }
    const fac11 = asPow(this.errNorm, 0.2 - DOPRI_BETA * 0.75);
    return hh / Math.min(SHRINK_MAX, fac11 / SAFETY);
  }

  /** The state at time `ts` inside the last accepted step, into `yDense`. */
  private denseAt(ts: number): void {
    const n = this.n, y = this.y, yPrev = this.yPrev, yDense = this.yDense, nonNeg = this.nonNeg;
    const cont3 = this.cont3, cont4 = this.cont4, cont5 = this.cont5;
    const s = (ts - this.tOld) / this.hDid;
    const s1 = 1.0 - s;
    if (this.solver == L.SOLVER_RODAS4) {
      for (let i = 0; i < n; i++) {
        yDense[i] = yPrev[i] * s1 + s * (y[i] + s1 * (cont3[i] + s * cont4[i]));
      }
    } else {
      for (let i = 0; i < n; i++) {
        const yd = y[i] - yPrev[i];
        yDense[i] = yPrev[i] + s * (yd + s1 * (cont3[i] + s * (cont4[i] + s1 * cont5[i])));
      }
    }
    for (let i = 0; i < n; i++) {
      if (nonNeg[i] && yDense[i] < 0.0) yDense[i] = 0.0;
    }
  }

  // ---- driver ------------------------------------------------------------------

  /** Port of derivativeNow. */
  private derivativeNow(): number {
    if (this.rhs(this.t, this.y, this.f0) != L.STATUS_OK) return this.fail(L.STATUS_RHS_FAILED);
    const n = this.n, f0 = this.f0, y = this.y;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(f0[i]) || !Number.isFinite(y[i])) return this.fail(L.STATUS_NON_FINITE);
    }
    this.f0Valid = true;
    return L.STATUS_OK;
  }

  /** Port of startStep. */
  private startStep(): number {
    const st = this.derivativeNow();
    const nSwitch = this.nSwitch;
    if (st != L.STATUS_OK || nSwitch == 0) return st;
    if (!this.switchesLocked) {
      this.cho.lockSwitches();
      this.switchesLocked = true;
    }
    const gStart = this.gStart;
    for (let pass = 0; pass <= nSwitch; pass++) {
      this.cho.switches(this.t, this.y, this.params, gStart);
      let q = 0;
      while (q < nSwitch && !(gStart[q] < 0.0)) q++;
      if (q == nSwitch) break;
      this.cho.crossSwitch(q);
      const again = this.derivativeNow();
      if (again != L.STATUS_OK) return again;
    }
    return L.STATUS_OK;
  }

  /** Takes one accepted step towards `tStop` (never past it), retrying smaller steps as needed. */
  private stepOnce(tStop: number): number {
    const n = this.n, nonNeg = this.nonNeg, ynew = this.ynew, atol = this.atol;
    if (!this.f0Valid) {
      const st = this.startStep();
      if (st != L.STATUS_OK) return st;
    }
    if (this.h <= 0.0) {
      this.h = this.initialStep(this.solver == L.SOLVER_RODAS4 ? 4.0 : 5.0);
    } else if (this.restart) {
      this.h = Math.min(this.h, this.initialStep(this.solver == L.SOLVER_RODAS4 ? 4.0 : 5.0));
    }
    if (this.restart) {
      this.fromStart = true;
      this.firstStep = true;
    }
    this.restart = false;
    if (this.solver == L.SOLVER_RODAS4) {
      if (this.prepareJacobian() != L.STATUS_OK) return this.fail(L.STATUS_RHS_FAILED);
    }
    let failures = 0;
    while (true) {
      if (this.stepsThisCall >= this.maxSteps) return this.fail(L.STATUS_TOO_MUCH_WORK);
      let hh = Math.min(this.h, this.hMax);
      let reachesStop = false;
      if (this.t + 1.01 * hh >= tStop) {
        hh = tStop - this.t;
        reachesStop = true;
      }
      if (!(hh > 16.0 * UROUND * Math.abs(this.t))) {
        if (reachesStop) {
          // The stop is closer than the time resolution: it has been reached.
          this.t = tStop;
          return L.STATUS_OK;
        }
        return this.fail(L.STATUS_STEP_TOO_SMALL);
      }
      this.stepsThisCall++;
      const r = this.solver == L.SOLVER_RODAS4 ? this.rodasAttempt(hh) : this.dopriAttempt(hh);
      let shrink = 0.0;
      if (r == ATTEMPT_RHS) {
        shrink = SHRINK_FAILED;
      } else if (r == ATTEMPT_SINGULAR) {
        shrink = SHRINK_NEGATIVE;
      } else if (!Number.isFinite(this.errNorm)) {
        shrink = SHRINK_FAILED;
      } else if (this.errNorm <= 1.0) {
        for (let i = 0; i < n; i++) {
          if (nonNeg[i] && ynew[i] < -atol[i]) {
            shrink = SHRINK_NEGATIVE;
            break;
          }
        }
        if (shrink == 0.0) {
          this.acceptStep(hh, reachesStop ? tStop : this.t + hh);
          return L.STATUS_OK;
        }
      }
      this.stats[L.STAT_REJECTED] += 1.0;
      if (shrink == 0.0) {
        this.h = this.rejectedStep(hh); // error test failed: ordinary rejection
      } else {
        failures++;
        if (failures > MAX_CONSECUTIVE_FAILURES) {
          if (r == ATTEMPT_RHS) return this.fail(L.STATUS_RHS_FAILED);
          if (r == ATTEMPT_SINGULAR) return this.fail(L.STATUS_SINGULAR);
          if (!Number.isFinite(this.errNorm)) return this.fail(L.STATUS_NON_FINITE);
          return this.fail(L.STATUS_STEP_TOO_SMALL);
        }
        this.h = hh * shrink;
      }
      this.lastRejected = true;
    }
  }

  private acceptStep(hh: number, tNew: number): void {
    const n = this.n, y = this.y, ynew = this.ynew, yPrev = this.yPrev, nonNeg = this.nonNeg;
    const hNext = this.solver == L.SOLVER_RODAS4 ? this.rodasAcceptedStep(hh) : this.dopriAcceptedStep(hh);
    if (this.solver == L.SOLVER_RODAS4) this.rodasPrepareDense();
    else this.dopriPrepareDense(hh);
    let clamped = false;
    for (let i = 0; i < n; i++) {
      yPrev[i] = y[i];
      let v = ynew[i];
      if (nonNeg[i] && v < 0.0) {
        v = 0.0;
        clamped = true;
      }
      y[i] = v;
    }
    if (this.solver == L.SOLVER_DOPRI5 && !clamped) {
      const f0 = this.f0, k7 = this.k7;
      for (let i = 0; i < n; i++) f0[i] = k7[i];
      this.f0Valid = true;
    } else {
      this.f0Valid = false;
    }
    this.tOld = this.t;
    this.hDid = hh;
    this.t = tNew;
    this.h = hNext;
    this.lastRejected = false;
    this.fromStart = false;
    this.stats[L.STAT_STEPS] += 1.0;
    this.stats[L.STAT_LAST_STEP] = hh;
  }

  private writeRow(tk: number, yy: Float64Array): void {
    if (this.outCount >= this.outCap) {
      this.stats[L.STAT_OUTPUT_DROPPED] += 1.0;
      return;
    }
    const n = this.n, out = this.out;
    const off = this.outCount * this.rowLen;
    out[off] = tk;
    for (let i = 0; i < n; i++) out[off + 1 + i] = yy[i];
    // model.ts modelDerived
    if (this.model == L.MODEL_MICROBIAL) this.microbialDerived(tk, yy, this.params, out, off + 1 + n);
    else if (this.model == L.MODEL_CHO) this.cho.derived(tk, yy, this.params, out, off + 1 + n);
    this.outCount++;
  }

  private gridTime(k: number): number {
    return this.tOut0 + k * this.dtOut;
  }

  /** Grid points inside the last step, from dense output. */
  private emitInsideStep(): void {
    if (this.dtOut <= 0.0) return;
    const limit = this.t - this.timeEps(this.t);
    while (this.gridTime(this.outNext) < limit) {
      const tk = this.gridTime(this.outNext);
      if (tk >= this.tOld) {
        this.denseAt(tk);
        this.writeRow(tk, this.yDense);
      }
      this.outNext++;
    }
  }

  /** Events due at the current time, then grid points at the current time (after the events). */
  private settleAtCurrentTime(): void {
    const eps = this.timeEps(this.t);
    while (this.evNext < this.evCount && this.evT[this.evNext] <= this.t + eps) {
      const kind = this.evKind[this.evNext];
      const index = this.evIndex[this.evNext];
      const value = this.evValue[this.evNext];
      if (kind == L.EVENT_SET_PARAM) this.params[index] = value;
      else if (kind == L.EVENT_SET_STATE) this.y[index] = value;
      else this.modelEvent(kind, index, value);
      this.evNext++;
      this.resetHistory();
    }
    if (this.dtOut <= 0.0) return;
    while (this.gridTime(this.outNext) <= this.t + eps) {
      const tk = this.gridTime(this.outNext);
      if (tk >= this.t - eps) this.writeRow(tk, this.y);
      this.outNext++;
    }
  }

  /**
   * Integrates to exactly `tTarget`, stopping at every event on the way and writing
   * every output grid point passed.
   */
  private advance(tTarget: number): number {
    if (this.fatal != L.STATUS_OK) return this.fatal;
    if (this.model < 0) return L.STATUS_BAD_SETUP;
    if (this.stopped) return L.STATUS_STOPPED;
    if (!(tTarget >= this.t - this.timeEps(this.t))) return this.fail(L.STATUS_BAD_SETUP);
    if (!this.prepared) {
      const st = this.modelPrepare();
      if (st != L.STATUS_OK) return this.fail(st);
      this.prepared = true;
    }
    this.stepsThisCall = 0;
    while (true) {
      this.settleAtCurrentTime();
      if (modelStopValue(this.model, this.y, this.params) < 0.0) {
        this.stopped = true;
        return L.STATUS_STOPPED;
      }
      if (this.t >= tTarget - this.timeEps(tTarget)) return L.STATUS_OK;
      let tStop = tTarget;
      if (this.evNext < this.evCount && this.evT[this.evNext] < tStop) tStop = this.evT[this.evNext];
      const r = this.stepOnce(tStop);
      if (r != L.STATUS_OK) return r;
      let crossing = -1;
      if (this.switchesLocked) {
        const st = this.firstCrossing();
        if (st != L.STATUS_OK) return st;
        crossing = this.crossingSwitch;
      }
      if (modelStopValue(this.model, this.y, this.params) < 0.0 && !(crossing >= 0 && this.stopValueAt(this.crossingTime) >= 0.0)) {
        this.stopInsideStep();
        this.stopped = true;
        return L.STATUS_STOPPED;
      }
      if (crossing >= 0) this.crossSwitch();
      if (this.hDid > 0.0 && this.tOld < this.t) this.emitInsideStep();
    }
  }

  /** Port of firstCrossing. */
  private firstCrossing(): number {
    this.crossingSwitch = -1;
    if (!this.f0Valid) {
      const st = this.derivativeNow();
      if (st != L.STATUS_OK) return st;
    }
    const gStart = this.gStart, gEnd = this.gEnd, nSwitch = this.nSwitch;
    this.cho.switches(this.t, this.y, this.params, gEnd);
    for (let q = 0; q < nSwitch; q++) {
      if (!(gEnd[q] < 0.0)) continue;
      const tq = this.locateCrossing(q, gStart[q], gEnd[q]);
      if (this.crossingSwitch < 0 || tq < this.crossingTime) {
        this.crossingSwitch = q;
        this.crossingTime = tq;
      }
    }
    if (this.crossingSwitch < 0) {
      for (let q = 0; q < nSwitch; q++) gStart[q] = gEnd[q];
    }
    return L.STATUS_OK;
  }

  /** Port of crossSwitch. */
  private crossSwitch(): void {
    this.stats[L.STAT_SWITCHES] += 1.0;
    if (this.crossingTime < this.t) {
      this.t = this.crossingTime;
      this.emitInsideStep();
      this.denseAt(this.crossingTime);
      const n = this.n, y = this.y, yDense = this.yDense;
      for (let i = 0; i < n; i++) y[i] = yDense[i];
    }
    this.cho.crossSwitch(this.crossingSwitch);
    this.f0Valid = false;
    this.restart = true;
  }

  private stopValueAt(ts: number): number {
    this.denseAt(ts);
    return modelStopValue(this.model, this.yDense, this.params);
  }

  /** Port of locateCrossing (Illinois on the dense output). */
  private locateCrossing(q: number, ga: number, gb: number): number {
    let a = this.tOld, b = this.t, fa = ga, fb = gb;
    if (!(fa >= 0.0)) return b;
    const tol = SWITCH_TIME_TOL * this.hDid + this.timeEps(b);
    let side = 0;
    for (let it = 0; it < MAX_SWITCH_ITERATIONS && b - a > tol; it++) {
      let m = b - (fb * (b - a)) / (fb - fa);
      if (!(m > a && m < b)) m = 0.5 * (a + b);
      this.denseAt(m);
      this.cho.switches(m, this.yDense, this.params, this.gTmp);
      const fm = this.gTmp[q];
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

  /** Port of stopInsideStep: bisection, grid rows from the full step's interpolant, then the move. */
  private stopInsideStep(): void {
    let lo = this.tOld, hi = this.t;
    for (let it = 0; it < 60 && hi - lo > this.timeEps(hi); it++) {
      const mid = 0.5 * (lo + hi);
      this.denseAt(mid);
      if (modelStopValue(this.model, this.yDense, this.params) >= 0.0) lo = mid;
      else hi = mid;
    }
    this.t = hi;
    this.emitInsideStep();
    this.denseAt(hi);
    const n = this.n, y = this.y, yDense = this.yDense;
    for (let i = 0; i < n; i++) y[i] = yDense[i];
    this.f0Valid = false;
  }

  // ==== model.ts (parts that use a model's module state) ===========================

  /** Applies a model event (bolus of medium `index`, sample, feed-on-demand check); others ignore it. */
  private modelEvent(kind: number, index: number, value: number): void {
    const y = this.y, p = this.params;
    if (this.model == L.MODEL_MICROBIAL) {
      if (kind == L.EVENT_BOLUS) microbialBolus(y, p, value);
    } else if (this.model == L.MODEL_CHO) {
      if (kind == L.EVENT_BOLUS) this.cho.bolus(y, p, index, value);
      else if (kind == L.EVENT_SAMPLE) this.cho.sample(y, value);
      else if (kind == L.EVENT_FEED_ON_DEMAND) this.cho.feedOnDemand(y, p, index);
    }
  }

  /** Completes the initial state before the first step; a status (BAD_SETUP with a problem code). */
  private modelPrepare(): number {
    return this.model == L.MODEL_CHO ? this.cho.prepare(this.y, this.params) : L.STATUS_OK;
  }

  /** Port of modelJacobian: the analytic Jacobian at (t, y) into jac (row stride nd), or false. */
  private modelJacobian(t: number, y: Float64Array, p: Float64Array, jac: Float64Array, nd: number): boolean {
    if (this.model == L.MODEL_CHO) return this.cho.jacobian(t, y, p, jac, nd);
    return testSetJacobian(this.model, y, jac);
  }

  // ==== models/microbial.ts (parts that use the shared rates) =====================

  private rates(y: Float64Array, p: Float64Array): void {
    const x = y[L.MX_X];
    const s = Math.max(y[L.MX_S], 0.0);
    const o = Math.max(y[L.MX_O2], 0.0);
    const oxygenOn = p[L.MP_ON_OXYGEN] != 0.0;
    const fS = p[L.MP_ON_SUBSTRATE_LIMIT] != 0.0 ? s / (p[L.MP_KS] + s) : 1.0;
    const fO = oxygenOn ? o / (p[L.MP_KO] + o) : 1.0;
    const xMax = p[L.MP_XMAX];
    const fCrowd = xMax > 0.0 ? 1.0 - x / xMax : 1.0;
    const mu = p[L.MP_MU_MAX] * fS * fO * fCrowd;
    // Maintenance is met only as fast as substrate (and oxygen) can be taken up: m_S·f_S·f_O.
    const maint = p[L.MP_ON_MAINTENANCE] != 0.0 ? p[L.MP_MS] * fS * fO : 0.0;
    this.rMu = mu;
    this.rQs = mu / p[L.MP_YXS] + maint;
    this.rQo = oxygenOn
      ? mu / p[L.MP_YXO] + (p[L.MP_ON_MAINTENANCE] != 0.0 ? p[L.MP_MO] * fO : 0.0)
      : 0.0;
    this.rOtr = oxygenOn ? p[L.MP_KLA] * (p[L.MP_O2_SAT] - y[L.MX_O2]) : 0.0;
  }

  private microbialRhs(t: number, y: Float64Array, dy: Float64Array, p: Float64Array): number {
    const v = y[L.MX_V];
    if (!(v > 0.0)) return L.STATUS_RECOVERABLE;
    this.rates(y, p);
    const rMu = this.rMu, rQs = this.rQs, rQo = this.rQo, rOtr = this.rOtr;
    const x = y[L.MX_X];
    const fIn = feedRate(t, p);
    const fOut = p[L.MP_OUTFLOW] != 0.0 ? fIn : 0.0;
    const dIn = fIn / v;
    const kd = p[L.MP_ON_DEATH] != 0.0 ? p[L.MP_KD] : 0.0;
    const qp = p[L.MP_ON_PRODUCT] != 0.0 ? p[L.MP_ALPHA] * rMu + p[L.MP_BETA] : 0.0;
    const s = y[L.MX_S];
    const sFeed = p[L.MP_FEED_S];
    dy[L.MX_X] = -dIn * x + (rMu - kd) * x;
    dy[L.MX_XD] = -dIn * y[L.MX_XD] + kd * x;
    dy[L.MX_S] = dIn * (sFeed - s) - rQs * x;
    dy[L.MX_P] = -dIn * y[L.MX_P] + qp * x;
    // The feed medium is taken to be air-saturated (docs/model.md §2.5).
    dy[L.MX_O2] = p[L.MP_ON_OXYGEN] != 0.0 ? dIn * (p[L.MP_O2_SAT] - y[L.MX_O2]) + rOtr - rQo * x : 0.0;
    dy[L.MX_V] = fIn - fOut;
    dy[L.MX_S_FED] = fIn * sFeed;
    dy[L.MX_S_USED] = rQs * x * v;
    dy[L.MX_S_OUT] = fOut * s;
    return L.STATUS_OK;
  }

  private microbialDerived(t: number, y: Float64Array, p: Float64Array, out: Float64Array, off: number): void {
    this.rates(y, p);
    const x = y[L.MX_X];
    const total = x + y[L.MX_XD];
    out[off + L.MXD_MU] = this.rMu;
    out[off + L.MXD_QS] = this.rQs;
    out[off + L.MXD_OUR] = this.rQo * x;
    out[off + L.MXD_OTR] = this.rOtr;
    out[off + L.MXD_DO] = (100.0 * y[L.MX_O2]) / p[L.MP_O2_SAT];
    out[off + L.MXD_FEED] = feedRate(t, p);
    out[off + L.MXD_VIABILITY] = total > 0.0 ? (100.0 * x) / total : 100.0;
  }
}

/** The plain-TypeScript core behind the engine's `Core`, e.g. `simulate(createTsCore(), scenario)`. */
export function createTsCore(): Core {
  return Core.fromRaw(new TsCoreModule());
}

// Cell lifelines (docs/model.md §12): M agents that travel between the zones of a
// finished zone run (MODEL_CHO_ZONES) as a seeded random walk built from the exchange
// and net flows, each with log-normal growth and productivity multipliers and an
// internal state that relaxes towards what its zone imposes (low DO, high glucose,
// high pCO2). They read the output rows of the run and do not change it; they give
// histograms and population means at chosen rows. Verbs: lifelinesInit (allocates),
// setLifelineParam, lifelinesRun (once per run, after the last advanceTo).
import {
  MODEL_CHO_ZONES, MAX_ZONES, CZ_LOCAL, CZG_V, CX_GLC, CX_DERIVED, CZD_DO_PERCENT, CZD_PCO2, CZD_FIELDS,
  CP_ZONE_TABLE, CZF_FIELDS, CZF_FRACTION, CZF_EXCHANGE,
  LP_SEED, LP_STEP_H, LP_STEPS_PER_ROW, LP_HISTOGRAM_EVERY, LP_GROWTH_CV, LP_PRODUCTIVITY_CV, LP_RESPONSE_H,
  LP_DO_BELOW, LP_GLUCOSE_ABOVE, LP_PCO2_ABOVE, LP_PRODUCTIVITY_LOSS, LP_UPPER, LP_COUNT,
  LQ_EXPOSURE_DO, LQ_EXPOSURE_GLUCOSE, LQ_EXPOSURE_PCO2, LQ_QP, LQ_MU, LQ_STATE, LQ_COUNT,
  LS_SEEN_DO, LS_SEEN_GLUCOSE, LS_SEEN_PCO2, LS_ZONE_DO, LS_ZONE_GLUCOSE, LS_ZONE_PCO2, LS_ZONE_QP, LS_ZONE_MU, LS_COUNT,
  LA_ZONE, LA_STATE, LA_EXPOSURE, LA_GROWTH, LA_PRODUCTIVITY,
  STATUS_OK, STATUS_BAD_SETUP, STATUS_NON_FINITE,
} from "./layout";
import * as integ from "./integrator";
import { czSnapshot, czZoneQp, czZoneMu, czAgitation, czFlowIn, czFlowOut, czZoneCount } from "./models/cho-zones";

/** Slots of an alias table row: a power of two ≥ MAX_ZONES, so a slot is 6 bits of a draw. */
const SLOTS: i32 = 64;
const SLOT_BITS: u32 = 6;
/** Bits of each exposure counter in the packed u64 (DO, glucose, pCO2). */
const EXPOSURE_BITS: u64 = 21;
const EXPOSURE_MASK: u64 = (<u64>1 << EXPOSURE_BITS) - 1;
/** Largest number of agents. */
export const MAX_AGENTS: i32 = 1_000_000;
const TWO_POW_32: f64 = 4294967296.0;
const TWO_POW_26: f64 = 67108864.0;

export const lifelineParams = new StaticArray<f64>(LP_COUNT);

// ---- the generator: xoshiro128** (Blackman & Vigna 2018), seeded by splitmix64 -----
let g0: u32 = 1, g1: u32 = 2, g2: u32 = 3, g3: u32 = 4;

function splitmix64(x: u64): u64 {
  let z = x + 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/** Seeds the one stream of the run from simulation.seed. */
function seedGenerator(seed: u64): void {
  const a = splitmix64(seed);
  const b = splitmix64(seed + 0x9e3779b97f4a7c15);
  g0 = <u32>a;
  g1 = <u32>(a >> 32);
  g2 = <u32>b;
  g3 = <u32>(b >> 32);
}

@inline
function nextU32(): u32 {
  const result = rotl<u32>(g1 * 5, 7) * 9;
  const t = g1 << 9;
  g2 ^= g0;
  g3 ^= g1;
  g1 ^= g2;
  g0 ^= g3;
  g2 ^= t;
  g3 = rotl<u32>(g3, 11);
  return result;
}

// Four lanes of xoshiro128** for the agent update, seeded after the scalar stream.
let lane0: v128 = i32x4.splat(0), lane1: v128 = i32x4.splat(0), lane2: v128 = i32x4.splat(0), lane3: v128 = i32x4.splat(0);

const laneSeed = new StaticArray<u32>(16);

/** Seeds the four lanes from the seed (splitmix64 continued past the scalar stream's two outputs). */
function seedLanes(seed: u64): void {
  let x = seed + 2 * 0x9e3779b97f4a7c15;
  const w = laneSeed;
  for (let k = 0; k < 8; k++) {
    const v = splitmix64(x);
    x += 0x9e3779b97f4a7c15;
    unchecked((w[2 * k] = <u32>v));
    unchecked((w[2 * k + 1] = <u32>(v >> 32)));
  }
  // Lane k of state word j is w[4 j + k].
  const p = changetype<usize>(w);
  lane0 = v128.load(p);
  lane1 = v128.load(p, 16);
  lane2 = v128.load(p, 32);
  lane3 = v128.load(p, 48);
}

/** Two independent standard normals (Box–Muller), the second in `spareNormal`. */
let spareNormal: f64 = 0.0;
function normalPair(): f64 {
  const u1 = (<f64>nextU32() + 1.0) / TWO_POW_32; // (0, 1]
  const u2 = <f64>nextU32() / TWO_POW_32;
  const r = Math.sqrt(-2.0 * Math.log(u1));
  const theta = 2.0 * Math.PI * u2;
  spareNormal = r * Math.sin(theta);
  return r * Math.cos(theta);
}

/** A log-normal multiplier with mean 1 and coefficient of variation cv, from a standard normal. */
function logNormal(cv: f64, normal: f64): f32 {
  if (cv <= 0.0) return 1.0;
  const sigma2 = Math.log(1.0 + cv * cv);
  return <f32>Math.exp(Math.sqrt(sigma2) * normal - 0.5 * sigma2);
}

// ---- agents (structure of arrays) --------------------------------------------------
let agents: i32 = 0;
let zone = new StaticArray<u8>(0);
let state = new StaticArray<f32>(0);
let exposure = new StaticArray<u64>(0);
let growth = new StaticArray<f32>(0);
let productivity = new StaticArray<f32>(0);
// Copies for the copy loop of the benchmark (lifelinesBenchCopy).
let zoneCopy = new StaticArray<u8>(0);
let stateCopy = new StaticArray<f32>(0);
let exposureCopy = new StaticArray<u64>(0);

// ---- results ---------------------------------------------------------------------
let bins: i32 = 0;
let histogramCapacity: i32 = 0;
let histogramCount: i32 = 0;
let histogramTimes = new StaticArray<f64>(0);
let histograms = new StaticArray<f64>(0); // [time][quantity][bin], counts
let statistics = new StaticArray<f64>(0); // [time][LS_*]
let occupancy = new StaticArray<f64>(0); // [time][MAX_ZONES], agents per zone

// ---- tables of the current step ---------------------------------------------------
/** Alias tables, one row of SLOTS per zone: (threshold << 6) | alias (docs/model.md §12.2). */
const aliasTable = new StaticArray<u32>(MAX_ZONES * SLOTS);
/** The stimulus of each zone (0 or 1) times 1 − decay: what the relaxation adds over a step. */
const stimulusTerm = new StaticArray<f32>(MAX_ZONES);
/** Added to an agent's packed exposure counters in each zone. */
const exposureStep = new StaticArray<u64>(MAX_ZONES);
let decay: f32 = 1.0;

// Zone values at the start (A) and end (B) of an output interval.
const doA = new StaticArray<f64>(MAX_ZONES), doB = new StaticArray<f64>(MAX_ZONES);
const glcA = new StaticArray<f64>(MAX_ZONES), glcB = new StaticArray<f64>(MAX_ZONES);
const co2A = new StaticArray<f64>(MAX_ZONES), co2B = new StaticArray<f64>(MAX_ZONES);
const qpB = new StaticArray<f64>(MAX_ZONES), muB = new StaticArray<f64>(MAX_ZONES);
let agitationA: f64 = 0.0, flowInA: f64 = 0.0, flowOutA: f64 = 0.0, volumeA: f64 = 0.0;
let agitationB: f64 = 0.0, flowInB: f64 = 0.0, flowOutB: f64 = 0.0, volumeB: f64 = 0.0;
let rowState = new StaticArray<f64>(0);

// Work of the transition matrix.
export const transition = new StaticArray<f64>(MAX_ZONES * MAX_ZONES);
const eigDiag = new StaticArray<f64>(MAX_ZONES);
const eigOff = new StaticArray<f64>(MAX_ZONES);
const eigVec = new StaticArray<f64>(MAX_ZONES * MAX_ZONES);
const logPi = new StaticArray<f64>(MAX_ZONES);
const sqrtPi = new StaticArray<f64>(MAX_ZONES);
const expLambda = new StaticArray<f64>(MAX_ZONES);
const rowProb = new StaticArray<f64>(SLOTS);
const scaled = new StaticArray<f64>(SLOTS);
const aliasOf = new StaticArray<i32>(SLOTS);
const smallStack = new StaticArray<i32>(SLOTS);
const largeStack = new StaticArray<i32>(SLOTS);

/**
 * Allocates the agent arrays and the result buffers; called once per run by the engine,
 * after init. BAD_SETUP unless 1 ≤ count ≤ MAX_AGENTS, capacity ≥ 1 and 1 ≤ binCount ≤ 1000.
 */
export function lifelinesInit(count: i32, capacity: i32, binCount: i32): i32 {
  if (count < 1 || count > MAX_AGENTS || capacity < 1 || binCount < 1 || binCount > 1000) return STATUS_BAD_SETUP;
  agents = count;
  zone = new StaticArray<u8>(count);
  state = new StaticArray<f32>(count);
  exposure = new StaticArray<u64>(count);
  growth = new StaticArray<f32>(count);
  productivity = new StaticArray<f32>(count);
  zoneCopy = new StaticArray<u8>(count);
  stateCopy = new StaticArray<f32>(count);
  exposureCopy = new StaticArray<u64>(count);
  bins = binCount;
  histogramCapacity = capacity;
  histogramCount = 0;
  histogramTimes = new StaticArray<f64>(capacity);
  histograms = new StaticArray<f64>(capacity * LQ_COUNT * binCount);
  statistics = new StaticArray<f64>(capacity * LS_COUNT);
  occupancy = new StaticArray<f64>(capacity * MAX_ZONES);
  rowState = new StaticArray<f64>(integ.stateCount());
  for (let i = 0; i < LP_COUNT; i++) unchecked((lifelineParams[i] = 0.0));
  return STATUS_OK;
}

export function setLifelineParam(index: i32, value: f64): i32 {
  if (index < 0 || index >= LP_COUNT) return STATUS_BAD_SETUP;
  unchecked((lifelineParams[index] = value));
  return STATUS_OK;
}

@inline
function param(i: i32): f64 {
  return unchecked(lifelineParams[i]);
}

@inline
function zoneFraction(z: i32): f64 {
  return unchecked(integ.params[CP_ZONE_TABLE + z * CZF_FIELDS + CZF_FRACTION]);
}

// ---- the walk: a birth–death chain between neighbouring zones (docs/model.md §12.2) ----

/**
 * The transition matrix P = exp(Q h) of the chain into `transition` (row i: from zone i),
 * for agitation `rpm`, flows `fin` into the top and `fout` out of the bottom (L/h),
 * volume `v` (L) and step `h` (h). Q is tridiagonal (down: (E + W)/V_z, up: E/V_z+1);
 * every birth–death chain is reversible, so D^½ Q D^−½ is symmetric (D = diag π) and
 * P = D^−½ U e^{Λh} Uᵀ D^½ from its eigen-decomposition (EISPACK tql2). A status.
 */
function transitionMatrix(n: i32, rpm: f64, fin: f64, fout: f64, v: f64, h: f64): i32 {
  if (n == 1) {
    unchecked((transition[0] = 1.0));
    return STATUS_OK;
  }
  // Rates of the chain, 1/h; a floor on the exchange keeps the chain connected.
  const floor = 1e-9 * v;
  let above = 0.0;
  unchecked((logPi[0] = 0.0));
  for (let z = 0; z < n; z++) {
    unchecked((eigDiag[z] = 0.0));
    unchecked((eigOff[z] = 0.0));
  }
  for (let b = 0; b < n - 1; b++) {
    above += zoneFraction(b);
    const exchange = Math.max(unchecked(integ.params[CP_ZONE_TABLE + b * CZF_FIELDS + CZF_EXCHANGE]) * rpm, floor);
    const down = Math.max((1.0 - above) * fin + above * fout, 0.0);
    const rateDown = (exchange + down) / (zoneFraction(b) * v);
    const rateUp = exchange / (zoneFraction(b + 1) * v);
    unchecked((eigDiag[b] -= rateDown));
    unchecked((eigDiag[b + 1] -= rateUp));
    unchecked((eigOff[b + 1] = Math.sqrt(rateDown * rateUp))); // tql2: e[i] couples i − 1 and i
    unchecked((logPi[b + 1] = logPi[b] + Math.log(rateDown) - Math.log(rateUp)));
  }
  let maxLog = -Infinity;
  for (let z = 0; z < n; z++) maxLog = Math.max(maxLog, unchecked(logPi[z]));
  for (let z = 0; z < n; z++) unchecked((sqrtPi[z] = Math.exp(0.5 * (logPi[z] - maxLog))));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) unchecked((eigVec[i * MAX_ZONES + j] = i == j ? 1.0 : 0.0));
  if (!tql2(n)) return STATUS_NON_FINITE;
  for (let k = 0; k < n; k++) unchecked((expLambda[k] = Math.exp(Math.min(eigDiag[k], 0.0) * h)));
  for (let i = 0; i < n; i++) {
    let sum = 0.0;
    const si = unchecked(sqrtPi[i]);
    for (let j = 0; j < n; j++) {
      let acc = 0.0;
      for (let k = 0; k < n; k++) acc += unchecked(eigVec[i * MAX_ZONES + k]) * unchecked(expLambda[k]) * unchecked(eigVec[j * MAX_ZONES + k]);
      const pij = Math.max((acc * unchecked(sqrtPi[j])) / si, 0.0);
      unchecked((transition[i * MAX_ZONES + j] = pij));
      sum += pij;
    }
    if (!(sum > 0.0) || !isFinite(sum)) return STATUS_NON_FINITE;
    for (let j = 0; j < n; j++) unchecked((transition[i * MAX_ZONES + j] /= sum));
  }
  return STATUS_OK;
}

@inline
function hypot2(a: f64, b: f64): f64 {
  const x = Math.abs(a), y = Math.abs(b);
  const big = Math.max(x, y);
  if (big == 0.0) return 0.0;
  const small = Math.min(x, y) / big;
  return big * Math.sqrt(1.0 + small * small);
}

/**
 * Eigenvalues (eigDiag) and eigenvectors (columns of eigVec, which starts as I) of the
 * symmetric tridiagonal matrix (eigDiag, eigOff with eigOff[i] between i − 1 and i):
 * the implicit QL method, EISPACK tql2 as in JAMA (public domain). False if it does not converge.
 */
function tql2(n: i32): bool {
  for (let i = 1; i < n; i++) unchecked((eigOff[i - 1] = eigOff[i]));
  unchecked((eigOff[n - 1] = 0.0));
  let f = 0.0;
  let tst1 = 0.0;
  const eps = f64.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(unchecked(eigDiag[l])) + Math.abs(unchecked(eigOff[l])));
    let m = l;
    while (m < n) {
      if (Math.abs(unchecked(eigOff[m])) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) return false;
        let g = unchecked(eigDiag[l]);
        let p = (unchecked(eigDiag[l + 1]) - g) / (2.0 * unchecked(eigOff[l]));
        let r = hypot2(p, 1.0);
        if (p < 0) r = -r;
        unchecked((eigDiag[l] = eigOff[l] / (p + r)));
        unchecked((eigDiag[l + 1] = eigOff[l] * (p + r)));
        const dl1 = unchecked(eigDiag[l + 1]);
        let h = g - unchecked(eigDiag[l]);
        for (let i = l + 2; i < n; i++) unchecked((eigDiag[i] -= h));
        f += h;
        p = unchecked(eigDiag[m]);
        let c = 1.0, c2 = 1.0, c3 = 1.0;
        const el1 = unchecked(eigOff[l + 1]);
        let s = 0.0, s2 = 0.0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * unchecked(eigOff[i]);
          h = c * p;
          r = hypot2(p, unchecked(eigOff[i]));
          unchecked((eigOff[i + 1] = s * r));
          s = unchecked(eigOff[i]) / r;
          c = p / r;
          p = c * unchecked(eigDiag[i]) - s * g;
          unchecked((eigDiag[i + 1] = h + s * (c * g + s * eigDiag[i])));
          for (let k = 0; k < n; k++) {
            const row = k * MAX_ZONES;
            h = unchecked(eigVec[row + i + 1]);
            unchecked((eigVec[row + i + 1] = s * eigVec[row + i] + c * h));
            unchecked((eigVec[row + i] = c * eigVec[row + i] - s * h));
          }
        }
        p = (-s * s2 * c3 * el1 * unchecked(eigOff[l])) / dl1;
        unchecked((eigOff[l] = s * p));
        unchecked((eigDiag[l] = c * p));
        if (!isFinite(p)) return false;
      } while (Math.abs(unchecked(eigOff[l])) > eps * tst1);
    }
    unchecked((eigDiag[l] = eigDiag[l] + f));
    unchecked((eigOff[l] = 0.0));
  }
  return true;
}

/**
 * Walker's alias table (Vose's construction) for the n probabilities in rowProb, in
 * SLOTS slots (slots ≥ n have probability 0), into aliasTable row `row`: slot c keeps
 * c when the low 26 bits of a draw are below its threshold, else goes to its alias.
 */
function buildAliasRow(n: i32, row: i32): void {
  let sum = 0.0;
  for (let c = 0; c < n; c++) sum += unchecked(rowProb[c]);
  let small = 0, large = 0;
  for (let c = 0; c < SLOTS; c++) {
    const x = c < n ? (<f64>SLOTS * unchecked(rowProb[c])) / sum : 0.0;
    unchecked((scaled[c] = x));
    unchecked((aliasOf[c] = c));
    if (x < 1.0) unchecked((smallStack[small++] = c));
    else unchecked((largeStack[large++] = c));
  }
  while (small > 0 && large > 0) {
    const l = unchecked(smallStack[--small]);
    const g = unchecked(largeStack[--large]);
    unchecked((aliasOf[l] = g));
    const rest = unchecked(scaled[g]) + unchecked(scaled[l]) - 1.0;
    unchecked((scaled[g] = rest));
    if (rest < 1.0) unchecked((smallStack[small++] = g));
    else unchecked((largeStack[large++] = g));
  }
  // What is left has probability 1 up to rounding: it keeps itself.
  while (small > 0) unchecked((scaled[smallStack[--small]] = 1.0));
  while (large > 0) unchecked((scaled[largeStack[--large]] = 1.0));
  for (let c = 0; c < SLOTS; c++) {
    const x = unchecked(scaled[c]);
    const keep = x >= 1.0 ? TWO_POW_26 - 1.0 : Math.floor(x * TWO_POW_26);
    const alias = x >= 1.0 ? c : unchecked(aliasOf[c]);
    unchecked((aliasTable[row * SLOTS + c] = (<u32>keep << SLOT_BITS) | <u32>alias));
  }
}

/** Alias tables of every row of `transition`. */
function buildAliasTables(n: i32): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) unchecked((rowProb[j] = transition[i * MAX_ZONES + j]));
    buildAliasRow(n, i);
  }
}

/** A zone drawn from alias row `row`, with one draw of the generator. */
@inline
function drawZone(row: i32): i32 {
  const r = nextU32();
  const slot = r >>> (32 - SLOT_BITS);
  const entry = unchecked(aliasTable[row * SLOTS + slot]);
  return r << SLOT_BITS < (entry & ~63) ? <i32>slot : <i32>(entry & 63);
}

// ---- the update, the hot loop (docs/model.md §12.3) -----------------------------------

/**
 * One agent step for every agent: a zone drawn from its row of the alias tables, the
 * internal state relaxed towards the new zone's stimulus over the step, the exposure
 * counters of the new zone added. Called stepsPerRow times per output interval. Four
 * agents at a time: the four lanes of `lanes` (xoshiro128** in SIMD, lane k serving
 * agents i ≡ k mod 4) draw their numbers together; the last group uses as many lanes
 * as it has agents, so the draws depend only on the seed and the agent count.
 */
function updateAgents(): void {
  let l0 = lane0, l1 = lane1, l2 = lane2, l3 = lane3;
  const d = decay;
  const m = agents;
  const zones = changetype<usize>(zone);
  const states = changetype<usize>(state);
  const exposures = changetype<usize>(exposure);
  const table = changetype<usize>(aliasTable);
  const relaxed = changetype<usize>(stimulusTerm);
  const steps = changetype<usize>(exposureStep);
  const dv = f32x4.splat(d);
  for (let i = 0; i < m; i += 4) {
    // xoshiro128** in four lanes
    const r = i32x4.mul(v128.or(i32x4.shl(i32x4.mul(l1, i32x4.splat(5)), 7), i32x4.shr_u(i32x4.mul(l1, i32x4.splat(5)), 25)), i32x4.splat(9));
    const t = i32x4.shl(l1, 9);
    l2 = v128.xor(l2, l0);
    l3 = v128.xor(l3, l1);
    l1 = v128.xor(l1, l2);
    l0 = v128.xor(l0, l3);
    l2 = v128.xor(l2, t);
    l3 = v128.or(i32x4.shl(l3, 11), i32x4.shr_u(l3, 21));
    const left = m - i;
    if (left >= 4) {
      const packed = load<u32>(zones + <usize>i);
      const n0 = pick(<u32>i32x4.extract_lane(r, 0), packed & 0xff, table);
      const n1 = pick(<u32>i32x4.extract_lane(r, 1), (packed >>> 8) & 0xff, table);
      const n2 = pick(<u32>i32x4.extract_lane(r, 2), (packed >>> 16) & 0xff, table);
      const n3 = pick(<u32>i32x4.extract_lane(r, 3), packed >>> 24, table);
      store<u32>(zones + <usize>i, n0 | (n1 << 8) | (n2 << 16) | (n3 << 24));
      // state = state·d + stimulus·(1 − d), four at a time
      let c = f32x4.splat(load<f32>(relaxed + (<usize>n0 << 2)));
      c = f32x4.replace_lane(c, 1, load<f32>(relaxed + (<usize>n1 << 2)));
      c = f32x4.replace_lane(c, 2, load<f32>(relaxed + (<usize>n2 << 2)));
      c = f32x4.replace_lane(c, 3, load<f32>(relaxed + (<usize>n3 << 2)));
      const sp = states + (<usize>i << 2);
      v128.store(sp, f32x4.add(f32x4.mul(v128.load(sp), dv), c));
      const ep = exposures + (<usize>i << 3);
      let e01 = i64x2.splat(load<u64>(steps + (<usize>n0 << 3)));
      e01 = i64x2.replace_lane(e01, 1, load<u64>(steps + (<usize>n1 << 3)));
      let e23 = i64x2.splat(load<u64>(steps + (<usize>n2 << 3)));
      e23 = i64x2.replace_lane(e23, 1, load<u64>(steps + (<usize>n3 << 3)));
      v128.store(ep, i64x2.add(v128.load(ep), e01));
      v128.store(ep, i64x2.add(v128.load(ep, 16), e23), 16);
    } else {
      for (let k = 0; k < left; k++) {
        const j = i + k;
        const lane = k == 0 ? <u32>i32x4.extract_lane(r, 0) : k == 1 ? <u32>i32x4.extract_lane(r, 1) : <u32>i32x4.extract_lane(r, 2);
        const next = pick(lane, <u32>unchecked(zone[j]), table);
        unchecked((zone[j] = <u8>next));
        unchecked((state[j] = state[j] * d + stimulusTerm[next]));
        unchecked((exposure[j] += exposureStep[next]));
      }
    }
  }
  lane0 = l0;
  lane1 = l1;
  lane2 = l2;
  lane3 = l3;
}

/** The zone an agent in zone z moves to for draw r (alias tables, docs/model.md §12.2). */
@inline
function pick(r: u32, z: u32, table: usize): u32 {
  const slot = r >>> (32 - SLOT_BITS);
  const entry = load<u32>(table + (<usize>((z << SLOT_BITS) | slot) << 2));
  return r << SLOT_BITS < (entry & ~63) ? slot : entry & 63;
}

/** The stimulus and exposure steps of every zone at fraction f of the output interval (linear in time). */
function stepTables(n: i32, f: f64): void {
  const doBelow = param(LP_DO_BELOW);
  const glcAbove = param(LP_GLUCOSE_ABOVE);
  const co2Above = param(LP_PCO2_ABOVE);
  for (let z = 0; z < n; z++) {
    const dO = unchecked(doA[z]) + f * (unchecked(doB[z]) - unchecked(doA[z]));
    const glc = unchecked(glcA[z]) + f * (unchecked(glcB[z]) - unchecked(glcA[z]));
    const co2 = unchecked(co2A[z]) + f * (unchecked(co2B[z]) - unchecked(co2A[z]));
    const lowDo: u64 = dO < doBelow ? 1 : 0;
    const highGlc: u64 = glc > glcAbove ? 1 : 0;
    const highCo2: u64 = co2 > co2Above ? 1 : 0;
    unchecked((exposureStep[z] = lowDo | (highGlc << EXPOSURE_BITS) | (highCo2 << (2 * EXPOSURE_BITS))));
    unchecked((stimulusTerm[z] = (lowDo | highGlc | highCo2) != 0 ? <f32>1.0 - decay : <f32>0.0));
  }
}

/** Reads output row r into the B arrays (zone values and flows); a status. */
function snapshot(r: i32, n: i32): i32 {
  const out = integ.out;
  const base = r * integ.rowLen;
  const ns = integ.stateCount();
  for (let i = 0; i < ns; i++) unchecked((rowState[i] = out[base + 1 + i]));
  const t = unchecked(out[base]);
  const st = czSnapshot(t, rowState, integ.params);
  if (st != STATUS_OK) return st;
  const perZone = base + 1 + ns + CZ_LOCAL + CX_DERIVED;
  for (let z = 0; z < n; z++) {
    unchecked((doB[z] = out[perZone + z * CZD_FIELDS + CZD_DO_PERCENT]));
    unchecked((co2B[z] = out[perZone + z * CZD_FIELDS + CZD_PCO2]));
    unchecked((glcB[z] = out[base + 1 + z * CZ_LOCAL + CX_GLC]));
    unchecked((qpB[z] = czZoneQp(z)));
    unchecked((muB[z] = czZoneMu(z)));
  }
  agitationB = czAgitation();
  flowInB = czFlowIn();
  flowOutB = czFlowOut();
  volumeB = unchecked(rowState[CZ_LOCAL * n + CZG_V]);
  return STATUS_OK;
}

function shiftSnapshot(n: i32): void {
  for (let z = 0; z < n; z++) {
    unchecked((doA[z] = doB[z]));
    unchecked((glcA[z] = glcB[z]));
    unchecked((co2A[z] = co2B[z]));
  }
  agitationA = agitationB;
  flowInA = flowInB;
  flowOutA = flowOutB;
  volumeA = volumeB;
}

@inline
function binOf(x: f64, upper: f64): i32 {
  const b = <i32>Math.floor((x / upper) * <f64>bins);
  return b < 0 ? 0 : b >= bins ? bins - 1 : b;
}

/** Histograms and statistics of the agents at time t (zone values of the B arrays); resets the exposures. */
function record(t: f64, n: i32): void {
  if (histogramCount >= histogramCapacity) return;
  const k = histogramCount++;
  unchecked((histogramTimes[k] = t));
  const hBase = k * LQ_COUNT * bins;
  for (let i = 0; i < LQ_COUNT * bins; i++) unchecked((histograms[hBase + i] = 0.0));
  const oBase = k * MAX_ZONES;
  for (let z = 0; z < MAX_ZONES; z++) unchecked((occupancy[oBase + z] = 0.0));
  const stepH = param(LP_STEP_H);
  const loss = param(LP_PRODUCTIVITY_LOSS);
  const upperExposure = param(LP_UPPER + LQ_EXPOSURE_DO);
  const upperGlc = param(LP_UPPER + LQ_EXPOSURE_GLUCOSE);
  const upperCo2 = param(LP_UPPER + LQ_EXPOSURE_PCO2);
  const upperQp = param(LP_UPPER + LQ_QP);
  const upperMu = param(LP_UPPER + LQ_MU);
  const upperState = param(LP_UPPER + LQ_STATE);
  let sDo = 0.0, qDo = 0.0, sGlc = 0.0, qGlc = 0.0, sCo2 = 0.0, qCo2 = 0.0;
  let sQp = 0.0, qQp = 0.0, sMu = 0.0, qMu = 0.0, sS = 0.0, qS = 0.0;
  let seenDo = 0.0, seenDo2 = 0.0, seenGlc = 0.0, seenGlc2 = 0.0, seenCo2 = 0.0, seenCo22 = 0.0;
  // Volume-weighted zone means: what the agents' mean should match, and the centre of
  // the seen values' squares (their spread can be 1e-8 of their size: squares about 0
  // would lose it to cancellation).
  let zDo = 0.0, zGlc = 0.0, zCo2 = 0.0, zQp = 0.0, zMu = 0.0;
  for (let z = 0; z < n; z++) {
    const phi = zoneFraction(z);
    zDo += phi * unchecked(doB[z]);
    zGlc += phi * unchecked(glcB[z]);
    zCo2 += phi * unchecked(co2B[z]);
    zQp += phi * unchecked(qpB[z]);
    zMu += phi * unchecked(muB[z]);
  }
  const bDo = hBase + LQ_EXPOSURE_DO * bins;
  const bGlc = hBase + LQ_EXPOSURE_GLUCOSE * bins;
  const bCo2 = hBase + LQ_EXPOSURE_PCO2 * bins;
  const bQp = hBase + LQ_QP * bins;
  const bMu = hBase + LQ_MU * bins;
  const bS = hBase + LQ_STATE * bins;
  for (let i = 0; i < agents; i++) {
    const z = <i32>unchecked(zone[i]);
    const s = <f64>unchecked(state[i]);
    const ex = unchecked(exposure[i]);
    const eDo = <f64>(ex & EXPOSURE_MASK) * stepH;
    const eGlc = <f64>((ex >> EXPOSURE_BITS) & EXPOSURE_MASK) * stepH;
    const eCo2 = <f64>((ex >> (2 * EXPOSURE_BITS)) & EXPOSURE_MASK) * stepH;
    const qp = unchecked(qpB[z]) * <f64>unchecked(productivity[i]) * (1.0 - loss * s);
    const mu = unchecked(muB[z]) * <f64>unchecked(growth[i]);
    unchecked((histograms[bDo + binOf(eDo, upperExposure)] += 1.0));
    unchecked((histograms[bGlc + binOf(eGlc, upperGlc)] += 1.0));
    unchecked((histograms[bCo2 + binOf(eCo2, upperCo2)] += 1.0));
    unchecked((histograms[bQp + binOf(qp, upperQp)] += 1.0));
    unchecked((histograms[bMu + binOf(mu, upperMu)] += 1.0));
    unchecked((histograms[bS + binOf(s, upperState)] += 1.0));
    unchecked((occupancy[oBase + z] += 1.0));
    sDo += eDo;
    qDo += eDo * eDo;
    sGlc += eGlc;
    qGlc += eGlc * eGlc;
    sCo2 += eCo2;
    qCo2 += eCo2 * eCo2;
    sQp += qp;
    qQp += qp * qp;
    sMu += mu;
    qMu += mu * mu;
    sS += s;
    qS += s * s;
    const vDo = unchecked(doB[z]), vGlc = unchecked(glcB[z]), vCo2 = unchecked(co2B[z]);
    seenDo += vDo;
    seenDo2 += (vDo - zDo) * (vDo - zDo);
    seenGlc += vGlc;
    seenGlc2 += (vGlc - zGlc) * (vGlc - zGlc);
    seenCo2 += vCo2;
    seenCo22 += (vCo2 - zCo2) * (vCo2 - zCo2);
    unchecked((exposure[i] = 0));
  }
  const sBase = k * LS_COUNT;
  const m = <f64>agents;
  meanAndSd(sBase + 2 * LQ_EXPOSURE_DO, sDo, qDo, m);
  meanAndSd(sBase + 2 * LQ_EXPOSURE_GLUCOSE, sGlc, qGlc, m);
  meanAndSd(sBase + 2 * LQ_EXPOSURE_PCO2, sCo2, qCo2, m);
  meanAndSd(sBase + 2 * LQ_QP, sQp, qQp, m);
  meanAndSd(sBase + 2 * LQ_MU, sMu, qMu, m);
  meanAndSd(sBase + 2 * LQ_STATE, sS, qS, m);
  meanAndSdAbout(sBase + LS_SEEN_DO, seenDo, seenDo2, zDo, m);
  meanAndSdAbout(sBase + LS_SEEN_GLUCOSE, seenGlc, seenGlc2, zGlc, m);
  meanAndSdAbout(sBase + LS_SEEN_PCO2, seenCo2, seenCo22, zCo2, m);
  unchecked((statistics[sBase + LS_ZONE_DO] = zDo));
  unchecked((statistics[sBase + LS_ZONE_GLUCOSE] = zGlc));
  unchecked((statistics[sBase + LS_ZONE_PCO2] = zCo2));
  unchecked((statistics[sBase + LS_ZONE_QP] = zQp));
  unchecked((statistics[sBase + LS_ZONE_MU] = zMu));
}

/** Mean and SD from the sum and the sum of squares about `about` (any value near the mean). */
function meanAndSdAbout(slot: i32, sum: f64, sumSquaresAbout: f64, about: f64, m: f64): void {
  const mean = sum / m;
  const offset = mean - about;
  unchecked((statistics[slot] = mean));
  unchecked((statistics[slot + 1] = Math.sqrt(Math.max(sumSquaresAbout / m - offset * offset, 0.0))));
}

function meanAndSd(slot: i32, sum: f64, sumSquares: f64, m: f64): void {
  const mean = sum / m;
  unchecked((statistics[slot] = mean));
  unchecked((statistics[slot + 1] = Math.sqrt(Math.max(sumSquares / m - mean * mean, 0.0))));
}

/**
 * Runs the lifelines over every output row of the finished zone run (docs/model.md §12):
 * seeds the generator, places the agents by volume fraction with their multipliers, then
 * for each output interval builds the transition matrix from the interval's start and
 * takes LP_STEPS_PER_ROW agent steps with the zone values interpolated linearly in time;
 * records histograms at every LP_HISTOGRAM_EVERY-th row and the last. Called once per
 * run by the engine after the last advanceTo; a status.
 */
export function lifelinesRun(): i32 {
  if (integ.currentModel() != MODEL_CHO_ZONES || agents < 1 || integ.outCount < 1) return STATUS_BAD_SETUP;
  const n = czZoneCount();
  const stepH = param(LP_STEP_H);
  const stepsPerRow = <i32>param(LP_STEPS_PER_ROW);
  const every = max<i32>(1, <i32>param(LP_HISTOGRAM_EVERY));
  if (!(stepH > 0.0) || stepsPerRow < 1 || !(param(LP_RESPONSE_H) > 0.0)) return STATUS_BAD_SETUP;
  // The exposure counters must not overflow between two histograms.
  if (<f64>stepsPerRow * <f64>every > <f64>EXPOSURE_MASK) return STATUS_BAD_SETUP;
  seedGenerator(<u64>param(LP_SEED));
  seedLanes(<u64>param(LP_SEED));
  histogramCount = 0;

  // Agents: a zone by volume fraction, then two multipliers (three draws each, in agent order).
  for (let z = 0; z < n; z++) unchecked((rowProb[z] = zoneFraction(z)));
  buildAliasRow(n, 0);
  const growthCv = param(LP_GROWTH_CV);
  const productivityCv = param(LP_PRODUCTIVITY_CV);
  for (let i = 0; i < agents; i++) {
    unchecked((zone[i] = <u8>drawZone(0)));
    const z1 = normalPair();
    unchecked((growth[i] = logNormal(growthCv, z1)));
    unchecked((productivity[i] = logNormal(productivityCv, spareNormal)));
    unchecked((state[i] = 0.0));
    unchecked((exposure[i] = 0));
  }

  decay = <f32>Math.exp(-stepH / param(LP_RESPONSE_H));
  let st = snapshot(0, n);
  if (st != STATUS_OK) return st;
  shiftSnapshot(n);
  const out = integ.out;
  const rows = integ.outCount;
  record(unchecked(out[0]), n);
  for (let r = 1; r < rows; r++) {
    const t0 = unchecked(out[(r - 1) * integ.rowLen]);
    const t1 = unchecked(out[r * integ.rowLen]);
    const intervalSteps = <i32>Math.round((t1 - t0) / stepH);
    st = snapshot(r, n);
    if (st != STATUS_OK) return st;
    const steps = intervalSteps == stepsPerRow ? stepsPerRow : intervalSteps;
    if (steps > 0) {
      st = transitionMatrix(n, agitationA, flowInA, flowOutA, volumeA, stepH);
      if (st != STATUS_OK) return st;
      buildAliasTables(n);
      for (let j = 1; j <= steps; j++) {
        stepTables(n, <f64>j / <f64>steps);
        updateAgents();
      }
    }
    if (r % every == 0 || r == rows - 1) record(t1, n);
    shiftSnapshot(n);
  }
  return STATUS_OK;
}

// ---- checks and the benchmark -----------------------------------------------------------

/**
 * The transition matrix for a step of `stepH` (h) at output row `row` of the finished
 * run into `transition` (MAX_ZONES columns a row); returns the zone count or a status
 * below 0. For the tests (rows sum to 1, P(a)P(b) = P(a + b)).
 */
export function lifelinesTransition(row: i32, stepH: f64): i32 {
  if (integ.currentModel() != MODEL_CHO_ZONES || row < 0 || row >= integ.outCount || rowState.length != integ.stateCount()) return STATUS_BAD_SETUP;
  const n = czZoneCount();
  const st = snapshot(row, n);
  if (st != STATUS_OK) return st;
  const tm = transitionMatrix(n, agitationB, flowInB, flowOutB, volumeB, stepH);
  return tm == STATUS_OK ? n : tm;
}

/** `steps` passes of the agent update with the tables the run left (benchmarks only). */
export function lifelinesBenchUpdate(steps: i32): void {
  for (let k = 0; k < steps; k++) updateAgents();
}

/**
 * `steps` passes of a plain copy of the arrays the update reads and writes (zone, state,
 * exposure) into arrays of the same size: the memory-bound floor of the update
 * (benchmarks only). bulk = 0: an element-by-element loop; 1: memory.copy of each array.
 */
export function lifelinesBenchCopy(steps: i32, bulk: i32): void {
  const m = agents;
  for (let k = 0; k < steps; k++) {
    if (bulk != 0) {
      memory.copy(changetype<usize>(zoneCopy), changetype<usize>(zone), <usize>m);
      memory.copy(changetype<usize>(stateCopy), changetype<usize>(state), <usize>m << 2);
      memory.copy(changetype<usize>(exposureCopy), changetype<usize>(exposure), <usize>m << 3);
      continue;
    }
    for (let i = 0; i < m; i++) {
      unchecked((zoneCopy[i] = zone[i]));
      unchecked((stateCopy[i] = state[i]));
      unchecked((exposureCopy[i] = exposure[i]));
    }
  }
}

export function lifelinesHistogramCount(): i32 {
  return histogramCount;
}

export function lifelinesBins(): i32 {
  return bins;
}

export function lifelinesAgentCount(): i32 {
  return agents;
}

export function lifelinesTimesPtr(): usize {
  return changetype<usize>(histogramTimes);
}

export function lifelinesHistogramsPtr(): usize {
  return changetype<usize>(histograms);
}

export function lifelinesStatisticsPtr(): usize {
  return changetype<usize>(statistics);
}

export function lifelinesOccupancyPtr(): usize {
  return changetype<usize>(occupancy);
}

export function lifelinesTransitionPtr(): usize {
  return changetype<usize>(transition);
}

/** Pointer to agent array LA_* (0 for an unknown field). */
export function lifelinesAgentPtr(field: i32): usize {
  switch (field) {
    case LA_ZONE: return changetype<usize>(zone);
    case LA_STATE: return changetype<usize>(state);
    case LA_EXPOSURE: return changetype<usize>(exposure);
    case LA_GROWTH: return changetype<usize>(growth);
    case LA_PRODUCTIVITY: return changetype<usize>(productivity);
    default: return 0;
  }
}

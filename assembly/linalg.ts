// LU factorisations and solves for the Newton matrices of the Rosenbrock solver:
// dense with partial pivoting, and sparse on a fill-reducing order (SparseLu).
// Row-major n×n, in place; nothing allocates after construction.

/**
 * Factorises `a` (row-major n×n) in place as P·A = L·U; pivot rows go to `piv`.
 * Called by Rosenbrock attempts whose sparse factorisation refused a pivot. Returns
 * false when a pivot is zero or not finite (the caller retries with a smaller step).
 */
export function luFactor(a: StaticArray<f64>, piv: StaticArray<i32>, n: i32): bool {
  for (let k = 0; k < n; k++) {
    let p = k;
    let big = Math.abs(unchecked(a[k * n + k]));
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(unchecked(a[i * n + k]));
      if (v > big) {
        big = v;
        p = i;
      }
    }
    unchecked((piv[k] = p));
    if (big == 0.0 || !isFinite<f64>(big)) return false;
    if (p != k) {
      for (let j = 0; j < n; j++) {
        const tmp = unchecked(a[k * n + j]);
        unchecked((a[k * n + j] = a[p * n + j]));
        unchecked((a[p * n + j] = tmp));
      }
    }
    const inv = 1.0 / unchecked(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const l = unchecked(a[i * n + k]) * inv;
      unchecked((a[i * n + k] = l));
      if (l != 0.0) {
        for (let j = k + 1; j < n; j++) {
          unchecked((a[i * n + j] -= l * a[k * n + j]));
        }
      }
    }
  }
  return true;
}

/** Solves A·x = b in place in `b` with the factors from luFactor. */
export function luSolve(a: StaticArray<f64>, piv: StaticArray<i32>, n: i32, b: StaticArray<f64>): void {
  for (let k = 0; k < n; k++) {
    const p = unchecked(piv[k]);
    if (p != k) {
      const tmp = unchecked(b[k]);
      unchecked((b[k] = b[p]));
      unchecked((b[p] = tmp));
    }
  }
  for (let i = 1; i < n; i++) {
    let s = unchecked(b[i]);
    for (let j = 0; j < i; j++) s -= unchecked(a[i * n + j]) * unchecked(b[j]);
    unchecked((b[i] = s));
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = unchecked(b[i]);
    for (let j = i + 1; j < n; j++) s -= unchecked(a[i * n + j]) * unchecked(b[j]);
    unchecked((b[i] = s / a[i * n + i]));
  }
}

/**
 * Relative threshold for the diagonal pivots of SparseLu: column k is factorised on its
 * diagonal only if |a_kk| >= SPARSE_PIVOT_THRESHOLD · max_{i>k} |a_ik| (threshold
 * pivoting, Duff, Erisman & Reid, Direct Methods for Sparse Matrices, ch. 5; the value
 * is ours, docs/model.md §1.1).
 */
export const SPARSE_PIVOT_THRESHOLD: f64 = 0.01;

/**
 * True when any of the `count` entries of `m` from `offset` on, at a position whose `watch` word is
 * all ones is not +0.0 (a −0.0 counts, which only makes the caller look closer). Two
 * lanes at a time; the callers keep `watch` as the complement of a sparsity pattern, so
 * a Jacobian that stays inside its pattern costs a pass of loads and ands, no branches.
 */
export function anyWatched(m: StaticArray<f64>, offset: i32, watch: StaticArray<i64>, count: i32): bool {
  const mp = changetype<usize>(m) + ((<usize>offset) << 3), wp = changetype<usize>(watch), pairs = count & ~1;
  let acc = i64x2.splat(0);
  for (let k = 0; k < pairs; k += 2) {
    const o = (<usize>k) << 3;
    acc = v128.or(acc, v128.and(v128.load(mp + o), v128.load(wp + o)));
  }
  if (v128.any_true(acc)) return true;
  return pairs < count && (reinterpret<i64>(unchecked(m[offset + pairs])) & unchecked(watch[pairs])) != 0;
}

/**
 * LU without row exchanges on a fill-reducing order, for Newton matrices W = c·I − M whose
 * sparsity pattern is known. The pattern is the union of the nonzeros of every M passed
 * to `update` (it only grows); each time it grows, `analyse` picks the pivot order by
 * Markowitz's rule on the diagonal and computes the fill-in once, so `factor` and `solve`
 * touch only the entries of L and U that can be nonzero. The matrix is held dense,
 * row-major, in the permuted order. docs/model.md §1.1.
 */
export class SparseLu {
  n: i32;
  /** Entries of M that have been nonzero, and the diagonal (original order, row-major). */
  pattern: StaticArray<bool>;
  /** The positions outside the pattern, the only ones `update` has to look at. */
  outside: StaticArray<i32>;
  outsideCount: i32 = 0;
  /** All ones at the positions outside the pattern (anyWatched), zero inside it. */
  watch: StaticArray<i64>;
  /** perm[k]: original index of the k-th pivot. */
  perm: StaticArray<i32>;
  /** Column k of L: rows lRow[lStart[k] .. lStart[k+1]) below the diagonal (permuted order). */
  lStart: StaticArray<i32>;
  lRow: StaticArray<i32>;
  /** Row k of L: columns lCol[lRowStart[k] .. lRowStart[k+1]) left of the diagonal (for the solve). */
  lRowStart: StaticArray<i32>;
  lCol: StaticArray<i32>;
  /** lRowOf[t]: the row of entry t of L's rows (lCol), for the solve's single pass over L. */
  lRowOf: StaticArray<i32>;
  /** Row k of U: columns uCol[uStart[k] .. uStart[k+1]) right of the diagonal (permuted order). */
  uStart: StaticArray<i32>;
  uCol: StaticArray<i32>;
  /** lRowPos[t]: where entry t of L's columns (lRow) sits in L's rows (lCol). */
  lRowPos: StaticArray<i32>;
  /** L, U and 1/diag(U) of the last `factor`, packed in the order the solve reads them. */
  lVal: StaticArray<f64>;
  uVal: StaticArray<f64>;
  diagInv: StaticArray<f64>;
  /** Positions of L + U (permuted, row-major) and the positions of M they come from. */
  fillDst: StaticArray<i32>;
  fillSrc: StaticArray<i32>;
  fillCount: i32 = 0;
  /** Scratch: the symbolic elimination, the uneliminated rows, the permuted right-hand side. */
  work: StaticArray<bool>;
  remaining: StaticArray<bool>;
  x: StaticArray<f64>;
  /** Scratch of analyse: off-diagonal counts of the remaining rows and columns, the pivot's row and column. */
  rowCount: StaticArray<i32>;
  colCount: StaticArray<i32>;
  rowList: StaticArray<i32>;
  colList: StaticArray<i32>;

  /** Allocates everything for n×n; called once per run (integrator's allocate). */
  constructor(n: i32) {
    this.n = n;
    this.pattern = new StaticArray<bool>(n * n);
    this.outside = new StaticArray<i32>(n * n);
    this.watch = new StaticArray<i64>(n * n);
    this.perm = new StaticArray<i32>(n);
    this.lStart = new StaticArray<i32>(n + 1);
    this.lRow = new StaticArray<i32>(n * n);
    this.lRowStart = new StaticArray<i32>(n + 1);
    this.lCol = new StaticArray<i32>(n * n);
    this.lRowOf = new StaticArray<i32>(n * n);
    this.uStart = new StaticArray<i32>(n + 1);
    this.uCol = new StaticArray<i32>(n * n);
    this.lRowPos = new StaticArray<i32>(n * n);
    this.lVal = new StaticArray<f64>(n * n);
    this.uVal = new StaticArray<f64>(n * n);
    this.diagInv = new StaticArray<f64>(n);
    this.fillDst = new StaticArray<i32>(n * n);
    this.fillSrc = new StaticArray<i32>(n * n);
    this.work = new StaticArray<bool>(n * n);
    this.remaining = new StaticArray<bool>(n);
    this.x = new StaticArray<f64>(n);
    this.rowCount = new StaticArray<i32>(n);
    this.colCount = new StaticArray<i32>(n);
    this.rowList = new StaticArray<i32>(n);
    this.colList = new StaticArray<i32>(n);
    for (let i = 0; i < n; i++) unchecked((this.pattern[i * n + i] = true));
    this.analyse();
  }

  /**
   * Sets the pattern to a declared one (row-major n×n, the diagonal added) and analyses
   * it; for models that declare their Jacobian's pattern, once per run.
   */
  seed(declared: StaticArray<bool>): void {
    const n = this.n;
    for (let k = 0; k < n * n; k++) unchecked((this.pattern[k] = declared[k]));
    for (let i = 0; i < n; i++) unchecked((this.pattern[i * n + i] = true));
    this.analyse();
  }

  /**
   * Adds the nonzeros of M (row-major, row stride n) to the pattern and re-analyses if
   * any is new. Called once per Jacobian; looks only at the entries outside the pattern.
   */
  update(m: StaticArray<f64>): void {
    if (!anyWatched(m, 0, this.watch, this.n * this.n)) return;
    const pattern = this.pattern;
    const outside = this.outside;
    const count = this.outsideCount;
    let grown = false;
    for (let t = 0; t < count; t++) {
      const k = unchecked(outside[t]);
      if (unchecked(m[k]) != 0.0) {
        unchecked((pattern[k] = true));
        grown = true;
      }
    }
    if (grown) this.analyse();
  }

  /**
   * Pivot order and fill-in for the current pattern: at each step the remaining diagonal
   * with the least Markowitz count (r − 1)(c − 1) (lowest index on ties), then the
   * symbolic elimination of its row and column. The counts are kept up to date as pivots
   * go, so the cost is O(n²) plus the fill; only when the pattern grows.
   */
  analyse(): void {
    const n = this.n;
    const work = this.work;
    const remaining = this.remaining;
    const rowCount = this.rowCount;
    const colCount = this.colCount;
    const rowList = this.rowList;
    const colList = this.colList;
    let outsideCount = 0;
    for (let k = 0; k < n * n; k++) {
      const inside = unchecked(this.pattern[k]);
      unchecked((work[k] = inside));
      unchecked((this.watch[k] = inside ? 0 : -1));
      if (!inside) unchecked((this.outside[outsideCount++] = k));
    }
    this.outsideCount = outsideCount;
    // Off-diagonal counts of every row and column, kept up to date as pivots are
    // eliminated (so each choice costs O(n), not O(n²)).
    for (let i = 0; i < n; i++) {
      unchecked((remaining[i] = true));
      unchecked((rowCount[i] = 0));
      unchecked((colCount[i] = 0));
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i != j && unchecked(work[i * n + j])) {
          unchecked((rowCount[i] += 1));
          unchecked((colCount[j] += 1));
        }
      }
    }
    for (let k = 0; k < n; k++) {
      let best = -1;
      let bestCost = i32.MAX_VALUE;
      for (let c = 0; c < n; c++) {
        if (!unchecked(remaining[c])) continue;
        const cost = unchecked(rowCount[c]) * unchecked(colCount[c]);
        if (cost < bestCost) {
          bestCost = cost;
          best = c;
        }
      }
      unchecked((this.perm[k] = best));
      unchecked((remaining[best] = false));
      // The pivot's row and column among the remaining ones, which leave the counts.
      let nr = 0, nc = 0;
      for (let j = 0; j < n; j++) {
        if (!unchecked(remaining[j])) continue;
        if (unchecked(work[best * n + j])) {
          unchecked((rowList[nr++] = j));
          unchecked((colCount[j] -= 1));
        }
        if (unchecked(work[j * n + best])) {
          unchecked((colList[nc++] = j));
          unchecked((rowCount[j] -= 1));
        }
      }
      for (let a = 0; a < nc; a++) {
        const i = unchecked(colList[a]);
        for (let b = 0; b < nr; b++) {
          const j = unchecked(rowList[b]);
          if (!unchecked(work[i * n + j])) {
            unchecked((work[i * n + j] = true));
            if (i != j) {
              unchecked((rowCount[i] += 1));
              unchecked((colCount[j] += 1));
            }
          }
        }
      }
    }
    // Lists of the filled pattern in the permuted order.
    const perm = this.perm;
    let nl = 0, nlr = 0, nu = 0, nf = 0;
    for (let k = 0; k < n; k++) {
      unchecked((this.lStart[k] = nl));
      unchecked((this.lRowStart[k] = nlr));
      unchecked((this.uStart[k] = nu));
      const pk = unchecked(perm[k]);
      for (let m = 0; m < n; m++) {
        const pm = unchecked(perm[m]);
        if (m > k && unchecked(work[pm * n + pk])) unchecked((this.lRow[nl++] = m));
        if (m < k && unchecked(work[pk * n + pm])) {
          unchecked((this.lRowOf[nlr] = k));
          unchecked((this.lCol[nlr++] = m));
        }
        if (m > k && unchecked(work[pk * n + pm])) unchecked((this.uCol[nu++] = m));
        if (unchecked(work[pk * n + pm])) {
          unchecked((this.fillDst[nf] = k * n + m));
          unchecked((this.fillSrc[nf] = pk * n + pm));
          nf++;
        }
      }
    }
    unchecked((this.lStart[n] = nl));
    unchecked((this.lRowStart[n] = nlr));
    unchecked((this.uStart[n] = nu));
    this.fillCount = nf;
    // Entry (m, k) of L: position t in column k's list, lRowPos[t] in row m's.
    const next = this.rowList; // scratch: next free position in each row of L
    for (let m = 0; m < n; m++) unchecked((next[m] = this.lRowStart[m]));
    for (let k = 0; k < n; k++) {
      for (let t = unchecked(this.lStart[k]); t < unchecked(this.lStart[k + 1]); t++) {
        const m = unchecked(this.lRow[t]);
        unchecked((this.lRowPos[t] = next[m]));
        unchecked((next[m] += 1));
      }
    }
  }

  /**
   * a = c·I − M in the permuted order (only the entries of L + U are written; the others
   * are never read). M is row-major with row stride n, rows and columns in the original order.
   */
  build(a: StaticArray<f64>, m: StaticArray<f64>, c: f64): void {
    const n = this.n;
    const fillDst = this.fillDst, fillSrc = this.fillSrc, count = this.fillCount;
    for (let t = 0; t < count; t++) unchecked((a[fillDst[t]] = -m[fillSrc[t]]));
    for (let k = 0; k < n; k++) unchecked((a[k * n + k] += c));
  }

  /**
   * Factorises `a` (from build) in place as L·U on the diagonal pivots. Called once per
   * attempted Rosenbrock step. Returns false when a pivot is zero, not finite, or below
   * the threshold against its column: the caller then uses luFactor (partial pivoting).
   */
  factor(a: StaticArray<f64>): bool {
    // Fields in locals: a store into `a` could alias them as far as the compiler knows.
    const n = this.n;
    const lStart = this.lStart, lRow = this.lRow, uStartAt = this.uStart, uCol = this.uCol;
    const lRowPos = this.lRowPos, lVal = this.lVal, uVal = this.uVal, diagInv = this.diagInv;
    for (let k = 0; k < n; k++) {
      const pivot = unchecked(a[k * n + k]);
      const start = unchecked(lStart[k]);
      const end = unchecked(lStart[k + 1]);
      let big = 0.0;
      for (let t = start; t < end; t++) big = Math.max(big, Math.abs(unchecked(a[lRow[t] * n + k])));
      if (pivot == 0.0 || !isFinite<f64>(pivot) || !(Math.abs(pivot) >= SPARSE_PIVOT_THRESHOLD * big)) return false;
      const inv = 1.0 / pivot;
      unchecked((diagInv[k] = inv));
      const uStart = unchecked(uStartAt[k]);
      const uEnd = unchecked(uStartAt[k + 1]);
      const pivotRow = k * n;
      // Row k of U is final now: pack it for the solve.
      for (let s = uStart; s < uEnd; s++) unchecked((uVal[s] = a[pivotRow + uCol[s]]));
      for (let t = start; t < end; t++) {
        const row = unchecked(lRow[t]) * n;
        const l = unchecked(a[row + k]) * inv;
        unchecked((a[row + k] = l));
        unchecked((lVal[lRowPos[t]] = l));
        if (l != 0.0) {
          for (let s = uStart; s < uEnd; s++) {
            const j = unchecked(uCol[s]);
            unchecked((a[row + j] -= l * a[pivotRow + j]));
          }
        }
      }
    }
    return true;
  }

  /**
   * Solves A·x = b in place in `b` (original order) with the factors of the last `factor`
   * (read from its packed copies, so `a` is not read). Six times per Rosenbrock attempt.
   */
  solve(a: StaticArray<f64>, b: StaticArray<f64>): void {
    const n = this.n;
    const x = this.x, perm = this.perm, lRowStart = this.lRowStart, lCol = this.lCol, uStart = this.uStart, uCol = this.uCol;
    const lVal = this.lVal, uVal = this.uVal, diagInv = this.diagInv;
    // Forward: L's entries row after row in one pass (rows are short: one loop, not one per
    // row); each subtracts from its row what the rows above it have settled. The same
    // operations in the same order as a row-by-row sum.
    for (let i = 0; i < n; i++) unchecked((x[i] = b[perm[i]]));
    const lRowOf = this.lRowOf, nl = unchecked(lRowStart[n]);
    for (let t = 0; t < nl; t++) {
      const r = unchecked(lRowOf[t]);
      unchecked((x[r] = x[r] - lVal[t] * x[lCol[t]]));
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = unchecked(x[i]);
      const end = unchecked(uStart[i + 1]);
      for (let t = unchecked(uStart[i]); t < end; t++) s -= unchecked(uVal[t]) * unchecked(x[uCol[t]]);
      unchecked((x[i] = s * diagInv[i]));
    }
    for (let k = 0; k < n; k++) unchecked((b[perm[k]] = x[k]));
  }
}

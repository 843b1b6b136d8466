// Dense LU factorisation with partial pivoting and the matching solve, for the
// Newton matrices of the Rosenbrock solver. Row-major n×n, in place, no allocation.

/**
 * Factorises `a` (row-major n×n) in place as P·A = L·U; pivot rows go to `piv`.
 * Called once per attempted Rosenbrock step. Returns false when a pivot is zero
 * or not finite (the caller retries with a smaller step).
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

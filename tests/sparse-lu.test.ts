// The sparse LU of the Newton matrices (assembly/linalg.ts SparseLu, docs/model.md §1.1)
// against dense LU with partial pivoting. It runs on the plain-TypeScript port of the
// core (benchmarks/baseline/ts-core.ts), which tests/baseline-port.test.ts holds
// bit-identical to the WebAssembly core.
import { describe, expect, test } from "vitest";
import { luFactor, luSolve, SparseLu } from "../benchmarks/baseline/ts-core";
import { seededRandom as rng } from "../web/model/seeded-random";


/** A random n×n matrix M with about `density` of its entries nonzero, values in (-scale, scale). */
function randomSparse(n: number, density: number, scale: number, next: () => number): Float64Array {
  const m = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) if (next() < density) m[k] = (2 * next() - 1) * scale;
  return m;
}

/** x from W x = b by the sparse LU of W = c·I − M; null when a pivot was refused. */
function sparseSolve(lu: SparseLu, m: Float64Array, c: number, b: Float64Array): Float64Array | null {
  const a = new Float64Array(lu.n * lu.n);
  lu.build(a, m, c);
  if (!lu.factor(a)) return null;
  const x = b.slice();
  lu.solve(a, x);
  return x;
}

function denseSolve(m: Float64Array, c: number, b: Float64Array): Float64Array {
  const n = b.length;
  const a = m.map((v) => -v);
  for (let i = 0; i < n; i++) a[i * n + i] += c;
  const piv = new Int32Array(n);
  expect(luFactor(a, piv, n)).toBe(true);
  const x = b.slice();
  luSolve(a, piv, n, x);
  return x;
}

function worstRelDiff(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  const scale = Math.max(...b.map(Math.abs));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  return worst;
}

describe("SparseLu", () => {
  test("solves diagonally dominant sparse systems as dense LU does", () => {
    const next = rng(1);
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + Math.floor(next() * 30);
      const m = randomSparse(n, 0.25, 1, next);
      const lu = new SparseLu(n);
      lu.update(m);
      const b = Float64Array.from({ length: n }, () => 2 * next() - 1);
      const c = 4 * n; // W = c·I − M is strongly diagonally dominant: every pivot passes
      const x = sparseSolve(lu, m, c, b);
      expect(x).not.toBeNull();
      expect(worstRelDiff(x!, denseSolve(m, c, b))).toBeLessThan(1e-13);
    }
  });

  test("touches fewer entries than dense where the pattern allows it", () => {
    // An arrow matrix: dense first row and column, diagonal elsewhere. Eliminated in the
    // natural order it fills completely; Markowitz's rule takes the dense row last.
    const n = 12;
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      m[i * n + i] = -1;
      m[i] = 0.5; // row 0
      m[i * n] = 0.5; // column 0
    }
    const lu = new SparseLu(n);
    lu.update(m);
    expect(lu.fillCount).toBe(3 * n - 2); // no fill-in at all
    expect(Array.from(lu.perm).indexOf(0)).toBeGreaterThanOrEqual(n - 2);
    const b = Float64Array.from({ length: n }, (_, i) => i + 1);
    expect(worstRelDiff(sparseSolve(lu, m, 2, b)!, denseSolve(m, 2, b))).toBeLessThan(1e-14);
  });

  test("the pattern only grows, and a new nonzero re-analyses it", () => {
    const n = 6;
    const lu = new SparseLu(n);
    expect(lu.fillCount).toBe(n); // the diagonal
    const m = new Float64Array(n * n);
    m[1 * n + 4] = 3;
    lu.update(m);
    expect(lu.fillCount).toBe(n + 1);
    // An entry that vanishes later stays in the pattern (it is read as an exact zero).
    const m2 = new Float64Array(n * n);
    m2[5 * n + 2] = -2;
    lu.update(m2);
    expect(lu.fillCount).toBe(n + 2);
    const b = Float64Array.from({ length: n }, (_, i) => 1 - i);
    expect(worstRelDiff(sparseSolve(lu, m2, 3, b)!, denseSolve(m2, 3, b))).toBeLessThan(1e-15);
    expect(worstRelDiff(sparseSolve(lu, m, 3, b)!, denseSolve(m, 3, b))).toBeLessThan(1e-15);
  });

  test("refuses a diagonal pivot below the threshold, so the caller can pivot densely", () => {
    // W = [[ε, 1], [1, 1]]: the diagonal pivot ε is tiny against its column.
    const n = 2;
    const c = 1;
    const m = Float64Array.from([1 - 1e-6, -1, -1, 0]); // W = c·I − M
    const lu = new SparseLu(n);
    lu.update(m);
    expect(lu.perm[0]).toBe(0); // both orders cost the same: the lowest index first
    expect(sparseSolve(lu, m, c, Float64Array.from([1, 2]))).toBeNull();
    const x = denseSolve(m, c, Float64Array.from([1, 2]));
    expect(x[0]).toBeCloseTo(1 / (1 - 1e-6), 9);
  });

  test("refuses a zero or non-finite pivot", () => {
    const lu = new SparseLu(2);
    const m = Float64Array.from([1, 0, 0, NaN]);
    lu.update(m);
    expect(sparseSolve(lu, m, 1, Float64Array.from([1, 1]))).toBeNull(); // a_00 = 1 - 1 = 0
  });
});

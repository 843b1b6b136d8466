// Reference problems with known answers, built into the core so that tests and
// benchmarks drive the real solvers on them (docs/model.md §1, and
// ../shared/reference/verification.json). Constants are those of the published problems.

// ROBER (Robertson 1966; Test Set for IVP Solvers, Mazzia & Magherini).
const ROBER_K1: f64 = 0.04;
const ROBER_K2: f64 = 3e7;
const ROBER_K3: f64 = 1e4;

export function roberRhs(y: StaticArray<f64>, dy: StaticArray<f64>): void {
  const y1 = unchecked(y[0]), y2 = unchecked(y[1]), y3 = unchecked(y[2]);
  const a = ROBER_K1 * y1, b = ROBER_K3 * y2 * y3, c = ROBER_K2 * y2 * y2;
  unchecked((dy[0] = -a + b));
  unchecked((dy[1] = a - b - c));
  unchecked((dy[2] = c));
}

/** Row-major Jacobian into `jac` (3×3). */
export function roberJac(y: StaticArray<f64>, jac: StaticArray<f64>): void {
  const y2 = unchecked(y[1]), y3 = unchecked(y[2]);
  unchecked((jac[0] = -ROBER_K1));
  unchecked((jac[1] = ROBER_K3 * y3));
  unchecked((jac[2] = ROBER_K3 * y2));
  unchecked((jac[3] = ROBER_K1));
  unchecked((jac[4] = -ROBER_K3 * y3 - 2.0 * ROBER_K2 * y2));
  unchecked((jac[5] = -ROBER_K3 * y2));
  unchecked((jac[6] = 0.0));
  unchecked((jac[7] = 2.0 * ROBER_K2 * y2));
  unchecked((jac[8] = 0.0));
}

// HIRES (Schäfer 1975; Test Set for IVP Solvers).
export function hiresRhs(y: StaticArray<f64>, dy: StaticArray<f64>): void {
  const y1 = unchecked(y[0]), y2 = unchecked(y[1]), y3 = unchecked(y[2]), y4 = unchecked(y[3]);
  const y5 = unchecked(y[4]), y6 = unchecked(y[5]), y7 = unchecked(y[6]), y8 = unchecked(y[7]);
  unchecked((dy[0] = -1.71 * y1 + 0.43 * y2 + 8.32 * y3 + 0.0007));
  unchecked((dy[1] = 1.71 * y1 - 8.75 * y2));
  unchecked((dy[2] = -10.03 * y3 + 0.43 * y4 + 0.035 * y5));
  unchecked((dy[3] = 8.32 * y2 + 1.71 * y3 - 1.12 * y4));
  unchecked((dy[4] = -1.745 * y5 + 0.43 * y6 + 0.43 * y7));
  unchecked((dy[5] = -280.0 * y6 * y8 + 0.69 * y4 + 1.71 * y5 - 0.43 * y6 + 0.69 * y7));
  unchecked((dy[6] = 280.0 * y6 * y8 - 1.81 * y7));
  unchecked((dy[7] = -280.0 * y6 * y8 + 1.81 * y7));
}

export function hiresJac(y: StaticArray<f64>, jac: StaticArray<f64>): void {
  for (let i = 0; i < 64; i++) unchecked((jac[i] = 0.0));
  const y6 = unchecked(y[5]), y8 = unchecked(y[7]);
  unchecked((jac[0 * 8 + 0] = -1.71));
  unchecked((jac[0 * 8 + 1] = 0.43));
  unchecked((jac[0 * 8 + 2] = 8.32));
  unchecked((jac[1 * 8 + 0] = 1.71));
  unchecked((jac[1 * 8 + 1] = -8.75));
  unchecked((jac[2 * 8 + 2] = -10.03));
  unchecked((jac[2 * 8 + 3] = 0.43));
  unchecked((jac[2 * 8 + 4] = 0.035));
  unchecked((jac[3 * 8 + 1] = 8.32));
  unchecked((jac[3 * 8 + 2] = 1.71));
  unchecked((jac[3 * 8 + 3] = -1.12));
  unchecked((jac[4 * 8 + 4] = -1.745));
  unchecked((jac[4 * 8 + 5] = 0.43));
  unchecked((jac[4 * 8 + 6] = 0.43));
  unchecked((jac[5 * 8 + 3] = 0.69));
  unchecked((jac[5 * 8 + 4] = 1.71));
  unchecked((jac[5 * 8 + 5] = -280.0 * y8 - 0.43));
  unchecked((jac[5 * 8 + 6] = 0.69));
  unchecked((jac[5 * 8 + 7] = -280.0 * y6));
  unchecked((jac[6 * 8 + 5] = 280.0 * y8));
  unchecked((jac[6 * 8 + 6] = -1.81));
  unchecked((jac[6 * 8 + 7] = 280.0 * y6));
  unchecked((jac[7 * 8 + 5] = -280.0 * y8));
  unchecked((jac[7 * 8 + 6] = 1.81));
  unchecked((jac[7 * 8 + 7] = -280.0 * y6));
}

// VDPOL, van der Pol in the scaled form of the Test Set (epsilon = 1e-6).
const VDPOL_EPS: f64 = 1e-6;

export function vdpolRhs(y: StaticArray<f64>, dy: StaticArray<f64>): void {
  const y1 = unchecked(y[0]), y2 = unchecked(y[1]);
  unchecked((dy[0] = y2));
  unchecked((dy[1] = ((1.0 - y1 * y1) * y2 - y1) / VDPOL_EPS));
}

export function vdpolJac(y: StaticArray<f64>, jac: StaticArray<f64>): void {
  const y1 = unchecked(y[0]), y2 = unchecked(y[1]);
  unchecked((jac[0] = 0.0));
  unchecked((jac[1] = 1.0));
  unchecked((jac[2] = (-2.0 * y1 * y2 - 1.0) / VDPOL_EPS));
  unchecked((jac[3] = (1.0 - y1 * y1) / VDPOL_EPS));
}

// Non-stiff problems with exact solutions (scipy/integrate/_ivp/tests/test_ivp.py).
/** y1' = y2/t; y2' = y2 (y1 + 2 y2 - 1) / (t (y1 - 1)); exact y1 = t/(t+10), y2 = 10t/(t+10)^2. */
export function rationalRhs(t: f64, y: StaticArray<f64>, dy: StaticArray<f64>): void {
  const y1 = unchecked(y[0]), y2 = unchecked(y[1]);
  unchecked((dy[0] = y2 / t));
  unchecked((dy[1] = (y2 * (y1 + 2.0 * y2 - 1.0)) / (t * (y1 - 1.0))));
}

/** y1' = -y1 - 5 y2; y2' = y1 + y2; exact y1 = -5 sin 2t, y2 = 2 cos 2t + sin 2t. */
export function linearRhs(y: StaticArray<f64>, dy: StaticArray<f64>): void {
  const y1 = unchecked(y[0]), y2 = unchecked(y[1]);
  unchecked((dy[0] = -y1 - 5.0 * y2));
  unchecked((dy[1] = y1 + y2));
}

export function linearJac(jac: StaticArray<f64>): void {
  unchecked((jac[0] = -1.0));
  unchecked((jac[1] = -5.0));
  unchecked((jac[2] = 1.0));
  unchecked((jac[3] = 1.0));
}

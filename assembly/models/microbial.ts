// Well-mixed stirred tank with the microbial cell model: Monod growth on one
// substrate, Pirt maintenance, first-order death, Luedeking–Piret product, oxygen
// uptake against transfer kLa (C* - C), and volume change from feeds. The equations,
// units and sources are in docs/model.md §2; every term has a 0/1 switch.
import {
  MX_X, MX_XD, MX_S, MX_P, MX_O2, MX_V, MX_S_FED, MX_S_USED, MX_S_OUT,
  MXD_MU, MXD_QS, MXD_OUR, MXD_OTR, MXD_DO, MXD_FEED, MXD_VIABILITY,
  MP_MU_MAX, MP_KS, MP_YXS, MP_MS, MP_KD, MP_ALPHA, MP_BETA, MP_YXO, MP_MO, MP_KO, MP_XMAX,
  MP_KLA, MP_O2_SAT, MP_FEED_S, MP_FEED_RATE, MP_FEED_EXP, MP_FEED_T0, MP_OUTFLOW,
  MP_ON_SUBSTRATE_LIMIT, MP_ON_MAINTENANCE, MP_ON_DEATH, MP_ON_PRODUCT, MP_ON_OXYGEN,
  STATUS_OK, STATUS_RECOVERABLE,
} from "../layout";

/** Inflow rate F(t) in L/h: constant, or exponential from MP_FEED_T0 (docs/model.md §2.4). */
@inline
export function feedRate(t: f64, p: StaticArray<f64>): f64 {
  const f0 = unchecked(p[MP_FEED_RATE]);
  const k = unchecked(p[MP_FEED_EXP]);
  if (f0 == 0.0 || k == 0.0) return f0;
  return f0 * Math.exp(k * (t - unchecked(p[MP_FEED_T0])));
}

/** True when the right-hand side depends on t explicitly (exponential feed). */
export function microbialIsAutonomous(p: StaticArray<f64>): bool {
  return unchecked(p[MP_FEED_EXP]) == 0.0 || unchecked(p[MP_FEED_RATE]) == 0.0;
}

// Rates shared by the right-hand side and the derived outputs.
let rMu: f64 = 0.0; // 1/h
let rQs: f64 = 0.0; // g/g/h
let rQo: f64 = 0.0; // mmol/g/h
let rOtr: f64 = 0.0; // mmol/L/h

@inline
function rates(y: StaticArray<f64>, p: StaticArray<f64>): void {
  const x = unchecked(y[MX_X]);
  const s = Math.max(unchecked(y[MX_S]), 0.0);
  const o = Math.max(unchecked(y[MX_O2]), 0.0);
  const oxygenOn = unchecked(p[MP_ON_OXYGEN]) != 0.0;
  const fS = unchecked(p[MP_ON_SUBSTRATE_LIMIT]) != 0.0 ? s / (unchecked(p[MP_KS]) + s) : 1.0;
  const fO = oxygenOn ? o / (unchecked(p[MP_KO]) + o) : 1.0;
  const xMax = unchecked(p[MP_XMAX]);
  const fCrowd = xMax > 0.0 ? 1.0 - x / xMax : 1.0;
  const mu = unchecked(p[MP_MU_MAX]) * fS * fO * fCrowd;
  // Maintenance is met only as fast as substrate (and oxygen) can be taken up: m_S·f_S·f_O.
  const maint = unchecked(p[MP_ON_MAINTENANCE]) != 0.0 ? unchecked(p[MP_MS]) * fS * fO : 0.0;
  rMu = mu;
  rQs = mu / unchecked(p[MP_YXS]) + maint;
  rQo = oxygenOn
    ? mu / unchecked(p[MP_YXO]) + (unchecked(p[MP_ON_MAINTENANCE]) != 0.0 ? unchecked(p[MP_MO]) * fO : 0.0)
    : 0.0;
  rOtr = oxygenOn ? unchecked(p[MP_KLA]) * (unchecked(p[MP_O2_SAT]) - unchecked(y[MX_O2])) : 0.0;
}

/**
 * Right-hand side, called by the solvers several times per step.
 * Concentrations follow dc/dt = D_in (c_feed - c) + r, with D_in = F_in / V, which
 * holds with or without outflow (docs/model.md §2.4).
 */
export function microbialRhs(t: f64, y: StaticArray<f64>, dy: StaticArray<f64>, p: StaticArray<f64>): i32 {
  const v = unchecked(y[MX_V]);
  if (!(v > 0.0)) return STATUS_RECOVERABLE;
  rates(y, p);
  const x = unchecked(y[MX_X]);
  const fIn = feedRate(t, p);
  const fOut = unchecked(p[MP_OUTFLOW]) != 0.0 ? fIn : 0.0;
  const dIn = fIn / v;
  const kd = unchecked(p[MP_ON_DEATH]) != 0.0 ? unchecked(p[MP_KD]) : 0.0;
  const qp = unchecked(p[MP_ON_PRODUCT]) != 0.0 ? unchecked(p[MP_ALPHA]) * rMu + unchecked(p[MP_BETA]) : 0.0;
  const s = unchecked(y[MX_S]);
  const sFeed = unchecked(p[MP_FEED_S]);
  unchecked((dy[MX_X] = -dIn * x + (rMu - kd) * x));
  unchecked((dy[MX_XD] = -dIn * y[MX_XD] + kd * x));
  unchecked((dy[MX_S] = dIn * (sFeed - s) - rQs * x));
  unchecked((dy[MX_P] = -dIn * y[MX_P] + qp * x));
  // The feed medium is taken to be air-saturated (docs/model.md §2.5).
  unchecked((dy[MX_O2] = unchecked(p[MP_ON_OXYGEN]) != 0.0
    ? dIn * (p[MP_O2_SAT] - y[MX_O2]) + rOtr - rQo * x
    : 0.0));
  unchecked((dy[MX_V] = fIn - fOut));
  unchecked((dy[MX_S_FED] = fIn * sFeed));
  unchecked((dy[MX_S_USED] = rQs * x * v));
  unchecked((dy[MX_S_OUT] = fOut * s));
  return STATUS_OK;
}

/** Derived outputs for one output row, written at out[off + MXD_*]. */
export function microbialDerived(t: f64, y: StaticArray<f64>, p: StaticArray<f64>, out: StaticArray<f64>, off: i32): void {
  rates(y, p);
  const x = unchecked(y[MX_X]);
  const total = x + unchecked(y[MX_XD]);
  unchecked((out[off + MXD_MU] = rMu));
  unchecked((out[off + MXD_QS] = rQs));
  unchecked((out[off + MXD_OUR] = rQo * x));
  unchecked((out[off + MXD_OTR] = rOtr));
  unchecked((out[off + MXD_DO] = (100.0 * y[MX_O2]) / p[MP_O2_SAT]));
  unchecked((out[off + MXD_FEED] = feedRate(t, p)));
  unchecked((out[off + MXD_VIABILITY] = total > 0.0 ? (100.0 * x) / total : 100.0));
}

/** A bolus of `volumeL` litres of feed medium, mixed at once (docs/model.md §2.4). */
export function microbialBolus(y: StaticArray<f64>, p: StaticArray<f64>, volumeL: f64): void {
  const v = unchecked(y[MX_V]);
  const vNew = v + volumeL;
  const keep = v / vNew;
  const sFeed = unchecked(p[MP_FEED_S]);
  unchecked((y[MX_X] *= keep));
  unchecked((y[MX_XD] *= keep));
  unchecked((y[MX_S] = y[MX_S] * keep + (sFeed * volumeL) / vNew));
  unchecked((y[MX_P] *= keep));
  if (unchecked(p[MP_ON_OXYGEN]) != 0.0) {
    unchecked((y[MX_O2] = y[MX_O2] * keep + (p[MP_O2_SAT] * volumeL) / vNew));
  }
  unchecked((y[MX_V] = vNew));
  unchecked((y[MX_S_FED] += sFeed * volumeL));
}

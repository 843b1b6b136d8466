// Dispatch from the selected model id to its right-hand side, Jacobian, derived
// outputs and event handling. The solvers see models only through this file.
import {
  MODEL_MICROBIAL, MODEL_ROBER, MODEL_HIRES, MODEL_VDPOL, MODEL_RATIONAL, MODEL_LINEAR, MODEL_CHO, MODEL_CHO_ZONES,
  MX_STATES, MX_DERIVED, MX_X, MX_XD, MX_S, MX_P, MX_O2, MX_V, MX_S_FED, CX_DERIVED,
  EVENT_BOLUS, EVENT_SAMPLE, EVENT_FEED_ON_DEMAND,
  STATUS_OK,
} from "./layout";
import {
  choRhs, choJacobian, choDerived, choIsAutonomous, choIsNonNegative, choPrepare, choBolus, choSample, choFeedOnDemand,
  choStopValue, choParamsChanged, choLockSwitches, choSwitches, choCrossSwitch, CHO_DYNAMIC, CHO_STATES, CHO_SWITCH_FUNCTIONS,
  choSaveCheckpoint, choRestoreCheckpoint, choSetDerivedRates,
} from "./models/cho";
import {
  czRhs, czDerived, czPrepare, czBolus, czSample, czFeedOnDemand, czStopValue, czIsNonNegative, czStateCount,
  czDynamicCount, czDerivedCount, czAuxCount, czAuxTarget, czAuxValues, czPattern, czSetZoneCount,
} from "./models/cho-zones";
import { microbialRhs, microbialDerived, microbialBolus, microbialIsAutonomous } from "./models/microbial";
import {
  roberRhs, roberJac, hiresRhs, hiresJac, vdpolRhs, vdpolJac, rationalRhs, linearRhs, linearJac,
} from "./models/testset";

/** Number of states of a model, or 0 for an unknown id. */
export function modelStateCount(model: i32): i32 {
  switch (model) {
    case MODEL_MICROBIAL: return MX_STATES;
    case MODEL_ROBER: return 3;
    case MODEL_HIRES: return 8;
    case MODEL_VDPOL: return 2;
    case MODEL_RATIONAL: return 2;
    case MODEL_LINEAR: return 2;
    case MODEL_CHO: return CHO_STATES;
    case MODEL_CHO_ZONES: return czStateCount();
    default: return 0;
  }
}

/**
 * Number of leading states that the dynamics depend on. The rest are quadratures
 * (cumulative amounts for balances): nothing depends on them, so the solver keeps
 * them out of the Newton matrix (docs/model.md §1.1).
 */
export function modelDynamicCount(model: i32): i32 {
  switch (model) {
    case MODEL_MICROBIAL: return MX_S_FED;
    case MODEL_CHO: return CHO_DYNAMIC;
    case MODEL_CHO_ZONES: return czDynamicCount();
    default: return modelStateCount(model);
  }
}

/** Number of derived outputs written after the states in each output row. */
export function modelDerivedCount(model: i32): i32 {
  if (model == MODEL_MICROBIAL) return MX_DERIVED;
  if (model == MODEL_CHO) return CX_DERIVED;
  if (model == MODEL_CHO_ZONES) return czDerivedCount();
  return 0;
}

/** f(t, y) into dy; returns a status (0 ok, 1 recoverable). */
export function modelRhs(model: i32, t: f64, y: StaticArray<f64>, dy: StaticArray<f64>, p: StaticArray<f64>): i32 {
  switch (model) {
    case MODEL_MICROBIAL: return microbialRhs(t, y, dy, p);
    case MODEL_CHO: return choRhs(t, y, dy, p);
    case MODEL_CHO_ZONES: return czRhs(t, y, dy, p);
    case MODEL_ROBER: roberRhs(y, dy); break;
    case MODEL_HIRES: hiresRhs(y, dy); break;
    case MODEL_VDPOL: vdpolRhs(y, dy); break;
    case MODEL_RATIONAL: rationalRhs(t, y, dy); break;
    case MODEL_LINEAR: linearRhs(y, dy); break;
  }
  return STATUS_OK;
}

/**
 * Writes the analytic Jacobian ∂f/∂y at (t, y) into `jac` (every state's row, one column per
 * dynamic state, row stride nd) and returns true, or returns false (finite differences).
 * The test-set models have no quadratures: for them nd = n.
 */
export function modelJacobian(model: i32, t: f64, y: StaticArray<f64>, p: StaticArray<f64>, jac: StaticArray<f64>, nd: i32): bool {
  switch (model) {
    case MODEL_CHO: return choJacobian(t, y, p, jac, nd);
    case MODEL_ROBER: roberJac(y, jac); return true;
    case MODEL_HIRES: hiresJac(y, jac); return true;
    case MODEL_VDPOL: vdpolJac(y, jac); return true;
    case MODEL_LINEAR: linearJac(jac); return true;
    default: return false;
  }
}

/** False when f depends on t explicitly, so Rosenbrock needs df/dt. */
export function modelIsAutonomous(model: i32, p: StaticArray<f64>): bool {
  if (model == MODEL_RATIONAL) return false;
  if (model == MODEL_MICROBIAL) return microbialIsAutonomous(p);
  if (model == MODEL_CHO || model == MODEL_CHO_ZONES) return choIsAutonomous(p);
  return true;
}

/** True for states that are amounts or concentrations and may never go negative. */
export function modelIsNonNegative(model: i32, i: i32): bool {
  if (model == MODEL_CHO) return choIsNonNegative(i);
  if (model == MODEL_CHO_ZONES) return czIsNonNegative(i);
  if (model != MODEL_MICROBIAL) return false;
  return i == MX_X || i == MX_XD || i == MX_S || i == MX_P || i == MX_O2 || i == MX_V;
}

export function modelDerived(model: i32, t: f64, y: StaticArray<f64>, p: StaticArray<f64>, out: StaticArray<f64>, off: i32): void {
  if (model == MODEL_MICROBIAL) microbialDerived(t, y, p, out, off);
  else if (model == MODEL_CHO) choDerived(t, y, p, out, off);
  else if (model == MODEL_CHO_ZONES) czDerived(t, y, p, out, off);
}

/** Applies a model event (bolus of medium `index`, sample, feed-on-demand check); others ignore it. */
export function modelEvent(model: i32, kind: i32, y: StaticArray<f64>, p: StaticArray<f64>, index: i32, value: f64): void {
  if (model == MODEL_MICROBIAL) {
    if (kind == EVENT_BOLUS) microbialBolus(y, p, value);
  } else if (model == MODEL_CHO) {
    if (kind == EVENT_BOLUS) choBolus(y, p, index, value);
    else if (kind == EVENT_SAMPLE) choSample(y, value);
    else if (kind == EVENT_FEED_ON_DEMAND) choFeedOnDemand(y, p, index);
  } else if (model == MODEL_CHO_ZONES) {
    if (kind == EVENT_BOLUS) czBolus(y, p, index, value);
    else if (kind == EVENT_SAMPLE) czSample(y, p, value);
    else if (kind == EVENT_FEED_ON_DEMAND) czFeedOnDemand(y, p, index);
  }
}

/** Called whenever parameters or the state jump (events, setParam): models drop their memos. */
export function modelParamsChanged(model: i32): void {
  if (model == MODEL_CHO || model == MODEL_CHO_ZONES) choParamsChanged();
}

/** Completes the initial state before the first step; a status (BAD_SETUP with a problem code). */
export function modelPrepare(model: i32, y: StaticArray<f64>, p: StaticArray<f64>): i32 {
  if (model == MODEL_CHO_ZONES) return czPrepare(y, p);
  return model == MODEL_CHO ? choPrepare(y, p) : STATUS_OK;
}

/** A stop condition: the run stops where this falls through zero (Infinity: none). */
export function modelStopValue(model: i32, y: StaticArray<f64>, p: StaticArray<f64>): f64 {
  if (model == MODEL_CHO_ZONES) return czStopValue(y, p);
  return model == MODEL_CHO ? choStopValue(y, p) : Infinity;
}

/** Sets a model's size before init (the zone count of MODEL_CHO_ZONES); false if out of range or sizeless. */
export function modelSetSize(model: i32, size: i32): bool {
  return model == MODEL_CHO_ZONES ? czSetZoneCount(size) : false;
}

/**
 * True when the model declares its Jacobian's pattern (modelPattern) and sum rows
 * (modelAux*): the solver then builds J by finite differences over groups of columns
 * that touch disjoint rows (docs/model.md §1.1).
 */
export function modelHasPattern(model: i32): bool {
  return model == MODEL_CHO_ZONES;
}

/** May ∂f_row/∂y_col be nonzero? Rows from stateCount on are the aux rows. */
export function modelPattern(model: i32, row: i32, col: i32, p: StaticArray<f64>): bool {
  return model == MODEL_CHO_ZONES ? czPattern(row, col, p) : true;
}

/** Number of aux rows: parts of sum rows, written by the right-hand side into modelAuxValues. */
export function modelAuxCount(model: i32): i32 {
  return model == MODEL_CHO_ZONES ? czAuxCount() : 0;
}

/** The state whose derivative is the sum of its aux rows, for aux row `a`. */
export function modelAuxTarget(model: i32, a: i32): i32 {
  return model == MODEL_CHO_ZONES ? czAuxTarget(a) : -1;
}

/** The aux values of the model's last right-hand side. */
export function modelAuxValues(model: i32): StaticArray<f64> {
  return czAuxValues;
}

/**
 * Number of switching functions: values that reach zero where the right-hand side has a
 * kink (a controller output at a limit or a stage boundary). The integrator locks the
 * model's branches, locates each crossing and restarts there (docs/model.md §1.1).
 */
export function modelSwitchCount(model: i32): i32 {
  return model == MODEL_CHO ? CHO_SWITCH_FUNCTIONS : 0;
}

/** Keeps the branches of the last right-hand side until modelCrossSwitch moves one; any state or parameter change unlocks them. */
export function modelLockSwitches(model: i32): void {
  if (model == MODEL_CHO) choLockSwitches();
}

/** The switching functions at (t, y) on the locked branches into g (each ≥ 0 while its branch holds). */
export function modelSwitches(model: i32, t: f64, y: StaticArray<f64>, p: StaticArray<f64>, g: StaticArray<f64>): void {
  if (model == MODEL_CHO) choSwitches(t, y, p, g);
}

/** Moves the branch that switching function q watches across its crossing. */
export function modelCrossSwitch(model: i32, q: i32): void {
  if (model == MODEL_CHO) choCrossSwitch(q);
}

/**
 * True when the integrator can checkpoint a run of this model: the model's own state
 * that outlives an event (the CHO pH warm start) is saved by modelSaveCheckpoint. The
 * zone model and the microbial and test models keep none, but only the CHO model is
 * checked against fresh runs (tests/shared-prefix.test.ts), so only it says yes.
 */
export function modelCanCheckpoint(model: i32): bool {
  return model == MODEL_CHO;
}

/** Saves the model's state that outlives an event into checkpoint slot `slot`. */
export function modelSaveCheckpoint(model: i32, slot: i32): void {
  if (model == MODEL_CHO) choSaveCheckpoint(slot);
}

/** Restores what modelSaveCheckpoint saved in slot `slot`. */
export function modelRestoreCheckpoint(model: i32, slot: i32): void {
  if (model == MODEL_CHO) choRestoreCheckpoint(slot);
}

/**
 * Whether output rows carry the derived outputs that need the model's rates (only the
 * CHO model has such: pH, loop outputs, kinetic rates); without them those columns are
 * NaN and rows cost a few stores. On after every init.
 */
export function modelSetDerivedRates(_model: i32, on: bool): void {
  choSetDerivedRates(on);
}

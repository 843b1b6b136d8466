// The core's exported verbs: a flat numeric ABI over the integrator and models.
// The engine (engine/core-bridge.ts) is the only caller; numbers in, numbers out.
import { CORE_ABI_VERSION, MAX_PARAMS, STATUS_BAD_SETUP, STATUS_OK } from "./layout";
import * as integ from "./integrator";
import * as cho from "./models/cho";
import { modelSetDerivedRates, modelSetSize } from "./model";

/** ABI version; the engine checks it once after loading. */
export function coreVersion(): i32 {
  return CORE_ABI_VERSION;
}

/**
 * Sets the size of a model with a variable number of states (the zone count of
 * MODEL_CHO_ZONES) before `init`; BAD_SETUP if the model has no size or it is out of range.
 */
export function setModelSize(model: i32, size: i32): i32 {
  return modelSetSize(model, size) ? STATUS_OK : STATUS_BAD_SETUP;
}

/**
 * Sets up a run of `model` with `solver`: allocates every buffer (state, solver
 * work, `outCapacity` output rows, `eventCapacity` events). Called once per run.
 */
export function init(model: i32, solver: i32, outCapacity: i32, eventCapacity: i32): i32 {
  modelSetDerivedRates(model, true);
  return integ.allocate(model, solver, outCapacity, eventCapacity);
}

/**
 * Whether output rows carry the derived outputs that need the model's rates (1, the
 * default after init) or leave them NaN (0), for a caller that reads none of them.
 */
export function setDerivedRates(on: i32): void {
  modelSetDerivedRates(integ.currentModel(), on != 0);
}

export function setParam(index: i32, value: f64): i32 {
  if (index < 0 || index >= MAX_PARAMS) return STATUS_BAD_SETUP;
  integ.params[index] = value;
  integ.invalidate();
  return STATUS_OK;
}

export function getParam(index: i32): f64 {
  return index >= 0 && index < MAX_PARAMS ? integ.params[index] : NaN;
}

export function setState(index: i32, value: f64): i32 {
  if (index < 0 || index >= integ.stateCount()) return STATUS_BAD_SETUP;
  integ.y[index] = value;
  integ.invalidate();
  return STATUS_OK;
}

export function getState(index: i32): f64 {
  return index >= 0 && index < integ.stateCount() ? integ.y[index] : NaN;
}

export function setTime(t0: f64): void {
  integ.setTime(t0);
}

export function time(): f64 {
  return integ.currentTime();
}

/** Relative tolerance, and one absolute tolerance for every state. */
export function setTolerances(relTol: f64, absTol: f64): void {
  integ.setTolerances(relTol, absTol);
}

/** Absolute tolerance of one state, in that state's unit. */
export function setAbsTol(index: i32, absTol: f64): i32 {
  if (index < 0 || index >= integ.stateCount()) return STATUS_BAD_SETUP;
  integ.atol[index] = absTol;
  return STATUS_OK;
}

/** First step (0 = estimate), largest step (0 = none) and the step budget of one advance. */
export function setStepControl(h0: f64, hMax: f64, maxSteps: i32): void {
  integ.setStepControl(h0, hMax, maxSteps);
}

/** Output rows at t0, t0 + dt, t0 + 2 dt, ...; dt <= 0 writes no rows. */
export function setOutputGrid(t0: f64, dt: f64): void {
  integ.setOutputGrid(t0, dt);
}

/** A time event (EVENT_* kinds): integration stops exactly at `t` and restarts after it. */
export function addEvent(t: f64, kind: i32, index: i32, value: f64): i32 {
  return integ.addEvent(t, kind, index, value);
}

/** Integrates to exactly `t`; returns STATUS_OK or a fatal status (sticky). */
export function advanceTo(t: f64): i32 {
  return integ.advance(t);
}

/**
 * Keeps a checkpoint at each event time the run arrives at (after init, before the first
 * advance): STATUS_OK, or BAD_SETUP for a model that cannot (docs/model.md §1.1).
 */
export function enableCheckpoints(): i32 {
  return integ.enableCheckpoints() ? STATUS_OK : STATUS_BAD_SETUP;
}

/** Number of checkpoints of the current run, and the time of checkpoint k (h). */
export function checkpointCount(): i32 {
  return integ.checkpointCount();
}

export function checkpointTime(k: i32): f64 {
  return integ.checkpointTime(k);
}

/**
 * Puts the run back at checkpoint k with the events from its time on dropped (add the
 * run's own with addEvent); returns the number of events kept, or −1 for no slot k.
 */
export function restoreCheckpoint(k: i32): i32 {
  return integ.restoreCheckpoint(k);
}

/** Appends a row for the current time and state, e.g. at an end time off the output grid. */
export function writeCurrentRow(): void {
  integ.emitCurrent();
}

/** Why the last run's setup failed (models/cho.ts SETUP_* codes; 0 = no problem). */
export function setupProblem(): i32 {
  return cho.setupProblem;
}

/**
 * f(t, y) at the current time and state into derivativePtr(); a status (BAD_SETUP before
 * the first advanceTo). For checks such as the Jacobian test; the solver never calls it.
 */
export function evaluateRhs(): i32 {
  return integ.evaluateRhs();
}

/**
 * The model's analytic Jacobian ∂f/∂y at the current time and state into jacobianPtr():
 * stateCount() rows of one column per dynamic state, row-major. Returns the number of
 * columns, or 0 if the model has no analytic Jacobian (the solver uses differences).
 * For checks such as the Jacobian test; the solver evaluates it once per Rodas4 step.
 */
export function evaluateJacobian(): i32 {
  return integ.evaluateJacobian();
}

/**
 * A finite-difference Jacobian at the current time and state into jacobianPtr(): by
 * column groups (byGroups = 1, models that declare their pattern) or one column at a
 * time (0). Returns the number of columns, 0 before the first advanceTo. For the test
 * that both agree; the solver never calls it.
 */
export function evaluateDifferences(byGroups: i32): i32 {
  return integ.evaluateDifferences(byGroups != 0);
}

/** Column groups of the run's finite-difference Jacobian (0: the model has no declared pattern). */
export function jacobianGroups(): i32 {
  return integ.jacobianGroups();
}

export function stateCount(): i32 {
  return integ.stateCount();
}

export function outputWidth(): i32 {
  return integ.rowLen;
}

export function outputCount(): i32 {
  return integ.outCount;
}

// Pointers for views over memory.buffer; valid until the next init.
export function outputPtr(): usize {
  return changetype<usize>(integ.out);
}

export function statePtr(): usize {
  return changetype<usize>(integ.y);
}

export function statsPtr(): usize {
  return changetype<usize>(integ.stats);
}

export function paramPtr(): usize {
  return changetype<usize>(integ.params);
}

export function derivativePtr(): usize {
  return changetype<usize>(integ.dy);
}

export function jacobianPtr(): usize {
  return changetype<usize>(integ.jac);
}

// Cell lifelines over a finished zone run (docs/model.md §12).
export {
  lifelinesInit, setLifelineParam, lifelinesRun, lifelinesTransition, lifelinesBenchUpdate, lifelinesBenchCopy,
  lifelinesHistogramCount, lifelinesBins, lifelinesAgentCount, lifelinesTimesPtr, lifelinesHistogramsPtr,
  lifelinesStatisticsPtr, lifelinesOccupancyPtr, lifelinesTransitionPtr, lifelinesAgentPtr,
} from "./lifelines";

// What the engine needs from each cell model: how to set the core up from a
// scenario, the names and units of the output columns, and the balance report.
import type { Core } from "../core-bridge";
import type { Scenario } from "../scenario";

export interface ColumnSpec {
  name: string;
  unit: string;
  description: string;
}

/** One conserved quantity over a run: in - out - consumed = accumulated, up to closureError. */
export interface Balance {
  quantity: string;
  unit: string;
  in: number;
  out: number;
  consumed: number;
  accumulated: number;
  /** in - out - consumed - accumulated, in `unit`. */
  closureError: number;
  /** closureError relative to the larger of what came in and what was there at the start. */
  relativeClosureError: number;
}

export interface ModelAdapter<S extends Scenario = Scenario> {
  modelId: number;
  /** Columns after time, in the core's output-row order. */
  columns: ColumnSpec[];
  configure(core: Core, scenario: S): void;
  eventCount(scenario: S): number;
  balances(column: (name: string) => Float64Array): Balance[];
  /** Multipliers of simulation.absTol for each state (amounts scale with the vessel). */
  absTolScale(scenario: S): number[];
}

// What the engine needs from each cell model: how to set the core up from a
// scenario, the names and units of the output columns, and the balance report.
import type { SetupTarget } from "../core-bridge";
import type { Scenario } from "../scenario";

export interface ColumnSpec {
  name: string;
  unit: string;
  description: string;
}

/** One conserved quantity over a run: in + produced - out - consumed = accumulated, up to closureError. */
export interface Balance {
  quantity: string;
  unit: string;
  /** Added with feeds, base and fresh medium. */
  in: number;
  /** Removed with outflows, harvest, bleed and samples. */
  out: number;
  /** Made by the cells (net, where the model tracks only the net). */
  produced: number;
  /** Taken up, decayed or (for cells) died. */
  consumed: number;
  /** Amount at the end minus amount at the start. */
  accumulated: number;
  /** in + produced - out - consumed - accumulated, in `unit`. */
  closureError: number;
  /** closureError relative to the largest of in, produced, consumed and the starting amount. */
  relativeClosureError: number;
}

/** The first and last value of an output column (all a balance needs of it). */
export interface ColumnEnds {
  first: number;
  last: number;
}

/** A problem with a valid scenario that only the core can see (a charge balance that cannot close). */
export interface SetupProblem {
  path: string;
  message: string;
}

export interface ModelAdapter<S extends Scenario = Scenario> {
  modelId: number;
  /** For a model with a variable number of states (the zone count): set in the core before init. */
  modelSize?: number;
  /** Columns after time, in the core's output-row order. */
  columns: ColumnSpec[];
  /**
   * The columns whose rows need the model's rates (Core.setDerivedRates): a run that
   * reads none of them has cheap rows. Absent: every row is complete.
   */
  rateColumns?: ReadonlySet<string>;
  configure(core: SetupTarget, scenario: S): void;
  eventCount(scenario: S): number;
  /** The balance report from the first and last values of the named columns. */
  balances(ends: (name: string) => ColumnEnds): Balance[];
  /** Multipliers of simulation.absTol for each state (amounts scale with the vessel). */
  absTolScale(scenario: S): number[];
  /** The scenario problem behind a setup code of the core (Core.setupProblem). */
  setupProblem?(code: number, scenario: S): SetupProblem;
}

// The cell models the engine knows, by the scenario's cells.model.
import type { Scenario } from "../scenario";
import type { ModelAdapter } from "./adapter";
import { choModel } from "./cho";
import { microbialModel } from "./microbial";

export function modelFor(scenario: Scenario): ModelAdapter {
  switch (scenario.cells.model) {
    case "microbial":
      return microbialModel as ModelAdapter;
    case "cho":
      return choModel as ModelAdapter;
  }
}

export type { Balance, ColumnSpec, ModelAdapter, SetupProblem } from "./adapter";

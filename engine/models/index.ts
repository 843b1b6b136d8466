// The cell models the engine knows, by the scenario's cells.model.
import type { Scenario } from "../scenario";
import type { ModelAdapter } from "./adapter";
import { microbialModel } from "./microbial";

export function modelFor(scenario: Scenario): ModelAdapter {
  switch (scenario.cells.model) {
    case "microbial":
      return microbialModel as ModelAdapter;
  }
}

export type { Balance, ColumnSpec, ModelAdapter } from "./adapter";

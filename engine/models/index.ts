// The cell models the engine knows, by the scenario's cells.model.
import type { ChoScenario, Scenario } from "../scenario";
import type { ModelAdapter } from "./adapter";
import { choModel } from "./cho";
import { choZonesModel } from "./cho-zones";
import { microbialModel } from "./microbial";

export function modelFor(scenario: Scenario): ModelAdapter {
  switch (scenario.cells.model) {
    case "microbial":
      return microbialModel as ModelAdapter;
    case "cho": {
      const cho = scenario as ChoScenario;
      return (cho.reactor.zones ? choZonesModel(cho) : choModel) as ModelAdapter;
    }
  }
}

export type { Balance, ColumnSpec, ModelAdapter, SetupProblem } from "./adapter";

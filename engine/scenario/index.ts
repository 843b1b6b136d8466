/**
 * The scenario file format: schema and types, reading and validation,
 * migration between format versions, command-line overrides, the published
 * JSON Schema and canonical JSON for hashing. docs/scenario-format.md is the
 * user's description of the format.
 */
export {
  SCENARIO_FORMAT,
  SCENARIO_VERSION,
  PROCESS_MODES,
  ScenarioSchema,
  type Scenario,
  type ScenarioInput,
  type ScenarioMetadata,
  type Cells,
  type CellModel,
  type MicrobialCells,
  type MicrobialParameters,
  type MicrobialTerms,
  type ReactorSettings,
  type InitialState,
  type Process,
  type ProcessMode,
  type FeedMedium,
  type Bolus,
  type FeedSegment,
  type SimulationSettings,
  type Solver,
} from "./schema";
export { formatProblem, type ScenarioProblem } from "./problems";
export { parseJsonText, parseScenario, parseScenarioText, type ParseResult } from "./validate";
export { migrateScenario, ScenarioVersionError } from "./migrate";
export { applyOverrides, OverrideError } from "./overrides";
export { scenarioJsonSchema, scenarioJsonSchemaText, SCENARIO_SCHEMA_ID } from "./json-schema";
export { canonicalJson } from "./canonical-json";

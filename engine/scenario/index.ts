/**
 * The scenario file format: schema and types, reading and validation,
 * migration between format versions, command-line overrides, the published
 * JSON Schema and canonical JSON for hashing. docs/scenario-format.md is the
 * user's description of the format.
 */
export {
  SCENARIO_FORMAT,
  SCENARIO_VERSION,
  CELL_MODELS,
  PROCESS_MODES,
  CHO_PROCESS_MODES,
  ScenarioSchema,
  MicrobialScenarioSchema,
  ChoScenarioSchema,
  SCENARIO_SCHEMAS,
  isMicrobialScenario,
  isChoScenario,
  type Scenario,
  type ScenarioInput,
  type MicrobialScenario,
  type MicrobialScenarioInput,
  type ChoScenario,
  type ChoScenarioInput,
  type ScenarioMetadata,
  type SimulationSettings,
  type Solver,
  type Cells,
  type CellModel,
  // microbial
  type MicrobialCells,
  type MicrobialParameters,
  type MicrobialTerms,
  type MicrobialReactor,
  type MicrobialInitial,
  type MicrobialProcess,
  type ReactorSettings,
  type InitialState,
  type Process,
  type ProcessMode,
  type FeedMedium,
  type Bolus,
  type FeedSegment,
  // cho
  type ChoCells,
  type ChoParameters,
  type ChoTerms,
  type ChoReactor,
  type ChoInitial,
  type ChoProcess,
  type ChoProcessMode,
  type Medium,
  type ChoBolus,
  type BolusSchedule,
  type ChoFeedSegment,
  type FeedOnDemand,
  type ContinuousFeed,
  type PerfusionSettings,
  type SamplingSettings,
  type HarvestRule,
  type ControlSettings,
  type TemperatureControl,
  type DissolvedOxygenControl,
  type PhControl,
  type TemperatureSetpoint,
  type DissolvedOxygenSetpoint,
  type PhSetpoint,
} from "./schema";
export { formatProblem, type ScenarioProblem } from "./problems";
export { parseJsonText, parseScenario, parseScenarioText, type ParseResult } from "./validate";
export { migrateScenario, ScenarioVersionError } from "./migrate";
export { applyOverrides, OverrideError } from "./overrides";
export { scenarioJsonSchema, scenarioJsonSchemaText, SCENARIO_SCHEMA_ID } from "./json-schema";
export { canonicalJson } from "./canonical-json";

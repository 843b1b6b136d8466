/**
 * The scenario file format, version 1: one zod schema per cell model
 * ("microbial", "cho") that yields the TypeScript types, the validation and
 * the published JSON Schema. Both share the metadata and the numerical
 * settings; the model's parts live in microbial-schema.ts, cho-schema.ts and
 * control-schema.ts. Each field's unit and description are attached once (see
 * `quantity` in fields.ts); messages and the JSON Schema read them back.
 * docs/scenario-format.md describes the format for users; rules.ts and
 * cho-rules.ts hold the checks that span several fields. The optional `study`
 * section holds a study over the scenario (study-schema.ts, docs/studies.md).
 */
import { z } from "zod";
import { ChoCellsSchema, ChoInitialSchema, ChoProcessSchema, ChoReactorSchema } from "./cho-schema";
import { checkChoScenarioRules } from "./cho-rules";
import { ControlSchema } from "./control-schema";
import { quantity, text, withKeyHints } from "./fields";
import { isRecord } from "./is-record";
import {
  MicrobialCellsSchema,
  MicrobialInitialSchema,
  MicrobialProcessSchema,
  MicrobialReactorSchema,
} from "./microbial-schema";
import { checkScenarioRules, reporter } from "./rules";
import { StudySchema } from "./study-schema";

export { quantitySpec, type QuantitySpec } from "./fields";
export { PROCESS_MODES } from "./microbial-schema";
export { CHO_PROCESS_MODES } from "./cho-schema";

/** The value of the "format" key of every scenario file. */
export const SCENARIO_FORMAT = "biotwin-scenario";
/** The format version this code reads and writes. Older files are migrated (migrate.ts). */
export const SCENARIO_VERSION = 1;

// ---------------------------------------------------------------- metadata

const SourceSchema = z
  .strictObject({
    about: text('What the source backs, as a path into this file, e.g. "cells.parameters.muMaxPerH"'),
    citation: text("The reference, as it would be cited in a paper"),
    doi: text('DOI of the reference, e.g. "10.1002/bit.260210802"').optional(),
    url: text("Where the reference can be read").optional(),
  })
  .meta({ description: "A published source for one value or choice in this file" });

const MetadataSchema = z
  .strictObject({
    title: z.string().min(1).max(200).meta({ description: "Short title of the scenario (1 to 200 characters)" }),
    description: text("What the scenario shows or is for").optional(),
    authors: z.array(z.string()).meta({ description: "Who wrote the scenario" }).optional(),
    license: text('Licence of this file: an SPDX identifier such as "CC-BY-4.0", or free text').optional(),
    sources: z.array(SourceSchema).meta({ description: "Where the values in this file come from" }).optional(),
    notes: text("Anything else a reader should know").optional(),
  })
  .meta({ description: "Who wrote the scenario, what it is for and where its values come from" });

// -------------------------------------------------------------- simulation

const SimulationSchema = z
  .strictObject({
    outputIntervalH: quantity({ unit: "h", gt: 0, description: "Time between output points" }).default(0.1),
    solver: z
      .enum(["rodas4", "dopri5"])
      .meta({ description: "ODE solver: rodas4 (stiff, Rosenbrock) or dopri5 (non-stiff, Dormand–Prince 5(4))" })
      .default("rodas4"),
    relTol: quantity({ min: 1e-14, max: 1e-1, description: "Relative error tolerance of the solver" }).default(1e-6),
    absTol: quantity({
      gt: 0,
      max: 1,
      description: "Absolute error tolerance of the solver, in the unit of each state variable",
    }).default(1e-9),
    maxSteps: quantity({
      integer: true,
      min: 1,
      max: 1e8,
      description: "Most solver steps one run may take before it stops with an error",
    }).default(100_000),
    seed: quantity({
      integer: true,
      min: 0,
      max: 2 ** 32 - 1,
      description: "Seed of the random generator: the same scenario and seed give the same results",
    }).default(1),
  })
  .meta({ description: "Numerical settings of the run" });

// --------------------------------------------------------------- scenarios

const STUDY_SECTION =
  "A study over this scenario (docs/studies.md); `biotwin study FILE` runs it on the scenario without this section";

const header = {
  format: z.literal(SCENARIO_FORMAT).meta({ description: "Marks the file as a biotwin scenario" }),
  version: z.literal(SCENARIO_VERSION).meta({ description: "Version of the scenario format the file is written in" }),
  metadata: MetadataSchema,
};

/** A scenario with the microbial cell model (bacteria, yeast). */
export const MicrobialScenarioSchema = withKeyHints(
  z
    .strictObject({
      ...header,
      cells: MicrobialCellsSchema,
      reactor: MicrobialReactorSchema.prefault({}),
      initial: MicrobialInitialSchema,
      process: MicrobialProcessSchema,
      simulation: SimulationSchema.prefault({}),
      study: StudySchema.optional().meta({ description: STUDY_SECTION }),
    })
    .superRefine((scenario, ctx) => checkScenarioRules(scenario, reporter(ctx)), { when: (p) => isRecord(p.value) })
    .meta({ title: "microbial scenario", description: 'A scenario with "cells.model": "microbial" (bacteria, yeast)' }),
  { control: "control loops are available for the cho model only" },
);

/** A scenario with the CHO cell-culture model, with control loops. */
export const ChoScenarioSchema = z
  .strictObject({
    ...header,
    cells: ChoCellsSchema,
    reactor: ChoReactorSchema.prefault({}),
    initial: ChoInitialSchema,
    process: ChoProcessSchema,
    control: ControlSchema.prefault({}),
    simulation: SimulationSchema.prefault({}),
    study: StudySchema.optional().meta({ description: STUDY_SECTION }),
  })
  .superRefine((scenario, ctx) => checkChoScenarioRules(scenario, reporter(ctx)), { when: (p) => isRecord(p.value) })
  .meta({ title: "cho scenario", description: 'A scenario with "cells.model": "cho" (CHO cell culture)' });

/** The schema of each cell model, by the value of "cells.model". validate.ts picks one before validating. */
export const SCENARIO_SCHEMAS = {
  microbial: MicrobialScenarioSchema,
  cho: ChoScenarioSchema,
} as const;

/** The cell models, in the order messages list them. */
export const CELL_MODELS = Object.keys(SCENARIO_SCHEMAS) as (keyof typeof SCENARIO_SCHEMAS)[];

/**
 * Every scenario: the union of the models' schemas, for the published JSON
 * Schema and the `Scenario` type. To validate a document use parseScenario
 * (validate.ts), which picks the model's schema first so messages stay precise.
 */
export const ScenarioSchema = z.union([MicrobialScenarioSchema, ChoScenarioSchema]);

// ------------------------------------------------------------------- types

/** A microbial scenario as the engine consumes it: validated, every default filled in. */
export type MicrobialScenario = z.output<typeof MicrobialScenarioSchema>;
/** A cho scenario as the engine consumes it: validated, every default filled in. */
export type ChoScenario = z.output<typeof ChoScenarioSchema>;
/** A scenario as the engine consumes it; `cells.model` tells the two apart. */
export type Scenario = MicrobialScenario | ChoScenario;
/** A scenario as written in a file: defaulted fields are optional. */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type MicrobialScenarioInput = z.input<typeof MicrobialScenarioSchema>;
export type ChoScenarioInput = z.input<typeof ChoScenarioSchema>;
export type ScenarioMetadata = Scenario["metadata"];
export type SimulationSettings = Scenario["simulation"];
export type Solver = SimulationSettings["solver"];
export type Cells = Scenario["cells"];
export type CellModel = Cells["model"];

// microbial (the names without a prefix predate the cho model and stay microbial)
export type MicrobialCells = MicrobialScenario["cells"];
export type MicrobialParameters = MicrobialCells["parameters"];
export type MicrobialTerms = MicrobialCells["terms"];
export type MicrobialReactor = MicrobialScenario["reactor"];
export type MicrobialInitial = MicrobialScenario["initial"];
export type MicrobialProcess = MicrobialScenario["process"];
export type ReactorSettings = MicrobialReactor;
export type InitialState = MicrobialInitial;
export type Process = MicrobialProcess;
export type ProcessMode = Process["mode"];
export type FeedMedium = NonNullable<Process["feedMedium"]>;
export type Bolus = NonNullable<Process["boluses"]>[number];
export type FeedSegment = NonNullable<Process["feedProfile"]>[number];

// cho
export type ChoCells = ChoScenario["cells"];
export type ChoParameters = ChoCells["parameters"];
export type ChoTerms = ChoCells["terms"];
export type ChoReactor = ChoScenario["reactor"];
export type ChoInitial = ChoScenario["initial"];
export type ChoProcess = ChoScenario["process"];
export type ChoProcessMode = ChoProcess["mode"];
export type Medium = ChoProcess["media"][string];
export type ChoBolus = NonNullable<ChoProcess["boluses"]>[number];
export type BolusSchedule = NonNullable<ChoProcess["bolusSchedules"]>[number];
export type ChoFeedSegment = NonNullable<ChoProcess["feedProfile"]>[number];
export type FeedOnDemand = NonNullable<ChoProcess["feedOnDemand"]>;
export type ContinuousFeed = NonNullable<ChoProcess["continuous"]>;
export type PerfusionSettings = NonNullable<ChoProcess["perfusion"]>;
export type SamplingSettings = NonNullable<ChoProcess["sampling"]>;
export type HarvestRule = NonNullable<ChoProcess["harvest"]>;
export type ControlSettings = ChoScenario["control"];
export type TemperatureControl = ControlSettings["temperature"];
export type DissolvedOxygenControl = ControlSettings["dissolvedOxygen"];
export type PhControl = ControlSettings["pH"];
export type TemperatureSetpoint = TemperatureControl["schedule"][number];
export type DissolvedOxygenSetpoint = DissolvedOxygenControl["schedule"][number];
export type PhSetpoint = PhControl["schedule"][number];

/** Narrows a scenario to the microbial model (TypeScript does not narrow on the nested "cells.model"). */
export function isMicrobialScenario(scenario: Scenario): scenario is MicrobialScenario {
  return scenario.cells.model === "microbial";
}

/** Narrows a scenario to the cho model. */
export function isChoScenario(scenario: Scenario): scenario is ChoScenario {
  return scenario.cells.model === "cho";
}

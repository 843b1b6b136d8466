/**
 * The scenario file format, version 1: one zod schema that yields the
 * TypeScript types, the validation and the published JSON Schema. Each field's
 * unit and description are attached here once (see `quantity`); messages and
 * the JSON Schema read them back. docs/scenario-format.md describes the format
 * for users; rules.ts holds the checks that span several fields.
 */
import { z } from "zod";
import { isRecord } from "./is-record";
import { checkProcessRules, checkScenarioRules, type ReportRule } from "./rules";

/** The value of the "format" key of every scenario file. */
export const SCENARIO_FORMAT = "biotwin-scenario";
/** The format version this code reads and writes. Older files are migrated (migrate.ts). */
export const SCENARIO_VERSION = 1;

/** What a number field means: unit, allowed range and a one-line description. */
export interface QuantitySpec {
  /** Unit symbol as written in messages and the JSON Schema ("g/L", "1/h"); omit for dimensionless numbers. */
  unit?: string;
  /** One line, without the unit (it is appended). */
  description: string;
  /** Exclusive lower bound. */
  gt?: number;
  /** Inclusive lower bound. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
  integer?: boolean;
}

/**
 * A finite number (zod 4 rejects NaN and ±Infinity) with its range, unit and
 * description. The unit goes into the metadata as `unit` and into the
 * description as "[unit]", so both validation messages and the JSON Schema
 * carry it.
 */
function quantity(spec: QuantitySpec): z.ZodNumber {
  let schema = spec.integer ? z.int() : z.number();
  if (spec.gt !== undefined) schema = schema.gt(spec.gt);
  if (spec.min !== undefined) schema = schema.min(spec.min);
  if (spec.max !== undefined) schema = schema.max(spec.max);
  const described = schema.meta(
    spec.unit === undefined
      ? { description: spec.description }
      : { unit: spec.unit, description: `${spec.description} [${spec.unit}]` },
  );
  quantities.set(described, spec);
  return described;
}

const quantities = new WeakMap<z.core.$ZodType, QuantitySpec>();

/** The spec a number field was made from, for validation messages (problems.ts); undefined for other schemas. */
export function quantitySpec(schema: z.core.$ZodType): QuantitySpec | undefined {
  return quantities.get(schema);
}

/** A plain string with a description. */
function text(description: string): z.ZodString {
  return z.string().meta({ description });
}

/** A model term that is on unless switched off. */
function term(description: string) {
  return z.boolean().meta({ description }).default(true);
}

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

// ------------------------------------------------------------------- cells

/** Defaults: Escherichia coli on glucose at 37 °C (sources in docs/model.md). */
const MicrobialParametersSchema = z
  .strictObject({
    muMaxPerH: quantity({ unit: "1/h", gt: 0, description: "Maximum specific growth rate" }).default(0.66),
    ksGPerL: quantity({ unit: "g/L", gt: 0, description: "Monod half-saturation constant of the substrate" }).default(
      0.05,
    ),
    yieldBiomassPerSubstrateGPerG: quantity({
      unit: "g/g",
      gt: 0,
      description: "True biomass yield on substrate",
    }).default(0.51),
    maintenanceSubstrateGPerGPerH: quantity({
      unit: "g/g/h",
      min: 0,
      description: "Substrate consumed for maintenance (Pirt maintenance coefficient)",
    }).default(0.04),
    deathRatePerH: quantity({ unit: "1/h", min: 0, description: "First-order death rate of viable biomass" }).default(
      0.01,
    ),
    productGrowthAssociatedGPerG: quantity({
      unit: "g/g",
      min: 0,
      description: "Growth-associated product yield on biomass (Luedeking–Piret alpha)",
    }).default(0.1),
    productNonGrowthGPerGPerH: quantity({
      unit: "g/g/h",
      min: 0,
      description: "Non-growth-associated specific product formation rate (Luedeking–Piret beta)",
    }).default(0.005),
    yieldBiomassPerOxygenGPerMmol: quantity({
      unit: "g/mmol",
      gt: 0,
      description: "Biomass yield on oxygen",
    }).default(0.042),
    maintenanceOxygenMmolPerGPerH: quantity({
      unit: "mmol/g/h",
      min: 0,
      description: "Oxygen consumed for maintenance",
    }).default(1.33),
    koMmolPerL: quantity({ unit: "mmol/L", gt: 0, description: "Half-saturation constant of dissolved oxygen" }).default(
      0.003,
    ),
    maxBiomassGPerL: quantity({
      unit: "g/L",
      gt: 0,
      description: "Logistic crowding limit on biomass; null means no crowding term",
    })
      .nullable()
      .default(null),
  })
  .meta({ description: "Kinetic parameters of the microbial model; defaults are E. coli on glucose at 37 °C" });

const MicrobialTermsSchema = z
  .strictObject({
    substrateLimitation: term("Monod limitation of growth by the substrate; false grows at muMaxPerH"),
    maintenance: term("Pirt maintenance consumption of substrate and oxygen"),
    death: term("First-order death of viable biomass"),
    product: term("Luedeking–Piret product formation"),
    oxygen: term("Dissolved-oxygen balance and oxygen limitation of growth"),
  })
  .meta({
    description:
      "Model terms, all on by default; switching terms off gives textbook special cases such as Monod batch growth",
  });

const MicrobialCellsSchema = z
  .strictObject({
    model: z.literal("microbial").meta({ description: "Unstructured microbial model: Monod growth, Pirt maintenance, Luedeking–Piret product" }),
    parameters: MicrobialParametersSchema.prefault({}),
    terms: MicrobialTermsSchema.prefault({}),
  })
  .meta({ description: "A microbial culture (bacteria, yeast)" });

/** The cell model, chosen by "model". A new model is one more option in this list. */
const CellsSchema = z
  .discriminatedUnion("model", [MicrobialCellsSchema])
  .meta({ description: 'The cell model and its parameters, chosen by "model"' });

// ------------------------------------------------------- reactor, initial

const ReactorSchema = z
  .strictObject({
    maxVolumeL: quantity({
      unit: "L",
      gt: 0,
      description: "Largest liquid volume the vessel holds; absent means no limit",
    }).optional(),
    kLaPerH: quantity({ unit: "1/h", min: 0, description: "Volumetric oxygen transfer coefficient kLa" }).default(300),
    oxygenSaturationMmolPerL: quantity({
      unit: "mmol/L",
      gt: 0,
      description: "Dissolved-oxygen concentration at 100 % air saturation",
    }).default(0.21),
  })
  .meta({ description: "The vessel and its oxygen transfer" });

const InitialSchema = z
  .strictObject({
    volumeL: quantity({ unit: "L", gt: 0, description: "Liquid volume at the start" }),
    biomassGPerL: quantity({ unit: "g/L", min: 0, description: "Viable biomass concentration at the start" }),
    substrateGPerL: quantity({ unit: "g/L", min: 0, description: "Substrate concentration at the start" }),
    deadBiomassGPerL: quantity({ unit: "g/L", min: 0, description: "Dead biomass concentration at the start" }).default(0),
    productGPerL: quantity({ unit: "g/L", min: 0, description: "Product concentration at the start" }).default(0),
    dissolvedOxygenPercent: quantity({
      unit: "%",
      min: 0,
      max: 1000,
      description: "Dissolved oxygen at the start, as a percentage of air saturation",
    }).default(100),
  })
  .meta({ description: "The state of the culture at time 0" });

// ----------------------------------------------------------------- process

/** How the culture is operated. */
export const PROCESS_MODES = ["batch", "fed-batch", "continuous"] as const;

const FeedMediumSchema = z
  .strictObject({
    substrateGPerL: quantity({ unit: "g/L", min: 0, description: "Substrate concentration in the feed medium" }),
  })
  .meta({ description: "What the boluses, the feed profile and the continuous feed add" });

const BolusSchema = z
  .strictObject({
    timeH: quantity({ unit: "h", min: 0, description: "When the bolus is added" }),
    volumeL: quantity({ unit: "L", gt: 0, description: "Volume of feed medium added at once" }),
  })
  .meta({ description: "A volume of feed medium added at one moment" });

const FeedSegmentSchema = z
  .strictObject({
    startH: quantity({ unit: "h", min: 0, description: "When the segment starts" }),
    endH: quantity({
      unit: "h",
      gt: 0,
      description: "When the segment ends (after startH); absent means it runs to the end of the process",
    }).optional(),
    rateLPerH: quantity({ unit: "L/h", min: 0, description: "Feed rate at startH" }),
    exponentialRatePerH: quantity({
      unit: "1/h",
      description: "Exponent k of the feed rate: rate = rateLPerH * exp(k (t - startH)); 0 gives a constant rate",
    }).default(0),
  })
  .meta({ description: "A stretch of continuous feeding, constant or exponential" });

const ProcessSchema = z
  .strictObject({
    mode: z.enum(PROCESS_MODES).meta({ description: "How the culture is operated" }),
    durationH: quantity({ unit: "h", gt: 0, max: 100_000, description: "Length of the run" }),
    feedMedium: FeedMediumSchema.optional(),
    boluses: z
      .array(BolusSchema)
      .meta({ description: "Bolus additions of feed medium (fed-batch only)" })
      .optional(),
    feedProfile: z
      .array(FeedSegmentSchema)
      .meta({ description: "Continuous feeding, in segments sorted by startH that do not overlap (fed-batch only)" })
      .optional(),
    dilutionRatePerH: quantity({
      unit: "1/h",
      gt: 0,
      description: "Dilution rate D = F/V of a continuous culture",
    }).optional(),
  })
  .superRefine((process, ctx) => checkProcessRules(process, reporter(ctx)), { when: (p) => isRecord(p.value) })
  .meta({ description: "How the culture is operated and for how long; which feeds are allowed depends on mode" });

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

// ---------------------------------------------------------------- scenario

export const ScenarioSchema = z
  .strictObject({
    format: z.literal(SCENARIO_FORMAT).meta({ description: "Marks the file as a biotwin scenario" }),
    version: z.literal(SCENARIO_VERSION).meta({ description: "Version of the scenario format the file is written in" }),
    metadata: MetadataSchema,
    cells: CellsSchema,
    reactor: ReactorSchema.prefault({}),
    initial: InitialSchema,
    process: ProcessSchema,
    simulation: SimulationSchema.prefault({}),
  })
  .superRefine((scenario, ctx) => checkScenarioRules(scenario, reporter(ctx)), { when: (p) => isRecord(p.value) });

function reporter(ctx: z.RefinementCtx): ReportRule {
  return (path, message, input) => ctx.addIssue({ code: "custom", path, message, input });
}

// ------------------------------------------------------------------- types

/** A scenario as the engine consumes it: validated, every default filled in. */
export type Scenario = z.output<typeof ScenarioSchema>;
/** A scenario as written in a file: defaulted fields are optional. */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type ScenarioMetadata = Scenario["metadata"];
export type Cells = Scenario["cells"];
export type CellModel = Cells["model"];
export type MicrobialCells = Extract<Cells, { model: "microbial" }>;
export type MicrobialParameters = MicrobialCells["parameters"];
export type MicrobialTerms = MicrobialCells["terms"];
export type ReactorSettings = Scenario["reactor"];
export type InitialState = Scenario["initial"];
export type Process = Scenario["process"];
export type ProcessMode = Process["mode"];
export type FeedMedium = NonNullable<Process["feedMedium"]>;
export type Bolus = NonNullable<Process["boluses"]>[number];
export type FeedSegment = NonNullable<Process["feedProfile"]>[number];
export type SimulationSettings = Scenario["simulation"];
export type Solver = SimulationSettings["solver"];

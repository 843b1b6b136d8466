/**
 * The parts of a scenario with the microbial cell model (bacteria, yeast):
 * its cells, vessel, initial state and process. schema.ts assembles them with
 * the shared metadata and simulation settings into MicrobialScenarioSchema;
 * docs/scenario-format.md describes them for users.
 */
import { z } from "zod";
import { initialDissolvedOxygenPercent, quantity, term, withKeyHints } from "./fields";
import { isRecord } from "./is-record";
import { checkProcessRules, reporter } from "./rules";
import { VesselSchema } from "./vessel-schema";

const CHO_ONLY = "available for the cho model only";

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

export const MicrobialCellsSchema = z
  .strictObject({
    model: z
      .literal("microbial")
      .meta({ description: "Unstructured microbial model: Monod growth, Pirt maintenance, Luedeking–Piret product" }),
    parameters: MicrobialParametersSchema.prefault({}),
    terms: MicrobialTermsSchema.prefault({}),
  })
  .meta({ description: "A microbial culture (bacteria, yeast)" });

// ------------------------------------------------------- reactor, initial

export const MicrobialReactorSchema = z
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
    vessel: VesselSchema.optional(),
  })
  .meta({ description: "The vessel and its oxygen transfer" });

export const MicrobialInitialSchema = z
  .strictObject({
    volumeL: quantity({ unit: "L", gt: 0, description: "Liquid volume at the start" }),
    biomassGPerL: quantity({ unit: "g/L", min: 0, description: "Viable biomass concentration at the start" }),
    substrateGPerL: quantity({ unit: "g/L", min: 0, description: "Substrate concentration at the start" }),
    deadBiomassGPerL: quantity({ unit: "g/L", min: 0, description: "Dead biomass concentration at the start" }).default(0),
    productGPerL: quantity({ unit: "g/L", min: 0, description: "Product concentration at the start" }).default(0),
    dissolvedOxygenPercent: initialDissolvedOxygenPercent(),
  })
  .meta({ description: "The state of the culture at time 0" });

// ----------------------------------------------------------------- process

/** How a microbial culture is operated. */
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

/** A feed segment; the cho model extends it with the medium it feeds. */
export const feedSegmentShape = {
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
};

const FeedSegmentSchema = z
  .strictObject(feedSegmentShape)
  .meta({ description: "A stretch of continuous feeding, constant or exponential" });

export const MicrobialProcessSchema = withKeyHints(
  z
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
    .meta({ description: "How the culture is operated and for how long; which feeds are allowed depends on mode" }),
  {
    media: `${CHO_ONLY}; a microbial feed is described by "feedMedium"`,
    bolusSchedules: CHO_ONLY,
    feedOnDemand: CHO_ONLY,
    continuous: `${CHO_ONLY}; a microbial chemostat takes "dilutionRatePerH" and "feedMedium"`,
    perfusion: CHO_ONLY,
    sampling: CHO_ONLY,
    harvest: CHO_ONLY,
  },
);

/**
 * The parts of a scenario with the CHO cell-culture model: its cells, vessel,
 * initial state and process with named media. schema.ts assembles them with
 * the control loops (control-schema.ts) and the shared metadata and
 * simulation settings into ChoScenarioSchema; docs/scenario-format.md
 * describes them for users, docs/model.md holds the equations and sources.
 */
import { z } from "zod";
import { checkChoParameterRules, checkChoProcessRules } from "./cho-rules";
import { initialDissolvedOxygenPercent, quantity, term, text, withKeyHints } from "./fields";
import { isRecord } from "./is-record";
import { feedSegmentShape } from "./microbial-schema";
import { reporter } from "./rules";
import { VesselSchema } from "./vessel-schema";

// ------------------------------------------------------------------- cells

/** Defaults: a CHO cell line producing a monoclonal antibody at 37 °C (sources in docs/model.md). */
const ChoParametersSchema = z
  .strictObject({
    muMaxPerH: quantity({ unit: "1/h", gt: 0, description: "Maximum specific growth rate" }).default(0.029),
    kGlucoseMM: quantity({ unit: "mM", gt: 0, description: "Monod constant of glucose" }).default(0.084),
    kGlutamineMM: quantity({ unit: "mM", gt: 0, description: "Monod constant of glutamine" }).default(0.047),
    kiLactateMM: quantity({ unit: "mM", gt: 0, description: "Lactate inhibition constant of growth" }).default(43),
    kiAmmoniaMM: quantity({ unit: "mM", gt: 0, description: "Ammonia inhibition constant of growth" }).default(6.51),
    deathMaxPerH: quantity({ unit: "1/h", min: 0, description: "Maximum death rate caused by lactate and ammonia" }).default(
      0.016,
    ),
    kdLactateMM: quantity({ unit: "mM", gt: 0, description: "Lactate constant of by-product death" }).default(45.8),
    kdAmmoniaMM: quantity({ unit: "mM", gt: 0, description: "Ammonia constant of by-product death" }).default(6.51),
    yieldCellsPerGlucoseCellsPerMmol: quantity({
      unit: "cells/mmol",
      gt: 0,
      description: "Yield of cells on glucose",
    }).default(1.69e8),
    yieldCellsPerGlutamineCellsPerMmol: quantity({
      unit: "cells/mmol",
      gt: 0,
      description: "Yield of cells on glutamine",
    }).default(9.74e8),
    yieldLactatePerGlucoseMolPerMol: quantity({
      unit: "mol/mol",
      min: 0,
      description: "Lactate formed per glucose taken up",
    }).default(1.23),
    yieldAmmoniaPerGlutamineMolPerMol: quantity({
      unit: "mol/mol",
      min: 0,
      description: "Ammonia formed per glutamine taken up",
    }).default(0.67),
    maintenanceGlucoseMmolPerCellPerH: quantity({
      unit: "mmol/cell/h",
      min: 0,
      description: "Glucose consumed for maintenance",
    }).default(6.92e-11),
    glutamineMaintenanceMaxMmolPerCellPerH: quantity({
      unit: "mmol/cell/h",
      min: 0,
      description: "Largest glutamine consumption for maintenance",
    }).default(3.2e-12),
    glutamineMaintenanceKMM: quantity({
      unit: "mM",
      gt: 0,
      description: "Glutamine concentration at which maintenance consumption is half its largest",
    }).default(2.1),
    glutamineDecayPerH: quantity({
      unit: "1/h",
      min: 0,
      description: "First-order chemical decay of glutamine to ammonia",
    }).default(7.2e-3),
    ammoniaUptakeMmolPerCellPerH: quantity({
      unit: "mmol/cell/h",
      min: 0,
      description: "Ammonia taken up by the cells (glutamine synthesis)",
    }).default(6.3e-12),
    starvationDeathPerH: quantity({
      unit: "1/h",
      min: 0,
      description: "Largest death rate when glucose runs out",
    }).default(0.02),
    starvationKMM: quantity({
      unit: "mM",
      gt: 0,
      description: "Substrate concentration at which starvation death is half its largest",
    }).default(0.5),
    lysisPerH: quantity({ unit: "1/h", min: 0, description: "First-order lysis of dead cells" }).default(0.01),
    lactateUptakeMaxMmolPerCellPerH: quantity({
      unit: "mmol/cell/h",
      min: 0,
      description: "Largest specific lactate consumption, reached as growth stops (the lactate switch)",
    }).default(2e-11),
    lactateUptakeKMM: quantity({ unit: "mM", gt: 0, description: "Monod constant of lactate consumption" }).default(5),
    qpPgPerCellPerDay: quantity({
      unit: "pg/cell/day",
      min: 0,
      description: "Base specific productivity of the product",
    }).default(25),
    qpStationaryBoost: quantity({
      min: 0,
      description: "Extra productivity when growth stops: qP (1 + boost (1 - mu/muMax)); 0 means none",
    }).default(1),
    referenceTemperatureC: quantity({
      unit: "°C",
      min: 20,
      max: 45,
      description: "Temperature at which the growth and productivity parameters hold",
    }).default(37),
    growthReductionPerK: quantity({
      unit: "1/K",
      min: 0,
      max: 1,
      description: "Relative growth rate lost per kelvin away from the reference temperature",
    }).default(0.1),
    qpIncreasePerK: quantity({
      unit: "1/K",
      min: 0,
      max: 2,
      description: "Relative productivity gained per kelvin below the reference temperature",
    }).default(0.15),
    oxygenUptakeMmolPerCellPerH: quantity({
      unit: "mmol/cell/h",
      min: 0,
      description: "Specific oxygen uptake rate of viable cells",
    }).default(2.0e-10),
    respiratoryQuotient: quantity({
      unit: "mol CO2/mol O2",
      gt: 0,
      description: "Carbon dioxide produced per oxygen taken up",
    }).default(1.0),
    koMM: quantity({ unit: "mM", gt: 0, description: "Half-saturation constant of dissolved oxygen" }).default(0.005),
    osmolalityGrowthOnsetMOsmPerKg: quantity({
      unit: "mOsm/kg",
      gt: 0,
      description: "Osmolality above which growth slows down",
    }).default(400),
    osmolalityGrowthStopMOsmPerKg: quantity({
      unit: "mOsm/kg",
      gt: 0,
      description: "Osmolality at which growth stops (above osmolalityGrowthOnsetMOsmPerKg)",
    }).default(545),
  })
  .superRefine((parameters, ctx) => checkChoParameterRules(parameters, reporter(ctx)), {
    when: (p) => isRecord(p.value),
  })
  .meta({ description: "Kinetic parameters of the CHO model; defaults are an antibody-producing CHO line at 37 °C" });

const ChoTermsSchema = z
  .strictObject({
    maintenance: term("Maintenance consumption of glucose and glutamine"),
    byproductInhibition: term("Inhibition of growth by lactate and ammonia"),
    byproductDeath: term("Death caused by lactate and ammonia"),
    starvationDeath: term("Death when glucose runs out"),
    lysis: term("Lysis of dead cells"),
    lactateSwitch: term("Lactate made while cells grow and taken up again as growth slows (off: made from all glucose taken up, as Xing et al. 2010)"),
    glutamineDecay: term("Chemical decay of glutamine to ammonia"),
    ammoniaUptake: term("Uptake of ammonia by the cells"),
    temperatureEffects: term("Effects of temperature on growth and productivity"),
    osmolalityEffects: term("Slower growth at high osmolality"),
    oxygenLimitation: term("Limitation of growth by dissolved oxygen"),
  })
  .meta({ description: "Model terms, all on by default; switching terms off gives simpler special cases" });

export const ChoCellsSchema = z
  .strictObject({
    model: z.literal("cho").meta({
      description:
        "CHO cell culture: growth on glucose and glutamine inhibited by lactate and ammonia, death, lactate switch, specific productivity",
    }),
    parameters: ChoParametersSchema.prefault({}),
    terms: ChoTermsSchema.prefault({}),
  })
  .meta({ description: "A mammalian cell culture (Chinese hamster ovary cells)" });

// ----------------------------------------------------------------- reactor

/** Largest zone count the core accepts (assembly/layout.ts MAX_ZONES). */
export const MAX_ZONE_COUNT = 64;

/** Largest number of lifelines (assembly/lifelines.ts MAX_AGENTS). */
export const MAX_LIFELINES = 1_000_000;

/** `reactor.zones.lifelines`: cells that travel between the zones (docs/model.md §12). */
export const LifelinesSchema = z
  .strictObject({
    count: quantity({
      integer: true,
      min: 1000,
      max: MAX_LIFELINES,
      description: "Number of lifelines (agents); the sampling error of a population mean falls as 1/sqrt(count)",
    }).default(10_000),
    stepS: quantity({
      unit: "s",
      min: 10,
      max: 3600,
      description: "Step of the agents' random walk, rounded so that the output interval holds a whole number of steps; exposures are sampled at this step",
    }).default(300),
    histogramIntervalH: quantity({
      unit: "h",
      gt: 0,
      max: 1000,
      description: "Time between histograms, rounded to a whole number of output intervals; exposure times are counted over this interval",
    }).default(24),
    bins: quantity({ integer: true, min: 5, max: 500, description: "Bins of every histogram" }).default(40),
    growthCV: quantity({
      min: 0,
      max: 3,
      description: "Coefficient of variation of each cell's growth-rate multiplier (log-normal, mean 1)",
    }).default(0.2),
    productivityCV: quantity({
      min: 0,
      max: 3,
      description: "Coefficient of variation of each cell's productivity multiplier (log-normal, mean 1)",
    }).default(0.4),
    responseTimeH: quantity({
      unit: "h",
      gt: 0,
      max: 1000,
      description: "Time constant with which a cell's internal state follows its stimulus (1 while it meets low DO, high glucose or high pCO2, else 0)",
    }).default(2),
    doBelowPercent: quantity({ unit: "% air sat.", min: 0, max: 100, description: "A cell meets low DO below this dissolved oxygen" }).default(10),
    glucoseAboveMM: quantity({ unit: "mM", min: 0, description: "A cell meets high glucose above this glucose" }).default(50),
    pco2AboveMmHg: quantity({ unit: "mmHg", min: 0, description: "A cell meets high pCO2 above this partial pressure of CO2" }).default(150),
    productivityLoss: quantity({
      min: 0,
      max: 1,
      description: "A cell's specific productivity is its zone's qP × its multiplier × (1 − productivityLoss × internal state)",
    }).default(0.4),
  })
  .meta({
    description:
      "Cell lifelines: agents that move between the zones as a seeded random walk built from the exchange flows, with their own growth and productivity multipliers and an internal state; they read the zone run and do not change it. Histograms and means go to the JSON result",
  });

/** `reactor.zones`: the tank split into vertical zones (docs/model.md §11); needs reactor.vessel. */
export const ZonesSchema = z
  .strictObject({
    count: quantity({
      integer: true,
      min: 1,
      max: MAX_ZONE_COUNT,
      description: "Number of zones stacked from the top (zone 0) to the bottom; 1 is the well-mixed tank",
    }),
    probeZone: quantity({
      integer: true,
      min: 0,
      max: MAX_ZONE_COUNT - 1,
      description: "Zone of the DO and pH probes, counted from 0 at the top; absent means the zone at the height of the lowest impeller",
    }).optional(),
    exchangeFactor: quantity({
      gt: 0,
      max: 1e6,
      description: "Multiplies every exchange flow between zones (1: the impellers' pumping as in docs/model.md §11.2)",
    }).default(1),
    gasResidenceS: quantity({
      unit: "s",
      gt: 0,
      max: 3600,
      description: "Time the sparged gas spends in the liquid; absent means the liquid height over a bubble rise velocity of 0.25 m/s",
    }).optional(),
    lifelines: LifelinesSchema.optional(),
  })
  .meta({
    description:
      "Split a large tank into zones with their own concentrations, exchanging liquid by the impellers' pumping; feeds and base enter the top zone, harvest and bleed leave the bottom one (cho model with a vessel)",
  });

export const ChoReactorSchema = withKeyHints(
  z
    .strictObject({
      maxVolumeL: quantity({
        unit: "L",
        gt: 0,
        description: "Largest liquid volume the vessel holds; absent means no limit",
      }).optional(),
      kLaRefPerH: quantity({
        unit: "1/h",
        min: 0,
        description: "Oxygen kLa at the reference agitation and gas flow",
      }).default(10),
      agitationRefRpm: quantity({ unit: "rpm", gt: 0, description: "Agitation at which kLaRefPerH holds" }).default(150),
      gasFlowRefLPerMin: quantity({
        unit: "L/min",
        gt: 0,
        description: "Sparged gas flow at which kLaRefPerH holds, in standard litres (0 °C, 1 atm) per minute",
      }).default(0.1),
      kLaAgitationExponent: quantity({
        min: 0,
        max: 3,
        description: "Exponent a of kLa = kLaRef (N/Nref)^a (Q/Qref)^b on the agitation N",
      }).default(1.2),
      kLaGasFlowExponent: quantity({
        min: 0,
        max: 2,
        description: "Exponent b of kLa = kLaRef (N/Nref)^a (Q/Qref)^b on the gas flow Q",
      }).default(0.5),
      surfaceKLaPerH: quantity({
        unit: "1/h",
        min: 0,
        description: "Oxygen kLa through the liquid surface (headspace aeration) when no gas is sparged",
      }).default(0.5),
      co2KLaRatio: quantity({ gt: 0, description: "kLa of CO2 divided by kLa of O2" }).default(0.89),
      oxygenSaturationAirMM: quantity({
        unit: "mM",
        gt: 0,
        description: "Dissolved-O2 concentration in equilibrium with air at 37 °C",
      }).default(0.21),
      co2SolubilityMMPerMmHg: quantity({
        unit: "mM/mmHg",
        gt: 0,
        description: "Solubility of CO2 in the medium (Henry's law)",
      }).default(0.0307),
      pressureAtm: quantity({ unit: "atm", gt: 0, description: "Pressure of the headspace" }).default(1),
      bufferMM: quantity({
        unit: "mM",
        min: 0,
        description: "Non-bicarbonate buffer in the medium (phosphate, HEPES)",
      }).default(5),
      bufferPKa: quantity({ min: 4, max: 10, description: "pKa of the non-bicarbonate buffer" }).default(7.2),
      heatTransferWPerK: quantity({
        unit: "W/K",
        min: 0,
        description: "Heat lost from the vessel to the room per kelvin of difference",
      }).default(1.5),
      roomTemperatureC: quantity({ unit: "°C", min: 0, max: 40, description: "Temperature of the room" }).default(22),
      vessel: VesselSchema.optional(),
      zones: ZonesSchema.optional(),
    })
    .meta({ description: "The vessel: oxygen and CO2 transfer, pressure, buffer and heat loss" }),
  {
    kLaPerH: 'the cho model computes kLa from agitation and gas flow; set "kLaRefPerH", the kLa at agitationRefRpm and gasFlowRefLPerMin',
    oxygenSaturationMmolPerL: 'the cho model calls it "oxygenSaturationAirMM" (mM)',
  },
);

// ----------------------------------------------------------------- initial

export const ChoInitialSchema = withKeyHints(
  z
    .strictObject({
      volumeL: quantity({ unit: "L", gt: 0, description: "Liquid volume at the start" }),
      viableCellsE6PerMl: quantity({
        unit: "1e6 cells/mL",
        min: 0,
        description: "Viable cell density at the start",
      }),
      deadCellsE6PerMl: quantity({ unit: "1e6 cells/mL", min: 0, description: "Dead cell density at the start" }).default(
        0,
      ),
      glucoseMM: quantity({ unit: "mM", min: 0, description: "Glucose concentration at the start" }),
      glutamineMM: quantity({ unit: "mM", min: 0, description: "Glutamine concentration at the start" }),
      lactateMM: quantity({ unit: "mM", min: 0, description: "Lactate concentration at the start" }).default(0),
      ammoniaMM: quantity({ unit: "mM", min: 0, description: "Ammonia concentration at the start" }).default(0),
      titerGPerL: quantity({ unit: "g/L", min: 0, description: "Product concentration at the start" }).default(0),
      dissolvedOxygenPercent: initialDissolvedOxygenPercent(),
      pH: quantity({ min: 6, max: 8.5, description: "pH at the start" }).default(7.1),
      pCO2MmHg: quantity({
        unit: "mmHg",
        min: 0,
        max: 760,
        description: "Partial pressure of dissolved CO2 at the start",
      }).default(40),
      temperatureC: quantity({ unit: "°C", min: 0, max: 45, description: "Temperature at the start" }).default(37),
      sodiumMM: quantity({
        unit: "mM",
        min: 0,
        description: "Sodium and potassium together at the start",
      }).default(120),
      osmolalityMOsmPerKg: quantity({ unit: "mOsm/kg", gt: 0, description: "Osmolality at the start" }).default(300),
    })
    .meta({
      description:
        "The state of the culture at time 0; chloride and the other solutes follow from charge balance and osmolality",
    }),
  {
    biomassGPerL: 'the cho model counts cells: give "viableCellsE6PerMl" (1e6 cells/mL)',
    substrateGPerL: 'the cho model has two substrates: give "glucoseMM" and "glutamineMM" (mM)',
    productGPerL: 'the cho model calls it "titerGPerL" (g/L)',
  },
);

// ----------------------------------------------------------------- process

/** How a CHO culture is operated. */
export const CHO_PROCESS_MODES = ["batch", "fed-batch", "continuous", "perfusion"] as const;

/** Medium names: keys of process.media, referred to by each feed's "medium". */
const MEDIUM_NAME_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
const MEDIUM_NAME_RULE = 'A medium name of 1 to 40 letters, digits, "_" or "-"';

const mediumRef = () => text('Name of the medium fed, a key of "process.media"');

const MediumSchema = z
  .strictObject({
    glucoseMM: quantity({ unit: "mM", min: 0, description: "Glucose concentration" }).default(0),
    glutamineMM: quantity({ unit: "mM", min: 0, description: "Glutamine concentration" }).default(0),
    sodiumMM: quantity({ unit: "mM", min: 0, description: "Sodium and potassium together" }).default(0),
    chlorideMM: quantity({ unit: "mM", min: 0, description: "Chloride concentration" }).default(0),
    bicarbonateMM: quantity({ unit: "mM", min: 0, description: "Bicarbonate concentration" }).default(0),
    osmolalityMOsmPerKg: quantity({
      unit: "mOsm/kg",
      gt: 0,
      description: "Osmolality of the medium; absent means computed from its composition",
    }).optional(),
  })
  .meta({ description: "The composition of a medium that the feeds add" });

const ChoBolusSchema = z
  .strictObject({
    timeH: quantity({ unit: "h", min: 0, description: "When the bolus is added" }),
    volumeL: quantity({ unit: "L", gt: 0, description: "Volume of medium added at once" }),
    medium: mediumRef(),
  })
  .meta({ description: "A volume of medium added at one moment" });

const BolusScheduleSchema = z
  .strictObject({
    medium: mediumRef(),
    startH: quantity({ unit: "h", min: 0, description: "When the first bolus is added" }),
    everyH: quantity({ unit: "h", gt: 0, description: "Time between boluses" }),
    untilH: quantity({
      unit: "h",
      min: 0,
      description: "No bolus after this time (after startH); absent means until the end of the run",
    }).optional(),
    volumeL: quantity({
      unit: "L",
      gt: 0,
      description: "Volume of each bolus; give this or percentOfInitialVolume",
    }).optional(),
    percentOfInitialVolume: quantity({
      unit: "%",
      gt: 0,
      max: 100,
      description: "Volume of each bolus as a percentage of initial.volumeL; give this or volumeL",
    }).optional(),
  })
  .meta({ description: 'Boluses repeated at a fixed interval, e.g. daily from day 3: startH 72, everyH 24' });

const ChoFeedSegmentSchema = z
  .strictObject({ ...feedSegmentShape, medium: mediumRef() })
  .meta({ description: "A stretch of continuous feeding of one medium, constant or exponential" });

const FeedOnDemandSchema = z
  .strictObject({
    medium: mediumRef(),
    belowMM: quantity({ unit: "mM", min: 0, description: "Glucose concentration below which medium is added" }),
    targetMM: quantity({
      unit: "mM",
      gt: 0,
      description: "Glucose concentration the addition brings the culture to (above belowMM)",
    }),
    startH: quantity({ unit: "h", min: 0, description: "Time of the first check" }).default(0),
    everyH: quantity({ unit: "h", gt: 0, description: "Time between checks" }).default(24),
    untilH: quantity({
      unit: "h",
      min: 0,
      description: "No check after this time (after startH); absent means until the end of the run",
    }).optional(),
  })
  .meta({
    description:
      "Glucose-controlled feeding: at each check, if glucose is below belowMM, medium is added to bring it to targetMM",
  });

const ContinuousFeedSchema = z
  .strictObject({
    dilutionRatePerH: quantity({ unit: "1/h", gt: 0, description: "Dilution rate D = F/V" }),
    medium: mediumRef(),
  })
  .meta({ description: "The feed of a continuous culture (chemostat): the outflow equals the inflow" });

const PerfusionSchema = z
  .strictObject({
    medium: mediumRef(),
    startH: quantity({ unit: "h", min: 0, description: "When perfusion starts" }).default(0),
    rateVVD: quantity({ unit: "1/day", gt: 0, description: "Fresh medium per day, in vessel volumes" }),
    retentionEfficiency: quantity({
      min: 0,
      max: 1,
      description: "Share of the cells in the perfusate that the cell-retention device holds back",
    }).default(0.99),
    bleedVVD: quantity({
      unit: "1/day",
      min: 0,
      description: "Culture removed per day without retention, in vessel volumes (at most rateVVD)",
    }).default(0),
  })
  .meta({ description: "Perfusion: fresh medium in, cell-free perfusate and a bleed out, at constant volume" });

const SamplingSchema = z
  .strictObject({
    volumeL: quantity({ unit: "L", gt: 0, description: "Volume of culture each sample removes" }),
    startH: quantity({ unit: "h", min: 0, description: "When the first sample is taken" }).default(0),
    everyH: quantity({ unit: "h", gt: 0, description: "Time between samples" }),
    untilH: quantity({
      unit: "h",
      min: 0,
      description: "No sample after this time (after startH); absent means until the end of the run",
    }).optional(),
  })
  .meta({ description: "Regular samples that remove culture" });

const HarvestSchema = z
  .strictObject({
    viabilityBelowPercent: quantity({
      unit: "%",
      min: 0,
      max: 100,
      description: "The run stops when the viability falls below this",
    }),
  })
  .meta({ description: "When to stop the run before durationH" });

export const ChoProcessSchema = withKeyHints(
  z
    .strictObject({
      mode: z.enum(CHO_PROCESS_MODES).meta({ description: "How the culture is operated" }),
      durationH: quantity({ unit: "h", gt: 0, max: 100_000, description: "Length of the run" }),
      media: z
        .record(
          z.string().regex(MEDIUM_NAME_PATTERN).meta({ description: MEDIUM_NAME_RULE }),
          MediumSchema,
        )
        .meta({ description: "The media the feeds add, by name; the feeds refer to them by these names" })
        .default({}),
      boluses: z
        .array(ChoBolusSchema)
        .meta({ description: "Single bolus additions of a medium" })
        .optional(),
      bolusSchedules: z
        .array(BolusScheduleSchema)
        .meta({ description: "Boluses repeated at a fixed interval" })
        .optional(),
      feedProfile: z
        .array(ChoFeedSegmentSchema)
        .meta({ description: "Continuous feeding, in segments sorted by startH that do not overlap" })
        .optional(),
      feedOnDemand: FeedOnDemandSchema.optional(),
      continuous: ContinuousFeedSchema.optional(),
      perfusion: PerfusionSchema.optional(),
      sampling: SamplingSchema.optional(),
      harvest: HarvestSchema.optional(),
    })
    .superRefine((process, ctx) => checkChoProcessRules(process, reporter(ctx)), { when: (p) => isRecord(p.value) })
    .meta({ description: "How the culture is operated and for how long; which feeds are allowed depends on mode" }),
  {
    feedMedium:
      'the cho model feeds named media: define each in "media" and name it in the feed\'s "medium"',
    dilutionRatePerH: 'the cho model takes "continuous": { "dilutionRatePerH", "medium" }',
  },
);

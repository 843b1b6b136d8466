import { describe, expect, test } from "vitest";
import {
  formatProblem,
  isChoScenario,
  isMicrobialScenario,
  parseScenario,
  type ChoScenario,
  type ParseResult,
  type Scenario,
} from "../../engine/scenario";
import { choChemostat, choFedBatch, choMinimalBatch, choPerfusion, minimalBatch } from "./fixtures";

function problemsOf(result: ParseResult): string[] {
  if (result.ok) throw new Error("expected the scenario to be rejected, but it parsed");
  return result.problems.map(formatProblem);
}

function problemsOfDoc(edit: (doc: Record<string, any>) => void, base = choMinimalBatch()): string[] {
  edit(base);
  return problemsOf(parseScenario(base));
}

function parsedCho(doc: Record<string, any>): ChoScenario {
  const result = parseScenario(doc);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  if (!isChoScenario(result.scenario)) throw new Error("expected a cho scenario");
  return result.scenario;
}

describe("a valid cho scenario", () => {
  test("a minimal cho batch parses and gets every documented default", () => {
    expect(parseScenario(choMinimalBatch())).toEqual({
      ok: true,
      scenario: {
        format: "biotwin-scenario",
        version: 1,
        metadata: { title: "CHO batch" },
        cells: {
          model: "cho",
          parameters: {
            muMaxPerH: 0.029,
            kGlucoseMM: 0.084,
            kGlutamineMM: 0.047,
            kiLactateMM: 43,
            kiAmmoniaMM: 6.51,
            deathMaxPerH: 0.016,
            kdLactateMM: 45.8,
            kdAmmoniaMM: 6.51,
            yieldCellsPerGlucoseCellsPerMmol: 1.69e8,
            yieldCellsPerGlutamineCellsPerMmol: 9.74e8,
            yieldLactatePerGlucoseMolPerMol: 1.23,
            yieldAmmoniaPerGlutamineMolPerMol: 0.67,
            maintenanceGlucoseMmolPerCellPerH: 6.92e-11,
            glutamineMaintenanceMaxMmolPerCellPerH: 3.2e-12,
            glutamineMaintenanceKMM: 2.1,
            glutamineDecayPerH: 7.2e-3,
            ammoniaUptakeMmolPerCellPerH: 6.3e-12,
            starvationDeathPerH: 0.02,
            starvationKMM: 0.5,
            lysisPerH: 0.01,
            lactateUptakeMaxMmolPerCellPerH: 2e-11,
            lactateUptakeKMM: 5,
            qpPgPerCellPerDay: 25,
            qpStationaryBoost: 1,
            referenceTemperatureC: 37,
            growthReductionPerK: 0.1,
            qpIncreasePerK: 0.15,
            oxygenUptakeMmolPerCellPerH: 2.0e-10,
            respiratoryQuotient: 1,
            koMM: 0.005,
            osmolalityGrowthOnsetMOsmPerKg: 400,
            osmolalityGrowthStopMOsmPerKg: 545,
          },
          terms: {
            maintenance: true,
            byproductInhibition: true,
            byproductDeath: true,
            starvationDeath: true,
            lysis: true,
            lactateSwitch: true,
            glutamineDecay: true,
            ammoniaUptake: true,
            temperatureEffects: true,
            osmolalityEffects: true,
            oxygenLimitation: true,
          },
        },
        reactor: {
          kLaRefPerH: 10,
          agitationRefRpm: 150,
          gasFlowRefLPerMin: 0.1,
          kLaAgitationExponent: 1.2,
          kLaGasFlowExponent: 0.5,
          surfaceKLaPerH: 0.5,
          co2KLaRatio: 0.89,
          oxygenSaturationAirMM: 0.21,
          co2SolubilityMMPerMmHg: 0.0307,
          pressureAtm: 1,
          bufferMM: 5,
          bufferPKa: 7.2,
          heatTransferWPerK: 1.5,
          roomTemperatureC: 22,
        },
        initial: {
          volumeL: 2,
          viableCellsE6PerMl: 0.3,
          deadCellsE6PerMl: 0,
          glucoseMM: 30,
          glutamineMM: 4,
          lactateMM: 0,
          ammoniaMM: 0,
          titerGPerL: 0,
          dissolvedOxygenPercent: 100,
          pH: 7.1,
          pCO2MmHg: 40,
          temperatureC: 37,
          sodiumMM: 120,
          osmolalityMOsmPerKg: 300,
        },
        process: { mode: "batch", durationH: 240, media: {} },
        control: {
          temperature: {
            enabled: true,
            setpointC: 37,
            schedule: [],
            gainWPerK: 20,
            integralTimeH: 0.5,
            heaterMaxW: 100,
            coolerMaxW: 50,
            fixedHeaterW: 0,
          },
          dissolvedOxygen: {
            enabled: true,
            setpointPercent: 40,
            schedule: [],
            gainPerPercent: 0.05,
            integralTimeH: 1,
            agitationMinRpm: 100,
            agitationMaxRpm: 300,
            gasFlowMinLPerMin: 0.02,
            gasFlowMaxLPerMin: 0.4,
            oxygenFractionMax: 1,
            agitationRpm: 150,
            gasFlowLPerMin: 0.1,
            oxygenFraction: 0.21,
          },
          pH: {
            enabled: true,
            setpoint: 7,
            deadBand: 0.05,
            schedule: [],
            gainPerPH: 2,
            integralTimeH: 2,
            baseMaxLPerH: 0.005,
            baseSodiumMM: 1000,
            baseBicarbonateMM: 1000,
            co2FractionMax: 0.1,
            co2Fraction: 0,
          },
        },
        simulation: { outputIntervalH: 0.1, solver: "rodas4", relTol: 1e-6, absTol: 1e-9, maxSteps: 100000, seed: 1 },
      },
    });
  });

  test("a fed-batch with every kind of feed fills the defaults of media, feeds, sampling and schedules", () => {
    const { process, control } = parsedCho(choFedBatch());
    expect(process.media).toEqual({
      feed: { glucoseMM: 250, glutamineMM: 40, sodiumMM: 40, chlorideMM: 20, bicarbonateMM: 20 },
      glucose: {
        glucoseMM: 2200,
        glutamineMM: 0,
        sodiumMM: 0,
        chlorideMM: 0,
        bicarbonateMM: 0,
        osmolalityMOsmPerKg: 2400,
      },
    });
    expect(process.bolusSchedules).toEqual([{ medium: "feed", startH: 72, everyH: 24, percentOfInitialVolume: 3 }]);
    expect(process.feedProfile).toEqual([
      { startH: 100, endH: 200, rateLPerH: 0.001, exponentialRatePerH: 0, medium: "feed" },
    ]);
    expect(process.feedOnDemand).toEqual({ medium: "glucose", belowMM: 11, targetMM: 22, startH: 72, everyH: 24 });
    expect(process.sampling).toEqual({ volumeL: 0.005, startH: 0, everyH: 24 });
    expect(process.harvest).toEqual({ viabilityBelowPercent: 70 });
    expect(control.temperature.schedule).toEqual([{ timeH: 120, setpointC: 33 }]);
    expect(control.temperature.setpointC).toBe(37);
  });

  test("a perfusion culture fills retentionEfficiency, and a chemostat parses", () => {
    expect(parsedCho(choPerfusion()).process.perfusion).toEqual({
      medium: "basal",
      startH: 48,
      rateVVD: 1,
      retentionEfficiency: 0.99,
      bleedVVD: 0.1,
    });
    expect(parsedCho(choChemostat()).process.continuous).toEqual({ dilutionRatePerH: 0.01, medium: "basal" });
  });

  test("the type guards tell the models apart", () => {
    const cho = parsedCho(choMinimalBatch()) as Scenario;
    expect(isChoScenario(cho)).toBe(true);
    expect(isMicrobialScenario(cho)).toBe(false);
  });

  test("the input document is not modified", () => {
    const doc = choFedBatch();
    const before = structuredClone(doc);
    parseScenario(doc);
    expect(doc).toEqual(before);
  });
});

describe("the cell model is checked first, with one problem", () => {
  test.each([
    ["missing model", { model: undefined }, 'cells.model: required (the cell model: one of "microbial", "cho")'],
    ["unknown model", { model: "yeast" }, 'cells.model: expected one of "microbial", "cho", got "yeast"'],
    ["misspelt model", { model: "CHO" }, 'cells.model: expected one of "microbial", "cho", got "CHO" (did you mean "cho"?)'],
    ["model not a string", { model: 2 }, 'cells.model: expected one of "microbial", "cho", got a number (2)'],
  ])("%s", (_, cells, message) => {
    // Other problems (a bad title, keys of the other model) are not reported until the model is known.
    expect(
      problemsOfDoc((d) => {
        d.cells = cells;
        d.metadata.title = "";
      }),
    ).toEqual([message]);
  });

  test("missing cells", () => {
    expect(problemsOfDoc((d) => delete d.cells)).toEqual([
      'cells: required (an object with "model": one of "microbial", "cho")',
    ]);
  });

  test("cells that is not an object", () => {
    expect(problemsOfDoc((d) => (d.cells = "cho"))).toEqual([
      'cells: expected an object with "model": one of "microbial", "cho", got a string ("cho")',
    ]);
  });
});

describe("keys of the other model", () => {
  test("a microbial file may not have control loops", () => {
    expect(problemsOf(parseScenario({ ...minimalBatch(), control: {} }))).toEqual([
      "control: control loops are available for the cho model only",
    ]);
  });

  test("a microbial process may not use the cho model's feeds", () => {
    const doc = minimalBatch();
    doc.process.harvest = { viabilityBelowPercent: 70 };
    doc.process.media = {};
    expect(problemsOf(parseScenario(doc))).toEqual([
      'process.harvest: available for the cho model only',
      'process.media: available for the cho model only; a microbial feed is described by "feedMedium"',
    ]);
  });

  test("a cho file written with microbial keys is told the cho names", () => {
    expect(
      problemsOfDoc((d) => {
        d.reactor = { kLaPerH: 20 };
        d.initial = { volumeL: 1, biomassGPerL: 0.5, viableCellsE6PerMl: 0.3, glucoseMM: 30, glutamineMM: 4 };
        d.process.feedMedium = { substrateGPerL: 500 };
        d.process.dilutionRatePerH = 0.1;
      }),
    ).toEqual([
      'reactor.kLaPerH: the cho model computes kLa from agitation and gas flow; set "kLaRefPerH", the kLa at agitationRefRpm and gasFlowRefLPerMin',
      'initial.biomassGPerL: the cho model counts cells: give "viableCellsE6PerMl" (1e6 cells/mL)',
      'process.feedMedium: the cho model feeds named media: define each in "media" and name it in the feed\'s "medium"',
      'process.dilutionRatePerH: the cho model takes "continuous": { "dilutionRatePerH", "medium" }',
    ]);
  });
});

describe("cho field errors name the path, the expectation with its unit, and what was found", () => {
  test("required fields and sections", () => {
    expect(problemsOfDoc((d) => delete d.initial)).toEqual([
      "initial: required (an object with volumeL, viableCellsE6PerMl, glucoseMM and glutamineMM)",
    ]);
    expect(problemsOfDoc((d) => (d.initial = { volumeL: 1 }))).toEqual([
      "initial.viableCellsE6PerMl: required (a number in 1e6 cells/mL)",
      "initial.glucoseMM: required (a number in mM)",
      "initial.glutamineMM: required (a number in mM)",
    ]);
  });

  test("ranges state the unit", () => {
    expect(
      problemsOfDoc((d) => {
        d.cells.parameters = { muMaxPerH: 0, growthReductionPerK: 1.5, referenceTemperatureC: 50 };
        d.reactor = { kLaAgitationExponent: 4, bufferPKa: 3, roomTemperatureC: -5 };
        d.initial.pH = 9;
        d.initial.pCO2MmHg = 800;
        d.control = {
          dissolvedOxygen: { oxygenFractionMax: 0.1, setpointPercent: 250 },
          pH: { deadBand: 2 },
          temperature: { setpointC: 50 },
        };
      }),
    ).toEqual([
      "cells.parameters.muMaxPerH: must be greater than 0 1/h (got 0)",
      "cells.parameters.referenceTemperatureC: must be between 20 and 45 °C (got 50)",
      "cells.parameters.growthReductionPerK: must be between 0 and 1 1/K (got 1.5)",
      "reactor.kLaAgitationExponent: must be between 0 and 3 (got 4)",
      "reactor.bufferPKa: must be between 4 and 10 (got 3)",
      "reactor.roomTemperatureC: must be between 0 and 40 °C (got -5)",
      "initial.pH: must be between 6 and 8.5 (got 9)",
      "initial.pCO2MmHg: must be between 0 and 760 mmHg (got 800)",
      "control.temperature.setpointC: must be between 20 and 45 °C (got 50)",
      "control.dissolvedOxygen.setpointPercent: must be between 0 and 200 % (got 250)",
      "control.dissolvedOxygen.oxygenFractionMax: must be between 0.21 and 1 (got 0.1)",
      "control.pH.deadBand: must be between 0 and 1 pH (got 2)",
    ]);
  });

  test("bad process mode lists the cho modes", () => {
    expect(problemsOfDoc((d) => (d.process.mode = "semi-continuous"))).toEqual([
      'process.mode: expected one of "batch", "fed-batch", "continuous", "perfusion", got "semi-continuous"',
    ]);
  });

  test("media: names, entries and the type of the whole", () => {
    expect(
      problemsOfDoc((d) => {
        d.process.media = { "feed A": {}, basal: { glucoseMM: -1, sugar: 3 } };
      }),
    ).toEqual([
      'process.media.feed A: expected a medium name of 1 to 40 letters, digits, "_" or "-", got "feed A"',
      "process.media.basal.glucoseMM: must be at least 0 mM (got -1)",
      "process.media.basal.sugar: unknown key (allowed keys: " +
        '"glucoseMM", "glutamineMM", "sodiumMM", "chlorideMM", "bicarbonateMM", "osmolalityMOsmPerKg")',
    ]);
    expect(problemsOfDoc((d) => (d.process.media = [{ glucoseMM: 10 }]))).toEqual([
      "process.media: expected an object of named entries, got an array",
    ]);
  });

  test("a term must be true or false", () => {
    expect(problemsOfDoc((d) => (d.cells.terms = { lysis: "no" }))).toEqual([
      'cells.terms.lysis: expected true or false, got a string ("no")',
    ]);
  });
});

describe("cho cross-field rules", () => {
  test("every medium reference names a key of process.media", () => {
    expect(
      problemsOfDoc((d) => {
        d.process = {
          ...choFedBatch().process,
          boluses: [{ timeH: 48, volumeL: 0.02, medium: "feedA" }],
          bolusSchedules: [{ medium: "Feed", startH: 72, everyH: 24, volumeL: 0.05 }],
          feedProfile: [{ startH: 100, rateLPerH: 0.001, medium: "glc" }],
          feedOnDemand: { medium: "sugar", belowMM: 11, targetMM: 22 },
        };
      }, choFedBatch()),
    ).toEqual([
      'process.boluses.0.medium: no medium "feedA" in process.media (known: "feed", "glucose")',
      'process.bolusSchedules.0.medium: no medium "Feed" in process.media (known: "feed", "glucose")',
      'process.feedProfile.0.medium: no medium "glc" in process.media (known: "feed", "glucose")',
      'process.feedOnDemand.medium: no medium "sugar" in process.media (known: "feed", "glucose")',
    ]);
    expect(problemsOfDoc((d) => (d.process.continuous.medium = "fresh"), choChemostat())).toEqual([
      'process.continuous.medium: no medium "fresh" in process.media (known: "basal")',
    ]);
    expect(problemsOfDoc((d) => (d.process.media = {}), choPerfusion())).toEqual([
      'process.perfusion.medium: no medium "basal" in process.media (it is empty)',
    ]);
  });

  test("a batch has no feeds", () => {
    expect(
      problemsOfDoc((d) => {
        d.process = {
          ...choFedBatch().process,
          mode: "batch",
          continuous: { dilutionRatePerH: 0.01, medium: "feed" },
          perfusion: { medium: "feed", rateVVD: 1 },
        };
      }),
    ).toEqual([
      'process.boluses: a batch has no feeds; remove "boluses" or use mode "fed-batch"',
      'process.bolusSchedules: a batch has no feeds; remove "bolusSchedules" or use mode "fed-batch"',
      'process.feedProfile: a batch has no feeds; remove "feedProfile" or use mode "fed-batch"',
      'process.feedOnDemand: a batch has no feeds; remove "feedOnDemand" or use mode "fed-batch"',
      'process.continuous: a batch has no feeds; remove "continuous" or use mode "continuous"',
      'process.perfusion: a batch has no feeds; remove "perfusion" or use mode "perfusion"',
    ]);
  });

  test("sampling and harvest are allowed in a batch, and empty feed lists count as none", () => {
    const doc = choMinimalBatch();
    doc.process.sampling = { volumeL: 0.01, everyH: 24 };
    doc.process.harvest = { viabilityBelowPercent: 80 };
    doc.process.boluses = [];
    expect(parseScenario(doc).ok).toBe(true);
  });

  test("a fed-batch needs a feed, and has neither a continuous feed nor perfusion", () => {
    expect(
      problemsOfDoc((d) => {
        d.process = {
          mode: "fed-batch",
          durationH: 100,
          media: { basal: {} },
          continuous: { dilutionRatePerH: 0.01, medium: "basal" },
          perfusion: { medium: "basal", rateVVD: 1 },
        };
      }),
    ).toEqual([
      'process: a fed-batch needs at least one feed: "boluses", "bolusSchedules", "feedProfile" or "feedOnDemand"',
      'process.continuous: only a continuous culture has "continuous"; remove it or use mode "continuous"',
      'process.perfusion: only a perfusion culture has "perfusion"; remove it or use mode "perfusion"',
    ]);
  });

  test("each fed-batch feed is enough on its own", () => {
    for (const key of ["boluses", "bolusSchedules", "feedProfile", "feedOnDemand"]) {
      const doc = choFedBatch();
      for (const other of ["boluses", "bolusSchedules", "feedProfile", "feedOnDemand"]) {
        if (other !== key) delete doc.process[other];
      }
      expect(parseScenario(doc).ok, key).toBe(true);
    }
  });

  test("a continuous culture needs its feed and has no perfusion", () => {
    expect(
      problemsOfDoc((d) => {
        delete d.process.continuous;
        d.process.perfusion = { medium: "basal", rateVVD: 1 };
      }, choChemostat()),
    ).toEqual([
      'process.continuous: required for mode "continuous" (an object with dilutionRatePerH and medium)',
      'process.perfusion: only a perfusion culture has "perfusion"; remove it or use mode "perfusion"',
    ]);
  });

  test("a perfusion culture needs its settings and has no continuous feed", () => {
    expect(
      problemsOfDoc((d) => {
        delete d.process.perfusion;
        d.process.continuous = { dilutionRatePerH: 0.01, medium: "basal" };
      }, choPerfusion()),
    ).toEqual([
      'process.perfusion: required for mode "perfusion" (an object with medium and rateVVD)',
      'process.continuous: only a continuous culture has "continuous"; remove it or use mode "continuous"',
    ]);
  });

  test("boluses may join a continuous or perfusion culture", () => {
    const doc = choPerfusion();
    doc.process.boluses = [{ timeH: 100, volumeL: 0.05, medium: "basal" }];
    expect(parseScenario(doc).ok).toBe(true);
  });

  test("every time lies within the run", () => {
    expect(
      problemsOfDoc((d) => {
        d.process.durationH = 60;
        d.process.feedProfile = [{ startH: 50, endH: 70, rateLPerH: 0.001, medium: "feed" }];
        d.process.feedOnDemand.untilH = 100;
        d.process.sampling.startH = 61;
        d.process.bolusSchedules[0].startH = 40;
        d.process.bolusSchedules[0].untilH = 80;
        d.control.temperature.schedule[0].timeH = 65;
      }, choFedBatch()),
    ).toEqual([
      "process.feedProfile.0.endH: must be at most durationH, 60 h (got 70)",
      "process.bolusSchedules.0.untilH: must be at most durationH, 60 h (got 80)",
      "process.feedOnDemand.startH: must be at most durationH, 60 h (got 72)",
      "process.feedOnDemand.untilH: must be at most durationH, 60 h (got 100)",
      "process.sampling.startH: must be at most durationH, 60 h (got 61)",
      "control.temperature.schedule.0.timeH: must be at most process.durationH, 60 h (got 65)",
    ]);
    expect(
      problemsOfDoc((d) => {
        d.process.boluses = [{ timeH: 800, volumeL: 0.05, medium: "basal" }];
        d.process.perfusion.startH = 750;
      }, choPerfusion()),
    ).toEqual([
      "process.boluses.0.timeH: must be at most durationH, 720 h (got 800)",
      "process.perfusion.startH: must be at most durationH, 720 h (got 750)",
    ]);
  });

  test("repeated events end after they start", () => {
    expect(
      problemsOfDoc((d) => {
        d.process.bolusSchedules[0].untilH = 72;
        d.process.feedOnDemand.untilH = 50;
        d.process.sampling.startH = 24;
        d.process.sampling.untilH = 12;
      }, choFedBatch()),
    ).toEqual([
      "process.bolusSchedules.0.untilH: must be greater than startH, 72 h (got 72)",
      "process.feedOnDemand.untilH: must be greater than startH, 72 h (got 50)",
      "process.sampling.untilH: must be greater than startH, 24 h (got 12)",
    ]);
  });

  test("feed segments follow the microbial rules", () => {
    expect(
      problemsOfDoc(
        (d) =>
          (d.process.feedProfile = [
            { startH: 100, endH: 200, rateLPerH: 0.001, medium: "feed" },
            { startH: 150, rateLPerH: 0.002, medium: "feed" },
            { startH: 120, endH: 110, rateLPerH: 0.002, medium: "feed" },
          ]),
        choFedBatch(),
      ),
    ).toEqual([
      "process.feedProfile.1.startH: overlaps segment 0, which runs until 200 h; start at 200 h or later",
      "process.feedProfile.2.endH: must be greater than startH, 120 h (got 110)",
      "process.feedProfile.2.startH: segments must be sorted by startH; this one starts at 120 h, before segment 1 (150 h)",
    ]);
  });

  test("a bolus schedule gives its volume exactly one way", () => {
    expect(
      problemsOfDoc((d) => {
        d.process.bolusSchedules = [
          { medium: "feed", startH: 72, everyH: 24, volumeL: 0.05, percentOfInitialVolume: 3 },
          { medium: "feed", startH: 72, everyH: 24 },
          { medium: "feed", startH: 72, everyH: 24, percentOfInitialVolume: 120 },
        ];
      }, choFedBatch()),
    ).toEqual([
      "process.bolusSchedules.2.percentOfInitialVolume: must be greater than 0 % and at most 100 % (got 120)",
      'process.bolusSchedules.0: give the volume of each bolus once: "volumeL" or "percentOfInitialVolume", not both',
      'process.bolusSchedules.1: required: the volume of each bolus, as "volumeL" (a number in L) or "percentOfInitialVolume" (a number in %)',
    ]);
  });

  test("feed on demand aims above its trigger", () => {
    expect(problemsOfDoc((d) => (d.process.feedOnDemand.targetMM = 11), choFedBatch())).toEqual([
      "process.feedOnDemand.targetMM: must be greater than belowMM, 11 mM (got 11)",
    ]);
  });

  test("feed on demand uses a medium richer in glucose than its target", () => {
    expect(
      problemsOfDoc((d) => {
        d.process.media.feed.glucoseMM = 20;
        d.process.feedOnDemand.medium = "feed";
      }, choFedBatch()),
    ).toEqual([
      'process.feedOnDemand.medium: medium "feed" holds 20 mM glucose, not more than targetMM, 22 mM, so it cannot bring glucose up to the target',
    ]);
  });

  test("the perfusion bleed is at most the perfusion rate", () => {
    expect(problemsOfDoc((d) => (d.process.perfusion.bleedVVD = 1.5), choPerfusion())).toEqual([
      "process.perfusion.bleedVVD: must be at most rateVVD, 1 1/day (got 1.5)",
    ]);
    expect(problemsOfDoc((d) => (d.process.perfusion.retentionEfficiency = 1.2), choPerfusion())).toEqual([
      "process.perfusion.retentionEfficiency: must be between 0 and 1 (got 1.2)",
    ]);
  });

  test("growth stops at a higher osmolality than it starts to slow", () => {
    expect(problemsOfDoc((d) => (d.cells.parameters = { osmolalityGrowthStopMOsmPerKg: 380 }))).toEqual([
      "cells.parameters.osmolalityGrowthStopMOsmPerKg: must be greater than osmolalityGrowthOnsetMOsmPerKg, 400 mOsm/kg (got 380)",
    ]);
    expect(
      problemsOfDoc(
        (d) => (d.cells.parameters = { osmolalityGrowthOnsetMOsmPerKg: 450, osmolalityGrowthStopMOsmPerKg: 450 }),
      ),
    ).toEqual([
      "cells.parameters.osmolalityGrowthStopMOsmPerKg: must be greater than osmolalityGrowthOnsetMOsmPerKg, 450 mOsm/kg (got 450)",
    ]);
  });

  test("setpoint schedules are sorted by time, each time once", () => {
    expect(
      problemsOfDoc((d) => {
        d.control = {
          temperature: {
            schedule: [
              { timeH: 120, setpointC: 33 },
              { timeH: 100, setpointC: 35 },
            ],
          },
          pH: {
            schedule: [
              { timeH: 24, setpoint: 7.0 },
              { timeH: 24, setpoint: 6.9 },
            ],
          },
        };
      }),
    ).toEqual([
      "control.temperature.schedule.1.timeH: the schedule must be sorted by timeH; this entry is at 100 h, before entry 0 (120 h)",
      "control.pH.schedule.1.timeH: entry 0 is also at 24 h; give each time once",
    ]);
  });

  test("the oxygen cascade's limits come as minimum and maximum", () => {
    expect(
      problemsOfDoc(
        (d) =>
          (d.control = { dissolvedOxygen: { agitationMinRpm: 200, agitationMaxRpm: 150, gasFlowMaxLPerMin: 0.01 } }),
      ),
    ).toEqual([
      "control.dissolvedOxygen.agitationMaxRpm: must be at least agitationMinRpm, 200 rpm (got 150)",
      "control.dissolvedOxygen.gasFlowMaxLPerMin: must be at least gasFlowMinLPerMin, 0.02 L/min (got 0.01)",
    ]);
  });

  test("the starting volume fits in the vessel", () => {
    expect(problemsOfDoc((d) => (d.reactor = { maxVolumeL: 1.5 }))).toEqual([
      "initial.volumeL: must be at most reactor.maxVolumeL, 1.5 L (got 2)",
    ]);
  });
});

import { describe, expect, test } from "vitest";
import {
  formatProblem,
  isMicrobialScenario,
  parseScenario,
  parseScenarioText,
  type ParseResult,
} from "../../engine/scenario";
import { chemostat, fedBatch, minimalBatch } from "./fixtures";

/** The formatted problems of a result that must have failed. */
function problemsOf(result: ParseResult): string[] {
  if (result.ok) throw new Error("expected the scenario to be rejected, but it parsed");
  return result.problems.map(formatProblem);
}

function problemsOfDoc(edit: (doc: Record<string, any>) => void, base = minimalBatch()): string[] {
  edit(base);
  return problemsOf(parseScenario(base));
}

describe("a valid scenario", () => {
  test("a minimal microbial batch parses and gets every documented default", () => {
    const result = parseScenario(minimalBatch());
    expect(result).toEqual({
      ok: true,
      scenario: {
        format: "biotwin-scenario",
        version: 1,
        metadata: { title: "E. coli batch on glucose" },
        cells: {
          model: "microbial",
          parameters: {
            muMaxPerH: 0.66,
            ksGPerL: 0.05,
            yieldBiomassPerSubstrateGPerG: 0.51,
            maintenanceSubstrateGPerGPerH: 0.04,
            deathRatePerH: 0.01,
            productGrowthAssociatedGPerG: 0.1,
            productNonGrowthGPerGPerH: 0.005,
            yieldBiomassPerOxygenGPerMmol: 0.042,
            maintenanceOxygenMmolPerGPerH: 1.33,
            koMmolPerL: 0.003,
            maxBiomassGPerL: null,
          },
          terms: { substrateLimitation: true, maintenance: true, death: true, product: true, oxygen: true },
        },
        reactor: { kLaPerH: 300, oxygenSaturationMmolPerL: 0.21 },
        initial: {
          volumeL: 1,
          biomassGPerL: 0.05,
          substrateGPerL: 20,
          deadBiomassGPerL: 0,
          productGPerL: 0,
          dissolvedOxygenPercent: 100,
        },
        process: { mode: "batch", durationH: 24 },
        simulation: { outputIntervalH: 0.1, solver: "rodas4", relTol: 1e-6, absTol: 1e-9, maxSteps: 100000, seed: 1 },
      },
    });
  });

  test("given values win over defaults, and a partial parameters object is completed", () => {
    const doc = minimalBatch();
    doc.cells.parameters = { muMaxPerH: 0.4, maxBiomassGPerL: 80 };
    doc.cells.terms = { death: false };
    const result = parseScenario(doc);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    if (!isMicrobialScenario(result.scenario)) throw new Error("expected a microbial scenario");
    expect(result.scenario.cells.parameters.muMaxPerH).toBe(0.4);
    expect(result.scenario.cells.parameters.maxBiomassGPerL).toBe(80);
    expect(result.scenario.cells.parameters.ksGPerL).toBe(0.05);
    expect(result.scenario.cells.terms).toEqual({
      substrateLimitation: true,
      maintenance: true,
      death: false,
      product: true,
      oxygen: true,
    });
  });

  test("a fed-batch fills the feed-segment default and keeps an open last segment", () => {
    const result = parseScenario(fedBatch());
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    expect(result.scenario.process.feedProfile).toEqual([
      { startH: 12, endH: 20, rateLPerH: 0.01, exponentialRatePerH: 0.15 },
      { startH: 20, rateLPerH: 0.03, exponentialRatePerH: 0 },
    ]);
  });

  test("a chemostat parses", () => {
    expect(parseScenario(chemostat()).ok).toBe(true);
  });

  test("the input document is not modified", () => {
    const doc = minimalBatch();
    const before = structuredClone(doc);
    parseScenario(doc);
    expect(doc).toEqual(before);
  });
});

describe("field errors name the path, the expectation with its unit, and what was found", () => {
  test("wrong type", () => {
    expect(problemsOfDoc((d) => (d.reactor = { kLaPerH: "fast" }))).toEqual([
      'reactor.kLaPerH: expected a number in 1/h, got a string ("fast")',
    ]);
  });

  test("not a finite number (as an override could produce)", () => {
    expect(problemsOfDoc((d) => (d.cells.parameters = { muMaxPerH: Number.NaN, koMmolPerL: Infinity }))).toEqual([
      "cells.parameters.muMaxPerH: expected a number in 1/h, got NaN",
      "cells.parameters.koMmolPerL: expected a number in mmol/L, got Infinity",
    ]);
  });

  test("not an integer", () => {
    expect(problemsOfDoc((d) => (d.simulation = { maxSteps: 1.5 }))).toEqual([
      "simulation.maxSteps: expected an integer, got 1.5",
    ]);
  });

  test("nullable number", () => {
    expect(problemsOfDoc((d) => (d.cells.parameters = { maxBiomassGPerL: "none" }))).toEqual([
      'cells.parameters.maxBiomassGPerL: expected a number in g/L or null, got a string ("none")',
    ]);
  });

  test("out of range: negative volume", () => {
    expect(problemsOfDoc((d) => (d.initial.volumeL = -2))).toEqual(["initial.volumeL: must be greater than 0 L (got -2)"]);
  });

  test("out of range: Ks of zero", () => {
    expect(problemsOfDoc((d) => (d.cells.parameters = { ksGPerL: 0 }))).toEqual([
      "cells.parameters.ksGPerL: must be greater than 0 g/L (got 0)",
    ]);
  });

  test("out of range: the message states the whole range", () => {
    expect(
      problemsOfDoc((d) => {
        d.initial.dissolvedOxygenPercent = 1200;
        d.simulation = { relTol: 0.5, absTol: 2, seed: -1 };
        d.process.durationH = 200_000;
      }),
    ).toEqual([
      "initial.dissolvedOxygenPercent: must be between 0 and 1000 % (got 1200)",
      "process.durationH: must be greater than 0 h and at most 100000 h (got 200000)",
      "simulation.relTol: must be between 1e-14 and 0.1 (got 0.5)",
      "simulation.absTol: must be greater than 0 and at most 1 (got 2)",
      "simulation.seed: must be between 0 and 4294967295 (got -1)",
    ]);
  });

  test("string length", () => {
    expect(problemsOfDoc((d) => (d.metadata.title = ""))).toEqual(["metadata.title: must not be empty"]);
    expect(problemsOfDoc((d) => (d.metadata.title = "x".repeat(201)))).toEqual([
      "metadata.title: must have at most 200 characters (got 201)",
    ]);
  });

  test("unknown key with a close match suggests it", () => {
    expect(problemsOfDoc((d) => (d.cells.parameters = { muMax: 0.5 }))).toEqual([
      'cells.parameters.muMax: unknown key (did you mean "muMaxPerH"?)',
    ]);
    expect(problemsOfDoc((d) => (d.initial.volumeMl = 5))).toEqual([
      'initial.volumeMl: unknown key (did you mean "volumeL"?)',
    ]);
    expect(problemsOfDoc((d) => (d.cells.params = {}))).toEqual([
      'cells.params: unknown key (did you mean "parameters"?)',
    ]);
  });

  test("unknown key without a close match lists the allowed keys", () => {
    expect(problemsOfDoc((d) => (d.reactor = { colour: "steel" }))).toEqual([
      'reactor.colour: unknown key (allowed keys: "maxVolumeL", "kLaPerH", "oxygenSaturationMmolPerL", "vessel")',
    ]);
  });

  test("unknown keys at the top level, each on its own line", () => {
    expect(problemsOfDoc((d) => Object.assign(d, { comment: "hi", simulaton: {} }))).toEqual([
      'comment: unknown key (allowed keys: "format", "version", "metadata", "cells", "reactor", "initial", "process", "simulation", "study")',
      'simulaton: unknown key (did you mean "simulation"?)',
    ]);
  });

  test("missing required field", () => {
    expect(problemsOfDoc((d) => delete d.initial.volumeL)).toEqual(["initial.volumeL: required (a number in L)"]);
  });

  test("missing required section lists what it needs", () => {
    expect(problemsOfDoc((d) => delete d.initial)).toEqual([
      "initial: required (an object with volumeL, biomassGPerL and substrateGPerL)",
    ]);
  });

  test("bad enum value", () => {
    expect(problemsOfDoc((d) => (d.process.mode = "fedbatch"))).toEqual([
      'process.mode: expected one of "batch", "fed-batch", "continuous", got "fedbatch"',
    ]);
  });

  test("unknown cell model (more in cho.test.ts)", () => {
    expect(problemsOfDoc((d) => (d.cells = { model: "bacteria" }))).toEqual([
      'cells.model: expected one of "microbial", "cho", got "bacteria"',
    ]);
  });

  test("array items are addressed by index", () => {
    expect(
      problemsOfDoc((d) => {
        d.process.boluses[1] = { timeH: 30, volumeL: 0 };
      }, fedBatch()),
    ).toEqual(["process.boluses.1.volumeL: must be greater than 0 L (got 0)"]);
  });
});

describe("cross-field rules", () => {
  test("a batch has no feeds", () => {
    expect(
      problemsOfDoc((d) => {
        d.process.boluses = [{ timeH: 1, volumeL: 0.1 }];
        d.process.feedProfile = [{ startH: 0, rateLPerH: 0.01 }];
        d.process.dilutionRatePerH = 0.1;
      }),
    ).toEqual([
      'process.boluses: a batch has no feeds; remove "boluses" or use mode "fed-batch"',
      'process.feedProfile: a batch has no feeds; remove "feedProfile" or use mode "fed-batch"',
      'process.dilutionRatePerH: a batch has no feeds; remove "dilutionRatePerH" or use mode "continuous"',
    ]);
  });

  test("a fed-batch needs a feed and a feed medium", () => {
    expect(problemsOfDoc((d) => (d.process = { mode: "fed-batch", durationH: 10 }))).toEqual([
      'process: a fed-batch needs at least one bolus in "boluses" or one segment in "feedProfile"',
      'process.feedMedium: required for mode "fed-batch" (an object with substrateGPerL, the composition of what is fed)',
    ]);
  });

  test("a fed-batch has no dilution rate", () => {
    expect(problemsOfDoc((d) => (d.process.dilutionRatePerH = 0.1), fedBatch())).toEqual([
      'process.dilutionRatePerH: only a continuous culture has a dilution rate; remove "dilutionRatePerH" or use mode "continuous"',
    ]);
  });

  test("a continuous culture needs a dilution rate and a feed medium, and takes no boluses or feed profile", () => {
    expect(
      problemsOfDoc(
        (d) =>
          (d.process = {
            mode: "continuous",
            durationH: 10,
            boluses: [{ timeH: 1, volumeL: 0.1 }],
            feedProfile: [{ startH: 0, rateLPerH: 0.01 }],
          }),
      ),
    ).toEqual([
      'process.dilutionRatePerH: required for mode "continuous" (a number in 1/h)',
      'process.feedMedium: required for mode "continuous" (an object with substrateGPerL, the composition of what is fed)',
      'process.boluses: a continuous culture is fed through "dilutionRatePerH"; remove "boluses" or use mode "fed-batch"',
      'process.feedProfile: a continuous culture is fed through "dilutionRatePerH"; remove "feedProfile" or use mode "fed-batch"',
    ]);
  });

  test("boluses and feed segments lie within the run", () => {
    expect(
      problemsOfDoc((d) => {
        d.process.boluses = [{ timeH: 49, volumeL: 0.1 }];
        d.process.feedProfile = [{ startH: 12, endH: 50, rateLPerH: 0.01 }, { startH: 60, rateLPerH: 0.01 }];
      }, fedBatch()),
    ).toEqual([
      "process.boluses.0.timeH: must be at most durationH, 48 h (got 49)",
      "process.feedProfile.0.endH: must be at most durationH, 48 h (got 50)",
      "process.feedProfile.1.startH: must be at most durationH, 48 h (got 60)",
    ]);
  });

  test("a feed segment ends after it starts", () => {
    expect(
      problemsOfDoc((d) => (d.process.feedProfile = [{ startH: 12, endH: 12, rateLPerH: 0.01 }]), fedBatch()),
    ).toEqual(["process.feedProfile.0.endH: must be greater than startH, 12 h (got 12)"]);
  });

  test("feed segments are sorted by startH", () => {
    expect(
      problemsOfDoc(
        (d) =>
          (d.process.feedProfile = [
            { startH: 20, endH: 30, rateLPerH: 0.01 },
            { startH: 10, endH: 15, rateLPerH: 0.01 },
          ]),
        fedBatch(),
      ),
    ).toEqual([
      "process.feedProfile.1.startH: segments must be sorted by startH; this one starts at 10 h, before segment 0 (20 h)",
    ]);
  });

  test("feed segments do not overlap", () => {
    expect(
      problemsOfDoc(
        (d) =>
          (d.process.feedProfile = [
            { startH: 10, endH: 20, rateLPerH: 0.01 },
            { startH: 15, endH: 25, rateLPerH: 0.01 },
          ]),
        fedBatch(),
      ),
    ).toEqual(["process.feedProfile.1.startH: overlaps segment 0, which runs until 20 h; start at 20 h or later"]);
  });

  test("nothing may follow a segment without endH", () => {
    expect(
      problemsOfDoc(
        (d) =>
          (d.process.feedProfile = [
            { startH: 10, rateLPerH: 0.01 },
            { startH: 30, rateLPerH: 0.02 },
          ]),
        fedBatch(),
      ),
    ).toEqual([
      "process.feedProfile.1.startH: segment 0 has no endH, so it runs to the end of the process and no segment may follow it",
    ]);
  });

  test("the starting volume fits in the vessel", () => {
    expect(problemsOfDoc((d) => (d.reactor = { maxVolumeL: 0.8 }))).toEqual([
      "initial.volumeL: must be at most reactor.maxVolumeL, 0.8 L (got 1)",
    ]);
  });

  test("empty feed lists count as no feeds", () => {
    const doc = minimalBatch();
    doc.process.boluses = [];
    doc.process.feedProfile = [];
    expect(parseScenario(doc).ok).toBe(true);
  });
});

describe("documents that are not (current) scenarios", () => {
  test("wrong format", () => {
    expect(problemsOfDoc((d) => (d.format = "biotwin-study"))).toEqual([
      'format: this is not a biotwin scenario: expected "format": "biotwin-scenario", got a string ("biotwin-study")',
    ]);
  });

  test("missing format", () => {
    expect(problemsOf(parseScenario({ title: "my notes" }))).toEqual([
      'format: this is not a biotwin scenario: expected "format": "biotwin-scenario", it has no "format" key',
    ]);
  });

  test("newer version", () => {
    expect(problemsOfDoc((d) => (d.version = 3))).toEqual([
      "version: this file is format version 3, written by a newer biotwin; this one reads versions up to 1",
    ]);
  });

  test("missing or malformed version", () => {
    expect(problemsOfDoc((d) => delete d.version)).toEqual([
      "version: required (the format version the file is written in; this biotwin writes 1)",
    ]);
    expect(problemsOfDoc((d) => (d.version = "1"))).toEqual([
      'version: expected the format version, a whole number from 1 (this biotwin writes 1), got a string ("1")',
    ]);
  });

  test("non-object document", () => {
    expect(problemsOf(parseScenario([minimalBatch()]))).toEqual(["a scenario must be a JSON object, got an array"]);
    expect(problemsOf(parseScenario(null))).toEqual(["a scenario must be a JSON object, got null"]);
    expect(problemsOf(parseScenario("scenario.json"))).toEqual([
      'a scenario must be a JSON object, got a string ("scenario.json")',
    ]);
  });
});

describe("parseScenarioText", () => {
  test("valid text parses, with or without a byte-order mark", () => {
    const text = JSON.stringify(minimalBatch(), null, 2);
    expect(parseScenarioText(text).ok).toBe(true);
    expect(parseScenarioText(`\uFEFF${text}`).ok).toBe(true);
  });

  test("broken JSON: the parser's position becomes line and column", () => {
    const text = '{\n  "format": "biotwin-scenario",\n  "version": 1,\n}\n';
    expect(problemsOf(parseScenarioText(text, "scenario.json"))).toEqual([
      "scenario.json: not valid JSON: Expected double-quoted property name at line 4, column 1",
    ]);
  });

  test("broken JSON: located by our own scan when the parser gives no position", () => {
    const text = '{\n  "format": "biotwin-scenario",\n  "version": ,\n}';
    expect(problemsOf(parseScenarioText(text, "scenario.json"))).toEqual([
      "scenario.json: not valid JSON: Unexpected token ',' at line 3, column 14",
    ]);
  });

  test("broken JSON: truncated file, without a source name", () => {
    expect(problemsOf(parseScenarioText('{\n  "format": "biotwin-scenario"'))).toEqual([
      "not valid JSON: Expected ',' or '}' after property value at line 2, column 31",
    ]);
    expect(problemsOf(parseScenarioText(""))).toEqual(["not valid JSON: Unexpected end of JSON input at line 1, column 1"]);
  });

  test("valid JSON that is not a valid scenario reports the scenario problems", () => {
    const doc = minimalBatch();
    doc.initial.volumeL = 0;
    expect(problemsOf(parseScenarioText(JSON.stringify(doc)))).toEqual([
      "initial.volumeL: must be greater than 0 L (got 0)",
    ]);
  });
});

test("several problems in one file are all listed, in document order within each section", () => {
  const doc = minimalBatch();
  doc.metadata.titel = "typo";
  doc.cells.parameters = { ksGPerL: 0, muMax: 1 };
  doc.reactor = { kLaPerH: "fast", maxVolumeL: 0.5 };
  delete doc.initial.substrateGPerL;
  doc.process.boluses = [{ timeH: 30, volumeL: -1 }];
  doc.simulation = { solver: "euler" };
  expect(problemsOf(parseScenario(doc))).toEqual([
    'metadata.titel: unknown key (did you mean "title"?)',
    "cells.parameters.ksGPerL: must be greater than 0 g/L (got 0)",
    'cells.parameters.muMax: unknown key (did you mean "muMaxPerH"?)',
    'reactor.kLaPerH: expected a number in 1/h, got a string ("fast")',
    "initial.substrateGPerL: required (a number in g/L)",
    "process.boluses.0.volumeL: must be greater than 0 L (got -1)",
    'process.boluses: a batch has no feeds; remove "boluses" or use mode "fed-batch"',
    "process.boluses.0.timeH: must be at most durationH, 24 h (got 30)",
    'simulation.solver: expected one of "rodas4", "dopri5", got "euler"',
    "initial.volumeL: must be at most reactor.maxVolumeL, 0.5 L (got 1)",
  ]);
});

test("formatProblem omits the path for the whole document", () => {
  expect(formatProblem({ path: "", message: "not valid JSON" })).toBe("not valid JSON");
  expect(formatProblem({ path: "a.b", message: "bad" })).toBe("a.b: bad");
});

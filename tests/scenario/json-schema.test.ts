import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { formatProblem, parseScenarioText, scenarioJsonSchema, scenarioJsonSchemaText } from "../../engine/scenario";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const committedPath = "scenarios/schema/scenario-v1.schema.json";

describe("the published JSON Schema", () => {
  test("the committed file matches scenarioJsonSchema()", () => {
    const file = join(root, committedPath);
    const committed = existsSync(file) ? readFileSync(file, "utf8") : "(missing)";
    expect(
      committed === scenarioJsonSchemaText(),
      `${committedPath} is out of date with engine/scenario/schema.ts; ` +
        `regenerate it with: biotwin schema --out ${committedPath}`,
    ).toBe(true);
  });

  test("is draft 2020-12 with an $id, a title and a description", () => {
    const schema = scenarioJsonSchema();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe("https://biotwin.dev/schema/scenario-v1.schema.json");
    expect(schema.title).toEqual(expect.any(String));
    expect(schema.description).toEqual(expect.any(String));
  });

  test("is one full schema per cell model, told apart by cells.model", () => {
    const schema = scenarioJsonSchema() as any;
    expect(schema.anyOf.map((branch: any) => branch.properties.cells.properties.model.const)).toEqual([
      "microbial",
      "cho",
    ]);
    expect(schema.anyOf.map((branch: any) => branch.title)).toEqual(["microbial scenario", "cho scenario"]);
    expect(schema.anyOf[0].properties.control).toBeUndefined();
    expect(schema.anyOf[1].properties.control.type).toBe("object");
  });

  test("defaulted fields are optional; required fields are required", () => {
    const [microbial, cho] = (scenarioJsonSchema() as any).anyOf;
    for (const branch of [microbial, cho]) {
      expect(branch.required).toEqual(["format", "version", "metadata", "cells", "initial", "process"]);
      expect(branch.additionalProperties).toBe(false);
    }
    expect(microbial.properties.initial.required).toEqual(["volumeL", "biomassGPerL", "substrateGPerL"]);
    expect(microbial.properties.reactor.properties.kLaPerH.default).toBe(300);
    expect(cho.properties.initial.required).toEqual(["volumeL", "viableCellsE6PerMl", "glucoseMM", "glutamineMM"]);
    expect(cho.properties.reactor.properties.kLaRefPerH.default).toBe(10);
    expect(cho.properties.process.required).toEqual(["mode", "durationH"]);
    expect(cho.properties.process.properties.media.propertyNames.pattern).toBe("^[A-Za-z0-9_-]{1,40}$");
    expect(cho.properties.control.properties.temperature.properties.setpointC.default).toBe(37);
  });

  test("every property has a description, and every number with a unit says it in both places", () => {
    const dimensionless = new Set([
      "version",
      "relTol",
      "absTol",
      "maxSteps",
      "seed",
      // cho: ratios, exponents, pH and gas fractions
      "qpStationaryBoost",
      "kLaAgitationExponent",
      "kLaGasFlowExponent",
      "co2KLaRatio",
      "bufferPKa",
      "pH",
      "setpoint",
      "retentionEfficiency",
      "oxygenFractionMax",
      "oxygenFraction",
      "co2FractionMax",
      "co2Fraction",
      // reactor.vessel: counts; reactor.zones: a zone index and a factor
      "count",
      "probeZone",
      "exchangeFactor",
      "blades",
      "baffles",
      // reactor.zones.lifelines: a bin count, coefficients of variation and a fraction
      "bins",
      "growthCV",
      "productivityCV",
      "productivityLoss",
    ]);
    const missing: string[] = [];
    const visit = (node: any, path: string): void => {
      if (Array.isArray(node)) return node.forEach((child, i) => visit(child, `${path}[${i}]`));
      if (typeof node !== "object" || node === null) return;
      for (const [key, property] of Object.entries<any>(node.properties ?? {})) {
        const at = path === "" ? key : `${path}.${key}`;
        if (typeof property.description !== "string") missing.push(`${at}: no description`);
        const isNumber = property.type === "number" || property.type === "integer" || property.anyOf?.[0]?.type === "number";
        if (isNumber && !dimensionless.has(key)) {
          if (typeof property.unit !== "string") missing.push(`${at}: no unit`);
          else if (!property.description?.includes(`[${property.unit}]`)) missing.push(`${at}: unit not in description`);
        }
      }
      for (const [key, child] of Object.entries(node)) if (key !== "unit") visit(child, path);
    };
    visit(scenarioJsonSchema(), "");
    expect(missing).toEqual([]);
  });
});

test("docs/scenario-format.md mentions every key of the format", () => {
  const docs = readFileSync(join(root, "docs/scenario-format.md"), "utf8");
  const keys = new Set<string>();
  const collect = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    const properties = (node as { properties?: Record<string, unknown> }).properties;
    for (const key of Object.keys(properties ?? {})) keys.add(key);
    Object.values(node).forEach(collect);
  };
  collect(scenarioJsonSchema());
  expect(keys.size).toBeGreaterThan(50);
  expect([...keys].filter((key) => !docs.includes(`\`${key}\``))).toEqual([]);
});

test("the JSON examples in docs/scenario-format.md are valid scenarios", () => {
  const docs = readFileSync(join(root, "docs/scenario-format.md"), "utf8");
  const examples = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);
  expect(examples.length).toBeGreaterThanOrEqual(2);
  for (const example of examples) {
    const result = parseScenarioText(example, "docs example");
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
  }
});

describe("built-in scenarios (scenarios/*.json) are valid", () => {
  const directory = join(root, "scenarios");
  const files = existsSync(directory)
    ? readdirSync(directory).filter((name) => name.endsWith(".json")).sort()
    : [];
  if (files.length === 0) test.todo("no scenarios/*.json yet");
  for (const name of files) {
    test(name, () => {
      const result = parseScenarioText(readFileSync(join(directory, name), "utf8"), `scenarios/${name}`);
      expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([]);
    });
  }
});

/**
 * The published JSON Schema of the scenario format, generated from the zod
 * schema so the two cannot drift. The copy in
 * scenarios/schema/scenario-v1.schema.json is checked against this output by
 * tests/scenario/json-schema.test.ts; regenerate it with
 * `biotwin schema --out scenarios/schema/scenario-v1.schema.json`.
 */
import { z } from "zod";
import { SCENARIO_VERSION, ScenarioSchema } from "./schema";

export const SCENARIO_SCHEMA_ID = `https://biotwin.dev/schema/scenario-v${SCENARIO_VERSION}.schema.json`;

/**
 * JSON Schema (draft 2020-12) of the scenario files this biotwin reads, as
 * written (io "input": defaulted fields are optional and carry "default"): an
 * "anyOf" with one full schema per cell model. Every number with a unit has a
 * "unit" keyword and "[unit]" in its description. The rules that span fields
 * (feeds per mode, medium names, timing, paired limits, volume) are not
 * expressed; validation checks them.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(ScenarioSchema, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "throw",
  }) as Record<string, unknown>;
  hoistNullableAnnotations(body);
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: `biotwin scenario, format version ${SCENARIO_VERSION}`,
    description:
      "A bioreactor scenario for biotwin: the cell model (microbial or cho) and its parameters, the vessel, " +
      "the initial state, the process (batch, fed-batch, continuous or, for cho, perfusion), the control loops (cho) " +
      "and the numerical settings. One schema per cell model, chosen by cells.model. " +
      "Rules between fields (which feeds each mode allows, medium names, timing, paired limits, volume) " +
      "are checked by biotwin; see docs/scenario-format.md.",
    ...body,
  };
}

/** The JSON Schema as the committed file holds it: 2-space indent, trailing newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

/**
 * zod writes a nullable number as `anyOf: [{ number, description, unit }, { type: "null" }]`;
 * editors show the property's own description, so move the annotations up to it.
 */
function hoistNullableAnnotations(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(hoistNullableAnnotations);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const schema = node as Record<string, unknown>;
  const anyOf = schema.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2 && anyOf.some((branch) => branch?.type === "null")) {
    const value = anyOf.find((branch) => branch?.type !== "null") as Record<string, unknown>;
    for (const key of ["unit", "description"]) {
      if (value[key] !== undefined && schema[key] === undefined) {
        schema[key] = value[key];
        delete value[key];
      }
    }
  }
  Object.values(schema).forEach(hoistNullableAnnotations);
}

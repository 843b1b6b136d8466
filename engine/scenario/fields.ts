/**
 * The building blocks of the scenario schemas: numbers that carry their unit,
 * range and description (`quantity`), described strings and model switches,
 * and hints for keys that belong to another cell model. The schema files
 * (microbial-schema.ts, cho-schema.ts, control-schema.ts, schema.ts) build
 * from these; problems.ts reads the specs and hints back for its messages.
 */
import { z } from "zod";

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

const quantities = new WeakMap<z.core.$ZodType, QuantitySpec>();

/**
 * A finite number (zod 4 rejects NaN and ±Infinity) with its range, unit and
 * description. The unit goes into the metadata as `unit` and into the
 * description as "[unit]", so both validation messages and the JSON Schema
 * carry it.
 */
export function quantity(spec: QuantitySpec): z.ZodNumber {
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

/** The spec a number field was made from, for validation messages (problems.ts); undefined for other schemas. */
export function quantitySpec(schema: z.core.$ZodType): QuantitySpec | undefined {
  return quantities.get(schema);
}

/** A plain string with a description. */
export function text(description: string): z.ZodString {
  return z.string().meta({ description });
}

/** A model term that is on unless switched off. */
export function term(description: string) {
  return z.boolean().meta({ description }).default(true);
}

const keyHints = new WeakMap<z.core.$ZodType, Readonly<Record<string, string>>>();

/**
 * Registers what to tell a user who writes one of `hints`' keys into the
 * strict object `schema` (a key the format knows elsewhere, typically under
 * the other cell model). Returns `schema`, so it wraps the final schema that
 * the parent object holds.
 */
export function withKeyHints<T extends z.core.$ZodType>(schema: T, hints: Readonly<Record<string, string>>): T {
  keyHints.set(schema, hints);
  return schema;
}

/** The sentence for unknown key `key` of object schema `schema`, if one was registered (problems.ts). */
export function keyHint(schema: z.core.$ZodType, key: string): string | undefined {
  const hints = keyHints.get(schema);
  return hints !== undefined && Object.hasOwn(hints, key) ? hints[key] : undefined;
}

/** Dissolved oxygen at the start, shared by every cell model's `initial` block. */
export function initialDissolvedOxygenPercent() {
  return quantity({
    unit: "%",
    min: 0,
    max: 1000,
    description: "Dissolved oxygen at the start, as a percentage of air saturation",
  }).default(100);
}

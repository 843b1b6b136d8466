/**
 * Turns zod issues into problems a researcher can act on: the dotted path of
 * the field, what was expected (type or range, with the unit from the field's
 * quantity spec, fields.ts) and what was found. validate.ts calls it once
 * per failed parse.
 */
import { z } from "zod";
import { isRecord } from "./is-record";
import { keyHint, quantitySpec, type QuantitySpec } from "./fields";

/** One thing wrong with a scenario. `path` is dotted ("process.boluses.2.volumeL"); "" is the whole document. */
export interface ScenarioProblem {
  path: string;
  message: string;
}

/** "path: message", or just the message for the whole document. */
export function formatProblem(problem: ScenarioProblem): string {
  return problem.path === "" ? problem.message : `${problem.path}: ${problem.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** A short description of a found value, for "got ..." ("a string (\"fast\")", "null", "NaN"). */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `a string (${JSON.stringify(shown)})`;
  }
  if (typeof value === "number") return Number.isFinite(value) ? `a number (${value})` : String(value);
  if (typeof value === "boolean") return `a boolean (${value})`;
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** Every problem in `issues`, in order; `root` is the schema that produced them and `doc` the document it read. */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  root: z.core.$ZodType,
  doc: unknown,
): ScenarioProblem[] {
  return issues.flatMap((issue) => explainIssue(issue, root, doc));
}

function explainIssue(issue: z.core.$ZodIssue, root: z.core.$ZodType, doc: unknown): ScenarioProblem[] {
  const value = valueAt(doc, issue.path);
  const field = fieldAt(root, issue.path, doc);
  const problem = (message: string): ScenarioProblem[] => [{ path: formatPath(issue.path), message }];
  const expectedGot = (expected: string): ScenarioProblem[] =>
    problem(value === undefined ? `required (${expected})` : `expected ${expected}, got ${describeFound(value, field)}`);

  switch (issue.code) {
    case "unrecognized_keys": {
      const known = field === undefined ? [] : knownKeys(field.schema);
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: (field === undefined ? undefined : keyHint(field.schema, key)) ?? unknownKeyMessage(key, known),
      }));
    }
    case "invalid_key": {
      // A key of a record (a medium name) that its key schema refuses; the key is the last path segment.
      const record = fieldAt(root, issue.path.slice(0, -1), doc);
      const keyType = record?.schema instanceof z.ZodRecord ? record.schema.keyType : undefined;
      const rule = keyType === undefined ? undefined : z.globalRegistry.get(keyType)?.description;
      const key = JSON.stringify(String(issue.path.at(-1)));
      return problem(rule === undefined ? `invalid key ${key}` : `expected ${lowerFirst(rule)}, got ${key}`);
    }
    case "invalid_type":
    case "invalid_value":
      return field === undefined ? problem(issue.message) : expectedGot(expectation(field));
    case "invalid_union":
      // A discriminated union whose discriminator ("model") matches no option.
      if (issue.discriminator !== undefined && "options" in issue && issue.options !== undefined) {
        return expectedGot(oneOf(issue.options));
      }
      return problem(issue.message);
    case "too_small":
    case "too_big":
      if (field?.quantity !== undefined && typeof value === "number") {
        return problem(`must be ${rangePhrase(field.quantity)} (got ${value})`);
      }
      return problem(sizeMessage(issue, value));
    default:
      // Custom issues (the cross-field rules) already carry their sentence.
      return problem(issue.message);
  }
}

/** A field of the schema as seen at one path: its innermost type, its quantity spec (numbers) and whether null is allowed. */
interface Field {
  schema: z.core.$ZodType;
  quantity: QuantitySpec | undefined;
  nullable: boolean;
}

/** Strips wrappers (default, optional, nullable...) and picks the option of a discriminated union that `value` selects. */
function resolve(schema: z.core.$ZodType, value: unknown): Field {
  let nullable = false;
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodNullable) nullable = true;
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodReadonly ||
      current instanceof z.ZodNonOptional ||
      current instanceof z.ZodCatch
    ) {
      current = current.unwrap();
    } else if (current instanceof z.ZodDiscriminatedUnion) {
      const option = selectedOption(current, value);
      if (option === undefined) break;
      current = option;
    } else {
      break;
    }
  }
  return { schema: current, quantity: quantitySpec(current), nullable };
}

function selectedOption(union: z.ZodDiscriminatedUnion, value: unknown): z.core.$ZodType | undefined {
  if (!isRecord(value)) return undefined;
  const discriminator = union.def.discriminator;
  return union.options.find((option) => {
    const literal = option instanceof z.ZodObject ? option.shape[discriminator] : undefined;
    return literal instanceof z.ZodLiteral && literal.values.has(value[discriminator] as never);
  });
}

/** The field of `root` at `path`, following `doc` through discriminated unions; undefined if the path leaves the schema. */
function fieldAt(root: z.core.$ZodType, path: readonly PropertyKey[], doc: unknown): Field | undefined {
  let value = doc;
  let field = resolve(root, value);
  for (const key of path) {
    const child = childSchema(field.schema, key);
    if (child === undefined) return undefined;
    value = isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
    field = resolve(child, value);
  }
  return field;
}

function childSchema(schema: z.core.$ZodType, key: PropertyKey): z.core.$ZodType | undefined {
  if (schema instanceof z.ZodObject) {
    return typeof key === "string" && Object.hasOwn(schema.shape, key) ? schema.shape[key] : undefined;
  }
  if (schema instanceof z.ZodArray) return typeof key === "number" ? schema.element : undefined;
  if (schema instanceof z.ZodRecord) return typeof key === "string" ? schema.valueType : undefined;
  if (schema instanceof z.ZodDiscriminatedUnion) {
    // No option selected (bad or missing discriminator): the first option that has the key.
    for (const option of schema.options) {
      const child = childSchema(option, key);
      if (child !== undefined) return child;
    }
  }
  return undefined;
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let value = doc;
  for (const key of path) {
    if (!isRecord(value) && !Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** What a field takes, for "expected ..." and "required (...)": "a number in g/L", "one of "a", "b"", ... */
function expectation(field: Field): string {
  const base = baseExpectation(field);
  return field.nullable ? `${base} or null` : base;
}

function baseExpectation({ schema, quantity }: Field): string {
  if (quantity !== undefined) {
    return `${quantity.integer ? "an integer" : "a number"}${quantity.unit === undefined ? "" : ` in ${quantity.unit}`}`;
  }
  if (schema instanceof z.ZodNumber) return "a number";
  if (schema instanceof z.ZodString) return "a string";
  if (schema instanceof z.ZodBoolean) return "true or false";
  if (schema instanceof z.ZodEnum) return oneOf(schema.options);
  if (schema instanceof z.ZodLiteral) return oneOf([...schema.values]);
  if (schema instanceof z.ZodArray) return "an array";
  if (schema instanceof z.ZodRecord) return "an object of named entries";
  if (schema instanceof z.ZodObject) {
    const required = Object.keys(schema.shape).filter((key) => schema.shape[key]?._zod.optin === undefined);
    return required.length === 0 ? "an object" : `an object with ${listAnd(required)}`;
  }
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const discriminator = schema.def.discriminator;
    const values = schema.options.flatMap((option) => {
      const literal = option instanceof z.ZodObject ? option.shape[discriminator] : undefined;
      return literal instanceof z.ZodLiteral ? [...literal.values] : [];
    });
    return `an object with "${discriminator}": ${oneOf(values)}`;
  }
  return "a valid value";
}

/** The allowed range of a number field, e.g. "greater than 0 g/L", "between 0 and 1000 %". */
function rangePhrase({ gt, min, max, unit }: QuantitySpec): string {
  const withUnit = (x: number): string => (unit === undefined ? String(x) : `${x} ${unit}`);
  if (min !== undefined && max !== undefined) return `between ${min} and ${withUnit(max)}`;
  const parts: string[] = [];
  if (gt !== undefined) parts.push(`greater than ${withUnit(gt)}`);
  if (min !== undefined) parts.push(`at least ${withUnit(min)}`);
  if (max !== undefined) parts.push(`at most ${withUnit(max)}`);
  return parts.join(" and ");
}

/** Messages for lengths of strings and arrays. */
function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown): string {
  const size = typeof value === "string" || Array.isArray(value) ? value.length : undefined;
  const what = issue.origin === "string" ? "characters" : issue.origin === "array" ? "items" : undefined;
  if (what === undefined || size === undefined) return issue.message;
  if (issue.code === "too_small") {
    if (Number(issue.minimum) === 1 && size === 0) return "must not be empty";
    return `must have at least ${issue.minimum} ${what} (got ${size})`;
  }
  return `must have at most ${issue.maximum} ${what} (got ${size})`;
}

/** "got ..." for a wrong value: plain numbers where a number was expected, typed descriptions otherwise. */
function describeFound(value: unknown, field: Field | undefined): string {
  if (typeof value === "number" && field?.schema instanceof z.ZodNumber) return String(value);
  if (typeof value === "string" && (field?.schema instanceof z.ZodEnum || field?.schema instanceof z.ZodLiteral)) {
    return JSON.stringify(value);
  }
  return describeValue(value);
}

function knownKeys(schema: z.core.$ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = nearestKey(key, known);
  if (suggestion !== undefined) return `unknown key (did you mean "${suggestion}"?)`;
  return known.length === 0 ? "unknown key" : `unknown key (allowed keys: ${known.map((k) => `"${k}"`).join(", ")})`;
}

/**
 * The known key closest to `key` by edit distance (ignoring case), if it is
 * close: within 40 % of the longer name (at least 2 edits), or one name is a
 * prefix of the other ("muMax" -> "muMaxPerH"). Ties go to the earlier key.
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const typed = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const name = candidate.toLowerCase();
    const distance = editDistance(typed, name);
    const isPrefix = typed.length >= 2 && (name.startsWith(typed) || typed.startsWith(name));
    const isClose = distance <= Math.max(2, Math.floor(0.4 * Math.max(typed.length, name.length)));
    if ((isPrefix || isClose) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** `"a"`, `one of "a", "b"`; values as JSON. */
function oneOf(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  return shown.length === 1 ? shown[0]! : `one of ${shown.join(", ")}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "a", "a and b", "a, b and c". */
function listAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

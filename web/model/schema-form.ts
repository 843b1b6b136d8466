/**
 * The scenario form as data: reads the published JSON Schema of the scenario
 * format (scenarios/schema/scenario-v1.schema.json) and a draft document and
 * describes every field the editor shows (label, kind, unit, range, default,
 * help), grouped as the editor lays them out. Also the path helpers the
 * editor edits the draft with. Pure functions, no DOM: <bt-scenario-editor>
 * renders what this returns.
 */
import type { ScenarioProblem } from "../../engine/scenario/problems";
import publishedSchema from "../../scenarios/schema/scenario-v1.schema.json";

/** A node of a JSON Schema (draft 2020-12), as far as the form reads it. */
export interface JsonSchemaNode {
  $ref?: string;
  $defs?: Record<string, JsonSchemaNode>;
  definitions?: Record<string, JsonSchemaNode>;
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: boolean | JsonSchemaNode;
  propertyNames?: JsonSchemaNode;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  enum?: FieldValue[];
  const?: FieldValue;
  default?: unknown;
  description?: string;
  title?: string;
  unit?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

/** The published scenario schema (generated from the zod schema in engine/scenario/). */
export const SCENARIO_JSON_SCHEMA = publishedSchema as unknown as JsonSchemaNode;

export type FieldKind = "number" | "integer" | "boolean" | "enum" | "string" | "object" | "array" | "record";
export type FieldValue = string | number | boolean | null;

/** One field of the form; objects, arrays and records hold their fields in `children`. */
export interface FormField {
  /** Dotted path into the document ("process.boluses.0.volumeL"); the problems of the engine use the same paths. */
  path: string;
  /** The last segment of `path`: a property key, an array index or a record entry's name. */
  key: string;
  /** Short readable name ("μmax", "Dissolved oxygen"). */
  label: string;
  kind: FieldKind;
  /** Unit of a number, as the schema writes it ("1/h", "g/L"); undefined for dimensionless numbers and non-numbers. */
  unit?: string;
  /** Inclusive lower bound; undefined if none. */
  min?: number;
  /** Inclusive upper bound; undefined if none. */
  max?: number;
  /** Exclusive lower bound (value must be greater); undefined if none. */
  exclusiveMin?: number;
  /** Exclusive upper bound (value must be smaller); undefined if none. */
  exclusiveMax?: number;
  /** Lengths and pattern of a string (or of a record's names, see `keyRule`). */
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** The value that applies when the field is left out; undefined means no default ("null" is a default). */
  default?: unknown;
  /** The schema's description without its "[unit]" suffix. */
  help?: string;
  /** Allowed values of an enum or const (and of a discriminator such as cells.model). */
  options?: readonly FieldValue[];
  /** Whether the document must have this field. */
  required: boolean;
  /** Whether null is allowed (it then means something, see `help`). */
  nullable: boolean;
  /** Whether the draft holds a value at `path`. */
  present: boolean;
  /** Objects: one per property, in schema order. Arrays: one per item of the draft. Records: one per entry. */
  children?: FormField[];
  /** Arrays and records: what a new item or entry looks like (its path is that of the next item, or ends in "*"). */
  item?: FormField;
  /** Records: the rule a name must follow. */
  keyRule?: { pattern?: string; help?: string };
  /** Strings that name an entry of a record (a medium): the names the draft has now. */
  suggestions?: string[];
}

export type GroupId = "scenario" | "reactor" | "cells" | "process" | "control" | "simulation";

export interface FormGroup {
  id: GroupId;
  label: string;
  /** First path segments whose fields and problems belong to this group. */
  roots: readonly string[];
  fields: FormField[];
  /** Why the group has no fields, when it has none ("control" for the microbial model). */
  note?: string;
}

export interface ScenarioForm {
  /** The cell model the form was built for (the draft's cells.model, or the first branch's if unknown). */
  model: string | undefined;
  groups: FormGroup[];
}

const GROUPS: readonly { id: GroupId; label: string; roots: readonly string[]; flatten: boolean }[] = [
  { id: "scenario", label: "Scenario", roots: ["metadata"], flatten: true },
  { id: "reactor", label: "Reactor and initial state", roots: ["reactor", "initial"], flatten: false },
  { id: "cells", label: "Cells", roots: ["cells"], flatten: true },
  { id: "process", label: "Process", roots: ["process"], flatten: true },
  { id: "control", label: "Control", roots: ["control"], flatten: true },
  { id: "simulation", label: "Simulation", roots: ["simulation"], flatten: true },
];

/** Labels of the top-level sections where the key alone says too little. */
const SECTION_LABELS: Readonly<Record<string, string>> = { initial: "Initial state", reactor: "Vessel" };

/** The group a problem or field path belongs to; undefined for "", "format" and "version". */
export function groupOfPath(path: string): GroupId | undefined {
  const first = splitPath(path)[0];
  return GROUPS.find((group) => first !== undefined && group.roots.includes(first))?.id;
}

/**
 * The form for `draft`: picks the schema branch of the draft's cells.model and
 * describes every field, grouped as scenario, reactor (reactor and initial),
 * cells, process, control, simulation. Called on every draft change.
 */
export function buildScenarioForm(draft: unknown, schema: JsonSchemaNode = SCENARIO_JSON_SCHEMA): ScenarioForm {
  const context: BuildContext = { root: schema, draft, discriminators: new Map(), depth: 0 };
  const top = resolveNode(schema, schema);
  const branches = top.anyOf ?? top.oneOf;
  let branch = top;
  if (branches !== undefined && branches.length > 0) {
    const resolved = branches.map((b) => resolveNode(b, schema));
    context.discriminators = discriminatorOptions(resolved, schema);
    branch = pickBranch(resolved, draft, schema);
  }
  const model = getAt(draft, "cells.model");
  const root = buildField(branch, "", "", true, context);
  for (const field of root.children ?? []) field.label = SECTION_LABELS[field.key] ?? field.label;
  const fieldAtKey = (key: string): FormField | undefined => root.children?.find((f) => f.key === key);

  const groups = GROUPS.map(({ id, label, roots, flatten }): FormGroup => {
    const tops = roots.map(fieldAtKey).filter((f): f is FormField => f !== undefined);
    const fields = flatten ? tops.flatMap((f) => f.children ?? []) : tops;
    const group: FormGroup = { id, label, roots, fields };
    if (fields.length === 0) group.note = `The ${typeof model === "string" ? model : "chosen"} model has no ${label.toLowerCase()} settings.`;
    return group;
  });
  const modelField = fieldAtKey("cells")?.children?.find((f) => f.key === "model");
  return { model: typeof model === "string" ? model : (modelField?.options?.[0] as string | undefined), groups };
}

/** Every field of the form, depth first (objects before their children). */
export function allFields(form: ScenarioForm): FormField[] {
  const out: FormField[] = [];
  const walk = (field: FormField): void => {
    out.push(field);
    field.children?.forEach(walk);
  };
  form.groups.forEach((group) => group.fields.forEach(walk));
  return out;
}

/** The messages of `problems` by path, in the order given. */
export function problemsByPath(problems: readonly ScenarioProblem[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const { path, message } of problems) {
    const messages = byPath.get(path);
    if (messages === undefined) byPath.set(path, [message]);
    else messages.push(message);
  }
  return byPath;
}

/**
 * The problems whose path names no field of `form`: those of a group (shown at
 * the top of that group) and the rest ("", "format", "version": shown at the
 * top of the editor).
 */
export function unplacedProblems(
  form: ScenarioForm,
  problems: readonly ScenarioProblem[],
): { top: ScenarioProblem[]; byGroup: Map<GroupId, ScenarioProblem[]> } {
  const paths = new Set(allFields(form).map((field) => field.path));
  const top: ScenarioProblem[] = [];
  const byGroup = new Map<GroupId, ScenarioProblem[]>();
  for (const problem of problems) {
    if (paths.has(problem.path)) continue;
    const group = groupOfPath(problem.path);
    if (group === undefined) {
      top.push(problem);
    } else {
      const list = byGroup.get(group) ?? [];
      list.push(problem);
      byGroup.set(group, list);
    }
  }
  return { top, byGroup };
}

// ---------------------------------------------------------------------------
// Paths

/** The segments of a dotted path; "" is the whole document. */
export function splitPath(path: string): string[] {
  return path === "" ? [] : path.split(".");
}

export function joinPath(parent: string, key: string | number): string {
  return parent === "" ? String(key) : `${parent}.${key}`;
}

/** The value at a dotted path (array items by index), or undefined if the document has none. */
export function getAt(doc: unknown, path: string): unknown {
  let value = doc;
  for (const key of splitPath(path)) {
    if (Array.isArray(value)) {
      const index = arrayIndex(key);
      if (index === undefined || index >= value.length) return undefined;
      value = value[index];
    } else if (isObject(value)) {
      if (!Object.hasOwn(value, key)) return undefined;
      value = value[key];
    } else {
      return undefined;
    }
  }
  return value;
}

/**
 * A new document with `value` at `path`; `doc` is not changed. Only the
 * objects and arrays on the path are copied, the rest is shared. `undefined`
 * removes the key (an array item is spliced out), so the default applies.
 * Missing (or non-object) containers on the path are created as objects.
 */
export function setAt(doc: unknown, path: string, value: unknown): unknown {
  return setIn(doc, splitPath(path), value);
}

function setIn(container: unknown, keys: readonly string[], value: unknown): unknown {
  if (keys.length === 0) return value;
  const [key, ...rest] = keys as [string, ...string[]];
  if (Array.isArray(container)) {
    const index = arrayIndex(key);
    if (index !== undefined) {
      const copy = container.slice();
      const next = setIn(container[index], rest, value);
      if (next === undefined) {
        if (index < copy.length) copy.splice(index, 1);
      } else {
        copy[index] = next;
      }
      return copy;
    }
  }
  const copy: Record<string, unknown> = isObject(container) ? { ...container } : {};
  const next = setIn(copy[key], rest, value);
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy;
}

/** A new document whose record at `path` has entry `from` renamed to `to`, in the same place. */
export function renameKey(doc: unknown, path: string, from: string, to: string): unknown {
  const record = getAt(doc, path);
  if (!isObject(record) || !Object.hasOwn(record, from) || from === to) return doc;
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === to) continue;
    renamed[key === from ? to : key] = value;
  }
  return setAt(doc, path, renamed);
}

/** What "add" puts into an array or record: an empty object, or the first option, or "". */
export function emptyValue(field: FormField | undefined): unknown {
  if (field === undefined) return {};
  switch (field.kind) {
    case "object": {
      // Consts (one option) are filled in; everything else is left to the user and the defaults.
      let value: unknown = {};
      for (const child of field.children ?? []) {
        if (child.required && child.kind === "enum" && child.options?.length === 1) {
          value = setAt(value, child.key, child.options[0]);
        }
      }
      return value;
    }
    case "array":
      return [];
    case "record":
      return {};
    case "boolean":
      return field.default ?? false;
    case "enum":
      return field.default ?? field.options?.[0] ?? "";
    case "number":
    case "integer":
      return field.default ?? 0;
    default:
      return field.default ?? "";
  }
}

// ---------------------------------------------------------------------------
// Numbers as text

/**
 * A number as the form shows it, exactly (it reads back to the same number):
 * plain between 1e-4 and 1e6 ("0.003", "100000"), otherwise in exponent
 * notation when that is shorter (357000000 -> "3.57e8", 6.92e-11).
 */
export function formatNumber(x: number): string {
  const plain = String(x);
  const magnitude = Math.abs(x);
  if (!Number.isFinite(x) || x === 0 || (magnitude >= 1e-4 && magnitude < 1e6)) return plain;
  const exponent = x.toExponential().replace("e+", "e");
  return exponent.length < plain.length ? exponent : plain;
}

/** A number typed by the user: undefined for "" (unset), NaN for text that is not a finite number. */
export function parseNumberText(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return Number.NaN;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** The allowed range of a number field as a short text: "0.1 – 100 g/L", "> 0", "≥ 0, ≤ 100"; "" if unbounded. */
export function rangeText(field: Pick<FormField, "min" | "max" | "exclusiveMin" | "exclusiveMax" | "unit">): string {
  const { min, max, exclusiveMin, exclusiveMax, unit } = field;
  if (min !== undefined && max !== undefined) {
    return `${formatNumber(min)} – ${formatNumber(max)}${unit === undefined ? "" : ` ${unit}`}`;
  }
  const parts: string[] = [];
  if (exclusiveMin !== undefined) parts.push(`> ${formatNumber(exclusiveMin)}`);
  if (min !== undefined) parts.push(`≥ ${formatNumber(min)}`);
  if (exclusiveMax !== undefined) parts.push(`< ${formatNumber(exclusiveMax)}`);
  if (max !== undefined) parts.push(`≤ ${formatNumber(max)}`);
  return parts.join(", ");
}

// ---------------------------------------------------------------------------
// Labels

/** Words of a key (lower case, space separated) that read better as a symbol, acronym or whole word. */
const SYMBOLS: readonly [RegExp, string][] = [
  [/^mu max$/i, "μmax"],
  [/^mu\b/i, "μ"],
  [/^p co 2\b/i, "pCO2"],
  [/\bco 2\b/i, "CO2"],
  [/\bk la\b/i, "kLa"],
  [/^p h$/i, "pH"],
  [/^ph$/i, "pH"],
  [/\bp ka\b/i, "pKa"],
  [/^qp\b/i, "qP"],
  [/\bdoi\b/i, "DOI"],
  [/\burl\b/i, "URL"],
  [/^rel tol$/i, "relative tolerance"],
  [/^abs tol$/i, "absolute tolerance"],
];

/**
 * A readable label for a property: the key in words without its unit suffix
 * ("muMaxPerH" -> "μmax", "glucoseMM" -> "Glucose"), or the description's
 * first words when they are shorter.
 */
export function labelFor(key: string, unit: string | undefined, description: string | undefined): string {
  const fromKey = keyLabel(key, unit);
  const fromDescription = description === undefined ? undefined : descriptionLabel(description);
  if (fromDescription !== undefined && fromDescription.length <= fromKey.length) return fromDescription;
  return fromKey;
}

function keyLabel(key: string, unit: string | undefined): string {
  const stem = stripUnitSuffix(key, unit);
  const tokens = stem.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [stem];
  // Single capitals (the K of "glutamineMaintenanceK") stay capitals; other words go lower case.
  let words = tokens.map((token) => (/^[A-Z]$/.test(token) && token !== stem.charAt(0) ? token : token.toLowerCase())).join(" ");
  for (const [pattern, symbol] of SYMBOLS) words = words.replace(pattern, symbol);
  return capitalize(words);
}

/** `key` without the unit it ends in: "muMaxPerH" (1/h) -> "muMax", "viableCellsE6PerMl" (1e6 cells/mL) -> "viableCells". */
function stripUnitSuffix(key: string, unit: string | undefined): string {
  if (unit === undefined) return key;
  const spell = (text: string): string =>
    text
      .replace(/^1\//, "per")
      .replace(/\//g, "per")
      .replace(/%/g, "percent")
      .replace(/[^A-Za-z0-9]/g, "")
      .toLowerCase();
  const spellings = [spell(unit)];
  // "1e6 cells/mL" is spelled "E6PerMl"; "% of air saturation" is spelled "Percent".
  const scaled = /^1?(e\d+|10[⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s+\S+?(\/.*)?$/.exec(unit);
  if (scaled !== null) spellings.push(spell(`${scaled[1]!.startsWith("e") ? scaled[1] : "e6"}${scaled[2] ?? ""}`));
  spellings.push(spell(unit.split(" ")[0]!));
  const lower = key.toLowerCase();
  for (const suffix of spellings) {
    if (suffix === "" || !lower.endsWith(suffix) || lower.length === suffix.length) continue;
    const stem = key.slice(0, key.length - suffix.length);
    const first = key.charAt(stem.length);
    // Only at a word boundary: the suffix starts with a capital or a digit.
    if (/[A-Z0-9]/.test(first)) return stem;
  }
  return key;
}

/** The description's first clause, if it is short: up to ";", ":", "," or "(" (and without "[unit]"). */
function descriptionLabel(description: string): string | undefined {
  const clause = stripUnit(description).split(/[;:,(]| e\.g\./)[0]!.trim();
  return clause.length > 0 && clause.length <= 40 ? capitalize(clause) : undefined;
}

function stripUnit(description: string): string {
  return description.replace(/\s*\[[^\]]*\]\s*$/, "").trim();
}

function capitalize(text: string): string {
  if (/^(μ|kLa|pH|pKa|pCO2|qP)/.test(text)) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------
// Building fields from the schema

interface BuildContext {
  root: JsonSchemaNode;
  draft: unknown;
  /** Paths (with "*" for array items and record entries) whose const differs between the branches, and their values. */
  discriminators: Map<string, FieldValue[]>;
  depth: number;
}

/** Deepest nesting followed; a recursive schema stops here instead of looping. */
const MAX_DEPTH = 16;

function buildField(
  node: JsonSchemaNode,
  path: string,
  key: string,
  required: boolean,
  context: BuildContext,
  schemaPath = path,
): FormField {
  const { node: schema, nullable } = unwrapNullable(resolveNode(node, context.root), context.root);
  const value = getAt(context.draft, path);
  const field: FormField = {
    path,
    key,
    label: labelFor(key, schema.unit, schema.description),
    kind: kindOf(schema),
    required,
    nullable,
    present: value !== undefined,
  };
  if (schema.unit !== undefined) field.unit = schema.unit;
  if (schema.description !== undefined) field.help = stripUnit(schema.description);
  if (schema.default !== undefined) field.default = schema.default;
  if (schema.minimum !== undefined) field.min = schema.minimum;
  if (schema.maximum !== undefined) field.max = schema.maximum;
  if (schema.exclusiveMinimum !== undefined) field.exclusiveMin = schema.exclusiveMinimum;
  if (schema.exclusiveMaximum !== undefined) field.exclusiveMax = schema.exclusiveMaximum;
  if (schema.minLength !== undefined) field.minLength = schema.minLength;
  if (schema.maxLength !== undefined) field.maxLength = schema.maxLength;
  if (schema.pattern !== undefined) field.pattern = schema.pattern;

  const discriminator = context.discriminators.get(schemaPath);
  if (discriminator !== undefined) {
    field.kind = "enum";
    field.options = discriminator;
  } else if (schema.enum !== undefined) {
    field.options = schema.enum;
  } else if (schema.const !== undefined) {
    field.options = [schema.const];
  }
  const referenced = schema.description?.match(/a key of "([\w.]+)"/)?.[1];
  if (field.kind === "string" && referenced !== undefined) {
    const record = getAt(context.draft, referenced);
    field.suggestions = isObject(record) ? Object.keys(record) : [];
  }

  if (context.depth >= MAX_DEPTH) return field;
  const inner: BuildContext = { ...context, depth: context.depth + 1 };
  if (field.kind === "object") {
    const requiredKeys = new Set(schema.required ?? []);
    field.children = Object.entries(schema.properties ?? {}).map(([childKey, child]) =>
      buildField(child, joinPath(path, childKey), childKey, requiredKeys.has(childKey), inner, joinPath(schemaPath, childKey)),
    );
  } else if (field.kind === "array" && schema.items !== undefined) {
    const items = Array.isArray(value) ? value : [];
    const itemSchemaPath = joinPath(schemaPath, "*");
    const itemAt = (index: number): FormField => ({
      ...buildField(schema.items!, joinPath(path, index), String(index), true, inner, itemSchemaPath),
      label: `#${index + 1}`,
    });
    field.children = items.map((_, index) => itemAt(index));
    field.item = itemAt(items.length);
  } else if (field.kind === "record" && typeof schema.additionalProperties === "object") {
    const entrySchema = schema.additionalProperties;
    const entrySchemaPath = joinPath(schemaPath, "*");
    const entries = isObject(value) ? Object.keys(value) : [];
    field.children = entries.map((name) => buildField(entrySchema, joinPath(path, name), name, true, inner, entrySchemaPath));
    field.item = buildField(entrySchema, joinPath(path, "*"), "*", true, inner, entrySchemaPath);
    const names = schema.propertyNames === undefined ? undefined : resolveNode(schema.propertyNames, context.root);
    field.keyRule = {};
    if (names?.pattern !== undefined) field.keyRule.pattern = names.pattern;
    if (names?.description !== undefined) field.keyRule.help = names.description;
  }
  return field;
}

function kindOf(schema: JsonSchemaNode): FieldKind {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (schema.enum !== undefined || schema.const !== undefined) return "enum";
  switch (type) {
    case "number":
      return "number";
    case "integer":
      return "integer";
    case "boolean":
      return "boolean";
    case "string":
      return "string";
    case "array":
      return "array";
    case "object":
      return schema.properties === undefined && typeof schema.additionalProperties === "object" ? "record" : "object";
    default:
      if (schema.properties !== undefined) return "object";
      return "string";
  }
}

/** Follows "$ref" ("#/$defs/name" or any JSON pointer into the root), merging the referring node's own annotations over it. */
function resolveNode(node: JsonSchemaNode, root: JsonSchemaNode, seen: ReadonlySet<string> = new Set()): JsonSchemaNode {
  if (node.$ref === undefined) return node;
  const ref = node.$ref;
  if (seen.has(ref) || !ref.startsWith("#")) return { ...node, $ref: undefined };
  const target = ref
    .slice(1)
    .split("/")
    .filter((part) => part !== "")
    .map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((at, part) => (isObject(at) ? at[part] : undefined), root);
  if (!isObject(target)) return { ...node, $ref: undefined };
  const { $ref: _ref, ...own } = node;
  return { ...resolveNode(target as JsonSchemaNode, root, new Set([...seen, ref])), ...own };
}

/** `anyOf: [X, {type: "null"}]` (a nullable value) as X with nullable true; the outer annotations win. */
function unwrapNullable(node: JsonSchemaNode, root: JsonSchemaNode): { node: JsonSchemaNode; nullable: boolean } {
  const branches = node.anyOf ?? node.oneOf;
  if (branches !== undefined) {
    const resolved = branches.map((b) => resolveNode(b, root));
    const nonNull = resolved.filter((b) => b.type !== "null");
    const nullable = nonNull.length < resolved.length;
    if (nonNull.length === 1) {
      const { anyOf: _a, oneOf: _o, ...own } = node;
      return { node: { ...nonNull[0]!, ...own }, nullable };
    }
    // Several consts or enums: one enum of all their values.
    if (nonNull.every((b) => b.const !== undefined || b.enum !== undefined)) {
      const values = nonNull.flatMap((b) => (b.const !== undefined ? [b.const] : (b.enum ?? [])));
      const { anyOf: _a, oneOf: _o, ...own } = node;
      return { node: { type: "string", ...own, enum: values }, nullable };
    }
    // Otherwise the first alternative (the form cannot offer a choice of shapes).
    if (nonNull.length > 0) {
      const { anyOf: _a, oneOf: _o, ...own } = node;
      return { node: { ...nonNull[0]!, ...own }, nullable };
    }
  }
  const types = Array.isArray(node.type) ? node.type : [];
  return { node, nullable: types.includes("null") };
}

/** Every const in a branch, by path ("cells.model" -> "cho"; "*" for items and entries). */
function constsOf(node: JsonSchemaNode, root: JsonSchemaNode, path: string, out: Map<string, FieldValue>, depth = 0): void {
  const schema = resolveNode(node, root);
  if (schema.const !== undefined) out.set(path, schema.const);
  if (depth >= MAX_DEPTH) return;
  for (const [key, child] of Object.entries(schema.properties ?? {})) constsOf(child, root, joinPath(path, key), out, depth + 1);
}

/** Paths whose const differs between branches (cells.model) and the value of each branch there. */
function discriminatorOptions(branches: readonly JsonSchemaNode[], root: JsonSchemaNode): Map<string, FieldValue[]> {
  const perBranch = branches.map((branch) => {
    const consts = new Map<string, FieldValue>();
    constsOf(branch, root, "", consts);
    return consts;
  });
  const options = new Map<string, FieldValue[]>();
  for (const consts of perBranch) {
    for (const [path, value] of consts) {
      const values = options.get(path) ?? [];
      if (!values.includes(value)) values.push(value);
      options.set(path, values);
    }
  }
  for (const [path, values] of options) if (values.length < 2) options.delete(path);
  return options;
}

/** The branch whose consts the draft matches best (its cells.model); the first one on a tie. */
function pickBranch(branches: readonly JsonSchemaNode[], draft: unknown, root: JsonSchemaNode): JsonSchemaNode {
  let best = branches[0]!;
  let bestScore = -Infinity;
  for (const branch of branches) {
    const consts = new Map<string, FieldValue>();
    constsOf(branch, root, "", consts);
    let score = 0;
    for (const [path, value] of consts) if (getAt(draft, path) === value) score += 1;
    if (score > bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function arrayIndex(key: string): number | undefined {
  return /^(0|[1-9]\d*)$/.test(key) ? Number(key) : undefined;
}

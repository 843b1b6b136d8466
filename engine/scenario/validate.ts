/**
 * Reads a scenario: JSON text or a parsed document in, a validated Scenario
 * with defaults filled in (or every problem found) out. The CLI, the web app
 * and the tests all enter here.
 */
import { isRecord } from "./is-record";
import { locateJsonSyntaxError } from "./json-syntax";
import { migrateScenario, ScenarioVersionError } from "./migrate";
import { describeValue, nearestKey, problemsFromIssues, type ScenarioProblem } from "./problems";
import { CELL_MODELS, SCENARIO_FORMAT, SCENARIO_SCHEMAS, type Scenario } from "./schema";

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

/**
 * Checks that `doc` is a biotwin scenario, migrates it to the current format
 * version, picks the schema of its cell model ("cells.model"), then validates
 * it and lists every problem (not just the first). A document that is not a
 * scenario at all, or names no known cell model, yields a single problem.
 */
export function parseScenario(doc: unknown): ParseResult {
  if (!isRecord(doc)) return fail("", `a scenario must be a JSON object, got ${describeValue(doc)}`);
  if (doc.format !== SCENARIO_FORMAT) {
    const found = doc.format === undefined ? 'it has no "format" key' : `got ${describeValue(doc.format)}`;
    return fail("format", `this is not a biotwin scenario: expected "format": "${SCENARIO_FORMAT}", ${found}`);
  }

  let migrated: unknown;
  try {
    migrated = migrateScenario(doc);
  } catch (error) {
    if (error instanceof ScenarioVersionError) return { ok: false, problems: [error.problem] };
    throw error;
  }

  const model = cellModelOf(migrated);
  if (typeof model !== "string") return { ok: false, problems: [model] };
  const schema = SCENARIO_SCHEMAS[model];
  const result = schema.safeParse(migrated);
  if (result.success) return { ok: true, scenario: result.data };
  return { ok: false, problems: problemsFromIssues(result.error.issues, schema, migrated) };
}

/** The document's cell model, or the one problem that says why it has none the format knows. */
function cellModelOf(doc: unknown): (typeof CELL_MODELS)[number] | ScenarioProblem {
  const models = `one of ${CELL_MODELS.map((name) => JSON.stringify(name)).join(", ")}`;
  const cells = isRecord(doc) ? doc.cells : undefined;
  if (cells === undefined) return { path: "cells", message: `required (an object with "model": ${models})` };
  if (!isRecord(cells)) {
    return { path: "cells", message: `expected an object with "model": ${models}, got ${describeValue(cells)}` };
  }
  const model = cells.model;
  if (model === undefined) return { path: "cells.model", message: `required (the cell model: ${models})` };
  const known = CELL_MODELS.find((name) => name === model);
  if (known !== undefined) return known;
  const found = typeof model === "string" ? JSON.stringify(model) : describeValue(model);
  const suggestion = typeof model === "string" ? nearestKey(model, CELL_MODELS) : undefined;
  const hint = suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
  return { path: "cells.model", message: `expected ${models}, got ${found}${hint}` };
}

/**
 * Parses JSON text. A syntax error becomes one problem naming `sourceName` (a
 * file name, for the message), the reason and the line and column.
 */
export function parseJsonText(
  text: string,
  sourceName?: string,
): { ok: true; doc: unknown } | { ok: false; problems: ScenarioProblem[] } {
  // A byte-order mark (editors on Windows write one) is not JSON; a space keeps every offset where it was.
  const json = text.startsWith("\uFEFF") ? ` ${text.slice(1)}` : text;
  try {
    return { ok: true, doc: JSON.parse(json) };
  } catch (error) {
    const prefix = sourceName === undefined ? "" : `${sourceName}: `;
    return fail("", `${prefix}not valid JSON: ${describeSyntaxError(error, json)}`);
  }
}

/** Parses JSON text, then the scenario in it (see parseJsonText and parseScenario). */
export function parseScenarioText(text: string, sourceName?: string): ParseResult {
  const parsed = parseJsonText(text, sourceName);
  return parsed.ok ? parseScenario(parsed.doc) : parsed;
}

/** "<reason> at line L, column C" from JSON.parse's message and, when it gives no position, our own scan. */
function describeSyntaxError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  const position = /at position (\d+)/.exec(message);
  const reason = message
    .replace(/, (?:"|\.\.\.)[\s\S]* is not valid JSON$/, "") // V8 quotes a snippet of the text
    .replace(/\s*\(line \d+ column \d+\)/, "")
    .replace(/\s*(in JSON )?at position \d+/, "")
    .trim();
  if (lineColumn !== null) return `${reason} at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const offset = position !== null ? Number(position[1]) : locateJsonSyntaxError(text);
  if (offset === undefined) return reason;
  const { line, column } = lineAndColumn(text, offset);
  return `${reason} at line ${line}, column ${column}`;
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

function fail(path: string, message: string): { ok: false; problems: ScenarioProblem[] } {
  return { ok: false, problems: [{ path, message }] };
}

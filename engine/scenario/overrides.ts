/**
 * Applies command-line overrides (`--set PATH=VALUE`) to a scenario document
 * before it is validated, so a sweep or a quick "what if" needs no edited copy
 * of the file. Validation afterwards catches values of the wrong type or range.
 */
import { isRecord } from "./is-record";
import { describeValue } from "./problems";

/** A malformed `--set` argument; the message quotes it. */
export class OverrideError extends Error {
  readonly argument: string;

  constructor(argument: string, reason: string) {
    super(`--set ${JSON.stringify(argument)}: ${reason}`);
    this.name = "OverrideError";
    this.argument = argument;
  }
}

type Container = Record<string, unknown> | unknown[];

/**
 * A deep copy of `doc` with each `sets` entry ("process.boluses.0.volumeL=0.2")
 * applied in order. PATH is dotted; numbers index arrays. VALUE is parsed as
 * JSON when it parses (48, true, null, [1,2], {"a":1}, "\"48\""), otherwise
 * kept as a string. Missing intermediate objects are created (an array when
 * the next segment is an index). `doc` is never mutated. Throws OverrideError
 * for an argument without "=", an empty path or path segment, or a path that
 * goes through a value that is not an object or array.
 */
export function applyOverrides(doc: unknown, sets: readonly string[]): unknown {
  let result = deepCopy(doc);
  for (const argument of sets) result = applyOne(result, argument);
  return result;
}

function applyOne(doc: unknown, argument: string): unknown {
  const equals = argument.indexOf("=");
  if (equals < 0) throw new OverrideError(argument, "expected PATH=VALUE, e.g. process.durationH=48");
  const pathText = argument.slice(0, equals).trim();
  if (pathText === "") throw new OverrideError(argument, "the path before \"=\" is empty; expected PATH=VALUE, e.g. process.durationH=48");
  const path = pathText.split(".");
  if (path.some((segment) => segment === "")) {
    throw new OverrideError(argument, `the path "${pathText}" has an empty segment`);
  }
  if (path.includes("__proto__")) throw new OverrideError(argument, '"__proto__" is not a valid key');
  const value = parseValue(argument.slice(equals + 1));

  if (!isContainer(doc)) {
    throw new OverrideError(argument, `cannot set a field: the scenario is ${describeValue(doc)}, not an object`);
  }
  let container: Container = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const existing = getChild(container, key, argument, path.slice(0, i));
    if (existing === undefined) {
      const created: Container = isIndex(path[i + 1]!) ? [] : {};
      setChild(container, key, created, argument, path.slice(0, i));
      container = created;
    } else if (isContainer(existing)) {
      container = existing;
    } else {
      throw new OverrideError(
        argument,
        `cannot set "${path.slice(i + 1).join(".")}" inside ${path.slice(0, i + 1).join(".")}, which is ${describeValue(existing)}`,
      );
    }
  }
  setChild(container, path.at(-1)!, value, argument, path.slice(0, -1));
  return doc;
}

/** JSON when it parses, else the raw text (so `metadata.title=My run` needs no quotes). */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function getChild(container: Container, key: string, argument: string, at: string[]): unknown {
  if (Array.isArray(container)) return container[arrayIndex(container, key, argument, at)];
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

function setChild(container: Container, key: string, value: unknown, argument: string, at: string[]): void {
  if (Array.isArray(container)) container[arrayIndex(container, key, argument, at)] = value;
  else Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A valid index into `array`: an existing element or one past the end (appends). */
function arrayIndex(array: unknown[], key: string, argument: string, at: string[]): number {
  const where = at.length === 0 ? "the scenario" : at.join(".");
  if (!isIndex(key)) throw new OverrideError(argument, `${where} is an array; "${key}" is not an index (0, 1, 2, ...)`);
  const index = Number(key);
  if (index > array.length) {
    throw new OverrideError(
      argument,
      `${where} has ${array.length} item(s); index ${index} is past the end (use ${array.length} to append)`,
    );
  }
  return index;
}

function isIndex(segment: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(segment);
}

function isContainer(value: unknown): value is Container {
  return isRecord(value) || Array.isArray(value);
}

/** Copies arrays and plain objects (own keys, including a JSON "__proto__" key, as data); other values are shared. */
function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]));
  return value;
}

/**
 * Brings a scenario document written in an older format version up to the
 * current one, one version at a time, before it is validated. A file from a
 * newer biotwin is rejected with a sentence that says so.
 */
import { isRecord } from "./is-record";
import { describeValue, formatProblem, type ScenarioProblem } from "./problems";
import { SCENARIO_VERSION } from "./schema";

type ScenarioDocument = Record<string, unknown>;

/**
 * One step from format version N (the key) to N + 1. A step takes a document
 * of version N, returns a new document of version N + 1 (with "version" set)
 * and never mutates its argument. It runs before validation, so it should
 * move keys that exist and leave anything unexpected for the validator.
 *
 * When version 2 comes, bump SCENARIO_VERSION, change the schema, and add:
 *
 *   1: (doc) => {
 *     // v2 renamed reactor.kLaPerH to reactor.oxygenTransfer.kLaPerH
 *     const { kLaPerH, ...reactor } = isRecord(doc.reactor) ? doc.reactor : {};
 *     return {
 *       ...doc,
 *       version: 2,
 *       reactor: kLaPerH === undefined ? reactor : { ...reactor, oxygenTransfer: { kLaPerH } },
 *     };
 *   },
 *
 * and a test that a v1 file migrates to the expected v2 document.
 */
const MIGRATIONS: Readonly<Record<number, (doc: ScenarioDocument) => ScenarioDocument>> = {};

/** Thrown when a document's version cannot be read or migrated; `problem` is for the user. */
export class ScenarioVersionError extends Error {
  readonly problem: ScenarioProblem;

  constructor(message: string) {
    const problem = { path: "version", message };
    super(formatProblem(problem));
    this.name = "ScenarioVersionError";
    this.problem = problem;
  }
}

/**
 * The document migrated to SCENARIO_VERSION (the same object when it already
 * is current). Anything that is not an object is returned unchanged for the
 * validator to report. Throws ScenarioVersionError when "version" is missing,
 * not a positive integer, newer than this biotwin, or has no migration.
 */
export function migrateScenario(doc: unknown): unknown {
  if (!isRecord(doc)) return doc;
  let current = doc;
  let version = readVersion(current);
  while (version < SCENARIO_VERSION) {
    const step = MIGRATIONS[version];
    if (step === undefined) {
      throw new ScenarioVersionError(
        `format version ${version} cannot be read; this biotwin reads versions 1 to ${SCENARIO_VERSION}`,
      );
    }
    current = step(current);
    const next = readVersion(current);
    if (next !== version + 1) throw new Error(`migration from version ${version} produced version ${next}`);
    version = next;
  }
  return current;
}

function readVersion(doc: ScenarioDocument): number {
  const version = doc.version;
  if (version === undefined) {
    throw new ScenarioVersionError(
      `required (the format version the file is written in; this biotwin writes ${SCENARIO_VERSION})`,
    );
  }
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new ScenarioVersionError(
      `expected the format version, a whole number from 1 (this biotwin writes ${SCENARIO_VERSION}), got ${describeValue(version)}`,
    );
  }
  if (version > SCENARIO_VERSION) {
    throw new ScenarioVersionError(
      `this file is format version ${version}, written by a newer biotwin; this one reads versions up to ${SCENARIO_VERSION}`,
    );
  }
  return version;
}

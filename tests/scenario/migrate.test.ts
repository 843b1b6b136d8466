import { describe, expect, test } from "vitest";
import { migrateScenario, SCENARIO_VERSION, ScenarioVersionError } from "../../engine/scenario";
import { minimalBatch } from "./fixtures";

describe("migrateScenario", () => {
  test("the current version is 1", () => {
    expect(SCENARIO_VERSION).toBe(1);
  });

  test("leaves a v1 document unchanged (same object, same content)", () => {
    const doc = minimalBatch();
    const before = structuredClone(doc);
    expect(migrateScenario(doc)).toBe(doc);
    expect(doc).toEqual(before);
  });

  test.each([2, 3, 17])("rejects version %i, written by a newer biotwin", (version) => {
    const doc = { ...minimalBatch(), version };
    expect(() => migrateScenario(doc)).toThrow(
      `version: this file is format version ${version}, written by a newer biotwin; this one reads versions up to 1`,
    );
  });

  test("the error carries the problem for the user", () => {
    try {
      migrateScenario({ ...minimalBatch(), version: 2 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioVersionError);
      expect((error as ScenarioVersionError).problem.path).toBe("version");
    }
  });

  test.each([
    [undefined, "version: required (the format version the file is written in; this biotwin writes 1)"],
    [0, "version: expected the format version, a whole number from 1 (this biotwin writes 1), got a number (0)"],
    [1.5, "version: expected the format version, a whole number from 1 (this biotwin writes 1), got a number (1.5)"],
    ["1", 'version: expected the format version, a whole number from 1 (this biotwin writes 1), got a string ("1")'],
  ])("rejects version %j", (version, message) => {
    const doc: Record<string, unknown> = { ...minimalBatch(), version };
    if (version === undefined) delete doc.version;
    expect(() => migrateScenario(doc)).toThrow(message);
  });

  test.each([null, 42, "text", [1, 2]])("returns a non-object (%j) unchanged for validation to report", (doc) => {
    expect(migrateScenario(doc)).toBe(doc);
  });
});

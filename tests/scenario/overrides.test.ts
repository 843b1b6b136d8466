import { describe, expect, test } from "vitest";
import { applyOverrides, OverrideError, parseScenario } from "../../engine/scenario";
import { fedBatch, minimalBatch } from "./fixtures";

describe("applyOverrides", () => {
  test("sets a number", () => {
    const out = applyOverrides(minimalBatch(), ["process.durationH=48"]) as any;
    expect(out.process.durationH).toBe(48);
  });

  test("sets a boolean and null", () => {
    const out = applyOverrides(minimalBatch(), ["cells.terms.death=false", "cells.parameters.maxBiomassGPerL=null"]) as any;
    expect(out.cells.terms).toEqual({ death: false });
    expect(out.cells.parameters).toEqual({ maxBiomassGPerL: null });
  });

  test("keeps a value that is not JSON as a string", () => {
    const out = applyOverrides(minimalBatch(), ["metadata.title=Run 7 = faster feed", 'metadata.notes="42"']) as any;
    expect(out.metadata.title).toBe("Run 7 = faster feed");
    expect(out.metadata.notes).toBe("42");
  });

  test("parses arrays and objects as JSON", () => {
    const out = applyOverrides(minimalBatch(), [
      'metadata.authors=["A. Monod","J. Pirt"]',
      'process.feedMedium={"substrateGPerL":400}',
    ]) as any;
    expect(out.metadata.authors).toEqual(["A. Monod", "J. Pirt"]);
    expect(out.process.feedMedium).toEqual({ substrateGPerL: 400 });
  });

  test("indexes arrays with numbers, and appends at the end", () => {
    const out = applyOverrides(fedBatch(), [
      "process.boluses.0.volumeL=0.2",
      "process.boluses.1.timeH=30",
      "process.boluses.1.volumeL=0.1",
    ]) as any;
    expect(out.process.boluses).toEqual([
      { timeH: 10, volumeL: 0.2 },
      { timeH: 30, volumeL: 0.1 },
    ]);
  });

  test("creates missing intermediate objects (and an array before an index)", () => {
    const out = applyOverrides(minimalBatch(), ["reactor.kLaPerH=150", "process.boluses.0.timeH=5"]) as any;
    expect(out.reactor).toEqual({ kLaPerH: 150 });
    expect(out.process.boluses).toEqual([{ timeH: 5 }]);
  });

  test("later sets win", () => {
    const out = applyOverrides(minimalBatch(), ["process.durationH=10", "process.durationH=12"]) as any;
    expect(out.process.durationH).toBe(12);
  });

  test("returns a copy and never mutates the input", () => {
    const doc = fedBatch();
    const before = structuredClone(doc);
    const out = applyOverrides(doc, ["process.boluses.0.volumeL=0.2", "reactor.kLaPerH=10"]) as any;
    expect(doc).toEqual(before);
    expect(out).not.toBe(doc);
    expect(out.process.feedProfile).not.toBe(doc.process.feedProfile);
    expect(applyOverrides(doc, [])).toEqual(doc);
    expect(applyOverrides(doc, [])).not.toBe(doc);
  });

  test("a value of the wrong type is left for validation to report", () => {
    const out = applyOverrides(minimalBatch(), ["reactor.kLaPerH=fast"]);
    const result = parseScenario(out);
    expect(result.ok ? [] : result.problems).toEqual([
      { path: "reactor.kLaPerH", message: 'expected a number in 1/h, got a string ("fast")' },
    ]);
  });

  test.each([
    ["process.durationH", '--set "process.durationH": expected PATH=VALUE, e.g. process.durationH=48'],
    ["=48", '--set "=48": the path before "=" is empty; expected PATH=VALUE, e.g. process.durationH=48'],
    ["process..durationH=4", '--set "process..durationH=4": the path "process..durationH" has an empty segment'],
    [
      "process.durationH.value=4",
      '--set "process.durationH.value=4": cannot set "value" inside process.durationH, which is a number (24)',
    ],
    [
      "metadata.title.0=x",
      '--set "metadata.title.0=x": cannot set "0" inside metadata.title, which is a string ("E. coli batch on glucose")',
    ],
    [
      "process.boluses.first.timeH=1",
      '--set "process.boluses.first.timeH=1": process.boluses is an array; "first" is not an index (0, 1, 2, ...)',
    ],
    [
      "process.boluses.5.timeH=1",
      '--set "process.boluses.5.timeH=1": process.boluses has 1 item(s); index 5 is past the end (use 1 to append)',
    ],
    ["__proto__.polluted=1", '--set "__proto__.polluted=1": "__proto__" is not a valid key'],
  ])("rejects the malformed argument %j", (argument, message) => {
    const doc = fedBatch();
    doc.process.durationH = 24;
    let thrown: unknown;
    try {
      applyOverrides(doc, [argument]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OverrideError);
    expect((thrown as OverrideError).message).toBe(message);
    expect((thrown as OverrideError).argument).toBe(argument);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("a document that is not an object cannot take a --set", () => {
    expect(() => applyOverrides(42, ["a=1"])).toThrow('--set "a=1": cannot set a field: the scenario is a number (42), not an object');
  });
});

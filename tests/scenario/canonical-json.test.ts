import { expect, test } from "vitest";
import { canonicalJson, parseScenario } from "../../engine/scenario";
import { minimalBatch } from "./fixtures";

test("sorts object keys recursively and drops whitespace", () => {
  expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
});

test("sorts keys that look like integers as strings too", () => {
  expect(canonicalJson({ b: 1, 10: 2, 2: 3 })).toBe('{"10":2,"2":3,"b":1}');
});

test("follows JSON.stringify for undefined, non-finite numbers, -0 and toJSON", () => {
  expect(canonicalJson({ a: undefined, b: [undefined, NaN, -0], c: new Date(0) })).toBe(
    '{"b":[null,null,0],"c":"1970-01-01T00:00:00.000Z"}',
  );
  expect(() => canonicalJson(undefined)).toThrow(TypeError);
  expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
});

test("the same scenario written in a different key order has the same canonical JSON", () => {
  const doc = minimalBatch();
  const reordered = Object.fromEntries(Object.entries(doc).reverse());
  const a = parseScenario(doc);
  const b = parseScenario(reordered);
  if (!a.ok || !b.ok) throw new Error("fixture should parse");
  expect(canonicalJson(b.scenario)).toBe(canonicalJson(a.scenario));
  expect(JSON.parse(canonicalJson(a.scenario))).toEqual(a.scenario);
});

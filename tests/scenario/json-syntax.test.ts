import { expect, test } from "vitest";
import { locateJsonSyntaxError } from "../../engine/scenario/json-syntax";

test.each([
  ['{"a": [1, 2.5e-3, true, false, null, "x\\n\\u00e9"], "b": {}}'],
  ["  [ ]  "],
  ["-0"],
])("valid JSON %j has no error", (text) => {
  expect(() => JSON.parse(text)).not.toThrow();
  expect(locateJsonSyntaxError(text)).toBeUndefined();
});

test.each([
  ['{"a": }', 6],
  ["[1,2,]", 5],
  ['{"a": 1,}', 8],
  ['{"a" 1}', 5],
  ["[01]", 2],
  ["[1.]", 3],
  ['"a\tb"', 2],
  ['"\\x"', 2],
  ["tru", 3],
  ['{"a": 1', 7],
  ["", 0],
  ["{} x", 3],
  ["{'a': 1}", 1],
])("invalid JSON %j fails at offset %i", (text, offset) => {
  expect(() => JSON.parse(text)).toThrow(SyntaxError);
  expect(locateJsonSyntaxError(text)).toBe(offset);
});

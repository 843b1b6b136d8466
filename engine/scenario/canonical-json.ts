/**
 * Canonical JSON: object keys sorted recursively, no whitespace. Two
 * documents with the same content give the same text, so the text can be
 * hashed to identify a scenario (the run metadata records that hash).
 */

/**
 * `value` as canonical JSON. Keys are sorted by UTF-16 code units (the order
 * of `Array.prototype.sort`); otherwise it follows JSON.stringify: toJSON is
 * honoured, undefined and functions are dropped from objects and become null
 * in arrays, non-finite numbers become null. Throws TypeError when `value`
 * itself has no JSON form (undefined, a function, a symbol, a bigint).
 */
export function canonicalJson(value: unknown): string {
  const text = serialize(value);
  if (text === undefined) throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  return text;
}

function serialize(value: unknown): string | undefined {
  if (typeof value === "object" && value !== null && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return JSON.stringify(value); // "null" for NaN and ±Infinity, "0" for -0
  if (typeof value === "bigint") throw new TypeError("canonicalJson: a bigint has no JSON form");
  if (Array.isArray(value)) return `[${value.map((item) => serialize(item) ?? "null").join(",")}]`;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = serialize(record[key]);
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
    }
    return `{${members.join(",")}}`;
  }
  return undefined; // undefined, function, symbol
}

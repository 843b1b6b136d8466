// Share links (web/model/share-link.ts): a scenario survives the round trip through
// the URL fragment; a scenario too large for a link, and a damaged link, are refused
// with a sentence that says what to do.
import { describe, expect, test } from "vitest";
import { decodeScenarioFragment, encodeScenarioFragment, MAX_FRAGMENT_CHARS, ShareLinkError } from "../web/model/share-link";
import { readJson } from "./helpers";

describe("share links", () => {
  test("every built-in CHO scenario survives the round trip and fits in a link", async () => {
    for (const file of ["cho-fed-batch", "cho-perfusion", "ecoli-fed-batch"]) {
      const doc = readJson(`scenarios/${file}.json`);
      const fragment = await encodeScenarioFragment(doc);
      expect(fragment).toMatch(/^s=[A-Za-z0-9_-]+$/);
      expect(fragment.length).toBeLessThan(JSON.stringify(doc).length);
      expect(JSON.parse((await decodeScenarioFragment(`#${fragment}`))!)).toEqual(doc);
    }
  });

  test("text that is not JSON-safe in a URL (quotes, <, non-Latin scripts) comes back unchanged", async () => {
    const doc = { metadata: { title: '<img src=x onerror=alert(1)> "quoted" — 培养 — é' } };
    const fragment = await encodeScenarioFragment(doc);
    expect(JSON.parse((await decodeScenarioFragment(fragment))!)).toEqual(doc);
  });

  test("a scenario too large for a link is refused with its size and the way out", async () => {
    // Incompressible text: random letters.
    let seed = 1;
    const letter = () => String.fromCharCode(97 + ((seed = (seed * 48271) % 2147483647) % 26));
    const doc = { metadata: { description: Array.from({ length: 40_000 }, letter).join("") } };
    const error = await encodeScenarioFragment(doc).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShareLinkError);
    expect((error as Error).message).toMatch(new RegExp(`too large for a link: [\\d,]+ characters compressed, the limit is ${MAX_FRAGMENT_CHARS.toLocaleString("en")}; save it as a file`));
  });

  test("a fragment without a scenario gives null; a damaged one says so", async () => {
    expect(await decodeScenarioFragment("")).toBeNull();
    expect(await decodeScenarioFragment("#view=charts")).toBeNull();
    await expect(decodeScenarioFragment("#s=AAAAAAAAAAAAAAAA")).rejects.toThrow(/damaged or cut short/);
    await expect(decodeScenarioFragment("#s=abc$%")).rejects.toThrow(/damaged/);
    const good = await encodeScenarioFragment({ a: 1, b: "x".repeat(200) });
    await expect(decodeScenarioFragment(good.slice(0, good.length - 5))).rejects.toThrow(/damaged or cut short/);
  });
});

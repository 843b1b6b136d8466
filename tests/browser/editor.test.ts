// Drives <bt-scenario-editor> in headless Chromium on its harness page
// (web/dev/editor-harness.html, built by serveHarness): the
// CHO fed-batch renders with units, edits come out as draft-change events at
// the right path, the engine's problems appear beside their fields, and text
// from the document is never markup. Screenshots go to build/artifacts/.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { collectErrors, launchChromium, serveHarness } from "./chromium";

const ARTIFACTS = "build/artifacts";

let server: PreviewServer;
let browser: Browser;
let page: Page;
let errors: string[];

/** The draft-change events the page has seen, as {path, value at path, draft}. */
async function changes(): Promise<{ path: string; value: unknown; draft: any }[]> {
  return page.evaluate(() => (window as any).__changes);
}

function field(path: string): string {
  return `bt-field[data-path="${path}"]`;
}

beforeAll(async () => {
  let harnessUrl: string;
  ({ server, url: harnessUrl } = await serveHarness("editor"));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  errors = collectErrors(page);
  page.on("dialog", (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(harnessUrl);
  await page.waitForSelector("body[data-ready]");
  await page.evaluate(() => {
    const w = window as any;
    w.__changes = [];
    document.querySelector("bt-scenario-editor")!.addEventListener("draft-change", (event) => {
      const { draft, path } = (event as CustomEvent).detail;
      const value = path.split(".").reduce((at: any, key: string) => (at == null ? undefined : at[key]), draft);
      w.__changes.push({ path, value, draft: JSON.parse(JSON.stringify(draft)) });
    });
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("scenario editor", () => {
  test("renders the CHO fed-batch with groups, values, units, ranges and defaults", async () => {
    const summaries = await page.locator("bt-scenario-editor details.group > summary").allTextContents();
    expect(summaries.map((s) => s.trim())).toEqual([
      "Scenario",
      "Reactor and initial state",
      "Cells",
      "Process",
      "Control",
      "Simulation",
    ]);
    const volume = page.locator(field("initial.volumeL"));
    await expect.poll(() => volume.locator("input").inputValue()).toBe("1.5");
    expect(await volume.locator(".unit").textContent()).toBe("L");
    expect(await volume.locator(".range").textContent()).toBe("> 0");
    const muMax = page.locator(field("cells.parameters.muMaxPerH"));
    expect(await muMax.locator(".unit").textContent()).toBe("1/h");
    expect(await muMax.locator("input").inputValue()).toBe("0.039");
    // An unset field shows its default as placeholder.
    const kGlucose = page.locator(field("cells.parameters.kGlucoseMM"));
    expect(await kGlucose.locator("input").inputValue()).toBe("");
    expect(await kGlucose.locator("input").getAttribute("placeholder")).toBe("0.084");
    expect(await page.locator(field("initial.temperatureC")).locator(".range").textContent()).toBe("0 – 45 °C");
    // Every input has an accessible name.
    const unnamed = await page.evaluate(() => {
      const all = (root: Document | ShadowRoot): Element[] =>
        [...root.querySelectorAll("*")].flatMap((el) => [el, ...(el.shadowRoot ? all(el.shadowRoot) : [])]);
      return all(document)
        .filter((el) => ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName))
        .filter((el) => {
          const root = el.getRootNode() as ShadowRoot;
          return !el.getAttribute("aria-label") && !(el.id && root.querySelector(`label[for="${el.id}"]`));
        }).length;
    });
    expect(unnamed).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/editor.png` });
    // Tall enough that the panel (100vh high) holds the whole editor without scrolling.
    const editorHeight = await page.evaluate(() => document.querySelector("bt-scenario-editor")!.scrollHeight);
    await page.setViewportSize({ width: 1000, height: Math.ceil(editorHeight) + 60 });
    const panel = page.locator("aside.panel");
    await panel.screenshot({ path: `${ARTIFACTS}/editor-full.png` });
    // The same in pieces a reviewer can read at full size.
    const editorBox = (await page.locator("bt-scenario-editor").boundingBox())!;
    const panelBox = (await panel.boundingBox())!;
    for (let top = 0, part = 1; top < editorBox.height; top += 1400, part += 1) {
      const height = Math.min(1400, editorBox.height - top);
      await page.screenshot({
        path: `${ARTIFACTS}/editor-full-${part}.png`,
        clip: { x: panelBox.x, y: editorBox.y + top, width: panelBox.width, height },
      });
    }
    await page.setViewportSize({ width: 1000, height: 900 });
    expect(errors).toEqual([]);
  });

  test("a committed number fires draft-change with the value at its path, without touching the old draft", async () => {
    await page.evaluate(() => ((window as any).__before = document.querySelector("bt-scenario-editor")!.draft));
    const input = page.locator(field("initial.volumeL")).locator("input");
    await input.fill("1.8");
    expect(await changes()).toHaveLength(0); // typing alone commits nothing
    await input.press("Tab");
    const seen = await changes();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).toBe("initial.volumeL");
    expect(seen[0]!.value).toBe(1.8);
    expect(seen[0]!.draft.initial.viableCellsE6PerMl).toBe(0.5);
    expect(await page.evaluate(() => (window as any).__before.initial.volumeL)).toBe(1.5);
    await expect.poll(() => input.inputValue()).toBe("1.8");

    // Emptied: unset, so the default applies.
    const lactate = page.locator(field("initial.lactateMM")).locator("input");
    await lactate.fill("2");
    await lactate.press("Tab");
    await lactate.fill("");
    await lactate.press("Tab");
    const last = (await changes()).at(-1)!;
    expect(last.path).toBe("initial.lactateMM");
    expect("lactateMM" in last.draft.initial).toBe(false);
  });

  test("text that is not a number is refused locally and changes nothing", async () => {
    const before = (await changes()).length;
    const glucose = page.locator(field("initial.glucoseMM"));
    await glucose.locator("input").fill("12 mM");
    await glucose.locator("input").press("Tab");
    await expect.poll(() => glucose.locator(".messages").textContent()).toContain("not a number");
    expect(await glucose.locator("input").inputValue()).toBe("12 mM");
    expect(await changes()).toHaveLength(before);
  });

  test("problems appear beside their field, unplaced ones at the top of their group", async () => {
    // From the engine, through the harness: a negative duration.
    const duration = page.locator(field("process.durationH"));
    await duration.locator("input").fill("-5");
    await duration.locator("input").press("Tab");
    await expect.poll(() => duration.locator(".messages").textContent()).toContain("must be");
    expect(await duration.locator("input").getAttribute("aria-invalid")).toBe("true");

    // Passed in directly.
    await page.evaluate(() => {
      const editor = document.querySelector("bt-scenario-editor")!;
      editor.problems = [
        { path: "reactor.kLaRefPerH", message: "kLa looks odd here" },
        { path: "cells.parameters.muMax", message: 'unknown key (did you mean "muMaxPerH"?)' },
        { path: "", message: "the whole document is off" },
      ];
    });
    const kLa = page.locator(field("reactor.kLaRefPerH"));
    await expect.poll(() => kLa.locator(".messages").textContent()).toContain("kLa looks odd here");
    const cellsGroup = page.locator("bt-scenario-editor details.group").nth(2);
    expect(await cellsGroup.locator(".group-body > ul.problems").textContent()).toContain("cells.parameters.muMax");
    expect(await page.locator("bt-scenario-editor .top-problems").textContent()).toContain("the whole document is off");
    await kLa.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/editor-problems.png` });
  });

  test("lists and named media can be added to, renamed and removed", async () => {
    const addSchedule = page.getByRole("button", { name: "Add an entry to Schedule" }).first();
    await addSchedule.click();
    let last = (await changes()).at(-1)!;
    expect(last.path).toBe("control.temperature.schedule");
    expect(last.draft.control.temperature.schedule).toEqual([{ timeH: 120, setpointC: 33 }, {}]);
    await page.getByRole("button", { name: "Remove #2 of Schedule" }).click();
    last = (await changes()).at(-1)!;
    expect(last.draft.control.temperature.schedule).toEqual([{ timeH: 120, setpointC: 33 }]);

    const name = page.getByRole("textbox", { name: "Name of media entry glucose" });
    await name.fill("glc");
    await name.press("Tab");
    last = (await changes()).at(-1)!;
    expect(last.path).toBe("process.media");
    expect(Object.keys(last.draft.process.media)).toEqual(["feed", "glc"]);
    // The feed on demand still names "glucose": the engine says so beside that field.
    const medium = page.locator(field("process.feedOnDemand.medium"));
    await expect.poll(() => medium.locator(".messages").textContent()).toMatch(/glucose/);
  });

  test("switching the cell model is just an edit; the form follows the model", async () => {
    await page.locator(field("cells.model")).locator("select").selectOption({ label: "microbial" });
    const last = (await changes()).at(-1)!;
    expect(last.path).toBe("cells.model");
    expect(last.value).toBe("microbial");
    await expect.poll(() => page.locator(field("initial.biomassGPerL")).count()).toBe(1);
    expect(await page.locator(field("initial.viableCellsE6PerMl")).count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/editor-microbial.png` });
    // Keys of the other model are listed with a way to drop them.
    await page.getByRole("button", { name: "Remove control", exact: true }).click();
    const removed = (await changes()).at(-1)!;
    expect(removed.path).toBe("control");
    expect("control" in removed.draft).toBe(false);
  });

  test("text from the document is shown as text, never as markup", async () => {
    const evil = "<img src=x onerror=alert(1)>";
    await page.evaluate((text) => {
      const editor = document.querySelector("bt-scenario-editor")!;
      const draft = structuredClone(editor.draft) as any;
      draft.cells.model = "cho";
      draft.metadata.title = text;
      draft.metadata.sources[0].about = text;
      draft.process.media = { ...draft.process.media, [text]: { glucoseMM: 1 } };
      editor.draft = draft;
      editor.problems = [{ path: "metadata.title", message: text }];
    }, evil);
    const title = page.locator(field("metadata.title"));
    await expect.poll(() => title.locator("input").inputValue()).toBe(evil);
    expect(await title.locator(".messages").textContent()).toContain(evil);
    // Shortened in a list item's summary, still as text.
    expect(await page.locator('bt-scenario-editor .item[data-path="metadata.sources.0"] .item-head').textContent()).toContain("<img src=x");
    expect(await page.getByRole("textbox", { name: `Name of media entry ${evil}` }).inputValue()).toBe(evil);
    const images = await page.evaluate(() => {
      const all = (root: Document | ShadowRoot): Element[] =>
        [...root.querySelectorAll("*")].flatMap((el) => [el, ...(el.shadowRoot ? all(el.shadowRoot) : [])]);
      return all(document).filter((el) => el.tagName === "IMG").length;
    });
    expect(images).toBe(0);
    await page.locator(field("metadata.title")).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/editor-text.png` });
    expect(errors).toEqual([]);
  });
});

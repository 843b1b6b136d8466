// Drives the study results harness (web/dev/study-harness.html, built by serveHarness)
// in headless Chromium: every kind renders with units on its axes, the 2-D optimum sits
// on the fixture's known optimum, clicks and keys open runs, the CSV download, the
// failed-run counts, the share in specification, a study part-way done; screenshots of
// each kind in build/artifacts/ to look at.
import { mkdirSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FIXTURE_KINDS, studyFixture } from "../../web/dev/study-harness-fixtures";
import { specificationText } from "../../web/model/study-views";
import { collectErrors, launchChromium, serveHarness } from "./chromium";

const ARTIFACTS = "build/artifacts";

let server: PreviewServer;
let browser: Browser;
let page: Page;
let errors: string[];

interface ViewState {
  tag: string;
  svgChildren: number;
  titles: string[];
  note: string;
}

/** Each view of one kind's <bt-study-results>: its tag, how much SVG it drew, its axis titles and note. */
function views(p: Page, kind: string): Promise<ViewState[]> {
  return p.evaluate((k) => {
    const results = document.querySelector(`#${k} bt-study-results`)!;
    return [...results.shadowRoot!.querySelectorAll(".views > *")].map((view) => {
      const root = view.shadowRoot!;
      return {
        tag: view.localName,
        svgChildren: root.querySelector("svg")!.querySelectorAll("*").length,
        titles: [...root.querySelectorAll(".axis-title")].map((t) => t.textContent ?? ""),
        note: root.querySelector(".note")?.textContent ?? "",
      };
    });
  }, kind);
}

/** The opened-run log of the harness. */
function opened(p: Page): Promise<{ kind: string; index: number }[]> {
  return p.evaluate(() => (window as unknown as { studyHarness: { opened: { kind: string; index: number }[] } }).studyHarness.opened.slice());
}

/** A locator inside the shadow root of a view of one kind (Playwright pierces open shadow roots). */
const inView = (kind: string, tag: string, selector: string) => page.locator(`#${kind} bt-study-results ${tag} ${selector}`);

describe("study result views in the harness page", () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    let url: string;
    ({ server, url } = await serveHarness("study"));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true });
    page = await context.newPage();
    errors = collectErrors(page);
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { studyHarness?: { ready: boolean } }).studyHarness?.ready === true);
    await page.waitForFunction(() =>
      [...document.querySelectorAll("bt-study-results")].every((r) => r.shadowRoot?.querySelector(".views > *")?.shadowRoot?.querySelector("svg *")),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("every kind renders its views, with units on the axes; screenshots", async () => {
    const expected: Record<string, { tags: string[]; titles: string[] }> = {
      "sweep-1d": { tags: ["bt-study-sweep"], titles: ["μmax [1/h]", "Final titer [g/L]"] },
      "sweep-replicates": { tags: ["bt-study-sweep"], titles: ["μmax [1/h]", "Final titer [g/L]"] },
      "sweep-2d": { tags: ["bt-study-heatmap"], titles: ["μmax [1/h]", "qP [pg/cell/day]", "Final titer [g/L]"] },
      "monte-carlo": { tags: ["bt-study-histogram", "bt-study-bands", "bt-study-bands"], titles: ["Final titer [g/L]", "Time [d]", "Viable cell density [1e6 cells/mL]", "Antibody titer [g/L]"] },
      morris: { tags: ["bt-study-tornado"], titles: ["μ* and σ × (max − min) [g/L]"] },
      sobol: { tags: ["bt-study-tornado"], titles: ["Sobol index (share of the output's variance)"] },
    };
    for (const kind of FIXTURE_KINDS) {
      const state = await views(page, kind);
      expect(state.map((v) => v.tag), kind).toEqual(expected[kind]!.tags);
      for (const v of state) expect(v.svgChildren, `${kind} ${v.tag}`).toBeGreaterThan(30);
      const titles = state.flatMap((v) => v.titles);
      for (const t of expected[kind]!.titles) expect(titles, kind).toContain(t);
      await page.locator(`#${kind}`).screenshot({ path: `${ARTIFACTS}/study-${kind}.png` });
    }
    // The tornado's parameter names carry their units; the sample sizes are stated.
    const morrisText = await inView("morris", "bt-study-tornado", "svg").textContent();
    expect(morrisText).toContain("μmax [1/h]");
    expect(morrisText).toContain("r = 39 of 40 trajectories used · 40 × (d + 1 = 4) = 160 runs");
    expect(await inView("sobol", "bt-study-tornado", ".sample-size").textContent()).toContain("N = 511 of 512 base samples used · 512 × (d + 2 = 5) = 2560 runs");
    expect(errors).toEqual([]);
  });

  test("the 2-D optimum mark sits on the fixture's known optimum (μmax 0.036 1/h, qP 28), and moves with max/min", async () => {
    const ringCentre = () =>
      inView("sweep-2d", "bt-study-heatmap", ".optimum-mark").evaluate((c) => {
        const b = c.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      });
    const tick = (axis: "x" | "y", text: string) =>
      inView("sweep-2d", "bt-study-heatmap", `.${axis}-axis .tick`)
        .filter({ hasText: new RegExp(`^${text.replace(".", "\\.")}$`) })
        .locator("line")
        .evaluate((l) => {
          const b = l.getBoundingClientRect();
          return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
        });
    const ring = await ringCentre();
    const [x035, x040, y25, y30] = [await tick("x", "0.035"), await tick("x", "0.040"), await tick("y", "25"), await tick("y", "30")];
    expect(Math.abs(ring.x - (x035.x + 0.2 * (x040.x - x035.x)))).toBeLessThan(1.5);
    expect(Math.abs(ring.y - (y25.y + 0.6 * (y30.y - y25.y)))).toBeLessThan(1.5);
    // The cell under it is run 137 (μ index 8, qP index 9), and the label gives its value.
    const cell = await inView("sweep-2d", "bt-study-heatmap", 'rect[data-index="137"]').boundingBox();
    expect(Math.abs(cell!.x + cell!.width / 2 - ring.x)).toBeLessThan(1);
    expect(await inView("sweep-2d", "bt-study-heatmap", ".optimum-label").textContent()).toMatch(/^max 5\.00 g\/L/);

    await page.locator("#sweep-2d bt-study-results select.optimise").selectOption("min");
    await expect.poll(() => inView("sweep-2d", "bt-study-heatmap", ".optimum-label").textContent()).toMatch(/^min /);
    const minRing = await ringCentre();
    const corner = await inView("sweep-2d", "bt-study-heatmap", 'rect[data-index="320"]').boundingBox();
    expect(Math.abs(corner!.x + corner!.width / 2 - minRing.x)).toBeLessThan(1);
    expect(Math.abs(corner!.y + corner!.height / 2 - minRing.y)).toBeLessThan(1);
    await page.locator("#sweep-2d bt-study-results select.optimise").selectOption("max");
  });

  test("a click or Enter on a run opens it (study-open-run with its index); hover shows its parameters", async () => {
    await inView("sweep-1d", "bt-study-sweep", 'circle[data-index="8"]').click();
    expect((await opened(page)).at(-1)).toEqual({ kind: "sweep-1d", index: 8 });
    await inView("sweep-1d", "bt-study-sweep", 'path.failed[data-index="3"]').click();
    expect((await opened(page)).at(-1)).toEqual({ kind: "sweep-1d", index: 3 });
    await inView("sweep-2d", "bt-study-heatmap", 'rect[data-index="137"]').click();
    expect((await opened(page)).at(-1)).toEqual({ kind: "sweep-2d", index: 137 });
    // The lowest titer of the Monte Carlo fixture: a dot alone at the left of the strip.
    const lowest = studyFixture("monte-carlo")
      .runs.flatMap((r) => (r?.ok && r.outputs.finalTiter !== null ? [{ index: r.index, v: r.outputs.finalTiter! }] : []))
      .sort((a, b) => a.v - b.v)[0]!.index;
    await inView("monte-carlo", "bt-study-histogram", `circle[data-index="${lowest}"]`).click();
    expect((await opened(page)).at(-1)).toEqual({ kind: "monte-carlo", index: lowest });
    await inView("sweep-replicates", "bt-study-sweep", 'circle[data-index="61"]').focus();
    await page.keyboard.press("Enter");
    expect((await opened(page)).at(-1)).toEqual({ kind: "sweep-replicates", index: 61 });

    await inView("sweep-1d", "bt-study-sweep", 'circle[data-index="8"]').hover();
    const readout = inView("sweep-1d", "bt-study-sweep", ".readout");
    await expect.poll(() => readout.isVisible()).toBe(true);
    const text = await readout.textContent();
    expect(text).toContain("Run 8");
    expect(text).toContain("μmax: 0.036 1/h");
    expect(text).toContain("Final titer: 5.00 g/L");
    await inView("sweep-1d", "bt-study-sweep", 'path.failed[data-index="3"]').hover();
    expect(await readout.textContent()).toContain("failed: the solver took too many steps");
  });

  test("the output selector switches every view to the chosen output, with its unit", async () => {
    await page.locator("#sweep-1d bt-study-results select.output").selectOption("peakLactate");
    await expect.poll(() => inView("sweep-1d", "bt-study-sweep", ".y-title").textContent()).toBe("Peak lactate [mM]");
    await page.locator("#sweep-1d bt-study-results select.output").selectOption("finalTiter");
    await expect.poll(() => inView("sweep-1d", "bt-study-sweep", ".y-title").textContent()).toBe("Final titer [g/L]");
  });

  test("Export CSV downloads the runs: header with units, one row per run", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#sweep-replicates bt-study-results button.export-csv").click()]);
    expect(download.suggestedFilename()).toBe("study-sweep-runs.csv");
    const lines = readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n");
    expect(lines[0]).toBe("index,cells.parameters.muMaxPerH [1/h],cells.parameters.qpPgPerCellPerDay [pg/cell/day],seed,ok,finalTiter [g/L],reason");
    expect(lines).toHaveLength(181);
    const [json] = await Promise.all([page.waitForEvent("download"), page.locator("#morris bt-study-results button.export-json").click()]);
    const doc = JSON.parse(readFileSync((await json.path())!, "utf8"));
    expect(doc.runs).toHaveLength(160);
    expect(doc.summary.kind).toBe("morris");
  });

  test("failed runs are counted and drawn; the share in specification is the fixture's", async () => {
    const failed: Record<string, number> = { "sweep-1d": 1, "sweep-replicates": 1, "sweep-2d": 2, "monte-carlo": 4, morris: 1, sobol: 1 };
    for (const kind of FIXTURE_KINDS) {
      expect(await page.locator(`#${kind} bt-study-results .failed-count`).textContent(), kind).toBe(`${failed[kind]} failed`);
    }
    expect(await inView("sweep-1d", "bt-study-sweep", "path.failed").count()).toBe(1);
    expect(await inView("sweep-2d", "bt-study-heatmap", "rect.failed-cell").count()).toBe(2);
    expect(await inView("monte-carlo", "bt-study-histogram", "path.failed").count()).toBe(5);
    expect(await inView("monte-carlo", "bt-study-histogram", ".failed-box text").textContent()).toBe("no value: 5");

    const spec = studyFixture("monte-carlo").summary!.specification!;
    const expected = specificationText(spec);
    expect(expected).toMatch(/^\d+\.\d % in specification \(95 % CI \d+\.\d–\d+\.\d %\)$/);
    expect(await inView("monte-carlo", "bt-study-histogram", ".spec-text").textContent()).toBe(expected);
    expect(await page.locator("#monte-carlo bt-study-results .status .spec").textContent()).toBe(expected);
  });

  test("views follow a study while it runs (partial runs, no summary)", async () => {
    const show = (kind: string, done: number) =>
      page.evaluate(([k, n]) => (window as unknown as { studyHarness: { showPartial(k: string, n: number): void } }).studyHarness.showPartial(k as string, n as number), [kind, done] as const);
    await show("sweep-2d", 100);
    await expect.poll(() => page.locator("#sweep-2d bt-study-results .status").textContent()).toContain("100 of 336 runs (running)");
    await expect.poll(() => inView("sweep-2d", "bt-study-heatmap", "rect.pending").count()).toBe(236);
    expect(await inView("sweep-2d", "bt-study-heatmap", ".optimum-label").textContent()).not.toMatch(/^max 5\.00/);
    await page.locator("#sweep-2d").screenshot({ path: `${ARTIFACTS}/study-sweep-2d-running.png` });
    await show("monte-carlo", 120);
    await expect.poll(() => inView("monte-carlo", "bt-study-histogram", ".spec-text").textContent()).toMatch(/so far \(120 runs\)$/);
    await page.locator("#monte-carlo").screenshot({ path: `${ARTIFACTS}/study-monte-carlo-running.png` });
    await show("sobol", 1000);
    await expect.poll(() => inView("sobol", "bt-study-tornado", ".sample-size").textContent()).toContain("N = 199 of 512");
    await show("sweep-2d", 336);
    await show("monte-carlo", 400);
    await show("sobol", 2560);
    await expect.poll(() => inView("sweep-2d", "bt-study-heatmap", ".optimum-label").textContent()).toMatch(/^max 5\.00/);
    expect(errors).toEqual([]);
  });
});

// Drives <bt-scaleup-view> in headless Chromium on its harness page
// (web/dev/scaleup-harness.html, built by serveHarness) with a real simulation worker:
// the CHO fed-batch planned and run at 2,000 L at constant P/V shows both vessels with
// units and equal P/V, warns about the tip speed and overlays both runs' charts;
// switching to constant tip speed re-plans; the scaled scenario downloads; 10 zones in
// the target add the lowest DO across zones; a microbial scenario gets a message. Screenshots go to build/artifacts/scaleup*.png.
import { mkdirSync, readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { collectErrors, launchChromium, serveHarness } from "./chromium";

const ARTIFACTS = "build/artifacts";
const VIEW = "bt-scaleup-view";

let server: PreviewServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let harnessUrl = "";

/** Text of a table cell: the source or target value of a row. */
function cell(row: string, side: "source" | "target") {
  return page.locator(`${VIEW} tr[data-row="${row}"] td[data-side="${side}"]`);
}

/** Waits until the model is idle with a plan at `criterion` (and runs, with `runs`). */
async function settled(criterion: string, runs: boolean): Promise<void> {
  await page.waitForFunction(
    ([c, r]) => {
      const m = (window as any).scaleupHarness?.model;
      return m && !m.busy && m.plan?.criterion === c && (m.target !== null) === r;
    },
    [criterion, runs] as const,
    { timeout: 60_000 },
  );
  // Lit renders in a microtask, the charts in the next animation frames.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

interface ChartState {
  id: string;
  /** Point count of each current-run path with data. */
  currentPoints: number[];
  /** Point count of each pinned path with data, and whether it is drawn dashed. */
  pinned: { points: number; dashed: boolean }[];
  legend: string;
}

function chartStates(): Promise<ChartState[]> {
  return page.evaluate((view) => {
    const panel = document.querySelector(view)!.shadowRoot!.querySelector("bt-chart-panel")!;
    const points = (p: Element) => (p.getAttribute("d") ?? "").split(/[ML]/).length - 1;
    return [...panel.shadowRoot!.querySelectorAll("bt-chart")].map((chart) => {
      const root = chart.shadowRoot!;
      return {
        id: chart.getAttribute("data-chart-id") ?? "",
        currentPoints: [...root.querySelectorAll("path.current")].map(points).filter((n) => n > 0),
        pinned: [...root.querySelectorAll("path.pinned")]
          .filter((p) => points(p) > 0)
          .map((p) => ({ points: points(p), dashed: getComputedStyle(p).strokeDasharray !== "none" })),
        legend: root.querySelector("svg")?.textContent ?? "",
      };
    });
  }, VIEW);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ server, url: harnessUrl } = await serveHarness("scaleup"));
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true });
  page = await context.newPage();
  errors = collectErrors(page);
  await page.goto(harnessUrl);
  await page.waitForSelector("body[data-ready]");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("scale-up view", () => {
  test("plan and run both to the 2,000 L single-use vessel at constant P/V: table, warning, charts", async () => {
    // The defaults are the 2,000 L single-use vessel at constant P/V.
    expect(await page.locator(`${VIEW} select[data-control="preset"]`).inputValue()).toBe("sub-2000l");
    expect(await page.locator(`${VIEW} select[data-control="criterion"]`).inputValue()).toBe("pv");
    await page.locator(`${VIEW} button[data-action="plan-and-run"]`).click();
    await settled("pv", true);

    // Both vessels, with their geometry and units.
    expect(await cell("vessel", "source").textContent()).toContain("bench");
    expect(await cell("vessel", "target").textContent()).toContain("2000 L single-use stirred bioreactor");
    const units = Object.fromEntries(
      await page.locator(`${VIEW} tr[data-row]`).evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-row"), r.querySelector("td.unit")?.textContent ?? ""])),
    );
    expect(units).toMatchObject({
      diameter: "m",
      volume: "L",
      agitation: "rpm",
      "gas-flow": "L/min",
      pv: "W/m³",
      epsilon: "W/kg",
      tip: "m/s",
      kla: "1/h",
      blend: "s",
      kolmogorov: "µm",
      vs: "mm/s",
      vvm: "vvm",
      "pco2-expected": "mmHg",
      "peak-vcd": "1e6 cells/mL",
      titer: "g/L",
      "lowest-do": "% air sat.",
      "highest-pco2": "mmHg",
    });
    // The criterion holds, its row is marked, and the others move.
    const pv = await cell("pv", "source").textContent();
    expect(pv).toMatch(/^\d/);
    expect(await cell("pv", "target").textContent()).toBe(pv);
    expect(await page.locator(`${VIEW} tr[data-row="pv"]`).getAttribute("class")).toContain("criterion");
    expect(await page.locator(`${VIEW} tr.criterion`).count()).toBe(1);
    expect(await cell("tip", "target").textContent()).not.toBe(await cell("tip", "source").textContent());
    // Large figures have thousands separators and at most 4 significant digits.
    expect(await cell("re", "target").textContent()).toMatch(/^\d{1,3}(,\d{3})+$/);
    expect(await cell("working-volume", "target").textContent()).toBe("2,000");
    for (const text of await page.locator(`${VIEW} td[data-side]`).allTextContents()) {
      const digits = /^[\d,.]+$/.test(text.trim()) ? text.replace(/[,.]/g, "").replace(/^0+/, "").replace(/0+$/, "") : "";
      expect(digits.length, text).toBeLessThanOrEqual(4);
    }
    // Lowest DO of each run, labelled as the well-mixed figure.
    expect(await page.locator(`${VIEW} tr[data-row="lowest-do"] th`).textContent()).toContain("lowest DO (well-mixed)");
    expect(Number(await cell("lowest-do", "target").textContent())).toBeGreaterThan(0);

    // 2.48 m/s at 2,000 L: more than animal cells are usually given.
    const warning = page.locator(`${VIEW} [role="alert"] li[data-topic="tip"]`);
    await expect(warning.textContent()).resolves.toMatch(/tip speed [\d.]+ m\/s is above 1.5 m\/s/);
    expect(await warning.isVisible()).toBe(true);
    expect(await page.locator(`${VIEW} [data-testid="preset-sources"]`).first().textContent()).toContain("Löffelholz");

    // Both runs drawn: the target solid, the source dashed underneath, on every chart.
    const charts = await chartStates();
    expect(charts.length).toBeGreaterThanOrEqual(8);
    for (const chart of charts) {
      expect(chart.currentPoints.length, chart.id).toBeGreaterThan(0);
      for (const n of chart.currentPoints) expect(n, chart.id).toBeGreaterThan(100);
      expect(chart.pinned.length, chart.id).toBeGreaterThan(0);
      for (const p of chart.pinned) {
        expect(p.points, chart.id).toBeGreaterThan(100);
        expect(p.dashed, chart.id).toBe(true);
      }
      expect(chart.legend, chart.id).toContain("pinned: source (2.5 L)");
    }
    await page.screenshot({ path: `${ARTIFACTS}/scaleup.png`, fullPage: true });
    await page.locator(`${VIEW} section[aria-label="Source and target side by side"]`).screenshot({ path: `${ARTIFACTS}/scaleup-table.png` });
  });

  test("switching the criterion to tip speed re-plans: equal tip speeds, lower P/V", async () => {
    await page.locator(`${VIEW} select[data-control="criterion"]`).selectOption("tip");
    await settled("tip", true);
    const tip = await cell("tip", "source").textContent();
    expect(await cell("tip", "target").textContent()).toBe(tip);
    expect(await page.locator(`${VIEW} tr[data-row="tip"]`).getAttribute("class")).toContain("criterion");
    const number = async (row: string, side: "source" | "target") => Number((await cell(row, side).textContent())!.replace(/,/g, ""));
    expect(await number("pv", "target")).toBeLessThan(await number("pv", "source"));
    expect(await page.locator(`${VIEW} [role="alert"] li[data-topic="tip"]`).count()).toBe(0);
    expect(await page.locator(`${VIEW} [data-testid="scaleup-status"]`).textContent()).toContain("constant impeller tip speed");
    await page.screenshot({ path: `${ARTIFACTS}/scaleup-tip.png`, fullPage: true });
    await page.locator(`${VIEW} section[aria-label="Source and target side by side"]`).screenshot({ path: `${ARTIFACTS}/scaleup-tip-table.png` });
    // As wide as the app's main column on a laptop: the table still fits or scrolls by itself.
    await page.setViewportSize({ width: 820, height: 900 });
    await page.screenshot({ path: `${ARTIFACTS}/scaleup-narrow.png` });
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  test("the scaled scenario downloads as JSON for the target vessel", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`${VIEW} button[data-action="download"]`).click()]);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const doc = JSON.parse(readFileSync((await download.path())!, "utf8"));
    expect(doc.reactor.vessel.preset).toBe("sub-2000l");
    expect(doc.initial.volumeL).toBeCloseTo(1.5 * 800, 6);
    expect(doc.metadata.title).toContain("scaled to");
  });

  test("10 zones in the target: the table adds the lowest DO across zones, at most the well-mixed lowest DO", async () => {
    expect(await page.locator(`${VIEW} tr[data-row="lowest-zone-do"]`).count()).toBe(0);
    // With runs on show, choosing zones re-plans and re-runs both.
    await page.locator(`${VIEW} select[data-control="zones"]`).selectOption("10");
    await page.waitForFunction(
      () => {
        const m = (window as any).scaleupHarness?.model;
        return m && !m.busy && m.plannedZones === 10 && m.target !== null;
      },
      null,
      { timeout: 60_000 },
    );
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const row = page.locator(`${VIEW} tr[data-row="lowest-zone-do"]`);
    expect(await row.locator("th").textContent()).toContain("lowest DO across zones");
    expect(await row.locator("td.unit").textContent()).toBe("% air sat.");
    // The well-mixed source has no zones; the target's lowest zone is at most its (mean) lowest DO.
    expect(await cell("lowest-zone-do", "source").textContent()).toBe("—");
    const zoneDo = Number(await cell("lowest-zone-do", "target").textContent());
    const mixedDo = Number(await cell("lowest-do", "target").textContent());
    expect(zoneDo).toBeGreaterThan(0);
    expect(zoneDo).toBeLessThanOrEqual(mixedDo);
    expect(await page.locator(`${VIEW} [data-testid="scaleup-status"]`).textContent()).not.toContain("changed since");
    // The scaled run's zone chart is drawn (the source has none to pin under it).
    const charts = await chartStates();
    const zones = charts.find((c) => c.id === "zones");
    expect(zones).toBeDefined();
    expect(zones!.currentPoints.length).toBe(6);
    for (const n of zones!.currentPoints) expect(n).toBeGreaterThan(100);
    await page.locator(`${VIEW} section[aria-label="Source and target side by side"]`).screenshot({ path: `${ARTIFACTS}/scaleup-zones-table.png` });
    await page.screenshot({ path: `${ARTIFACTS}/scaleup-zones.png`, fullPage: true });
    // Back to a well-mixed target: the row goes.
    await page.locator(`${VIEW} select[data-control="zones"]`).selectOption("none");
    await page.waitForFunction(() => {
      const m = (window as any).scaleupHarness?.model;
      return m && !m.busy && m.plannedZones === null && m.target !== null;
    });
    await expect.poll(() => page.locator(`${VIEW} tr[data-row="lowest-zone-do"]`).count()).toBe(0);
  });

  test("a microbial scenario shows a message instead of the controls", async () => {
    const other = await context.newPage();
    const otherErrors = collectErrors(other);
    await other.goto(`${harnessUrl}?scenario=microbial`);
    await other.waitForSelector("body[data-ready]");
    const message = other.locator(`${VIEW} [data-testid="scaleup-unavailable"]`);
    expect(await message.textContent()).toContain("needs a CHO scenario");
    expect(await other.locator(`${VIEW} select`).count()).toBe(0);
    expect(await other.locator(`${VIEW} button`).count()).toBe(0);
    await other.screenshot({ path: `${ARTIFACTS}/scaleup-microbial.png` });
    expect(otherErrors).toEqual([]);
    await other.close();
  });

  test("no console errors", () => {
    expect(errors).toEqual([]);
  });
});

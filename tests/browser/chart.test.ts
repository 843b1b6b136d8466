// Drives the chart harness (web/dev/chart-harness.html, built by serveHarness)
// in headless Chromium: streaming, hover read-out, SVG and PNG export, downloads, and
// screenshots in build/artifacts/ to look at.
import { mkdirSync, writeFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BtChart } from "../../web/elements/bt-chart";
import { collectErrors, launchChromium, serveHarness } from "./chromium";

const ARTIFACTS = "build/artifacts";
/** Synthetic run: hourly rows over 14 days. */
const ROWS = 337;

let server: PreviewServer;
let browser: Browser;
let page: Page;
let errors: string[];
let baseUrl = "";

interface ChartState {
  id: string;
  series: { column: string; label: string; unit: string }[];
  /** Number of path commands of each series' current-run path, by column. */
  points: Record<string, number>;
  pinnedPaths: number;
  readoutHidden: boolean;
  readout: string;
}

/** Reads every chart of the panel: its series, how much of each line is drawn and its read-out. */
function chartStates(p: Page): Promise<ChartState[]> {
  return p.evaluate(() => {
    const panel = document.querySelector("bt-chart-panel")!;
    return [...panel.shadowRoot!.querySelectorAll("bt-chart")].map((chart) => {
      const root = chart.shadowRoot!;
      const points: Record<string, number> = {};
      for (const s of chart.spec!.series) {
        const path = root.querySelector(`path.current.col-${s.column}`);
        points[s.column] = (path?.getAttribute("d") ?? "").split(/[ML]/).length - 1;
      }
      const readout = root.querySelector<HTMLElement>(".readout")!;
      return {
        id: chart.spec!.id,
        series: chart.spec!.series.map((s) => ({ column: s.column, label: s.label, unit: s.unit })),
        points,
        pinnedPaths: [...root.querySelectorAll("path.pinned")].filter((p) => (p.getAttribute("d") ?? "").length > 100).length,
        readoutHidden: readout.hidden,
        readout: [...readout.children].map((c) => c.textContent).join(" | "),
      };
    });
  });
}

describe("charts in the harness page", () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    let harnessUrl: string;
    ({ server, url: harnessUrl } = await serveHarness("chart"));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true });
    page = await context.newPage();
    errors = collectErrors(page);
    baseUrl = harnessUrl;
    await page.goto(baseUrl);
    await page.waitForFunction(() => (window as unknown as { chartHarness?: { done: boolean } }).chartHarness?.done === true, null, {
      timeout: 20_000,
    });
    // Two frames for the charts' animation loops to draw the last rows.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("every chart draws every series of the streamed run, and the pinned run", async () => {
    const charts = await chartStates(page);
    expect(charts.map((c) => c.id)).toEqual([
      "cells",
      "metabolites",
      "titer",
      "dissolved-oxygen",
      "ph",
      "pco2",
      "conductivity",
      "volume",
      "do-cascade",
      "gas-and-base",
    ]);
    for (const chart of charts) {
      for (const s of chart.series) expect(chart.points[s.column], `${chart.id}/${s.column}`).toBe(ROWS);
      expect(chart.pinnedPaths, chart.id).toBeGreaterThan(0);
    }
    await page.screenshot({ path: `${ARTIFACTS}/charts.png`, fullPage: true });
  });

  test("paths appended row by row while streaming equal paths drawn in one go", async () => {
    const comparison = await page.evaluate(async () => {
      const charts = [...document.querySelector("bt-chart-panel")!.shadowRoot!.querySelectorAll<BtChart>("bt-chart")];
      const read = (chart: BtChart) => ({
        d: [...chart.shadowRoot!.querySelectorAll("path.current")].map((p) => p.getAttribute("d")),
        domains: JSON.stringify((chart as unknown as { domains: unknown }).domains),
      });
      const streamed = charts.map(read);
      // A new spec object makes each chart rebuild everything from the whole run.
      for (const chart of charts) chart.spec = { ...chart.spec! };
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const redrawn = charts.map(read);
      return streamed.map((s, i) => ({ sameDomains: s.domains === redrawn[i].domains, sameD: s.d.join() === redrawn[i].d.join() }));
    });
    const comparable = comparison.filter((c) => c.sameDomains);
    expect(comparable.length).toBeGreaterThanOrEqual(comparison.length - 2);
    for (const c of comparable) expect(c.sameD).toBe(true);
  });

  test("hovering a chart moves the rule on all charts and shows a read-out of every series with its unit", async () => {
    const nextFrames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const ids = (await chartStates(page)).map((c) => c.id);
    for (const id of ids) {
      const overlay = page.locator(`bt-chart[data-chart-id="${id}"] rect.overlay`);
      await overlay.scrollIntoViewIfNeeded();
      const box = (await overlay.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.3);
      await nextFrames();
      const charts = await chartStates(page);
      // The rule is on every chart, the box only on the one under the pointer.
      expect(await page.locator("bt-chart line.hover-rule").count(), `rules while hovering ${id}`).toBe(charts.length);
      for (const chart of charts) expect(chart.readoutHidden, `${chart.id} while hovering ${id}`).toBe(chart.id !== id);
      const chart = charts.find((c) => c.id === id)!;
      expect(chart.readout).toMatch(/^Day \d+(\.\d+)? \([\d.]+ h\) \| /);
      expect(chart.readout).toContain("current | pinned");
      for (const s of chart.series) {
        // swatch | label | current value | pinned value | unit
        expect(chart.readout, `${id}: ${s.label}`).toMatch(new RegExp(` \\| ${escapeRegExp(s.label)} \\| -?\\d[^|]* \\| -?\\d[^|]* \\| ${escapeRegExp(s.unit)}( |$)`));
      }
      if (id === "cells") {
        await page.screenshot({ path: `${ARTIFACTS}/charts-hover.png`, fullPage: true });
        await page.locator('bt-chart[data-chart-id="cells"]').screenshot({ path: `${ARTIFACTS}/chart-cells-hover.png` });
      }
      if (id === "gas-and-base") {
        await page.locator(`bt-chart[data-chart-id="${id}"]`).screenshot({ path: `${ARTIFACTS}/chart-gas-and-base-hover.png` });
      }
    }
    await page.mouse.move(2, 2);
    await page.evaluate(() => window.scrollTo(0, 0));
    await nextFrames();
    const after = await chartStates(page);
    expect(after.every((c) => c.readoutHidden)).toBe(true);
    expect(await page.locator("bt-chart line.hover-rule").count()).toBe(0);
  });

  test("the SVG export is a standalone SVG with the series paths and no style attributes", async () => {
    const result = await page.evaluate(() => {
      const chart = document.querySelector("bt-chart-panel")!.shadowRoot!.querySelector<BtChart>('bt-chart[data-chart-id="cells"]')!;
      const text = chart.toSvgString();
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      const root = doc.documentElement;
      return {
        text,
        rootName: root.localName,
        namespace: root.namespaceURI,
        parseErrors: doc.getElementsByTagName("parsererror").length,
        currentPaths: [...root.querySelectorAll("path.current")].map((p) => ({ d: p.getAttribute("d") ?? "", stroke: p.getAttribute("stroke") })),
        pinnedPaths: root.querySelectorAll("path.pinned").length,
        styled: root.querySelectorAll("[style]").length,
        hoverLayers: root.querySelectorAll(".no-export").length,
        background: root.querySelector("rect")?.getAttribute("fill"),
        width: root.getAttribute("width"),
      };
    });
    writeFileSync(`${ARTIFACTS}/chart-cells.svg`, result.text);
    expect(result.rootName).toBe("svg");
    expect(result.namespace).toBe("http://www.w3.org/2000/svg");
    expect(result.parseErrors).toBe(0);
    expect(result.currentPaths).toHaveLength(3);
    for (const p of result.currentPaths) {
      expect(p.d.split("L").length - 1).toBe(ROWS - 1);
      expect(p.stroke).toMatch(/^rgb\(/);
    }
    expect(result.pinnedPaths).toBe(3);
    expect(result.styled).toBe(0);
    expect(result.hoverLayers).toBe(0);
    expect(result.background).toBe("#ffffff");
    expect(Number(result.width)).toBeGreaterThan(300);
  });

  test("the PNG export renders a non-empty PNG under the page's CSP", async () => {
    const png = await page.evaluate(async () => {
      const chart = document.querySelector("bt-chart-panel")!.shadowRoot!.querySelector<BtChart>('bt-chart[data-chart-id="metabolites"]')!;
      const blob = await chart.toPngBlob(2);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(bitmap, 0, 0);
      const pixels = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
        if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
      }
      let binary = "";
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return { type: blob.type, base64: btoa(binary), width: bitmap.width, height: bitmap.height, coloured };
    });
    const bytes = Buffer.from(png.base64, "base64");
    writeFileSync(`${ARTIFACTS}/chart-metabolites.png`, bytes);
    expect(png.type).toBe("image/png");
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.width).toBeGreaterThan(600);
    // The coloured lines made it into the pixels (not a blank canvas).
    expect(png.coloured).toBeGreaterThan(1000);
  });

  test("the PNG and SVG buttons download the chart under its id", async () => {
    const chart = page.locator('bt-chart[data-chart-id="titer"]');
    const [svgDownload] = await Promise.all([page.waitForEvent("download"), chart.getByRole("button", { name: "SVG" }).click()]);
    expect(svgDownload.suggestedFilename()).toBe("biotwin-titer.svg");
    const [pngDownload] = await Promise.all([page.waitForEvent("download"), chart.getByRole("button", { name: "PNG" }).click()]);
    expect(pngDownload.suggestedFilename()).toBe("biotwin-titer.png");
    await pngDownload.saveAs(`${ARTIFACTS}/biotwin-titer.png`);
  });

  test("the microbial charts draw the microbial columns", async () => {
    const other = await page.context().newPage();
    const otherErrors = collectErrors(other);
    await other.goto(`${baseUrl}?model=microbial`);
    await other.waitForFunction(() => (window as unknown as { chartHarness?: { done: boolean } }).chartHarness?.done === true, null, {
      timeout: 20_000,
    });
    await other.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const rows = await other.evaluate(() => (window as unknown as { chartHarness: { run: { length: number } } }).chartHarness.run.length);
    const charts = await chartStates(other);
    expect(charts.map((c) => c.id)).toEqual(["biomass", "substrate", "product", "dissolved-oxygen", "volume"]);
    for (const chart of charts) {
      for (const s of chart.series) expect(chart.points[s.column], `${chart.id}/${s.column}`).toBe(rows);
    }
    await other.screenshot({ path: `${ARTIFACTS}/charts-microbial.png`, fullPage: true });
    await other.close();
    expect(otherErrors).toEqual([]);
  });

  test("no console errors or CSP violations", () => {
    expect(errors).toEqual([]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

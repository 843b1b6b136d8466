// Drives the 3D reactor view harness (web/dev/reactor-harness.html) in headless Chromium
// with software WebGL (SwiftShader), a fixed seed and a fixed clock: the canvas is drawn,
// the liquid rises with the feeds, the legend follows the field, probes read out, the
// keyboard works, zones of a compartment model are drawn as slabs with their own colours
// and read-outs, the fallback shows its message, and 20 mounts leak neither WebGL
// contexts nor heap. Screenshots go to build/artifacts/ to look at.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { liquidHeightM, volumeBelowL, type VesselGeometry } from "../../engine/vessel/geometry";
import type { BtReactorView } from "../../web/elements/bt-reactor-view";
import { collectErrors, launchChromium, serveHarness, SOFTWARE_WEBGL_ARGS } from "./chromium";

const ARTIFACTS = "build/artifacts";
/** The fixed clock of every screenshot, ms. */
const FIXED_MS = 1234;

interface Harness {
  run: { length: number; column(name: string): Float64Array };
  vessels: Record<string, VesselGeometry>;
  view: BtReactorView | null;
  fieldEvents: string[];
  ready: Promise<boolean>;
  showUntil(hours: number): void;
  zoneFractions(count: number): number[];
  applyZones(): void;
  mount(): Promise<boolean>;
  unmount(): void;
}

let server: PreviewServer;
let browser: Browser;
let baseUrl = "";

/**
 * Counts WebGL contexts the page creates and how many of them are gone (installed before any
 * script): lost (isContextLost) or collected with their canvas. It asks the contexts rather than
 * waiting for webglcontextlost events, which a loaded machine may deliver late or, for a
 * collected canvas, never; weak references keep the counter from holding canvases alive.
 */
const CONTEXT_COUNTER = () => {
  const contexts: WeakRef<WebGLRenderingContext>[] = [];
  const w = window as unknown as { webglContexts: { created: number; lost: number } };
  Object.defineProperty(w, "webglContexts", {
    get: () => ({
      created: contexts.length,
      lost: contexts.filter((r) => {
        const c = r.deref();
        return c === undefined || c.isContextLost();
      }).length,
    }),
  });
  const original = HTMLCanvasElement.prototype.getContext;
  const seen = new WeakSet<HTMLCanvasElement>();
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
    const context = (original as (this: HTMLCanvasElement, t: string, ...r: unknown[]) => RenderingContext | null).call(this, type, ...rest);
    if (context && (type === "webgl2" || type === "webgl") && !seen.has(this)) {
      seen.add(this);
      contexts.push(new WeakRef(context as WebGLRenderingContext));
    }
    return context;
  } as typeof HTMLCanvasElement.prototype.getContext;
};

async function open(query: string, init?: () => void): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = collectErrors(page);
  if (init) await page.addInitScript(init);
  await page.goto(`${baseUrl}${query}`);
  await page.waitForFunction(() => (window as unknown as { reactorHarness?: Harness }).reactorHarness?.ready != null, null, { timeout: 20_000 });
  await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.ready);
  return { page, errors };
}

/** Fixes the view's clock and draws one frame at it. */
function freeze(page: Page, ms = FIXED_MS): Promise<boolean> {
  return page.evaluate((t) => {
    const view = (window as unknown as { reactorHarness: Harness }).reactorHarness.view!;
    view.clock = () => t;
    return view.renderFrame(t);
  }, ms);
}

type Debug = NonNullable<ReturnType<BtReactorView["debugState"]>>;
const debug = (page: Page): Promise<Debug> =>
  page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.view!.debugState()!);

/** Luminance statistics of the canvas right after a frame is drawn (same task, so the buffer is still there). */
function canvasStats(page: Page): Promise<{ width: number; height: number; variance: number; colours: number }> {
  return page.evaluate((t) => {
    const view = (window as unknown as { reactorHarness: Harness }).reactorHarness.view!;
    view.renderFrame(t);
    const canvas = view.shadowRoot!.querySelector("canvas")!;
    const copy = document.createElement("canvas");
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext("2d")!;
    ctx.drawImage(canvas, 0, 0);
    const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
    let sum = 0;
    let sum2 = 0;
    const colours = new Set<number>();
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const y = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
      sum += y;
      sum2 += y * y;
      if (i % 64 === 0) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    const mean = sum / n;
    return { width: copy.width, height: copy.height, variance: sum2 / n - mean * mean, colours: colours.size };
  }, FIXED_MS);
}

function shot(page: Page, name: string): Promise<Buffer> {
  return page.locator("bt-reactor-view").screenshot({ path: `${ARTIFACTS}/${name}` });
}

describe("the 3D reactor view in the harness page", () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, url: baseUrl } = await serveHarness("reactor"));
    browser = await launchChromium(SOFTWARE_WEBGL_ARGS);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a 2 L glass vessel: the canvas is drawn (not blank), with bubbles, cells and a turning impeller", async () => {
    const { page, errors } = await open("?vessel=2l&t=240");
    expect(await freeze(page)).toBe(true);
    const stats = await canvasStats(page);
    console.log(`2 L canvas ${stats.width}×${stats.height}: luminance variance ${stats.variance.toFixed(1)}, ${stats.colours} colours sampled`);
    expect(stats.width).toBeGreaterThan(500);
    // A blank (cleared) canvas has variance 0 and one colour.
    expect(stats.variance).toBeGreaterThan(50);
    expect(stats.colours).toBeGreaterThan(50);
    const state = await debug(page);
    expect(state.visibleBubbles).toBeGreaterThan(0);
    expect(state.drawnCells).toBeGreaterThan(1000);
    expect(state.impellerShownRevPerS).toBeGreaterThan(0);
    expect(state.status).toBe("ready");
    // The liquid stands at the height the geometry gives for the last volume.
    const { volume, vessel } = await page.evaluate(() => {
      const h = (window as unknown as { reactorHarness: Harness }).reactorHarness;
      const v = h.run.column("volume");
      return { volume: v[v.length - 1], vessel: h.vessels["2l"] };
    });
    expect(state.liquidHeightM).toBeCloseTo(liquidHeightM(vessel, volume), 6);
    await shot(page, "reactor-2l.png");
    // The same clock gives the same picture.
    const again = await canvasStats(page);
    expect(again.variance).toBeCloseTo(stats.variance, 6);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the liquid rises between two snapshots of the fed-batch, and the feed port flashes at the bolus", async () => {
    const { page, errors } = await open("?vessel=2l&t=48");
    await freeze(page);
    const before = await debug(page);
    await shot(page, "reactor-2l-day2.png");
    await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.showUntil(24 * 9 + 2));
    await freeze(page, FIXED_MS + 100);
    const after = await debug(page);
    await shot(page, "reactor-2l-day9.png");
    console.log(`liquid height ${before.liquidHeightM.toFixed(4)} m at day 2, ${after.liquidHeightM.toFixed(4)} m at day 9`);
    expect(after.liquidHeightM).toBeGreaterThan(before.liquidHeightM + 0.005);
    expect(after.feedFlashing).toBe(true);
    expect(after.baseFlashing).toBe(true);
    expect(before.feedFlashing).toBe(false);
    // More cells as the culture grows.
    expect(after.drawnCells).toBeGreaterThan(before.drawnCells);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("picking a field changes the legend and the liquid colour, and fires field-change", async () => {
    const { page, errors } = await open("?vessel=2l&t=120");
    await freeze(page);
    const legend = () =>
      page.evaluate(() => {
        const root = (window as unknown as { reactorHarness: Harness }).reactorHarness.view!.shadowRoot!;
        return {
          title: root.querySelector(".legend-title")!.textContent!.replace(/\s+/g, " ").trim(),
          stops: [...root.querySelectorAll(".legend stop")].map((s) => s.getAttribute("stop-color")),
          min: root.querySelector(".legend text.min")!.textContent,
          max: root.querySelector(".legend text.max")!.textContent,
          value: root.querySelector(".legend-value")!.textContent,
        };
      });
    const doLegend = await legend();
    const doColour = (await debug(page)).liquidColor;
    expect(doLegend.title).toBe("Dissolved O₂ [% air sat.]");
    expect(doLegend.value).toMatch(/^now \d+\.\d % air sat\.$/);
    await page.locator("bt-reactor-view select").selectOption("lactate");
    await freeze(page);
    const lactateLegend = await legend();
    const lactate = await debug(page);
    expect(lactateLegend.title).toBe("Lactate [mM]");
    expect(lactateLegend.stops).not.toEqual(doLegend.stops);
    expect([lactateLegend.min, lactateLegend.max]).toEqual(["0", "40"]);
    expect(lactateLegend.value).toMatch(/^now \d+\.\d mM$/);
    expect(lactate.field).toBe("lactate");
    expect(lactate.liquidColor).not.toBe(doColour);
    expect(await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.fieldEvents)).toEqual(["lactate"]);
    await shot(page, "reactor-2l-lactate.png");
    // Setting the property (as the app will) also recolours, without an event.
    await page.evaluate(() => {
      (window as unknown as { reactorHarness: Harness }).reactorHarness.view!.field = "ph";
    });
    await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.view!.updateComplete);
    await freeze(page);
    expect((await legend()).title).toBe("pH [pH]");
    expect((await debug(page)).liquidColor).not.toBe(lactate.liquidColor);
    await shot(page, "reactor-2l-ph.png");
    expect(await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.fieldEvents)).toEqual(["lactate"]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a 2,000 L single-use tank at true size next to a 1.75 m figure", async () => {
    const { page, errors } = await open("?vessel=2000l&t=240");
    await freeze(page);
    const stats = await canvasStats(page);
    expect(stats.variance).toBeGreaterThan(50);
    const state = await debug(page);
    const { volume, vessel } = await page.evaluate(() => {
      const h = (window as unknown as { reactorHarness: Harness }).reactorHarness;
      const v = h.run.column("volume");
      return { volume: v[v.length - 1], vessel: h.vessels["2000l"] };
    });
    expect(volume).toBeGreaterThan(1500);
    expect(state.liquidHeightM).toBeCloseTo(liquidHeightM(vessel, volume), 6);
    expect(state.visibleBubbles).toBeGreaterThan(0);
    // The big tank turns slower on screen than the bench vessel at its own speed.
    expect(state.impellerShownRevPerS).toBeLessThan(2);
    const caption = await page.locator("bt-reactor-view .caption").textContent();
    expect(caption).toContain("figure 1.75 m tall");
    expect(caption).toContain("T 1.25 m × H 2.5 m");
    await shot(page, "reactor-2000l.png");
    const steel = await open("?vessel=200l&t=200");
    await freeze(steel.page);
    await shot(steel.page, "reactor-200l-steel.png");
    expect(steel.errors).toEqual([]);
    await steel.page.context().close();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("hovering and clicking a probe shows its live read-out", async () => {
    const { page, errors } = await open("?vessel=2l&t=240");
    await freeze(page);
    const canvas = page.locator("bt-reactor-view canvas");
    const box = (await canvas.boundingBox())!;
    for (const [id, label, unit] of [
      ["ph", "pH probe", "pH"],
      ["do", "DO probe", "% air sat."],
    ] as const) {
      const at = await page.evaluate((probe) => (window as unknown as { reactorHarness: Harness }).reactorHarness.view!.debugProbeScreenPx(probe), id);
      expect(at).not.toBeNull();
      await page.mouse.move(box.x + at![0], box.y + at![1]);
      const tooltip = page.locator("bt-reactor-view .tooltip");
      await expect.poll(() => tooltip.isVisible()).toBe(true);
      const text = await tooltip.textContent();
      expect(text).toMatch(new RegExp(`^${label}: \\d+\\.\\d+ ${unit.replace(".", "\\.")}$`));
      if (id === "ph") await shot(page, "reactor-2l-probe.png");
    }
    // A click pins the read-out; moving away keeps it; Escape on the canvas clears it.
    const ph = (await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.view!.debugProbeScreenPx("ph")))!;
    await page.mouse.click(box.x + ph[0], box.y + ph[1]);
    await page.mouse.move(box.x + 5, box.y + box.height - 5);
    expect(await page.locator("bt-reactor-view .tooltip").textContent()).toMatch(/^pH probe: /);
    await canvas.focus();
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("bt-reactor-view .tooltip").isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("zones: one slab per zone at its share of the volume, coloured by its own value; hover and the Z key read a zone out", async () => {
    const ZONES = 8;
    const { page, errors } = await open(`?vessel=2000l&t=240&zones=${ZONES}`);
    await freeze(page);
    const state = await debug(page);
    const { volume, vessel, fractions } = await page.evaluate((n) => {
      const h = (window as unknown as { reactorHarness: Harness }).reactorHarness;
      const v = h.run.column("volume");
      return { volume: v[v.length - 1], vessel: h.vessels["2000l"], fractions: h.zoneFractions(n) };
    }, ZONES);
    expect(state.zoneSlabs).toBe(ZONES);
    // Slabs from the surface to the bottom, each holding its zone's share of the current volume.
    expect(state.zoneBoundsM).toHaveLength(ZONES + 1);
    expect(state.zoneBoundsM[0]).toBeCloseTo(state.liquidHeightM, 9);
    expect(state.zoneBoundsM[ZONES]).toBe(0);
    let below = 1;
    for (let z = 0; z < ZONES; z++) {
      expect(state.zoneBoundsM[z + 1], `zone ${z}`).toBeLessThan(state.zoneBoundsM[z]);
      below -= fractions[z];
      expect(volumeBelowL(vessel, state.zoneBoundsM[z + 1]) / volume, `below zone ${z}`).toBeCloseTo(Math.max(0, below), 6);
    }
    // DO rises with depth in the harness's run: every slab its own colour, on the DO scale.
    expect(new Set(state.zoneColors).size).toBe(ZONES);
    const legendValue = await page.locator("bt-reactor-view .legend-value").textContent();
    expect(legendValue).toMatch(new RegExp(`^${ZONES} zones: \\d+\\.\\d–\\d+\\.\\d % air sat\\.$`));
    await shot(page, "reactor-zones-2000l.png");

    // Hovering a zone shows its state with units, its index and its depth.
    const canvas = page.locator("bt-reactor-view canvas");
    const box = (await canvas.boundingBox())!;
    const tooltip = page.locator("bt-reactor-view .tooltip");
    const at = (await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.view!.debugZoneScreenPx(2)))!;
    await page.mouse.move(box.x + at[0], box.y + at[1]);
    await expect.poll(() => tooltip.getAttribute("data-zone")).toBe("2");
    const text = (await tooltip.textContent())!;
    expect(text).toContain(`Zone 2 of ${ZONES}`);
    expect(text).toMatch(/\d+(\.\d+)? cm to \d+(\.\d+)? cm below the surface/);
    expect(text).toMatch(/DO \d+\.\d % air sat\./);
    expect(text).toMatch(/pH \d\.\d\d/);
    expect(text).toMatch(/pCO₂ \d+ mmHg/);
    expect(text).toMatch(/Glucose \d+\.\d mM/);
    expect(text).toMatch(/Lactate \d+\.\d mM/);
    const zone2Do = await page.evaluate(() => {
      const r = (window as unknown as { reactorHarness: Harness }).reactorHarness.run;
      return r.column("zone_2_do_saturation")[r.length - 1];
    });
    expect(text).toContain(`DO ${zone2Do.toFixed(1)} % air sat.`);
    await freeze(page);
    await shot(page, "reactor-zones-hover.png");
    // Off the liquid: no read-out.
    await page.mouse.move(box.x + 4, box.y + 4);
    await expect.poll(() => tooltip.isVisible()).toBe(false);

    // The keyboard steps through the zones from the top; Shift+Z goes back; past the top, off.
    await canvas.focus();
    await page.keyboard.press("z");
    await expect.poll(() => tooltip.getAttribute("data-zone")).toBe("0");
    expect(await tooltip.textContent()).toContain(`Zone 0 of ${ZONES} (top)`);
    await page.keyboard.press("z");
    await expect.poll(() => tooltip.getAttribute("data-zone")).toBe("1");
    await page.keyboard.press("Shift+Z");
    await page.keyboard.press("Shift+Z");
    await expect.poll(() => tooltip.isVisible()).toBe(false);
    await page.keyboard.press("Shift+Z");
    await expect.poll(() => tooltip.textContent()).toContain(`Zone ${ZONES - 1} of ${ZONES} (bottom)`);
    await page.keyboard.press("Escape");
    await expect.poll(() => tooltip.isVisible()).toBe(false);

    // Another field recolours the slabs from that field's zone values (pCO2 rises with depth).
    await page.locator("bt-reactor-view select").selectOption("pco2");
    await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.view!.updateComplete);
    await freeze(page);
    const pco2 = await debug(page);
    expect(new Set(pco2.zoneColors).size).toBe(ZONES);
    expect(pco2.zoneColors).not.toEqual(state.zoneColors);
    await shot(page, "reactor-zones-pco2.png");
    // Equal values give equal colours; null goes back to the well-mixed liquid.
    await page.evaluate((n) => {
      const view = (window as unknown as { reactorHarness: Harness }).reactorHarness.view!;
      view.zones = { count: n, values: new Float64Array(n).fill(20) };
      return view.updateComplete;
    }, ZONES);
    await freeze(page);
    expect(new Set((await debug(page)).zoneColors).size).toBe(1);
    await page.evaluate(() => {
      const view = (window as unknown as { reactorHarness: Harness }).reactorHarness.view!;
      view.zones = null;
      return view.updateComplete;
    });
    await freeze(page);
    const mixed = await debug(page);
    expect(mixed.zoneSlabs).toBe(0);
    expect(mixed.zoneColors).toEqual([]);
    expect(await page.locator("bt-reactor-view .legend-value").textContent()).toMatch(/^now \d+ mmHg$/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the keyboard turns, zooms and resets the view and pauses the animation", async () => {
    const { page, errors } = await open("?vessel=2l&t=240");
    const start = await debug(page);
    await page.locator("bt-reactor-view canvas").focus();
    await page.keyboard.press("-");
    await page.keyboard.press("ArrowLeft");
    const moved = await debug(page);
    expect(moved.cameraDistanceM).toBeGreaterThan(start.cameraDistanceM * 1.1);
    await page.keyboard.press("0");
    expect((await debug(page)).cameraDistanceM).toBeCloseTo(start.cameraDistanceM, 6);
    // Pause: animation time stops while frames go on; the button says so.
    await page.keyboard.press("p");
    const pause = page.locator("bt-reactor-view button.pause");
    await expect.poll(() => pause.getAttribute("aria-pressed")).toBe("true");
    const t0 = (await debug(page)).animationTimeS;
    await page.waitForTimeout(300);
    expect((await debug(page)).animationTimeS).toBe(t0);
    await pause.click();
    await expect.poll(() => pause.getAttribute("aria-pressed")).toBe("false");
    await page.waitForTimeout(300);
    expect((await debug(page)).animationTimeS).toBeGreaterThan(t0);
    // The reset button is reachable by Tab from the field picker.
    await page.locator("bt-reactor-view select").focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.view!.shadowRoot!.activeElement?.className)).toBe("reset");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("without WebGL the view shows its message and nothing throws", async () => {
    const { page, errors } = await open("?vessel=2l&t=240", () => {
      const original = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
        if (type === "webgl" || type === "webgl2" || type === "experimental-webgl") return null;
        return (original as (this: HTMLCanvasElement, t: string, ...r: unknown[]) => RenderingContext | null).call(this, type, ...rest);
      } as typeof HTMLCanvasElement.prototype.getContext;
    });
    const ready = await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.ready);
    expect(ready).toBe(false);
    const fallback = page.locator("bt-reactor-view .fallback");
    await expect.poll(() => fallback.isVisible()).toBe(true);
    expect(await fallback.textContent()).toContain("needs WebGL 2");
    expect(await fallback.textContent()).toContain("charts and read-outs keep working");
    expect(await page.locator("bt-reactor-view canvas").count()).toBe(0);
    expect(await page.locator("bt-reactor-view .legend").isVisible()).toBe(false);
    // Controls that only make sense for the 3D scene are gone; the field picker stays (it is the app's choice too).
    expect(await page.locator("bt-reactor-view button.reset").isVisible()).toBe(false);
    expect(await page.locator("bt-reactor-view select").isVisible()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { reactorHarness: Harness }).reactorHarness.view!.renderFrame(0))).toBe(false);
    // three.js was never loaded.
    const scripts = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.endsWith(".js")));
    expect(scripts.some((s) => /reactor-scene/.test(s))).toBe(false);
    await shot(page, "reactor-no-webgl.png");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("mounting and unmounting the view 20 times grows neither WebGL contexts nor the JS heap", async () => {
    const { page, errors } = await open("?vessel=2l&t=240", CONTEXT_COUNTER);
    const cdp = await page.context().newCDPSession(page);
    /** V8 heap, Blink's heap and array buffer storage (cell and bubble buffers live there), bytes. */
    const heap = async () => {
      for (let i = 0; i < 3; i++) await cdp.send("HeapProfiler.collectGarbage");
      const usage = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number; embedderHeapUsedSize?: number; backingStorageSize?: number };
      return { js: usage.usedSize, blink: usage.embedderHeapUsedSize ?? 0, buffers: usage.backingStorageSize ?? 0 };
    };
    const cycle = (n: number) =>
      page.evaluate(async (count) => {
        const h = (window as unknown as { reactorHarness: Harness }).reactorHarness;
        for (let i = 0; i < count; i++) {
          h.unmount();
          await h.mount();
          // A few frames drawn before it goes.
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        }
        h.unmount();
        await new Promise((r) => setTimeout(r, 50));
      }, n);
    // Warm-up: the heap settles over the first mounts (optimised code and its feedback, Lit's
    // template cache, three.js's module-level caches): +570 kB over the first 20, then +85, +44, +21 kB.
    await cycle(20);
    const heapBefore = await heap();
    const before = await page.evaluate(() => (window as unknown as { webglContexts: { created: number; lost: number } }).webglContexts);
    await cycle(20);
    const heapAfter = await heap();
    const contexts = () => page.evaluate(() => (window as unknown as { webglContexts: { created: number; lost: number } }).webglContexts);
    // Every context made was given back (isContextLost), checked after the cycles settle.
    await expect.poll(async () => { const c = await contexts(); return c.created - c.lost; }, { timeout: 10_000 }).toBe(0);
    const after = await contexts();
    const mb = (h: { js: number; blink: number; buffers: number }) =>
      `JS ${(h.js / 1e6).toFixed(3)} MB, Blink ${(h.blink / 1e6).toFixed(3)} MB, buffers ${(h.buffers / 1e6).toFixed(3)} MB`;
    console.log(
      `contexts: ${before.created} created / ${before.lost} lost before, ${after.created} / ${after.lost} after 20 cycles; heap before: ${mb(heapBefore)}; after: ${mb(heapAfter)}`,
    );
    // One context a mount (two where the renderer is software: the multisampled probe is given back at once).
    expect(after.created - before.created).toBeGreaterThanOrEqual(20);
    expect(after.created - before.created).toBeLessThanOrEqual(40);
    // Every context made was given back: none live with no view on the page.
    expect(after.created - after.lost).toBe(0);
    // One leaked view holds at least its 320 kB of cell buffers and its three.js objects: 20 would be megabytes.
    const total = (h: { js: number; blink: number; buffers: number }) => h.js + h.blink + h.buffers;
    expect(total(heapAfter) - total(heapBefore)).toBeLessThan(400_000);
    expect(heapAfter.buffers - heapBefore.buffers).toBeLessThan(100_000);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 180_000);
});

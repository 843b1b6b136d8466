// Browser benchmarks of the 3D reactor view in headless Chromium with software WebGL
// (one JSON object per line, like benchmarks/browser.ts): frame time while a run streams
// into the view against the same view with the run paused, and frame time with 100,000
// drawn cells against 20,000. Frame time is the gap between animation frames (what the
// user sees); the view's own main-thread cost per frame is reported beside it.
// `node build/bench-reactor.mjs [ID-PREFIX...]`; builds the harness page itself.
import type { Browser } from "playwright-core";
import { launchChromium, serveHarness, SOFTWARE_WEBGL_ARGS } from "../tests/browser/chromium";

const filters = process.argv.slice(2);
const selected = (id: string) => filters.length === 0 || filters.some((f) => id.startsWith(f));
/** How long each case is measured, ms, after a warm-up. */
const MEASURE_MS = 3000;
const WARMUP_MS = 700;

function emit(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + "\n");
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

interface FrameStats {
  medianMs: number;
  p95Ms: number;
  frames: number;
  viewCostMedianMs: number;
  viewCostP95Ms: number;
  drawnCells: number;
}

interface HarnessWindow {
  reactorHarness: {
    ready: Promise<boolean>;
    view: { frameCostLog: number[] | null; debugState(): { drawnCells: number } | null };
    startStreaming(rowsPerTick?: number, tickMs?: number, fromH?: number, toH?: number): void;
    stopStreaming(): void;
  };
}

/** Opens the harness with `query`, optionally streams, and measures frame gaps and the view's cost per frame. */
async function measure(browser: Browser, url: string, query: string, streaming: boolean): Promise<FrameStats> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${url}${query}`);
  await page.waitForFunction(() => (window as unknown as HarnessWindow).reactorHarness?.ready != null, null, { timeout: 30_000 });
  const ok = await page.evaluate(() => (window as unknown as HarnessWindow).reactorHarness.ready);
  if (!ok) throw new Error("the reactor view has no WebGL in this Chromium");
  const result = await page.evaluate(
    async ({ streaming, warmupMs, measureMs }) => {
      const h = (window as unknown as HarnessWindow).reactorHarness;
      // One new row (1 h) every 16 ms over days 10 to 12, where the cloud stays full: each frame
      // sees a new run version (the worst case of a live run), with boluses and base additions.
      if (streaming) h.startStreaming(1, 16, 240, 288);
      await new Promise((r) => setTimeout(r, warmupMs));
      const gaps: number[] = [];
      const costs: number[] = [];
      h.view.frameCostLog = costs;
      await new Promise<void>((resolve) => {
        let last = -1;
        const end = performance.now() + measureMs;
        const frame = (t: number) => {
          if (last >= 0) gaps.push(t - last);
          last = t;
          if (performance.now() < end) requestAnimationFrame(frame);
          else resolve();
        };
        requestAnimationFrame(frame);
      });
      h.view.frameCostLog = null;
      h.stopStreaming();
      return { gaps, costs, drawnCells: h.view.debugState()?.drawnCells ?? 0 };
    },
    { streaming, warmupMs: WARMUP_MS, measureMs: MEASURE_MS },
  );
  await context.close();
  const round = (x: number) => Number(x.toFixed(2));
  return {
    medianMs: round(quantile(result.gaps, 0.5)),
    p95Ms: round(quantile(result.gaps, 0.95)),
    frames: result.gaps.length,
    viewCostMedianMs: round(quantile(result.costs, 0.5)),
    viewCostP95Ms: round(quantile(result.costs, 0.95)),
    drawnCells: result.drawnCells,
  };
}

const { server, url } = await serveHarness("reactor");
const browser = await launchChromium(SOFTWARE_WEBGL_ARGS);
try {
  const renderer = await (async () => {
    const page = await browser.newPage();
    const name = await page.evaluate(() => {
      const gl = document.createElement("canvas").getContext("webgl2");
      const info = gl?.getExtension("WEBGL_debug_renderer_info");
      return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : gl ? "webgl2" : "none";
    });
    await page.close();
    return name;
  })();
  if (selected("reactor/frame-streaming")) {
    const query = "?vessel=2l&t=240&cells=20000";
    const paused = await measure(browser, url, query, false);
    const streaming = await measure(browser, url, query, true);
    emit({
      benchmark: "reactor/frame-streaming",
      value: streaming.medianMs,
      unit: "ms",
      p95: streaming.p95Ms,
      frames: streaming.frames,
      viewCostMedianMs: streaming.viewCostMedianMs,
      viewCostP95Ms: streaming.viewCostP95Ms,
      baseline: paused.medianMs,
      baselineP95: paused.p95Ms,
      baselineViewCostMedianMs: paused.viewCostMedianMs,
      baselineViewCostP95Ms: paused.viewCostP95Ms,
      baselineIs: "the same 2 L view (20,000 cells) with the run paused, animation running",
      ratio: Number((streaming.medianMs / paused.medianMs).toFixed(3)),
      viewCostRatio: Number((streaming.viewCostMedianMs / Math.max(1e-3, paused.viewCostMedianMs)).toFixed(3)),
      target: 1.2,
      targetIs: "ratio of median frame times",
      renderer,
    });
  }
  if (selected("reactor/frame-100k-cells")) {
    // Day 11: the cell density fills the cloud, so every allowed cell is drawn.
    const base = await measure(browser, url, "?vessel=2l&t=264&cells=20000", false);
    const big = await measure(browser, url, "?vessel=2l&t=264&cells=100000", false);
    emit({
      benchmark: "reactor/frame-100k-cells",
      value: big.medianMs,
      unit: "ms",
      p95: big.p95Ms,
      frames: big.frames,
      drawnCells: big.drawnCells,
      viewCostMedianMs: big.viewCostMedianMs,
      viewCostP95Ms: big.viewCostP95Ms,
      baseline: base.medianMs,
      baselineP95: base.p95Ms,
      baselineDrawnCells: base.drawnCells,
      baselineViewCostMedianMs: base.viewCostMedianMs,
      baselineIs: "the same view with 20,000 drawn cells",
      ratio: Number((big.medianMs / base.medianMs).toFixed(3)),
      renderer,
    });
  }
} finally {
  await browser.close();
  await server.close();
}

// Browser benchmarks of the app in headless Chromium (one JSON object per line, like
// benchmarks/run.ts): time from navigation to the first chart with data, the longest
// main-thread task while a run streams, the JavaScript the page loads first, and the
// runs per second of a study on 1 and on N Web Workers.
// Each figure carries its target and a baseline measured in the same run.
// `node build/bench-browser.mjs [ID-PREFIX...]`; needs npm run build (dist/).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { launchChromium, serveApp } from "../tests/browser/chromium";

const filters = process.argv.slice(2);
const selected = (id: string) => filters.length === 0 || filters.some((f) => id.startsWith(f));

function emit(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + "\n");
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** In the page: records when a chart first draws a line with data, and every frame gap. */
const PROBE = `
(() => {
  const w = window;
  w.__bench = { firstChartMs: null, gaps: [], longTasks: [] };
  const hasData = () => {
    const app = document.querySelector("bt-app");
    const charts = app?.shadowRoot?.querySelector("bt-chart-panel")?.shadowRoot?.querySelectorAll("bt-chart") ?? [];
    for (const c of charts) for (const p of c.shadowRoot?.querySelectorAll("path") ?? []) if ((p.getAttribute("d") ?? "").split("L").length > 2) return true;
    return false;
  };
  let last = null;
  const frame = (t) => {
    if (last !== null) w.__bench.gaps.push(t - last);
    last = t;
    if (w.__bench.firstChartMs === null && hasData()) w.__bench.firstChartMs = performance.now();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__bench.longTasks.push(e.duration); }).observe({ type: "longtask", buffered: true });
  } catch {}
})();
`;

async function firstChart(browser: Browser, url: string): Promise<void> {
  const times: number[] = [];
  const paints: number[] = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.addInitScript(PROBE);
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __bench: { firstChartMs: number | null } }).__bench.firstChartMs !== null, null, { timeout: 30_000 });
    const { first, fcp } = await page.evaluate(() => ({
      first: (window as unknown as { __bench: { firstChartMs: number } }).__bench.firstChartMs,
      fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
    }));
    times.push(first);
    paints.push(fcp);
    await context.close();
  }
  const value = median(times);
  const baseline = median(paints);
  emit({
    benchmark: "browser/first-chart",
    value: Number(value.toFixed(1)),
    unit: "ms",
    target: 1500,
    baseline: Number(baseline.toFixed(1)),
    baselineIs: "first contentful paint of the same navigations",
    ratio: Number((value / baseline).toFixed(2)),
    runs: times.map((t) => Number(t.toFixed(1))),
  });
}

/** Durations in ms of every task the page's main thread ran while the trace was on, from Chromium's trace. */
function mainThreadTasksMs(trace: Buffer): number[] {
  const events = (JSON.parse(trace.toString("utf8")) as { traceEvents: { name: string; ph: string; pid: number; tid: number; dur?: number; args?: { name?: string } }[] }).traceEvents;
  const main = events.find((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
  if (!main) return [];
  return events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.name === "RunTask" && e.dur !== undefined).map((e) => e.dur! / 1000);
}

async function longestTask(browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __bench: { firstChartMs: number | null } }).__bench.firstChartMs !== null);
  type Model = { setSpeed(v: number): void; reset(o: { play: boolean }): Promise<void>; pause(): void; timeH: number };
  const model = "(document.querySelector('bt-app')).model";
  const traced = async (ms: number) => {
    await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] });
    await page.waitForTimeout(ms);
    return mainThreadTasksMs(await browser.stopTracing());
  };
  // Streaming: the default scenario from t = 0 at 72 simulated h/s, 4 s of it (most of the 14 days).
  await page.evaluate(`${model}.setSpeed(72); ${model}.reset({ play: true })`);
  const streaming = await traced(4000);
  const reached = await page.evaluate(() => (document.querySelector("bt-app") as unknown as { model: Model }).model.timeH);
  await page.evaluate(`${model}.pause()`);
  const idle = await traced(2000);
  const longest = (xs: number[]) => Number(Math.max(0, ...xs).toFixed(1));
  emit({
    benchmark: "browser/longest-task",
    value: longest(streaming),
    unit: "ms",
    target: 50,
    tasks: streaming.length,
    over16Ms: streaming.filter((d) => d > 16).length,
    simulatedHoursReached: Number(reached.toFixed(1)),
    baseline: longest(idle),
    baselineIs: "the longest task of the same page while paused",
    note: "main-thread RunTask durations from Chromium's trace",
  });
  await context.close();
}

async function initialJs(browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = new Map<string, { bytes: number; gzip: number; worker: boolean }>();
  const record = (u: string, worker: boolean) => {
    const path = new URL(u).pathname;
    if (!path.endsWith(".js") || scripts.has(path)) return;
    const body = readFileSync(`dist${path}`);
    scripts.set(path, { bytes: body.length, gzip: gzipSync(body, { level: 9 }).length, worker });
  };
  page.on("request", (r) => record(r.url(), new URL(r.url()).pathname.includes("worker")));
  page.on("worker", (w) => record(w.url(), true));
  await page.addInitScript(PROBE);
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __bench: { firstChartMs: number | null } }).__bench.firstChartMs !== null);
  const main = [...scripts.values()].filter((s) => !s.worker);
  const worker = [...scripts.values()].filter((s) => s.worker);
  const kB = (n: number) => Number((n / 1000).toFixed(1));
  emit({
    benchmark: "browser/initial-js",
    value: kB(main.reduce((n, s) => n + s.gzip, 0)),
    unit: "kB gzip",
    target: 350,
    raw: kB(main.reduce((n, s) => n + s.bytes, 0)),
    workerGzip: kB(worker.reduce((n, s) => n + s.gzip, 0)),
    baseline: kB([...scripts.values()].reduce((n, s) => n + s.gzip, 0)),
    baselineIs: "all JavaScript loaded before the first chart, page and worker",
    files: [...scripts.keys()],
  });
  await context.close();
}

/** Runs of the study of browser/study-runs-per-second. */
const STUDY_RUNS = 5000;

/** A page on the Study tab, as a user runs a study (the live run of the default scenario finished first). */
async function studyPage(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator("bt-app [data-testid=scenario-title]").waitFor();
  // The page plays the default scenario live on open: let it finish, so it takes no CPU from the study.
  await page.waitForFunction(() => {
    const phase = (document.querySelector("bt-app") as unknown as { model: { phase: string } }).model.phase;
    return phase === "ended" || phase === "harvested";
  }, null, { timeout: 120_000 });
  await page.evaluate(() => (document.querySelector("bt-app") as unknown as { model: { pause(): void } }).model.pause());
  // From the Study tab: the Run view's 3D reactor, which animates, is then not on the page.
  await page.locator("bt-app [role=tab][data-view=study]").click();
  await page.locator("bt-study-view").waitFor();
  const cores = await page.evaluate(() => navigator.hardwareConcurrency || 2);
  /** Runs `draft` on `workers` workers in the Study view; its wall time (s, start-up included) and runs done. */
  const study = (draft: unknown, workers: number) =>
    page.evaluate(
      async ({ draft, workers }) => {
        const app = document.querySelector("bt-app") as unknown as {
          model: { scenarioDoc: unknown };
          study: { setDraft(d: unknown): void; setWorkers(n: number): void; start(doc: unknown): Promise<void>; status: string; progress: { done: number; elapsedS: number } };
        };
        const m = app.study;
        m.setDraft(draft);
        m.setWorkers(workers);
        await m.start(app.model.scenarioDoc);
        if (m.status !== "complete") throw new Error(`the study ended ${m.status}`);
        return { seconds: m.progress.elapsedS, runs: m.progress.done };
      },
      { draft, workers },
    );
  return { context, cores, study };
}

/**
 * Runs per second of a study in the page's Web Worker pool, on 1 worker and on as many as
 * the machine has cores (target: N workers ≥ 0.85·N times 1 worker). The study is a
 * 5,000-point sweep of the cell line's μmax in the 14-day CHO fed-batch (no two runs share
 * a beginning); the rate is runs over the study's wall time, worker start-up included;
 * the fastest of 3 alternating studies each. 5,000 runs as for the command line
 * (benchmarks/run.ts): the workers' start-up (about 0.1 s to the first record) is then a
 * few per cent of a study, as in real use, not a large share.
 */
async function studyRate(browser: Browser, url: string): Promise<void> {
  const { context, cores, study } = await studyPage(browser, url);
  const draft = (runs: number) => ({ kind: "sweep", parameters: [{ path: "cells.parameters.muMaxPerH", from: 0.03, to: 0.045, points: runs }], outputs: ["finalTiter", "peakViableDensity", "ivc"] });
  const rate = async (workers: number, runs = STUDY_RUNS) => {
    const r = await study(draft(runs), workers);
    return r.runs / r.seconds;
  };
  await rate(1, 500); // warm-up: worker scripts and the core in the HTTP cache
  // Alternating, 3 times each, the fastest of each counting (as benchmarks/run.ts does for
  // the command line): on a shared machine the fastest is the one least slowed by others.
  let one = 0;
  let many = 0;
  for (let repeat = 0; repeat < 3; repeat++) {
    one = Math.max(one, await rate(1));
    many = Math.max(many, await rate(cores));
  }
  emit({
    benchmark: "browser/study-runs-per-second",
    value: Number(many.toFixed(1)),
    unit: "runs/s",
    workers: cores,
    baseline: Number(one.toFixed(1)),
    baselineIs: "the same study on 1 worker, same page (fastest of 3 each, alternating)",
    ratio: Number((many / one).toFixed(2)),
    target: `ratio >= ${(0.85 * cores).toFixed(2)} (0.85 x ${cores} workers)`,
    runs: STUDY_RUNS,
    scenario: "scenarios/cho-fed-batch.json (default scenario)",
  });
  await context.close();
}

/**
 * The issue's 10,000-run sweep (bolus feed 2–5 % × shift day 72–168 h, 100 × 100, final
 * titer and peak density) in the Study view on as many workers as the machine has cores,
 * with the heatmap redrawing as runs arrive: wall time, start-up included (target: < 10 s
 * on this 2-core machine). Best of 2. The command line's time is study/sweep-10000
 * (benchmarks/run.ts); the same core runs about a quarter faster in Chromium's V8 than in
 * Node 20's.
 */
async function studySweep(browser: Browser, url: string): Promise<void> {
  const { context, cores, study } = await studyPage(browser, url);
  const draft = {
    kind: "sweep",
    parameters: [
      { path: "process.bolusSchedules.0.percentOfInitialVolume", from: 2, to: 5, points: 100 },
      { path: "control.temperature.schedule.0.timeH", from: 72, to: 168, points: 100 },
    ],
    outputs: ["finalTiter", "peakViableDensity"],
  };
  await study({ ...draft, parameters: [draft.parameters[0], { ...draft.parameters[1], points: 5 }] }, cores); // warm-up
  let best = Infinity;
  for (let repeat = 0; repeat < 2; repeat++) best = Math.min(best, (await study(draft, cores)).seconds);
  emit({
    benchmark: "browser/study-sweep-10000",
    value: Number(best.toFixed(2)),
    unit: "s",
    workers: cores,
    runs: 10_000,
    scenario: "scenarios/cho-fed-batch.json (default scenario)",
    target: "< 10 s on this 2-core machine",
  });
  await context.close();
}

const { server, url } = await serveApp();
const browser = await launchChromium();
try {
  if (selected("browser/first-chart")) await firstChart(browser, url);
  if (selected("browser/longest-task")) await longestTask(browser, url);
  if (selected("browser/initial-js")) await initialJs(browser, url);
  if (selected("browser/study-runs-per-second")) await studyRate(browser, url);
  if (selected("browser/study-sweep-10000")) await studySweep(browser, url);
} finally {
  await browser.close();
  await server.close();
}

// The browser app end to end, in headless Chromium on the built dist/: loads with
// no console error and fills its charts, opens files (valid and not), shares links,
// autosaves, shows untrusted text as text, opens the zoned 2,000 L scenario with its
// zone chart and zone slabs in 3D and its cell lifelines (histogram panel, cells coloured
// from the lifeline distribution), and survives a stuck worker.
// Screenshots go to build/artifacts/.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { openApp as openAppAt, useBuiltApp } from "./app-fixture";
import { collectErrors, launchChromium, SOFTWARE_WEBGL_ARGS } from "./chromium";

const app = useBuiltApp();
const openApp = (url?: string) => openAppAt(app, url);

/** The app model's state, read in the page. */
function appState(page: Page) {
  return page.evaluate(() => {
    const app = document.querySelector("bt-app") as unknown as {
      model: { scenarioDoc: unknown; phase: string; timeH: number; kpis: { id: string; value: number }[]; notices: { level: string; text: string }[]; run: { length: number } | null };
    };
    const m = app.model;
    return {
      doc: m.scenarioDoc,
      phase: m.phase,
      timeH: m.timeH,
      rows: m.run?.length ?? 0,
      kpis: Object.fromEntries(m.kpis.map((k) => [k.id, k.value])),
      notices: m.notices.map((n) => `${n.level}: ${n.text}`),
    };
  });
}

async function runToEnd(page: Page) {
  await page.locator("bt-app [data-command=run-whole]").click();
  await page.waitForFunction(() => {
    const m = (document.querySelector("bt-app") as unknown as { model: { phase: string } }).model;
    return m.phase === "ended" || m.phase === "harvested" || m.phase === "failed";
  });
}

const choFedBatch = JSON.parse(readFileSync("scenarios/cho-fed-batch.json", "utf8"));

describe("the app in Chromium", () => {
  test("loads with no console error, plays the default CHO fed-batch and fills every chart with data", async () => {
    const { page, errors } = await openApp();
    expect(await page.locator("bt-app [data-testid=scenario-title]").textContent()).toBe(choFedBatch.metadata.title);
    await page.waitForFunction(() => (document.querySelector("bt-app") as unknown as { model: { timeH: number } }).model.timeH > 48);
    const charts = page.locator("bt-app bt-chart");
    expect(await charts.count()).toBeGreaterThanOrEqual(6);
    // Every chart draws at least one series line with many points.
    const pointsPerChart = await charts.evaluateAll((els) =>
      els.map((el) => Math.max(0, ...[...(el.shadowRoot?.querySelectorAll("path") ?? [])].map((p) => (p.getAttribute("d") ?? "").split(/[LM]/).length))),
    );
    for (const points of pointsPerChart) expect(points).toBeGreaterThan(20);
    const state = await appState(page);
    expect(state.phase).toMatch(/running|ended|harvested/);
    expect(state.kpis.peakDensity).toBeGreaterThan(0.5);
    await page.screenshot({ path: "build/artifacts/app-default-run.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a file that fails validation opens nothing: the problem list names each path and the scenario is kept", async () => {
    const { page, errors } = await openApp();
    const before = await appState(page);
    const bad = structuredClone(choFedBatch);
    bad.initial.volumeL = -1;
    bad.cells.parameters.muMaxPerH = "fast";
    await page.locator("bt-app #file-input").setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(bad)) });
    const list = page.locator("bt-app [data-testid=open-problems]");
    await list.waitFor();
    const text = await list.textContent();
    expect(text).toContain("initial.volumeL");
    expect(text).toContain("cells.parameters.muMaxPerH");
    expect(await page.locator("bt-app bt-problem-list h2").textContent()).toContain("broken.json");
    const after = await appState(page);
    expect(after.doc).toEqual(before.doc);
    await page.screenshot({ path: "build/artifacts/app-invalid-file.png" });
    // A file that is not JSON at all says where it breaks.
    await page.locator("bt-app #file-input").setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"format": "biotwin-scenario",\n  oops') });
    await page.waitForFunction(() => document.querySelector("bt-app")?.shadowRoot?.querySelector("bt-problem-list")?.shadowRoot?.textContent?.includes("notes.json"));
    expect(await list.textContent()).toMatch(/not valid JSON.*line 2/);
    expect((await appState(page)).doc).toEqual(before.doc);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a scenario titled <img src=x onerror=alert(1)> shows that text literally and runs no script", async () => {
    const { page, errors } = await openApp();
    let dialogs = 0;
    page.on("dialog", async (d) => {
      dialogs++;
      await d.dismiss();
    });
    const evil = structuredClone(choFedBatch);
    const title = "<img src=x onerror=alert(1)>";
    evil.metadata.title = title;
    evil.metadata.description = '<script>alert("desc")</script><b>bold?</b>';
    await page.locator("bt-app #file-input").setInputFiles({ name: "evil.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(evil)) });
    await page.waitForFunction((t) => document.querySelector("bt-app")?.shadowRoot?.querySelector("[data-testid=scenario-title]")?.textContent === t, title);
    const imgs = await page.evaluate(() => {
      const count = (root: Document | ShadowRoot): number =>
        root.querySelectorAll("img, script:not([type=module])").length +
        [...root.querySelectorAll("*")].reduce((n, el) => n + (el.shadowRoot ? count(el.shadowRoot) : 0), 0);
      return count(document);
    });
    expect(imgs).toBe(0);
    expect(await page.title()).toContain(title);
    await page.waitForTimeout(300);
    expect(dialogs).toBe(0);
    await page.screenshot({ path: "build/artifacts/app-untrusted-title.png" });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a share link opens the same scenario in a new page", async () => {
    const { page, errors } = await openApp();
    const edited = structuredClone(choFedBatch);
    edited.metadata.title = "Shared: fed-batch with 4 % feed";
    edited.process.bolusSchedules[0].percentOfInitialVolume = 4;
    await page.locator("bt-app #file-input").setInputFiles({ name: "shared.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(edited)) });
    await page.waitForFunction(() => document.querySelector("bt-app")?.shadowRoot?.querySelector("[data-testid=scenario-title]")?.textContent?.startsWith("Shared:"));
    await page.locator("bt-app [data-action=share]").click();
    const link = await page.locator("bt-app #share-url").inputValue();
    expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/);
    const second = await openApp(link);
    const state = await appState(second.page);
    expect(state.doc).toEqual(edited);
    expect(await second.page.locator("bt-app [data-testid=scenario-title]").textContent()).toBe(edited.metadata.title);
    expect(second.errors).toEqual([]);
    // A damaged link says so and opens the default scenario instead.
    const damaged = await openApp(`${app.url}#s=${"A".repeat(40)}`);
    await damaged.page.locator("bt-app [data-testid=open-problems]").waitFor();
    expect(await damaged.page.locator("bt-app [data-testid=open-problems]").textContent()).toMatch(/damaged|cut short/);
    expect(errors).toEqual([]);
    for (const p of [page, second.page, damaged.page]) await p.context().close();
  });

  test("editing the seeding density in the form and re-running raises the integral of viable cells", async () => {
    const { page, errors } = await openApp();
    await runToEnd(page);
    const before = (await appState(page)).kpis;
    await page.locator("bt-app [data-tab=editor]").click();
    const seed = page.locator('bt-app bt-field[data-path="initial.viableCellsE6PerMl"] input');
    expect(await seed.inputValue()).toBe("0.5");
    await seed.fill("1");
    await seed.press("Tab");
    await page.locator("bt-app bt-run-controls .stale").waitFor();
    await runToEnd(page);
    const after = await appState(page);
    expect((after.doc as typeof choFedBatch).initial.viableCellsE6PerMl).toBe(1);
    // Twice the cells at the start: more cell-days over the run, and they peak no later.
    expect(after.kpis.ivc).toBeGreaterThan(before.ivc * 1.05);
    expect(after.kpis.peakDensity).toBeGreaterThan(before.peakDensity * 0.95);
    await page.screenshot({ path: "build/artifacts/app-edited.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a reload restores the autosaved scenario, edits included", async () => {
    const { page, errors } = await openApp();
    await page.locator("bt-app [data-tab=editor]").click();
    const title = page.locator('bt-app bt-field[data-path="metadata.title"] input');
    await title.fill("My edited fed-batch");
    await title.press("Tab");
    const volume = page.locator('bt-app bt-field[data-path="initial.volumeL"] input');
    await volume.fill("1.6");
    await volume.press("Tab");
    await page.waitForFunction(() => document.querySelector("bt-app")?.shadowRoot?.querySelector("[data-testid=scenario-title]")?.textContent === "My edited fed-batch");
    await page.reload();
    await page.locator("bt-app [data-testid=scenario-title]").waitFor();
    expect(await page.locator("bt-app [data-testid=scenario-title]").textContent()).toBe("My edited fed-batch");
    const doc = (await appState(page)).doc as typeof choFedBatch;
    expect(doc.initial.volumeL).toBe(1.6);
    expect(await page.locator("bt-app bt-status-line").textContent()).not.toContain("error");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a knob turned during the run is recorded and exported with the result (JSON), and CSV has units in its header", async () => {
    const { page, errors } = await openApp();
    await page.waitForFunction(() => (document.querySelector("bt-app") as unknown as { model: { timeH: number } }).model.timeH > 30);
    await page.locator("bt-app [data-command=pause]").click();
    const knob = page.locator("bt-app [data-knob=doSetpoint]");
    await knob.fill("55");
    await knob.press("Enter");
    await page.locator("bt-app [data-testid=actions] li").waitFor();
    expect(await page.locator("bt-app [data-testid=actions]").textContent()).toMatch(/DO setpoint 40 → 55 % air sat\./);
    await page.locator("bt-app [data-command=play]").click();
    await page.waitForFunction(() => (document.querySelector("bt-app") as unknown as { model: { timeH: number } }).model.timeH > 60);
    await page.locator("bt-app [data-command=pause]").click();
    const [jsonDownload] = await Promise.all([page.waitForEvent("download"), page.locator("bt-app [data-action=export-json]").click()]);
    const result = JSON.parse(readFileSync(await jsonDownload.path(), "utf8"));
    expect(result.format).toBe("biotwin-result");
    expect(result.metadata.actions).toHaveLength(1);
    expect(result.metadata.actions[0]).toMatchObject({ knob: "doSetpoint", previous: 40, value: 55 });
    const time: number[] = result.columns.find((c: { name: string }) => c.name === "time").values;
    const setpoint: number[] = result.columns.find((c: { name: string }) => c.name === "do_setpoint").values;
    expect(setpoint[time.findIndex((t) => t >= 60)]).toBe(55);
    expect(result.balances.length).toBeGreaterThan(3);
    const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.locator("bt-app [data-action=export-csv]").click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync(await csvDownload.path(), "utf8").split("\n");
    expect(csv[0]).toMatch(/^time \[h\],viable_cells \[1e6 cells\/mL\],/);
    expect(csv.filter((l) => l.length > 0).length).toBe(time.length + 1);
    await page.screenshot({ path: "build/artifacts/app-knob-change.png" });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a scenario file dropped on the page opens and runs; Save writes the scenario back as JSON", async () => {
    const { page, errors } = await openApp();
    const perfusion = readFileSync("scenarios/cho-perfusion.json", "utf8");
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], "cho-perfusion.json", { type: "application/json" }));
      window.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, cancelable: true }));
      window.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, cancelable: true }));
    }, perfusion);
    const title = JSON.parse(perfusion).metadata.title;
    await page.waitForFunction((t) => document.querySelector("bt-app")?.shadowRoot?.querySelector("[data-testid=scenario-title]")?.textContent === t, title);
    await page.waitForFunction(() => (document.querySelector("bt-app") as unknown as { model: { timeH: number } }).model.timeH > 10);
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("bt-app [data-action=save]").click()]);
    expect(JSON.parse(readFileSync(await download.path(), "utf8"))).toEqual(JSON.parse(perfusion));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the Scale-up view plans the current scenario to 2,000 L, runs both and opens the scaled scenario in the app", async () => {
    const { page, errors } = await openApp();
    await page.locator("bt-app [data-view=scaleup]").click();
    await page.locator("bt-app [data-action=plan-and-run]").click();
    await page.locator("bt-app [data-testid=scaleup-table]").waitFor();
    await page.waitForFunction(() => (document.querySelector("bt-app") as unknown as { scaleUp: { target: unknown; busy: boolean } }).scaleUp.target !== null);
    await page.waitForFunction(() => !(document.querySelector("bt-app") as unknown as { scaleUp: { busy: boolean } }).scaleUp.busy);
    expect(await page.locator("bt-app [data-testid=scaleup-warnings]").textContent()).toMatch(/tip speed/);
    await page.screenshot({ path: "build/artifacts/app-scaleup.png", fullPage: true });
    await page.locator("bt-app bt-scaleup-view [data-action=open]").click();
    await page.waitForFunction(() => document.querySelector("bt-app")?.shadowRoot?.querySelector("[data-testid=scenario-title]")?.textContent?.includes("scaled to"));
    const doc = (await appState(page)).doc as { reactor: { vessel: { preset: string } }; initial: { volumeL: number } };
    expect(doc.reactor.vessel.preset).toBe("sub-2000l");
    expect(doc.initial.volumeL).toBeCloseTo(1200, 6);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the zoned 2,000 L scenario from the gallery: the zone chart follows DO and glucose over the zones, and the 3D view draws 20 zone slabs", async () => {
    // Software WebGL, so the 3D view draws (the other tests do not need it).
    const webglBrowser = await launchChromium(SOFTWARE_WEBGL_ARGS);
    try {
      const context = await webglBrowser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(app.url);
      await page.locator("bt-app [data-testid=scenario-title]").waitFor();
      const zoned = JSON.parse(readFileSync("scenarios/cho-fed-batch-2000l-zones.json", "utf8"));
      await page.locator('bt-app bt-scenario-gallery button[data-id="cho-fed-batch-2000l-zones"]').click();
      await page.waitForFunction((title) => document.querySelector("bt-app")?.shadowRoot?.querySelector("[data-testid=scenario-title]")?.textContent === title, zoned.metadata.title);
      await runToEnd(page);
      expect((await appState(page)).phase).not.toBe("failed");
      const chart = page.locator('bt-app bt-chart[data-chart-id="zones"]');
      await chart.waitFor();
      await page.waitForFunction(() => {
        const app = document.querySelector("bt-app")!.shadowRoot!;
        const el = app.querySelector("bt-chart-panel")!.shadowRoot!.querySelector('bt-chart[data-chart-id="zones"]');
        return [...(el?.shadowRoot?.querySelectorAll("path.current") ?? [])].filter((p) => (p.getAttribute("d") ?? "").length > 0).length >= 6;
      });
      // Six lines (probe zone, lowest and highest zone of DO and of glucose), each over the whole run.
      const lines = await chart.evaluate((el) =>
        [...el.shadowRoot!.querySelectorAll("path.current")].map((p) => (p.getAttribute("d") ?? "").split(/[LM]/).length - 1).filter((n) => n > 0),
      );
      expect(lines).toHaveLength(6);
      for (const n of lines) expect(n).toBeGreaterThan(300);
      const legend = await chart.evaluate((el) => el.shadowRoot!.querySelector("svg")!.textContent ?? "");
      for (const label of ["DO, probe zone", "DO, lowest zone", "DO, highest zone", "Glucose, probe zone"]) expect(legend).toContain(label);
      // The run's spread: the lowest zone never above the highest, the probe zone between them.
      const spread = await page.evaluate(() => {
        const run = (document.querySelector("bt-app") as unknown as { model: { run: { length: number; column(n: string): Float64Array } } }).model.run;
        const [lo, hi, probe] = ["zones_do_min", "zones_do_max", "zones_do_probe"].map((n) => Array.from(run.column(n)));
        return { rows: run.length, ok: lo.every((v, i) => v <= probe[i] + 1e-9 && probe[i] <= hi[i] + 1e-9) };
      });
      expect(spread.rows).toBeGreaterThan(300);
      expect(spread.ok).toBe(true);
      await chart.screenshot({ path: "build/artifacts/app-zones-chart.png" });

      // The 3D view draws the liquid as one slab per zone. With software WebGL the section starts
      // closed (drawing without a GPU slows the page) and says why; opening it draws the reactor.
      const section = page.locator("bt-app details.reactor");
      expect(await section.getAttribute("open")).toBeNull();
      expect(await section.locator("summary").textContent()).toMatch(/no graphics processor/);
      await section.locator("summary").click();
      const view = page.locator("bt-app bt-reactor-view");
      await view.waitFor({ timeout: 20_000 });
      await page.waitForFunction(
        () => {
          const v = document.querySelector("bt-app")!.shadowRoot!.querySelector("bt-reactor-view") as unknown as { debugState(): { zoneSlabs: number } | null } | null;
          return (v?.debugState()?.zoneSlabs ?? 0) === 20;
        },
        null,
        { timeout: 30_000 },
      );
      expect(await view.locator(".legend-value").textContent()).toMatch(/^20 zones: /);
      await view.screenshot({ path: "build/artifacts/app-zones-3d.png" });
      await page.screenshot({ path: "build/artifacts/app-zones.png", fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await webglBrowser.close();
    }
  });

  test("the zoned scenario's cell lifelines: Run to end shows six histograms with a time slider, what the agents see, a CSV, and cells coloured from the distribution", async () => {
    const webglBrowser = await launchChromium(SOFTWARE_WEBGL_ARGS);
    try {
      const context = await webglBrowser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(app.url);
      await page.locator("bt-app [data-testid=scenario-title]").waitFor();
      const zoned = JSON.parse(readFileSync("scenarios/cho-fed-batch-2000l-zones.json", "utf8"));
      await page.locator('bt-app bt-scenario-gallery button[data-id="cho-fed-batch-2000l-zones"]').click();
      await page.waitForFunction((title) => document.querySelector("bt-app")?.shadowRoot?.querySelector("[data-testid=scenario-title]")?.textContent === title, zoned.metadata.title);
      await runToEnd(page);
      expect((await appState(page)).phase).not.toBe("failed");
      const details = page.locator("bt-app details[data-testid=lifelines]");
      await details.waitFor();
      expect(await details.locator("summary").textContent()).toBe("Cell lifelines (20,000 agents)");
      const panel = page.locator("bt-app bt-lifeline-panel");
      // Six histograms, each with its bars drawn and some agents in them, and a mean ± sd with its unit.
      const histograms = () =>
        panel.evaluate((el) =>
          [...el.shadowRoot!.querySelectorAll("figure.hist")].map((f) => ({
            quantity: f.getAttribute("data-quantity"),
            bars: f.querySelectorAll("rect.bar").length,
            heights: [...f.querySelectorAll("rect.bar")].map((r) => Number(r.getAttribute("height"))),
            stat: f.querySelector("[data-testid=lifeline-stat]")?.textContent ?? "",
            xTitle: f.querySelector("text.x-title")?.textContent ?? "",
          })),
        );
      const atEnd = await histograms();
      expect(atEnd.map((h) => h.quantity)).toEqual([
        "exposure_low_do",
        "exposure_high_glucose",
        "exposure_high_pco2",
        "specific_productivity",
        "growth_rate",
        "internal_state",
      ]);
      for (const h of atEnd) {
        expect(h.bars).toBe(40);
        expect(h.heights.some((v) => v > 1)).toBe(true);
        expect(h.stat).toMatch(/^-?[\d.]+ ± [\d.]+( \S+)?$/);
      }
      expect(atEnd[3].stat).toMatch(/pg\/cell\/day$/);
      expect(atEnd[4].xTitle).toContain("[1/h]");
      expect(atEnd[0].xTitle).toContain("[h in the 24 h interval]");
      const timeText = panel.locator("[data-testid=lifeline-time-text]");
      expect(await timeText.textContent()).toBe("day 14 (336.0 h)");
      // The slider moves the histograms to another time.
      await panel.locator("[data-testid=lifeline-time]").fill("4");
      await page.waitForFunction(
        () =>
          document.querySelector("bt-app")!.shadowRoot!.querySelector("bt-lifeline-panel")!.shadowRoot!.querySelector("[data-testid=lifeline-time-text]")?.textContent ===
          "day 4 (96.0 h)",
      );
      const atDay4 = await histograms();
      expect(atDay4[3].heights).not.toEqual(atEnd[3].heights);
      expect(atDay4[3].stat).not.toBe(atEnd[3].stat);
      // What the agents see against the zones, with units; agents in each of the 20 zones.
      const seen = await panel.locator("[data-testid=lifeline-seen]").evaluate((table) =>
        Object.fromEntries([...table.querySelectorAll("tbody tr")].map((tr) => [tr.getAttribute("data-seen"), [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim())])),
      );
      expect(Object.keys(seen)).toEqual(["do_saturation", "glucose", "pco2"]);
      expect(seen.do_saturation[0]).toMatch(/^[\d.]+ ± [\d.]+ % air sat\.$/);
      expect(seen.do_saturation[1]).toMatch(/^[\d.]+ % air sat\.$/);
      expect(seen.glucose[1]).toMatch(/^[\d.]+ mM$/);
      expect(seen.pco2[0]).toMatch(/^[\d.]+ ± [\d.]+ mmHg$/);
      const occupancy = await panel.evaluate((el) => [...el.shadowRoot!.querySelectorAll("figure.occupancy rect.zone-bar")].map((r) => Number(r.getAttribute("width"))));
      expect(occupancy).toHaveLength(20);
      expect(occupancy.every((w) => w > 0)).toBe(true);
      // The histograms as CSV: a header with units, one row per time and bin.
      const [csvDownload] = await Promise.all([page.waitForEvent("download"), panel.locator("[data-action=lifelines-csv]").click()]);
      expect(csvDownload.suggestedFilename()).toMatch(/-lifelines\.csv$/);
      const csv = readFileSync(await csvDownload.path(), "utf8").trimEnd().split("\n");
      expect(csv[0]).toMatch(/^time \[h\],bin,exposure_low_do_lower \[h\],/);
      expect(csv).toHaveLength(1 + 15 * 40);
      await details.screenshot({ path: "build/artifacts/app-lifelines.png" });

      // The 3D view colours its cells from the lifeline distribution when asked (opened first where it starts closed).
      const reactor = page.locator("bt-app details.reactor");
      if (!(await reactor.evaluate((d) => (d as HTMLDetailsElement).open))) await reactor.locator("summary").click();
      const view = page.locator("bt-app bt-reactor-view");
      await view.waitFor({ timeout: 20_000 });
      await page.waitForFunction(
        () => {
          const v = document.querySelector("bt-app")!.shadowRoot!.querySelector("bt-reactor-view") as unknown as { debugState(): { zoneSlabs: number } | null } | null;
          return (v?.debugState()?.zoneSlabs ?? 0) === 20;
        },
        null,
        { timeout: 30_000 },
      );
      const cellsFromDistribution = () =>
        view.evaluate((el) => (el as unknown as { debugState(): { cellsFromDistribution: boolean } }).debugState().cellsFromDistribution);
      expect(await cellsFromDistribution()).toBe(false);
      const picker = view.locator("select[data-control=cell-colouring]");
      expect(await picker.locator("option").allTextContents()).toEqual(["viable/dead", "stress state", "qP"]);
      await picker.selectOption("stress");
      await page.waitForFunction(() => {
        const v = document.querySelector("bt-app")!.shadowRoot!.querySelector("bt-reactor-view") as unknown as { debugState(): { cellsFromDistribution: boolean } };
        return v.debugState().cellsFromDistribution;
      });
      // The cells stand for the run's own agents, each in its zone's band and in its own stress colour.
      const agentsDrawn = await view.evaluate((el) => (el as unknown as { debugState(): { cellsAsAgents: boolean; cellsByAgentValue: boolean } }).debugState());
      expect(agentsDrawn).toMatchObject({ cellsAsAgents: true, cellsByAgentValue: true });
      expect(await view.locator(".caption").textContent()).toContain("Cells drawn as lifeline agents in their zones at day 14, each coloured by its own stress state");
      expect(await view.locator(".cell-legend").isVisible()).toBe(true);
      await view.screenshot({ path: "build/artifacts/app-lifelines-3d-stress.png" });
      await picker.selectOption("qp");
      expect(await view.locator(".cell-legend .legend-title").textContent()).toContain("qP");
      expect(await view.locator(".caption").textContent()).toContain("coloured by qP sampled from the lifeline distribution");
      await view.screenshot({ path: "build/artifacts/app-lifelines-3d-qp.png" });
      await picker.selectOption("viable");
      await page.waitForFunction(() => {
        const v = document.querySelector("bt-app")!.shadowRoot!.querySelector("bt-reactor-view") as unknown as { debugState(): { cellsFromDistribution: boolean } };
        return !v.debugState().cellsFromDistribution;
      });
      await page.screenshot({ path: "build/artifacts/app-lifelines-page.png", fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await webglBrowser.close();
    }
  });

  test("a live run of the zoned scenario fetches its lifelines when it ends, saying so meanwhile", async () => {
    const { page, errors } = await openApp();
    const zoned = JSON.parse(readFileSync("scenarios/cho-fed-batch-2000l-zones.json", "utf8"));
    await page.evaluate(() => (document.querySelector("bt-app") as unknown as { model: { setSpeed(h: number): void } }).model.setSpeed(168));
    await page.locator('bt-app bt-scenario-gallery button[data-id="cho-fed-batch-2000l-zones"]').click();
    await page.waitForFunction((title) => document.querySelector("bt-app")?.shadowRoot?.querySelector("[data-testid=scenario-title]")?.textContent === title, zoned.metadata.title);
    // No lifelines while the live run goes on; "computing lifelines…" once it ends; then the panel.
    // The status line's text is recorded on every change, so a short computation is not missed.
    await page.evaluate(() => {
      const app = document.querySelector("bt-app") as unknown as { model: { subscribe(f: () => void): void; lifelinesPending: boolean }; updateComplete: Promise<unknown> };
      const w = window as unknown as { pendingTexts: string[] };
      w.pendingTexts = [];
      app.model.subscribe(() =>
        void app.updateComplete.then(() => {
          const text = document.querySelector("bt-app")?.shadowRoot?.querySelector("bt-status-line")?.shadowRoot?.querySelector("[data-testid=lifelines-pending]")?.textContent;
          if (app.model.lifelinesPending) w.pendingTexts.push(text ?? "(not rendered yet)");
        }),
      );
    });
    expect(await page.locator("bt-app details[data-testid=lifelines]").count()).toBe(0);
    await page.locator("bt-app details[data-testid=lifelines]").waitFor({ timeout: 45_000 });
    const pendingTexts = await page.evaluate(() => (window as unknown as { pendingTexts: string[] }).pendingTexts);
    expect(pendingTexts.length).toBeGreaterThan(0);
    const state = await page.evaluate(() => {
      const m = (document.querySelector("bt-app") as unknown as { model: { phase: string; lifelinesPending: boolean; lifelines: { count: number; times: Float64Array } | null } }).model;
      return { phase: m.phase, pending: m.lifelinesPending, count: m.lifelines?.count, times: m.lifelines?.times.length };
    });
    expect(state).toEqual({ phase: "ended", pending: false, count: 20000, times: 15 });
    expect(await page.locator("bt-app bt-status-line [data-testid=lifelines-pending]").count()).toBe(0);
    expect(await page.locator("bt-app bt-lifeline-panel figure.hist").count()).toBe(6);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("a worker that gets stuck is replaced, the user is told, and the run goes on", async () => {
    const { page, errors } = await openApp();
    await page.waitForFunction(() => (document.querySelector("bt-app") as unknown as { model: { timeH: number } }).model.timeH > 24);
    await page.evaluate(() => (document.querySelector("bt-app") as unknown as { model: { pause(): void; debugBusyWorker(ms: number): Promise<unknown> } }).model.debugBusyWorker(15_000));
    const state = await appState(page);
    expect(state.notices.join("\n")).toMatch(/warning: the simulation worker did not answer.*kept/s);
    await page.waitForFunction(() => (document.querySelector("bt-app") as unknown as { model: { notices: { text: string }[] } }).model.notices.some((n) => n.text.includes("picked up")));
    const rowsBefore = (await appState(page)).rows;
    await page.locator("bt-app [data-command=step]").click();
    await page.waitForFunction((n) => (document.querySelector("bt-app") as unknown as { model: { run: { length: number } } }).model.run.length > n, rowsBefore);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

// The Study view in headless Chromium on the built dist/: the default study (bolus feed ×
// shift day) runs on the Web Worker pool with a progress bar and gives exactly the
// records `biotwin study` writes for the same study; an invalid study names its problems
// and cannot start; Cancel stops a long study within a second and nothing more arrives.
// Screenshots go to build/artifacts/.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { openApp, useBuiltApp } from "./app-fixture";

const app = useBuiltApp();

async function openStudyView(): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await openApp(app);
  await page.locator("bt-app [data-view=study]").click();
  await page.locator("bt-study-view [data-action=run-study]").waitFor();
  return { page, errors };
}

/** The study model's state, read in the page. */
function studyState(page: Page) {
  return page.evaluate(() => {
    const m = (document.querySelector("bt-app") as unknown as { study: { status: string; draft: unknown; data: { runs: unknown[] } | null; progress: { done: number } | null } }).study;
    return { status: m.status, draft: m.draft, runs: m.data?.runs ?? [], done: m.progress?.done ?? 0 };
  });
}

describe("Study view", () => {
  test("the default study runs on the worker pool and gives the command line's records, run for run", async () => {
    const { page, errors } = await openStudyView();
    expect(await page.locator("bt-study-view [data-testid=run-count]").textContent()).toContain("35 runs");
    await page.locator("bt-study-view [data-action=run-study]").click();
    await page.locator("bt-study-view [data-testid=study-progress]").waitFor();
    await page.waitForFunction(() => (document.querySelector("bt-app") as unknown as { study: { status: string } }).study.status === "complete", null, { timeout: 120_000 });
    expect(await page.locator("bt-study-view [data-testid=study-status]").textContent()).toMatch(/^35 runs in \d+(\.\d)? s\.$/);
    expect(await page.locator("bt-study-view [data-testid=study-progress-text]").textContent()).toMatch(/35 of 35 runs/);
    await page.screenshot({ path: "build/artifacts/study-sweep.png", fullPage: true });
    const { draft, runs } = await studyState(page);

    const dir = mkdtempSync(join(tmpdir(), "biotwin-study-"));
    writeFileSync(join(dir, "study.json"), JSON.stringify(draft));
    const r = spawnSync(process.execPath, ["cli/biotwin.mjs", "study", "scenarios/cho-fed-batch.json", "--study", join(dir, "study.json"), "--out", join(dir, "out.jsonl")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const cli = readFileSync(join(dir, "out.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((l) => l.type === "run")
      .map(({ type: _t, ...record }) => record);
    expect(cli).toHaveLength(35);
    expect(runs).toEqual(cli);

    // The heatmap marks the best run; clicking a cell opens that run in the Run view.
    const summary = JSON.parse(readFileSync(join(dir, "out.jsonl"), "utf8").trim().split("\n").at(-1)!);
    const best = summary.outputs.finalTiter.argMax as { index: number; parameters: Record<string, number> };
    expect(await page.locator("bt-study-results >> bt-study-heatmap >> [data-index]").count()).toBe(35);
    // The heatmap told the model how long its redraw took (it spaces a running study's redraws by it).
    expect(await page.evaluate(() => (document.querySelector("bt-app") as unknown as { study: { lastRedrawMs: number } }).study.lastRedrawMs)).toBeGreaterThan(0);
    await page.locator(`bt-study-results >> bt-study-heatmap >> [data-index="${best.index}"]`).first().click();
    await page.waitForFunction(() => (document.querySelector("bt-app") as unknown as { model: { source: string } }).model.source.startsWith("run "));
    const opened = await page.evaluate(() => {
      const m = (document.querySelector("bt-app") as unknown as { model: { source: string; scenarioDoc: { process: { bolusSchedules: { percentOfInitialVolume: number }[] }; control: { temperature: { schedule: { timeH: number }[] } } } } }).model;
      return { source: m.source, feed: m.scenarioDoc.process.bolusSchedules[0].percentOfInitialVolume, shiftH: m.scenarioDoc.control.temperature.schedule[0].timeH };
    });
    expect(opened).toEqual({
      source: `run ${best.index} of the study`,
      feed: best.parameters["process.bolusSchedules.0.percentOfInitialVolume"],
      shiftH: best.parameters["control.temperature.schedule.0.timeH"],
    });
    expect(await page.locator("bt-app [data-view=run]").getAttribute("aria-selected")).toBe("true");
    expect(errors).toEqual([]);
  }, 180_000);

  test("a Monte Carlo study over the cell line shows the titer histogram with the share in specification and percentile bands over time", async () => {
    const { page, errors } = await openStudyView();
    const draft = {
      kind: "monte-carlo",
      seed: 7,
      samples: 24,
      parameters: [{ path: "cells.parameters.muMaxPerH", distribution: "normal", mean: 0.04, sd: 0.003 }],
      outputs: ["finalTiter", "peakViableDensity"],
      trajectories: { columns: ["viable_cells", "titer"], everyH: 24 },
      specification: [{ output: "finalTiter", min: 6 }],
    };
    await page.evaluate((d) => (document.querySelector("bt-app") as unknown as { study: { setDraft(d: unknown): void } }).study.setDraft(d), draft);
    await expect.poll(() => page.locator("bt-study-view [data-testid=run-count]").textContent()).toContain("24 runs");
    await page.locator("bt-study-view [data-action=run-study]").click();
    await page.waitForFunction(() => (document.querySelector("bt-app") as unknown as { study: { status: string } }).study.status === "complete", null, { timeout: 120_000 });
    const summary = await page.evaluate(() => (document.querySelector("bt-app") as unknown as { study: { data: { summary: { specification: { inSpec: number; runs: number; ci95: [number, number] } } } } }).study.data.summary.specification);
    expect(summary.runs).toBe(24);
    const pct = (f: number) => (100 * f).toFixed(1);
    const text = `${pct(summary.inSpec / 24)} % in specification (95 % CI ${pct(summary.ci95[0])}–${pct(summary.ci95[1])} %)`;
    expect(await page.locator("bt-study-results .spec").textContent()).toBe(text);
    expect(await page.locator("bt-study-results >> bt-study-histogram >> svg").count()).toBeGreaterThan(0);
    expect(await page.locator("bt-study-results >> bt-study-bands").count()).toBe(2);
    await page.screenshot({ path: "build/artifacts/study-monte-carlo.png", fullPage: true });
    expect(errors).toEqual([]);
  }, 180_000);

  test("an invalid study names its problem by path and cannot start", async () => {
    const { page } = await openStudyView();
    const points = page.locator('bt-study-builder [data-param="0"] input[data-key=points]');
    await points.fill("0");
    await points.dispatchEvent("change");
    await expect.poll(() => page.locator("bt-study-builder .problems").first().textContent()).toContain("parameters.0.points");
    expect(await page.locator("bt-study-view [data-action=run-study]").isDisabled()).toBe(true);
    expect(await page.locator("bt-study-view [data-testid=run-count]").textContent()).toContain("Fix the problems");
  });

  test("Cancel stops a long study within a second; the runs done are kept and no more arrive", async () => {
    const { page, errors } = await openStudyView();
    await page.locator('bt-study-builder input[name=kind][value="monte-carlo"]').check();
    const samples = page.locator("bt-study-builder input[data-key=samples]");
    await samples.fill("5000");
    await samples.dispatchEvent("change");
    await expect.poll(() => page.locator("bt-study-view [data-testid=run-count]").textContent()).toContain("5,000 runs");
    await page.locator("bt-study-view [data-action=run-study]").click();
    await page.waitForFunction(() => ((document.querySelector("bt-app") as unknown as { study: { progress: { done: number } | null } }).study.progress?.done ?? 0) >= 20, null, { timeout: 60_000 });
    // The click and the wait for "cancelled" happen in the page, so the second counts only the app's own reaction.
    const ms = await page.evaluate(async () => {
      const m = (document.querySelector("bt-app") as unknown as { study: { status: string } }).study;
      const button = document.querySelector("bt-app")!.shadowRoot!.querySelector("bt-study-view")!.shadowRoot!.querySelector<HTMLButtonElement>("[data-action=cancel-study]")!;
      const t0 = performance.now();
      button.click();
      while (m.status === "running") await new Promise((r) => setTimeout(r, 5));
      return performance.now() - t0;
    });
    expect(ms).toBeLessThan(1000);
    const after = await studyState(page);
    expect(after.status).toBe("cancelled");
    expect(await page.locator("bt-study-view [data-testid=study-status]").textContent()).toContain(`Cancelled after ${after.runs.filter(Boolean).length.toLocaleString("en")} of 5,000 runs`);
    await page.waitForTimeout(1500);
    const later = await studyState(page);
    expect(later.runs.filter(Boolean).length).toBe(after.runs.filter(Boolean).length);
    expect(later.done).toBe(after.done);
    await page.screenshot({ path: "build/artifacts/study-cancelled.png", fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);
});

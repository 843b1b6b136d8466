// For a test file of the built app (dist/): serves it and launches Chromium before the
// file's tests, closes both after them, and opens the app in fresh pages.
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { PreviewServer } from "vite";
import { afterAll, beforeAll } from "vitest";
import { collectErrors, launchChromium, serveApp } from "./chromium";

export interface BuiltApp {
  /** The app's base URL (set once the file's tests start). */
  url: string;
  browser: Browser;
}

/** Registers the file's beforeAll/afterAll; the returned object is filled before the first test. */
export function useBuiltApp(): BuiltApp {
  const app = { url: "" } as BuiltApp;
  let server: PreviewServer | undefined;
  beforeAll(async () => {
    mkdirSync("build/artifacts", { recursive: true });
    ({ server, url: app.url } = await serveApp());
    app.browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await app.browser?.close();
    await server?.close();
  });
  return app;
}

/** Opens the app at `url` in a new context (1400 × 1000, downloads allowed) and waits for the scenario's title; console errors are collected. */
export async function openApp(app: BuiltApp, url = app.url): Promise<{ page: Page; errors: string[] }> {
  const context = await app.browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(url);
  await page.locator("bt-app [data-testid=scenario-title]").waitFor();
  return { page, errors };
}

// Launches Debian's Chromium through playwright-core and serves the built app
// (dist/) with Vite's preview server, for the browser tests and benchmarks.
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type ConsoleMessage, type Page } from "playwright-core";
import { fileURLToPath } from "node:url";
import { build, preview, type InlineConfig, type PreviewServer } from "vite";

export const CHROMIUM_PATH = process.env.BIOTWIN_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Launches Chromium with CHROMIUM_ARGS and any `extraArgs` (the 3D view's tests add software WebGL). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: npm test installs it (apt-get install chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs], headless: true });
}

/** Extra arguments for WebGL through SwiftShader (software) in headless Chromium with --disable-gpu. */
export const SOFTWARE_WEBGL_ARGS: readonly string[] = ["--enable-unsafe-swiftshader", "--use-angle=swiftshader"];

/** Serves dist/ (built by npm run build) on a free loopback port; returns the server and its base URL. */
export async function serveApp(): Promise<{ server: PreviewServer; url: string }> {
  if (!existsSync("dist/index.html")) throw new Error("dist/ is missing: build the app with npm run build");
  const server = await preview({
    configFile: "vite.config.ts",
    logLevel: "silent",
    preview: { port: 0, host: "127.0.0.1", strictPort: false, open: false },
  });
  const address = server.httpServer.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

/** Collects console errors and uncaught page errors (a test asserts there are none). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg: ConsoleMessage) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
  return errors;
}

/** The repository root: two levels up from this file, or one up from a bundle of it in build/ (the benchmarks). */
const ROOT =
  [new URL("../../", import.meta.url), new URL("../", import.meta.url)].find((u) => existsSync(fileURLToPath(new URL("web/dev/", u)))) ??
  new URL("../../", import.meta.url);
const here = (path: string): string => fileURLToPath(new URL(path, ROOT));

/**
 * Builds a development page of web/dev/ (`web/dev/<name>-harness.html`, not part of
 * the app) into build/harness-<name>/ and serves it; returns the server and the page's URL.
 */
export async function serveHarness(name: "chart" | "editor" | "reactor" | "scaleup" | "study"): Promise<{ server: PreviewServer; url: string }> {
  const config: InlineConfig = {
    configFile: false,
    root: here("web"),
    base: "./",
    logLevel: "warn",
    build: {
      outDir: here(`build/harness-${name}`),
      emptyOutDir: true,
      target: "es2022",
      reportCompressedSize: false,
      rolldownOptions: { input: here(`web/dev/${name}-harness.html`) },
    },
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false },
  };
  await build(config);
  const server = await preview({ ...config, logLevel: "silent" });
  const address = server.httpServer.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${address.port}/dev/${name}-harness.html` };
}

// Bundles the Node entry points (command line, benchmarks) into build/ with esbuild,
// next to core.wasm, so `new URL("../build/core.wasm", import.meta.url)` resolves alike
// from the sources and from the bundles.
import { build } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  // Keep dependencies importable as packages, except small pure-ESM ones.
  packages: "external",
};

await build({ ...common, entryPoints: ["cli/main.ts"], outfile: "build/cli.mjs" });
await build({ ...common, entryPoints: ["benchmarks/run.ts"], outfile: "build/bench.mjs" });
await build({ ...common, entryPoints: ["benchmarks/browser.ts"], outfile: "build/bench-browser.mjs" });
await build({ ...common, entryPoints: ["benchmarks/reactor-view.ts"], outfile: "build/bench-reactor.mjs" });

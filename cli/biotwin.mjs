#!/usr/bin/env node
// Entry point of `npx biotwin`: runs the bundled command line (build/cli.mjs,
// made by `npm run build`, which `npm ci` runs through the prepare script).
// A reader that stops early (`biotwin run ... | head`) is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
let cli;
try {
  cli = await import("../build/cli.mjs");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  process.stderr.write("biotwin: the command line is not built yet; run: npm run build\n");
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));

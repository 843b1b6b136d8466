// Builds the browser app (web/) into dist/: static files that work from any web
// server and offline. The kinetics core (build/core.wasm) must be built first
// (npm run build does both).
import { defineConfig } from "vite";

export default defineConfig({
  root: "web",
  // Relative asset URLs, so dist/ can be served from any path.
  base: "./",
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    // three.js (about 600 kB) is its own chunk, loaded only when the 3D view opens.
    chunkSizeWarningLimit: 700,
  },
  worker: { format: "es" },
  server: { fs: { allow: [".."] } },
  // npm start serves the built app here (the next free port if it is taken).
  preview: { port: 4173, strictPort: false },
});

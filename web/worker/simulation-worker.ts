// Entry of a simulation worker: compiles the kinetics core once and exposes a
// SimulationService to the page with comlink.
import { expose } from "comlink";
import { compileCore } from "./core-module";
import { SimulationService } from "./simulation-service";

const ready = compileCore().then((module) => new SimulationService(module));

/** What the page calls: every verb waits for the core to be compiled. */
const api = {
  ping: async () => {
    await ready;
    return true;
  },
  runWhole: async (doc: unknown) => (await ready).runWhole(doc),
  scaleUp: async (...args: Parameters<SimulationService["scaleUp"]>) => (await ready).scaleUp(...args),
  startLive: async (...args: Parameters<SimulationService["startLive"]>) => (await ready).startLive(...args),
  advance: async (hours: number) => (await ready).advance(hours),
  setKnob: async (...args: Parameters<SimulationService["setKnob"]>) => (await ready).setKnob(...args),
  liveResult: async () => (await ready).liveResult(),
  liveLifelines: async () => (await ready).liveLifelines(),
  busyFor: async (ms: number) => (await ready).busyFor(ms),
};

export type SimulationWorkerApi = typeof api;

expose(api);

// Shared helpers for tests: load a scenario file or object through the real
// validation path, and run it on the release core.
import { readFileSync } from "node:fs";
import { loadCore } from "../engine/core-bridge";
import { formatProblem, parseScenario, type Scenario } from "../engine/scenario";
import { simulate, type SimulationResult } from "../engine/simulate";

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), "utf8"));
}

/** Validates a scenario document and fails loudly with every problem if it is invalid. */
export function validScenario(doc: unknown): Scenario {
  const parsed = parseScenario(doc);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join("\n"));
  return parsed.scenario;
}

export async function run(doc: unknown): Promise<SimulationResult> {
  return simulate(await loadCore(), validScenario(doc));
}

export function column(result: SimulationResult, name: string): Float64Array {
  const found = result.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found.values;
}

/** Value of a column at time t (which must be on the output grid). */
export function at(result: SimulationResult, name: string, t: number): number {
  const time = column(result, "time");
  const i = time.findIndex((v) => Math.abs(v - t) < 1e-9);
  if (i < 0) throw new Error(`no output row at t = ${t}`);
  return column(result, name)[i];
}

export function relErr(value: number, expected: number): number {
  return Math.abs(value - expected) / Math.abs(expected);
}

/** A minimal textbook Monod scenario; `patch` deep-merges on top. */
export function monodScenario(patch: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    format: "biotwin-scenario",
    version: 1,
    metadata: { title: "test" },
    cells: {
      model: "microbial",
      parameters: { muMaxPerH: 0.5, ksGPerL: 0.2, yieldBiomassPerSubstrateGPerG: 0.5 },
      terms: { maintenance: false, death: false, product: false, oxygen: false },
    },
    initial: { volumeL: 1, biomassGPerL: 0.1, substrateGPerL: 10 },
    process: { mode: "batch", durationH: 5 },
    simulation: { outputIntervalH: 0.5, relTol: 1e-10, absTol: 1e-12 },
  };
  return deepMerge(base, patch);
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v && typeof v === "object" && !Array.isArray(v) && prev && typeof prev === "object" && !Array.isArray(prev)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

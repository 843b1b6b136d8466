// Result exports: CSV with a `name [unit]` header, and JSON with metadata,
// balances and columns. Numbers are written in full (shortest round-trip form).
import { lifelinesJson } from "./lifelines";
import type { SimulationResult } from "./simulate";

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV: header `time [h],biomass [g/L],...`, one row per output time. */
export function toCsv(result: SimulationResult): string {
  const { columns } = result;
  const lines = [columns.map((c) => csvCell(`${c.name} [${c.unit}]`)).join(",")];
  const rows = columns[0]?.values.length ?? 0;
  for (let r = 0; r < rows; r++) {
    lines.push(columns.map((c) => (Number.isFinite(c.values[r]) ? String(c.values[r]) : "")).join(","));
  }
  return lines.join("\n") + "\n";
}

export const RESULT_FORMAT = "biotwin-result";
export const RESULT_VERSION = 1;

/** The JSON document of a result (columns as plain arrays; non-finite numbers as null; lifelines when the run has them). */
export function toJsonDocument(result: SimulationResult) {
  return {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    metadata: result.metadata,
    balances: result.balances,
    columns: result.columns.map((c) => ({
      name: c.name,
      unit: c.unit,
      description: c.description,
      values: Array.from(c.values, (v) => (Number.isFinite(v) ? v : null)),
    })),
    ...(result.lifelines ? { lifelines: lifelinesJson(result.lifelines) } : {}),
  };
}

export function toJson(result: SimulationResult): string {
  return JSON.stringify(toJsonDocument(result), null, 2) + "\n";
}

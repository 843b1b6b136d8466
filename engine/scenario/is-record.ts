/** Type guard for a JSON object (not null, not an array), shared by the scenario modules. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

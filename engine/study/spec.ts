// The study format (issue 7): a sweep, a Monte Carlo study or a sensitivity analysis
// (Morris, Sobol) over fields of one base scenario, each field named by its dotted
// path as in `--set`. Its own module for now; not yet part of the scenario schema.
import { z } from "zod";
import { problemsFromIssues, type ScenarioProblem } from "../scenario/problems";

const path = z.string().min(1).describe("dotted path of a scenario field, as for --set (cells.parameters.muMaxPerH)");
const finite = z.number().refine(Number.isFinite, "expected a finite number");

const sweepParameter = z
  .strictObject({
    path,
    /** "linear" (default) or "log" spacing from `from` to `to` (both included). */
    grid: z.enum(["linear", "log"]).default("linear"),
    from: finite,
    to: finite,
    points: z.number().int().min(1).max(10_000),
  })
  .refine((p) => p.grid !== "log" || (p.from > 0 && p.to > 0), { message: "a log grid needs from > 0 and to > 0", path: ["from"] });

const distribution = z.discriminatedUnion("distribution", [
  z.strictObject({ path, distribution: z.literal("normal"), mean: finite, sd: finite.refine((x) => x > 0, "sd must be > 0") }),
  /** ln(X) ~ normal(meanLog, sdLog); the median is exp(meanLog). */
  z.strictObject({ path, distribution: z.literal("log-normal"), meanLog: finite, sdLog: finite.refine((x) => x > 0, "sdLog must be > 0") }),
  z.strictObject({ path, distribution: z.literal("uniform"), min: finite, max: finite }).refine((p) => p.max > p.min, { message: "max must be > min", path: ["max"] }),
  z
    .strictObject({ path, distribution: z.literal("triangular"), min: finite, mode: finite, max: finite })
    .refine((p) => p.min <= p.mode && p.mode <= p.max && p.max > p.min, { message: "needs min <= mode <= max and min < max", path: ["mode"] }),
]);

const rangeParameter = z.strictObject({ path, min: finite, max: finite }).refine((p) => p.max > p.min, { message: "max must be > min", path: ["max"] });

export const OUTPUT_IDS = ["finalTiter", "peakViableDensity", "ivc", "harvestDay", "peakLactate", "peakAmmonium", "maxPco2", "minDo"] as const;

const output = z.union([
  z.enum(OUTPUT_IDS),
  /** Hours with the pH outside [low, high]. */
  z.strictObject({ kpi: z.literal("timeOutsidePh"), low: finite, high: finite, name: z.string().min(1).optional() }),
  /** The value of a result column at a time (linear interpolation; null outside the run). */
  z.strictObject({ kpi: z.literal("value"), column: z.string().min(1), atH: finite.refine((x) => x >= 0, "atH must be >= 0"), name: z.string().min(1).optional() }),
]);

const common = {
  format: z.literal("biotwin-study").optional(),
  version: z.literal(1).optional(),
  /** The study seed; each run's random numbers come from (seed, run index). */
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1),
  outputs: z.array(output).min(1),
};

export const studySchema = z.discriminatedUnion("kind", [
  /** Full grid over the parameters; the last parameter varies fastest. */
  z.strictObject({ ...common, kind: z.literal("sweep"), parameters: z.array(sweepParameter).min(1) }),
  z.strictObject({ ...common, kind: z.literal("monte-carlo"), parameters: z.array(distribution).min(1), samples: z.number().int().min(1).max(10_000_000) }),
  /** r trajectories of d + 1 runs on a p-level grid (Morris 1991, Campolongo 2007 μ*). */
  z.strictObject({
    ...common,
    kind: z.literal("morris"),
    parameters: z.array(rangeParameter).min(1),
    trajectories: z.number().int().min(2).max(100_000),
    levels: z.number().int().min(2).max(1000).refine((p) => p % 2 === 0, "levels must be even").default(4),
  }),
  /** Saltelli design: N(d + 2) runs; first-order (Saltelli 2010) and total (Jansen 1999) indices. */
  z.strictObject({
    ...common,
    kind: z.literal("sobol"),
    parameters: z.array(rangeParameter).min(1),
    baseSamples: z.number().int().min(2).max(10_000_000),
    bootstrap: z.number().int().min(0).max(100_000).default(200),
  }),
]);

export type StudySpec = z.infer<typeof studySchema>;
export type StudyOutput = z.infer<typeof output>;

export type StudyParseResult = { ok: true; study: StudySpec } | { ok: false; problems: ScenarioProblem[] };

/** Validates a study document; every problem names its dotted path. Paths must be distinct. */
export function parseStudy(doc: unknown): StudyParseResult {
  const result = studySchema.safeParse(doc);
  if (!result.success) {
    // A union says only "Invalid input"; name what an output can be.
    const problems = problemsFromIssues(result.error.issues, studySchema, doc).map((p) =>
      /^outputs\.\d+$/.test(p.path) && p.message === "Invalid input"
        ? { path: p.path, message: `expected one of ${OUTPUT_IDS.map((id) => `"${id}"`).join(", ")}, {"kpi": "timeOutsidePh", "low", "high"} or {"kpi": "value", "column", "atH"}, got ${JSON.stringify(valueAtPath(doc, p.path))}` }
        : p,
    );
    return { ok: false, problems };
  }
  const study = result.data;
  const problems: ScenarioProblem[] = [];
  const seen = new Set<string>();
  study.parameters.forEach((p, i) => {
    if (seen.has(p.path)) problems.push({ path: `parameters.${i}.path`, message: `"${p.path}" is already a parameter` });
    seen.add(p.path);
  });
  const names = new Set<string>();
  study.outputs.forEach((o, i) => {
    const name = outputName(o);
    if (names.has(name)) problems.push({ path: `outputs.${i}`, message: `the output "${name}" is listed twice` });
    names.add(name);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, study };
}

/** The key of an output in a run's `outputs`. */
export function outputName(o: StudyOutput): string {
  if (typeof o === "string") return o;
  if (o.name) return o.name;
  return o.kpi === "timeOutsidePh" ? `timeOutsidePh[${o.low},${o.high}]` : `${o.column}@${o.atH}h`;
}

function valueAtPath(doc: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), doc);
}

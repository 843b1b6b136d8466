/**
 * The study format (issue 7, docs/studies.md): a sweep, a Monte Carlo study or a
 * sensitivity analysis (Morris, Sobol) over fields of one base scenario, each field
 * named by its dotted path as in `--set`. A study file holds one; a scenario may hold
 * one as its optional `study` section (schema.ts). engine/study/ reads it.
 */
import { z } from "zod";
import { quantity, text } from "./fields";

/** Unit of a value that a study sets: that of the scenario field it names. */
const FIELD_UNIT = "unit of the field at path";
/** Unit of a bound on an output: that of the output (g/L for finalTiter ...). */
const OUTPUT_UNIT = "unit of the output";
/** A pure number (ISO 80000-1: the unit one). */
const ONE = "1";

const path = text("Dotted path of a scenario field, as for --set (cells.parameters.muMaxPerH)").min(1);
const fieldValue = (description: string) => quantity({ unit: FIELD_UNIT, description });
/** A count, its unit what it counts ("points", "runs"), so messages read "between 1 and 10000 points". */
const count = (unit: string, description: string, min: number, max: number) => quantity({ unit, integer: true, min, max, description });

const sweepParameter = z
  .strictObject({
    path,
    grid: z.enum(["linear", "log"]).meta({ description: "Spacing of the grid points: linear (default) or log" }).default("linear"),
    from: fieldValue("First grid point"),
    to: fieldValue("Last grid point"),
    points: count("points", "Number of grid points, both ends included", 1, 10_000),
  })
  .refine((p) => p.grid !== "log" || (p.from > 0 && p.to > 0), { message: "a log grid needs from > 0 and to > 0", path: ["from"] })
  .meta({ description: "A parameter of a sweep: evenly spaced values from `from` to `to`" });

const distribution = z.discriminatedUnion("distribution", [
  z.strictObject({
    path,
    distribution: z.literal("normal").meta({ description: "Normal distribution" }),
    mean: fieldValue("Mean"),
    sd: fieldValue("Standard deviation (> 0)").refine((x) => x > 0, "sd must be > 0"),
  }),
  z.strictObject({
    path,
    distribution: z.literal("log-normal").meta({ description: "ln(X) ~ normal(meanLog, sdLog); the median is exp(meanLog)" }),
    meanLog: quantity({ unit: `ln of the ${FIELD_UNIT}`, description: "Mean of ln(X)" }),
    sdLog: quantity({ unit: ONE, description: "Standard deviation of ln(X) (> 0)" }).refine((x) => x > 0, "sdLog must be > 0"),
  }),
  z
    .strictObject({
      path,
      distribution: z.literal("uniform").meta({ description: "Uniform distribution on [min, max]" }),
      min: fieldValue("Lowest value"),
      max: fieldValue("Highest value (> min)"),
    })
    .refine((p) => p.max > p.min, { message: "max must be > min", path: ["max"] }),
  z
    .strictObject({
      path,
      distribution: z.literal("triangular").meta({ description: "Triangular distribution on [min, max] with its peak at mode" }),
      min: fieldValue("Lowest value"),
      mode: fieldValue("Most likely value"),
      max: fieldValue("Highest value"),
    })
    .refine((p) => p.min <= p.mode && p.mode <= p.max && p.max > p.min, { message: "needs min <= mode <= max and min < max", path: ["mode"] }),
]);

const rangeParameter = z
  .strictObject({ path, min: fieldValue("Lowest value"), max: fieldValue("Highest value (> min)") })
  .refine((p) => p.max > p.min, { message: "max must be > min", path: ["max"] })
  .meta({ description: "A parameter of a sensitivity analysis: its range" });

export const OUTPUT_IDS = ["finalTiter", "peakViableDensity", "ivc", "harvestDay", "peakLactate", "peakAmmonium", "maxPco2", "minDo"] as const;

const outputName = text("The key of this output in the results (default: derived from the output)").min(1).optional();

const output = z.union(
  [
    z.enum(OUTPUT_IDS).meta({ description: "A KPI or an extreme of a column" }),
    z
      .strictObject({
        kpi: z.literal("timeOutsidePh").meta({ description: "Hours with the pH outside [low, high]" }),
        low: quantity({ unit: "pH", description: "Lower end of the pH band" }),
        high: quantity({ unit: "pH", description: "Upper end of the pH band" }),
        name: outputName,
      })
      .meta({ description: "Hours with the pH outside a band" }),
    z
      .strictObject({
        kpi: z.literal("value").meta({ description: "The value of a result column at a time" }),
        column: text("Result column, as in the CSV header without the unit (glucose, titer ...)").min(1),
        atH: quantity({ unit: "h", min: 0, description: "Time of the value (linear interpolation; null outside the run)" }),
        name: outputName,
      })
      .meta({ description: "A result column at a time" }),
  ],
  {
    error: (issue) =>
      `expected one of ${OUTPUT_IDS.map((id) => `"${id}"`).join(", ")}, {"kpi": "timeOutsidePh", "low", "high"} or {"kpi": "value", "column", "atH"}, got ${JSON.stringify(issue.input)}`,
  },
);

export type StudyOutput = z.infer<typeof output>;

/** The key of an output in a run's `outputs`. */
export function studyOutputName(o: StudyOutput): string {
  if (typeof o === "string") return o;
  if (o.name) return o.name;
  return o.kpi === "timeOutsidePh" ? `timeOutsidePh[${o.low},${o.high}]` : `${o.column}@${o.atH}h`;
}

const trajectories = z
  .strictObject({
    columns: z
      .array(text("Result column, as in the CSV header without the unit (viable_cells, titer, glucose ...)").min(1))
      .min(1)
      .max(8)
      .meta({ description: "The result columns to keep over time (1 to 8)" }),
    everyH: quantity({ unit: "h", gt: 0, description: "Time between the kept points, from 0 h" }),
  })
  .meta({ description: "Keep these columns of every run at 0, everyH, 2·everyH ... h; the summary adds percentile bands" });

const criterion = z
  .strictObject({
    output: text("The name of one of the study's outputs").min(1),
    min: quantity({ unit: OUTPUT_UNIT, description: "Lowest value in specification (inclusive)" }).optional(),
    max: quantity({ unit: OUTPUT_UNIT, description: "Highest value in specification (inclusive)" }).optional(),
  })
  .refine((c) => c.min !== undefined || c.max !== undefined, { message: "a criterion needs min, max or both", path: ["min"] })
  .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, { message: "min must be <= max", path: ["max"] })
  .meta({ description: "A bound on one output; a run is in specification when it meets every criterion" });

const common = {
  format: z.literal("biotwin-study").meta({ description: "Marks the document as a biotwin study" }).optional(),
  version: z.literal(1).meta({ description: "Version of the study format" }).optional(),
  seed: quantity({ integer: true, min: 0, max: Number.MAX_SAFE_INTEGER, description: "The study seed; each run's random numbers come from (seed, run index)" }).default(1),
  outputs: z.array(output).min(1).meta({ description: "The numbers kept of each run" }),
};

/** Additions any kind may have (docs/studies.md); without them a study's results are unchanged. */
const extras = {
  trajectories: trajectories.optional(),
  specification: z.array(criterion).min(1).meta({ description: "Bounds on outputs: the summary gives the fraction of runs in specification" }).optional(),
};

const replicates = z
  .strictObject({
    samples: count("runs", "Replicates of each grid point", 1, 1_000_000),
    parameters: z.array(distribution).min(1).meta({ description: "Parameters drawn at random for each replicate, as in a Monte Carlo study" }),
  })
  .meta({ description: "Monte Carlo replicates at every grid point: runs = grid points × samples" });

const kinds = z.discriminatedUnion("kind", [
  z
    .strictObject({
      ...common,
      kind: z.literal("sweep").meta({ description: "Full grid over the parameters; the last parameter varies fastest" }),
      parameters: z.array(sweepParameter).min(1).meta({ description: "The swept parameters" }),
      ...extras,
      replicates: replicates.optional(),
    })
    .meta({ title: "sweep" }),
  z
    .strictObject({
      ...common,
      kind: z.literal("monte-carlo").meta({ description: "Parameters drawn from distributions" }),
      parameters: z.array(distribution).min(1).meta({ description: "The random parameters" }),
      samples: count("runs", "Number of runs", 1, 10_000_000),
      ...extras,
    })
    .meta({ title: "monte-carlo" }),
  z
    .strictObject({
      ...common,
      kind: z.literal("morris").meta({ description: "r trajectories of d + 1 runs on a p-level grid (Morris 1991, Campolongo 2007 μ*)" }),
      parameters: z.array(rangeParameter).min(1).meta({ description: "The parameters and their ranges" }),
      // Here `trajectories` is the count r, so a Morris study cannot keep columns over time.
      trajectories: count("trajectories", "Number of trajectories r", 2, 100_000),
      levels: count("levels", "Number of levels p of the grid (even)", 2, 1000).refine((p) => p % 2 === 0, "levels must be even").default(4),
      specification: extras.specification,
    })
    .meta({ title: "morris" }),
  z
    .strictObject({
      ...common,
      kind: z.literal("sobol").meta({ description: "Saltelli design: N(d + 2) runs; first-order (Saltelli 2010) and total (Jansen 1999) indices" }),
      parameters: z.array(rangeParameter).min(1).meta({ description: "The parameters and their ranges" }),
      baseSamples: count("samples", "Base samples N", 2, 10_000_000),
      bootstrap: count("resamples", "Bootstrap resamples for the 95 % intervals", 0, 100_000).default(200),
      ...extras,
    })
    .meta({ title: "sobol" }),
]);

/**
 * A study document. Beyond each field's own range: parameter paths are distinct (a
 * sweep's replicate paths included), output names are distinct, and a specification
 * names outputs of the study. Every problem names its dotted path.
 */
export const StudySchema = kinds
  .superRefine((study, ctx) => {
    const seen = new Set<string>();
    const paths: { path: string; at: (string | number)[] }[] = study.parameters.map((p, i) => ({ path: p.path, at: ["parameters", i, "path"] }));
    if (study.kind === "sweep" && study.replicates) study.replicates.parameters.forEach((p, i) => paths.push({ path: p.path, at: ["replicates", "parameters", i, "path"] }));
    for (const { path, at } of paths) {
      if (seen.has(path)) ctx.addIssue({ code: "custom", path: at, message: `"${path}" is already a parameter` });
      seen.add(path);
    }
    const names = new Set<string>();
    study.outputs.forEach((o, i) => {
      const name = studyOutputName(o);
      if (names.has(name)) ctx.addIssue({ code: "custom", path: ["outputs", i], message: `the output "${name}" is listed twice` });
      names.add(name);
    });
    study.specification?.forEach((c, i) => {
      if (!names.has(c.output)) ctx.addIssue({ code: "custom", path: ["specification", i, "output"], message: `"${c.output}" is not an output of the study (${[...names].map((n) => `"${n}"`).join(", ")})` });
    });
    if (study.kind !== "morris") {
      const columns = study.trajectories?.columns ?? [];
      columns.forEach((c, i) => {
        if (columns.indexOf(c) !== i) ctx.addIssue({ code: "custom", path: ["trajectories", "columns", i], message: `the column "${c}" is listed twice` });
      });
    }
  })
  .meta({ id: "study", title: "study", description: "A sweep, a Monte Carlo study or a sensitivity analysis over a base scenario (docs/studies.md)" });

export type StudySpec = z.infer<typeof StudySchema>;

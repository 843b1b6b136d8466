// The biotwin command line over engine/: run, validate and schema. Data goes to
// stdout (or --out), messages to stderr; exit 0 ok, 1 invalid input or failed run,
// 2 usage. No stack trace reaches the user.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { version } from "../package.json";
import { loadCore } from "../engine/core-bridge";
import { toCsv, toJson } from "../engine/export";
import {
  applyOverrides,
  formatProblem,
  OverrideError,
  parseJsonText,
  parseScenario,
  scenarioJsonSchemaText,
  type ScenarioProblem,
} from "../engine/scenario";
import { checkSetup, scenarioHash, ScenarioSetupError, simulate, type SimulationResult } from "../engine/simulate";
import { computeKpis } from "../engine/kpis";
import { isChoScenario, type ChoScenario, type Scenario } from "../engine/scenario";
import { lowestAcrossZones, planScaleUp, withExplicitVessel, type ScaleUpPlan } from "../engine/vessel/scaleup-plan";
import { MAX_ZONE_COUNT } from "../engine/scenario/cho-schema";
import { SCALE_UP_CRITERIA, type ScaleUpCriterion } from "../engine/vessel/scaleup";
import { VESSEL_PRESET_IDS, VESSEL_PRESETS, type VesselPresetId } from "../engine/vessel/presets";
import { parseStudy, type StudySpec } from "../engine/study/spec";
import { runCount } from "../engine/study/design";
import { runIndices, shardIndices, type StudyPool } from "../engine/study/run";
import { mergeStudyFiles, runLine, studyFileText, studyHeader } from "../engine/study/report";
import { workerPool } from "./study-pool";

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;
/** Default of --run-timeout, in s: generous against the few seconds at most that a built-in scenario runs. */
const DEFAULT_RUN_TIMEOUT_S = 120;

/** An error whose message is already a sentence for the user. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const HELP: Record<string, string> = {
  main: `biotwin ${version} — a digital twin of a bioreactor

Usage:
  biotwin run FILE [--format csv|json] [--out PATH] [--set PATH=VALUE]...
  biotwin validate FILE...
  biotwin schema [--out PATH]
  biotwin scaleup FILE --vessel PRESET --criterion pv|tip|kla|blend|vvm|vs [--zones N] [--format text|json] [--run]
  biotwin study FILE [--study STUDYFILE] [--workers N] [--shard i/n] [--run-timeout S] [--out PATH] [--set PATH=VALUE]...
  biotwin merge PARTS... [--out PATH]
  biotwin COMMAND --help

Commands:
  run        simulate a scenario file and write the result (CSV or JSON)
  validate   check scenario files and list every problem
  schema     print the JSON Schema of the scenario format
  scaleup    carry a CHO scenario to a larger (or smaller) vessel by a scale-up criterion
  study      run a sweep, Monte Carlo study or sensitivity analysis (Morris, Sobol)
  merge      join the shard files of a study into the unsharded result

FILE may be - for standard input. The scenario format is described in
docs/scenario-format.md; the model in docs/model.md.`,
  run: `Usage: biotwin run FILE [--format csv|json] [--out PATH] [--set PATH=VALUE]...

Simulates the scenario in FILE (- for standard input) and writes the result.

Options:
  --format csv|json   output format (default: csv). CSV has a header
                      "time [h],name [unit],..."; JSON adds metadata (core
                      version, scenario hash, seed, solver statistics) and the
                      balance report of each conserved quantity.
  --out PATH          write the result to PATH instead of standard output
  --set PATH=VALUE    override a scenario field by its dotted path, e.g.
                      --set cells.parameters.muMaxPerH=0.4
                      --set process.boluses.0.volumeL=0.05
                      VALUE is read as JSON when it parses, else as text.
                      May be given several times.
  -q, --quiet         no summary on standard error

Exit status: 0 ok, 1 invalid scenario or failed run, 2 usage error.`,
  validate: `Usage: biotwin validate FILE...

Checks each scenario file and lists every problem with the field's path, the
expected type or range and its unit, including media whose charge balance or
osmolality cannot close (checked by setting the run up, without running it). Exit status 0 when all files are valid,
1 otherwise, 2 on a usage error.`,
  scaleup: `Usage: biotwin scaleup FILE --vessel PRESET --criterion CRITERION [options]

Carries the CHO scenario in FILE to the vessel PRESET: runs it to find its peak
oxygen demand, maps that operating point (agitation, gas flow) to the target
vessel keeping CRITERION constant, and prints both vessels side by side (P/V,
tip speed, kLa, blend time, Reynolds number, Kolmogorov length, gas velocity,
expected pCO2 ...) with warnings where physics pushes back. Both vessels get kLa
from their geometry (docs/model.md §10).

PRESET:     ${VESSEL_PRESET_IDS.join(", ")}
CRITERION:  pv (power per volume), tip (tip speed), kla, blend (blend time),
            vvm (gas per volume per minute), vs (superficial gas velocity)

Options:
  --format text|json     output (default: text). JSON names the geometry and every
                         figure with its unit in the key (powerPerVolumeWPerM3,
                         tipSpeedMPerS, kLaO2PerH, blendTime95S, agitationRpm ...)
  --run                  also run the scaled scenario and compare KPIs
  --zones N              split the target tank into N vertical zones (1 to ${MAX_ZONE_COUNT};
                         reactor.zones, docs/model.md §11): with --run, the report
                         adds the lowest DO across the zones next to the well-mixed
                         lowest DO (then the volume-weighted mean over the zones)
  --scenario-out PATH    write the scaled scenario (a scenario file) to PATH
  --out PATH             write the report to PATH instead of standard output
  --set PATH=VALUE       override a field of the source scenario (repeatable)

Exit status: 0 ok, 1 invalid scenario or failed run, 2 usage error.`,
  study: `Usage: biotwin study FILE [--study STUDYFILE] [--workers N] [--shard i/n] [--run-timeout S] [--out PATH] [--set PATH=VALUE]...

Runs the study in STUDYFILE, or without --study the scenario's own "study"
section, over the base scenario FILE (- for standard input) without its study
section: each run sets the study's parameters (dotted paths, as for --set) on the
base scenario, validates and simulates it and keeps the study's outputs.

STUDYFILE (JSON): { "seed": 1, "kind": "sweep" | "monte-carlo" | "morris" | "sobol",
  "parameters": [...], "outputs": [...], ... }
  sweep        parameters {path, grid: linear|log, from, to, points}; full grid,
               the last parameter varies fastest; "replicates": {samples,
               parameters: [Monte Carlo parameters]} runs each grid point samples
               times with random draws (run k: grid point k div samples)
  monte-carlo  parameters {path, distribution: normal (mean, sd) | log-normal
               (meanLog, sdLog) | uniform (min, max) | triangular (min, mode, max)};
               "samples": number of runs; each run also gets its own
               simulation.seed from (study seed, run index), written in its line
               (so do a sweep's replicates; other kinds keep the base scenario's
               seed: common random numbers)
  morris       parameters {path, min, max}; "trajectories" r, "levels" p (even,
               default 4); r(d+1) runs; summary mu*, mu, sigma per parameter
  sobol        parameters {path, min, max}; "baseSamples" N, "bootstrap" (default
               200); Saltelli design of N(d+2) runs; first-order (Saltelli 2010) and
               total (Jansen) indices with 95 % bootstrap intervals
  outputs      finalTiter, peakViableDensity, ivc, harvestDay, peakLactate,
               peakAmmonium, maxPco2, minDo, {"kpi": "timeOutsidePh", "low", "high"},
               {"kpi": "value", "column", "atH"}
  trajectories {"columns": [...], "everyH": h}: keep those result columns of each
               run every everyH hours; the summary adds 5-95 % bands (not Morris)
  specification [{"output", "min", "max"}]: the summary gives the share of runs
               meeting every bound, with a 95 % Wilson interval
Run k's random numbers come from (seed, k) alone: workers and shards never change
a number. docs/studies.md describes the format and the result file.

Output (JSON lines): a header line {"type":"study",...}, one line per run in
run-index order ({"type":"run","index","ok","parameters","outputs"}, or "ok":false
with a "reason" for a run that could not be made; the study goes on), and a final
{"type":"summary",...} line (per output: min/max/mean/quantiles for a sweep or
Monte Carlo, mu*/sigma for Morris, Sobol indices). Values a run cannot give are null.

Options:
  --study STUDYFILE  the study to run (default: FILE's "study" section)
  --workers N        run on N worker threads (default 1); runs go to the workers
                     in batches of up to 32
  --shard i/n        run only the indices k with k mod n = i (i from 0 to n-1, e.g.
                     a Kubernetes Indexed Job's JOB_COMPLETION_INDEX or Slurm's
                     SLURM_ARRAY_TASK_ID); the shard file has no summary line —
                     join the shards with biotwin merge (docs/distributed.md)
  --run-timeout S    fail a run that takes longer than S seconds (default
                     ${DEFAULT_RUN_TIMEOUT_S} s) with the reason "timed out", replace its worker
                     and go on
  --out PATH         write to PATH instead of standard output
  --set PATH=VALUE   override a field of the base scenario (repeatable)
  -q, --quiet        no progress line and no summary on standard error

On a terminal, standard error shows a progress line (runs done, runs/s, time
left) while the study runs.

Exit status: 0 ok (also when some runs failed; see their lines), 1 invalid
scenario or study, 2 usage error.`,
  merge: `Usage: biotwin merge PARTS... [--out PATH]

Joins the shard files of one study (biotwin study --shard i/n) into exactly the
bytes the unsharded study writes, summary line included. Every shard must be given.

Exit status: 0 ok, 1 parts that do not make one whole study, 2 usage error.`,
  schema: `Usage: biotwin schema [--out PATH]

Prints the JSON Schema (draft 2020-12) of the scenario format, or writes it to PATH.`,
};

async function readInput(file: string): Promise<string> {
  try {
    if (file === "-") {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    }
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String(code ?? error);
    throw new CliError(`${file}: cannot read the file (${reason})`, EXIT_INVALID);
  }
}

async function writeOutput(text: string, out: string | undefined): Promise<void> {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    await writeFile(out, text);
  } catch (error) {
    throw new CliError(`${out}: cannot write the result (${(error as NodeJS.ErrnoException).code ?? error})`, EXIT_INVALID);
  }
}

function usage(command: string, message: string): never {
  throw new CliError(`${message}\n\n${HELP[command]}`, EXIT_USAGE);
}

type OptionValues = Record<string, string | boolean | string[] | undefined>;

function parse(command: string, args: string[], options: ParseArgsConfig["options"]): { values: OptionValues; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { help: { type: "boolean", short: "h" }, ...options }, allowPositionals: true, strict: true });
    return { values: parsed.values as OptionValues, positionals: parsed.positionals };
  } catch (error) {
    usage(command, (error as Error).message);
  }
}

function problemsText(file: string, problems: ScenarioProblem[]): string {
  const lines = problems.map((p) => `  ${formatProblem(p)}`);
  return `${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${lines.join("\n")}`;
}

/**
 * Reads the scenario in `file`, applies the --set overrides and validates it; every problem
 * becomes a CliError (a bad --set is a usage error of `command`). Returns the document as
 * overridden and the scenario parsed from it.
 */
async function readScenario(command: string, file: string, overrides: string[] | undefined): Promise<{ doc: unknown; scenario: Scenario }> {
  const parsed = parseJsonText(await readInput(file), file);
  if (!parsed.ok) throw new CliError(parsed.problems.map(formatProblem).join("\n"), EXIT_INVALID);
  let doc = parsed.doc;
  try {
    doc = applyOverrides(doc, overrides ?? []);
  } catch (error) {
    if (error instanceof OverrideError) usage(command, error.message);
    throw error;
  }
  const result = parseScenario(doc);
  if (!result.ok) throw new CliError(problemsText(file, result.problems), EXIT_INVALID);
  return { doc, scenario: result.scenario };
}

async function commandRun(args: string[]): Promise<number> {
  const { values, positionals } = parse("run", args, {
    format: { type: "string" },
    out: { type: "string", short: "o" },
    set: { type: "string", multiple: true },
    quiet: { type: "boolean", short: "q" },
  });
  if (values.help) {
    process.stdout.write(HELP.run + "\n");
    return EXIT_OK;
  }
  if (positionals.length !== 1) usage("run", positionals.length === 0 ? "run needs a scenario FILE" : "run takes one FILE");
  const format = (values.format as string | undefined) ?? "csv";
  if (format !== "csv" && format !== "json") usage("run", `--format must be csv or json, not "${format}"`);
  const file = positionals[0];
  const { scenario } = await readScenario("run", file, values.set as string[] | undefined);

  const started = performance.now();
  let simulation;
  try {
    simulation = simulate(await loadCore(), scenario);
  } catch (error) {
    if (error instanceof ScenarioSetupError) throw new CliError(problemsText(file, error.problems), EXIT_INVALID);
    throw error;
  }
  const wallMs = performance.now() - started;
  await writeOutput(format === "csv" ? toCsv(simulation) : toJson(simulation), values.out as string | undefined);

  const meta = simulation.metadata;
  for (const warning of meta.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (meta.status === "failed") {
    process.stderr.write(`${file}: ${meta.message}\n`);
    return EXIT_INVALID;
  }
  if (!values.quiet) {
    const rows = simulation.columns[0].values.length;
    process.stderr.write(
      `${file}: "${meta.title}" ${meta.status === "harvested" ? `${meta.message}; ` : ""}ran ${meta.endTimeH} h in ${meta.stats.steps} steps (${wallMs.toFixed(1)} ms); ${rows} rows written${values.out ? ` to ${values.out}` : ""}\n`,
    );
  }
  return EXIT_OK;
}

async function commandValidate(args: string[]): Promise<number> {
  const { values, positionals } = parse("validate", args, {});
  if (values.help) {
    process.stdout.write(HELP.validate + "\n");
    return EXIT_OK;
  }
  if (positionals.length === 0) usage("validate", "validate needs at least one FILE");
  let failed = 0;
  for (const file of positionals) {
    let problems: ScenarioProblem[];
    try {
      const parsed = parseJsonText(await readInput(file), file);
      if (!parsed.ok) problems = parsed.problems;
      else {
        const result = parseScenario(parsed.doc);
        problems = result.ok ? checkSetup(await loadCore(), result.scenario) : result.problems;
      }
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      problems = [{ path: "", message: error.message }];
    }
    if (problems.length === 0) {
      process.stderr.write(`${file}: valid\n`);
    } else {
      failed++;
      const own = problems.length === 1 && problems[0].path === "" && problems[0].message.startsWith(`${file}:`);
      process.stderr.write((own ? problems[0].message : problemsText(file, problems)) + "\n");
    }
  }
  return failed === 0 ? EXIT_OK : EXIT_INVALID;
}

async function commandSchema(args: string[]): Promise<number> {
  const { values, positionals } = parse("schema", args, { out: { type: "string", short: "o" } });
  if (values.help) {
    process.stdout.write(HELP.schema + "\n");
    return EXIT_OK;
  }
  if (positionals.length > 0) usage("schema", "schema takes no FILE");
  await writeOutput(scenarioJsonSchemaText(), values.out as string | undefined);
  return EXIT_OK;
}


/** Runs a valid scenario document; a setup problem becomes a CliError naming `label`. */
async function runDocument(doc: unknown, label: string): Promise<{ scenario: ChoScenario; result: SimulationResult }> {
  const parsed = parseScenario(doc);
  if (!parsed.ok) throw new CliError(problemsText(label, parsed.problems), EXIT_INVALID);
  try {
    return { scenario: parsed.scenario as ChoScenario, result: simulate(await loadCore(), parsed.scenario) };
  } catch (error) {
    if (error instanceof ScenarioSetupError) throw new CliError(problemsText(label, error.problems), EXIT_INVALID);
    throw error;
  }
}

function runSummary(result: SimulationResult) {
  const byName = new Map(result.columns.map((c) => [c.name, c.values]));
  const meta = result.metadata;
  const kpis = computeKpis((n) => byName.get(n), { harvested: meta.status === "harvested", finished: true });
  const extreme = (name: string, pick: (a: number, b: number) => number) => (byName.get(name) ?? new Float64Array(0)).reduce(pick, NaN);
  return {
    status: meta.status,
    message: meta.message,
    peakViableCellsE6PerMl: kpis.find((k) => k.id === "peakDensity")!.value,
    finalTiterGPerL: kpis.find((k) => k.id === "finalTiter")!.value,
    integralViableCellsE6CellDayPerMl: kpis.find((k) => k.id === "ivc")!.value,
    harvestDay: kpis.find((k) => k.id === "harvestDay")!.value,
    minDoPercent: extreme("do_saturation", (a, b) => (Number.isNaN(a) ? b : Math.min(a, b))),
    /** The lowest DO in any zone at any time; NaN (null in JSON) for a well-mixed run. */
    minZoneDoPercent: lowestAcrossZones((n) => byName.get(n)),
    maxPco2MmHg: extreme("pco2", (a, b) => (Number.isNaN(a) ? b : Math.max(a, b))),
  };
}

function scaleUpText(plan: ScaleUpPlan, runs?: { source: ReturnType<typeof runSummary>; target: ReturnType<typeof runSummary> }): string {
  const s = plan.source;
  const t = plan.target;
  const g = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)).toLocaleString("en", { maximumSignificantDigits: 4 }) : String(x));
  const rows: [string, string, number | string, number | string][] = [
    ["vessel", "", s.vessel.label, t.vessel.label],
    ["diameter T", "m", s.vessel.diameterM, t.vessel.diameterM],
    ["height H", "m", s.vessel.heightM, t.vessel.heightM],
    ["impellers", "", `${s.vessel.impellerCount} × ${s.vessel.impellerType}`, `${t.vessel.impellerCount} × ${t.vessel.impellerType}`],
    ["impeller diameter D", "m", s.vessel.impellerDiameterM, t.vessel.impellerDiameterM],
    ["power number Np", "", s.vessel.powerNumber, t.vessel.powerNumber],
    ["liquid volume", "L", s.derived.liquidVolumeL, t.derived.liquidVolumeL],
    ["liquid height", "m", s.derived.liquidHeightM, t.derived.liquidHeightM],
    ["agitation", "rpm", s.derived.agitationRpm, t.derived.agitationRpm],
    ["gas flow", "L/min", s.derived.gasFlowLPerMin, t.derived.gasFlowLPerMin],
    ["gassed power", "W", s.derived.gassedPowerW, t.derived.gassedPowerW],
    ["P/V (gassed)", "W/m³", s.derived.powerPerVolumeWPerM3, t.derived.powerPerVolumeWPerM3],
    ["energy dissipation", "W/kg", s.derived.epsilonWPerKg, t.derived.epsilonWPerKg],
    ["tip speed", "m/s", s.derived.tipSpeedMPerS, t.derived.tipSpeedMPerS],
    ["Reynolds number", "", s.derived.reynolds, t.derived.reynolds],
    ["kLa O2", "1/h", s.derived.kLaO2PerH, t.derived.kLaO2PerH],
    ["blend time (95 %)", "s", s.derived.blendTime95S, t.derived.blendTime95S],
    ["circulation time", "s", s.derived.circulationTimeS, t.derived.circulationTimeS],
    ["Kolmogorov length", "µm", s.derived.kolmogorovLengthUm, t.derived.kolmogorovLengthUm],
    ["superficial gas velocity", "m/s", s.derived.superficialGasVelocityMPerS, t.derived.superficialGasVelocityMPerS],
    ["gas flow per volume", "vvm", s.derived.vvm, t.derived.vvm],
    ["gas flow number / flooding", "", `${g(s.derived.flowNumber)} / ${g(s.derived.floodingFlowNumber)}`, `${g(t.derived.flowNumber)} / ${g(t.derived.floodingFlowNumber)}`],
    ["expected pCO2 at peak", "mmHg", plan.expectedPco2MmHg.source, plan.expectedPco2MmHg.target],
  ];
  if (runs) {
    rows.push(
      ["run: peak viable density", "1e6 cells/mL", runs.source.peakViableCellsE6PerMl, runs.target.peakViableCellsE6PerMl],
      ["run: final titer", "g/L", runs.source.finalTiterGPerL, runs.target.finalTiterGPerL],
      ["run: lowest DO", "% air sat.", runs.source.minDoPercent, runs.target.minDoPercent],
      ...(Number.isFinite(runs.source.minZoneDoPercent) || Number.isFinite(runs.target.minZoneDoPercent)
        ? [
            ["run: lowest DO across zones", "% air sat.", ...[runs.source.minZoneDoPercent, runs.target.minZoneDoPercent].map((x) => (Number.isFinite(x) ? x : "—"))] as [
              string,
              string,
              number | string,
              number | string,
            ],
          ]
        : []),
      ["run: highest pCO2", "mmHg", runs.source.maxPco2MmHg, runs.target.maxPco2MmHg],
      ["run: status", "", runs.source.status, runs.target.status],
    );
  }
  const cells = rows.map(([name, unit, a, b]) => [unit ? `${name} [${unit}]` : name, typeof a === "number" ? g(a) : a, typeof b === "number" ? g(b) : b]);
  const w = [0, 1, 2].map((i) => Math.max(...cells.map((c) => c[i].length), ["", "source", "target"][i].length));
  const line = (c: string[]) => `${c[0].padEnd(w[0])}  ${c[1].padStart(w[1])}  ${c[2].padStart(w[2])}`;
  const out = [
    `Scale-up at ${plan.criterionLabel}, volume × ${g(plan.volumeFactor)}; operating point at the peak oxygen demand (${g(s.operatingPoint.timeH)} h, OUR ${g(plan.demand.peakOurMmolPerLPerH)} mmol/L/h; kLa needed ≥ ${g(plan.requiredKLaPerH)} 1/h)`,
    "",
    line(["", "source", "target"]),
    ...cells.map(line),
    "",
    plan.warnings.length === 0 ? "No warnings." : `Warnings:\n${plan.warnings.map((x) => `  - ${x.message}`).join("\n")}`,
  ];
  return `${out.join("\n")}\n`;
}

async function commandScaleup(args: string[]): Promise<number> {
  const { values, positionals } = parse("scaleup", args, {
    vessel: { type: "string" },
    criterion: { type: "string" },
    format: { type: "string" },
    run: { type: "boolean" },
    zones: { type: "string" },
    "scenario-out": { type: "string" },
    out: { type: "string", short: "o" },
    set: { type: "string", multiple: true },
  });
  if (values.help) {
    process.stdout.write(HELP.scaleup + "\n");
    return EXIT_OK;
  }
  if (positionals.length !== 1) usage("scaleup", positionals.length === 0 ? "scaleup needs a scenario FILE" : "scaleup takes one FILE");
  const preset = values.vessel as string | undefined;
  if (preset === undefined) usage("scaleup", "--vessel PRESET is required");
  if (!(VESSEL_PRESET_IDS as readonly string[]).includes(preset)) usage("scaleup", `--vessel must be one of ${VESSEL_PRESET_IDS.join(", ")}, not "${preset}"`);
  const criterion = values.criterion as string | undefined;
  if (criterion === undefined) usage("scaleup", "--criterion is required");
  if (!(SCALE_UP_CRITERIA as readonly string[]).includes(criterion)) usage("scaleup", `--criterion must be one of ${SCALE_UP_CRITERIA.join(", ")}, not "${criterion}"`);
  const format = (values.format as string | undefined) ?? "text";
  if (format !== "text" && format !== "json") usage("scaleup", `--format must be text or json, not "${format}"`);
  const zonesText = values.zones as string | undefined;
  const zones = zonesText === undefined ? null : Number(zonesText);
  if (zones !== null && !(/^\d+$/.test(zonesText!.trim()) && zones >= 1 && zones <= MAX_ZONE_COUNT)) {
    usage("scaleup", `--zones must be a whole number from 1 to ${MAX_ZONE_COUNT}, not "${zonesText}"`);
  }

  const file = positionals[0];
  const { doc, scenario } = await readScenario("scaleup", file, values.set as string[] | undefined);
  if (!isChoScenario(scenario)) {
    throw new CliError(`${file}: scaleup needs a CHO scenario (cells.model "cho"): the microbial model has no agitation or gas flow to scale`, EXIT_INVALID);
  }
  const sourceDoc = withExplicitVessel(doc as Record<string, unknown>, scenario);
  const source = await runDocument(sourceDoc, `${file} (in its vessel)`);
  if (source.result.metadata.status === "failed") throw new CliError(`${file}: the source run failed: ${source.result.metadata.message}`, EXIT_INVALID);
  const plan = planScaleUp(doc as Record<string, unknown>, scenario, source.result, preset as VesselPresetId, criterion as ScaleUpCriterion, { zones });

  let runs: { source: ReturnType<typeof runSummary>; target: ReturnType<typeof runSummary> } | undefined;
  if (values.run) {
    const target = await runDocument(plan.targetDoc, `${file} scaled to ${preset}`);
    runs = { source: runSummary(source.result), target: runSummary(target.result) };
  }
  if (values["scenario-out"]) await writeOutput(`${JSON.stringify(plan.targetDoc, null, 2)}\n`, values["scenario-out"] as string);
  const { sourceDoc: _s, ...rest } = plan;
  const text =
    format === "json"
      ? `${JSON.stringify({ format: "biotwin-scaleup", version: 1, file, vesselPreset: preset, presetSources: VESSEL_PRESETS[preset as VesselPresetId].sources, ...rest, ...(runs ? { runs } : {}) }, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`
      : scaleUpText(plan, runs);
  await writeOutput(text, values.out as string | undefined);
  if (runs?.target.status === "failed") {
    process.stderr.write(`${file}: the scaled run failed: ${runs.target.message}\n`);
    return EXIT_INVALID;
  }
  return EXIT_OK;
}

/** The progress line is redrawn at most this often, in ms. */
const PROGRESS_EVERY_MS = 250;

/** The progress line of a study: runs done of all, the rate and the time left at that rate. */
export function progressText(done: number, total: number, elapsedS: number): string {
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const left = rate > 0 ? Math.ceil((total - done) / rate) : undefined;
  const leftText = left === undefined ? "" : left >= 120 ? `, ${Math.floor(left / 60)} min ${left % 60} s left` : `, ${left} s left`;
  return `${done}/${total} runs, ${rate.toFixed(rate >= 10 ? 0 : 1)} runs/s${leftText}`;
}

/** A progress reporter that redraws one line on a terminal; a no-op when `stream` is not one. */
function progressLine(stream: NodeJS.WriteStream, total: number, started: number): { update: (done: number) => void; clear: () => void } {
  if (!stream.isTTY) return { update: () => {}, clear: () => {} };
  let shownAt = -Infinity;
  let shown = false;
  return {
    update: (done) => {
      const now = performance.now();
      if (now - shownAt < PROGRESS_EVERY_MS && done < total) return;
      shownAt = now;
      shown = true;
      stream.write(`\r\x1b[K${progressText(done, total, (now - started) / 1000)}`);
    },
    clear: () => {
      if (shown) stream.write("\r\x1b[K");
    },
  };
}

async function commandStudy(args: string[]): Promise<number> {
  const { values, positionals } = parse("study", args, {
    study: { type: "string" },
    workers: { type: "string" },
    shard: { type: "string" },
    "run-timeout": { type: "string" },
    out: { type: "string", short: "o" },
    set: { type: "string", multiple: true },
    quiet: { type: "boolean", short: "q" },
  });
  if (values.help) {
    process.stdout.write(HELP.study + "\n");
    return EXIT_OK;
  }
  if (positionals.length !== 1) usage("study", positionals.length === 0 ? "study needs a scenario FILE" : "study takes one FILE");
  const studyFile = values.study as string | undefined;
  const workersText = (values.workers as string | undefined) ?? "1";
  const workers = Number(workersText);
  if (!/^\d+$/.test(workersText.trim()) || workers < 1 || workers > 256) usage("study", `--workers must be a whole number from 1 to 256, not "${workersText}"`);
  const shardText = values.shard as string | undefined;
  let shard = { index: 0, count: 1 };
  if (shardText !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(shardText.trim());
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) usage("study", `--shard must be i/n with 0 <= i < n, not "${shardText}"`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  const timeoutText = values["run-timeout"] as string | undefined;
  const runTimeoutS = timeoutText === undefined ? DEFAULT_RUN_TIMEOUT_S : Number(timeoutText);
  // setTimeout holds at most 2³¹ − 1 ms (24.8 days).
  if (!(runTimeoutS > 0 && runTimeoutS <= 1_000_000)) usage("study", `--run-timeout must be a number of seconds above 0 and at most 1000000, not "${timeoutText}"`);

  const file = positionals[0];
  const { doc } = await readScenario("study", file, values.set as string[] | undefined);
  // The runs' base is the scenario without its study section, whichever study is run.
  const { study: ownStudy, ...baseDoc } = doc as Record<string, unknown>;
  let study: StudySpec;
  let studyLabel: string;
  if (studyFile !== undefined) {
    const studyText = parseJsonText(await readInput(studyFile), studyFile);
    if (!studyText.ok) throw new CliError(studyText.problems.map(formatProblem).join("\n"), EXIT_INVALID);
    const parsedStudy = parseStudy(studyText.doc);
    if (!parsedStudy.ok) throw new CliError(problemsText(studyFile, parsedStudy.problems), EXIT_INVALID);
    study = parsedStudy.study;
    studyLabel = studyFile;
  } else if (ownStudy !== undefined) {
    const parsedStudy = parseStudy(ownStudy);
    // readScenario validated the section already; this only narrows the type.
    if (!parsedStudy.ok) throw new CliError(problemsText(file, parsedStudy.problems.map((p) => ({ ...p, path: `study.${p.path}` }))), EXIT_INVALID);
    study = parsedStudy.study;
    studyLabel = `${file} (its study section)`;
  } else {
    usage("study", `${file} has no "study" section: give a study with --study STUDYFILE or add one to the scenario (docs/studies.md)`);
  }
  const base = parseScenario(baseDoc);
  if (!base.ok) throw new CliError(problemsText(file, base.problems), EXIT_INVALID);

  const total = runCount(study);
  const indices = shardIndices(total, shard.index, shard.count);
  const started = performance.now();
  const poolCount = Math.min(workers, Math.max(1, indices.length));
  const pools: StudyPool[] = Array.from({ length: poolCount }, () => workerPool(baseDoc, study, { runTimeoutS }));
  const progress = values.quiet ? { update: () => {}, clear: () => {} } : progressLine(process.stderr, indices.length, started);
  let records;
  try {
    records = await runIndices(pools, indices, studyBatchSize(indices.length, poolCount), progress.update, 2);
  } finally {
    progress.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
  const text = studyFileText(studyHeader(study, scenarioHash(base.scenario), shard), records.map(runLine));
  await writeOutput(text, values.out as string | undefined);
  if (!values.quiet) {
    const failed = records.filter((r) => !r.ok).length;
    process.stderr.write(
      `${studyLabel}: ${study.kind} study, ${records.length} of ${total} runs${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ""}, ${failed} failed, on ${pools.length} worker${pools.length === 1 ? "" : "s"} in ${((performance.now() - started) / 1000).toFixed(1)} s${values.out ? `; written to ${values.out}` : ""}\n`,
    );
  }
  return EXIT_OK;
}

/** Runs per batch: about 8 batches per worker so the last ones even out, at most 32 runs. */
function studyBatchSize(runs: number, workers: number): number {
  return Math.max(1, Math.min(32, Math.ceil(runs / (workers * 8))));
}

async function commandMerge(args: string[]): Promise<number> {
  const { values, positionals } = parse("merge", args, { out: { type: "string", short: "o" } });
  if (values.help) {
    process.stdout.write(HELP.merge + "\n");
    return EXIT_OK;
  }
  if (positionals.length === 0) usage("merge", "merge needs the shard files");
  const parts = await Promise.all(positionals.map(async (name) => ({ name, text: await readInput(name) })));
  let text: string;
  try {
    text = mergeStudyFiles(parts);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT_INVALID);
  }
  await writeOutput(text, values.out as string | undefined);
  return EXIT_OK;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await commandRun(rest);
      case "validate":
        return await commandValidate(rest);
      case "schema":
        return await commandSchema(rest);
      case "scaleup":
        return await commandScaleup(rest);
      case "study":
        return await commandStudy(rest);
      case "merge":
        return await commandMerge(rest);
      case "--version":
      case "-v":
        process.stdout.write(`${version}\n`);
        return EXIT_OK;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(HELP.main + "\n");
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        return usage("main", `unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`biotwin: ${error.message}\n`);
      return error.exitCode;
    }
    const detail = process.env.BIOTWIN_DEBUG ? `\n${(error as Error).stack}` : "";
    process.stderr.write(`biotwin: internal error: ${(error as Error).message ?? error}${detail}\n`);
    return EXIT_INVALID;
  }
}

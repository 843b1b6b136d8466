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
import { checkSetup, ScenarioSetupError, simulate } from "../engine/simulate";

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

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
  biotwin COMMAND --help

Commands:
  run        simulate a scenario file and write the result (CSV or JSON)
  validate   check scenario files and list every problem
  schema     print the JSON Schema of the scenario format

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
  const parsed = parseJsonText(await readInput(file), file);
  if (!parsed.ok) throw new CliError(parsed.problems.map(formatProblem).join("\n"), EXIT_INVALID);
  let doc = parsed.doc;
  try {
    doc = applyOverrides(doc, (values.set as string[] | undefined) ?? []);
  } catch (error) {
    if (error instanceof OverrideError) usage("run", error.message);
    throw error;
  }
  const result = parseScenario(doc);
  if (!result.ok) throw new CliError(problemsText(file, result.problems), EXIT_INVALID);

  const started = performance.now();
  let simulation;
  try {
    simulation = simulate(await loadCore(), result.scenario);
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

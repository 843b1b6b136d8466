// The command line as a user meets it: data on stdout, messages on stderr, exit codes
// 0/1/2, one clear line per problem and never a stack trace. Runs the built bundle
// through the same bin entry that `npx biotwin` uses.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import * as L from "../assembly/layout";

const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "cli/biotwin.mjs");
const tmp = mkdtempSync(join(tmpdir(), "biotwin-cli-"));

function biotwin(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, input, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scenarioFile(name: string, doc: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof doc === "string" ? doc : JSON.stringify(doc, null, 2));
  return path;
}

const monod = JSON.parse(readFileSync(join(root, "scenarios/monod-batch.json"), "utf8"));

function expectNoStack(text: string) {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/internal error/);
}

describe("run", () => {
  test("writes CSV with unit headers to stdout and a summary to stderr", () => {
    const r = biotwin(["run", "scenarios/monod-batch.json"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^time \[h\],biomass \[g\/L\],dead_biomass \[g\/L\],substrate \[g\/L\]/);
    expect(lines).toHaveLength(1 + 12 / 0.25 + 1);
    expect(lines[1].split(",")[0]).toBe("0");
    expect(r.stderr).toMatch(/"Textbook Monod batch" ran 12 h/);
  });

  test("JSON carries metadata, balances and columns with units", () => {
    const r = biotwin(["run", "scenarios/ecoli-fed-batch.json", "--format", "json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.format).toBe("biotwin-result");
    expect(doc.metadata.scenarioHash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.metadata.coreAbiVersion).toBe(L.CORE_ABI_VERSION);
    expect(doc.metadata.seed).toBe(1);
    expect(doc.metadata.status).toBe("ok");
    expect(doc.balances[0].quantity).toBe("substrate");
    expect(doc.columns[0]).toMatchObject({ name: "time", unit: "h" });
    expect(doc.columns.find((c: { name: string }) => c.name === "do_saturation").unit).toBe("% air sat.");
  });

  test("--set overrides a field by its dotted path, and --out writes a file", () => {
    const out = join(tmp, "slow.csv");
    const base = biotwin(["run", "scenarios/monod-batch.json", "--format", "json"]);
    const r = biotwin(["run", "scenarios/monod-batch.json", "--set", "cells.parameters.muMaxPerH=0.25", "--set", "process.durationH=6", "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const rows = readFileSync(out, "utf8").trim().split("\n");
    expect(rows).toHaveLength(1 + 6 / 0.25 + 1);
    const xSlow = Number(rows[rows.length - 1].split(",")[1]);
    const baseDoc = JSON.parse(base.stdout);
    const xFast = baseDoc.columns[1].values[6 / 0.25];
    expect(xSlow).toBeLessThan(xFast);
  });

  test("the same scenario gives the same hash; a change gives another", () => {
    const hash = (args: string[]) => JSON.parse(biotwin(["run", "scenarios/chemostat.json", "--format", "json", ...args]).stdout).metadata.scenarioHash;
    expect(hash([])).toBe(hash([]));
    expect(hash(["--set", "process.dilutionRatePerH=0.2"])).not.toBe(hash([]));
  });

  test("a reader that stops early (| head) gets no stack trace", () => {
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${bin}" run scenarios/cho-fed-batch.json --set simulation.outputIntervalH=0.01 -q | head -1`], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.stdout).toMatch(/^time \[h\]/);
    expectNoStack(r.stderr);
    expect(r.stderr).not.toMatch(/EPIPE/);
  });

  test("reads the scenario from standard input with -", () => {
    const r = biotwin(["run", "-", "-q"], JSON.stringify(monod));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")[0]).toMatch(/^time \[h\]/);
  });
});

describe("invalid input: exit 1 with one clear line naming the field", () => {
  test.each([
    ["broken JSON", '{ "format": "biotwin-scenario", ', /not valid JSON.*line \d+, column \d+/],
    ["a wrong type", { ...monod, reactor: { kLaPerH: "fast" } }, /reactor\.kLaPerH: expected a number in 1\/h/],
    ["a negative volume", { ...monod, initial: { ...monod.initial, volumeL: -2 } }, /initial\.volumeL: must be greater than 0 L \(got -2\)/],
    [
      "Ks of zero",
      { ...monod, cells: { ...monod.cells, parameters: { ...monod.cells.parameters, ksGPerL: 0 } } },
      /cells\.parameters\.ksGPerL: must be greater than 0 g\/L \(got 0\)/,
    ],
    ["an unknown key", { ...monod, cells: { ...monod.cells, parameters: { muMax: 0.5 } } }, /cells\.parameters\.muMax: unknown key.*muMaxPerH/],
  ])("%s", (_kind, doc, message) => {
    const r = biotwin(["run", scenarioFile("bad.json", doc)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expectNoStack(r.stderr);
  });

  test("an override that breaks the scenario is reported like a bad file", () => {
    const r = biotwin(["run", "scenarios/monod-batch.json", "--set", "initial.volumeL=-1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/initial\.volumeL: must be greater than 0 L \(got -1\)/);
  });

  test("a missing file", () => {
    const r = biotwin(["run", join(tmp, "nope.json")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.json: cannot read the file \(no such file\)/);
  });

  test("a run the solver cannot finish exits 1 with a sentence and keeps the rows so far", () => {
    const r = biotwin(["run", "scenarios/ecoli-fed-batch.json", "--set", "simulation.maxSteps=20"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the run stopped at [\d.]+ h of 16 h: the solver took more steps than allowed/);
    expect(r.stdout.split("\n").length).toBeGreaterThan(2);
    expectNoStack(r.stderr);
  });
});

test("a stiff run with the non-stiff solver fails with a hint to switch", () => {
  const r = biotwin(["run", "scenarios/ecoli-fed-batch.json", "--set", "simulation.solver=dopri5", "--set", "simulation.maxSteps=2000"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/dopri5 is for non-stiff problems: try "simulation": \{ "solver": "rodas4" \}/);
});

describe("validate", () => {
  test("lists every problem of every file and exits 1 if any is invalid", () => {
    const bad = scenarioFile("two-problems.json", { ...monod, initial: { ...monod.initial, volumeL: 0, biomassGPerL: "lots" } });
    const r = biotwin(["validate", "scenarios/monod-batch.json", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/monod-batch\.json: valid/);
    expect(r.stderr).toMatch(/two-problems\.json: 2 problems/);
    expect(r.stderr).toMatch(/initial\.volumeL/);
    expect(r.stderr).toMatch(/initial\.biomassGPerL/);
  });

  test("a medium that cannot exist is caught without running", () => {
    const cho = JSON.parse(readFileSync(join(root, "scenarios/cho-fed-batch.json"), "utf8"));
    cho.initial.sodiumMM = 5;
    const r = biotwin(["validate", scenarioFile("low-sodium.json", cho)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/low-sodium\.json: 1 problem\n\s+initial\.sodiumMM: too low for the initial pH 7\.1 and pCO2 40 mmHg/);
  });

  test("every shipped scenario is valid", () => {
    const files = readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".json")).map((f) => `scenarios/${f}`);
    expect(files.length).toBeGreaterThanOrEqual(9);
    const r = biotwin(["validate", ...files]);
    expect(r.stderr).not.toMatch(/problem/);
    expect(r.code).toBe(0);
  });
});

describe("usage errors exit 2; help exits 0", () => {
  test.each([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["run"], /run needs a scenario FILE/],
    [["run", "scenarios/monod-batch.json", "--format", "xml"], /--format must be csv or json/],
    [["run", "scenarios/monod-batch.json", "--bogus"], /Unknown option '--bogus'/],
    [["run", "scenarios/monod-batch.json", "--set", "novalue"], /--set/],
    [["validate"], /validate needs at least one FILE/],
  ])("%j", (args, message) => {
    const r = biotwin(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expectNoStack(r.stderr);
  });

  test.each([["--help"], ["run", "--help"], ["validate", "--help"], ["schema", "--help"]])("%s", (...args) => {
    const r = biotwin(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage/);
  });
});

test("schema prints the published JSON Schema", () => {
  const r = biotwin(["schema"]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(root, "scenarios/schema/scenario-v1.schema.json"), "utf8")));
});

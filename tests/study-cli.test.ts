// `biotwin study` with the additions of issue 7: results with trajectories, a
// specification and sweep replicates are the same bytes on 1, 2 or 3 workers and merged
// from shards; the study may come from the scenario's own `study` section; a run that
// never ends is timed out without hanging the study; on a terminal a progress line
// goes to standard error and never into the result.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { progressText } from "../cli/main";

const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "cli/biotwin.mjs");
const tmp = mkdtempSync(join(tmpdir(), "biotwin-study-cli-"));
const biotwin = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const chobatch = JSON.parse(readFileSync(join(root, "scenarios/cho-batch.json"), "utf8"));
const write = (name: string, doc: unknown) => {
  const file = join(tmp, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
};
const lines = (text: string) => text.trim().split("\n").map((l) => JSON.parse(l));

const additions = {
  trajectories: { columns: ["viable_cells", "titer"], everyH: 12 },
  specification: [{ output: "finalTiter", min: 0.05 }, { output: "peakViableDensity", max: 3 }],
};
const sweep = {
  seed: 4,
  kind: "sweep",
  parameters: [{ path: "cells.parameters.muMaxPerH", from: 0.03, to: 0.045, points: 2 }],
  outputs: ["finalTiter", "peakViableDensity"],
};
const scenario = write("base.json", { ...chobatch, process: { ...chobatch.process, durationH: 48 } });

describe("biotwin study with the additions", () => {
  const study = write("replicates.json", {
    ...sweep,
    replicates: { samples: 3, parameters: [{ path: "initial.glucoseMM", distribution: "uniform", min: 20, max: 40 }] },
    ...additions,
  });

  test("1, 2 and 3 workers and 2 or 3 merged shards give the same bytes", () => {
    const whole = biotwin(["study", scenario, "--study", study]);
    expect(whole.code).toBe(0);
    const out = lines(whole.stdout);
    expect(out.map((l) => l.type)).toEqual(["study", ...Array(6).fill("run"), "summary"]);
    const runs = out.slice(1, 7);
    // Run k: grid point k div 3, its own seed and replicate draw; trajectories every 12 h to 48 h.
    expect(runs.map((r) => r.parameters["cells.parameters.muMaxPerH"])).toEqual([0.03, 0.03, 0.03, 0.045, 0.045, 0.045]);
    expect(new Set(runs.map((r) => r.seed)).size).toBe(6);
    expect(runs[0].trajectories.tH).toEqual([0, 12, 24, 36, 48]);
    expect(runs[0].trajectories.values.titer.at(-1)).toBe(runs[0].outputs.finalTiter);
    const summary = out[7];
    expect(summary.outputs.finalTiter.points.map((p: { grid: number[]; n: number }) => [p.grid, p.n])).toEqual([[[0.03], 3], [[0.045], 3]]);
    expect(summary.trajectories.columns.viable_cells.n).toEqual([6, 6, 6, 6, 6]);
    expect(summary.specification.runs).toBe(6);
    for (const workers of ["2", "3"]) expect(biotwin(["study", scenario, "--study", study, "--workers", workers]).stdout).toBe(whole.stdout);
    for (const n of [2, 3]) {
      const parts = Array.from({ length: n }, (_, i) => {
        const part = join(tmp, `rep-${i}-of-${n}.jsonl`);
        expect(biotwin(["study", scenario, "--study", study, "--shard", `${i}/${n}`, "--workers", "2", "--out", part]).code).toBe(0);
        return part;
      });
      expect(biotwin(["merge", ...parts]).stdout).toBe(whole.stdout);
    }
  });

  test("trajectories and a specification only add fields: without them, the same bytes as the plain study", () => {
    const plain = biotwin(["study", scenario, "--study", write("plain.json", sweep)]);
    const added = biotwin(["study", scenario, "--study", write("added.json", { ...sweep, ...additions })]);
    expect(plain.code).toBe(0);
    const strip = (text: string) =>
      lines(text).map((l) => {
        if (l.type === "study") return { ...l, study: sweep };
        const { trajectories: _t, specification: _s, ...rest } = l;
        return rest;
      });
    const plainLines = lines(plain.stdout);
    expect(strip(added.stdout)).toEqual(strip(plain.stdout));
    expect(plainLines[0].study).toEqual({ ...sweep, parameters: [{ ...sweep.parameters[0], grid: "linear" }] });
    expect(lines(added.stdout)[1].trajectories).toBeDefined();
  });
});

describe("the scenario's own study section", () => {
  test("runs without --study, on the scenario without its section: the same bytes as --study", () => {
    const inFile = write("with-study.json", { ...chobatch, process: { ...chobatch.process, durationH: 48 }, study: sweep });
    const fromSection = biotwin(["study", inFile]);
    expect(fromSection.code).toBe(0);
    expect(fromSection.stdout).toBe(biotwin(["study", scenario, "--study", write("same.json", sweep)]).stdout);
    // --set reaches the section (and the base scenario is still without it).
    const one = lines(biotwin(["study", inFile, "--set", "study.parameters.0.points=1"]).stdout);
    expect(one.filter((l) => l.type === "run")).toHaveLength(1);
    expect(one[0].baseScenarioHash).toBe(lines(fromSection.stdout)[0].baseScenarioHash);
    // --study wins over the section.
    const other = write("other.json", { ...sweep, seed: 9, outputs: ["ivc"] });
    expect(biotwin(["study", inFile, "--study", other]).stdout).toBe(biotwin(["study", scenario, "--study", other]).stdout);
  });

  test("no study anywhere is a usage error naming the file; a bad section names the path", () => {
    const none = biotwin(["study", scenario]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`${scenario} has no "study" section: give a study with --study STUDYFILE`);
    const bad = biotwin(["study", write("bad-section.json", { ...chobatch, study: { ...sweep, parameters: [{ path: "a", from: 1, to: 2, points: 0 }] } })]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/study\.parameters\.0\.points: must be between 1 and 10000 points \(got 0\)/);
  });
});

describe("a run that never ends", () => {
  // A real runaway, no test hook: 20 zones in a 2 L vessel exchange liquid in seconds while
  // the culture takes days, and the explicit dopri5 solver (with 10⁸ steps allowed) needs
  // minutes for a day of it; 0.05 h takes a fraction of a second.
  const stiff = write("stiff.json", {
    ...chobatch,
    reactor: { ...chobatch.reactor, vessel: { preset: "bench-2l" }, zones: { count: 20 } },
    simulation: { ...chobatch.simulation, solver: "dopri5", maxSteps: 100_000_000 },
  });
  const study = write("runaway.json", { kind: "sweep", parameters: [{ path: "process.durationH", from: 192, to: 0.05, points: 3 }], outputs: ["finalTiter"] });

  test.each(["1", "2"])("on %s worker(s): the runaway runs fail as timed out, their workers are replaced and the study completes", (workers) => {
    const r = biotwin(["study", stiff, "--study", study, "--run-timeout", "1", "--workers", workers]);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.slice(1, 4).map((l) => [l.index, l.ok, l.reason])).toEqual([
      [0, false, "timed out after 1 s (--run-timeout)"],
      [1, false, "timed out after 1 s (--run-timeout)"],
      [2, true, undefined],
    ]);
    expect(out[3].outputs.finalTiter).toBeGreaterThan(0);
    expect(out[4]).toMatchObject({ type: "summary", failedRuns: 2 });
  });

  test("--run-timeout must be a positive number of seconds", () => {
    const r = biotwin(["study", stiff, "--study", study, "--run-timeout", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--run-timeout must be a number of seconds above 0/);
  });
});

describe("progress", () => {
  test("the line: runs done of all, runs/s and the time left", () => {
    expect(progressText(250, 1000, 2)).toBe("250/1000 runs, 125 runs/s, 6 s left");
    expect(progressText(10, 10_000, 2)).toBe("10/10000 runs, 5.0 runs/s, 33 min 18 s left");
    expect(progressText(0, 10, 0)).toBe("0/10 runs, 0.0 runs/s");
  });

  // `script` (util-linux) runs the command on a pseudo-terminal, as a user's shell would.
  const script = spawnSync("script", ["--version"], { encoding: "utf8" });
  test.skipIf(script.status !== 0)("on a terminal, standard error shows the progress line; the output file never does", () => {
    const out = join(tmp, "tty.jsonl");
    const command = [process.execPath, bin, "study", scenario, "--study", write("tty.json", sweep), "--out", out].map((a) => `'${a}'`).join(" ");
    const r = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: tmp, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\r\x1b\[K2\/2 runs, [\d.]+ runs\/s/);
    expect(readFileSync(out, "utf8")).not.toMatch(/runs\/s|\x1b/);
    // Not a terminal: no progress line.
    const piped = biotwin(["study", scenario, "--study", join(tmp, "tty.json")]);
    expect(piped.stderr).not.toMatch(/runs\/s/);
  });
});

// ScaleUpModel over the worker's SimulationService run in this process (no Worker):
// the plan and both runs arrive as RunData labelled by volume, the figures match
// `biotwin scaleup --run`'s, refusals become an error sentence, and a reply to an
// older request never overwrites a newer one.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { runFigures, ScaleUpModel } from "../web/model/scaleup-model";
import type { SimulationClient } from "../web/model/simulation-client";
import { SimulationService } from "../web/worker/simulation-service";
import { readJson } from "./helpers";

let service: SimulationService;

/** A client that calls the service directly; `delayMs` holds each reply back. */
function client(delayMs: (verb: string, args: unknown[]) => number = () => 0): Pick<SimulationClient, "call"> {
  return {
    call: (async (verb: string, args: unknown[]) => {
      const reply = (service as any)[verb](...args);
      await new Promise((r) => setTimeout(r, delayMs(verb, args)));
      return reply;
    }) as SimulationClient["call"],
  };
}

beforeAll(async () => {
  service = new SimulationService(await WebAssembly.compile(readFileSync(new URL("../build/core.wasm", import.meta.url))));
});

describe("ScaleUpModel", () => {
  test("plans and runs both: RunData labelled by volume, P/V kept, figures of both runs", async () => {
    const model = new ScaleUpModel(client());
    const doc = readJson("scenarios/cho-fed-batch.json");
    expect(model.fit(doc)).toBe("cho");
    expect([model.presetId, model.criterion]).toEqual(["sub-2000l", "pv"]);
    await model.run(doc);
    expect(model.error).toBeNull();
    expect(model.busy).toBe(false);
    const plan = model.plan!;
    expect(plan.target.derived.powerPerVolumeWPerM3 / plan.source.derived.powerPerVolumeWPerM3).toBeCloseTo(1, 6);
    expect(plan.warnings.map((w) => w.topic)).toContain("tip");
    expect(model.source!.label).toBe("source (2.5 L)");
    expect(model.target!.label).toBe("target (2,000 L)");
    expect(model.source!.length).toBeGreaterThan(300);
    expect(model.target!.column("volume")[0]).toBeCloseTo(1.5 * 800, 6);
    const source = runFigures(model.source!);
    const target = runFigures(model.target!);
    // The same figures biotwin scaleup --run prints for this scenario.
    expect(source.peakViableCellsE6PerMl).toBeCloseTo(16.6, 1);
    expect(source.lowestDoPercent).toBeGreaterThan(20);
    expect(source.lowestDoPercent).toBeLessThan(40);
    expect(target.finalTiterGPerL).toBeGreaterThan(5);
    expect(target.highestPco2MmHg).toBeGreaterThan(20);
    expect(model.isStale(doc)).toBe(false);
    model.setCriterion("tip");
    expect(model.isStale(doc)).toBe(true);
    const file = model.scaledScenarioFile()!;
    expect(file.name).toMatch(/^cho-antibody-fed-batch.*\.json$/);
    expect(JSON.parse(file.text).reactor.vessel.preset).toBe("sub-2000l");
  });

  test("with zones in the target: the scaled run is zoned, has the zone spread columns and a lowest DO across zones", async () => {
    const model = new ScaleUpModel(client());
    const doc = readJson("scenarios/cho-fed-batch.json");
    await model.run(doc);
    expect(model.isStale(doc)).toBe(false);
    model.setZones(10);
    expect(model.isStale(doc)).toBe(true);
    await model.run(doc);
    expect(model.error).toBeNull();
    expect(model.plan!.targetDoc.reactor.zones).toEqual({ count: 10 });
    expect(model.target!.label).toBe("target (2,000 L, 10 zones)");
    expect(model.target!.has("zones_do_min")).toBe(true);
    expect(model.target!.has("zones_do_probe")).toBe(true);
    expect(model.source!.has("zones_do_min")).toBe(false);
    const source = runFigures(model.source!);
    const target = runFigures(model.target!);
    expect(Number.isNaN(source.lowestZoneDoPercent)).toBe(true);
    expect(target.lowestZoneDoPercent).toBeGreaterThan(0);
    expect(target.lowestZoneDoPercent).toBeLessThanOrEqual(target.lowestDoPercent);
  });

  test("plan only: the source runs, the target does not", async () => {
    const model = new ScaleUpModel(client());
    await model.planOnly(readJson("scenarios/cho-fed-batch.json"));
    expect(model.plan).not.toBeNull();
    expect(model.source).not.toBeNull();
    expect(model.target).toBeNull();
  });

  test("a microbial scenario and a bad vessel are refused with a sentence", async () => {
    const model = new ScaleUpModel(client());
    const ecoli = readJson("scenarios/ecoli-fed-batch.json");
    expect(model.fit(ecoli)).toBe("not-cho");
    await model.run(ecoli);
    expect(model.plan).toBeNull();
    expect(model.error).toMatch(/cells\.model: scale-up needs a CHO scenario/);
    model.setPreset("vat-1l" as never);
    await model.run(readJson("scenarios/cho-fed-batch.json"));
    expect(model.error).toMatch(/target vessel must be one of .*sub-2000l/);
    expect(model.fit({ format: "nonsense" })).toBe("invalid");
  });

  test("a slow reply to an older request is dropped", async () => {
    // The first request (pv) answers after the second (tip).
    const model = new ScaleUpModel(client((_verb, args) => (args[2] === "pv" ? 200 : 0)));
    const doc = readJson("scenarios/cho-fed-batch.json");
    const first = model.run(doc, { runTarget: false });
    model.setCriterion("tip");
    await model.run(doc, { runTarget: false });
    await first;
    expect(model.plan!.criterion).toBe("tip");
    expect(model.busy).toBe(false);
  });
});

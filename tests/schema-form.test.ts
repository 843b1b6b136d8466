// The scenario form as data (web/model/schema-form.ts): groups and fields built
// from the published JSON Schema for each cell model, the path helpers the
// editor edits drafts with, and how problems are matched to fields.
import { describe, expect, test } from "vitest";
import { parseScenario } from "../engine/scenario";
import choFedBatch from "../scenarios/cho-fed-batch.json";
import ecoliFedBatch from "../scenarios/ecoli-fed-batch.json";
import {
  allFields,
  buildScenarioForm,
  emptyValue,
  formatNumber,
  getAt,
  labelFor,
  parseNumberText,
  problemsByPath,
  rangeText,
  renameKey,
  setAt,
  unplacedProblems,
  type FormField,
  type JsonSchemaNode,
  type ScenarioForm,
} from "../web/model/schema-form";

function fieldAt(form: ScenarioForm, path: string): FormField {
  const field = allFields(form).find((f) => f.path === path);
  if (field === undefined) throw new Error(`no field ${path}`);
  return field;
}

/** Every path in `doc` that holds a number, dotted. */
function numericLeaves(doc: unknown, path = ""): string[] {
  if (typeof doc === "number") return [path];
  if (typeof doc !== "object" || doc === null) return [];
  return Object.entries(doc).flatMap(([key, value]) => numericLeaves(value, path === "" ? key : `${path}.${key}`));
}

const GROUP_IDS = ["scenario", "reactor", "cells", "process", "control", "simulation"];

describe("buildScenarioForm", () => {
  test("the CHO form has the groups in order and the CHO fields", () => {
    const form = buildScenarioForm(choFedBatch);
    expect(form.model).toBe("cho");
    expect(form.groups.map((g) => g.id)).toEqual(GROUP_IDS);
    const topKeys = (id: string) => form.groups.find((g) => g.id === id)!.fields.map((f) => f.path);
    expect(topKeys("scenario")).toEqual(expect.arrayContaining(["metadata.title", "metadata.description"]));
    expect(topKeys("reactor")).toEqual(["reactor", "initial"]);
    expect(topKeys("cells")).toEqual(["cells.model", "cells.parameters", "cells.terms"]);
    expect(topKeys("process")).toContain("process.bolusSchedules");
    expect(topKeys("control")).toEqual(["control.temperature", "control.dissolvedOxygen", "control.pH"]);
    expect(topKeys("simulation")).toContain("simulation.seed");

    const muMax = fieldAt(form, "cells.parameters.muMaxPerH");
    expect(muMax).toMatchObject({ kind: "number", unit: "1/h", exclusiveMin: 0, default: 0.029, required: false, present: true });
    expect(muMax.label).toBe("μmax");
    expect(muMax.help).toBe("Maximum specific growth rate");
    expect(rangeText(muMax)).toBe("> 0");

    expect(fieldAt(form, "initial.temperatureC")).toMatchObject({ unit: "°C", min: 0, max: 45, default: 37 });
    expect(rangeText(fieldAt(form, "initial.temperatureC"))).toBe("0 – 45 °C");
    expect(fieldAt(form, "initial.volumeL").required).toBe(true);
    expect(fieldAt(form, "initial.volumeL").default).toBeUndefined();
    expect(fieldAt(form, "cells.model")).toMatchObject({ kind: "enum", options: ["microbial", "cho"] });
    expect(fieldAt(form, "process.mode").options).toEqual(["batch", "fed-batch", "continuous", "perfusion"]);
    expect(fieldAt(form, "simulation.seed")).toMatchObject({ kind: "integer", min: 0, max: 4294967295, default: 1 });
    expect(fieldAt(form, "cells.terms.lysis")).toMatchObject({ kind: "boolean", default: true, present: false });
    expect(fieldAt(form, "simulation.solver")).toMatchObject({ kind: "enum", options: ["rodas4", "dopri5"], default: "rodas4" });
    // Lists and named media follow the draft; medium references offer the draft's media.
    expect(fieldAt(form, "process.bolusSchedules").children!.map((f) => f.path)).toEqual(["process.bolusSchedules.0"]);
    expect(fieldAt(form, "process.media")).toMatchObject({ kind: "record" });
    expect(fieldAt(form, "process.media").children!.map((f) => f.key)).toEqual(["feed", "glucose"]);
    expect(fieldAt(form, "process.media").keyRule?.pattern).toBe("^[A-Za-z0-9_-]{1,40}$");
    expect(fieldAt(form, "process.bolusSchedules.0.medium").suggestions).toEqual(["feed", "glucose"]);
    expect(fieldAt(form, "process.perfusion")).toMatchObject({ kind: "object", required: false, present: false });
  });

  test("the microbial form has the same groups, its own fields and no control loops", () => {
    const form = buildScenarioForm(ecoliFedBatch);
    expect(form.model).toBe("microbial");
    expect(form.groups.map((g) => g.id)).toEqual(GROUP_IDS);
    expect(form.groups.find((g) => g.id === "control")!.fields).toEqual([]);
    const muMax = fieldAt(form, "cells.parameters.muMaxPerH");
    expect(muMax).toMatchObject({ unit: "1/h", exclusiveMin: 0, default: 0.66 });
    expect(fieldAt(form, "reactor.kLaPerH")).toMatchObject({ unit: "1/h", min: 0, default: 300, label: "kLa" });
    expect(fieldAt(form, "cells.parameters.maxBiomassGPerL")).toMatchObject({ kind: "number", nullable: true, default: null, unit: "g/L" });
    expect(fieldAt(form, "process.feedProfile.0.rateLPerH")).toMatchObject({ unit: "L/h", present: true });
    expect(allFields(form).some((f) => f.path === "initial.viableCellsE6PerMl")).toBe(false);
  });

  test("every numeric value of the CHO fed-batch has a number field", () => {
    const form = buildScenarioForm(choFedBatch);
    const fields = new Map(allFields(form).map((f) => [f.path, f]));
    const leaves = numericLeaves(choFedBatch).filter((path) => path !== "version");
    expect(leaves.length).toBeGreaterThan(30);
    for (const path of leaves) {
      const field = fields.get(path);
      expect(field, path).toBeDefined();
      expect(["number", "integer"], path).toContain(field!.kind);
      expect(field!.label, path).not.toBe("");
    }
    // And every field the form has at a leaf is a field of the schema: it can hold the draft's value.
    for (const field of allFields(form)) if (field.present && field.kind === "number") expect(typeof getAt(choFedBatch, field.path)).toBe("number");
  });

  test("a draft that is not a scenario still gets a form (the first model's)", () => {
    const form = buildScenarioForm({ cells: { model: "CHO" } });
    expect(form.groups.map((g) => g.id)).toEqual(GROUP_IDS);
    expect(fieldAt(form, "cells.model").present).toBe(true);
    expect(buildScenarioForm(42).groups).toHaveLength(6);
  });

  test("$ref into $defs is followed, with the referring node's annotations on top", () => {
    const schema: JsonSchemaNode = {
      $defs: { rate: { type: "number", exclusiveMinimum: 0, unit: "1/h", description: "A rate [1/h]" } },
      type: "object",
      properties: {
        reactor: { type: "object", properties: { kLaPerH: { $ref: "#/$defs/rate", default: 5 } } },
      },
    };
    const form = buildScenarioForm({}, schema);
    expect(fieldAt(form, "reactor.kLaPerH")).toMatchObject({ kind: "number", unit: "1/h", exclusiveMin: 0, default: 5, help: "A rate" });
  });
});

describe("labels, numbers and ranges", () => {
  test("labels come from the key without its unit, or the description when shorter", () => {
    expect(labelFor("muMaxPerH", "1/h", "Maximum specific growth rate [1/h]")).toBe("μmax");
    expect(labelFor("glucoseMM", "mM", "Glucose concentration at the start [mM]")).toBe("Glucose");
    expect(labelFor("viableCellsE6PerMl", "1e6 cells/mL", "Viable cell density at the start [1e6 cells/mL]")).toBe("Viable cells");
    expect(labelFor("dissolvedOxygenPercent", "% of air saturation", undefined)).toBe("Dissolved oxygen");
    expect(labelFor("osmolalityMOsmPerKg", "mOsm/kg", undefined)).toBe("Osmolality");
    expect(labelFor("pCO2MmHg", "mmHg", undefined)).toBe("pCO2");
    expect(labelFor("gasFlowMinLPerMin", "L/min", undefined)).toBe("Gas flow min");
    expect(labelFor("yieldBiomassPerOxygenGPerMmol", "g/mmol", "Biomass yield on oxygen [g/mmol]")).toBe("Biomass yield on oxygen");
  });

  test("numbers are shown exactly and read back; text that is not a number is NaN, empty is unset", () => {
    for (const x of [0.5, 0.003, 357000000, 6.92e-11, 100000, 4294967295, -1.5]) expect(Number(formatNumber(x))).toBe(x);
    expect(formatNumber(357000000)).toBe("3.57e8");
    expect(formatNumber(0.003)).toBe("0.003");
    expect(parseNumberText(" 1.8 ")).toBe(1.8);
    expect(parseNumberText("3.57e8")).toBe(357000000);
    expect(parseNumberText("")).toBeUndefined();
    expect(parseNumberText("12 mM")).toBeNaN();
    expect(parseNumberText("0x10")).toBeNaN();
    expect(parseNumberText("Infinity")).toBeNaN();
  });

  test("ranges", () => {
    expect(rangeText({ min: 0.1, max: 100, unit: "g/L" })).toBe("0.1 – 100 g/L");
    expect(rangeText({ exclusiveMin: 0 })).toBe("> 0");
    expect(rangeText({ exclusiveMin: 0, max: 100, unit: "%" })).toBe("> 0, ≤ 100");
    expect(rangeText({})).toBe("");
  });
});

describe("getAt and setAt", () => {
  test("round-trip without changing the input", () => {
    const before = structuredClone(choFedBatch);
    const next = setAt(choFedBatch, "process.bolusSchedules.0.percentOfInitialVolume", 4);
    expect(choFedBatch).toEqual(before);
    expect(getAt(next, "process.bolusSchedules.0.percentOfInitialVolume")).toBe(4);
    expect(getAt(choFedBatch, "process.bolusSchedules.0.percentOfInitialVolume")).toBe(3.5);
    // Only the path is copied; the rest is shared.
    expect(getAt(next, "process.media")).toBe(choFedBatch.process.media);
    expect(getAt(next, "process.bolusSchedules")).not.toBe(choFedBatch.process.bolusSchedules);
    expect(Array.isArray(getAt(next, "process.bolusSchedules"))).toBe(true);
    expect(setAt(next, "process.bolusSchedules.0.percentOfInitialVolume", 3.5)).toEqual(choFedBatch);
  });

  test("undefined deletes the key (the default applies) and splices array items", () => {
    const unset = setAt(choFedBatch, "cells.parameters.muMaxPerH", undefined) as typeof choFedBatch;
    expect("muMaxPerH" in unset.cells.parameters).toBe(false);
    expect(choFedBatch.cells.parameters.muMaxPerH).toBe(0.039);
    const removed = setAt(choFedBatch, "metadata.sources.1", undefined) as typeof choFedBatch;
    expect(removed.metadata.sources).toHaveLength(4);
    expect(removed.metadata.sources[1]).toBe(choFedBatch.metadata.sources[2]);
    expect(choFedBatch.metadata.sources).toHaveLength(5);
  });

  test("missing objects on the path are created; getAt of a missing path is undefined", () => {
    expect(setAt({}, "control.pH.setpoint", 7.1)).toEqual({ control: { pH: { setpoint: 7.1 } } });
    expect(setAt(undefined, "a", 1)).toEqual({ a: 1 });
    expect(getAt(choFedBatch, "control.pH.setpoint")).toBeUndefined();
    expect(getAt(choFedBatch, "process.bolusSchedules.7")).toBeUndefined();
    expect(getAt(choFedBatch, "")).toBe(choFedBatch);
  });

  test("renameKey keeps the order and the input", () => {
    const renamed = renameKey(choFedBatch, "process.media", "feed", "concentrate");
    expect(Object.keys(getAt(renamed, "process.media") as object)).toEqual(["concentrate", "glucose"]);
    expect(Object.keys(choFedBatch.process.media)).toEqual(["feed", "glucose"]);
  });

  test("a new list item is an empty object; the engine then names what it needs", () => {
    const form = buildScenarioForm(choFedBatch);
    const schedule = fieldAt(form, "control.temperature.schedule");
    expect(schedule.item?.path).toBe("control.temperature.schedule.1");
    const next = setAt(choFedBatch, schedule.item!.path, emptyValue(schedule.item));
    const result = parseScenario(next);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toContain("control.temperature.schedule.1.timeH");
  });
});

describe("problems", () => {
  test("problemsByPath groups messages by path, in order", () => {
    const map = problemsByPath([
      { path: "process.durationH", message: "a" },
      { path: "", message: "b" },
      { path: "process.durationH", message: "c" },
    ]);
    expect(map.get("process.durationH")).toEqual(["a", "c"]);
    expect(map.get("")).toEqual(["b"]);
    expect(map.size).toBe(2);
  });

  test("the engine's problems land on fields, the top of their group, or the top of the editor", () => {
    const draft = setAt(setAt(setAt(choFedBatch, "process.durationH", -5), "cells.parameters.muMax", 1), "initial.volumeL", undefined);
    const result = parseScenario(draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const form = buildScenarioForm(draft);
    const paths = new Set(allFields(form).map((f) => f.path));
    expect(paths.has("process.durationH")).toBe(true);
    expect(paths.has("initial.volumeL")).toBe(true);
    const problems = [...result.problems, { path: "", message: "whole document" }, { path: "format", message: "not biotwin" }];
    const { top, byGroup } = unplacedProblems(form, problems);
    expect(byGroup.get("cells")?.map((p) => p.path)).toEqual(["cells.parameters.muMax"]);
    expect(top.map((p) => p.path)).toEqual(["", "format"]);
    expect(byGroup.has("process")).toBe(false);
  });
});

/**
 * The rules of the scenario format that span several fields: which feeds each
 * process mode allows, when feeds happen, the starting volume against the
 * vessel and the parts of the vessel's geometry, for the microbial model and those shared with the cho model
 * (cho-rules.ts holds the cho model's own). The schemas run them on every
 * parse, also when other fields have errors, so every violation is listed at
 * once; values are read defensively and a field that fails its own check is
 * skipped here.
 */
import { z } from "zod";
import { vesselVolumeL } from "../vessel/geometry";
import { resolveVesselSettings } from "../vessel/resolve";
import { isRecord } from "./is-record";
import { VesselSchema } from "./vessel-schema";

/** Reports one violation; `path` is relative to the object the rule was given. */
export type ReportRule = (path: (string | number)[], message: string, input?: unknown) => void;

/** A ReportRule that adds a custom issue to a zod refinement. */
export function reporter(ctx: z.RefinementCtx): ReportRule {
  return (path, message, input) => ctx.addIssue({ code: "custom", path, message, input });
}

/** Mode rules and feed timing; `process` is the (possibly invalid) "process" object. */
export function checkProcessRules(process: unknown, report: ReportRule): void {
  if (!isRecord(process)) return;
  const hasBoluses = isNonEmptyArray(process.boluses);
  const hasFeedProfile = isNonEmptyArray(process.feedProfile);
  const hasDilution = process.dilutionRatePerH !== undefined;
  const hasFeedMedium = process.feedMedium !== undefined;
  const feedMediumExpected = 'an object with substrateGPerL, the composition of what is fed';

  switch (process.mode) {
    case "batch":
      if (hasBoluses) report(["boluses"], 'a batch has no feeds; remove "boluses" or use mode "fed-batch"');
      if (hasFeedProfile) report(["feedProfile"], 'a batch has no feeds; remove "feedProfile" or use mode "fed-batch"');
      if (hasDilution) {
        report(["dilutionRatePerH"], 'a batch has no feeds; remove "dilutionRatePerH" or use mode "continuous"');
      }
      break;
    case "fed-batch":
      if (!hasBoluses && !hasFeedProfile) {
        report([], 'a fed-batch needs at least one bolus in "boluses" or one segment in "feedProfile"');
      }
      if (!hasFeedMedium) report(["feedMedium"], `required for mode "fed-batch" (${feedMediumExpected})`);
      if (hasDilution) {
        report(
          ["dilutionRatePerH"],
          'only a continuous culture has a dilution rate; remove "dilutionRatePerH" or use mode "continuous"',
        );
      }
      break;
    case "continuous":
      if (!hasDilution) report(["dilutionRatePerH"], 'required for mode "continuous" (a number in 1/h)');
      if (!hasFeedMedium) report(["feedMedium"], `required for mode "continuous" (${feedMediumExpected})`);
      if (hasBoluses) {
        report(["boluses"], 'a continuous culture is fed through "dilutionRatePerH"; remove "boluses" or use mode "fed-batch"');
      }
      if (hasFeedProfile) {
        report(
          ["feedProfile"],
          'a continuous culture is fed through "dilutionRatePerH"; remove "feedProfile" or use mode "fed-batch"',
        );
      }
      break;
  }
  checkFeedTiming(process, report);
}

/**
 * Boluses ("timeH") and feed segments lie within the run; segments are sorted
 * and do not overlap. Shared by both models.
 */
export function checkFeedTiming(process: Record<string, unknown>, report: ReportRule): void {
  const durationH = positive(process.durationH);
  const withinRun = (path: (string | number)[], timeH: number | undefined): void => {
    if (timeH !== undefined && durationH !== undefined && timeH > durationH) {
      report(path, `must be at most durationH, ${durationH} h (got ${timeH})`, timeH);
    }
  };

  if (Array.isArray(process.boluses)) {
    process.boluses.forEach((bolus, i) => {
      if (isRecord(bolus)) withinRun(["boluses", i, "timeH"], nonNegative(bolus.timeH));
    });
  }

  if (!Array.isArray(process.feedProfile)) return;
  /** The last segment with a valid start; its end is a time, "open" (no endH) or "invalid". */
  let previous: { index: number; startH: number; end: number | "open" | "invalid" } | undefined;
  process.feedProfile.forEach((segment, i) => {
    if (!isRecord(segment)) return;
    const startH = nonNegative(segment.startH);
    const endH = positive(segment.endH);
    withinRun(["feedProfile", i, "startH"], startH);
    withinRun(["feedProfile", i, "endH"], endH);
    if (startH === undefined) return;
    const endIsValid = endH !== undefined && endH > startH;
    if (endH !== undefined && !endIsValid) {
      report(["feedProfile", i, "endH"], `must be greater than startH, ${startH} h (got ${endH})`, endH);
    }

    if (previous !== undefined) {
      const at: (string | number)[] = ["feedProfile", i, "startH"];
      if (startH < previous.startH) {
        report(
          at,
          `segments must be sorted by startH; this one starts at ${startH} h, before segment ${previous.index} (${previous.startH} h)`,
          startH,
        );
      } else if (previous.end === "open") {
        report(
          at,
          `segment ${previous.index} has no endH, so it runs to the end of the process and no segment may follow it`,
          startH,
        );
      } else if (previous.end !== "invalid" && startH < previous.end) {
        report(
          at,
          `overlaps segment ${previous.index}, which runs until ${previous.end} h; start at ${previous.end} h or later`,
          startH,
        );
      }
    }
    const end = segment.endH === undefined ? "open" : endIsValid ? endH : "invalid";
    previous = { index: i, startH, end };
  });
}

/** Rules between sections, for both models; `scenario` is the whole (possibly invalid) document. */
export function checkScenarioRules(scenario: unknown, report: ReportRule): void {
  if (!isRecord(scenario) || !isRecord(scenario.reactor)) return;
  checkVesselRules(scenario.reactor, isRecord(scenario.initial) ? scenario.initial : {}, report);
  if (!isRecord(scenario.initial)) return;
  const maxVolumeL = positive(scenario.reactor.maxVolumeL);
  const volumeL = positive(scenario.initial.volumeL);
  if (maxVolumeL !== undefined && volumeL !== undefined && volumeL > maxVolumeL) {
    report(["initial", "volumeL"], `must be at most reactor.maxVolumeL, ${maxVolumeL} L (got ${volumeL})`, volumeL);
  }
}

/**
 * The parts of `reactor.vessel` fit together: impeller and sparger narrower than the
 * vessel, impellers and sparger below its top, and the largest liquid volume
 * (reactor.maxVolumeL, else initial.volumeL) inside it. The vessel is resolved as the
 * engine does (engine/vessel/resolve.ts) from the fields that pass their own checks; a
 * problem is reported at the field the scenario gave, or at the field it overrides.
 */
function checkVesselRules(reactor: Record<string, unknown>, initial: Record<string, unknown>, report: ReportRule): void {
  if (!isRecord(reactor.vessel)) return;
  const settings = validFields(VesselSchema, reactor.vessel);
  const maxVolumeL = positive(reactor.maxVolumeL);
  const initialVolumeL = positive(initial.volumeL);
  const largestL = maxVolumeL ?? initialVolumeL;
  if (settings.preset === undefined && largestL === undefined) return; // nothing to size the vessel by
  const vessel = resolveVesselSettings(settings, { maxVolumeL, initialVolumeL: initialVolumeL ?? Number.NaN });
  /** The first of `candidates` (dotted paths below reactor.vessel) that the scenario gives; "" if none. */
  const blame = (...candidates: string[]): string =>
    candidates.find((path) => given(settings, path.split("."))) ?? "";
  const at = (path: string): string[] => ["reactor", "vessel", ...(path === "" ? [] : path.split("."))];
  const m = (value: number): string => `${formatNumber(value)} m`;

  const T = vessel.diameterM;
  for (const part of ["impeller", "sparger"] as const) {
    const width = vessel[part].diameterM;
    if (width >= T) {
      const path = blame(`${part}.diameterM`, "diameterM");
      const partAtFault = path !== "diameterM";
      report(
        at(path),
        partAtFault
          ? `must be smaller than the vessel diameter, ${m(T)} (got ${formatNumber(width)})`
          : `must be larger than the ${part} diameter, ${m(width)} (got ${formatNumber(T)})`,
        partAtFault ? width : T,
      );
    }
  }

  const H = vessel.heightM;
  const { count, bottomClearanceM, spacingM } = vessel.impeller;
  const topImpellerM = bottomClearanceM + (count - 1) * spacingM;
  if (topImpellerM >= H) {
    const stack =
      count === 1
        ? `bottomClearanceM ${m(bottomClearanceM)}`
        : `bottomClearanceM ${m(bottomClearanceM)} + ${count - 1} × spacingM ${m(spacingM)}`;
    const path = blame(
      count === 1 ? "impeller.bottomClearanceM" : "impeller.spacingM",
      "impeller.count",
      "impeller.bottomClearanceM",
      "heightM",
    );
    report(
      at(path),
      path === "heightM"
        ? `must be above the top impeller, at ${m(topImpellerM)} (${stack}) (got ${formatNumber(H)})`
        : `puts the top impeller at ${m(topImpellerM)} (${stack}), not below the vessel height, ${m(H)}`,
    );
  }
  if (vessel.sparger.heightM >= H) {
    const path = blame("sparger.heightM", "heightM");
    report(
      at(path),
      path === "heightM"
        ? `must be above the sparger, at ${m(vessel.sparger.heightM)} (got ${formatNumber(H)})`
        : `must be below the vessel height, ${m(H)} (got ${formatNumber(vessel.sparger.heightM)})`,
    );
  }

  const capacityL = vesselVolumeL(vessel);
  if (largestL !== undefined && largestL > capacityL) {
    report(
      maxVolumeL !== undefined ? ["reactor", "maxVolumeL"] : ["initial", "volumeL"],
      `must be at most the volume of reactor.vessel (${vessel.label}), ${formatNumber(capacityL)} L up to its ` +
        `height of ${m(H)} (got ${largestL})`,
      largestL,
    );
  }
}

/** The fields of `value` that pass their own check in the object schema `schema`, recursing into objects. */
function validFields<T extends z.ZodObject>(schema: T, value: Record<string, unknown>): z.output<T> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = field instanceof z.ZodOptional ? field.unwrap() : field;
    const raw = value[key];
    if (raw === undefined) continue;
    if (inner instanceof z.ZodObject) {
      if (isRecord(raw)) out[key] = validFields(inner, raw);
    } else if ((field as z.ZodType).safeParse(raw).success) {
      out[key] = raw;
    }
  }
  return out as z.output<T>;
}

/** Whether `settings` holds a value at `path`. */
function given(settings: unknown, path: string[]): boolean {
  let node = settings;
  for (const key of path) {
    if (!isRecord(node)) return false;
    node = node[key];
  }
  return node !== undefined;
}

/** Up to 4 significant digits ("0.1216", "2921"). */
function formatNumber(value: number): string {
  return String(Number(value.toPrecision(4)));
}

export function isNonEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

/** The value if it is a finite number >= 0 (it passed its own field check), else undefined. */
export function nonNegative(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The value if it is a finite number > 0, else undefined. */
export function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The rules of the scenario format that span several fields: which feeds each
 * process mode allows, when feeds happen, and the starting volume against the
 * vessel, for the microbial model and those shared with the cho model
 * (cho-rules.ts holds the cho model's own). The schemas run them on every
 * parse, also when other fields have errors, so every violation is listed at
 * once; values are read defensively and a field that fails its own check is
 * skipped here.
 */
import type { z } from "zod";
import { isRecord } from "./is-record";

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
  if (!isRecord(scenario) || !isRecord(scenario.reactor) || !isRecord(scenario.initial)) return;
  const maxVolumeL = positive(scenario.reactor.maxVolumeL);
  const volumeL = positive(scenario.initial.volumeL);
  if (maxVolumeL !== undefined && volumeL !== undefined && volumeL > maxVolumeL) {
    report(["initial", "volumeL"], `must be at most reactor.maxVolumeL, ${maxVolumeL} L (got ${volumeL})`, volumeL);
  }
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

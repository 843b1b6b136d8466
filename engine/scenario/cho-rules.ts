/**
 * The rules of the cho model that span several fields: which feeds each
 * process mode allows, that every feed names a defined medium, when feeds,
 * samples and setpoint changes happen, and limits that come in pairs
 * (osmolality onset and stop, cascade minimum and maximum, bleed and
 * perfusion rate). The schemas (cho-schema.ts, control-schema.ts, schema.ts)
 * run them on every parse, also when other fields have errors; values are read
 * defensively and a field that fails its own check is skipped here.
 */
import { isRecord } from "./is-record";
import { checkFeedTiming, checkScenarioRules, nonNegative, positive, type ReportRule } from "./rules";

type Path = (string | number)[];

/** The growth-stop osmolality lies above the onset; `parameters` is cells.parameters. */
export function checkChoParameterRules(parameters: unknown, report: ReportRule): void {
  if (!isRecord(parameters)) return;
  const onset = positive(parameters.osmolalityGrowthOnsetMOsmPerKg);
  const stop = positive(parameters.osmolalityGrowthStopMOsmPerKg);
  if (onset !== undefined && stop !== undefined && stop <= onset) {
    report(
      ["osmolalityGrowthStopMOsmPerKg"],
      `must be greater than osmolalityGrowthOnsetMOsmPerKg, ${onset} mOsm/kg (got ${stop})`,
      stop,
    );
  }
}

/** Mode rules, medium references, timing and paired limits; `process` is the (possibly invalid) "process" object. */
export function checkChoProcessRules(process: unknown, report: ReportRule): void {
  if (!isRecord(process)) return;
  checkModeRules(process, report);
  checkMediumReferences(process, report);
  checkFeedTiming(process, report);
  checkScheduleTiming(process, report);
  checkBolusScheduleVolumes(process, report);

  const onDemand = process.feedOnDemand;
  if (isRecord(onDemand)) {
    const below = nonNegative(onDemand.belowMM);
    const target = positive(onDemand.targetMM);
    if (below !== undefined && target !== undefined && target <= below) {
      report(["feedOnDemand", "targetMM"], `must be greater than belowMM, ${below} mM (got ${target})`, target);
    }
    // Mixing in a medium moves glucose towards the medium's: only a richer medium can reach the target.
    const media = process.media;
    const name = onDemand.medium;
    const medium = isRecord(media) && typeof name === "string" && Object.hasOwn(media, name) ? media[name] : undefined;
    const mediumGlucose = isRecord(medium) ? nonNegative(medium.glucoseMM) : undefined;
    if (target !== undefined && mediumGlucose !== undefined && mediumGlucose <= target) {
      report(
        ["feedOnDemand", "medium"],
        `medium ${JSON.stringify(name)} holds ${mediumGlucose} mM glucose, not more than targetMM, ${target} mM, so it cannot bring glucose up to the target`,
        name,
      );
    }
  }
  const perfusion = process.perfusion;
  if (isRecord(perfusion)) {
    const rate = positive(perfusion.rateVVD);
    const bleed = nonNegative(perfusion.bleedVVD);
    if (rate !== undefined && bleed !== undefined && bleed > rate) {
      report(["perfusion", "bleedVVD"], `must be at most rateVVD, ${rate} 1/day (got ${bleed})`, bleed);
    }
  }
}

/** The feeds that make a fed-batch; a batch has none of them. */
const FED_BATCH_FEEDS = ["boluses", "bolusSchedules", "feedProfile", "feedOnDemand"] as const;

function checkModeRules(process: Record<string, unknown>, report: ReportRule): void {
  const has = (key: string): boolean => {
    const value = process[key];
    return Array.isArray(value) ? value.length > 0 : value !== undefined;
  };
  const onlyContinuous = (): void => {
    if (has("continuous")) report(["continuous"], 'only a continuous culture has "continuous"; remove it or use mode "continuous"');
  };
  const onlyPerfusion = (): void => {
    if (has("perfusion")) report(["perfusion"], 'only a perfusion culture has "perfusion"; remove it or use mode "perfusion"');
  };

  switch (process.mode) {
    case "batch":
      for (const key of FED_BATCH_FEEDS) {
        if (has(key)) report([key], `a batch has no feeds; remove "${key}" or use mode "fed-batch"`);
      }
      if (has("continuous")) report(["continuous"], 'a batch has no feeds; remove "continuous" or use mode "continuous"');
      if (has("perfusion")) report(["perfusion"], 'a batch has no feeds; remove "perfusion" or use mode "perfusion"');
      break;
    case "fed-batch":
      if (!FED_BATCH_FEEDS.some(has)) {
        report([], 'a fed-batch needs at least one feed: "boluses", "bolusSchedules", "feedProfile" or "feedOnDemand"');
      }
      onlyContinuous();
      onlyPerfusion();
      break;
    case "continuous":
      if (!has("continuous")) {
        report(["continuous"], 'required for mode "continuous" (an object with dilutionRatePerH and medium)');
      }
      onlyPerfusion();
      break;
    case "perfusion":
      if (!has("perfusion")) report(["perfusion"], 'required for mode "perfusion" (an object with medium and rateVVD)');
      onlyContinuous();
      break;
  }
}

/** Every "medium" of a feed names a key of process.media. */
function checkMediumReferences(process: Record<string, unknown>, report: ReportRule): void {
  if (!isRecord(process.media)) return; // its own field check reports it
  const known = Object.keys(process.media);
  const check = (path: Path, item: unknown): void => {
    if (!isRecord(item) || typeof item.medium !== "string" || known.includes(item.medium)) return;
    const listed = known.length === 0 ? "it is empty" : `known: ${known.map((name) => JSON.stringify(name)).join(", ")}`;
    report([...path, "medium"], `no medium ${JSON.stringify(item.medium)} in process.media (${listed})`, item.medium);
  };
  for (const key of ["boluses", "bolusSchedules", "feedProfile"]) {
    const list = process[key];
    if (Array.isArray(list)) list.forEach((item, i) => check([key, i], item));
  }
  for (const key of ["feedOnDemand", "continuous", "perfusion"]) check([key], process[key]);
}

/** Repeated events (bolus schedules, feed on demand, sampling) and perfusion start within the run; untilH after startH. */
function checkScheduleTiming(process: Record<string, unknown>, report: ReportRule): void {
  const withinRun = atMostDuration(positive(process.durationH), "durationH", report);
  const checkWindow = (path: Path, item: unknown): void => {
    if (!isRecord(item)) return;
    const startH = nonNegative(item.startH);
    const untilH = nonNegative(item.untilH);
    withinRun([...path, "startH"], startH);
    withinRun([...path, "untilH"], untilH);
    if (startH !== undefined && untilH !== undefined && untilH <= startH) {
      report([...path, "untilH"], `must be greater than startH, ${startH} h (got ${untilH})`, untilH);
    }
  };
  if (Array.isArray(process.bolusSchedules)) {
    process.bolusSchedules.forEach((schedule, i) => checkWindow(["bolusSchedules", i], schedule));
  }
  checkWindow(["feedOnDemand"], process.feedOnDemand);
  checkWindow(["sampling"], process.sampling);
  if (isRecord(process.perfusion)) withinRun(["perfusion", "startH"], nonNegative(process.perfusion.startH));
}

/** Each bolus schedule gives its volume exactly one way. */
function checkBolusScheduleVolumes(process: Record<string, unknown>, report: ReportRule): void {
  if (!Array.isArray(process.bolusSchedules)) return;
  process.bolusSchedules.forEach((schedule, i) => {
    if (!isRecord(schedule)) return;
    const hasVolume = schedule.volumeL !== undefined;
    const hasPercent = schedule.percentOfInitialVolume !== undefined;
    if (hasVolume && hasPercent) {
      report(["bolusSchedules", i], 'give the volume of each bolus once: "volumeL" or "percentOfInitialVolume", not both');
    } else if (!hasVolume && !hasPercent) {
      report(
        ["bolusSchedules", i],
        'required: the volume of each bolus, as "volumeL" (a number in L) or "percentOfInitialVolume" (a number in %)',
      );
    }
  });
}

/** The control loops, each with a setpoint schedule. */
const CONTROL_LOOPS = ["temperature", "dissolvedOxygen", "pH"] as const;

/** Schedules are sorted by time; cascade limits come as min <= max. `control` is the "control" object. */
export function checkControlRules(control: unknown, report: ReportRule): void {
  if (!isRecord(control)) return;
  for (const loop of CONTROL_LOOPS) {
    const settings = control[loop];
    if (!isRecord(settings) || !Array.isArray(settings.schedule)) continue;
    let previous: { index: number; timeH: number } | undefined;
    settings.schedule.forEach((entry, i) => {
      const timeH = isRecord(entry) ? nonNegative(entry.timeH) : undefined;
      if (timeH === undefined) return;
      const at: Path = [loop, "schedule", i, "timeH"];
      if (previous !== undefined && timeH < previous.timeH) {
        report(
          at,
          `the schedule must be sorted by timeH; this entry is at ${timeH} h, before entry ${previous.index} (${previous.timeH} h)`,
          timeH,
        );
      } else if (previous !== undefined && timeH === previous.timeH) {
        report(at, `entry ${previous.index} is also at ${timeH} h; give each time once`, timeH);
      }
      if (previous === undefined || timeH >= previous.timeH) previous = { index: i, timeH };
    });
  }

  const oxygen = control.dissolvedOxygen;
  if (isRecord(oxygen)) {
    const pairs = [
      ["agitationMinRpm", "agitationMaxRpm", "rpm"],
      ["gasFlowMinLPerMin", "gasFlowMaxLPerMin", "L/min"],
    ] as const;
    for (const [minKey, maxKey, unit] of pairs) {
      const min = nonNegative(oxygen[minKey]);
      const max = positive(oxygen[maxKey]);
      if (min !== undefined && max !== undefined && max < min) {
        report(["dissolvedOxygen", maxKey], `must be at least ${minKey}, ${min} ${unit} (got ${max})`, max);
      }
    }
  }
}

/** The shared rules between sections, and setpoint changes within the run; `scenario` is the whole document. */
export function checkChoScenarioRules(scenario: unknown, report: ReportRule): void {
  checkScenarioRules(scenario, report);
  if (isRecord(scenario) && isRecord(scenario.reactor)) checkZoneRules(scenario.reactor, report);
  if (!isRecord(scenario) || !isRecord(scenario.process) || !isRecord(scenario.control)) return;
  const withinRun = atMostDuration(positive(scenario.process.durationH), "process.durationH", report);
  for (const loop of CONTROL_LOOPS) {
    const settings = scenario.control[loop];
    if (!isRecord(settings) || !Array.isArray(settings.schedule)) continue;
    settings.schedule.forEach((entry, i) => {
      if (isRecord(entry)) withinRun(["control", loop, "schedule", i, "timeH"], nonNegative(entry.timeH));
    });
  }
}

/** Reports a time later than the run's duration; `name` is how the message names the duration. */
function atMostDuration(
  durationH: number | undefined,
  name: string,
  report: ReportRule,
): (path: Path, timeH: number | undefined) => void {
  return (path, timeH) => {
    if (timeH !== undefined && durationH !== undefined && timeH > durationH) {
      report(path, `must be at most ${name}, ${durationH} h (got ${timeH})`, timeH);
    }
  };
}

/** Zones need a vessel (their heights, impellers and sparger) and a probe inside the tank. */
function checkZoneRules(reactor: Record<string, unknown>, report: ReportRule): void {
  const zones = reactor.zones;
  if (!isRecord(zones)) return;
  if (reactor.vessel === undefined) {
    report(["reactor", "zones"], "needs reactor.vessel: the zones are slices of the vessel's liquid (give a preset, e.g. \"steel-90m3\")", zones);
  }
  const count = positive(zones.count);
  const probe = nonNegative(zones.probeZone);
  if (count !== undefined && probe !== undefined && probe >= count) {
    report(["reactor", "zones", "probeZone"], `must be below the zone count, ${count} (zones are numbered from 0 at the top; got ${probe})`, probe);
  }
}

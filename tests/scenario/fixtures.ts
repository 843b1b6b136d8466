/** Scenario documents shared by the scenario tests; each call returns a fresh copy to edit. */

/** The smallest valid scenario: E. coli batch with every default left out. */
export function minimalBatch(): Record<string, any> {
  return {
    format: "biotwin-scenario",
    version: 1,
    metadata: { title: "E. coli batch on glucose" },
    cells: { model: "microbial" },
    initial: { volumeL: 1, biomassGPerL: 0.05, substrateGPerL: 20 },
    process: { mode: "batch", durationH: 24 },
  };
}

/** A valid fed-batch with a bolus and a two-segment feed profile. */
export function fedBatch(): Record<string, any> {
  return {
    ...minimalBatch(),
    reactor: { maxVolumeL: 2 },
    process: {
      mode: "fed-batch",
      durationH: 48,
      feedMedium: { substrateGPerL: 500 },
      boluses: [{ timeH: 10, volumeL: 0.05 }],
      feedProfile: [
        { startH: 12, endH: 20, rateLPerH: 0.01, exponentialRatePerH: 0.15 },
        { startH: 20, rateLPerH: 0.03 },
      ],
    },
  };
}

/** A valid chemostat. */
export function chemostat(): Record<string, any> {
  return {
    ...minimalBatch(),
    process: { mode: "continuous", durationH: 100, feedMedium: { substrateGPerL: 10 }, dilutionRatePerH: 0.2 },
  };
}

/** The smallest valid CHO scenario: a batch with every default left out. */
export function choMinimalBatch(): Record<string, any> {
  return {
    format: "biotwin-scenario",
    version: 1,
    metadata: { title: "CHO batch" },
    cells: { model: "cho" },
    initial: { volumeL: 2, viableCellsE6PerMl: 0.3, glucoseMM: 30, glutamineMM: 4 },
    process: { mode: "batch", durationH: 240 },
  };
}

/** A valid CHO fed-batch using every kind of fed-batch feed, sampling, harvest and a temperature shift. */
export function choFedBatch(): Record<string, any> {
  return {
    ...choMinimalBatch(),
    reactor: { maxVolumeL: 3 },
    process: {
      mode: "fed-batch",
      durationH: 336,
      media: {
        feed: { glucoseMM: 250, glutamineMM: 40, sodiumMM: 40, chlorideMM: 20, bicarbonateMM: 20 },
        glucose: { glucoseMM: 2200, osmolalityMOsmPerKg: 2400 },
      },
      boluses: [{ timeH: 48, volumeL: 0.02, medium: "feed" }],
      bolusSchedules: [{ medium: "feed", startH: 72, everyH: 24, percentOfInitialVolume: 3 }],
      feedProfile: [{ startH: 100, endH: 200, rateLPerH: 0.001, medium: "feed" }],
      feedOnDemand: { medium: "glucose", belowMM: 11, targetMM: 22, startH: 72 },
      sampling: { volumeL: 0.005, everyH: 24 },
      harvest: { viabilityBelowPercent: 70 },
    },
    control: { temperature: { schedule: [{ timeH: 120, setpointC: 33 }] } },
  };
}

/** A valid CHO perfusion culture with a bleed. */
export function choPerfusion(): Record<string, any> {
  return {
    ...choMinimalBatch(),
    process: {
      mode: "perfusion",
      durationH: 720,
      media: { basal: { glucoseMM: 30, glutamineMM: 4, sodiumMM: 120, chlorideMM: 100, bicarbonateMM: 24 } },
      perfusion: { medium: "basal", startH: 48, rateVVD: 1, bleedVVD: 0.1 },
    },
  };
}

/** A valid CHO chemostat. */
export function choChemostat(): Record<string, any> {
  return {
    ...choMinimalBatch(),
    process: {
      mode: "continuous",
      durationH: 500,
      media: { basal: { glucoseMM: 30, glutamineMM: 4 } },
      continuous: { dilutionRatePerH: 0.01, medium: "basal" },
    },
  };
}

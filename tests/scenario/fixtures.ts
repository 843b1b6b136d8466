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

// Maps a microbial scenario onto the core (parameters, initial state, feed events)
// and names the core's output columns with their units. Equations: docs/model.md §2.
import * as L from "../../assembly/layout";
import type { SetupTarget } from "../core-bridge";
import type { Scenario } from "../scenario";
import type { Balance, ColumnEnds, ColumnSpec, ModelAdapter } from "./adapter";

type MicrobialScenario = Extract<Scenario, { cells: { model: "microbial" } }>;

/** Output columns after time, in the core's row order: states, then derived values. */
const COLUMNS: ColumnSpec[] = [
  { name: "biomass", unit: "g/L", description: "viable biomass concentration" },
  { name: "dead_biomass", unit: "g/L", description: "dead biomass concentration" },
  { name: "substrate", unit: "g/L", description: "substrate concentration" },
  { name: "product", unit: "g/L", description: "product concentration" },
  { name: "dissolved_o2", unit: "mmol/L", description: "dissolved oxygen concentration" },
  { name: "volume", unit: "L", description: "liquid volume" },
  { name: "substrate_fed", unit: "g", description: "cumulative substrate fed (continuous feed and boluses)" },
  { name: "substrate_consumed", unit: "g", description: "cumulative substrate taken up by the cells" },
  { name: "substrate_removed", unit: "g", description: "cumulative substrate leaving with the outflow" },
  { name: "growth_rate", unit: "1/h", description: "specific growth rate" },
  { name: "substrate_uptake_rate", unit: "g/g/h", description: "specific substrate uptake rate" },
  { name: "our", unit: "mmol/L/h", description: "oxygen uptake rate" },
  { name: "otr", unit: "mmol/L/h", description: "oxygen transfer rate" },
  { name: "do_saturation", unit: "% air sat.", description: "dissolved oxygen as a percentage of air saturation" },
  { name: "feed_rate", unit: "L/h", description: "inflow rate of feed medium" },
  { name: "viability", unit: "%", description: "viable share of total biomass" },
];

function configure(core: SetupTarget, scenario: MicrobialScenario): void {
  const { parameters: k, terms } = scenario.cells;
  const { reactor, initial, process } = scenario;
  const set = (slot: number, value: number) => core.setParam(slot, value);
  const flag = (on: boolean) => (on ? 1 : 0);
  set(L.MP_MU_MAX, k.muMaxPerH);
  set(L.MP_KS, k.ksGPerL);
  set(L.MP_YXS, k.yieldBiomassPerSubstrateGPerG);
  set(L.MP_MS, k.maintenanceSubstrateGPerGPerH);
  set(L.MP_KD, k.deathRatePerH);
  set(L.MP_ALPHA, k.productGrowthAssociatedGPerG);
  set(L.MP_BETA, k.productNonGrowthGPerGPerH);
  set(L.MP_YXO, k.yieldBiomassPerOxygenGPerMmol);
  set(L.MP_MO, k.maintenanceOxygenMmolPerGPerH);
  set(L.MP_KO, k.koMmolPerL);
  set(L.MP_XMAX, k.maxBiomassGPerL ?? 0);
  set(L.MP_KLA, reactor.kLaPerH);
  set(L.MP_O2_SAT, reactor.oxygenSaturationMmolPerL);
  set(L.MP_FEED_S, process.feedMedium?.substrateGPerL ?? 0);
  set(L.MP_ON_SUBSTRATE_LIMIT, flag(terms.substrateLimitation));
  set(L.MP_ON_MAINTENANCE, flag(terms.maintenance));
  set(L.MP_ON_DEATH, flag(terms.death));
  set(L.MP_ON_PRODUCT, flag(terms.product));
  set(L.MP_ON_OXYGEN, flag(terms.oxygen));

  core.setState(L.MX_X, initial.biomassGPerL);
  core.setState(L.MX_XD, initial.deadBiomassGPerL);
  core.setState(L.MX_S, initial.substrateGPerL);
  core.setState(L.MX_P, initial.productGPerL);
  core.setState(L.MX_O2, (initial.dissolvedOxygenPercent / 100) * reactor.oxygenSaturationMmolPerL);
  core.setState(L.MX_V, initial.volumeL);

  if (process.mode === "continuous") {
    // Chemostat: inflow D·V0 and an equal outflow keep the volume constant.
    set(L.MP_FEED_RATE, (process.dilutionRatePerH ?? 0) * initial.volumeL);
    set(L.MP_OUTFLOW, 1);
  }
  for (const bolus of process.boluses ?? []) {
    core.addEvent(bolus.timeH, L.EVENT_BOLUS, 0, bolus.volumeL);
  }
  for (const segment of process.feedProfile ?? []) {
    core.addEvent(segment.startH, L.EVENT_SET_PARAM, L.MP_FEED_T0, segment.startH);
    core.addEvent(segment.startH, L.EVENT_SET_PARAM, L.MP_FEED_EXP, segment.exponentialRatePerH);
    core.addEvent(segment.startH, L.EVENT_SET_PARAM, L.MP_FEED_RATE, segment.rateLPerH);
    if (segment.endH !== undefined) core.addEvent(segment.endH, L.EVENT_SET_PARAM, L.MP_FEED_RATE, 0);
  }
}

function eventCount(scenario: MicrobialScenario): number {
  return (scenario.process.boluses?.length ?? 0) + 4 * (scenario.process.feedProfile?.length ?? 0);
}

/** Substrate: fed = consumed + removed + accumulated (docs/model.md §2.6). */
function balances(last: (name: string) => ColumnEnds): Balance[] {
  const s = last("substrate");
  const v = last("volume");
  const fed = last("substrate_fed").last - last("substrate_fed").first;
  const consumed = last("substrate_consumed").last - last("substrate_consumed").first;
  const removed = last("substrate_removed").last - last("substrate_removed").first;
  const accumulated = s.last * v.last - s.first * v.first;
  const closure = fed - consumed - removed - accumulated;
  const scale = Math.max(Math.abs(fed), Math.abs(s.first * v.first), Number.MIN_VALUE);
  return [
    {
      quantity: "substrate",
      unit: "g",
      in: fed,
      out: removed,
      produced: 0,
      consumed,
      accumulated,
      closureError: closure,
      relativeClosureError: closure / scale,
    },
  ];
}

export const microbialModel: ModelAdapter<MicrobialScenario> = {
  modelId: L.MODEL_MICROBIAL,
  columns: COLUMNS,
  configure,
  eventCount,
  balances,
  absTolScale: (scenario) => {
    // Amount states (g) and the volume (L) scale with the vessel; concentrations do not.
    const scale = Math.max(1, scenario.initial.volumeL);
    return [1, 1, 1, 1, 1, scale, scale, scale, scale];
  },
};

// Maps a CHO scenario onto the core (kinetics, reactor, control loops, media, feeds,
// perfusion, sampling, harvest rule), names the output columns with their units and
// computes the balance report. Equations and sources: docs/model.md §4–§8.
import * as L from "../../assembly/layout";
import { GRAVITY_M_PER_S2, powerNumber } from "../../assembly/vessel";
import type { SetupTarget } from "../core-bridge";
import type { ChoScenario } from "../scenario";
import { impellerHeightsM, liquidHeightM } from "../vessel/geometry";
import { CULTURE_MEDIUM, IMPELLER_IDS } from "../vessel/physics";
import { resolveVessel } from "../vessel/resolve";
import type { Balance, ColumnEnds, ColumnSpec, ModelAdapter } from "./adapter";

/** Output columns after time, in the core's row order: states, then derived values. */
export const CHO_COLUMNS: ColumnSpec[] = [
  { name: "viable_cells", unit: "1e6 cells/mL", description: "viable cell density" },
  { name: "dead_cells", unit: "1e6 cells/mL", description: "dead (not yet lysed) cell density" },
  { name: "glucose", unit: "mM", description: "glucose concentration" },
  { name: "glutamine", unit: "mM", description: "glutamine concentration" },
  { name: "lactate", unit: "mM", description: "lactate concentration" },
  { name: "ammonium", unit: "mM", description: "ammonium concentration" },
  { name: "antibody", unit: "mg/L", description: "antibody concentration" },
  { name: "dissolved_o2", unit: "mM", description: "dissolved oxygen concentration" },
  { name: "inorganic_carbon", unit: "mM", description: "total inorganic carbon, dissolved CO2 plus bicarbonate" },
  { name: "sodium", unit: "mM", description: "sodium and potassium" },
  { name: "chloride", unit: "mM", description: "chloride and other fixed anions" },
  { name: "other_solutes", unit: "mOsm/kg", description: "osmolality of solutes not modelled one by one" },
  { name: "volume", unit: "L", description: "liquid volume" },
  { name: "temperature", unit: "°C", description: "broth temperature" },
  { name: "temperature_integral", unit: "K·h", description: "integral state of the temperature loop" },
  { name: "do_integral", unit: "%·h", description: "integral state of the DO loop" },
  { name: "ph_integral", unit: "h", description: "integral state of the pH loop (pH units × h)" },
  { name: "glucose_fed", unit: "mmol", description: "cumulative glucose fed" },
  { name: "glucose_consumed", unit: "mmol", description: "cumulative glucose taken up by the cells" },
  { name: "glucose_removed", unit: "mmol", description: "cumulative glucose leaving with outflows and samples" },
  { name: "glutamine_fed", unit: "mmol", description: "cumulative glutamine fed" },
  { name: "glutamine_consumed", unit: "mmol", description: "cumulative glutamine taken up or decayed" },
  { name: "glutamine_removed", unit: "mmol", description: "cumulative glutamine leaving with outflows and samples" },
  { name: "cells_grown", unit: "1e9 cells", description: "cumulative viable cells formed" },
  { name: "cells_died", unit: "1e9 cells", description: "cumulative viable cells that died" },
  { name: "cells_removed", unit: "1e9 cells", description: "cumulative viable cells removed" },
  { name: "volume_added", unit: "L", description: "cumulative volume of feeds, base and fresh medium" },
  { name: "volume_removed", unit: "L", description: "cumulative volume of harvest, bleed, outflow and samples" },
  { name: "sodium_added", unit: "mmol", description: "cumulative sodium added with feeds and base" },
  { name: "sodium_removed", unit: "mmol", description: "cumulative sodium removed" },
  { name: "lactate_produced", unit: "mmol", description: "cumulative lactate produced minus consumed" },
  { name: "lactate_removed", unit: "mmol", description: "cumulative lactate removed" },
  { name: "antibody_produced", unit: "mg", description: "cumulative antibody produced" },
  { name: "antibody_removed", unit: "mg", description: "cumulative antibody removed (harvest, bleed, samples)" },
  { name: "base_added", unit: "L", description: "cumulative base solution added by the pH loop" },
  { name: "viability", unit: "%", description: "viable share of all cells" },
  { name: "titer", unit: "g/L", description: "antibody titer" },
  { name: "do_saturation", unit: "% air sat.", description: "dissolved oxygen (DO probe)" },
  { name: "ph", unit: "pH", description: "pH (pH probe)" },
  { name: "pco2", unit: "mmHg", description: "partial pressure of dissolved CO2 (pCO2 probe)" },
  { name: "osmolality", unit: "mOsm/kg", description: "osmolality" },
  { name: "conductivity", unit: "mS/cm", description: "conductivity (conductivity probe)" },
  { name: "growth_rate", unit: "1/h", description: "specific growth rate" },
  { name: "death_rate", unit: "1/h", description: "specific death rate" },
  { name: "qp", unit: "pg/cell/day", description: "specific antibody productivity" },
  { name: "our", unit: "mmol/L/h", description: "oxygen uptake rate" },
  { name: "cer", unit: "mmol/L/h", description: "CO2 evolution rate" },
  { name: "kla_o2", unit: "1/h", description: "volumetric O2 transfer coefficient" },
  { name: "agitation", unit: "rpm", description: "impeller speed (DO cascade stage 1)" },
  { name: "gas_flow", unit: "L/min", description: "sparge gas flow (DO cascade stage 2)" },
  { name: "o2_fraction", unit: "%", description: "O2 in the sparge gas (DO cascade stage 3)" },
  { name: "co2_fraction", unit: "%", description: "CO2 in the sparge gas (pH loop, acid side)" },
  { name: "base_rate", unit: "mL/h", description: "base pump rate (pH loop, base side)" },
  { name: "heater_power", unit: "W", description: "heating (positive) or cooling (negative) power of the temperature loop" },
  { name: "feed_rate", unit: "L/h", description: "continuous feed rate" },
  { name: "perfusion_rate", unit: "L/h", description: "fresh medium of perfusion or chemostat" },
  { name: "temperature_setpoint", unit: "°C", description: "temperature setpoint" },
  { name: "do_setpoint", unit: "% air sat.", description: "DO setpoint" },
  { name: "ph_setpoint", unit: "pH", description: "pH setpoint" },
];

const HOURS_PER_DAY = 24;
const PA_PER_ATM = 101_325;

/**
 * With a vessel in the scenario, kLa comes from its gassed power and gas velocity
 * (docs/model.md §10.3): the correlation, the diameters, the power numbers of the
 * impellers below the surface at the initial volume, the broth, and saturation at
 * the mean hydrostatic pressure. Without one, the reference power law of §5.1.
 */
function vesselKla(scenario: ChoScenario): [number, number][] {
  const settings = scenario.reactor.vessel;
  if (!settings) return [[L.CP_KLA_MODEL, L.KLA_MODEL_REFERENCE]];
  const vessel = resolveVessel(scenario);
  const fluid = CULTURE_MEDIUM;
  const heightM = liquidHeightM(vessel, scenario.initial.volumeL);
  const submerged = impellerHeightsM(vessel).filter((z) => z < heightM).length;
  const meanHeadPa = (fluid.densityKgPerM3 * GRAVITY_M_PER_S2 * heightM) / 2;
  return [
    [L.CP_KLA_MODEL, settings.kLaCorrelation === "vant-riet-non-coalescing" ? L.KLA_MODEL_VANT_RIET_NON_COALESCING : L.KLA_MODEL_VANT_RIET_COALESCING],
    [L.CP_VES_T, vessel.diameterM],
    [L.CP_IMP_D, vessel.impeller.diameterM],
    [L.CP_IMP_NP, submerged * powerNumber(IMPELLER_IDS[vessel.impeller.type])],
    [L.CP_RHO, fluid.densityKgPerM3],
    [L.CP_MU, fluid.viscosityPaS],
    [L.CP_PRESSURE, scenario.reactor.pressureAtm + meanHeadPa / PA_PER_ATM],
  ];
}

/** Times start, start + every, ... up to `until` (inclusive, within the run). */
function repeatTimes(startH: number, everyH: number, untilH: number): number[] {
  const times: number[] = [];
  for (let k = 0; ; k++) {
    const t = startH + k * everyH;
    if (t > untilH + 1e-9) break;
    times.push(t);
  }
  return times;
}

function mediumIndex(scenario: ChoScenario): Map<string, number> {
  return new Map(Object.keys(scenario.process.media).map((name, i) => [name, i]));
}

/** Every time event of the run, in the order the core must apply equal-time events. */
export function events(scenario: ChoScenario): [number, number, number, number][] {
  const { process, control, initial } = scenario;
  const media = mediumIndex(scenario);
  const m = (name: string) => media.get(name) ?? 0;
  const end = process.durationH;
  const list: [number, number, number, number][] = [];
  const set = (t: number, slot: number, value: number) => list.push([t, L.EVENT_SET_PARAM, slot, value]);
  for (const b of process.boluses ?? []) list.push([b.timeH, L.EVENT_BOLUS, m(b.medium), b.volumeL]);
  for (const s of process.bolusSchedules ?? []) {
    const volumeL = s.volumeL ?? ((s.percentOfInitialVolume ?? 0) / 100) * initial.volumeL;
    for (const t of repeatTimes(s.startH, s.everyH, Math.min(s.untilH ?? end, end))) list.push([t, L.EVENT_BOLUS, m(s.medium), volumeL]);
  }
  for (const seg of process.feedProfile ?? []) {
    set(seg.startH, L.CP_FEED_T0, seg.startH);
    set(seg.startH, L.CP_FEED_EXP, seg.exponentialRatePerH);
    set(seg.startH, L.CP_FEED_MEDIUM, m(seg.medium));
    set(seg.startH, L.CP_FEED_RATE, seg.rateLPerH);
    if (seg.endH !== undefined) set(seg.endH, L.CP_FEED_RATE, 0);
  }
  const demand = process.feedOnDemand;
  if (demand) {
    for (const t of repeatTimes(demand.startH, demand.everyH, Math.min(demand.untilH ?? end, end))) {
      list.push([t, L.EVENT_FEED_ON_DEMAND, m(demand.medium), 0]);
    }
  }
  const perfusion = process.perfusion;
  if (process.mode === "perfusion" && perfusion) {
    set(perfusion.startH, L.CP_PERF_MEDIUM, m(perfusion.medium));
    set(perfusion.startH, L.CP_RETENTION, perfusion.retentionEfficiency);
    set(perfusion.startH, L.CP_BLEED, (perfusion.bleedVVD * initial.volumeL) / HOURS_PER_DAY);
    set(perfusion.startH, L.CP_PERF_RATE, (perfusion.rateVVD * initial.volumeL) / HOURS_PER_DAY);
  }
  const sampling = process.sampling;
  if (sampling) {
    for (const t of repeatTimes(sampling.startH, sampling.everyH, Math.min(sampling.untilH ?? end, end))) {
      if (t > 0) list.push([t, L.EVENT_SAMPLE, 0, sampling.volumeL]);
    }
  }
  for (const s of control.temperature.schedule) set(s.timeH, L.CP_T_SP, s.setpointC);
  for (const s of control.dissolvedOxygen.schedule) set(s.timeH, L.CP_DO_SP, s.setpointPercent);
  for (const s of control.pH.schedule) set(s.timeH, L.CP_PH_SP, s.setpoint);
  return list.filter(([t]) => t <= end);
}

function configure(core: SetupTarget, scenario: ChoScenario): void {
  configureParameters(core, scenario);
  const { reactor: r, initial } = scenario;
  core.setState(L.CX_XV, initial.viableCellsE6PerMl);
  core.setState(L.CX_XD, initial.deadCellsE6PerMl);
  core.setState(L.CX_GLC, initial.glucoseMM);
  core.setState(L.CX_GLN, initial.glutamineMM);
  core.setState(L.CX_LAC, initial.lactateMM);
  core.setState(L.CX_AMM, initial.ammoniaMM);
  core.setState(L.CX_MAB, initial.titerGPerL * 1000);
  core.setState(L.CX_DO, (initial.dissolvedOxygenPercent / 100) * r.oxygenSaturationAirMM * r.pressureAtm);
  core.setState(L.CX_NA, initial.sodiumMM);
  core.setState(L.CX_V, initial.volumeL);
  core.setState(L.CX_T, initial.temperatureC);
  for (const [time, kind, index, value] of events(scenario)) core.addEvent(time, kind, index, value);
}

/**
 * Every parameter slot of the CHO model from the scenario (kinetics, reactor, vessel kLa,
 * control loops, media, flows, harvest rule, initial acid-base state); the zone model
 * (engine/models/cho-zones.ts) shares it.
 */
export function configureParameters(core: SetupTarget, scenario: ChoScenario): void {
  const { parameters: k, terms } = scenario.cells;
  const { reactor: r, initial, process, control } = scenario;
  const set = (slot: number, value: number) => core.setParam(slot, value);
  const flag = (on: boolean) => (on ? 1 : 0);
  const kinetics: [number, number][] = [
    [L.CP_MU_MAX, k.muMaxPerH],
    [L.CP_K_GLC, k.kGlucoseMM],
    [L.CP_K_GLN, k.kGlutamineMM],
    [L.CP_KI_LAC, k.kiLactateMM],
    [L.CP_KI_AMM, k.kiAmmoniaMM],
    [L.CP_MUD_MAX, k.deathMaxPerH],
    [L.CP_KD_LAC, k.kdLactateMM],
    [L.CP_KD_AMM, k.kdAmmoniaMM],
    [L.CP_Y_X_GLC, k.yieldCellsPerGlucoseCellsPerMmol],
    [L.CP_Y_X_GLN, k.yieldCellsPerGlutamineCellsPerMmol],
    [L.CP_Y_LAC_GLC, k.yieldLactatePerGlucoseMolPerMol],
    [L.CP_Y_AMM_GLN, k.yieldAmmoniaPerGlutamineMolPerMol],
    [L.CP_M_GLC, k.maintenanceGlucoseMmolPerCellPerH],
    [L.CP_A1, k.glutamineMaintenanceMaxMmolPerCellPerH],
    [L.CP_A2, k.glutamineMaintenanceKMM],
    [L.CP_D_GLN, k.glutamineDecayPerH],
    [L.CP_R_AMM, k.ammoniaUptakeMmolPerCellPerH],
    [L.CP_K_STARVE, k.starvationDeathPerH],
    [L.CP_KS_STARVE, k.starvationKMM],
    [L.CP_K_LYSIS, k.lysisPerH],
    [L.CP_Q_LAC_MAX, k.lactateUptakeMaxMmolPerCellPerH],
    [L.CP_K_LAC_UPTAKE, k.lactateUptakeKMM],
    [L.CP_QP0, k.qpPgPerCellPerDay],
    [L.CP_QP_BOOST, k.qpStationaryBoost],
    [L.CP_T_REF, k.referenceTemperatureC],
    [L.CP_MU_PER_K, k.growthReductionPerK],
    [L.CP_QP_PER_K, k.qpIncreasePerK],
    [L.CP_QO2, k.oxygenUptakeMmolPerCellPerH],
    [L.CP_RQ, k.respiratoryQuotient],
    [L.CP_KO, k.koMM],
    [L.CP_OSM_ONSET, k.osmolalityGrowthOnsetMOsmPerKg],
    [L.CP_OSM_STOP, k.osmolalityGrowthStopMOsmPerKg],
    [L.CP_ON_MAINTENANCE, flag(terms.maintenance)],
    [L.CP_ON_INHIBITION, flag(terms.byproductInhibition)],
    [L.CP_ON_BYPRODUCT_DEATH, flag(terms.byproductDeath)],
    [L.CP_ON_STARVATION, flag(terms.starvationDeath)],
    [L.CP_ON_LYSIS, flag(terms.lysis)],
    [L.CP_ON_LACTATE_SWITCH, flag(terms.lactateSwitch)],
    [L.CP_ON_GLN_DECAY, flag(terms.glutamineDecay)],
    [L.CP_ON_AMM_UPTAKE, flag(terms.ammoniaUptake)],
    [L.CP_ON_TEMPERATURE, flag(terms.temperatureEffects)],
    [L.CP_ON_OSMOLALITY, flag(terms.osmolalityEffects)],
    [L.CP_ON_O2_LIMIT, flag(terms.oxygenLimitation)],
    [L.CP_KLA_REF, r.kLaRefPerH],
    [L.CP_N_REF, r.agitationRefRpm],
    [L.CP_Q_REF, r.gasFlowRefLPerMin],
    [L.CP_KLA_N_EXP, r.kLaAgitationExponent],
    [L.CP_KLA_Q_EXP, r.kLaGasFlowExponent],
    [L.CP_KLA_SURFACE, r.surfaceKLaPerH],
    [L.CP_CO2_KLA_RATIO, r.co2KLaRatio],
    [L.CP_O2_SAT_AIR, r.oxygenSaturationAirMM],
    [L.CP_CO2_ALPHA, r.co2SolubilityMMPerMmHg],
    [L.CP_PRESSURE, r.pressureAtm],
    [L.CP_BUFFER, r.bufferMM],
    [L.CP_BUFFER_PKA, r.bufferPKa],
    [L.CP_UA, r.heatTransferWPerK],
    [L.CP_T_ROOM, r.roomTemperatureC],
  ];
  for (const [slot, value] of kinetics) set(slot, value);
  for (const [slot, value] of vesselKla(scenario)) set(slot, value);

  const t = control.temperature;
  set(L.CP_T_ON, flag(t.enabled));
  set(L.CP_T_SP, t.setpointC);
  set(L.CP_T_KP, t.gainWPerK);
  set(L.CP_T_TI, t.integralTimeH);
  set(L.CP_T_HEAT_MAX, t.heaterMaxW);
  set(L.CP_T_COOL_MAX, t.coolerMaxW);
  set(L.CP_T_FIXED, t.fixedHeaterW);
  const d = control.dissolvedOxygen;
  set(L.CP_DO_ON, flag(d.enabled));
  set(L.CP_DO_SP, d.setpointPercent);
  set(L.CP_DO_KP, d.gainPerPercent);
  set(L.CP_DO_TI, d.integralTimeH);
  set(L.CP_N_MIN, d.agitationMinRpm);
  set(L.CP_N_MAX, d.agitationMaxRpm);
  set(L.CP_Q_MIN, d.gasFlowMinLPerMin);
  set(L.CP_Q_MAX, d.gasFlowMaxLPerMin);
  set(L.CP_XO2_MAX, d.oxygenFractionMax);
  set(L.CP_N_FIXED, d.agitationRpm);
  set(L.CP_Q_FIXED, d.gasFlowLPerMin);
  set(L.CP_XO2_FIXED, d.oxygenFraction);
  const ph = control.pH;
  set(L.CP_PH_ON, flag(ph.enabled));
  set(L.CP_PH_SP, ph.setpoint);
  set(L.CP_PH_DEADBAND, ph.deadBand);
  set(L.CP_PH_KP, ph.gainPerPH);
  set(L.CP_PH_TI, ph.integralTimeH);
  set(L.CP_BASE_MAX, ph.baseMaxLPerH);
  set(L.CP_BASE_NA, ph.baseSodiumMM);
  set(L.CP_BASE_TIC, ph.baseBicarbonateMM);
  set(L.CP_XCO2_MAX, ph.co2FractionMax);
  set(L.CP_XCO2_FIXED, ph.co2Fraction);

  Object.values(process.media).forEach((medium, i) => {
    const base = L.CP_MEDIA + i * L.CM_FIELDS;
    set(base + L.CM_GLC, medium.glucoseMM);
    set(base + L.CM_GLN, medium.glutamineMM);
    set(base + L.CM_NA, medium.sodiumMM);
    set(base + L.CM_CL, medium.chlorideMM);
    set(base + L.CM_TIC, medium.bicarbonateMM);
    set(base + L.CM_OSM, medium.osmolalityMOsmPerKg ?? 0);
  });
  if (process.mode === "continuous" && process.continuous) {
    set(L.CP_PERF_MEDIUM, mediumIndex(scenario).get(process.continuous.medium) ?? 0);
    set(L.CP_PERF_RATE, process.continuous.dilutionRatePerH * initial.volumeL);
  }
  set(L.CP_LEVEL_CONTROL, flag(process.mode === "continuous" || process.mode === "perfusion"));
  if (process.feedOnDemand) {
    set(L.CP_DEMAND_BELOW, process.feedOnDemand.belowMM);
    set(L.CP_DEMAND_TARGET, process.feedOnDemand.targetMM);
  }
  set(L.CP_HARVEST_VIABILITY, process.harvest?.viabilityBelowPercent ?? 0);
  set(L.CP_INIT_PH, initial.pH);
  set(L.CP_INIT_PCO2, initial.pCO2MmHg);
  set(L.CP_INIT_OSM, initial.osmolalityMOsmPerKg);
}

/** Setup problems the core reports (assembly/models/cho.ts SETUP_*), as scenario problems. */
export function setupProblem(code: number, scenario: ChoScenario): { path: string; message: string } {
  if (code === 1) {
    return {
      path: "initial.sodiumMM",
      message: `too low for the initial pH ${scenario.initial.pH} and pCO2 ${scenario.initial.pCO2MmHg} mmHg: the charge balance would need negative chloride; raise the sodium or lower the pH or pCO2`,
    };
  }
  if (code === 2) {
    return {
      path: "initial.osmolalityMOsmPerKg",
      message: `must be at least the osmolality of the solutes listed in initial (sodium, chloride, bicarbonate, glucose, glutamine, lactate, ammonium)`,
    };
  }
  const name = Object.keys(scenario.process.media)[code - 10] ?? "?";
  return {
    path: `process.media.${name}.osmolalityMOsmPerKg`,
    message: "must be at least the osmolality of the medium's listed solutes (sodium, chloride, bicarbonate, glucose, glutamine)",
  };
}

export function balances(ends: (name: string) => ColumnEnds): Balance[] {
  const first = (name: string) => ends(name).first;
  const last = (name: string) => ends(name).last;
  const change = (name: string) => last(name) - first(name);
  const amount = (conc: string, at: (name: string) => number) => at(conc) * at("volume");
  const balance = (
    quantity: string,
    unit: string,
    flows: { in: number; out: number; produced: number; consumed: number },
    accumulated: number,
    initialAmount: number,
  ): Balance => {
    const closure = flows.in + flows.produced - flows.out - flows.consumed - accumulated;
    const scale = Math.max(Math.abs(flows.in), Math.abs(flows.produced), Math.abs(flows.consumed), Math.abs(initialAmount), Number.MIN_VALUE);
    return { quantity, unit, ...flows, accumulated, closureError: closure, relativeClosureError: closure / scale };
  };
  const species = (quantity: string, conc: string, fed: string, consumed: string, removed: string, unit: string) =>
    balance(
      quantity,
      unit,
      { in: change(fed), out: change(removed), produced: 0, consumed: change(consumed) },
      amount(conc, last) - amount(conc, first),
      amount(conc, first),
    );
  return [
    species("glucose", "glucose", "glucose_fed", "glucose_consumed", "glucose_removed", "mmol"),
    species("glutamine", "glutamine", "glutamine_fed", "glutamine_consumed", "glutamine_removed", "mmol"),
    balance(
      "viable cells",
      "1e9 cells",
      { in: 0, out: change("cells_removed"), produced: change("cells_grown"), consumed: change("cells_died") },
      amount("viable_cells", last) - amount("viable_cells", first),
      amount("viable_cells", first),
    ),
    balance(
      "volume",
      "L",
      { in: change("volume_added"), out: change("volume_removed"), produced: 0, consumed: 0 },
      change("volume"),
      first("volume"),
    ),
    balance(
      "sodium",
      "mmol",
      { in: change("sodium_added"), out: change("sodium_removed"), produced: 0, consumed: 0 },
      amount("sodium", last) - amount("sodium", first),
      amount("sodium", first),
    ),
    balance(
      "lactate",
      "mmol",
      { in: 0, out: change("lactate_removed"), produced: change("lactate_produced"), consumed: 0 },
      amount("lactate", last) - amount("lactate", first),
      amount("lactate", first),
    ),
    balance(
      "antibody",
      "mg",
      { in: 0, out: change("antibody_removed"), produced: change("antibody_produced"), consumed: 0 },
      amount("antibody", last) - amount("antibody", first),
      amount("antibody", first),
    ),
  ];
}

export const choModel: ModelAdapter<ChoScenario> = {
  modelId: L.MODEL_CHO,
  columns: CHO_COLUMNS,
  rateColumns: new Set(
    [
      L.CXD_PH, L.CXD_PCO2, L.CXD_OSMOLALITY, L.CXD_CONDUCTIVITY, L.CXD_MU, L.CXD_DEATH, L.CXD_QP, L.CXD_OUR, L.CXD_CER,
      L.CXD_KLA, L.CXD_AGITATION, L.CXD_GAS_FLOW, L.CXD_O2_FRACTION, L.CXD_CO2_FRACTION, L.CXD_BASE_RATE, L.CXD_HEATER,
    ].map((k) => CHO_COLUMNS[L.CX_STATES + k].name),
  ),
  configure,
  eventCount: (scenario) => events(scenario).length,
  balances,
  setupProblem,
  absTolScale: (scenario) => {
    // Cumulative amounts scale with the vessel; the titer state is in mg/L (1000× g/L).
    const scale = Math.max(1, scenario.initial.volumeL);
    const tol = new Array<number>(L.CX_STATES).fill(1);
    tol[L.CX_MAB] = 1000;
    // Controller integrals need no more accuracy than their loops deliver.
    tol[L.CX_I_T] = 1e4;
    tol[L.CX_I_DO] = 1e4;
    tol[L.CX_I_PH] = 1e4;
    for (let i = L.CX_DYNAMIC; i < L.CX_STATES; i++) tol[i] = scale;
    return tol;
  },
};

// Maps a CHO scenario with reactor.zones onto the zone model of the core: the CHO
// parameters as for the well-mixed tank, then the zone table from the vessel (volume
// fractions, pressures, shares of kLa, exchange flows), the same initial liquid in
// every zone, and the columns: each zone's states, the well-mixed columns as means
// over the zones, and per-zone DO, pH, pCO2 and kLa. docs/model.md §11.
import * as L from "../../assembly/layout";
import { GRAVITY_M_PER_S2, pumpingNumber } from "../../assembly/vessel";
import type { SetupTarget } from "../core-bridge";
import type { ChoScenario } from "../scenario";
import { impellerHeightsM, liquidHeightM, volumeBelowL } from "../vessel/geometry";
import { CULTURE_MEDIUM, IMPELLER_IDS } from "../vessel/physics";
import { resolveVessel } from "../vessel/resolve";
import type { ColumnSpec, ModelAdapter } from "./adapter";
import { balances, CHO_COLUMNS, configureParameters, events, setupProblem } from "./cho";

const PA_PER_ATM = 101_325;
/** Rise velocity of sparged bubbles, m/s: air bubbles of 1–10 mm in water (docs/model.md §11.4). */
export const BUBBLE_RISE_M_PER_S = 0.25;
/**
 * Sparged kLa per volume near an impeller over that in the bulk, – (docs/model.md §11.4):
 * (ε_impeller/ε_mean)^0.4 with a dissipation ratio of about 15 gives 15^0.4 ≈ 3.
 */
export const IMPELLER_KLA_ENHANCEMENT = 3;

/** The zone table of a scenario: what the core needs and what tests check (docs/model.md §11.1–§11.4). */
export interface ZoneLayout {
  count: number;
  probeZone: number;
  /** Volume fraction of each zone, top first. */
  fractions: number[];
  /** Depth of each zone's mid-height below the surface at the initial volume, m. */
  depthsM: number[];
  /** Pressure at which each zone's gas saturation is taken, atm. */
  pressuresAtm: number[];
  /** Share of the vessel's sparged kLa·V transferred in each zone. */
  kLaShares: number[];
  /** Exchange flow between zone z and z + 1 per rpm of agitation, L/h/rpm (count − 1 values). */
  exchangeLPerHPerRpm: number[];
  /** Time the sparged gas spends in the liquid, h. */
  gasResidenceH: number;
  /** The well-mixed model's mean pressure, atm. */
  meanPressureAtm: number;
}

/** Zones as equal-height slices of the liquid at the initial volume (docs/model.md §11.1). */
export function zoneLayout(scenario: ChoScenario): ZoneLayout {
  const settings = scenario.reactor.zones;
  if (!settings) throw new Error("the scenario has no reactor.zones");
  const n = settings.count;
  const vessel = resolveVessel(scenario);
  const v0 = scenario.initial.volumeL;
  const h0 = liquidHeightM(vessel, v0);
  const slice = h0 / n;
  const tops = Array.from({ length: n }, (_, z) => h0 - z * slice);
  const bottoms = tops.map((top, z) => (z === n - 1 ? 0 : top - slice));
  const volumes = tops.map((top, z) => volumeBelowL(vessel, top) - volumeBelowL(vessel, bottoms[z]));
  const totalL = volumes.reduce((a, b) => a + b, 0);
  const fractions = volumes.map((v) => v / totalL);
  const mids = tops.map((top, z) => (top + bottoms[z]) / 2);
  const depthsM = mids.map((m) => h0 - m);

  const impellers = impellerHeightsM(vessel).filter((h) => h < h0);
  const d = vessel.impeller.diameterM;
  const nq = pumpingNumber(IMPELLER_IDS[vessel.impeller.type]);
  // Pumping of one impeller per rpm, L/h: Nq (N/60 s) D³ × 1000 L/m³ × 3600 s/h.
  const pumpingPerRpm = (nq * d ** 3 * 1000 * 3600) / 60;
  const nearest = (h: number) => (impellers.length === 0 ? -1 : impellers.reduce((best, hi, i) => (Math.abs(hi - h) < Math.abs(impellers[best] - h) ? i : best), 0));
  const zonePumping = mids.map((m) => (nearest(m) < 0 ? 0 : pumpingPerRpm));
  const perImpeller = n / Math.max(1, impellers.length);
  const exchangeLPerHPerRpm = Array.from(
    { length: n - 1 },
    (_, b) => settings.exchangeFactor * ((zonePumping[b] + zonePumping[b + 1]) / 4) * perImpeller,
  );

  // More transfer near the impellers: the part of each zone within D/2 of one.
  const weights = tops.map((top, z) => {
    const bottom = bottoms[z];
    let near = 0;
    for (const hi of impellers) near += Math.max(0, Math.min(top, hi + d / 2) - Math.max(bottom, hi - d / 2));
    const share = Math.min(1, near / (top - bottom));
    return 1 + (IMPELLER_KLA_ENHANCEMENT - 1) * share;
  });
  const weighted = fractions.map((f, z) => f * weights[z]);
  const sumWeighted = weighted.reduce((a, b) => a + b, 0);
  const kLaShares = weighted.map((w) => w / sumWeighted);

  // Pressures: hydrostatic differences around the well-mixed model's mean pressure, referred
  // to the transfer-weighted mean depth so that the transfer-weighted saturation is the well-mixed one.
  const rho = CULTURE_MEDIUM.densityKgPerM3;
  const meanPressureAtm = scenario.reactor.pressureAtm + (rho * GRAVITY_M_PER_S2 * h0) / 2 / PA_PER_ATM;
  const meanDepth = depthsM.reduce((a, dz, z) => a + kLaShares[z] * dz, 0);
  const pressuresAtm = depthsM.map((dz) => meanPressureAtm + (rho * GRAVITY_M_PER_S2 * (dz - meanDepth)) / PA_PER_ATM);

  const risenM = Math.max(h0 - vessel.sparger.heightM, slice / 2);
  const gasResidenceH = (settings.gasResidenceS ?? risenM / BUBBLE_RISE_M_PER_S) / 3600;
  const lowest = impellers.length > 0 ? impellers[0] : h0 / 2;
  const probeDefault = Math.min(n - 1, Math.max(0, Math.floor((h0 - lowest) / slice)));
  return {
    count: n,
    probeZone: settings.probeZone ?? probeDefault,
    fractions,
    depthsM,
    pressuresAtm,
    kLaShares,
    exchangeLPerHPerRpm,
    gasResidenceH,
    meanPressureAtm,
  };
}

const LOCAL_COLUMNS = CHO_COLUMNS.slice(0, L.CZ_LOCAL);
const GLOBAL_COLUMNS = CHO_COLUMNS.slice(L.CX_V, L.CX_DYNAMIC);
const QUADRATURE_COLUMNS = CHO_COLUMNS.slice(L.CX_DYNAMIC, L.CX_STATES);
const DERIVED_COLUMNS = CHO_COLUMNS.slice(L.CX_STATES);
const ZONE_DERIVED: ColumnSpec[] = [
  { name: "do_saturation", unit: "% air sat.", description: "dissolved oxygen" },
  { name: "ph", unit: "pH", description: "pH" },
  { name: "pco2", unit: "mmHg", description: "partial pressure of dissolved CO2" },
  { name: "kla_o2", unit: "1/h", description: "volumetric O2 transfer coefficient of the zone (sparged share and, at the top, the surface)" },
];

/** Column name of a value in zone z (0 at the top), e.g. zone_3_do_saturation. */
export function zoneColumn(z: number, name: string): string {
  return `zone_${z}_${name}`;
}

/** Columns after time in the core's row order (docs/model.md §11.7). */
function zoneColumns(n: number): ColumnSpec[] {
  const inZone = (z: number, c: ColumnSpec): ColumnSpec => ({ ...c, name: zoneColumn(z, c.name), description: `${c.description}, zone ${z}` });
  const states: ColumnSpec[] = [];
  for (let z = 0; z < n; z++) for (const c of LOCAL_COLUMNS) states.push(inZone(z, c));
  const means = LOCAL_COLUMNS.map((c) => ({ ...c, description: `${c.description}, mean over the zones` }));
  const perZone: ColumnSpec[] = [];
  for (let z = 0; z < n; z++) for (const c of ZONE_DERIVED) perZone.push(inZone(z, c));
  return [
    ...states,
    ...GLOBAL_COLUMNS,
    { name: "gas_o2_fraction", unit: "mol/mol", description: "O2 in the sparged gas inside the liquid" },
    { name: "gas_co2_fraction", unit: "mol/mol", description: "CO2 in the sparged gas inside the liquid" },
    ...QUADRATURE_COLUMNS,
    ...means,
    // In a zoned run these are means over the zones, not what a probe in one zone reads.
    ...DERIVED_COLUMNS.map((c) => ({ ...c, description: c.description.replace(/ \((\S+) probe\)$/, ", mean over the zones (the $1 probe reads its own zone)") })),
    ...perZone,
  ];
}

function configure(core: SetupTarget, scenario: ChoScenario): void {
  configureParameters(core, scenario);
  const layout = zoneLayout(scenario);
  const n = layout.count;
  core.setParam(L.CP_ZONE_COUNT, n);
  core.setParam(L.CP_ZONE_PROBE, layout.probeZone);
  core.setParam(L.CP_ZONE_GAS_RESIDENCE, layout.gasResidenceH);
  for (let z = 0; z < n; z++) {
    const base = L.CP_ZONE_TABLE + z * L.CZF_FIELDS;
    core.setParam(base + L.CZF_FRACTION, layout.fractions[z]);
    core.setParam(base + L.CZF_PRESSURE, layout.pressuresAtm[z]);
    core.setParam(base + L.CZF_KLA_SHARE, layout.kLaShares[z]);
    core.setParam(base + L.CZF_EXCHANGE, z < n - 1 ? layout.exchangeLPerHPerRpm[z] : 0);
  }
  const { reactor: r, initial } = scenario;
  const liquid: [number, number][] = [
    [L.CX_XV, initial.viableCellsE6PerMl],
    [L.CX_XD, initial.deadCellsE6PerMl],
    [L.CX_GLC, initial.glucoseMM],
    [L.CX_GLN, initial.glutamineMM],
    [L.CX_LAC, initial.lactateMM],
    [L.CX_AMM, initial.ammoniaMM],
    [L.CX_MAB, initial.titerGPerL * 1000],
    [L.CX_DO, (initial.dissolvedOxygenPercent / 100) * r.oxygenSaturationAirMM * r.pressureAtm],
    [L.CX_NA, initial.sodiumMM],
  ];
  for (let z = 0; z < n; z++) for (const [slot, value] of liquid) core.setState(z * L.CZ_LOCAL + slot, value);
  const g = n * L.CZ_LOCAL;
  core.setState(g + L.CZG_V, initial.volumeL);
  core.setState(g + L.CZG_T, initial.temperatureC);
  for (const [time, kind, index, value] of events(scenario)) core.addEvent(time, kind, index, value);
}

/** The adapter of a CHO scenario with reactor.zones (its column list depends on the zone count). */
export function choZonesModel(scenario: ChoScenario): ModelAdapter<ChoScenario> {
  const n = scenario.reactor.zones?.count ?? 1;
  return {
    modelId: L.MODEL_CHO_ZONES,
    modelSize: n,
    columns: zoneColumns(n),
    configure,
    eventCount: (s) => events(s).length,
    balances,
    setupProblem,
    absTolScale: (s) => {
      // As the well-mixed model (engine/models/cho.ts): amounts scale with the vessel, titer in mg/L.
      const scale = Math.max(1, s.initial.volumeL);
      const dynamic = n * L.CZ_LOCAL + L.CZ_GLOBALS;
      const tol = new Array<number>(dynamic + L.CZ_QUADRATURES).fill(1);
      for (let z = 0; z < n; z++) tol[z * L.CZ_LOCAL + L.CX_MAB] = 1000;
      const g = n * L.CZ_LOCAL;
      // The volume keeps the plain tolerance, as in the well-mixed model.
      tol[g + L.CZG_I_T] = 1e4;
      tol[g + L.CZG_I_DO] = 1e4;
      tol[g + L.CZG_I_PH] = 1e4;
      for (let i = dynamic; i < tol.length; i++) tol[i] = scale;
      return tol;
    },
  };
}

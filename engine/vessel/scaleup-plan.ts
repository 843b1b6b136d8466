// A scale-up of a CHO scenario to a target vessel preset: the operating point at the
// source run's peak oxygen demand, the agitation and gas flow the criterion gives the
// target (the DO cascade's limits mapped the same way), the table of both vessels,
// the warnings, and the target scenario with its volumes, feeds, pumps and heating
// scaled (optionally split into zones, docs/model.md §11, to see the gradients of the
// large tank). The command line (biotwin scaleup) and the app's Scale-up view use it.
// docs/model.md §10.4.
import type { SimulationResult } from "../simulate";
import type { ChoScenario } from "../scenario";
import { liquidHeightM, type VesselGeometry } from "./geometry";
import { CULTURE_MEDIUM, vesselState, type VesselState } from "./physics";
import { VESSEL_PRESETS, type VesselPresetId } from "./presets";
import { resolveVessel, targetWorkingVolumeL, type ResolvedVessel } from "./resolve";
import { CRITERION_LABELS, scaleUp, type CultureDemand, type ScaleUpCriterion, type ScaleUpWarning } from "./scaleup";
import { powerNumber } from "../../assembly/vessel";
import { IMPELLER_IDS } from "./physics";

type Doc = Record<string, any>;

/** A vessel as the scale-up reports it: enough to recompute every figure. */
export interface VesselReport {
  presetId: string | null;
  label: string;
  diameterM: number;
  heightM: number;
  bottom: string;
  impellerType: string;
  impellerCount: number;
  impellerDiameterM: number;
  powerNumber: number;
  baffles: number;
  /** Nominal working volume: the preset's, or the source scenario's largest volume. */
  workingVolumeL: number;
}

export interface OperatingPointReport {
  /** When the source run's oxygen demand peaks, h (the point the criterion maps). */
  timeH: number;
  liquidVolumeL: number;
  agitationRpm: number;
  gasFlowLPerMin: number;
}

export interface ScaleUpPlan {
  criterion: ScaleUpCriterion;
  criterionLabel: string;
  /** Target working volume over source working volume. */
  volumeFactor: number;
  source: { vessel: VesselReport; operatingPoint: OperatingPointReport; derived: VesselState };
  target: { vessel: VesselReport; operatingPoint: OperatingPointReport; derived: VesselState };
  demand: CultureDemand;
  requiredKLaPerH: number;
  expectedPco2MmHg: { source: number; target: number };
  warnings: ScaleUpWarning[];
  /** The source scenario as the plan compares it (its resolved vessel made explicit, so kLa comes from it). */
  sourceDoc: Doc;
  /** The target scenario: volumes, feeds, pumps, heating and the DO cascade scaled. */
  targetDoc: Doc;
}

function report(vessel: VesselGeometry & { presetId: string | null; label: string }, workingVolumeL: number): VesselReport {
  return {
    presetId: vessel.presetId,
    label: vessel.label,
    diameterM: vessel.diameterM,
    heightM: vessel.heightM,
    bottom: vessel.bottom,
    impellerType: vessel.impeller.type,
    impellerCount: vessel.impeller.count,
    impellerDiameterM: vessel.impeller.diameterM,
    powerNumber: powerNumber(IMPELLER_IDS[vessel.impeller.type]),
    baffles: vessel.baffles,
    workingVolumeL,
  };
}

/** Options of a scale-up plan. */
export interface ScaleUpOptions {
  /**
   * Split the target tank into this many zones (reactor.zones.count, 1..64, docs/model.md §11);
   * null or absent: the target is well mixed.
   */
  zones?: number | null;
}

/**
 * The lowest value over the run of the lowest zone of a per-zone column (zone_<z>_<name>,
 * engine/models/cho-zones.ts), e.g. the lowest DO anywhere in the tank; NaN when the run
 * has no zones. `column` looks a column up by name. Used by biotwin scaleup --run and the
 * Scale-up view's table.
 */
export function lowestAcrossZones(column: (name: string) => ArrayLike<number> | undefined, name = "do_saturation"): number {
  let lowest = Number.NaN;
  for (let z = 0; ; z++) {
    const values = column(`zone_${z}_${name}`);
    if (!values) break;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v) && !(v >= lowest)) lowest = v;
    }
  }
  return lowest;
}

/** The source document with its resolved vessel written out, so both runs get kLa from a vessel. */
export function withExplicitVessel(doc: Doc, scenario: ChoScenario): Doc {
  if (doc.reactor?.vessel !== undefined) return structuredClone(doc);
  const v = resolveVessel(scenario);
  const out = structuredClone(doc);
  out.reactor ??= {};
  out.reactor.vessel = {
    diameterM: v.diameterM,
    heightM: v.heightM,
    bottom: v.bottom,
    impeller: { ...v.impeller },
    baffles: v.baffles,
    baffleWidthM: v.baffleWidthM,
    sparger: { ...v.sparger },
    material: v.material,
  };
  return out;
}

/**
 * Plans the scale-up of `sourceDoc` (a valid CHO scenario, `source` parsed from it) to
 * the vessel preset `presetId` keeping `criterion` constant. `sourceRun` is the run of
 * withExplicitVessel(sourceDoc): its peak oxygen uptake sets the operating point and
 * the demand the warnings check. With `options.zones`, the target scenario is split into
 * that many zones (targetDoc.reactor.zones = { count }); the plan's figures do not change.
 */
export function planScaleUp(
  sourceDoc: Doc,
  source: ChoScenario,
  sourceRun: SimulationResult,
  presetId: VesselPresetId,
  criterion: ScaleUpCriterion,
  options: ScaleUpOptions = {},
): ScaleUpPlan {
  const zones = options.zones ?? null;
  if (zones !== null && !(Number.isInteger(zones) && zones >= 1)) throw new Error(`the zone count must be a whole number of at least 1, not ${zones}`);
  const column = (name: string) => {
    const c = sourceRun.columns.find((x) => x.name === name);
    if (!c) throw new Error(`the source run has no column ${name}`);
    return c.values;
  };
  const our = column("our");
  let peak = 0;
  for (let i = 1; i < our.length; i++) if (our[i] > our[peak]) peak = i;
  const time = column("time")[peak];
  const volumeL = column("volume")[peak];
  const agitationRpm = column("agitation")[peak];
  const gasFlowLPerMin = column("gas_flow")[peak];

  // The same geometry withExplicitVessel writes out, under the label it resolves to.
  const sourceVessel = resolveVessel(source);
  const sourceWorkingL = targetWorkingVolumeL({ maxVolumeL: source.reactor.maxVolumeL, initialVolumeL: source.initial.volumeL });
  const preset = VESSEL_PRESETS[presetId];
  const factor = preset.workingVolumeL / sourceWorkingL;
  const targetVessel: ResolvedVessel = { ...structuredClone(preset), presetId, label: preset.label, sources: preset.sources, notes: [] };

  const r = source.reactor;
  const dox = source.control.dissolvedOxygen;
  const demand: CultureDemand = {
    peakOurMmolPerLPerH: our[peak],
    peakCerMmolPerLPerH: column("cer")[peak],
    doSetpointPercent: column("do_setpoint")[peak],
    maxO2Fraction: dox.enabled ? dox.oxygenFractionMax : dox.oxygenFraction,
    o2SaturationAirMM: r.oxygenSaturationAirMM,
    co2SolubilityMMPerMmHg: r.co2SolubilityMMPerMmHg,
  };
  const fluid = { ...CULTURE_MEDIUM, headPressurePa: r.pressureAtm * 101_325, coalescing: r.vessel?.kLaCorrelation !== "vant-riet-non-coalescing" };
  const map = (rpm: number, gas: number) =>
    scaleUp({ vessel: sourceVessel, volumeL, agitationRpm: rpm, gasFlowLPerMin: gas }, { vessel: targetVessel, volumeL: volumeL * factor }, criterion, {
      demand,
      fluid,
    });
  const main = map(agitationRpm, gasFlowLPerMin);

  const targetDoc = structuredClone(sourceDoc);
  const inZones = zones !== null ? ` in ${zones} zones` : "";
  targetDoc.metadata = { ...targetDoc.metadata, title: `${source.metadata.title} — scaled to ${preset.label}${inZones} (${criterion})` };
  targetDoc.metadata.description = `${source.metadata.description ?? ""} Scaled by biotwin scaleup to the ${preset.label} at ${CRITERION_LABELS[criterion]}: volumes, feeds and pumps × ${factor.toPrecision(4)}.${
    zones !== null ? ` The target tank is split into ${zones} vertical zones (reactor.zones, docs/model.md §11).` : ""
  }`.trim();
  targetDoc.reactor = { ...(targetDoc.reactor ?? {}), vessel: { preset: presetId, ...(r.vessel?.kLaCorrelation ? { kLaCorrelation: r.vessel.kLaCorrelation } : {}) } };
  // Zones asked for replace any the source had (their probe zone fitted the source's vessel).
  if (zones !== null) targetDoc.reactor.zones = { count: zones };
  if (r.maxVolumeL !== undefined) targetDoc.reactor.maxVolumeL = r.maxVolumeL * factor;
  const round = (x: number) => Number(x.toPrecision(4));
  targetDoc.reactor.heatTransferWPerK = round(r.heatTransferWPerK * factor ** (2 / 3));
  targetDoc.initial = { ...targetDoc.initial, volumeL: source.initial.volumeL * factor };
  const p = targetDoc.process ?? {};
  for (const b of p.boluses ?? []) b.volumeL *= factor;
  for (const s of p.bolusSchedules ?? []) if (s.volumeL !== undefined) s.volumeL *= factor;
  for (const seg of p.feedProfile ?? []) seg.rateLPerH *= factor;
  const c = (targetDoc.control ??= {});
  const t = source.control.temperature;
  c.temperature = {
    ...(c.temperature ?? {}),
    heaterMaxW: round(t.heaterMaxW * factor),
    coolerMaxW: round(t.coolerMaxW * factor),
    gainWPerK: round(t.gainWPerK * factor),
    fixedHeaterW: round(t.fixedHeaterW * factor),
  };
  c.pH = { ...(c.pH ?? {}), baseMaxLPerH: round(source.control.pH.baseMaxLPerH * factor) };
  const low = map(dox.agitationMinRpm, dox.gasFlowMinLPerMin).target;
  const high = map(dox.agitationMaxRpm, dox.gasFlowMaxLPerMin).target;
  const fixed = map(dox.agitationRpm, dox.gasFlowLPerMin).target;
  c.dissolvedOxygen = {
    ...(c.dissolvedOxygen ?? {}),
    agitationMinRpm: round(Math.min(low.agitationRpm, high.agitationRpm)),
    agitationMaxRpm: round(Math.max(low.agitationRpm, high.agitationRpm)),
    gasFlowMinLPerMin: round(low.gasFlowLPerMin),
    gasFlowMaxLPerMin: round(Math.max(low.gasFlowLPerMin, high.gasFlowLPerMin)),
    agitationRpm: round(fixed.agitationRpm),
    gasFlowLPerMin: round(fixed.gasFlowLPerMin),
  };

  return {
    criterion,
    criterionLabel: CRITERION_LABELS[criterion],
    volumeFactor: factor,
    source: {
      vessel: report(sourceVessel, sourceWorkingL),
      operatingPoint: { timeH: time, liquidVolumeL: volumeL, agitationRpm, gasFlowLPerMin },
      derived: main.source,
    },
    target: {
      vessel: report(targetVessel, preset.workingVolumeL),
      operatingPoint: { timeH: time, liquidVolumeL: volumeL * factor, agitationRpm: main.target.agitationRpm, gasFlowLPerMin: main.target.gasFlowLPerMin },
      derived: main.target,
    },
    demand,
    requiredKLaPerH: main.requiredKLaPerH,
    expectedPco2MmHg: main.expectedPco2MmHg,
    warnings: main.warnings,
    sourceDoc: withExplicitVessel(sourceDoc, source),
    targetDoc,
  };
}

/** Liquid height of a report's vessel at a volume (for tables). */
export function reportLiquidHeightM(vessel: VesselGeometry, volumeL: number): number {
  return liquidHeightM(vessel, volumeL);
}

export { vesselState };

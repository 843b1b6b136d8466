// The vessel a scenario runs in: its `reactor.vessel` preset with the fields it gives
// overriding the preset's, or, without a preset, the 2 L bench reactor scaled to the
// scenario's volume, so every scenario has a vessel. The 3D view and the vessel physics
// call resolveVessel once per scenario; rules.ts uses resolveVesselSettings to check one.
// Lengths in m, volumes in L. docs/model.md §9.
import type { Scenario } from "../scenario/schema";
import type { VesselSettings } from "../scenario/vessel-schema";
import type { VesselGeometry } from "./geometry";
import { presetGeometry, VESSEL_PRESETS, type VesselPresetId, type VesselSource } from "./presets";

/** Fraction of its working volume a scenario without maxVolumeL is assumed to start at. */
export const DEFAULT_INITIAL_FILL_FRACTION = 0.75;

/** The preset that a vessel without a preset is scaled from. */
export const DEFAULT_VESSEL_PRESET: VesselPresetId = "bench-2l";

export interface ResolvedVessel extends VesselGeometry {
  /** The preset the geometry starts from; null: the default preset scaled to the scenario's volume. */
  presetId: VesselPresetId | null;
  /** What the vessel is, for the view ("200 L single-use stirred bioreactor"). */
  label: string;
  /** Sources of the preset's dimensions (for a scaled vessel, of the ratios it keeps). */
  sources: readonly VesselSource[];
  /** How the geometry was obtained: the scaling and the fields the scenario overrides, one sentence each. */
  notes: string[];
}

/** The liquid volumes of a scenario that size its vessel, L. */
export interface ScenarioVolumes {
  /** reactor.maxVolumeL; undefined when the scenario sets no limit. */
  maxVolumeL?: number | undefined;
  /** initial.volumeL. */
  initialVolumeL: number;
}

/** The vessel of `scenario`. */
export function resolveVessel(scenario: Scenario): ResolvedVessel {
  return resolveVesselSettings(scenario.reactor.vessel, {
    maxVolumeL: scenario.reactor.maxVolumeL,
    initialVolumeL: scenario.initial.volumeL,
  });
}

/**
 * The vessel that `settings` (a scenario's `reactor.vessel`, already valid field by
 * field) describes for a scenario with `volumes`.
 */
export function resolveVesselSettings(settings: VesselSettings | undefined, volumes: ScenarioVolumes): ResolvedVessel {
  const notes: string[] = [];
  let base: VesselGeometry;
  let presetId: VesselPresetId | null;
  let label: string;
  if (settings?.preset !== undefined) {
    presetId = settings.preset;
    base = presetGeometry(presetId);
    label = VESSEL_PRESETS[presetId].label;
    notes.push(`preset "${presetId}": ${label}`);
  } else {
    const preset = VESSEL_PRESETS[DEFAULT_VESSEL_PRESET];
    const targetL = targetWorkingVolumeL(volumes);
    const factor = Math.cbrt(targetL / preset.workingVolumeL);
    presetId = null;
    base = scaleGeometry(presetGeometry(DEFAULT_VESSEL_PRESET), factor);
    label = `${formatNumber(targetL)} L ${preset.label.replace(/^[\d.]+ L /, "")}`;
    const why =
      volumes.maxVolumeL !== undefined
        ? `reactor.maxVolumeL, ${formatNumber(volumes.maxVolumeL)} L`
        : `initial.volumeL, ${formatNumber(volumes.initialVolumeL)} L, at ${DEFAULT_INITIAL_FILL_FRACTION * 100} % filling`;
    notes.push(
      `no preset: the ${preset.label} ("${DEFAULT_VESSEL_PRESET}") scaled by ${formatNumber(factor)} in every length ` +
        `to a working volume of ${formatNumber(targetL)} L (${why})`,
    );
  }
  const { geometry, overridden } = applyOverrides(base, settings);
  if (overridden.length > 0) {
    label = `${label}, modified`;
    notes.push(`given in reactor.vessel: ${overridden.join(", ")}`);
  }
  const sources = VESSEL_PRESETS[presetId ?? DEFAULT_VESSEL_PRESET].sources;
  return { ...geometry, presetId, label, sources, notes };
}

/** The working volume a vessel without a preset is scaled to hold, L: maxVolumeL, else the initial volume at 75 % filling. */
export function targetWorkingVolumeL(volumes: ScenarioVolumes): number {
  return volumes.maxVolumeL ?? volumes.initialVolumeL / DEFAULT_INITIAL_FILL_FRACTION;
}

/** `g` with every length multiplied by `factor` (geometric similarity: volumes scale by factor³). */
export function scaleGeometry(g: VesselGeometry, factor: number): VesselGeometry {
  return {
    ...g,
    diameterM: g.diameterM * factor,
    heightM: g.heightM * factor,
    impeller: {
      ...g.impeller,
      diameterM: g.impeller.diameterM * factor,
      bottomClearanceM: g.impeller.bottomClearanceM * factor,
      spacingM: g.impeller.spacingM * factor,
    },
    baffleWidthM: g.baffleWidthM * factor,
    sparger: { ...g.sparger, diameterM: g.sparger.diameterM * factor, heightM: g.sparger.heightM * factor },
  };
}

/** `base` with the fields `settings` gives; `overridden` lists their dotted paths below reactor.vessel. */
function applyOverrides(
  base: VesselGeometry,
  settings: VesselSettings | undefined,
): { geometry: VesselGeometry; overridden: string[] } {
  const overridden: string[] = [];
  if (settings === undefined) return { geometry: base, overridden };
  const pick = <T extends object>(target: T, given: Partial<T> | undefined, prefix: string): T => {
    const out = { ...target };
    for (const key of Object.keys(given ?? {}) as (keyof T & string)[]) {
      const value = given?.[key];
      if (value === undefined) continue;
      out[key] = value as T[keyof T & string];
      overridden.push(`${prefix}${key}`);
    }
    return out;
  };
  const { preset: _preset, impeller, sparger, ...top } = settings;
  const geometry = pick(base, top, "");
  geometry.impeller = pick(base.impeller, impeller, "impeller.");
  geometry.sparger = pick(base.sparger, sparger, "sparger.");
  return { geometry, overridden };
}

/** Up to 4 significant digits, without trailing zeros ("1.077", "2.5", "12500"). */
function formatNumber(value: number): string {
  return String(Number(value.toPrecision(4)));
}

// Vessel presets: a bench glass reactor, three single-use bioreactors and two steel
// fermenters, each a full geometry with the sources of its dimensions. Scenarios name
// one in `reactor.vessel.preset`; resolve.ts fills a scenario's vessel from them.
// Lengths in m, volumes in L. The table with every dimension: docs/model.md §9.3.
import type { VesselGeometry } from "./geometry";

/** A published source for some of a preset's dimensions. */
export interface VesselSource {
  author: string;
  title: string;
  year: number;
  doi?: string;
  url?: string;
  /** Which dimensions or ratios the source backs, and whether they are measured or a standard ratio. */
  about: string;
}

export const VESSEL_PRESET_IDS = ["bench-2l", "sub-50l", "sub-200l", "sub-2000l", "steel-12.5m3", "steel-90m3"] as const;
export type VesselPresetId = (typeof VESSEL_PRESET_IDS)[number];

export interface VesselPreset extends VesselGeometry {
  id: VesselPresetId;
  /** What the preset is, for menus ("2 L glass bench reactor"). */
  label: string;
  /** Nominal maximum working (liquid) volume, L. */
  workingVolumeL: number;
  sources: readonly VesselSource[];
  /** How the dimensions were obtained: which are measured, which follow from a ratio, which are assumptions. */
  derivation: string;
}

// ------------------------------------------------------------------ sources

/** The standard stirred tank: D/T = 1/3, C = D, H = T, 4 baffles of width T/10, 6-blade disc turbine. */
const RUSHTON_1950: VesselSource = {
  author: "Rushton JH, Costich EW, Everett HJ",
  title: "Power characteristics of mixing impellers, parts I and II. Chem Eng Prog 46:395–404, 467–476",
  year: 1950,
  about:
    "standard ratios, not measured dimensions: impeller diameter D = T/3, bottom clearance C = D, " +
    "4 wall baffles of width T/10, Rushton turbine with 6 flat blades on a disc (read as reproduced in " +
    "Hendricks DW, Fundamentals of Water Treatment Unit Processes, Fig. 10.15)",
};

const NADAL_REY_2020: VesselSource = {
  author: "Nadal-Rey G",
  title: "PhD thesis, Technical University of Denmark, Table 4.1 (as quoted in the project's MODEL.md §5)",
  year: 2020,
  about:
    "measured: T 3.476 m; liquid height 4.78 / 7.07 / 10.464 m at 40 / 60 / 90 m³ with 2 / 3 / 4 Rushton turbines " +
    "of D 0.936 m, spacing 2.32 m, bottom clearance 1.271 m",
};

const NADAL_REY_2021: VesselSource = {
  author: "Nadal-Rey G et al.",
  title:
    "Development of dynamic compartment models for industrial aerobic fed-batch fermentation processes. Chem Eng J",
  year: 2021,
  url: "https://core.ac.uk/works/7993605",
  about: "the same industrial 40–90 m³ aerobic fed-batch vessel (Saccharomyces cerevisiae, Novozymes)",
};

const LOEFFELHOLZ_2013: VesselSource = {
  author: "Löffelholz C, Kaiser SC, Kraume M, Eibl R, Eibl D",
  title:
    "Dynamic single-use bioreactors used in modern liter- and m³-scale biotechnological processes: " +
    "engineering characteristics and scaling up. Adv Biochem Eng Biotechnol 138:1–44",
  year: 2013,
  url: "https://www.researchgate.net/publication/236266242",
  about:
    "design ratios of stirred single-use bioreactors (BIOSTAT STR family): liquid height ≈ 2 T at the " +
    "maximum working volume, unbaffled, two axial (segment / pitched-blade) impellers, ring or micro sparger; " +
    "the exact dimensions here are derived from these ratios, not read from the review's table",
};

// ------------------------------------------------------------------ presets

/**
 * Dimensions rounded to the millimetre. Where a preset says "assumption" the number is a
 * design choice of this project with no source: the ring sparger of diameter 0.8 D at C/2,
 * an impeller spacing of 2 D, a dished (2:1 semi-ellipsoidal) bottom, and the headspace.
 */
export const VESSEL_PRESETS: Readonly<Record<VesselPresetId, VesselPreset>> = {
  "bench-2l": {
    id: "bench-2l",
    label: "2 L glass bench reactor",
    workingVolumeL: 2,
    diameterM: 0.122,
    heightM: 0.26,
    bottom: "dished",
    impeller: { type: "rushton", diameterM: 0.041, count: 2, bottomClearanceM: 0.041, spacingM: 0.081, blades: 6 },
    baffles: 4,
    baffleWidthM: 0.012,
    sparger: { type: "ring", diameterM: 0.033, heightM: 0.02 },
    material: "glass",
    sources: [RUSHTON_1950],
    derivation:
      "Class of the Sartorius UniVessel 2 L / Applikon 3 L glass vessels; no published drawing was found, so the " +
      "dimensions are derived: T from a liquid height of 1.5 T at 2 L (assumption, between H = T for one impeller " +
      "and 2 T for two), D = T/3, C = D and 4 baffles of T/10 (Rushton et al. 1950 standard ratios), spacing 2 D, " +
      "ring sparger 0.8 D at C/2 and a 0.26 m vessel (≈ 2.9 L total) are assumptions.",
  },
  "sub-50l": {
    id: "sub-50l",
    label: "50 L single-use stirred bioreactor",
    workingVolumeL: 50,
    diameterM: 0.321,
    heightM: 0.77,
    bottom: "dished",
    impeller: { type: "pitched-blade", diameterM: 0.107, count: 2, bottomClearanceM: 0.107, spacingM: 0.214, blades: 3 },
    baffles: 0,
    baffleWidthM: 0,
    sparger: { type: "ring", diameterM: 0.086, heightM: 0.054 },
    material: "single-use",
    sources: [LOEFFELHOLZ_2013, RUSHTON_1950],
    derivation: singleUseDerivation(50),
  },
  "sub-200l": {
    id: "sub-200l",
    label: "200 L single-use stirred bioreactor",
    workingVolumeL: 200,
    diameterM: 0.51,
    heightM: 1.224,
    bottom: "dished",
    impeller: { type: "pitched-blade", diameterM: 0.17, count: 2, bottomClearanceM: 0.17, spacingM: 0.34, blades: 3 },
    baffles: 0,
    baffleWidthM: 0,
    sparger: { type: "ring", diameterM: 0.136, heightM: 0.085 },
    material: "single-use",
    sources: [LOEFFELHOLZ_2013, RUSHTON_1950],
    derivation: singleUseDerivation(200),
  },
  "sub-2000l": {
    id: "sub-2000l",
    label: "2000 L single-use stirred bioreactor",
    workingVolumeL: 2000,
    diameterM: 1.099,
    heightM: 2.638,
    bottom: "dished",
    impeller: { type: "pitched-blade", diameterM: 0.366, count: 2, bottomClearanceM: 0.366, spacingM: 0.733, blades: 3 },
    baffles: 0,
    baffleWidthM: 0,
    sparger: { type: "ring", diameterM: 0.293, heightM: 0.183 },
    material: "single-use",
    sources: [LOEFFELHOLZ_2013, RUSHTON_1950],
    derivation: singleUseDerivation(2000),
  },
  "steel-12.5m3": {
    id: "steel-12.5m3",
    label: "12.5 m³ steel fermenter",
    workingVolumeL: 12_500,
    diameterM: 1.8,
    heightM: 6.214,
    bottom: "dished",
    impeller: { type: "rushton", diameterM: 0.485, count: 4, bottomClearanceM: 0.658, spacingM: 1.201, blades: 6 },
    baffles: 4,
    baffleWidthM: 0.18,
    sparger: { type: "ring", diameterM: 0.388, heightM: 0.329 },
    material: "steel",
    sources: [NADAL_REY_2020, RUSHTON_1950],
    derivation:
      "Not a documented vessel: steel-90m3 scaled geometrically to 12.5 m³, every length multiplied by " +
      "(12.5/90)^(1/3) = 0.518, so all its ratios (H/T, D/T, spacing, clearance) are those of the Nadal-Rey vessel.",
  },
  "steel-90m3": {
    id: "steel-90m3",
    label: "90 m³ steel fermenter",
    workingVolumeL: 90_000,
    diameterM: 3.476,
    heightM: 12,
    bottom: "dished",
    impeller: { type: "rushton", diameterM: 0.936, count: 4, bottomClearanceM: 1.271, spacingM: 2.32, blades: 6 },
    baffles: 4,
    baffleWidthM: 0.348,
    sparger: { type: "ring", diameterM: 0.749, heightM: 0.636 },
    material: "steel",
    sources: [NADAL_REY_2020, NADAL_REY_2021, RUSHTON_1950],
    derivation:
      "T, impeller count, D, spacing and clearance measured (Nadal-Rey 2020, Table 4.1). The bottom shape is not " +
      "given; a dished bottom is assumed because it makes the three documented fills (40, 60, 90 m³ at 4.78, 7.07, " +
      "10.464 m) agree with one gas hold-up of 6–7 %, i.e. the documented heights read as gassed liquid heights. " +
      "6 blades and 4 baffles of T/10 are the Rushton et al. 1950 standard; the vessel height 12 m (≈ 81 % filled " +
      "at 90 m³) and the ring sparger 0.8 D at C/2 are assumptions.",
  },
};

function singleUseDerivation(volumeL: number): string {
  return (
    `Derived, not measured: T from a liquid height of 2 T at ${volumeL} L with a dished bottom (Löffelholz et al. ` +
    "2013 ratio; the bottom shape is an assumption), unbaffled, two 3-blade pitched-blade (segment) impellers with " +
    "D = T/3 and C = D (Rushton et al. 1950 standard ratios), spacing 2 D, ring sparger 0.8 D at C/2 and a vessel " +
    "height of 2.4 T (≈ 83 % filled at the working volume) are assumptions."
  );
}

/** The preset with this id. */
export function vesselPreset(id: VesselPresetId): VesselPreset {
  return VESSEL_PRESETS[id];
}

/** The geometry part of a preset (without id, label, sources), as a fresh object the caller may change. */
export function presetGeometry(id: VesselPresetId): VesselGeometry {
  const { diameterM, heightM, bottom, impeller, baffles, baffleWidthM, sparger, material } = VESSEL_PRESETS[id];
  return { diameterM, heightM, bottom, impeller: { ...impeller }, baffles, baffleWidthM, sparger: { ...sparger }, material };
}

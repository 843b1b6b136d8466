// The geometry of a stirred-tank vessel: its shape, impellers, baffles and sparger,
// and the liquid height that a volume fills. The 3D view draws it; the vessel
// physics (power, kLa, mixing) and the zones of a large tank build on it.
// Lengths in m, volumes in L. Formulas: docs/model.md §9.

export type BottomShape = "flat" | "dished" | "hemispherical";
export type ImpellerType = "rushton" | "pitched-blade" | "hydrofoil" | "marine";
export type SpargerType = "ring" | "open-pipe" | "microsparger";
export type VesselMaterial = "glass" | "single-use" | "steel";

/** The values of each union above, for the scenario schema's enums (engine/scenario/vessel-schema.ts). */
export const BOTTOM_SHAPES = ["flat", "dished", "hemispherical"] as const satisfies readonly BottomShape[];
export const IMPELLER_TYPES = ["rushton", "pitched-blade", "hydrofoil", "marine"] as const satisfies readonly ImpellerType[];
export const SPARGER_TYPES = ["ring", "open-pipe", "microsparger"] as const satisfies readonly SpargerType[];
export const VESSEL_MATERIALS = ["glass", "single-use", "steel"] as const satisfies readonly VesselMaterial[];

export interface ImpellerGeometry {
  type: ImpellerType;
  /** Impeller diameter D, m. */
  diameterM: number;
  /** Impellers on the shaft. */
  count: number;
  /** Height of the lowest impeller above the lowest point of the vessel, m. */
  bottomClearanceM: number;
  /** Distance between neighbouring impellers, m (unused for one impeller). */
  spacingM: number;
  /** Blades per impeller. */
  blades: number;
}

export interface SpargerGeometry {
  type: SpargerType;
  /** Ring diameter, or pipe outlet size, m. */
  diameterM: number;
  /** Height above the lowest point of the vessel, m. */
  heightM: number;
}

export interface VesselGeometry {
  /** Inner diameter T, m. */
  diameterM: number;
  /** Inner height from the lowest point of the bottom to the top, m. */
  heightM: number;
  bottom: BottomShape;
  impeller: ImpellerGeometry;
  /** Number of wall baffles (0: unbaffled, typical of single-use bags). */
  baffles: number;
  /** Radial width of each baffle, m. */
  baffleWidthM: number;
  sparger: SpargerGeometry;
  material: VesselMaterial;
}

const M3_PER_L = 1e-3;

/** Depth of the bottom head below the cylinder, m: 0 flat, T/4 for a 2:1 semi-ellipsoidal (dished) head, T/2 hemispherical. */
export function bottomDepthM(g: Pick<VesselGeometry, "diameterM" | "bottom">): number {
  switch (g.bottom) {
    case "flat":
      return 0;
    case "dished":
      return g.diameterM / 4;
    case "hemispherical":
      return g.diameterM / 2;
  }
}

/**
 * Liquid volume (L) below height h (m) above the lowest point. The head is half of an
 * ellipsoid of revolution with radius a = T/2 and depth c: V(h) = π a² h² (3c − h) / (3c²) for h ≤ c,
 * then a cylinder.
 */
export function volumeBelowL(g: Pick<VesselGeometry, "diameterM" | "bottom">, heightM: number): number {
  const a = g.diameterM / 2;
  const c = bottomDepthM(g);
  const h = Math.max(0, heightM);
  const head = (x: number) => (Math.PI * a * a * x * x * (3 * c - x)) / (3 * c * c);
  const m3 = c === 0 ? Math.PI * a * a * h : h <= c ? head(h) : head(c) + Math.PI * a * a * (h - c);
  return m3 / M3_PER_L;
}

/** Total inner volume of the vessel, L. */
export function vesselVolumeL(g: VesselGeometry): number {
  return volumeBelowL(g, g.heightM);
}

/** Height (m) of the liquid surface above the lowest point for a liquid volume in L (bisection on volumeBelowL). */
export function liquidHeightM(g: Pick<VesselGeometry, "diameterM" | "bottom">, volumeL: number): number {
  if (!(volumeL > 0)) return 0;
  const a = g.diameterM / 2;
  const c = bottomDepthM(g);
  const headL = volumeBelowL(g, c);
  if (volumeL >= headL) return c + ((volumeL - headL) * M3_PER_L) / (Math.PI * a * a);
  let lo = 0;
  let hi = c;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (volumeBelowL(g, mid) < volumeL) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Heights of the impellers above the lowest point, m, bottom first. */
export function impellerHeightsM(g: VesselGeometry): number[] {
  return Array.from({ length: g.impeller.count }, (_, i) => g.impeller.bottomClearanceM + i * g.impeller.spacingM);
}

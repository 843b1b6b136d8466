// What can colour the cells of the 3D view: their state (viable or dead) or a property of
// the cell lifelines (docs/model.md §12). The point cloud cannot place the real agents, so
// a drawn cell's colour is a draw from the lifeline histogram at the shown time: each cell's
// random rank picks a quantile of the histogram (inverse-CDF sampling), and the quantile's
// value is coloured on the property's scale. Plain data and colour arithmetic (no three.js).
import { histogramQuantiles, type LifelineDistribution } from "../model/lifeline-data";
import { fieldColor } from "./liquid-fields";

export type CellColouring = "viable" | "stress" | "qp";

export interface CellColouringSpec {
  /** Label in the view's picker. */
  label: string;
  /** The lifeline quantity (engine name) whose histogram colours the cells; null: viable or dead. */
  quantity: string | null;
  /** Colour stops along the scale, 0 at 0 and 1 at the histogram's upper edge. */
  stops: readonly (readonly [number, string])[];
}

export const CELL_COLOURING_ORDER: readonly CellColouring[] = ["viable", "stress", "qp"];

export const CELL_COLOURINGS: Readonly<Record<CellColouring, CellColouringSpec>> = {
  viable: { label: "viable/dead", quantity: null, stops: [] },
  // Calm cells keep the viable green; stressed ones turn through yellow to red.
  stress: {
    label: "stress state",
    quantity: "internal_state",
    stops: [
      [0, "#2f9e55"],
      [0.5, "#f2c12e"],
      [1, "#b2182b"],
    ],
  },
  // viridis (van der Walt & Smith), perceptually uniform: low qP dark purple, high qP yellow.
  qp: {
    label: "qP",
    quantity: "specific_productivity",
    stops: [
      [0, "#440154"],
      [0.25, "#3b528b"],
      [0.5, "#21918c"],
      [0.75, "#5ec962"],
      [1, "#fde725"],
    ],
  },
};

/** Quantiles (texels) of the colour table the cells sample from. */
export const CELL_QUANTILES = 256;

export function isCellColouring(value: unknown): value is CellColouring {
  return typeof value === "string" && value in CELL_COLOURINGS;
}

/**
 * The cells' colour table for a lifeline distribution: `n` RGBA texels (sRGB, 0..255), texel i
 * the colour of the (i + ½)/n quantile of the histogram on the colouring's scale from 0 to the
 * histogram's upper edge. A cell with a uniform rank u takes texel ⌊u n⌋, so the drawn colours
 * follow the histogram.
 */
export function cellColourTable(colouring: CellColouringSpec, distribution: Pick<LifelineDistribution, "counts" | "upper">, n = CELL_QUANTILES): Uint8Array {
  const values = histogramQuantiles(distribution.counts, distribution.upper, n);
  const scale = { min: 0, max: distribution.upper > 0 ? distribution.upper : 1, stops: colouring.stops };
  const rgb: [number, number, number] = [0, 0, 0];
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    fieldColor(scale, values[i], rgb);
    out[i * 4] = Math.round(rgb[0] * 255);
    out[i * 4 + 1] = Math.round(rgb[1] * 255);
    out[i * 4 + 2] = Math.round(rgb[2] * 255);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/**
 * The colouring's scale itself as a table: texel i the colour of the value (i + ½)/n of the
 * scale's range (0..1 shares). Lifeline agents drawn with their own value index it directly.
 */
export function scaleColourTable(colouring: CellColouringSpec, n = CELL_QUANTILES): Uint8Array {
  const scale = { min: 0, max: 1, stops: colouring.stops };
  const rgb: [number, number, number] = [0, 0, 0];
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    fieldColor(scale, (i + 0.5) / n, rgb);
    out[i * 4] = Math.round(rgb[0] * 255);
    out[i * 4 + 1] = Math.round(rgb[1] * 255);
    out[i * 4 + 2] = Math.round(rgb[2] * 255);
    out[i * 4 + 3] = 255;
  }
  return out;
}

/**
 * Where each drawn cell sits when it stands for a lifeline agent: cell i is agent i (modulo
 * the sample), kept to its zone's band of the liquid height — zone 0 at the top, bands as
 * tall as the zones' volume fractions. Returns [lo, hi] pairs for `cells` cells.
 */
export function agentBands(zones: Uint8Array, fractions: readonly number[], cells: number): Float32Array {
  const top = new Float64Array(fractions.length + 1); // top[z]: share of the height above zone z's top, from the surface
  for (let z = 0; z < fractions.length; z++) top[z + 1] = top[z] + fractions[z];
  const total = top[fractions.length] || 1;
  const out = new Float32Array(cells * 2);
  for (let i = 0; i < cells && zones.length > 0; i++) {
    const z = Math.min(zones[i % zones.length], fractions.length - 1);
    out[i * 2] = 1 - top[z + 1] / total;
    out[i * 2 + 1] = 1 - top[z] / total;
  }
  return out;
}

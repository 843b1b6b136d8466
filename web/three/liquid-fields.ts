// The fields the 3D reactor view can colour its liquid by: which run column each reads,
// its unit, the fixed range of its colour scale and the scale's colour stops. Plain data
// and colour arithmetic (no three.js), shared by the element's legend and the scene.

export type LiquidField = "do" | "ph" | "pco2" | "glucose" | "lactate" | "temperature";

export interface LiquidFieldSpec {
  field: LiquidField;
  /** Label in the field picker and the legend. */
  label: string;
  /** The run column the field reads (CHO and microbial column names). */
  column: string;
  /**
   * The per-zone column of a zoned CHO run, zone_<z>_<zoneColumn> (engine/models/cho-zones.ts);
   * null: the tank has one value (temperature), shown in every zone.
   */
  zoneColumn: string | null;
  unit: string;
  /** Ends of the colour scale, in `unit`; values outside are clamped. Fixed, so runs compare. */
  min: number;
  max: number;
  /** Colour stops: offset along the scale (0 at min, 1 at max) and a #rrggbb colour. */
  stops: readonly (readonly [number, string])[];
  /** Decimals of read-outs. */
  digits: number;
}

/** Field order in the picker. */
export const LIQUID_FIELD_ORDER: readonly LiquidField[] = ["do", "ph", "pco2", "glucose", "lactate", "temperature"];

export const LIQUID_FIELDS: Readonly<Record<LiquidField, LiquidFieldSpec>> = {
  // Red when the culture runs short of oxygen, blue when it is saturated (ColorBrewer RdBu).
  do: {
    field: "do",
    label: "Dissolved O₂",
    column: "do_saturation",
    zoneColumn: "do_saturation",
    unit: "% air sat.",
    min: 0,
    max: 100,
    stops: [
      [0, "#b2182b"],
      [0.3, "#ef8a62"],
      [0.6, "#d1e5f0"],
      [1, "#2166ac"],
    ],
    digits: 1,
  },
  // The colours of phenol red, the pH indicator in most culture media: yellow when acid, fuchsia when basic.
  ph: {
    field: "ph",
    label: "pH",
    column: "ph",
    zoneColumn: "ph",
    unit: "pH",
    min: 6.6,
    max: 7.8,
    stops: [
      [0, "#f2c12e"],
      [0.25, "#f08a3c"],
      [0.5, "#e0483f"],
      [0.75, "#c8275a"],
      [1, "#9b1b7a"],
    ],
    digits: 2,
  },
  pco2: {
    field: "pco2",
    label: "pCO₂",
    column: "pco2",
    zoneColumn: "pco2",
    unit: "mmHg",
    min: 0,
    max: 160,
    stops: [
      [0, "#f7fcb9"],
      [0.5, "#41ab5d"],
      [1, "#004529"],
    ],
    digits: 0,
  },
  glucose: {
    field: "glucose",
    label: "Glucose",
    column: "glucose",
    zoneColumn: "glucose",
    unit: "mM",
    min: 0,
    max: 50,
    stops: [
      [0, "#f2f0f7"],
      [0.5, "#9e9ac8"],
      [1, "#3f007d"],
    ],
    digits: 1,
  },
  // Medium red at no lactate, turning orange and yellow as lactate acidifies the broth.
  lactate: {
    field: "lactate",
    label: "Lactate",
    column: "lactate",
    zoneColumn: "lactate",
    unit: "mM",
    min: 0,
    max: 40,
    stops: [
      [0, "#c9304a"],
      [0.5, "#ef8a3c"],
      [1, "#f3d34a"],
    ],
    digits: 1,
  },
  temperature: {
    field: "temperature",
    label: "Temperature",
    column: "temperature",
    zoneColumn: null,
    unit: "°C",
    min: 30,
    max: 40,
    stops: [
      [0, "#2c7bb6"],
      [0.5, "#ffffbf"],
      [1, "#d7191c"],
    ],
    digits: 1,
  },
};

/** The colour of a field's liquid when the run has no such column (or no rows yet). */
export const NO_DATA_COLOR = "#b8c2c8";

export function isLiquidField(value: unknown): value is LiquidField {
  return typeof value === "string" && value in LIQUID_FIELDS;
}

/** Where `value` falls on the field's scale, 0..1 (clamped); NaN when the value is not finite. */
export function scalePosition(spec: Pick<LiquidFieldSpec, "min" | "max">, value: number): number {
  if (!Number.isFinite(value)) return Number.NaN;
  return Math.min(1, Math.max(0, (value - spec.min) / (spec.max - spec.min)));
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

/**
 * Writes the colour of `value` on the field's scale into `out` as sRGB components 0..1
 * (linear interpolation between stops); NO_DATA_COLOR when the value is not finite.
 * Called by the scene when a new snapshot arrives; does not allocate beyond the stop lookup.
 */
export function fieldColor(spec: Pick<LiquidFieldSpec, "min" | "max" | "stops">, value: number, out: [number, number, number]): [number, number, number] {
  const p = scalePosition(spec, value);
  if (Number.isNaN(p)) {
    const [r, g, b] = hexToRgb(NO_DATA_COLOR);
    out[0] = r;
    out[1] = g;
    out[2] = b;
    return out;
  }
  const stops = spec.stops;
  let i = 1;
  while (i < stops.length - 1 && stops[i][0] < p) i++;
  const [o0, c0] = stops[i - 1];
  const [o1, c1] = stops[i];
  const t = o1 > o0 ? Math.min(1, Math.max(0, (p - o0) / (o1 - o0))) : 0;
  const a = hexToRgb(c0);
  const b = hexToRgb(c1);
  for (let k = 0; k < 3; k++) out[k] = a[k] + (b[k] - a[k]) * t;
  return out;
}

/** A value formatted for read-outs with the field's decimals ("–" when missing). */
export function formatFieldValue(spec: Pick<LiquidFieldSpec, "digits">, value: number): string {
  return Number.isFinite(value) ? value.toFixed(spec.digits) : "–";
}

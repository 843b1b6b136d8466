// Names and units of a study's outputs for labels (builder, tables, axes). The units
// are those of the result columns and KPIs (engine/kpis.ts) of the CHO model.
import type { StudyOutput } from "../../engine/study/spec";
import { OUTPUT_IDS } from "../../engine/study/spec";

export type OutputId = (typeof OUTPUT_IDS)[number];

export const OUTPUT_INFO: Readonly<Record<OutputId, { label: string; unit: string }>> = {
  finalTiter: { label: "Final titer", unit: "g/L" },
  peakViableDensity: { label: "Peak viable density", unit: "1e6 cells/mL" },
  ivc: { label: "Integral of viable cells", unit: "1e6 cells·day/mL" },
  harvestDay: { label: "Harvest day", unit: "day" },
  peakLactate: { label: "Peak lactate", unit: "mM" },
  peakAmmonium: { label: "Peak ammonium", unit: "mM" },
  maxPco2: { label: "Highest pCO2", unit: "mmHg" },
  minDo: { label: "Lowest DO", unit: "% air sat." },
};

/** Result columns a "value at a time" output or a trajectory can read, with units. */
export const COLUMN_INFO: Readonly<Record<string, { label: string; unit: string }>> = {
  viable_cells: { label: "Viable cells", unit: "1e6 cells/mL" },
  viability: { label: "Viability", unit: "%" },
  titer: { label: "Titer", unit: "g/L" },
  glucose: { label: "Glucose", unit: "mM" },
  glutamine: { label: "Glutamine", unit: "mM" },
  lactate: { label: "Lactate", unit: "mM" },
  ammonium: { label: "Ammonium", unit: "mM" },
  do_saturation: { label: "DO", unit: "% air sat." },
  ph: { label: "pH", unit: "pH" },
  pco2: { label: "pCO2", unit: "mmHg" },
  osmolality: { label: "Osmolality", unit: "mOsm/kg" },
  volume: { label: "Volume", unit: "L" },
};

/** The label and unit of one output of a study. */
export function outputInfo(o: StudyOutput): { label: string; unit: string } {
  if (typeof o === "string") return OUTPUT_INFO[o];
  if (o.kpi === "timeOutsidePh") return { label: o.name ?? `Time with pH outside ${o.low}–${o.high}`, unit: "h" };
  const column = COLUMN_INFO[o.column];
  return { label: o.name ?? `${column?.label ?? o.column} at ${o.atH} h`, unit: column?.unit ?? "" };
}

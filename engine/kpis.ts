// Key performance indicators of a run, from its columns: what a process developer
// reads first (peak viable density, final titer, integral of viable cells, harvest
// day). Works on a finished result and on the rows of a run still streaming.

/** One KPI with its unit; value is NaN when the run has no data for it yet. */
export interface Kpi {
  id: "peakDensity" | "finalTiter" | "ivc" | "harvestDay";
  label: string;
  unit: string;
  value: number;
  /** Time of the value (the peak, the last row), h; NaN if none. */
  atH: number;
  help: string;
}

type ColumnOf = (name: string) => Float64Array | undefined;

/** Trapezoidal integral of y over t (t in h), returned per day. */
function integralPerDay(t: Float64Array, y: Float64Array): number {
  let sum = 0;
  for (let i = 1; i < t.length; i++) sum += 0.5 * (y[i] + y[i - 1]) * (t[i] - t[i - 1]);
  return sum / 24;
}

function peak(t: Float64Array, y: Float64Array): { value: number; atH: number } {
  let best = NaN;
  let atH = NaN;
  for (let i = 0; i < y.length; i++) {
    if (!(y[i] <= best)) {
      best = y[i];
      atH = t[i];
    }
  }
  return { value: best, atH };
}

/**
 * The KPIs of a run. `column` returns a column by name (undefined if the model has
 * none); `harvested` says whether the harvest rule ended the run; `durationH` is the
 * planned length. CHO runs report cells in 1e6 cells/mL and titer in g/L; microbial
 * runs report biomass and product in g/L.
 */
export function computeKpis(column: ColumnOf, options: { harvested: boolean; finished: boolean }): Kpi[] {
  const t = column("time") ?? new Float64Array(0);
  const last = t.length - 1;
  const cho = column("viable_cells") !== undefined;
  const cells = column(cho ? "viable_cells" : "biomass");
  const product = column(cho ? "titer" : "product");
  const density = cells ? peak(t, cells) : { value: NaN, atH: NaN };
  const endH = last >= 0 ? t[last] : NaN;
  return [
    {
      id: "peakDensity",
      label: cho ? "Peak viable density" : "Peak biomass",
      unit: cho ? "1e6 cells/mL" : "g/L",
      value: density.value,
      atH: density.atH,
      help: cho ? "highest viable cell density of the run" : "highest biomass concentration of the run",
    },
    {
      id: "finalTiter",
      label: cho ? "Final titer" : "Final product",
      unit: "g/L",
      value: product && last >= 0 ? product[last] : NaN,
      atH: endH,
      help: cho ? "antibody concentration at the last time reached" : "product concentration at the last time reached",
    },
    {
      id: "ivc",
      label: cho ? "Integral of viable cells" : "Integral of biomass",
      unit: cho ? "1e6 cells·day/mL" : "g·day/L",
      value: cells && last >= 1 ? integralPerDay(t, cells) : NaN,
      atH: endH,
      help: "area under the viable density curve (trapezoidal rule), the driver of the titer",
    },
    {
      id: "harvestDay",
      label: "Harvest day",
      unit: "day",
      value: options.finished && last >= 0 ? endH / 24 : NaN,
      atH: endH,
      help: options.harvested ? "the harvest rule ended the run (viability threshold)" : "the end of the run",
    },
  ];
}

// The columns of one run as they grow while it streams from the worker: time first,
// then every model column, then any columns the app derives from them (the spread over
// the zones of a large tank), each a Float64Array view of the rows received so far.
// Charts and KPIs read it; the app model appends to it. Plain data, no DOM.

/** What a column is: its name in the result, its unit and one line about it. */
export interface SeriesInfo {
  name: string;
  unit: string;
  description: string;
}

/**
 * A column computed in the app from others of the same row (web/model/zone-columns.ts).
 * `value` gets the row's values of `sources` (indices into the run's own columns), in that order.
 */
export interface DerivedSeries {
  info: SeriesInfo;
  sources: readonly number[];
  value(sourceValues: Float64Array): number;
}

export class RunData {
  /** Column descriptions, time first, then the derived columns (if any). */
  readonly series: readonly SeriesInfo[];
  /** Numbers per row that appendRows takes: the run's own columns, without the derived ones. */
  readonly rowWidth: number;
  /** Simulated duration of the scenario, in h (the x range of the charts). */
  readonly durationH: number;
  /** A label for legends ("current run", or the title of a pinned run). */
  label: string;
  /** Rows received so far. */
  length = 0;
  /** Increases on every change, so views can tell when to redraw without comparing data. */
  version = 0;
  private store: Float64Array[];
  private readonly index: Map<string, number>;
  private readonly derived: readonly DerivedSeries[];
  private readonly scratch: Float64Array;

  /**
   * @param series - the run's own columns, time first
   * @param derived - columns computed from them row by row, appended after them
   */
  constructor(series: readonly SeriesInfo[], durationH: number, label = "current run", capacity = 64, derived: readonly DerivedSeries[] = []) {
    if (series.length === 0 || series[0].name !== "time") throw new Error("RunData: the first column must be time");
    this.series = [...series, ...derived.map((d) => d.info)];
    this.rowWidth = series.length;
    this.durationH = durationH;
    this.label = label;
    this.derived = derived;
    this.scratch = new Float64Array(Math.max(0, ...derived.map((d) => d.sources.length)));
    this.store = this.series.map(() => new Float64Array(Math.max(capacity, 2)));
    this.index = new Map(this.series.map((s, i) => [s.name, i]));
  }

  /** A RunData holding whole columns (a finished run); `values` are those of `series`, the derived columns are computed. */
  static fromColumns(
    series: readonly SeriesInfo[],
    values: readonly Float64Array[],
    durationH: number,
    label?: string,
    derived: readonly DerivedSeries[] = [],
  ): RunData {
    const length = values[0]?.length ?? 0;
    const data = new RunData(series, durationH, label, length, derived);
    values.forEach((v, i) => data.store[i].set(v));
    data.derive(0, length);
    data.length = length;
    data.version++;
    return data;
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  info(name: string): SeriesInfo | undefined {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.series[i];
  }

  /** The rows so far of column `name` (a view: valid until the next append). */
  column(name: string): Float64Array {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`no column ${name}`);
    return this.store[i].subarray(0, this.length);
  }

  get time(): Float64Array {
    return this.store[0].subarray(0, this.length);
  }

  /** Time of the last row in h, or 0 before the first. */
  get lastTimeH(): number {
    return this.length > 0 ? this.store[0][this.length - 1] : 0;
  }

  /** Appends rows given row-major, `rowWidth` numbers a row (the run's own columns; derived ones are computed). */
  appendRows(rows: Float64Array): void {
    const width = this.rowWidth;
    if (rows.length % width !== 0) throw new Error(`RunData: ${rows.length} numbers are not whole rows of ${width}`);
    const count = rows.length / width;
    if (count === 0) return;
    this.reserve(this.length + count);
    for (let c = 0; c < width; c++) {
      const col = this.store[c];
      for (let r = 0; r < count; r++) col[this.length + r] = rows[r * width + c];
    }
    this.derive(this.length, this.length + count);
    this.length += count;
    this.version++;
  }

  /** Drops every row (a reset). */
  clear(): void {
    this.length = 0;
    this.version++;
  }

  /** Computes the derived columns of rows [from, to). */
  private derive(from: number, to: number): void {
    const scratch = this.scratch;
    this.derived.forEach((d, k) => {
      const out = this.store[this.rowWidth + k];
      const sources = d.sources.map((i) => this.store[i]);
      const values = scratch.length === sources.length ? scratch : scratch.subarray(0, sources.length);
      for (let r = from; r < to; r++) {
        for (let j = 0; j < sources.length; j++) values[j] = sources[j][r];
        out[r] = d.value(values);
      }
    });
  }

  /** An independent copy (to pin a run): every column, derived ones included, as plain columns. */
  snapshot(label: string): RunData {
    return RunData.fromColumns(
      this.series,
      this.store.map((c) => c.slice(0, this.length)),
      this.durationH,
      label,
    );
  }

  private reserve(rows: number): void {
    if (rows <= this.store[0].length) return;
    const capacity = Math.max(rows, this.store[0].length * 2);
    this.store = this.store.map((old) => {
      const grown = new Float64Array(capacity);
      grown.set(old.subarray(0, this.length));
      return grown;
    });
  }
}

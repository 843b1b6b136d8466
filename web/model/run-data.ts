// The columns of one run as they grow while it streams from the worker: time first,
// then every model column, each a Float64Array view of the rows received so far.
// Charts and KPIs read it; the app model appends to it. Plain data, no DOM.

/** What a column is: its name in the result, its unit and one line about it. */
export interface SeriesInfo {
  name: string;
  unit: string;
  description: string;
}

export class RunData {
  /** Column descriptions, time first. */
  readonly series: readonly SeriesInfo[];
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

  constructor(series: readonly SeriesInfo[], durationH: number, label = "current run", capacity = 64) {
    if (series.length === 0 || series[0].name !== "time") throw new Error("RunData: the first column must be time");
    this.series = series;
    this.durationH = durationH;
    this.label = label;
    this.store = series.map(() => new Float64Array(Math.max(capacity, 2)));
    this.index = new Map(series.map((s, i) => [s.name, i]));
  }

  /** A RunData holding whole columns (a finished run). */
  static fromColumns(series: readonly SeriesInfo[], values: readonly Float64Array[], durationH: number, label?: string): RunData {
    const length = values[0]?.length ?? 0;
    const data = new RunData(series, durationH, label, length);
    values.forEach((v, i) => data.store[i].set(v));
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

  /** Appends rows given row-major, `series.length` numbers a row. */
  appendRows(rows: Float64Array): void {
    const width = this.series.length;
    if (rows.length % width !== 0) throw new Error(`RunData: ${rows.length} numbers are not whole rows of ${width}`);
    const count = rows.length / width;
    if (count === 0) return;
    this.reserve(this.length + count);
    for (let c = 0; c < width; c++) {
      const col = this.store[c];
      for (let r = 0; r < count; r++) col[this.length + r] = rows[r * width + c];
    }
    this.length += count;
    this.version++;
  }

  /** Drops every row (a reset). */
  clear(): void {
    this.length = 0;
    this.version++;
  }

  /** An independent copy (to pin a run). */
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

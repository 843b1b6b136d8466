// <bt-chart>: one time chart of a few result columns (a ChartSpec) of the current run,
// with an optional pinned earlier run drawn dashed underneath, two y axes, a legend
// and a hover read-out. It reads the runs in its own animation loop and redraws only
// what changed: new rows are appended to the line paths; everything is rebuilt only
// when an axis grows, the size changes or a run is replaced.
import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import { axisBottom, axisLeft, axisRight } from "d3-axis";
import { scaleLinear, type ScaleLinear } from "d3-scale";
import { pointer, select, type Selection } from "d3-selection";
import { line } from "d3-shape";
import { svgToPngBlob, svgToString } from "../model/chart-export";
import { axisTitle, type AxisSpec, type ChartSpec, type SeriesSpec } from "../model/chart-specs";
import type { RunData } from "../model/run-data";

/** The time axis is labelled in days; run data are in hours. The one place that converts. */
const HOURS_PER_DAY = 24;
/** Day steps the time axis may use, smallest first. */
const DAY_STEPS = [1 / 24, 1 / 12, 0.25, 0.5, 1, 2, 5, 7, 14, 28, 50, 100, 200, 365];

// Layout, in CSS px.
const FONT_PX = 11;
const TITLE_HEIGHT = 22;
const LEGEND_ROW_HEIGHT = 16;
const LEGEND_SAMPLE_WIDTH = 18;
const LEGEND_GAP = 14;
const PAD = 10;
const TICK_SIZE = 5;
const AXIS_TITLE_SPACE = 18;
const BOTTOM_MARGIN = 40;
/** Target spacing between y ticks. */
const Y_TICK_SPACING = 38;
/** Least free space between two time-tick labels. */
const X_LABEL_GAP = 14;
/** At most this many time steps, however wide the chart. */
const X_TICKS_MAX = 10;
/** Room left above the highest value before the axis is rounded, as a share of the data's span. */
const HEADROOM = 0.03;

type Domain = [number, number];
type Side = "left" | "right";
type G = Selection<SVGGElement, unknown, null, undefined>;

interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** A CanvasPath-like sink for d3-shape's line that writes SVG path data, rounded to 0.1 px. */
class PathText {
  text = "";
  /** Drop the next moveTo: the path already ends at that point (an appended piece). */
  skipMove = false;
  moveTo(x: number, y: number): void {
    if (this.skipMove) {
      this.skipMove = false;
      return;
    }
    this.text += `M${round1(x)},${round1(y)}`;
  }
  lineTo(x: number, y: number): void {
    this.skipMove = false;
    this.text += `L${round1(x)},${round1(y)}`;
  }
  closePath(): void {}
}

/** One series on the chart: its spec, its two path elements and what they already show. */
interface Trace {
  spec: SeriesSpec;
  current: SVGPathElement;
  pinned: SVGPathElement | null;
  /** Path data of the current run so far, and how many of its rows it covers. */
  d: string;
  rows: number;
}

/** What was read of the current run, to tell an append from a reset. */
interface Cursor {
  run: RunData | null;
  rows: number;
  lastTimeH: number;
}

/**
 * @fires hover-time - CustomEvent<{ timeH: number | null }> when the pointer moves over the
 *   plot (the time under it, in h) or leaves it (null). Bubbles and crosses shadow roots.
 */
@customElement("bt-chart")
export class BtChart extends LitElement {
  static styles = css`
    :host {
      display: block;
      position: relative;
      height: var(--bt-chart-height, 280px);
      min-width: 0;
      font-family: var(--bt-font, system-ui, sans-serif);
      color: var(--bt-fg, #1d2428);
    }
    .frame {
      position: absolute;
      inset: 0;
      overflow: hidden;
    }
    svg {
      display: block;
      width: 100%;
      height: 100%;
      font-family: var(--bt-font, system-ui, sans-serif);
    }
    .title {
      font-size: 13px;
      font-weight: 600;
      fill: #1d2428;
    }
    .legend text,
    .axis-title {
      font-size: 11px;
      fill: #3b464c;
    }
    .axis {
      font-family: var(--bt-font, system-ui, sans-serif);
      font-size: 11px;
    }
    .axis text {
      fill: #4a555b;
    }
    .axis path.domain,
    .axis line {
      stroke: #9aa5ab;
    }
    .grid line {
      stroke: #e6e9eb;
      stroke-width: 1;
      shape-rendering: crispEdges;
    }
    .series {
      fill: none;
      stroke-width: 2;
      stroke-linejoin: round;
      stroke-linecap: round;
    }
    .series.setpoint {
      stroke-width: 1.25;
      stroke-dasharray: 2 3;
      stroke-linecap: butt;
    }
    .series.pinned {
      stroke-width: 1.5;
      stroke-dasharray: 6 4;
      stroke-linecap: butt;
      opacity: 0.5;
    }
    .legend .sample {
      stroke-width: 2;
    }
    .legend .sample.setpoint {
      stroke-width: 1.25;
      stroke-dasharray: 2 3;
    }
    .legend .sample.pinned {
      stroke-width: 1.5;
      stroke-dasharray: 5 3;
      stroke: #5d6b73;
      opacity: 0.7;
    }
    .hover-rule {
      stroke: #5d6b73;
      stroke-width: 1;
      stroke-dasharray: 3 3;
      shape-rendering: crispEdges;
    }
    .hover-dot {
      stroke: #ffffff;
      stroke-width: 1.5;
    }
    .overlay {
      fill: none;
      pointer-events: all;
      cursor: crosshair;
      touch-action: pan-y;
    }
    .readout {
      position: absolute;
      top: 0;
      left: 0;
      pointer-events: none;
      background: rgba(255, 255, 255, 0.95);
      border: 1px solid #c9d0d4;
      border-radius: 4px;
      box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12);
      padding: 4px 6px;
      font-size: 11px;
      line-height: 1.35;
      color: #1d2428;
      white-space: nowrap;
      display: grid;
      grid-template-columns: auto auto auto auto;
      column-gap: 6px;
      align-items: center;
    }
    .readout.with-pinned {
      grid-template-columns: auto auto auto auto auto;
    }
    .readout[hidden] {
      display: none;
    }
    .readout .time {
      grid-column: 1 / -1;
      font-weight: 600;
      margin-bottom: 2px;
    }
    .readout .head {
      color: #5d6b73;
      font-size: 10px;
      text-align: right;
    }
    .readout .unit {
      color: #3b464c;
    }
    .readout .swatch {
      width: 10px;
      height: 3px;
      border-radius: 1px;
    }
    .readout .value {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    .readout .pinned-value {
      text-align: right;
      color: #5d6b73;
      font-variant-numeric: tabular-nums;
    }
    .tools {
      position: absolute;
      top: 4px;
      right: 6px;
    }
  `;

  /** The chart to draw (which columns, axes, colours). */
  @property({ attribute: false }) spec: ChartSpec | null = null;
  /** The current run; read every animation frame, redrawn when its version changes. null: none yet. */
  @property({ attribute: false }) run: RunData | null = null;
  /** An earlier run to compare with, drawn dashed and lighter; null: none. */
  @property({ attribute: false }) pinned: RunData | null = null;

  /** Time of the hover rule in h, set by the pointer or by a panel syncing charts; null: no rule. */
  get hoverTimeH(): number | null {
    return this.hoverH;
  }
  set hoverTimeH(value: number | null) {
    const next = value === null || value === undefined || !Number.isFinite(value) ? null : value;
    if (next === this.hoverH) return;
    this.hoverH = next;
    this.dirtyHover = true;
  }

  private hoverH: number | null = null;
  /** Pointer y in px within the chart while the pointer is over the plot; null otherwise (no read-out box). */
  private pointerY: number | null = null;
  /** Font of the axis labels, read once per layout for text measurement. */
  private labelFont = "";
  private svg: Selection<SVGSVGElement, unknown, null, undefined> | null = null;
  private readout: HTMLDivElement | null = null;
  private layers: {
    title: G;
    legend: G;
    grid: G;
    xAxis: G;
    leftAxis: G;
    rightAxis: G;
    axisTitles: G;
    plot: G;
    pinned: G;
    current: G;
    hover: G;
    overlay: Selection<SVGRectElement, unknown, null, undefined>;
    clip: Selection<SVGRectElement, unknown, null, undefined>;
  } | null = null;
  private traces: Trace[] = [];
  private readonly x = scaleLinear();
  private readonly y: Record<Side, ScaleLinear<number, number>> = { left: scaleLinear(), right: scaleLinear() };
  private domains: Record<Side, Domain | null> = { left: null, right: null };
  /** Min and max of the current run's rows read so far, per axis. */
  private extents: Record<Side, Domain | null> = { left: null, right: null };
  private pinnedExtents: Record<Side, Domain | null> = { left: null, right: null };
  private cursor: Cursor = { run: null, rows: 0, lastTimeH: Number.NaN };
  private margins: Margins = { top: 0, right: 0, bottom: 0, left: 0 };
  /** Rows of the legend at the current width. */
  private legendRows = 0;
  /** How many ticks the y axes aim for at the current height. */
  private yTicks = 5;
  private readonly sink = new PathText();
  private readonly lineOf = line<number>();
  private width = 0;
  private height = 0;
  private seenRunVersion = -1;
  private seenPinnedVersion = -1;
  private seenPinned: RunData | null = null;
  private legendKey = "";
  private dirtyAll = true;
  private dirtyHover = false;
  private rafId = 0;
  private resizeObserver: ResizeObserver | null = null;
  private measureContext: CanvasRenderingContext2D | null = null;
  private static clipCount = 0;
  private readonly clipId = `bt-chart-clip-${++BtChart.clipCount}`;

  connectedCallback(): void {
    super.connectedCallback();
    this.dirtyAll = true;
    if (this.hasUpdated) this.startLoop();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.rafId);
    this.rafId = 0;
    this.resizeObserver?.disconnect();
  }

  render() {
    return html`<div class="frame">
      <svg class="chart" role="img" aria-label=${this.spec?.title ?? "chart"}></svg>
      <div class="readout" hidden></div>
      <div class="tools"><slot name="tools"></slot></div>
    </div>`;
  }

  protected firstUpdated(): void {
    const root = this.renderRoot;
    const svgElement = root.querySelector("svg") as SVGSVGElement;
    this.readout = root.querySelector(".readout") as HTMLDivElement;
    const svg = select(svgElement);
    this.svg = svg;
    svg.append("defs").append("clipPath").attr("id", this.clipId).append("rect");
    const g = (cls: string, parent: G | typeof svg = svg) => (parent as G).append("g").attr("class", cls) as G;
    const grid = g("grid");
    const plot = g("plot").attr("clip-path", `url(#${this.clipId})`);
    this.layers = {
      title: g("title-layer"),
      legend: g("legend"),
      grid,
      xAxis: g("axis x-axis"),
      leftAxis: g("axis y-axis left"),
      rightAxis: g("axis y-axis right"),
      axisTitles: g("axis-titles"),
      plot,
      pinned: g("pinned-series", plot),
      current: g("current-series", plot),
      hover: g("hover no-export"),
      overlay: svg.append("rect").attr("class", "overlay no-export"),
      clip: svg.select<SVGRectElement>(`#${this.clipId} rect`),
    };
    this.layers.overlay
      .on("pointermove", (event: PointerEvent) => this.onPointer(event))
      .on("pointerdown", (event: PointerEvent) => this.onPointer(event))
      .on("pointerleave", () => {
        this.pointerY = null;
        this.setHoverFromPointer(null);
      });
    this.startLoop();
  }

  protected updated(changed: PropertyValues<this>): void {
    if (changed.has("spec") || changed.has("run")) this.dirtyAll = true;
    if (changed.has("pinned")) this.seenPinnedVersion = -1;
  }

  /** The chart as a standalone SVG document (white background, no hover layer). */
  toSvgString(): string {
    const svg = this.svg?.node();
    if (!svg) throw new Error("bt-chart: not rendered yet");
    this.draw();
    return svgToString(svg, { title: this.spec?.title });
  }

  /** The chart as a PNG at `scale` device pixels per CSS pixel. */
  toPngBlob(scale = 2): Promise<Blob> {
    return svgToPngBlob(this.toSvgString(), this.width, this.height, scale);
  }

  private startLoop(): void {
    if (!this.resizeObserver) {
      this.resizeObserver = new ResizeObserver((entries) => {
        const box = entries[entries.length - 1].contentRect;
        if (box.width !== this.width || box.height !== this.height) {
          this.width = box.width;
          this.height = box.height;
          this.dirtyAll = true;
        }
      });
    }
    const frame = this.renderRoot.querySelector(".frame");
    if (frame) this.resizeObserver.observe(frame);
    if (this.rafId === 0) {
      const tick = () => {
        this.rafId = requestAnimationFrame(tick);
        this.draw();
      };
      this.rafId = requestAnimationFrame(tick);
    }
  }

  /** Brings the SVG up to date with the runs; cheap when nothing changed. Called every frame. */
  private draw(): void {
    const spec = this.spec;
    if (!this.layers || !spec || this.width <= 0 || this.height <= 0) return;
    const run = this.run;
    const pinned = this.pinned;
    const runChanged = (run?.version ?? -1) !== this.seenRunVersion || run !== this.cursor.run;
    const pinnedChanged = pinned !== this.seenPinned || (pinned?.version ?? -1) !== this.seenPinnedVersion;
    const legendKey = `${spec.id}|${spec.series.length}|${pinned?.label ?? ""}|${run?.label ?? ""}|${this.width}`;
    if (!this.dirtyAll && !runChanged && !pinnedChanged && !this.dirtyHover && legendKey === this.legendKey) return;

    if (this.dirtyAll) this.buildTraces(spec);
    if (pinnedChanged || this.dirtyAll) this.readPinnedExtents(spec, pinned);
    const appended = this.readRun(spec, run);
    this.seenRunVersion = run?.version ?? -1;
    this.seenPinned = pinned;
    this.seenPinnedVersion = pinned?.version ?? -1;

    const domainsChanged = this.growDomains(spec);
    const rebuild = this.dirtyAll || domainsChanged || pinnedChanged || !appended || legendKey !== this.legendKey;
    if (legendKey !== this.legendKey || this.dirtyAll) {
      this.legendKey = legendKey;
      this.drawTitleAndLegend(spec, run, pinned);
    }
    if (rebuild) {
      this.layout(spec, run, pinned);
      this.drawAxes(spec);
      this.redrawPaths(run, pinned);
    } else if (runChanged) {
      this.appendPaths(run);
    }
    this.dirtyAll = false;
    this.drawHover(spec, run, pinned);
    this.dirtyHover = false;
  }

  /** Makes one current and one pinned path per series. */
  private buildTraces(spec: ChartSpec): void {
    const layers = this.layers!;
    layers.current.selectAll("path").remove();
    layers.pinned.selectAll("path").remove();
    this.traces = spec.series.map((s) => {
      const cls = `series ${s.role ?? "value"} col-${s.column}`;
      const current = layers.current.append("path").attr("class", `${cls} current`).attr("stroke", s.color).node()!;
      const pinned =
        s.role === "setpoint" ? null : layers.pinned.append("path").attr("class", `${cls} pinned`).attr("stroke", s.color).node()!;
      return { spec: s, current, pinned, d: "", rows: 0 };
    });
    this.cursor = { run: null, rows: 0, lastTimeH: Number.NaN };
  }

  /**
   * Reads the rows of the current run added since the last frame into the axis extents.
   * Returns true when they follow the rows already drawn (an append), false after a reset,
   * a new run or a change of chart.
   */
  private readRun(spec: ChartSpec, run: RunData | null): boolean {
    const cursor = this.cursor;
    const time = run?.time;
    const continues =
      run !== null &&
      run === cursor.run &&
      run.length >= cursor.rows &&
      (cursor.rows === 0 || sameNumber(time![cursor.rows - 1], cursor.lastTimeH)) &&
      this.traces.every((t) => t.rows === cursor.rows);
    if (!continues) {
      this.extents = { left: null, right: null };
      this.domains = { left: null, right: null };
      for (const t of this.traces) {
        t.d = "";
        t.rows = 0;
      }
      cursor.rows = 0;
    }
    cursor.run = run;
    if (!run || !time) {
      cursor.rows = 0;
      cursor.lastTimeH = Number.NaN;
      return continues;
    }
    for (const s of spec.series) {
      if (!run.has(s.column)) continue;
      this.extents[s.axis] = extendExtent(this.extents[s.axis], run.column(s.column), cursor.rows, run.length);
    }
    cursor.rows = run.length;
    cursor.lastTimeH = run.length > 0 ? time[run.length - 1] : Number.NaN;
    return continues;
  }

  private readPinnedExtents(spec: ChartSpec, pinned: RunData | null): void {
    this.pinnedExtents = { left: null, right: null };
    if (!pinned) return;
    for (const s of spec.series) {
      if (s.role === "setpoint" || !pinned.has(s.column)) continue;
      this.pinnedExtents[s.axis] = extendExtent(this.pinnedExtents[s.axis], pinned.column(s.column), 0, pinned.length);
    }
    // The pinned run may have been taken before the axes grew to their final size.
    this.domains = { left: null, right: null };
  }

  /** Grows each axis to hold the data (never shrinks while a run streams). Returns true when one changed. */
  private growDomains(spec: ChartSpec): boolean {
    let changed = false;
    for (const side of ["left", "right"] as const) {
      const axis = side === "left" ? spec.left : spec.right;
      if (!axis) continue;
      const extent = union(this.extents[side], this.pinnedExtents[side]);
      const next = grownDomain(this.domains[side], extent, axis);
      if (!this.domains[side] || next[0] !== this.domains[side]![0] || next[1] !== this.domains[side]![1]) {
        this.domains[side] = next;
        changed = true;
      }
    }
    return changed;
  }

  private drawTitleAndLegend(spec: ChartSpec, run: RunData | null, pinned: RunData | null): void {
    const layers = this.layers!;
    layers.title
      .selectAll("text")
      .data([spec.title])
      .join("text")
      .attr("class", "title")
      .attr("x", PAD)
      .attr("y", 16)
      .text((d) => d);
    const twoAxes = spec.right !== undefined && spec.series.some((s) => s.axis === "right");
    interface Entry {
      label: string;
      color: string;
      kind: "value" | "setpoint" | "pinned";
    }
    const entries: Entry[] = spec.series
      .filter((s) => run === null || run.has(s.column) || pinned?.has(s.column))
      .map((s) => ({
        label: twoAxes && s.axis === "right" ? `${s.label} (right axis)` : s.label,
        color: s.color,
        kind: s.role === "setpoint" ? "setpoint" : "value",
      }));
    if (pinned) entries.push({ label: `pinned: ${pinned.label}`, color: "#5d6b73", kind: "pinned" });
    // Flow the entries into rows that fit the width.
    const maxWidth = Math.max(80, this.width - 2 * PAD);
    let x = 0;
    let row = 0;
    const placed = entries.map((e) => {
      const w = LEGEND_SAMPLE_WIDTH + 5 + this.textWidth(e.label);
      if (x > 0 && x + w > maxWidth) {
        x = 0;
        row++;
      }
      const at = { ...e, x, row };
      x += w + LEGEND_GAP;
      return at;
    });
    this.legendRows = entries.length > 0 ? row + 1 : 0;
    const items = layers.legend
      .attr("transform", `translate(${PAD},${TITLE_HEIGHT + 6})`)
      .selectAll<SVGGElement, (typeof placed)[number]>("g.item")
      .data(placed)
      .join((enter) => {
        const item = enter.append("g").attr("class", "item");
        item.append("line").attr("class", "sample");
        item.append("text");
        return item;
      })
      .attr("transform", (d) => `translate(${d.x},${d.row * LEGEND_ROW_HEIGHT})`);
    items
      .select("line")
      .attr("class", (d) => `sample ${d.kind}`)
      .attr("x1", 0)
      .attr("x2", LEGEND_SAMPLE_WIDTH)
      .attr("y1", 0)
      .attr("y2", 0)
      .attr("stroke", (d) => d.color);
    items
      .select("text")
      .attr("x", LEGEND_SAMPLE_WIDTH + 5)
      .attr("y", 0)
      .attr("dy", "0.35em")
      .text((d) => d.label);
  }

  /** Margins from the legend height and the widths of the tick labels; sets the scales' ranges. */
  private layout(spec: ChartSpec, run: RunData | null, pinned: RunData | null): void {
    const top = TITLE_HEIGHT + Math.max(1, this.legendRows) * LEGEND_ROW_HEIGHT + 8;
    const plotHeight = Math.max(20, this.height - top - BOTTOM_MARGIN);
    const yTicks = Math.max(2, Math.round(plotHeight / Y_TICK_SPACING));
    const labelWidth = (side: Side) => {
      const domain = this.domains[side];
      if (!domain) return 0;
      const scale = this.y[side].domain(domain);
      const format = scale.tickFormat(yTicks);
      return Math.max(0, ...scale.ticks(yTicks).map((t) => this.textWidth(format(t))));
    };
    const hasRight = spec.right !== undefined && spec.series.some((s) => s.axis === "right");
    const left = PAD + AXIS_TITLE_SPACE + labelWidth("left") + TICK_SIZE + 6;
    const right = hasRight ? PAD + AXIS_TITLE_SPACE + labelWidth("right") + TICK_SIZE + 6 : 18;
    this.margins = { top, right, bottom: BOTTOM_MARGIN, left };
    const plotWidth = Math.max(20, this.width - left - right);
    const durationH = run?.durationH ?? pinned?.durationH ?? HOURS_PER_DAY;
    this.x.domain([0, durationH > 0 ? durationH : HOURS_PER_DAY]).range([0, plotWidth]);
    for (const side of ["left", "right"] as const) {
      this.y[side].domain(this.domains[side] ?? [0, 1]).range([plotHeight, 0]);
    }
    this.yTicks = yTicks;
  }

  private drawAxes(spec: ChartSpec): void {
    const layers = this.layers!;
    const { top, left } = this.margins;
    const [plotHeight] = this.y.left.range();
    const plotWidth = this.x.range()[1];
    const translate = `translate(${left},${top})`;
    layers.plot.attr("transform", translate);
    layers.hover.attr("transform", translate);
    layers.grid.attr("transform", translate);
    layers.clip.attr("x", -2).attr("y", -2).attr("width", plotWidth + 4).attr("height", plotHeight + 4);
    layers.overlay.attr("x", left).attr("y", top).attr("width", plotWidth).attr("height", plotHeight);

    const timeTicks = this.timeTicksH(plotWidth);
    const xAxis = axisBottom(this.x)
      .tickValues(timeTicks)
      .tickSize(TICK_SIZE)
      .tickFormat((h) => formatDays(Number(h) / HOURS_PER_DAY));
    layers.xAxis.attr("transform", `translate(${left},${top + plotHeight})`).call(xAxis);

    const leftAxis = axisLeft(this.y.left).ticks(this.yTicks).tickSize(TICK_SIZE);
    layers.leftAxis.attr("transform", translate).call(leftAxis);
    const hasRight = spec.right !== undefined && spec.series.some((s) => s.axis === "right");
    if (hasRight) {
      layers.rightAxis.attr("transform", `translate(${left + plotWidth},${top})`).call(axisRight(this.y.right).ticks(this.yTicks).tickSize(TICK_SIZE));
    } else {
      layers.rightAxis.selectAll("*").remove();
    }

    layers.grid
      .selectAll("line")
      .data(this.y.left.ticks(this.yTicks))
      .join("line")
      .attr("x1", 0)
      .attr("x2", plotWidth)
      .attr("y1", (d) => round1(this.y.left(d)) + 0.5)
      .attr("y2", (d) => round1(this.y.left(d)) + 0.5);

    const titles: { text: string; x: number; y: number; rotate: number }[] = [
      { text: "Time [d]", x: left + plotWidth / 2, y: this.height - 8, rotate: 0 },
      { text: axisTitle(spec.left), x: PAD + 4, y: top + plotHeight / 2, rotate: -90 },
    ];
    if (hasRight && spec.right) titles.push({ text: axisTitle(spec.right), x: this.width - PAD - 4, y: top + plotHeight / 2, rotate: 90 });
    layers.axisTitles
      .selectAll("text")
      .data(titles)
      .join("text")
      .attr("class", "axis-title")
      .attr("text-anchor", "middle")
      .attr("dominant-baseline", "middle")
      .attr("transform", (d) => `translate(${round1(d.x)},${round1(d.y)}) rotate(${d.rotate})`)
      .text((d) => d.text);
  }

  /** Tick positions in h at whole steps of days, the smallest step whose labels do not crowd. */
  private timeTicksH(plotWidth: number): number[] {
    const days = this.x.domain()[1] / HOURS_PER_DAY;
    const ticksOf = (step: number) => {
      const ticks: number[] = [];
      for (let k = 0; k * step <= days + 1e-9; k++) ticks.push(k * step);
      return ticks;
    };
    for (const step of DAY_STEPS) {
      if (days / step > X_TICKS_MAX) continue;
      const ticks = ticksOf(step);
      const spacing = (plotWidth * step) / days;
      const widest = Math.max(...ticks.map((d) => this.textWidth(formatDays(d))));
      if (spacing >= widest + X_LABEL_GAP) return ticks.map((d) => d * HOURS_PER_DAY);
    }
    return [0, days * HOURS_PER_DAY];
  }

  /** Rebuilds every path from the first row (after a change of scale or run). */
  private redrawPaths(run: RunData | null, pinned: RunData | null): void {
    for (const t of this.traces) {
      t.d = "";
      t.rows = 0;
      if (t.pinned) t.pinned.setAttribute("d", pinned && pinned.has(t.spec.column) ? this.pathData(pinned, t.spec, 0, false) : "");
    }
    this.appendPaths(run);
  }

  /** Extends every current-run path with the rows added since it was drawn. */
  private appendPaths(run: RunData | null): void {
    for (const t of this.traces) {
      if (!run || !run.has(t.spec.column)) {
        if (t.d !== "") t.current.setAttribute("d", (t.d = ""));
        t.rows = run?.length ?? 0;
        continue;
      }
      if (run.length > t.rows) {
        const from = Math.max(0, t.rows - 1);
        const continues = t.rows > 0 && Number.isFinite(run.column(t.spec.column)[from]) && Number.isFinite(run.time[from]);
        t.d += this.pathData(run, t.spec, from, continues);
        t.rows = run.length;
        t.current.setAttribute("d", t.d);
      }
    }
  }

  /** SVG path data of rows from..end of one series; `continues` drops the first moveTo. */
  private pathData(data: RunData, spec: SeriesSpec, from: number, continues: boolean): string {
    const time = data.time;
    const values = data.column(spec.column);
    const x = this.x;
    const y = this.y[spec.axis];
    const sink = this.sink;
    sink.text = "";
    sink.skipMove = continues;
    this.lineOf
      .x((i) => x(time[i]))
      .y((i) => y(values[i]))
      .defined((i) => Number.isFinite(values[i]) && Number.isFinite(time[i]))
      .context(sink as unknown as CanvasRenderingContext2D);
    this.lineOf(rowIndices(from, data.length));
    return sink.text;
  }

  private onPointer(event: PointerEvent): void {
    const [px, py] = pointer(event, this.layers!.plot.node());
    this.pointerY = py + this.margins.top;
    this.dirtyHover = true;
    const [t0, t1] = this.x.domain();
    const timeH = Math.min(t1, Math.max(t0, this.x.invert(px)));
    this.setHoverFromPointer(timeH);
  }

  private setHoverFromPointer(timeH: number | null): void {
    this.hoverTimeH = timeH;
    this.dispatchEvent(new CustomEvent("hover-time", { detail: { timeH }, bubbles: true, composed: true }));
  }

  /** The rule, a dot per series and the read-out box at hoverTimeH (nearest row of each run). */
  private drawHover(spec: ChartSpec, run: RunData | null, pinned: RunData | null): void {
    const layers = this.layers!;
    const readout = this.readout!;
    const timeH = this.hoverH;
    const source = run && run.length > 0 ? run : pinned && pinned.length > 0 ? pinned : null;
    if (timeH === null || source === null) {
      layers.hover.selectAll("*").remove();
      readout.hidden = true;
      return;
    }
    const row = nearestRow(source.time, timeH);
    const rowTimeH = source.time[row];
    const pinnedRow = pinned && pinned.length > 0 ? nearestRow(pinned.time, timeH) : -1;
    const plotHeight = this.y.left.range()[0];
    const xPx = round1(this.x(timeH));

    const valueAt = (data: RunData | null, r: number, s: SeriesSpec) =>
      data && r >= 0 && r < data.length && data.has(s.column) ? data.column(s.column)[r] : Number.NaN;
    const shown = spec.series.filter((s) => (run?.has(s.column) ?? false) || (pinned?.has(s.column) ?? false));
    const currentRow = source === run ? row : -1;

    layers.hover
      .selectAll("line")
      .data([xPx])
      .join("line")
      .attr("class", "hover-rule")
      .attr("x1", (d) => d + 0.5)
      .attr("x2", (d) => d + 0.5)
      .attr("y1", 0)
      .attr("y2", plotHeight);
    const dots = shown
      .map((s) => ({ s, v: valueAt(run, currentRow, s), t: run && currentRow >= 0 ? run.time[currentRow] : Number.NaN }))
      .filter((d) => Number.isFinite(d.v) && Number.isFinite(d.t));
    layers.hover
      .selectAll("circle")
      .data(dots)
      .join("circle")
      .attr("class", "hover-dot")
      .attr("r", 3.5)
      .attr("fill", (d) => d.s.color)
      .attr("cx", (d) => round1(this.x(d.t)))
      .attr("cy", (d) => round1(this.y[d.s.axis](d.v)));

    // The read-out box, only on the chart under the pointer: DOM nodes with text, never markup.
    if (this.pointerY === null) {
      readout.hidden = true;
      return;
    }
    const withPinned = pinnedRow >= 0;
    readout.classList.toggle("with-pinned", withPinned);
    const cells: { cls: string; text: string; color?: string }[] = [
      { cls: "time", text: `Day ${formatDays(rowTimeH / HOURS_PER_DAY, 2)} (${formatNumber(rowTimeH)} h)` },
    ];
    if (withPinned) {
      cells.push({ cls: "head", text: "" }, { cls: "head", text: "" }, { cls: "head", text: "current" }, { cls: "head", text: "pinned" }, { cls: "head", text: "" });
    }
    for (const s of shown) {
      cells.push({ cls: "swatch", text: "", color: s.color }, { cls: "label", text: s.label }, { cls: "value", text: formatNumber(valueAt(run, currentRow, s)) });
      if (withPinned) cells.push({ cls: "pinned-value", text: formatNumber(valueAt(pinned, pinnedRow, s)) });
      cells.push({ cls: "unit", text: s.unit });
    }
    select(readout)
      .selectAll<HTMLSpanElement, (typeof cells)[number]>("span")
      .data(cells)
      .join("span")
      .attr("class", (d) => d.cls)
      .style("background", (d) => d.color ?? null)
      .text((d) => d.text);
    readout.hidden = false;
    const boxWidth = readout.offsetWidth;
    const boxHeight = readout.offsetHeight;
    const anchor = this.margins.left + xPx;
    const roomRight = this.width - 4 - (anchor + 12);
    const roomLeft = anchor - 12 - 4;
    const leftPx =
      boxWidth <= roomRight || roomRight >= roomLeft ? Math.min(anchor + 12, this.width - 4 - boxWidth) : Math.max(4, anchor - 12 - boxWidth);
    const topPx = Math.max(4, Math.min(this.pointerY + 12, this.height - boxHeight - 4));
    readout.style.transform = `translate(${Math.round(leftPx)}px, ${Math.round(topPx)}px)`;
  }

  /** Width in px of `text` at the axis font. */
  private textWidth(text: string): number {
    if (!this.measureContext) {
      this.measureContext = document.createElement("canvas").getContext("2d");
    }
    const ctx = this.measureContext;
    if (!ctx) return text.length * FONT_PX * 0.6;
    if (!this.labelFont) this.labelFont = `${FONT_PX}px ${getComputedStyle(this).fontFamily || "sans-serif"}`;
    if (ctx.font !== this.labelFont) ctx.font = this.labelFont;
    return Math.ceil(ctx.measureText(text).width);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-chart": BtChart;
  }
  interface HTMLElementEventMap {
    "hover-time": CustomEvent<{ timeH: number | null }>;
  }
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

let indexBuffer = new Uint32Array(0);
/** Row indices from..to-1 as a view of a shared typed array (no allocation per frame). */
function rowIndices(from: number, to: number): Uint32Array {
  if (to > indexBuffer.length) {
    indexBuffer = new Uint32Array(Math.max(to, 2 * indexBuffer.length, 1024));
    for (let i = 0; i < indexBuffer.length; i++) indexBuffer[i] = i;
  }
  return indexBuffer.subarray(from, Math.max(from, to));
}

function extendExtent(extent: Domain | null, values: Float64Array, from: number, to: number): Domain | null {
  let lo = extent ? extent[0] : Infinity;
  let hi = extent ? extent[1] : -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : extent;
}

function union(a: Domain | null, b: Domain | null): Domain | null {
  if (!a) return b;
  if (!b) return a;
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

/** The axis domain holding `extent` and the previous domain, made nice; the previous one if it already holds it. */
function grownDomain(previous: Domain | null, extent: Domain | null, axis: AxisSpec): Domain {
  if (axis.domain) return [axis.domain[0], axis.domain[1]];
  if (!extent) return previous ?? [0, 1];
  let [lo, hi] = extent;
  if (axis.includeZero) {
    lo = Math.min(0, lo);
    hi = Math.max(0, hi);
  }
  // Room above the top value, so a line at its maximum (a pump at full rate) stays off the frame.
  hi += HEADROOM * (hi - lo);
  if (previous && lo >= previous[0] && hi <= previous[1]) return previous;
  if (previous) {
    lo = Math.min(lo, previous[0]);
    hi = Math.max(hi, previous[1]);
  }
  if (hi - lo <= 1e-9 * Math.max(1, Math.abs(hi))) {
    // A flat line: give it room around its value (a pH of exactly 7.0 before the loop acts).
    const pad = Math.abs(hi) * 0.05 || 1;
    if (!(axis.includeZero && lo === 0)) lo -= pad;
    hi += pad;
  }
  const nice = scaleLinear().domain([lo, hi]).nice(5).domain();
  return [nice[0], nice[1]];
}

/** Index of the row whose time is nearest `timeH` (times ascending, at least one row). */
function nearestRow(time: Float64Array, timeH: number): number {
  let lo = 0;
  let hi = time.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time[mid] < timeH) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(time[lo - 1] - timeH) <= Math.abs(time[lo] - timeH)) return lo - 1;
  return lo;
}

/** Days as a tick label: whole days plain, fractions with up to `digits` decimals. */
function formatDays(days: number, digits = 2): string {
  const rounded = Number(days.toFixed(digits));
  return String(rounded);
}

/** A value for the read-out: about three significant digits, no exponent for everyday sizes. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a >= 1000) return v.toFixed(0);
  if (a >= 0.001) return v.toPrecision(3);
  return v.toExponential(2);
}

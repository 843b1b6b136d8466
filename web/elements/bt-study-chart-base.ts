// The base of the study result views (<bt-study-sweep>, <bt-study-heatmap>,
// <bt-study-histogram>, <bt-study-bands>, <bt-study-tornado>): an SVG sized to the
// element, redrawn with d3 whenever `data` (or another property) changes, a note line
// under it, a hover read-out, and run marks that open their run on click or Enter.
// Styles are the charts' (bt-chart.ts); nothing sets a style attribute (CSP style-src
// 'self'): positions go through SVG attributes and the CSSOM.
import { LitElement, css, html, unsafeCSS, type PropertyValues } from "lit";
import { property } from "lit/decorators.js";
import { axisBottom, axisLeft } from "d3-axis";
import type { ScaleLinear, ScaleLogarithmic } from "d3-scale";
import { select, type Selection } from "d3-selection";
import { svgToPngBlob, svgToString } from "../model/chart-export";
import { outputInfo, parameterInfo, parameterPaths, studyModel, type StudyViewData, type ViewRun } from "../model/study-views";
import { formatNumber } from "./bt-chart";

export type G = Selection<SVGGElement, unknown, null, undefined>;
export type AxisScale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Marks get a tab stop (and a label) up to this many runs; past that the keyboard would wade through them. */
const MAX_FOCUSABLE_RUNS = 400;
export const TICK_SIZE = 5;
/** The palette of the views: the app's accent for values, grey for failed runs, red for specification limits. */
export const COLOURS = { value: "#0b6e99", band: "#0b6e99", failed: "#7d8a91", limit: "#b3261e", optimum: "#111111" };

/** One entry of a legend: its label and a function drawing its swatch (LEGEND_SWATCH_PX wide, centred on y = 0). */
export interface LegendItem {
  label: string;
  swatch: (g: G) => void;
}
export const LEGEND_SWATCH_PX = 16;
const LEGEND_GAP_PX = 14;

/** A number for labels: about three significant digits. */
export const fmt = formatNumber;

/** A parameter value: four significant digits, no trailing zeros (0.036, 0.03512, 28). */
export function fmtParameter(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : "–";
}

/** `value unit` for a parameter, or just the value for a dimensionless one. */
export function parameterWithUnit(value: number, unit: string): string {
  return unit ? `${fmtParameter(value)} ${unit}` : fmtParameter(value);
}

/** `value unit`, or just the value for a dimensionless one. */
export function withUnit(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return "–";
  return unit ? `${fmt(value)} ${unit}` : fmt(value);
}

/**
 * @fires study-open-run - CustomEvent<{ index: number }> when a run's mark is clicked (or
 *   focused and Enter or Space pressed). Bubbles and crosses shadow roots.
 */
export abstract class StudyChartBase extends LitElement {
  static styles = css`
    :host {
      display: block;
      position: relative;
      min-width: 0;
      font-family: var(--bt-font, system-ui, sans-serif);
      color: var(--bt-fg, #1d2428);
    }
    .frame {
      position: relative;
      height: var(--bt-study-chart-height, 320px);
    }
    svg {
      display: block;
      width: 100%;
      height: 100%;
      overflow: visible;
    }
    .title {
      font-size: 13px;
      font-weight: 600;
      fill: #1d2428;
    }
    .axis-title,
    .legend text,
    .label {
      font-size: 11px;
      fill: #3b464c;
    }
    .axis {
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
      shape-rendering: crispEdges;
    }
    .run {
      cursor: pointer;
    }
    .run:focus {
      outline: none;
    }
    .run:focus-visible,
    .run.hover {
      stroke: #111;
      stroke-width: 2;
    }
    .run.failed {
      stroke: ${unsafeCSS(COLOURS.failed)};
      stroke-width: 1.6;
      fill: none;
    }
    .run.failed:focus-visible,
    .run.failed.hover {
      stroke: #111;
    }
    .halo {
      paint-order: stroke;
      stroke: #fff;
      stroke-width: 3px;
      stroke-linejoin: round;
    }
    .note {
      margin: 2px 0 0;
      font-size: 12px;
      color: var(--bt-muted, #5d6b73);
      min-height: 1.3em;
    }
    .note strong {
      color: var(--bt-fg, #1d2428);
      font-weight: 600;
    }
    .readout {
      position: absolute;
      top: 0;
      left: 0;
      pointer-events: none;
      background: rgba(255, 255, 255, 0.96);
      border: 1px solid #c9d0d4;
      border-radius: 4px;
      box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12);
      padding: 4px 6px;
      font-size: 11px;
      line-height: 1.35;
      white-space: pre;
      font-variant-numeric: tabular-nums;
      z-index: 1;
    }
    .readout[hidden] {
      display: none;
    }
  `;

  /** The study to show; null: nothing yet. Set a new object to redraw (a running study: a new object per update). */
  @property({ attribute: false }) data: StudyViewData | null = null;
  /** The output shown (an output name of the study). */
  @property() output = "";

  protected svg: Selection<SVGSVGElement, unknown, null, undefined> | null = null;
  protected width = 0;
  protected height = 0;
  private readout: HTMLDivElement | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private frameId = 0;

  /** The note under the chart (counts, rules, sample sizes); plain text parts, strong where marked. */
  protected note: (string | { strong: string })[] = [];

  render() {
    return html`<div class="frame">
        <svg role="img" aria-label=${this.chartLabel()}></svg>
        <div class="readout" hidden></div>
      </div>
      <p class="note">${this.note.map((part) => (typeof part === "string" ? part : html`<strong>${part.strong}</strong>`))}</p>`;
  }

  /** What the chart shows, for assistive technology. */
  protected abstract chartLabel(): string;

  /** Draws everything into the (emptied) SVG at the current size and sets `note`. */
  protected abstract draw(svg: Selection<SVGSVGElement, unknown, null, undefined>): void;

  connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) {
      this.observe();
      this.scheduleRedraw();
    }
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    cancelAnimationFrame(this.frameId);
    this.frameId = 0;
  }

  protected firstUpdated(): void {
    this.svg = select(this.renderRoot.querySelector("svg") as SVGSVGElement);
    this.listenForMarks(this.svg.node()!);
    this.readout = this.renderRoot.querySelector(".readout") as HTMLDivElement;
    this.observe();
  }

  protected updated(changed: PropertyValues<this>): void {
    // Lit re-renders the note; a note change needs no redraw, anything else does.
    if ([...changed.keys()].some((k) => k !== "note")) this.scheduleRedraw();
  }

  private observe(): void {
    if (!this.resizeObserver) {
      this.resizeObserver = new ResizeObserver((entries) => {
        const box = entries[entries.length - 1]!.contentRect;
        if (box.width !== this.width || box.height !== this.height) {
          this.width = box.width;
          this.height = box.height;
          this.scheduleRedraw();
        }
      });
    }
    const frame = this.renderRoot.querySelector(".frame");
    if (frame) this.resizeObserver.observe(frame);
  }

  /**
   * Redraws at the next animation frame, once however many changes come before it: a
   * running study may send new data many times a second, and a redraw rebuilds the SVG.
   */
  private scheduleRedraw(): void {
    if (this.frameId !== 0) return;
    this.frameId = requestAnimationFrame(() => {
      this.frameId = 0;
      this.redraw();
    });
  }

  /** Draws at once (exports call it; changes of data or size schedule it). */
  redraw(): void {
    const svg = this.svg;
    if (!svg) return;
    if (this.width <= 0) {
      const box = (this.renderRoot.querySelector(".frame") as HTMLElement).getBoundingClientRect();
      this.width = box.width;
      this.height = box.height;
    }
    const startMs = performance.now();
    svg.selectAll("*").remove();
    this.hideReadout();
    const before = this.note.map((p) => (typeof p === "string" ? p : p.strong)).join("");
    if (this.data && this.width > 0 && this.height > 0) this.draw(svg);
    else this.note = [];
    // The Study view passes it on to its model, which spaces a running study's redraws by it.
    this.dispatchEvent(new CustomEvent("study-chart-drawn", { detail: { ms: performance.now() - startMs }, bubbles: true, composed: true }));
    const after = this.note.map((p) => (typeof p === "string" ? p : p.strong)).join("");
    if (after !== before) this.requestUpdate("note");
  }

  /** The chart as a standalone SVG document. */
  toSvgString(): string {
    this.redraw();
    const node = this.svg?.node();
    if (!node) throw new Error("study chart: not rendered yet");
    return svgToString(node, { title: this.chartLabel() });
  }

  toPngBlob(scale = 2): Promise<Blob> {
    return svgToPngBlob(this.toSvgString(), this.width, this.height, scale);
  }

  // ---- helpers for the views ----------------------------------------------------------

  protected get model() {
    return studyModel(this.data!);
  }

  protected outputInfo() {
    return outputInfo(this.data!.study, this.output, this.model);
  }

  protected parameterInfo(path: string) {
    return parameterInfo(path, this.model);
  }

  /** A title line at the top left. */
  protected drawTitle(svg: Selection<SVGSVGElement, unknown, null, undefined>, text: string): void {
    svg.append("text").attr("class", "title").attr("x", 8).attr("y", 15).text(text);
  }

  /**
   * A legend row of swatches and labels, laid out by the labels' measured widths, its
   * left end at x (align "left") or its right end at x (align "right").
   */
  protected drawLegend(svg: Selection<SVGSVGElement, unknown, null, undefined>, items: LegendItem[], x: number, y: number, align: "left" | "right"): void {
    const g = svg.append("g").attr("class", "legend");
    let at = 0;
    for (const item of items) {
      const slot = g.append("g").attr("transform", `translate(${at},0)`) as G;
      item.swatch(slot);
      const text = slot.append("text").attr("x", LEGEND_SWATCH_PX + 4).attr("dy", "0.35em").text(item.label);
      at += LEGEND_SWATCH_PX + 4 + text.node()!.getComputedTextLength() + LEGEND_GAP_PX;
    }
    const width = Math.max(0, at - LEGEND_GAP_PX);
    g.attr("transform", `translate(${Math.round(align === "right" ? x - width : x)},${y})`);
  }

  /** Bottom and left axes with titles and horizontal grid lines; returns the plot group (translated to the margins). */
  protected frameAxes(
    svg: Selection<SVGSVGElement, unknown, null, undefined>,
    m: Margins,
    x: AxisScale,
    y: AxisScale,
    xTitle: string,
    yTitle: string,
    options: { xTicks?: number; yTicks?: number; xFormat?: (v: number) => string } = {},
  ): G {
    const plotW = this.width - m.left - m.right;
    const plotH = this.height - m.top - m.bottom;
    const yTicks = options.yTicks ?? Math.max(2, Math.round(plotH / 40));
    const xTicks = options.xTicks ?? Math.max(2, Math.round(plotW / 90));
    const grid = svg.append("g").attr("class", "grid").attr("transform", `translate(${m.left},${m.top})`);
    grid
      .selectAll("line")
      .data((y as ScaleLinear<number, number>).ticks(yTicks))
      .join("line")
      .attr("x1", 0)
      .attr("x2", plotW)
      .attr("y1", (d) => Math.round(y(d)) + 0.5)
      .attr("y2", (d) => Math.round(y(d)) + 0.5);
    const xAxis = axisBottom(x as ScaleLinear<number, number>).ticks(xTicks).tickSize(TICK_SIZE);
    if (options.xFormat) xAxis.tickFormat((v) => options.xFormat!(Number(v)));
    svg.append("g").attr("class", "axis x-axis").attr("transform", `translate(${m.left},${m.top + plotH})`).call(xAxis);
    svg
      .append("g")
      .attr("class", "axis y-axis")
      .attr("transform", `translate(${m.left},${m.top})`)
      .call(axisLeft(y as ScaleLinear<number, number>).ticks(yTicks).tickSize(TICK_SIZE));
    svg
      .append("text")
      .attr("class", "axis-title x-title")
      .attr("text-anchor", "middle")
      .attr("x", m.left + plotW / 2)
      .attr("y", this.height - 6)
      .text(xTitle);
    svg
      .append("text")
      .attr("class", "axis-title y-title")
      .attr("text-anchor", "middle")
      .attr("transform", `translate(12,${m.top + plotH / 2}) rotate(-90)`)
      .text(yTitle);
    return svg.append("g").attr("class", "plot").attr("transform", `translate(${m.left},${m.top})`);
  }

  /** The read-out of a run: index, its parameters with units, the output's value (or why it failed). */
  protected runText(index: number, extra?: string): string {
    const data = this.data!;
    const run = data.runs[index];
    const lines = [`Run ${index}`];
    if (run) {
      for (const path of parameterPaths(data.study)) {
        const info = this.parameterInfo(path);
        if (run.parameters[path] !== undefined) lines.push(`${info.label}: ${parameterWithUnit(run.parameters[path]!, info.unit)}`);
      }
      if (run.seed !== undefined) lines.push(`seed: ${run.seed}`);
      lines.push(this.valueLine(run));
    }
    if (extra) lines.push(extra);
    return lines.join("\n");
  }

  private valueLine(run: ViewRun): string {
    const info = this.outputInfo();
    if (!run.ok) return `failed: ${run.reason}`;
    const v = run.outputs[this.output];
    return `${info.label}: ${v === null || v === undefined || !Number.isFinite(v) ? "no value" : withUnit(v, info.unit)}`;
  }

  /**
   * Makes the marks of `marks` runs: a click (or Enter/Space on a focused mark) fires
   * study-open-run with the run's index; hover and focus show `text` of the mark.
   */
  protected bindRuns<E extends SVGElement, D>(
    marks: Selection<E, D, SVGGElement, unknown>,
    indexOf: (d: D) => number | null,
    text: (d: D) => string,
  ): void {
    const focusable = marks.size() <= MAX_FOCUSABLE_RUNS;
    marks
      .classed("run", (d) => indexOf(d) !== null)
      .attr("data-index", (d) => indexOf(d))
      .attr("tabindex", (d) => (focusable && indexOf(d) !== null ? 0 : null))
      .attr("role", (d) => (indexOf(d) !== null ? "button" : null))
      .attr("aria-label", (d) => (focusable ? text(d).replace(/\n/g, "; ") : null));
    // One set of listeners on the SVG reads the mark's run (a study draws thousands of marks).
    marks.each((d, i, nodes) => this.markText.set(nodes[i] as Element, () => text(d)));
  }

  /** The read-out text of each mark drawn (marks are looked up from events on the SVG). */
  private markText = new WeakMap<Element, () => string>();

  /** The run mark an event happened on, if any. */
  private markOf(event: Event): Element | null {
    const target = event.target as Element | null;
    const mark = target?.closest?.("[data-index]") ?? null;
    return mark && this.markText.has(mark) ? mark : null;
  }

  /** Listens once on the SVG for clicks, keys and hovers on run marks. */
  private listenForMarks(svg: SVGSVGElement): void {
    const index = (mark: Element) => Number(mark.getAttribute("data-index"));
    svg.addEventListener("click", (event) => {
      const mark = this.markOf(event);
      if (mark) this.openRun(index(mark));
    });
    svg.addEventListener("keydown", (event) => {
      const mark = this.markOf(event);
      if (mark && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        this.openRun(index(mark));
      }
    });
    const enter = (event: Event) => {
      const mark = this.markOf(event);
      if (!mark) return;
      mark.classList.add("hover");
      this.showReadout(mark, this.markText.get(mark)!());
    };
    const leave = (event: Event) => {
      const mark = this.markOf(event);
      if (!mark) return;
      mark.classList.remove("hover");
      this.hideReadout();
    };
    svg.addEventListener("pointerover", enter);
    svg.addEventListener("focusin", enter);
    svg.addEventListener("pointerout", leave);
    svg.addEventListener("focusout", leave);
  }

  private openRun(index: number | null): void {
    if (index === null) return;
    this.dispatchEvent(new CustomEvent("study-open-run", { detail: { index }, bubbles: true, composed: true }));
  }

  /** Shows the read-out box beside a mark (text, never markup). */
  protected showReadout(target: Element, text: string): void {
    const readout = this.readout!;
    readout.textContent = text;
    readout.hidden = false;
    const frame = (this.renderRoot.querySelector(".frame") as HTMLElement).getBoundingClientRect();
    const box = target.getBoundingClientRect();
    const w = readout.offsetWidth;
    const h = readout.offsetHeight;
    let left = box.right - frame.left + 10;
    if (left + w > frame.width - 2) left = Math.max(2, box.left - frame.left - 10 - w);
    const top = Math.max(2, Math.min(box.top - frame.top - h / 2, frame.height - h - 2));
    readout.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }

  protected hideReadout(): void {
    if (this.readout) this.readout.hidden = true;
  }

  /** A small "×" mark path centred on 0,0 (failed runs). */
  protected static cross(size = 4): string {
    return `M${-size},${-size}L${size},${size}M${-size},${size}L${size},${-size}`;
  }
}

declare global {
  interface HTMLElementEventMap {
    "study-open-run": CustomEvent<{ index: number }>;
  }
}

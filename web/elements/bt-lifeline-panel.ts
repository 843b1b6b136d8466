// <bt-lifeline-panel>: the cell lifelines of a run (docs/model.md §12) at one histogram time,
// picked with a slider: six small d3 histograms (exposure to low DO, high glucose and high
// pCO2, specific productivity, growth rate, internal stress state) with mean ± sd, a table of
// what the agents see against the volume-weighted zone means, and the agents per zone.
// Downloads the histograms as CSV. Renders from properties; d3 draws the SVG in updated().
import { LitElement, css, html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { axisBottom, axisLeft } from "d3-axis";
import { scaleBand, scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import type { LifelinesResult } from "../../engine/lifelines";
import { binEdges, lifelineLabel, lifelinesCsv } from "../model/lifeline-data";
import { sharedStyles } from "./shared-styles";

/** The histogram times are in h; the slider and labels say days. The one place that converts. */
const HOURS_PER_DAY = 24;
// Histogram layout, in SVG user units (the SVG scales to its box).
const HIST_WIDTH = 300;
const HIST_HEIGHT = 160;
const HIST_MARGIN = { top: 8, right: 12, bottom: 34, left: 42 };
/** Gap between neighbouring bars. */
const BAR_GAP = 0.5;
// The agents-per-zone chart.
const ZONES_WIDTH = 300;
const ZONE_ROW_HEIGHT = 9;
const ZONES_MARGIN = { top: 8, right: 12, bottom: 34, left: 42 };
const PERCENT = 100;

/** What the panel shows of a run's lifelines at one time. */
interface Shown {
  index: number;
  timeH: number;
}

function formatDay(timeH: number): string {
  const day = timeH / HOURS_PER_DAY;
  return `day ${Number.isInteger(day) ? day : day.toFixed(2)}`;
}

function formatValue(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "–";
}

/**
 * Shows `lifelines` (engine/lifelines.ts). Fires nothing; the CSV download is the panel's own.
 */
@customElement("bt-lifeline-panel")
export class BtLifelinePanel extends LitElement {
  /** The run's lifelines; null: none (the panel says so). */
  @property({ attribute: false }) lifelines: LifelinesResult | null = null;
  /** Simulated duration of the run, h (the slider's scale says where the histogram times fall in it). */
  @property({ type: Number }) durationH = 0;
  /** Volume fraction of each zone, top first, to mark the agents each zone would hold by volume; null: not marked. */
  @property({ attribute: false }) zoneFractions: ArrayLike<number> | null = null;
  /** File name (without extension) of the CSV download. */
  @property() fileName = "lifelines";

  /** Index of the histogram time shown; -1: the last. */
  @state() private timeIndex = -1;

  static styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        font-size: 13px;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 16px;
        margin: 6px 0 4px;
      }
      .head label {
        display: flex;
        align-items: center;
        gap: 8px;
        flex: 1;
        min-width: 260px;
      }
      .head input[type="range"] {
        flex: 1;
        min-width: 120px;
      }
      .time {
        font-weight: 600;
        min-width: 110px;
      }
      .note {
        margin: 0 0 8px;
        font-size: 12px;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 260px), 1fr));
        gap: 10px 14px;
      }
      figure {
        margin: 0;
        min-width: 0;
      }
      figcaption {
        font-size: 12px;
        font-weight: 600;
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0 8px;
      }
      figcaption .stat {
        font-weight: 400;
        color: var(--bt-muted, #5d6b73);
      }
      svg {
        display: block;
        width: 100%;
        height: auto;
        font-family: var(--bt-font, system-ui, sans-serif);
      }
      .axis {
        font-size: 10px;
      }
      .axis text {
        fill: #4a555b;
      }
      .axis path.domain,
      .axis line {
        stroke: #9aa5ab;
      }
      .axis-title {
        font-size: 10px;
        fill: #3b464c;
      }
      .bar {
        fill: #4f8fb3;
      }
      .bar.last {
        fill: #7fb0cb;
      }
      .mean {
        stroke: #b2182b;
        stroke-width: 1.5;
      }
      .zone-bar {
        fill: #2f9e55;
      }
      .expected {
        stroke: #1d2428;
        stroke-width: 1.25;
      }
      .lower {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr));
        gap: 10px 20px;
        margin-top: 12px;
        align-items: start;
      }
      .occupancy {
        max-width: 340px;
      }
      table {
        border-collapse: collapse;
        font-size: 12px;
        width: 100%;
      }
      caption {
        text-align: left;
        font-weight: 600;
        padding-bottom: 4px;
      }
      th,
      td {
        padding: 3px 6px;
        border-bottom: 1px solid var(--bt-border, #d5dadd);
        text-align: right;
        white-space: nowrap;
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      thead th {
        font-weight: 600;
        color: var(--bt-muted, #5d6b73);
      }
    `,
  ];

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("lifelines")) this.timeIndex = -1;
  }

  private shown(): Shown | null {
    const l = this.lifelines;
    if (!l || l.times.length === 0) return null;
    const last = l.times.length - 1;
    const index = this.timeIndex < 0 || this.timeIndex > last ? last : this.timeIndex;
    return { index, timeH: l.times[index] };
  }

  render() {
    const l = this.lifelines;
    const shown = this.shown();
    if (!l || !shown) return html`<p class="muted">This run has no cell lifelines.</p>`;
    const t = shown.index;
    const intervalH = l.quantities[0]?.upper ?? 0;
    return html`
      <div class="head">
        <label
          >Histograms at
          <input
            type="range"
            data-testid="lifeline-time"
            min="0"
            max=${l.times.length - 1}
            step="1"
            .value=${String(t)}
            aria-valuetext=${`${formatDay(shown.timeH)} (${shown.timeH.toFixed(1)} h)`}
            @input=${this.onSlide}
          />
          <span class="time num" data-testid="lifeline-time-text">${formatDay(shown.timeH)} (${shown.timeH.toFixed(1)} h)</span>
        </label>
        <button type="button" data-action="lifelines-csv" @click=${this.downloadCsv} title="Every histogram at every time as CSV (one row per time and bin)">
          Download CSV
        </button>
      </div>
      <p class="note muted">
        ${l.count.toLocaleString("en")} agents, ${Number(l.stepS.toFixed(1))} s steps, histograms every ${Number(intervalH.toFixed(2))} h of
        ${Number((this.durationH || l.times[l.times.length - 1]).toFixed(1))} h. Exposures are the hours spent in the interval before the histogram's
        time; the last bin also holds every agent above it. Bars: share of agents; red line: mean.
      </p>
      <div class="grid">
        ${l.quantities.map((q) => {
          const { label, unit, digits } = lifelineLabel(q.name, q.unit);
          return html`<figure class="hist" data-quantity=${q.name}>
            <figcaption>
              <span>${label}</span>
              <span class="stat num" data-testid="lifeline-stat"
                >${formatValue(q.mean[t], digits)} ± ${formatValue(q.sd[t], digits)}${unit === "–" ? "" : ` ${unit}`}</span
              >
            </figcaption>
            <svg viewBox=${`0 0 ${HIST_WIDTH} ${HIST_HEIGHT}`} role="img" aria-label=${`Histogram of ${label} [${unit}] at ${formatDay(shown.timeH)}`}></svg>
          </figure>`;
        })}
      </div>
      <div class="lower">
        ${this.renderSeen(l, t)}
        <figure class="occupancy">
          <figcaption><span>Agents per zone</span><span class="stat">zone 0 at the top${this.zoneFractions ? "; ticks: by volume" : ""}</span></figcaption>
          <svg
            viewBox=${`0 0 ${ZONES_WIDTH} ${ZONES_MARGIN.top + ZONES_MARGIN.bottom + ZONE_ROW_HEIGHT * (l.occupancy[t]?.length ?? 0)}`}
            role="img"
            aria-label=${`Agents per zone at ${formatDay(shown.timeH)}`}
          ></svg>
        </figure>
      </div>
    `;
  }

  private renderSeen(l: LifelinesResult, t: number) {
    const rows = [
      ...l.seen.map((s) => {
        const { label, unit, digits } = lifelineLabel(s.name, s.unit);
        return { name: s.name, label, unit, digits, mean: s.mean[t], sd: s.sd[t], zones: s.zoneMean[t] };
      }),
    ];
    return html`<table data-testid="lifeline-seen">
      <caption>
        What the agents see vs the zones
      </caption>
      <thead>
        <tr>
          <th scope="col"></th>
          <th scope="col">agents (mean ± sd)</th>
          <th scope="col">zones (volume-weighted mean)</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) => html`<tr data-seen=${r.name}>
            <th scope="row">${r.label}</th>
            <td class="num">${formatValue(r.mean, r.digits)} ± ${formatValue(r.sd, r.digits)} ${r.unit}</td>
            <td class="num">${formatValue(r.zones, r.digits)} ${r.unit}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  protected updated(): void {
    const l = this.lifelines;
    const shown = this.shown();
    if (!l || !shown) return;
    const figures = this.renderRoot.querySelectorAll<HTMLElement>("figure.hist");
    figures.forEach((figure, i) => {
      const q = l.quantities[i];
      const svg = figure.querySelector("svg");
      if (q && svg) this.drawHistogram(svg, q.histograms[shown.index], q.upper, q.mean[shown.index], l.count, q.name, q.unit);
    });
    const occupancy = this.renderRoot.querySelector<SVGSVGElement>("figure.occupancy svg");
    if (occupancy) this.drawOccupancy(occupancy, l.occupancy[shown.index] ?? new Float64Array(0), l.count);
  }

  /** Bars of `counts` (agents per bin, 0 to `upper`) as % of `total` agents, axes with units, and the mean. */
  private drawHistogram(svgElement: SVGSVGElement, counts: Float64Array, upper: number, mean: number, total: number, name: string, unit: string): void {
    const m = HIST_MARGIN;
    const plotWidth = HIST_WIDTH - m.left - m.right;
    const plotHeight = HIST_HEIGHT - m.top - m.bottom;
    const bins = counts.length;
    const shares = Array.from(counts, (c) => (total > 0 ? (PERCENT * c) / total : 0));
    const x = scaleLinear().domain([0, upper]).range([0, plotWidth]);
    const y = scaleLinear()
      .domain([0, Math.max(1, ...shares)])
      .nice(4)
      .range([plotHeight, 0]);
    const svg = select(svgElement);
    const plot = svg
      .selectAll<SVGGElement, null>("g.plot")
      .data([null])
      .join("g")
      .attr("class", "plot")
      .attr("transform", `translate(${m.left},${m.top})`);
    plot
      .selectAll<SVGRectElement, number>("rect.bar")
      .data(shares)
      .join("rect")
      .attr("class", (_, b) => (b === bins - 1 ? "bar last" : "bar"))
      .attr("x", (_, b) => x(binEdges(upper, bins, b)[0]) + BAR_GAP / 2)
      .attr("width", () => Math.max(0.5, plotWidth / bins - BAR_GAP))
      .attr("y", (s) => y(s))
      .attr("height", (s) => Math.max(0, plotHeight - y(s)));
    const meanX = Number.isFinite(mean) ? x(Math.min(upper, Math.max(0, mean))) : Number.NaN;
    plot
      .selectAll<SVGLineElement, number>("line.mean")
      .data(Number.isFinite(meanX) ? [meanX] : [])
      .join("line")
      .attr("class", "mean")
      .attr("x1", (v) => v)
      .attr("x2", (v) => v)
      .attr("y1", 0)
      .attr("y2", plotHeight);
    plot
      .selectAll<SVGGElement, null>("g.x-axis")
      .data([null])
      .join("g")
      .attr("class", "axis x-axis")
      .attr("transform", `translate(0,${plotHeight})`)
      .call(axisBottom(x).ticks(5).tickSizeOuter(0));
    plot
      .selectAll<SVGGElement, null>("g.y-axis")
      .data([null])
      .join("g")
      .attr("class", "axis y-axis")
      .call(axisLeft(y).ticks(4).tickSizeOuter(0));
    const unitText = name.startsWith("exposure_") ? `h in the ${Number(upper.toFixed(2))} h interval` : unit === "–" ? "0 to 1" : unit;
    const { label } = lifelineLabel(name, unit);
    svg
      .selectAll<SVGTextElement, string>("text.x-title")
      .data([`${label.replace(/^Exposure to /, "exposure, ")} [${unitText}]`])
      .join("text")
      .attr("class", "axis-title x-title")
      .attr("x", m.left + plotWidth / 2)
      .attr("y", HIST_HEIGHT - 4)
      .attr("text-anchor", "middle")
      .text((d) => d);
    svg
      .selectAll<SVGTextElement, string>("text.y-title")
      .data(["% of agents"])
      .join("text")
      .attr("class", "axis-title y-title")
      .attr("transform", `translate(10,${m.top + plotHeight / 2}) rotate(-90)`)
      .attr("text-anchor", "middle")
      .text((d) => d);
  }

  /** Horizontal bars of the agents in each zone (zone 0 at the top), with the count by volume as a tick. */
  private drawOccupancy(svgElement: SVGSVGElement, occupancy: Float64Array, total: number): void {
    const m = ZONES_MARGIN;
    const zones = occupancy.length;
    const plotWidth = ZONES_WIDTH - m.left - m.right;
    const plotHeight = ZONE_ROW_HEIGHT * zones;
    const fractions = this.zoneFractions && this.zoneFractions.length === zones ? Array.from(this.zoneFractions) : null;
    const expected = fractions ? fractions.map((f) => f * total) : [];
    const x = scaleLinear()
      .domain([0, Math.max(1, ...occupancy, ...expected)])
      .nice(4)
      .range([0, plotWidth]);
    const y = scaleBand<number>()
      .domain(Array.from({ length: zones }, (_, z) => z))
      .range([0, plotHeight])
      .paddingInner(0.15);
    const svg = select(svgElement);
    const plot = svg
      .selectAll<SVGGElement, null>("g.plot")
      .data([null])
      .join("g")
      .attr("class", "plot")
      .attr("transform", `translate(${m.left},${m.top})`);
    plot
      .selectAll<SVGRectElement, number>("rect.zone-bar")
      .data(Array.from(occupancy))
      .join("rect")
      .attr("class", "zone-bar")
      .attr("x", 0)
      .attr("y", (_, z) => y(z) ?? 0)
      .attr("height", y.bandwidth())
      .attr("width", (n) => Math.max(0, x(n)));
    plot
      .selectAll<SVGLineElement, number>("line.expected")
      .data(expected)
      .join("line")
      .attr("class", "expected")
      .attr("x1", (n) => x(n))
      .attr("x2", (n) => x(n))
      .attr("y1", (_, z) => (y(z) ?? 0) - 1)
      .attr("y2", (_, z) => (y(z) ?? 0) + y.bandwidth() + 1);
    // At most about ten zone labels, the bottom zone always, none crowding it.
    const every = Math.max(1, Math.ceil(zones / 10));
    const labelled = (z: number) => z === zones - 1 || (z % every === 0 && zones - 1 - z >= every);
    plot
      .selectAll<SVGGElement, null>("g.y-axis")
      .data([null])
      .join("g")
      .attr("class", "axis y-axis")
      .call(
        axisLeft(y)
          .tickValues(y.domain().filter(labelled))
          .tickSizeOuter(0),
      );
    plot
      .selectAll<SVGGElement, null>("g.x-axis")
      .data([null])
      .join("g")
      .attr("class", "axis x-axis")
      .attr("transform", `translate(0,${plotHeight})`)
      .call(axisBottom(x).ticks(4).tickSizeOuter(0));
    svg
      .selectAll<SVGTextElement, string>("text.x-title")
      .data(["agents [cells]"])
      .join("text")
      .attr("class", "axis-title x-title")
      .attr("x", m.left + plotWidth / 2)
      .attr("y", m.top + plotHeight + m.bottom - 4)
      .attr("text-anchor", "middle")
      .text((d) => d);
    svg
      .selectAll<SVGTextElement, string>("text.y-title")
      .data(["zone"])
      .join("text")
      .attr("class", "axis-title y-title")
      .attr("transform", `translate(10,${m.top + plotHeight / 2}) rotate(-90)`)
      .attr("text-anchor", "middle")
      .text((d) => d);
  }

  private onSlide = (event: Event) => {
    this.timeIndex = Number((event.target as HTMLInputElement).value);
  };

  private downloadCsv = () => {
    const l = this.lifelines;
    if (!l) return;
    const url = URL.createObjectURL(new Blob([lifelinesCsv(l)], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${this.fileName}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-lifeline-panel": BtLifelinePanel;
  }
}

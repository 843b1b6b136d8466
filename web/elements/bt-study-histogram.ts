// <bt-study-histogram>: the distribution of an output over the runs (Monte Carlo, or
// any study): bars binned by Freedman–Diaconis (Sturges when the spread is nil), a dot
// strip of every run under them (click one to open it), the failed runs and runs without
// a value as crosses beside the strip, and the specification limits of the output with
// the share of runs in specification and its 95 % interval.
import { customElement } from "lit/decorators.js";
import { axisLeft } from "d3-axis";
import { scaleLinear } from "d3-scale";
import type { Selection } from "d3-selection";
import { axisLabel, histogram, outputInfo, runCounts, specification, specificationText, type HistogramBin } from "../model/study-views";
import { COLOURS, StudyChartBase, TICK_SIZE, fmt, withUnit } from "./bt-study-chart-base";

const MARGINS = { top: 50, right: 92, bottom: 42, left: 62 };
/** Height of the dot strip under the bars, and the gap above it, in px. */
const STRIP_PX = 34;
const STRIP_GAP_PX = 8;
const DOT_RADIUS = 2.4;
/** Width of the box of failed runs right of the plot, in px. */
const FAILED_BOX_PX = 60;
/** Spacing of the crosses there; past three rows they stack (the count is in the label). */
const FAILED_STEP_PX = 11;

const RULE_NAMES = { "freedman-diaconis": "Freedman–Diaconis", sturges: "Sturges" } as const;

/** A repeatable jitter in [0, 1) from a run index (the dot strip must not move between redraws). */
function jitter(index: number): number {
  const x = Math.sin(index * 12.9898 + 78.233) * 43758.5453;
  return x - Math.floor(x);
}

/** @fires study-open-run - see StudyChartBase. */
@customElement("bt-study-histogram")
export class BtStudyHistogram extends StudyChartBase {
  protected chartLabel(): string {
    return this.data && this.output ? `Distribution of ${this.outputInfo().label}` : "histogram";
  }

  protected draw(svg: Selection<SVGSVGElement, unknown, null, undefined>): void {
    const data = this.data!;
    if (!this.output) return;
    const h = histogram(data, this.output);
    const info = this.outputInfo();
    const plotW = Math.max(20, this.width - MARGINS.left - MARGINS.right);
    const plotH = Math.max(40, this.height - MARGINS.top - MARGINS.bottom);
    const barsH = plotH - STRIP_PX - STRIP_GAP_PX;
    const lims = [h.limits?.min, h.limits?.max].filter((v): v is number => v !== undefined);
    const xs = [...h.bins.flatMap((b) => [b.x0, b.x1]), ...lims];
    const lo = xs.length ? Math.min(...xs) : 0;
    const hi = xs.length ? Math.max(...xs) : 1;
    const span = hi > lo ? hi - lo : 1;
    const x = scaleLinear().domain([lo - 0.03 * span, hi + 0.03 * span]).range([0, plotW]).nice();
    const maxCount = Math.max(1, ...h.bins.map((b) => b.count));
    const y = scaleLinear().domain([0, maxCount]).range([barsH, 0]).nice();

    this.drawTitle(svg, this.chartLabel());
    const spec = specification(data);
    if (spec) {
      svg
        .append("text")
        .attr("class", "label spec-text")
        .attr("x", 8)
        .attr("y", 34)
        .attr("font-weight", 600)
        .text(`${specificationText(spec)}${spec.fromSummary ? "" : ` so far (${spec.runs} runs)`}`);
    }
    const plot = this.frameAxes(svg, MARGINS, x, scaleLinear().domain([0, 1]).range([plotH, plotH]), axisLabel(info), "Runs");
    // The y axis belongs to the bars only (the strip below has none).
    svg.selectAll(".y-axis, .grid").remove();
    svg.append("g").attr("class", "axis y-axis").attr("transform", `translate(${MARGINS.left},${MARGINS.top})`).call(axisLeft(y).ticks(Math.max(2, Math.round(barsH / 40))).tickSize(TICK_SIZE));
    svg.select(".y-title").attr("transform", `translate(12,${MARGINS.top + barsH / 2}) rotate(-90)`);

    // Out-of-specification regions and the limits.
    const limitG = plot.append("g").attr("class", "limits");
    if (h.limits?.min !== undefined) {
      limitG.append("rect").attr("x", 0).attr("width", Math.max(0, x(h.limits.min))).attr("y", 0).attr("height", plotH).attr("fill", COLOURS.limit).attr("fill-opacity", 0.06);
    }
    if (h.limits?.max !== undefined) {
      limitG.append("rect").attr("x", x(h.limits.max)).attr("width", Math.max(0, plotW - x(h.limits.max))).attr("y", 0).attr("height", plotH).attr("fill", COLOURS.limit).attr("fill-opacity", 0.06);
    }

    plot
      .append("g")
      .attr("class", "bars")
      .selectAll<SVGRectElement, HistogramBin>("rect")
      .data(h.bins)
      .join("rect")
      .attr("x", (b) => x(b.x0) + 0.5)
      .attr("width", (b) => Math.max(0.5, x(b.x1) - x(b.x0) - 1))
      .attr("y", (b) => y(b.count))
      .attr("height", (b) => barsH - y(b.count))
      .attr("fill", COLOURS.value)
      .attr("fill-opacity", 0.75)
      .append("title")
      .text((b) => `${fmt(b.x0)} to ${fmt(b.x1)} ${info.unit}: ${b.count} runs`);

    for (const [kind, value] of [["min", h.limits?.min], ["max", h.limits?.max]] as const) {
      if (value === undefined) continue;
      limitG.append("line").attr("class", `limit limit-${kind}`).attr("x1", x(value)).attr("x2", x(value)).attr("y1", -4).attr("y2", plotH).attr("stroke", COLOURS.limit).attr("stroke-width", 1.5).attr("stroke-dasharray", "5 3");
      limitG
        .append("text")
        .attr("class", "label halo")
        .attr("x", x(value) + (kind === "min" ? 4 : -4))
        .attr("y", 8)
        .attr("text-anchor", kind === "min" ? "start" : "end")
        .attr("fill", COLOURS.limit)
        .text(`${kind} ${withUnit(value, info.unit)}`);
    }
    limitG.raise();

    // The dot strip: every run with a value; crosses for the failed ones in a box to the right.
    const stripTop = barsH + STRIP_GAP_PX;
    plot.append("line").attr("x1", 0).attr("x2", plotW).attr("y1", stripTop - STRIP_GAP_PX / 2).attr("y2", stripTop - STRIP_GAP_PX / 2).attr("stroke", "#e6e9eb");
    const dots = plot
      .append("g")
      .attr("class", "strip")
      .selectAll<SVGCircleElement, { index: number; value: number }>("circle")
      .data(h.values)
      .join("circle")
      .attr("class", "dot")
      .attr("cx", (d) => x(d.value))
      .attr("cy", (d) => stripTop + DOT_RADIUS + jitter(d.index) * (STRIP_PX - 2 * DOT_RADIUS))
      .attr("r", DOT_RADIUS)
      .attr("fill", COLOURS.value)
      .attr("fill-opacity", 0.55);
    this.bindRuns(dots, (d) => d.index, (d) => this.runText(d.index));

    const boxLeft = plotW + 18;
    const failedG = plot.append("g").attr("class", "failed-box").attr("transform", `translate(${boxLeft},${stripTop})`);
    failedG.append("text").attr("class", "label").attr("x", 0).attr("y", -6).text(`no value: ${h.missing.length}`);
    const perRow = Math.max(1, Math.floor(FAILED_BOX_PX / FAILED_STEP_PX));
    const crosses = failedG
      .selectAll<SVGPathElement, number>("path")
      .data(h.missing)
      .join("path")
      .attr("transform", (_, k) => `translate(${4 + (k % perRow) * FAILED_STEP_PX},${4 + (Math.floor(k / perRow) % 3) * FAILED_STEP_PX})`)
      .attr("d", StudyChartBase.cross(3));
    this.bindRuns(crosses, (k) => k, (k) => this.runText(k));
    crosses.classed("failed", true);

    const counts = runCounts(data, this.output);
    this.note = [
      `${counts.done} of ${counts.total} runs · `,
      { strong: `${counts.failed} failed` },
      `, ${counts.noValue} without a value (× right of the strip${spec ? "; out of specification" : ""})`,
      ` · ${h.bins.length} bins by the ${RULE_NAMES[h.rule]} rule`,
      ...(h.bins.length ? [` (width ${withUnit(h.bins[0]!.x1 - h.bins[0]!.x0, info.unit)})`] : []),
      ...(spec
        ? spec.criteria.map((c) => {
            const cInfo = outputInfo(data.study, c.output, this.model);
            const bounds = [c.min !== undefined ? `≥ ${withUnit(c.min, cInfo.unit)}` : "", c.max !== undefined ? `≤ ${withUnit(c.max, cInfo.unit)}` : ""].filter(Boolean).join(" and ");
            return ` · ${c.output} ${bounds}: ${(100 * c.fraction).toFixed(1)} %`;
          })
        : []),
    ];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-study-histogram": BtStudyHistogram;
  }
}

// <bt-study-sweep>: an output against one swept parameter. Every run is a dot (a cross
// at the foot of the plot when it failed or gave no value); the line joins the values
// per grid value, and with replicates (or other swept parameters) it is the median with
// the 5–95 % band of the runs there.
import { customElement, property } from "lit/decorators.js";
import { scaleLinear, scaleLog } from "d3-scale";
import type { Selection } from "d3-selection";
import { area, line } from "d3-shape";
import { axisLabel, runCounts, sweepSeries, type GridStat, type RunPoint } from "../model/study-views";
import { COLOURS, StudyChartBase, type G } from "./bt-study-chart-base";

const MARGINS = { top: 34, right: 16, bottom: 42, left: 62 };
const DOT_RADIUS = 3.2;
/** Failed runs sit this far above the x axis, in px. */
const FAILED_ROW_PX = 7;

/** @fires study-open-run - see StudyChartBase. */
@customElement("bt-study-sweep")
export class BtStudySweep extends StudyChartBase {
  /** Index of the swept parameter on the x axis (into study.parameters). */
  @property({ type: Number }) parameter = 0;

  protected chartLabel(): string {
    if (!this.data || !this.output) return "sweep";
    const path = this.data.study.parameters[this.parameter]?.path ?? "";
    return `${this.outputInfo().label} against ${this.parameterInfo(path).label}`;
  }

  protected draw(svg: Selection<SVGSVGElement, unknown, null, undefined>): void {
    const data = this.data!;
    const spec = data.study.parameters[this.parameter];
    if (!spec || !this.output) return;
    const series = sweepSeries(data, this.output, this.parameter);
    const xInfo = this.parameterInfo(spec.path);
    const yInfo = this.outputInfo();
    const plotW = Math.max(20, this.width - MARGINS.left - MARGINS.right);
    const plotH = Math.max(20, this.height - MARGINS.top - MARGINS.bottom);
    const log = "grid" in spec && spec.grid === "log";
    const [from, to] = "from" in spec ? [Math.min(spec.from, spec.to), Math.max(spec.from, spec.to)] : [0, 1];
    const x = (log ? scaleLog() : scaleLinear()).domain(from === to ? [from * 0.9 || -1, to * 1.1 || 1] : [from, to]).range([0, plotW]);
    if (!log) x.nice();
    const ys = [
      ...series.points.flatMap((p) => (p.y === null ? [] : [p.y])),
      ...series.grid.flatMap((g) => [g.p5, g.p95].filter((v): v is number => v !== null)),
    ];
    const lo = ys.length ? Math.min(...ys) : 0;
    const hi = ys.length ? Math.max(...ys) : 1;
    const pad = hi > lo ? 0.04 * (hi - lo) : Math.abs(hi) * 0.05 || 1;
    const y = scaleLinear().domain([lo - pad, hi + pad]).range([plotH, 0]).nice();

    this.drawTitle(svg, this.chartLabel());
    const plot = this.frameAxes(svg, MARGINS, x, y, axisLabel(xInfo), axisLabel(yInfo));
    const defined = (g: GridStat) => g.p50 !== null;
    if (series.banded) {
      plot
        .append("path")
        .attr("class", "band")
        .attr("fill", COLOURS.band)
        .attr("fill-opacity", 0.16)
        .attr("d", area<GridStat>().defined((g) => g.p5 !== null && g.p95 !== null).x((g) => x(g.x)).y0((g) => y(g.p5!)).y1((g) => y(g.p95!))(series.grid));
    }
    plot
      .append("path")
      .attr("class", "median")
      .attr("fill", "none")
      .attr("stroke", COLOURS.value)
      .attr("stroke-width", 2)
      .attr("d", line<GridStat>().defined(defined).x((g) => x(g.x)).y((g) => y(g.p50!))(series.grid));

    const ok = series.points.filter((p) => p.y !== null);
    const failed = series.points.filter((p) => p.y === null);
    const dots = plot
      .append("g")
      .attr("class", "runs")
      .selectAll<SVGCircleElement, RunPoint>("circle")
      .data(ok)
      .join("circle")
      .attr("class", "dot")
      .attr("cx", (p) => x(p.x))
      .attr("cy", (p) => y(p.y!))
      .attr("r", series.banded ? DOT_RADIUS - 0.8 : DOT_RADIUS)
      .attr("fill", COLOURS.value)
      .attr("fill-opacity", series.banded ? 0.45 : 1)
      .attr("stroke", "#fff")
      .attr("stroke-width", series.banded ? 0 : 1);
    this.bindRuns(dots, (p) => p.index, (p) => this.runText(p.index));
    const crosses = plot
      .append("g")
      .attr("class", "failed-runs")
      .selectAll<SVGPathElement, RunPoint>("path")
      .data(failed)
      .join("path")
      .attr("transform", (p) => `translate(${x(p.x)},${plotH - FAILED_ROW_PX})`)
      .attr("d", StudyChartBase.cross(3.5));
    this.bindRuns(crosses, (p) => p.index, (p) => this.runText(p.index));
    crosses.classed("failed", true);

    this.drawLegend(
      svg,
      [
        ...(series.banded ? [{ label: "5–95 % of runs", swatch: (g: G) => void g.append("rect").attr("y", -5).attr("width", 16).attr("height", 10).attr("fill", COLOURS.band).attr("fill-opacity", 0.16) }] : []),
        { label: series.banded ? "median" : "value", swatch: (g: G) => void g.append("line").attr("x2", 16).attr("stroke", COLOURS.value).attr("stroke-width", 2) },
        { label: "run", swatch: (g: G) => void g.append("circle").attr("cx", 8).attr("r", DOT_RADIUS).attr("fill", COLOURS.value) },
        { label: "failed", swatch: (g: G) => void g.append("path").attr("transform", "translate(8,0)").attr("d", StudyChartBase.cross(3.5)).attr("stroke", COLOURS.failed).attr("stroke-width", 1.6) },
      ],
      MARGINS.left + plotW,
      24,
      "right",
    );
    const counts = runCounts(data, this.output);
    const missing = counts.failed + counts.noValue;
    this.note = [
      `${counts.done} of ${counts.total} runs`,
      ...(series.banded ? [" · line: median, band: 5–95 % of the runs at each value"] : []),
      " · ",
      { strong: `${counts.failed} failed` },
      ...(counts.noValue ? [`, ${counts.noValue} without a value`] : []),
      ...(missing ? [" (× at the foot of the plot)"] : []),
    ];
    if (series.grid.length === 0) this.note.push(" · no values yet");
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-study-sweep": BtStudySweep;
  }
}

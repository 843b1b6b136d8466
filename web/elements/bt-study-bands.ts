// <bt-study-bands>: one trajectory column over time across the runs of a study: the
// 5–95 % and 25–75 % bands and the median, from the summary when the study is complete,
// else from the runs done so far. Runs that end early leave the later percentiles to
// the runs that go on; the note says how many runs each time holds.
import { customElement, property } from "lit/decorators.js";
import { scaleLinear } from "d3-scale";
import type { Selection } from "d3-selection";
import { area, line } from "d3-shape";
import { axisLabel, columnInfo, percentileBands } from "../model/study-views";
import { COLOURS, StudyChartBase, type G } from "./bt-study-chart-base";

const MARGINS = { top: 34, right: 16, bottom: 42, left: 62 };
/** Trajectories are in h; the axis is in days. The one place this view converts. */
const HOURS_PER_DAY = 24;

/** @fires study-open-run - never: the bands are not single runs. */
@customElement("bt-study-bands")
export class BtStudyBands extends StudyChartBase {
  /** The trajectory column shown (as in study.trajectories.columns). */
  @property() column = "";

  private info() {
    const c = columnInfo(this.column, this.model);
    return { label: c ? c.description.charAt(0).toUpperCase() + c.description.slice(1) : this.column, unit: c?.unit ?? "" };
  }

  protected chartLabel(): string {
    return this.data && this.column ? `${this.info().label} over time, percentiles of the runs` : "percentile bands";
  }

  protected draw(svg: Selection<SVGSVGElement, unknown, null, undefined>): void {
    const data = this.data!;
    if (!this.column) return;
    const b = percentileBands(data, this.column);
    const info = this.info();
    const plotW = Math.max(20, this.width - MARGINS.left - MARGINS.right);
    const plotH = Math.max(20, this.height - MARGINS.top - MARGINS.bottom);
    const days = b.tH.map((t) => t / HOURS_PER_DAY);
    const values = [...b.p5, ...b.p95].filter((v): v is number => v !== null);
    const lo = values.length ? Math.min(0, ...values) : 0;
    const hi = values.length ? Math.max(...values) : 1;
    const x = scaleLinear().domain([0, Math.max(1, days[days.length - 1] ?? 1)]).range([0, plotW]);
    const y = scaleLinear().domain([lo, hi > lo ? hi * 1.03 : lo + 1]).range([plotH, 0]).nice();

    this.drawTitle(svg, this.chartLabel());
    const plot = this.frameAxes(svg, MARGINS, x, y, "Time [d]", axisLabel(info));
    const k = b.tH.map((_, i) => i);
    const band = (lower: (number | null)[], upper: (number | null)[], opacity: number, cls: string) =>
      plot
        .append("path")
        .attr("class", cls)
        .attr("fill", COLOURS.band)
        .attr("fill-opacity", opacity)
        .attr("d", area<number>().defined((i) => lower[i] !== null && upper[i] !== null).x((i) => x(days[i]!)).y0((i) => y(lower[i]!)).y1((i) => y(upper[i]!))(k));
    band(b.p5, b.p95, 0.14, "band band-5-95");
    band(b.p25, b.p75, 0.28, "band band-25-75");
    plot
      .append("path")
      .attr("class", "median")
      .attr("fill", "none")
      .attr("stroke", COLOURS.value)
      .attr("stroke-width", 2)
      .attr("d", line<number>().defined((i) => b.p50[i] !== null).x((i) => x(days[i]!)).y((i) => y(b.p50[i]!))(k));

    const swatch = (opacity: number) => (g: G) => void g.append("rect").attr("y", -5).attr("width", 16).attr("height", 10).attr("fill", COLOURS.band).attr("fill-opacity", opacity);
    this.drawLegend(
      svg,
      [
        { label: "5–95 %", swatch: swatch(0.14) },
        { label: "25–75 %", swatch: swatch(0.42) },
        { label: "median", swatch: (g) => void g.append("line").attr("x2", 16).attr("stroke", COLOURS.value).attr("stroke-width", 2) },
      ],
      MARGINS.left + plotW,
      24,
      "right",
    );

    const first = b.n[0] ?? 0;
    const last = b.n[b.n.length - 1] ?? 0;
    this.note = [
      b.fromSummary ? "percentiles of the complete study" : "percentiles of the runs done so far",
      ` · runs at day 0: ${first}`,
      ...(last !== first ? [`, at day ${days[days.length - 1]}: ${last} (the others had ended)`] : []),
    ];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-study-bands": BtStudyBands;
  }
}

// <bt-study-tornado>: the parameters of a sensitivity analysis ranked by importance for
// one output. Morris: μ* (mean absolute elementary effect) with σ beside it, both times
// the parameter's range so they are in the output's unit and compare across parameters.
// Sobol: total and first-order indices with their 95 % bootstrap intervals as whiskers.
// The sample size is stated: r trajectories, or N base samples × (d + 2) runs.
import { customElement } from "lit/decorators.js";
import { axisLeft } from "d3-axis";
import { scaleBand, scaleLinear } from "d3-scale";
import type { Selection } from "d3-selection";
import { runCounts, tornadoRows, type TornadoRow } from "../model/study-views";
import { COLOURS, StudyChartBase, fmt, withUnit, type G } from "./bt-study-chart-base";

const MARGINS = { top: 56, right: 24, bottom: 42 };
const LABEL_PX_PER_CHAR = 6.4;
const SECOND_COLOUR = "#8cc4dd";

/** @fires study-open-run - never: bars are parameters, not runs. */
@customElement("bt-study-tornado")
export class BtStudyTornado extends StudyChartBase {
  protected chartLabel(): string {
    if (!this.data || !this.output) return "sensitivity";
    return `Sensitivity of ${this.outputInfo().label} (${this.data.study.kind === "morris" ? "Morris elementary effects" : "Sobol indices"})`;
  }

  protected draw(svg: Selection<SVGSVGElement, unknown, null, undefined>): void {
    const data = this.data!;
    const t = this.output ? tornadoRows(data, this.output) : null;
    if (!t) return;
    const out = this.outputInfo();
    const label = (r: TornadoRow) => {
      const p = this.parameterInfo(r.path);
      return p.unit ? `${p.label} [${p.unit}]` : p.label;
    };
    const left = Math.min(240, Math.max(90, 14 + LABEL_PX_PER_CHAR * Math.max(...t.rows.map((r) => label(r).length))));
    const m = { ...MARGINS, left };
    const plotW = Math.max(20, this.width - m.left - m.right);
    const plotH = Math.max(20, this.height - m.top - m.bottom);
    const morris = t.method === "morris";
    const ends = t.rows.flatMap((r) => [r.value, r.second ?? 0, ...(r.valueCi ?? []), ...(r.secondCi ?? [])]).filter(Number.isFinite);
    const lo = Math.min(0, ...ends);
    const hi = Math.max(morris ? 0 : 1, ...ends);
    // Room right of the longest bar for its value label.
    const x = scaleLinear().domain([lo, hi > lo ? hi * 1.08 : 1]).range([0, plotW]).nice();
    const band = scaleBand<string>().domain(t.rows.map((r) => r.path)).range([0, plotH]).paddingInner(0.3).paddingOuter(0.15);
    const y = scaleLinear().domain([0, 1]).range([plotH, plotH]);

    this.drawTitle(svg, this.chartLabel());
    const used = morris
      ? `r = ${t.used} of ${t.planned} trajectories used · ${t.planned} × (d + 1 = ${t.runsPerSample}) = ${t.planned * t.runsPerSample} runs`
      : `N = ${t.used} of ${t.planned} base samples used · ${t.planned} × (d + 2 = ${t.runsPerSample}) = ${t.planned * t.runsPerSample} runs`;
    svg.append("text").attr("class", "label sample-size").attr("x", 8).attr("y", 32).text(`${used}${morris ? "" : " · whiskers: 95 % bootstrap intervals"}`);
    const xTitle = morris ? `μ* and σ × (max − min)${out.unit ? ` [${out.unit}]` : ""}` : "Sobol index (share of the output's variance)";
    const plot = this.frameAxes(svg, m, x, y, xTitle, "", {});
    svg.selectAll(".y-axis, .y-title").remove();
    svg.select(".grid").remove();
    // Vertical grid lines and the parameter names.
    plot
      .insert("g", ":first-child")
      .attr("class", "grid")
      .selectAll("line")
      .data(x.ticks(Math.max(2, Math.round(plotW / 90))))
      .join("line")
      .attr("x1", (v) => Math.round(x(v)) + 0.5)
      .attr("x2", (v) => Math.round(x(v)) + 0.5)
      .attr("y1", 0)
      .attr("y2", plotH);
    svg
      .append("g")
      .attr("class", "axis y-axis")
      .attr("transform", `translate(${m.left},${m.top})`)
      .call(axisLeft(band).tickSize(0).tickPadding(8).tickFormat((path) => label(t.rows.find((r) => r.path === path)!)));

    const bh = band.bandwidth();
    const rows = plot
      .append("g")
      .attr("class", "rows")
      .selectAll<SVGGElement, TornadoRow>("g")
      .data(t.rows)
      .join("g")
      .attr("class", "row")
      .attr("data-path", (r) => r.path)
      .attr("transform", (r) => `translate(0,${band(r.path)})`);
    const bar = (value: (r: TornadoRow) => number | null, top: number, height: number, fill: string, cls: string) =>
      rows
        .filter((r) => value(r) !== null && Number.isFinite(value(r)!))
        .append("rect")
        .attr("class", cls)
        .attr("x", (r) => Math.min(x(0), x(value(r)!)))
        .attr("width", (r) => Math.abs(x(value(r)!) - x(0)))
        .attr("y", top)
        .attr("height", height)
        .attr("fill", fill);
    bar((r) => r.value, 0, bh * 0.55, COLOURS.value, "bar primary");
    bar((r) => r.second, bh * 0.6, bh * 0.4, SECOND_COLOUR, "bar secondary");
    const whisker = (ci: (r: TornadoRow) => [number, number] | null, mid: number, cls: string) => {
      const g = rows.filter((r) => ci(r) !== null).append("g").attr("class", `whisker ${cls}`).attr("stroke", "#1d2428").attr("stroke-width", 1.2);
      g.append("line").attr("x1", (r) => x(ci(r)![0])).attr("x2", (r) => x(ci(r)![1])).attr("y1", mid).attr("y2", mid);
      for (const end of [0, 1]) g.append("line").attr("x1", (r) => x(ci(r)![end]!)).attr("x2", (r) => x(ci(r)![end]!)).attr("y1", mid - 4).attr("y2", mid + 4);
    };
    whisker((r) => r.valueCi, bh * 0.275, "total-ci");
    whisker((r) => r.secondCi, bh * 0.8, "first-ci");
    rows
      .append("title")
      .text((r) =>
        morris
          ? `μ* = ${fmt(r.muStar ?? NaN)}, σ = ${fmt(r.sigma ?? NaN)} ${out.unit} per unit of the parameter`
          : `total ${fmt(r.value)} (${r.valueCi ? `${fmt(r.valueCi[0])}–${fmt(r.valueCi[1])}` : "no interval"}), first order ${fmt(r.second ?? NaN)} (${r.secondCi ? `${fmt(r.secondCi[0])}–${fmt(r.secondCi[1])}` : "no interval"})`,
      );
    rows
      .append("text")
      .attr("class", "label value-label halo")
      .attr("x", (r) => (Number.isFinite(r.value) ? x(Math.max(r.value, r.valueCi?.[1] ?? r.value)) + 6 : 4))
      .attr("y", bh * 0.275)
      .attr("dy", "0.35em")
      .text((r) => (Number.isFinite(r.value) ? (morris ? withUnit(r.value, out.unit) : fmt(r.value)) : "not yet"));

    const swatch = (fill: string) => (g: G) => void g.append("rect").attr("y", -5).attr("width", 14).attr("height", 10).attr("fill", fill);
    this.drawLegend(
      svg,
      [
        { label: morris ? "μ* × range" : "total index", swatch: swatch(COLOURS.value) },
        { label: morris ? "σ × range" : "first order", swatch: swatch(SECOND_COLOUR) },
      ],
      8,
      46,
      "left",
    );

    const counts = runCounts(data, this.output);
    this.note = [
      `${counts.done} of ${counts.total} runs · `,
      { strong: `${counts.failed} failed` },
      ...(counts.noValue ? [`, ${counts.noValue} without a value`] : []),
      morris ? " (a trajectory with one is left out)" : " (a base sample with one is left out)",
      " · most important first",
    ];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-study-tornado": BtStudyTornado;
  }
}

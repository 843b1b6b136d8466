// <bt-study-heatmap>: an output over two swept parameters, one cell a grid point
// (the median of its replicates), with contour lines (d3-contour, marching squares
// over the cell centres) and the optimum — the largest or smallest value, as chosen —
// ringed and labelled with its value. Failed cells are grey with a cross, cells not
// run yet are blank; both are counted in the note.
import { customElement, property } from "lit/decorators.js";
import { axisRight } from "d3-axis";
import { contours, type ContourMultiPolygon } from "d3-contour";
import { scaleLinear, scaleLog } from "d3-scale";
import type { Selection } from "d3-selection";
import { axisLabel, runCounts, sweepGrid, type GridCell } from "../model/study-views";
import { COLOURS, StudyChartBase, TICK_SIZE, fmtParameter, parameterWithUnit, withUnit } from "./bt-study-chart-base";

const MARGINS = { top: 34, right: 96, bottom: 42, left: 62 };
/** Viridis (van der Walt & Smith, matplotlib), 9 stops from low to high: perceptually even, readable in grey. */
const VIRIDIS = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"];
const FAILED_FILL = "#c9d0d4";
const PENDING_FILL = "#f1f3f4";
const LEGEND_WIDTH = 12;
/** About this many contour levels. */
const CONTOUR_LEVELS = 8;

/** @fires study-open-run - see StudyChartBase. */
@customElement("bt-study-heatmap")
export class BtStudyHeatmap extends StudyChartBase {
  /** Which cell is the optimum: the largest value ("max") or the smallest ("min"). */
  @property() optimise: "max" | "min" = "max";
  /** Indices (into study.parameters) of the x and y parameters. */
  @property({ type: Number }) xParameter = 0;
  @property({ type: Number }) yParameter = 1;

  protected chartLabel(): string {
    if (!this.data || !this.output) return "heatmap";
    const p = this.data.study.parameters;
    return `${this.outputInfo().label} over ${this.parameterInfo(p[this.xParameter]!.path).label} and ${this.parameterInfo(p[this.yParameter]!.path).label}`;
  }

  protected draw(svg: Selection<SVGSVGElement, unknown, null, undefined>): void {
    const data = this.data!;
    if (!this.output || data.study.kind !== "sweep" || data.study.parameters.length < 2) return;
    const grid = sweepGrid(data, this.output, this.optimise, this.xParameter, this.yParameter);
    const [px, py] = [data.study.parameters[this.xParameter]!, data.study.parameters[this.yParameter]!];
    const xInfo = this.parameterInfo(px.path);
    const yInfo = this.parameterInfo(py.path);
    const vInfo = this.outputInfo();
    const nx = grid.xValues.length;
    const ny = grid.yValues.length;
    const plotW = Math.max(20, this.width - MARGINS.left - MARGINS.right);
    const plotH = Math.max(20, this.height - MARGINS.top - MARGINS.bottom);
    const cw = plotW / nx;
    const ch = plotH / ny;
    // Axes through the cell centres: the grid is even in the value (linear) or its log.
    const axisScale = (values: number[], log: boolean, range: [number, number]) => {
      const s = log ? scaleLog() : scaleLinear();
      return s.domain(values.length > 1 ? [values[0]!, values[values.length - 1]!] : [values[0]! - 1, values[0]! + 1]).range(range);
    };
    const x = axisScale(grid.xValues, px.grid === "log", [cw / 2, plotW - cw / 2]);
    const y = axisScale(grid.yValues, py.grid === "log", [plotH - ch / 2, ch / 2]);

    const finiteValues = grid.cells.flatMap((c) => (c.value === null ? [] : [c.value]));
    const lo = finiteValues.length ? Math.min(...finiteValues) : 0;
    const hi = finiteValues.length ? Math.max(...finiteValues) : 1;
    const domain = hi > lo ? [lo, hi] : [lo - 1, hi + 1];
    const colour = scaleLinear<string>()
      .domain(VIRIDIS.map((_, k) => domain[0]! + (k / (VIRIDIS.length - 1)) * (domain[1]! - domain[0]!)))
      .range(VIRIDIS)
      .clamp(true);

    this.drawTitle(svg, this.chartLabel());
    const plot = this.frameAxes(svg, MARGINS, x, y, axisLabel(xInfo), axisLabel(yInfo), {
      xTicks: Math.min(nx, Math.max(2, Math.round(plotW / 90))),
      yTicks: Math.min(ny, Math.max(2, Math.round(plotH / 40))),
    });
    svg.select(".grid").remove();

    const cells = plot
      .append("g")
      .attr("class", "cells")
      .selectAll<SVGRectElement, GridCell>("rect")
      .data(grid.cells)
      .join("rect")
      .attr("class", (c) => (c.value === null ? (c.done > 0 ? "cell failed-cell" : "cell pending") : "cell"))
      .attr("x", (c) => c.i * cw)
      .attr("y", (c) => plotH - (c.j + 1) * ch)
      .attr("width", cw + 0.5)
      .attr("height", ch + 0.5)
      .attr("fill", (c) => (c.value !== null ? colour(c.value) : c.done > 0 ? FAILED_FILL : PENDING_FILL));
    const replicates = data.study.replicates?.samples ?? 1;
    this.bindRuns(
      cells,
      (c) => c.index,
      (c) => {
        const extra = replicates > 1 ? `cell: median ${withUnit(c.value, vInfo.unit)} of ${c.done - c.failed} of ${replicates} replicates (the run nearest it)` : undefined;
        return this.runText(c.index!, extra);
      },
    );
    cells.filter((c) => c.index === null).attr("tabindex", null).attr("role", null);
    plot
      .append("g")
      .attr("class", "failed-marks")
      .selectAll("path")
      .data(grid.cells.filter((c) => c.value === null && c.done > 0))
      .join("path")
      .attr("transform", (c) => `translate(${(c.i + 0.5) * cw},${plotH - (c.j + 0.5) * ch})`)
      .attr("d", StudyChartBase.cross(Math.max(2, Math.min(cw, ch) / 3)))
      .attr("stroke", COLOURS.failed)
      .attr("stroke-width", 1.5)
      .attr("pointer-events", "none");

    // Contours only over a complete grid: filling cells not run yet would draw levels nobody computed.
    if (pendingCells(grid.cells) === 0) this.drawContours(plot, grid.values, colour.domain(), plotW, plotH, nx, ny);
    this.drawOptimum(plot, grid.optimum, cw, ch, plotW, plotH, vInfo.unit, [xInfo, yInfo]);
    this.drawColourLegend(svg, colour, domain as [number, number], plotH, axisLabel(vInfo));

    const counts = runCounts(data, this.output);
    const pending = pendingCells(grid.cells);
    const opt = grid.optimum;
    this.note = [
      `${counts.done} of ${counts.total} runs · `,
      { strong: `${counts.failed} failed` },
      ...(counts.noValue ? [`, ${counts.noValue} without a value`] : []),
      ` (grey cells with ×)`,
      ...(pending ? [` · ${pending} cells not run yet (contours when all are)`] : []),
      ...(opt
        ? [
            ` · ${this.optimise === "max" ? "largest" : "smallest"}: `,
            { strong: withUnit(opt.value, vInfo.unit) },
            ` at ${xInfo.label} ${parameterWithUnit(opt.x, xInfo.unit)}, ${yInfo.label} ${parameterWithUnit(opt.y, yInfo.unit)} (run ${opt.index})`,
          ]
        : []),
    ];
  }

  /** Contour lines of the matrix; failed cells are filled from their neighbours first so they do not draw rings. */
  private drawContours(
    plot: Selection<SVGGElement, unknown, null, undefined>,
    values: (number | null)[][],
    stops: number[],
    plotW: number,
    plotH: number,
    nx: number,
    ny: number,
  ): void {
    if (nx < 2 || ny < 2) return;
    const filled = fillGaps(values);
    if (!filled) return;
    const [lo, hi] = [stops[0]!, stops[stops.length - 1]!];
    if (!(hi > lo)) return;
    const thresholds = scaleLinear().domain([lo, hi]).ticks(CONTOUR_LEVELS).filter((t) => t > lo && t < hi);
    // Row 0 of the matrix is the lowest y value: flip so contour y grows downwards as on screen.
    const flat: number[] = [];
    for (let j = ny - 1; j >= 0; j--) flat.push(...filled[j]!);
    const sx = plotW / nx;
    const sy = plotH / ny;
    // Rings close along the grid's edge; clip 1 px inside so only the level lines show.
    const clipId = `bt-heat-clip-${BtStudyHeatmap.count++}`;
    plot.append("clipPath").attr("id", clipId).append("rect").attr("x", 1).attr("y", 1).attr("width", plotW - 2).attr("height", plotH - 2);
    plot
      .append("g")
      .attr("class", "contours")
      .attr("clip-path", `url(#${clipId})`)
      .attr("pointer-events", "none")
      .selectAll("path")
      .data(contours().size([nx, ny]).thresholds(thresholds)(flat))
      .join("path")
      .attr("d", (c) => polygonPath(c, sx, sy))
      .attr("fill", "none")
      .attr("stroke", "#ffffff")
      .attr("stroke-opacity", 0.75)
      .attr("stroke-width", 1);
  }

  private drawOptimum(
    plot: Selection<SVGGElement, unknown, null, undefined>,
    opt: GridCell | null,
    cw: number,
    ch: number,
    plotW: number,
    plotH: number,
    unit: string,
    infos: { label: string; unit: string }[],
  ): void {
    if (!opt) return;
    const cx = (opt.i + 0.5) * cw;
    const cy = plotH - (opt.j + 0.5) * ch;
    const r = Math.max(6, Math.min(cw, ch) / 2 + 3);
    const g = plot.append("g").attr("class", "optimum").attr("data-i", opt.i).attr("data-j", opt.j).attr("pointer-events", "none");
    g.append("circle").attr("cx", cx).attr("cy", cy).attr("r", r + 1.5).attr("fill", "none").attr("stroke", "#fff").attr("stroke-width", 4);
    g.append("circle").attr("class", "optimum-mark").attr("cx", cx).attr("cy", cy).attr("r", r).attr("fill", "none").attr("stroke", COLOURS.optimum).attr("stroke-width", 2);
    const lines = [
      `${this.optimise === "max" ? "max" : "min"} ${withUnit(opt.value, unit)}`,
      `${infos[0]!.label} ${fmtParameter(opt.x)}, ${infos[1]!.label} ${fmtParameter(opt.y)}`,
    ];
    const right = cx + r + 6 + 150 < plotW;
    const below = cy - r - 30 < 0;
    const text = g
      .append("text")
      .attr("class", "label optimum-label halo")
      .attr("text-anchor", right ? "start" : "end")
      .attr("x", right ? cx + r + 6 : cx - r - 6)
      .attr("y", below ? cy + r + 12 : cy - r - 16);
    lines.forEach((l, k) =>
      text
        .append("tspan")
        .attr("x", right ? cx + r + 6 : cx - r - 6)
        .attr("dy", k === 0 ? 0 : "1.2em")
        .attr("font-weight", k === 0 ? 600 : null)
        .text(l),
    );
  }

  private drawColourLegend(svg: Selection<SVGSVGElement, unknown, null, undefined>, colour: (v: number) => string, domain: [number, number], plotH: number, title: string): void {
    const left = this.width - MARGINS.right + 14;
    const id = `bt-heat-gradient-${BtStudyHeatmap.count++}`;
    const gradient = svg.append("defs").append("linearGradient").attr("id", id).attr("x1", 0).attr("x2", 0).attr("y1", 1).attr("y2", 0);
    VIRIDIS.forEach((c, k) =>
      gradient
        .append("stop")
        .attr("offset", k / (VIRIDIS.length - 1))
        .attr("stop-color", colour(domain[0] + (k / (VIRIDIS.length - 1)) * (domain[1] - domain[0]))),
    );
    const g = svg.append("g").attr("class", "colour-legend").attr("transform", `translate(${left},${MARGINS.top})`);
    g.append("rect").attr("width", LEGEND_WIDTH).attr("height", plotH).attr("fill", `url(#${id})`);
    g.append("g")
      .attr("class", "axis")
      .attr("transform", `translate(${LEGEND_WIDTH},0)`)
      .call(axisRight(scaleLinear().domain(domain).range([plotH, 0])).ticks(Math.max(2, Math.round(plotH / 40))).tickSize(TICK_SIZE));
    svg
      .append("text")
      .attr("class", "axis-title legend-title")
      .attr("text-anchor", "middle")
      .attr("transform", `translate(${this.width - 8},${MARGINS.top + plotH / 2}) rotate(90)`)
      .text(title);
  }

  private static count = 0;
}

function pendingCells(cells: GridCell[]): number {
  return cells.filter((c) => c.done === 0).length;
}

/** The matrix with each null replaced by the mean of its non-null neighbours, repeatedly; null when every value is null. */
function fillGaps(values: (number | null)[][]): number[][] | null {
  const rows = values.map((r) => r.slice());
  if (!rows.some((r) => r.some((v) => v !== null))) return null;
  for (let pass = 0; pass < rows.length + rows[0]!.length; pass++) {
    let left = 0;
    const next = rows.map((r) => r.slice());
    rows.forEach((r, j) =>
      r.forEach((v, i) => {
        if (v !== null) return;
        const around = [rows[j - 1]?.[i], rows[j + 1]?.[i], r[i - 1], r[i + 1]].filter((n): n is number => n !== null && n !== undefined);
        if (around.length) next[j]![i] = around.reduce((s, n) => s + n, 0) / around.length;
        else left++;
      }),
    );
    rows.splice(0, rows.length, ...next);
    if (left === 0) break;
  }
  return rows as number[][];
}

/** SVG path data of a contour MultiPolygon in grid units, scaled by sx, sy px per cell. */
function polygonPath(contour: ContourMultiPolygon, sx: number, sy: number): string {
  const r = (v: number) => Math.round(v * 10) / 10;
  return contour.coordinates
    .flatMap((polygon) => polygon.map((ring) => ring.map(([cx, cy], k) => `${k ? "L" : "M"}${r(cx * sx)},${r(cy * sy)}`).join("") + "Z"))
    .join("");
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-study-heatmap": BtStudyHeatmap;
  }
}

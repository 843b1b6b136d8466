// <bt-chart-panel>: the charts of one cell model in a responsive grid, for the current
// run and an optional pinned run. Keeps the hover rule in step across its charts and
// offers each chart as a PNG or SVG download.
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { downloadBlob } from "../model/chart-export";
import { chartSpecsFor, presentSeries, type ChartModel, type ChartSpec } from "../model/chart-specs";
import type { RunData } from "../model/run-data";
import "./bt-chart";
import type { BtChart } from "./bt-chart";

/** What a download button saves. */
export type ChartFileFormat = "png" | "svg";

/**
 * @fires hover-time - re-fired from its charts (bubbles): CustomEvent<{ timeH: number | null }>.
 */
@customElement("bt-chart-panel")
export class BtChartPanel extends LitElement {
  static styles = css`
    :host {
      display: block;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 380px), 1fr));
      gap: 12px;
    }
    bt-chart {
      background: var(--bt-panel, #ffffff);
      border: 1px solid var(--bt-border, #d5dadd);
      border-radius: 6px;
    }
    .tools {
      display: flex;
      gap: 4px;
    }
    button {
      font: inherit;
      font-size: 11px;
      line-height: 1.2;
      padding: 2px 6px;
      color: #3b464c;
      background: #ffffff;
      border: 1px solid #c9d0d4;
      border-radius: 4px;
      cursor: pointer;
    }
    button:hover {
      background: #eef3f6;
      border-color: #9aa5ab;
    }
    button:focus-visible {
      outline: 2px solid var(--bt-accent, #0b6e99);
      outline-offset: 1px;
    }
  `;

  /** The cell model whose charts are shown. */
  @property() model: ChartModel = "cho";
  /** The current run; null: none yet (the charts show empty axes). */
  @property({ attribute: false }) run: RunData | null = null;
  /** An earlier run drawn dashed under the current one; null: none. */
  @property({ attribute: false }) pinned: RunData | null = null;

  render() {
    const specs = chartSpecsFor(this.model)
      .map((spec) => presentSeries(spec, [this.run, this.pinned]))
      .filter((spec): spec is ChartSpec => spec !== null);
    return html`<div class="grid" @hover-time=${this.onHoverTime}>
      ${repeat(
        specs,
        (spec) => spec.id,
        (spec) =>
          html`<bt-chart data-chart-id=${spec.id} .spec=${spec} .run=${this.run} .pinned=${this.pinned}>
            <span slot="tools" class="tools">
              <button type="button" title="Download this chart as PNG" @click=${() => this.download(spec, "png")}>PNG</button>
              <button type="button" title="Download this chart as SVG" @click=${() => this.download(spec, "svg")}>SVG</button>
            </span>
          </bt-chart>`,
      )}
    </div>`;
  }

  /** The chart element showing `chartId`, or null. */
  chart(chartId: string): BtChart | null {
    return this.renderRoot.querySelector<BtChart>(`bt-chart[data-chart-id="${CSS.escape(chartId)}"]`);
  }

  /** Saves one chart as `biotwin-<chart id>.png` or `.svg`. */
  async download(spec: ChartSpec, format: ChartFileFormat): Promise<void> {
    const chart = this.chart(spec.id);
    if (!chart) return;
    const fileName = `biotwin-${spec.id}.${format}`;
    const blob =
      format === "svg" ? new Blob([chart.toSvgString()], { type: "image/svg+xml" }) : await chart.toPngBlob(2);
    downloadBlob(blob, fileName);
  }

  private onHoverTime(event: CustomEvent<{ timeH: number | null }>): void {
    const timeH = event.detail.timeH;
    for (const chart of this.renderRoot.querySelectorAll<BtChart>("bt-chart")) chart.hoverTimeH = timeH;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-chart-panel": BtChartPanel;
  }
}

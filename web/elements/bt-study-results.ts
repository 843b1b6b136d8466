// <bt-study-results>: the results of one study, complete or still running. Picks the
// views from the study's kind and its number of swept parameters — sweep lines (one
// parameter, or one chart per parameter past two), a heatmap (two), a histogram (Monte
// Carlo, or any study with a specification), a tornado (Morris, Sobol), percentile
// bands over time (when the runs keep trajectories) — with an output selector, a
// max/min choice for the heatmap's optimum, and CSV and JSON downloads of the runs.
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import { downloadBlob } from "../model/chart-export";
import {
  outputInfo,
  outputNames,
  parameterInfo,
  runCounts,
  runsCsv,
  specification,
  specificationText,
  studyJson,
  studyModel,
  trajectorySpec,
  type StudyViewData,
} from "../model/study-views";
import "./bt-study-bands";
import "./bt-study-heatmap";
import "./bt-study-histogram";
import "./bt-study-sweep";
import "./bt-study-tornado";
import { sharedStyles } from "./shared-styles";

const KIND_NAMES = { sweep: "Sweep", "monte-carlo": "Monte Carlo", morris: "Morris screening", sobol: "Sobol indices" } as const;

/**
 * @fires study-open-run - CustomEvent<{ index: number }> from any view when a run's mark
 *   is clicked or activated by keyboard (bubbles, composed; fired by the views inside).
 */
@customElement("bt-study-results")
export class BtStudyResults extends LitElement {
  static styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
        margin-bottom: 8px;
      }
      .bar label {
        display: inline-flex;
        gap: 6px;
        align-items: center;
        font-size: 13px;
      }
      .spacer {
        flex: 1;
      }
      .status {
        margin: 0 0 10px;
        font-size: 13px;
      }
      .status .spec {
        font-weight: 600;
      }
      .views {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(420px, 1fr));
        gap: 14px 18px;
      }
      .views > .wide {
        grid-column: 1 / -1;
      }
      .views > * {
        background: #fff;
        border: 1px solid var(--bt-border, #d5dadd);
        border-radius: 6px;
        padding: 6px 8px 4px;
      }
      .empty {
        color: var(--bt-muted, #5d6b73);
        font-size: 13px;
      }
    `,
  ];

  /** The study, its runs (sparse while running) and its summary (when complete); null shows nothing. */
  @property({ attribute: false }) data: StudyViewData | null = null;
  /** The output shown; "" (or an output the study does not have) shows the study's first output. */
  @property() output = "";
  /** For a 2-D sweep: the heatmap marks the largest ("max") or the smallest ("min") value. */
  @property() optimise: "max" | "min" = "max";

  protected willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has("data") || changed.has("output")) && this.data) {
      const names = outputNames(this.data.study);
      if (!names.includes(this.output)) this.output = names[0] ?? "";
    }
  }

  render() {
    const data = this.data;
    if (!data) return html`<p class="empty">No study results yet.</p>`;
    const study = data.study;
    const model = studyModel(data);
    const names = outputNames(study);
    const twoD = study.kind === "sweep" && study.parameters.length === 2;
    const counts = runCounts(data);
    const spec = specification(data);
    const about =
      study.kind === "sweep"
        ? `over ${study.parameters.map((p) => `${parameterInfo(p.path, model).label} (${p.points} points)`).join(" × ")}${study.replicates ? ` × ${study.replicates.samples} replicates` : ""}`
        : `over ${study.parameters.length} parameters`;
    return html`
      <div class="bar">
        <label
          >Output
          <select class="output" @change=${(e: Event) => (this.output = (e.target as HTMLSelectElement).value)}>
            ${names.map((n) => {
              const info = outputInfo(study, n, model);
              return html`<option value=${n} ?selected=${n === this.output}>${info.unit ? `${info.label} [${info.unit}]` : info.label}</option>`;
            })}
          </select></label
        >
        ${twoD
          ? html`<label
              >Optimum
              <select class="optimise" @change=${(e: Event) => (this.optimise = (e.target as HTMLSelectElement).value as "max" | "min")}>
                <option value="max" ?selected=${this.optimise === "max"}>largest value</option>
                <option value="min" ?selected=${this.optimise === "min"}>smallest value</option>
              </select></label
            >`
          : nothing}
        <span class="spacer"></span>
        <button class="export-csv" @click=${() => this.download("csv")}>Export CSV</button>
        <button class="export-json" @click=${() => this.download("json")}>Export JSON</button>
      </div>
      <p class="status" role="status">
        ${KIND_NAMES[study.kind]} ${about} · ${counts.done} of ${counts.total} runs${counts.done < counts.total ? " (running)" : ""} ·
        <span class="failed-count">${counts.failed} failed</span>
        ${spec ? html` · <span class="spec">${specificationText(spec)}</span>` : nothing}
      </p>
      <div class="views">${this.views(data)}</div>
    `;
  }

  private views(data: StudyViewData) {
    const study = data.study;
    const out = this.output;
    const views = [];
    if (study.kind === "sweep" && study.parameters.length === 2) {
      views.push(html`<bt-study-heatmap class="wide" .data=${data} output=${out} optimise=${this.optimise}></bt-study-heatmap>`);
    } else if (study.kind === "sweep") {
      views.push(...study.parameters.map((_, k) => html`<bt-study-sweep class=${study.parameters.length === 1 ? "wide" : ""} .data=${data} output=${out} parameter=${k}></bt-study-sweep>`));
    } else if (study.kind === "morris" || study.kind === "sobol") {
      views.push(html`<bt-study-tornado class="wide" .data=${data} output=${out}></bt-study-tornado>`);
    }
    if (study.kind === "monte-carlo" || study.specification?.length) {
      views.push(html`<bt-study-histogram class=${study.kind === "monte-carlo" ? "wide" : ""} .data=${data} output=${out}></bt-study-histogram>`);
    }
    for (const column of trajectorySpec(study)?.columns ?? []) views.push(html`<bt-study-bands .data=${data} column=${column}></bt-study-bands>`);
    return views;
  }

  /** Saves the runs as CSV or the whole study as JSON. */
  download(format: "csv" | "json"): void {
    const data = this.data;
    if (!data) return;
    const stem = `study-${data.study.kind}`;
    if (format === "csv") downloadBlob(new Blob([runsCsv(data)], { type: "text/csv" }), `${stem}-runs.csv`);
    else downloadBlob(new Blob([studyJson(data)], { type: "application/json" }), `${stem}.json`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-study-results": BtStudyResults;
  }
}

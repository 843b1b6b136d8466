// <bt-study-view>: the Study view. The builder writes the study; Run starts it on the
// Web Worker pool with a progress bar (runs done, failed, rate, time left) and Cancel;
// the result views draw the runs as they arrive, and a click on a run opens it in the
// Run view (the element sends `open-scenario` with that run's scenario document).
// State lives in a StudyModel; this element renders it.
import { LitElement, css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { downloadFile } from "../model/chart-export";
import { rebindStore, type StoreController } from "../model/store-controller";
import { LARGE_STUDY_RUNS, studyFields, type StudyField, type StudyModel } from "../model/study-model";
import { sharedStyles } from "./shared-styles";
import "./bt-study-builder";
import "./bt-study-results";

/** Seconds as "45 s", "3 min 20 s", "1 h 05 min". */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "—";
  if (s < 10) return `${Math.max(0, s).toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.round((s % 3600) / 60)).padStart(2, "0")} min`;
}

@customElement("bt-study-view")
export class BtStudyView extends LitElement {
  @property({ attribute: false }) model!: StudyModel;
  /** The current scenario document (the base of the study). */
  @property({ attribute: false }) scenarioDoc: unknown = null;
  /** The scenario's title, for file names. */
  @property() scenarioTitle = "scenario";
  @state() private fields: StudyField[] = [];
  private controller: StoreController<StudyModel> | null = null;

  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: 12px;
      }
      details,
      .runbar,
      .results {
        background: #fff;
        border: 1px solid var(--bt-border);
        border-radius: 6px;
        padding: 8px 10px;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        font-size: 13px;
        margin-bottom: 6px;
      }
      .runbar {
        display: grid;
        gap: 6px;
      }
      .row {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
        font-size: 13px;
      }
      .spacer {
        flex: 1;
      }
      progress {
        width: 100%;
        height: 14px;
      }
      .status[data-status="failed"] {
        color: var(--bt-error, #a4262c);
      }
    `,
  ];

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("model")) this.controller = rebindStore(this, this.controller, this.model);
    if (changed.has("scenarioDoc")) {
      this.fields = studyFields(this.scenarioDoc);
      this.model?.adoptScenario(this.scenarioDoc);
    }
  }

  private run() {
    const m = this.model;
    if (m.runCount > LARGE_STUDY_RUNS && !confirm(`This study makes ${m.runCount.toLocaleString("en")} runs. Start it?`)) return;
    void m.start(this.scenarioDoc);
  }

  /** A chart's redraw time goes to the model, which spaces a running study's results by it. */
  private chartDrawn = (e: CustomEvent<{ ms: number }>) => this.model.noteRedraw(e.detail.ms);

  /** A run clicked in the results opens in the Run view (the app listens for open-scenario). */
  private openRun = (e: CustomEvent<{ index: number }>) => {
    const doc = this.model.runDocument(e.detail.index);
    if (doc === null) return;
    this.dispatchEvent(new CustomEvent("open-scenario", { detail: { doc, source: `run ${e.detail.index} of the study` }, bubbles: true, composed: true }));
  };

  private async openFile(file: File) {
    this.model.openText(await file.text(), `the file ${file.name}`);
  }

  private renderProgress() {
    const m = this.model;
    const p = m.progress;
    if (!p) return nothing;
    const running = m.status === "running";
    return html`<progress data-testid="study-progress" max=${p.total} .value=${p.done} aria-label="Runs done"></progress>
      <div class="row num" data-testid="study-progress-text">
        <span>${p.done.toLocaleString("en")} of ${p.total.toLocaleString("en")} runs</span>
        ${p.failed ? html`<span>· ${p.failed.toLocaleString("en")} failed</span>` : nothing}
        <span>· ${p.ratePerS > 0 ? `${p.ratePerS.toLocaleString("en", { maximumSignificantDigits: 3 })} runs/s` : "starting…"}</span>
        ${running && p.etaS !== null ? html`<span>· ${formatDuration(p.etaS)} left</span>` : nothing}
        <span class="muted">· ${formatDuration(p.elapsedS)} elapsed on ${p.workers} worker${p.workers === 1 ? "" : "s"}</span>
      </div>`;
  }

  render() {
    const m = this.model;
    if (!m) return nothing;
    const running = m.status === "running";
    const cores = navigator.hardwareConcurrency || 2;
    return html`
      <details open>
        <summary>Study design</summary>
        <bt-study-builder
          .draft=${m.draft}
          .problems=${m.problems}
          .fields=${this.fields}
          .runCount=${m.runCount}
          ?disabled=${running}
          @study-change=${(e: CustomEvent<{ draft: unknown }>) => m.setDraft(e.detail.draft)}
        ></bt-study-builder>
      </details>
      <section class="runbar" aria-label="Run the study">
        <div class="row">
          ${running
            ? html`<button class="primary" data-action="cancel-study" @click=${() => m.cancel()}>Cancel</button>`
            : html`<button class="primary" data-action="run-study" ?disabled=${!m.study} @click=${this.run}>
                Run ${m.runCount > 0 ? `${m.runCount.toLocaleString("en")} runs` : "study"}
              </button>`}
          <label
            >Workers
            <select ?disabled=${running} @change=${(e: Event) => m.setWorkers(Number((e.target as HTMLSelectElement).value))}>
              ${Array.from({ length: Math.max(cores, m.workers) }, (_, i) => i + 1).map((n) => html`<option value=${n} ?selected=${n === m.workers}>${n}</option>`)}
            </select></label
          >
          <span class="muted small">${cores} logical core${cores === 1 ? "" : "s"}; the default leaves one for the page.</span>
          <span class="spacer"></span>
          <input id="study-file" type="file" accept=".json,application/json" hidden @change=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            if (file) void this.openFile(file);
            input.value = "";
          }} />
          <button ?disabled=${running} @click=${() => this.renderRoot.querySelector<HTMLInputElement>("#study-file")?.click()} title="Open a study file (or a scenario file with a study section)">Open study…</button>
          <button
            @click=${() => downloadFile(m.studyFile(this.scenarioTitle))}
            title="Save the study as a JSON file (for biotwin study --study)"
          >
            Save study
          </button>
          <button
            ?disabled=${!m.study}
            @click=${() => downloadFile(m.scenarioWithStudy(this.scenarioDoc, this.scenarioTitle))}
            title="Save the scenario with this study as its study section (biotwin study FILE runs it)"
          >
            Save scenario with study
          </button>
        </div>
        ${this.renderProgress()}
        ${m.message ? html`<div class="status small" data-status=${m.status} data-testid="study-status">${m.message}</div>` : nothing}
      </section>
      ${m.data
        ? html`<section class="results" aria-label="Study results" @study-open-run=${this.openRun} @study-chart-drawn=${this.chartDrawn}>
            <bt-study-results .data=${m.data}></bt-study-results>
            <p class="muted small">Click a run (a point, a cell, a dot) to open it in the Run view.</p>
          </section>`
        : nothing}
    `;
  }
}

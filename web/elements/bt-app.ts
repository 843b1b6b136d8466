// <bt-app>: the whole page. Owns the AppModel, lays out the scenario side panel
// (gallery and editor), the run controls, KPIs, live knobs, 3D view, charts and cell
// lifelines, and turns
// user gestures (buttons, files dropped on the page, keyboard) into model calls.
import { LitElement, css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { computeKpis } from "../../engine/kpis";
import { AppModel, slug } from "../model/app-model";
import { downloadFile } from "../model/chart-export";
import { ScaleUpModel } from "../model/scaleup-model";
import { StudyModel } from "../model/study-model";
import { resolveVessel } from "../../engine/vessel/resolve";
import type { VesselGeometry } from "../../engine/vessel/geometry";
import { LIQUID_FIELDS, type LiquidField } from "../three/liquid-fields";
import type { ReactorZones } from "../three/reactor-snapshot";
import type { CellColouring, CellDistributions } from "./bt-reactor-view";
import type { LifelinesResult } from "../../engine/lifelines";
import { lifelineDistribution } from "../model/lifeline-data";
import { lastZoneValues, zoneCount, zoneGeometryOf, type ZoneGeometry } from "../model/zone-columns";
import { BUILTIN_SCENARIOS } from "../model/builtin-scenarios";
import type { RunData } from "../model/run-data";
import { StoreController } from "../model/store-controller";
import { sharedStyles } from "./shared-styles";
import "./bt-chart-panel";
import "./bt-knob-panel";
import "./bt-kpi-strip";
import "./bt-lifeline-panel";
import "./bt-notices";
import "./bt-problem-list";
import { webglKind } from "./bt-reactor-view";
import "./bt-run-controls";
import "./bt-scenario-editor";
import "./bt-scaleup-view";
import "./bt-scenario-gallery";
import "./bt-status-line";

function kpisOf(run: RunData | null) {
  if (!run) return null;
  return computeKpis((name) => (run.has(name) ? run.column(name) : undefined), { harvested: false, finished: true });
}

@customElement("bt-app")
export class BtApp extends LitElement {
  readonly model = new AppModel();
  readonly store = new StoreController(this, this.model);
  /** The Scale-up view's state; it shares the app's simulation worker. */
  readonly scaleUp = new ScaleUpModel(this.model.client);
  /** The Study view's state; its runs go to a pool of study workers of their own. */
  readonly study = new StudyModel();
  /** Re-renders the page (the Study tab's percentage) as a study runs. */
  readonly studyStore = new StoreController(this, this.study);
  @state() private tab: "gallery" | "editor" = "gallery";
  @state() private view: "run" | "scaleup" | "study" = "run";
  /** The Study view's code (builder, pool, result charts) loads when the tab is first opened. */
  @state() private studyLoaded = false;

  private showStudy() {
    this.view = "study";
    if (!this.studyLoaded) void import("./bt-study-view").then(() => (this.studyLoaded = true));
  }
  /** The liquid colour field of the 3D view (view state, kept across scenarios). */
  @state() private reactorField: LiquidField = "do";
  /** What colours the cells of the 3D view (view state, kept across runs; viable/dead without lifelines). */
  @state() private cellColouring: CellColouring = "viable";
  private cellsFor: { lifelines: LifelinesResult; timeH: number; distributions: CellDistributions } | null = null;
  /** The 3D view (and three.js) loads once the first chart has data, so it never delays it. */
  @state() private reactorLoaded = false;
  /**
   * Whether the 3D section is open. Without a GPU (software WebGL) every 3D frame is drawn and
   * composited on the CPU and slows the whole page, so it starts closed there.
   */
  @state() private reactorOpen = webglKind() !== "software";
  private vesselFor: { scenario: unknown; vessel: VesselGeometry } | null = null;
  private zoningFor: { scenario: unknown; zoning: ZoneGeometry | null } | null = null;
  private zonesFor: { run: RunData; version: number; field: LiquidField; zoning: ZoneGeometry | null; zones: ReactorZones | null } | null = null;

  /**
   * The zones the 3D view draws: the current field's value in every zone of the run's last
   * row (the well-mixed value in each for a field without per-zone columns, like temperature),
   * with the scenario's zone fractions and probe zone. null: the scenario or the run has no zones.
   * Recomputed only when the run, its version or the field changes.
   */
  private reactorZones(): ReactorZones | null {
    const m = this.model;
    const zoning = this.zoning();
    const run = m.run;
    if (!zoning || !run) return null;
    const cached = this.zonesFor;
    if (cached && cached.run === run && cached.version === run.version && cached.field === this.reactorField && cached.zoning === zoning) return cached.zones;
    // The run may still be that of the scenario before an edit: its own columns say how many zones it has.
    const count = zoneCount((name) => run.has(name));
    const spec = LIQUID_FIELDS[this.reactorField];
    const zones: ReactorZones | null =
      count === 0
        ? null
        : {
            count,
            values: lastZoneValues(run, count, spec.zoneColumn, spec.column),
            ...(count === zoning.count ? { fractions: zoning.fractions, probeZone: zoning.probeZone } : {}),
          };
    this.zonesFor = { run, version: run.version, field: this.reactorField, zoning, zones };
    return zones;
  }

  /**
   * The lifeline histograms the 3D view can colour its cells by, at the last histogram time
   * at or before the run's last row (the row the view shows); null: the run has no lifelines.
   */
  private cellDistributions(): CellDistributions | null {
    const lifelines = this.model.lifelines;
    if (!lifelines) return null;
    const timeH = this.model.run?.lastTimeH ?? this.model.timeH;
    const cached = this.cellsFor;
    if (cached && cached.lifelines === lifelines && cached.timeH === timeH) return cached.distributions;
    const distributions: CellDistributions = {};
    const stress = lifelineDistribution(lifelines, "internal_state", timeH);
    const qp = lifelineDistribution(lifelines, "specific_productivity", timeH);
    if (stress) distributions.stress = stress;
    if (qp) distributions.qp = qp;
    this.cellsFor = { lifelines, timeH, distributions };
    return distributions;
  }

  /** The volume fraction of each zone for the lifelines' agents-per-zone chart; null when the scenario's zoning is not the run's. */
  private zoneFractions(lifelines: LifelinesResult): number[] | null {
    const zoning = this.zoning();
    const zones = lifelines.occupancy[0]?.length ?? 0;
    return zoning && zoning.count === zones ? Array.from(zoning.fractions) : null;
  }

  /** The current scenario's zones (count, fractions, probe zone; computed once per scenario); null: well mixed. */
  private zoning(): ZoneGeometry | null {
    const scenario = this.model.scenario;
    if (this.zoningFor?.scenario !== scenario) this.zoningFor = { scenario, zoning: zoneGeometryOf(scenario) };
    return this.zoningFor.zoning;
  }

  /** The current scenario's vessel (resolved once per scenario). */
  private vessel(): VesselGeometry {
    const scenario = this.model.scenario;
    if (this.vesselFor?.scenario !== scenario) this.vesselFor = { scenario, vessel: resolveVessel(scenario) };
    return this.vesselFor.vessel;
  }
  @state() private shareUrl = "";
  @state() private dragging = false;

  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        grid-template-rows: auto 1fr;
        min-height: 100vh;
      }
      header {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 8px 16px;
        background: #fff;
        border-bottom: 1px solid var(--bt-border);
        flex-wrap: wrap;
      }
      .brand {
        font-weight: 700;
        font-size: 16px;
        color: var(--bt-accent);
        letter-spacing: 0.02em;
      }
      h1 {
        font-size: 15px;
        font-weight: 600;
        margin: 0;
        flex: 1;
        min-width: 200px;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .files {
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(320px, 420px) 1fr;
        min-height: 0;
      }
      aside {
        border-right: 1px solid var(--bt-border);
        background: #fbfbfc;
        display: grid;
        grid-template-rows: auto 1fr;
        min-height: 0;
        max-height: calc(100vh - 50px);
        position: sticky;
        top: 0;
      }
      .tabs {
        display: flex;
        border-bottom: 1px solid var(--bt-border);
      }
      .tabs button {
        flex: 1;
        border: none;
        border-radius: 0;
        background: transparent;
        padding: 8px;
        border-bottom: 2px solid transparent;
      }
      .tabs button[aria-selected="true"] {
        border-bottom-color: var(--bt-accent);
        color: var(--bt-accent);
        font-weight: 600;
      }
      .tabpanel {
        overflow: auto;
        padding: 10px;
      }
      main {
        padding: 12px 16px 40px;
        display: grid;
        gap: 12px;
        align-content: start;
        min-width: 0;
      }
      .controls {
        display: grid;
        gap: 6px;
        background: #fff;
        border: 1px solid var(--bt-border);
        border-radius: 6px;
        padding: 8px 10px;
      }
      details {
        background: #fff;
        border: 1px solid var(--bt-border);
        border-radius: 6px;
        padding: 6px 10px;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        font-size: 13px;
      }
      .share {
        display: flex;
        gap: 6px;
        align-items: center;
        background: #fff;
        border: 1px solid var(--bt-border);
        border-radius: 6px;
        padding: 6px 10px;
        font-size: 12px;
      }
      .share input {
        flex: 1;
        font-family: var(--bt-mono);
        font-size: 11px;
        min-width: 0;
      }
      .drop {
        position: fixed;
        inset: 0;
        background: rgb(11 110 153 / 0.12);
        border: 3px dashed var(--bt-accent);
        display: grid;
        place-items: center;
        font-size: 18px;
        color: var(--bt-accent);
        pointer-events: none;
        z-index: 20;
      }
      .source {
        font-size: 11px;
      }
      .reactor-placeholder {
        height: var(--bt-reactor-height, 440px);
        display: grid;
        place-items: center;
        font-size: 13px;
      }
      .views {
        display: flex;
        gap: 4px;
        border-bottom: 1px solid var(--bt-border);
      }
      .views button {
        border: none;
        border-radius: 4px 4px 0 0;
        background: transparent;
        padding: 6px 14px;
        border-bottom: 2px solid transparent;
      }
      .views button[aria-selected="true"] {
        border-bottom-color: var(--bt-accent);
        color: var(--bt-accent);
        font-weight: 600;
      }
      @media (max-width: 900px) {
        .layout {
          grid-template-columns: 1fr;
        }
        aside {
          position: static;
          max-height: none;
          border-right: none;
          border-bottom: 1px solid var(--bt-border);
        }
      }
    `,
  ];

  connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("keydown", this.onKey);
    window.addEventListener("dragover", this.onDragOver);
    window.addEventListener("dragleave", this.onDragLeave);
    window.addEventListener("drop", this.onDrop);
    void this.model.start();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("keydown", this.onKey);
    window.removeEventListener("dragover", this.onDragOver);
    window.removeEventListener("dragleave", this.onDragLeave);
    window.removeEventListener("drop", this.onDrop);
  }

  protected updated(): void {
    if (!this.reactorLoaded && (this.model.run?.length ?? 0) > 1) {
      const load = () => (this.reactorLoaded = true);
      if ("requestIdleCallback" in window) requestIdleCallback(load, { timeout: 2000 });
      else setTimeout(load, 500);
    }
    const title = this.model.scenario?.metadata.title;
    document.title = title ? `${title} — biotwin` : "biotwin";
  }

  private onKey = (e: KeyboardEvent) => {
    const target = e.composedPath()[0] as HTMLElement | undefined;
    const typing = target && ["INPUT", "SELECT", "TEXTAREA", "BUTTON", "SUMMARY"].includes(target.tagName);
    if (e.key === " " && !typing) {
      e.preventDefault();
      if (this.model.playing) this.model.pause();
      else this.model.play();
    }
  };

  private onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    this.dragging = true;
  };

  private onDragLeave = (e: DragEvent) => {
    if (e.relatedTarget === null) this.dragging = false;
  };

  private onDrop = (e: DragEvent) => {
    e.preventDefault();
    this.dragging = false;
    const file = e.dataTransfer?.files[0];
    if (file) void this.openFile(file);
  };

  private async openFile(file: File) {
    if (file.size > 5_000_000) {
      this.model.openText("", `the file ${file.name}`);
      this.model.notify("error", `${file.name} is ${(file.size / 1e6).toFixed(1)} MB: a scenario is a small JSON file (under 5 MB).`);
      return;
    }
    const text = await file.text();
    if (this.model.openText(text, `the file ${file.name}`)) this.tab = "gallery";
  }

  private pickFile() {
    const input = this.renderRoot.querySelector<HTMLInputElement>("#file-input");
    input?.click();
  }

  private async share() {
    const url = await this.model.shareLink();
    if (!url) return;
    this.shareUrl = url;
    try {
      await navigator.clipboard.writeText(url);
      this.model.notify("info", `Link copied (${url.length.toLocaleString("en")} characters). It holds the whole scenario; nothing is uploaded.`);
    } catch {
      this.model.notify("info", "Copy the link from the box above the charts. It holds the whole scenario; nothing is uploaded.");
    }
  }

  private async exportResult(format: "csv" | "json") {
    const file = await this.model.resultFile(format);
    if (file) downloadFile(file);
  }

  private onRunCommand(e: CustomEvent<{ command: string }>) {
    const m = this.model;
    switch (e.detail.command) {
      case "play":
        return m.play();
      case "pause":
        return m.pause();
      case "step":
        return void m.step();
      case "reset":
        return void m.reset({ play: true });
      case "run-whole":
        return void m.runWhole();
      case "pin":
        return m.pin();
      case "unpin":
        return m.unpin();
    }
  }

  private renderRun() {
    const m = this.model;
    const cellModel = m.scenario.cells.model;
    return html`
          <section class="controls" aria-label="Run">
        <bt-run-controls
          .phase=${m.phase}
          ?playing=${m.playing}
          .speedHPerS=${m.speedHPerS}
          ?hasPinned=${m.pinned !== null}
          ?stale=${m.stale}
          @run-command=${this.onRunCommand}
          @speed-change=${(e: CustomEvent<{ hPerS: number }>) => m.setSpeed(e.detail.hPerS)}
        ></bt-run-controls>
        <bt-status-line
          .phase=${m.phase}
          ?playing=${m.playing}
          .timeH=${m.timeH}
          .durationH=${m.scenario.process.durationH}
          .message=${m.message}
          .stats=${m.stats}
          .measuredSpeedHPerS=${m.measuredSpeedHPerS}
          ?lifelinesPending=${m.lifelinesPending}
        ></bt-status-line>
        <span class="source muted">Scenario: ${m.source}</span>
      </section>
      <bt-kpi-strip .kpis=${m.kpis} .pinnedKpis=${kpisOf(m.pinned)}></bt-kpi-strip>
      ${m.knobs.length > 0
        ? html`<details open>
            <summary>Live controls</summary>
            <bt-knob-panel
              .knobs=${m.knobs}
              .actions=${m.actions}
              ?disabled=${m.isFinished()}
              @knob-change=${(e: CustomEvent<{ id: never; value: number }>) => m.setKnob(e.detail.id, e.detail.value)}
            ></bt-knob-panel>
          </details>`
        : null}
      <details class="reactor" ?open=${this.reactorOpen} @toggle=${(e: Event) => (this.reactorOpen = (e.target as HTMLDetailsElement).open)}>
        <summary>Reactor in 3D${this.reactorOpen ? "" : " (no graphics processor found: open it to draw the reactor in software, which slows the page)"}</summary>
        ${!this.reactorOpen
          ? null
          : this.reactorLoaded
          ? html`<bt-reactor-view
              .vessel=${this.vessel()}
              .run=${m.run}
              .zones=${this.reactorZones()}
              field=${this.reactorField}
              .cellColouring=${this.cellColouring}
              .lifelineDistributions=${this.cellDistributions()}
              .agents=${m.lifelines?.agents ?? null}
              @field-change=${(e: CustomEvent<{ field: LiquidField }>) => (this.reactorField = e.detail.field)}
              @cell-colouring-change=${(e: CustomEvent<{ colouring: CellColouring }>) => (this.cellColouring = e.detail.colouring)}
            ></bt-reactor-view>`
          : html`<div class="reactor-placeholder muted">Loading the 3D view…</div>`}
      </details>
      <bt-chart-panel .model=${cellModel} .run=${m.run} .pinned=${m.pinned}></bt-chart-panel>
      ${m.lifelines
        ? html`<details class="lifelines" open data-testid="lifelines">
            <summary>Cell lifelines (${m.lifelines.count.toLocaleString("en")} agents)</summary>
            <bt-lifeline-panel
              .lifelines=${m.lifelines}
              .durationH=${m.scenario.process.durationH}
              .zoneFractions=${this.zoneFractions(m.lifelines)}
              .fileName=${`${slug(m.scenario.metadata.title)}-lifelines`}
            ></bt-lifeline-panel>
          </details>`
        : null}
    `;
  }

  render() {
    const m = this.model;
    if (!m.scenario) return html`<header><span class="brand">biotwin</span><h1>Loading…</h1></header>`;
    const builtinId = m.source.startsWith("built-in: ") ? m.source.slice(10).replace(/\.json.*$/, "") : "";
    return html`
      <header>
        <span class="brand">biotwin</span>
        <h1 data-testid="scenario-title" title=${m.scenario.metadata.title}>${m.scenario.metadata.title}</h1>
        <div class="files">
          <input id="file-input" type="file" accept=".json,application/json" hidden @change=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            if (file) void this.openFile(file);
            input.value = "";
          }} />
          <button data-action="open" @click=${this.pickFile} title="Open a scenario file (or drop one on the page)">Open…</button>
          <button data-action="save" @click=${() => downloadFile(m.scenarioFile())} title="Save the scenario as a JSON file">Save</button>
          <button data-action="share" @click=${this.share} title="A link that opens this scenario">Share link</button>
          <button data-action="export-csv" @click=${() => this.exportResult("csv")} title="The results as CSV (name [unit] header)">Export CSV</button>
          <button data-action="export-json" @click=${() => this.exportResult("json")} title="The results with balances and metadata as JSON">Export JSON</button>
        </div>
      </header>
      <div class="layout">
        <aside>
          <div class="tabs" role="tablist">
            <button role="tab" aria-selected=${this.tab === "gallery"} @click=${() => (this.tab = "gallery")}>Scenarios (${BUILTIN_SCENARIOS.length})</button>
            <button role="tab" data-tab="editor" aria-selected=${this.tab === "editor"} @click=${() => (this.tab = "editor")}>
              Edit${m.draftProblems.length > 0 ? ` (${m.draftProblems.length} problem${m.draftProblems.length === 1 ? "" : "s"})` : ""}
            </button>
          </div>
          <div class="tabpanel" role="tabpanel">
            ${this.tab === "gallery"
              ? html`<bt-scenario-gallery .current=${builtinId} @open-builtin=${(e: CustomEvent<{ id: string }>) => m.openBuiltin(e.detail.id)}></bt-scenario-gallery>`
              : html`<bt-scenario-editor
                  .draft=${m.draft}
                  .problems=${m.draftProblems}
                  @draft-change=${(e: CustomEvent<{ draft: unknown }>) => m.editDraft(e.detail.draft)}
                ></bt-scenario-editor>`}
          </div>
        </aside>
        <main>
          ${m.openProblems ? html`<bt-problem-list .problems=${m.openProblems} @dismiss=${() => m.dismissOpenProblems()}></bt-problem-list>` : null}
          ${this.shareUrl
            ? html`<div class="share">
                <label for="share-url">Link to this scenario</label>
                <input id="share-url" readonly .value=${this.shareUrl} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
                <button @click=${() => (this.shareUrl = "")} aria-label="Close">✕</button>
              </div>`
            : null}
          <div class="views" role="tablist" aria-label="Views">
            <button role="tab" data-view="run" aria-selected=${this.view === "run"} @click=${() => (this.view = "run")}>Run</button>
            <button role="tab" data-view="scaleup" aria-selected=${this.view === "scaleup"} @click=${() => (this.view = "scaleup")}>Scale-up</button>
            <button role="tab" data-view="study" aria-selected=${this.view === "study"} @click=${this.showStudy}>
              Study${this.study.running ? ` (${Math.floor((100 * (this.study.progress?.done ?? 0)) / Math.max(1, this.study.progress?.total ?? 1))} %)` : ""}
            </button>
          </div>
          ${this.view === "study" && !this.studyLoaded
            ? html`<div class="reactor-placeholder muted">Loading the Study view…</div>`
            : this.view === "study"
            ? html`<bt-study-view
                .model=${this.study}
                .scenarioDoc=${m.scenarioDoc}
                .scenarioTitle=${m.scenario.metadata.title}
                @open-scenario=${(e: CustomEvent<{ doc: unknown; source: string }>) => {
                  if (m.openDocument(e.detail.doc, e.detail.source)) this.view = "run";
                }}
              ></bt-study-view>`
            : this.view === "scaleup"
            ? html`<bt-scaleup-view
                .model=${this.scaleUp}
                .scenarioDoc=${m.scenarioDoc}
                @open-scenario=${(e: CustomEvent<{ doc: unknown; source: string }>) => {
                  if (m.openDocument(e.detail.doc, e.detail.source)) this.view = "run";
                }}
              ></bt-scaleup-view>`
            : this.renderRun()}
        </main>
      </div>
      <bt-notices .notices=${m.notices} @dismiss-notice=${(e: CustomEvent<{ id: number }>) => m.dismissNotice(e.detail.id)}></bt-notices>
      ${this.dragging ? html`<div class="drop">Drop a scenario file to open it</div>` : null}
    `;
  }
}

// <bt-reactor-view>: the scenario's vessel in 3D at true size — liquid at the current
// volume and coloured by a chosen field, impellers turning with the agitation, bubbles
// following the gas flow, cells as a sampled point cloud, probes with read-outs, feed and
// base ports that show additions, and a scale reference; with `.zones`, the liquid of a
// compartment model as one slab per zone, each in its own colour, with each zone's state
// on hover; with `.lifelineDistributions`, the viable cells coloured by a lifeline property
// (stress state, qP) whose colours are draws from the lifeline distribution, not the agents
// themselves. It reads the last row of the run in its own animation loop (not through Lit
// re-renders). three.js is loaded with a
// dynamic import after first paint; without WebGL 2 the element shows a message instead.
import { LitElement, css, html, svg, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { VesselGeometry } from "../../engine/vessel/geometry";
import type { RunData } from "../model/run-data";
import {
  formatFieldValue,
  isLiquidField,
  LIQUID_FIELD_ORDER,
  LIQUID_FIELDS,
  scalePosition,
  type LiquidField,
} from "../three/liquid-fields";
import { shownRevPerS } from "../three/impeller-speed";
import { emptySnapshot, PROBES, readSnapshot, readZoneState, type ProbeId, type ReactorZones } from "../three/reactor-snapshot";
import type { ReactorDebugState, ReactorScene } from "../three/reactor-scene";
import { agentBands, CELL_COLOURING_ORDER, CELL_COLOURINGS, cellColourTable, isCellColouring, scaleColourTable, type CellColouring } from "../three/cell-colours";
import type { LifelineDistribution } from "../model/lifeline-data";

/** Without a GPU (SwiftShader, llvmpipe): at most this many frames a second, at this many pixels per CSS pixel. */
const SOFTWARE_MAX_FPS = 20;
const SOFTWARE_PIXEL_RATIO = 0.75;
/** Most cells the view draws, whatever maxCells asks for. */
const MAX_CELLS_LIMIT = 100_000;
const S_PER_MIN = 60;
/** Width of the legend's colour bar, px (SVG user units). */
const LEGEND_BAR_PX = 168;
/** Least time between two updates of the text read-outs (legend value, caption, tooltip) while a run streams, ms. */
const READOUT_INTERVAL_MS = 250;
/** Zoom step of the + and − keys. */
const KEY_ZOOM_FACTOR = 0.85;

export type { ReactorZones } from "../three/reactor-snapshot";
export type { CellColouring } from "../three/cell-colours";

/** Lifeline histograms the cells can be coloured by, keyed by colouring (at the time the view shows). */
export type CellDistributions = Partial<Record<Exclude<CellColouring, "viable">, LifelineDistribution>>;

const HOURS_PER_DAY = 24;

/** Shown in place of the 3D view when the browser cannot draw WebGL 2. */
export const NO_WEBGL_MESSAGE = "The 3D reactor view needs WebGL 2, which this browser does not offer. The charts and read-outs keep working.";

/**
 * @fires field-change - CustomEvent<{ field: LiquidField }> when the user picks the field that
 *   colours the liquid in the view's control bar. Bubbles and crosses shadow roots.
 * @fires cell-colouring-change - CustomEvent<{ colouring: CellColouring }> when the user picks what
 *   colours the cells (offered when `lifelineDistributions` has any). Bubbles and crosses shadow roots.
 */
@customElement("bt-reactor-view")
export class BtReactorView extends LitElement {
  static styles = css`
    :host {
      display: block;
      position: relative;
      font-family: var(--bt-font, system-ui, sans-serif);
      color: var(--bt-fg, #1d2428);
      font-size: 13px;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      padding: 6px 8px;
      border-bottom: 1px solid var(--bt-border, #d5dadd);
      background: var(--bt-panel, #ffffff);
    }
    .bar label {
      display: flex;
      align-items: center;
      gap: 6px;
    }
    select,
    button {
      font: inherit;
      padding: 3px 8px;
      border: 1px solid var(--bt-border, #c9d0d4);
      border-radius: 4px;
      background: #ffffff;
      color: inherit;
    }
    button[aria-pressed="true"] {
      background: #e3eef4;
      border-color: var(--bt-accent, #0b6e99);
    }
    select:focus-visible,
    button:focus-visible,
    .stage canvas:focus-visible {
      outline: 2px solid var(--bt-accent, #0b6e99);
      outline-offset: 1px;
    }
    .stage {
      position: relative;
      height: var(--bt-reactor-height, 440px);
      overflow: hidden;
      background: #eef2f4;
    }
    .stage canvas {
      display: block;
      width: 100%;
      height: 100%;
      touch-action: none;
    }
    .legend {
      position: absolute;
      top: 8px;
      left: 8px;
      padding: 6px 8px 4px;
      background: rgba(255, 255, 255, 0.92);
      border: 1px solid #c9d0d4;
      border-radius: 4px;
      pointer-events: none;
    }
    .legend-title {
      font-weight: 600;
      font-size: 12px;
      margin-bottom: 2px;
    }
    .legend-title .unit {
      font-weight: 400;
      color: #4a555b;
    }
    .legend svg {
      display: block;
      overflow: visible;
    }
    .legend text {
      font-size: 11px;
      fill: #3b464c;
    }
    .legend .marker {
      fill: #1d2428;
      stroke: #ffffff;
      stroke-width: 1;
    }
    .legend .frame {
      fill: none;
      stroke: #9aa5ab;
    }
    .legend .zone-range {
      fill: #1d2428;
    }
    .legend-value {
      font-size: 11px;
      font-variant-numeric: tabular-nums;
    }
    .cell-legend {
      margin-top: 6px;
      padding-top: 4px;
      border-top: 1px solid #d5dadd;
    }
    .cell-mean {
      font-size: 11px;
      font-variant-numeric: tabular-nums;
    }
    .tooltip {
      position: absolute;
      top: 0;
      left: 0;
      pointer-events: none;
      background: rgba(255, 255, 255, 0.96);
      border: 1px solid #c9d0d4;
      border-radius: 4px;
      box-shadow: 0 1px 4px rgba(0, 0, 0, 0.15);
      padding: 4px 8px;
      font-size: 12px;
      white-space: nowrap;
      font-variant-numeric: tabular-nums;
    }
    .tooltip[hidden],
    .legend[hidden],
    button[hidden],
    .fallback[hidden],
    .caption[hidden],
    .loading[hidden] {
      display: none;
    }
    .tooltip .name {
      font-weight: 600;
    }
    .tooltip .where {
      color: #4a555b;
      font-size: 11px;
    }
    .fallback,
    .loading {
      position: absolute;
      inset: 0;
      display: flex;
      align-items: center;
      justify-content: center;
      padding: 24px;
      text-align: center;
      color: #4a555b;
    }
    .fallback {
      background: #f6f7f8;
      color: var(--bt-warn, #8a5a00);
      font-weight: 500;
    }
    .caption {
      margin: 0;
      padding: 4px 8px 6px;
      font-size: 11.5px;
      color: var(--bt-muted, #5d6b73);
      border-top: 1px solid var(--bt-border, #d5dadd);
      background: var(--bt-panel, #ffffff);
    }
  `;

  /** The vessel to draw, at true size; null: none (an empty stage). */
  @property({ attribute: false }) vessel: VesselGeometry | null = null;
  /** The run whose LAST row the view shows; read every animation frame when its version changes. null: none. */
  @property({ attribute: false }) run: RunData | null = null;
  /** The field that colours the liquid. */
  @property({ reflect: true }) field: LiquidField = "do";
  /** Most cells drawn in the point cloud (at full density); clamped to 0..100,000. */
  @property({ type: Number, attribute: false }) maxCells = 20_000;
  /** Seed of the random placement of bubbles and cells (same seed, same picture). */
  @property({ type: Number, attribute: false }) seed = 1;
  /**
   * Zones of a compartment model (docs/model.md §11): the liquid is drawn as `count` slabs,
   * zone 0 at the top, zone z coloured by `values[z]` (the current field's value in that
   * zone) on the field's scale; hovering a zone, or stepping to it with the Z key, shows its
   * state read from the run's zone_<z>_* columns. Set a new object when the values change.
   * null: a well-mixed reactor, one liquid colour.
   */
  @property({ attribute: false }) zones: ReactorZones | null = null;
  /** What colours the cells: viable/dead, or a lifeline property when `lifelineDistributions` holds it (else viable/dead). */
  @property({ attribute: "cell-colouring", reflect: true }) cellColouring: CellColouring = "viable";
  /**
   * The lifeline histograms (docs/model.md §12) the cells can be coloured by, at the time the
   * view shows; each drawn viable cell takes a colour drawn from the chosen histogram (the
   * cloud does not place the real agents). null: the run has no lifelines (the picker hides).
   */
  @property({ attribute: false }) lifelineDistributions: CellDistributions | null = null;
  /**
   * Lifeline agents to draw (a sample, at the end of a run; docs/model.md §12): each drawn cell
   * stands for agent i, kept to its zone's band (needs `.zones` with fractions), and with the
   * stress colouring takes its own internal state's colour. null: cells spread over the liquid.
   */
  @property({ attribute: false }) agents: { timeH: number; zone: Uint8Array; state: Float32Array } | null = null;
  /** Freezes the animation (impellers, bubbles, drips); orbit and zoom still work. */
  @property({ type: Boolean, attribute: false }) animationPaused = false;
  /**
   * A clock for tests, in ms. When set, the animation is a function of clock() alone (time
   * clock()/1000 s, impeller angle from its displayed speed), so a fixed clock gives a fixed
   * picture. null: performance.now() and the animation accumulates frame by frame.
   */
  clock: (() => number) | null = null;
  /** When set, the main-thread cost (ms) of every animation frame (read the run, update, issue the draw) is pushed here. For benchmarks. */
  frameCostLog: number[] | null = null;

  @state() private status: "loading" | "ready" | "no-webgl" | "error" = "loading";
  @state() private errorText = "";
  @state() private scaleText = "";

  private scene: ReactorScene | null = null;
  private canvas: HTMLCanvasElement | null = null;
  private generation = 0;
  private rafId = 0;
  private resizeObserver: ResizeObserver | null = null;
  private readonly snapshot = emptySnapshot();
  private seenRun: RunData | null = null;
  private seenVersion = -1;
  private hoveredProbe: ProbeId | null = null;
  /** The zone under the pointer; null: none. */
  private hoveredZone: number | null = null;
  /** The zone stepped to with the keyboard (Z / Shift+Z); null: none. */
  private focusedZone: number | null = null;
  private pinnedProbe: ProbeId | null = null;
  private pointerPx: [number, number] = [0, 0];
  private readoutsAtMs = Number.NEGATIVE_INFINITY;
  private readoutsPending = false;
  private readyWaiters: ((webgl: boolean) => void)[] = [];
  private static instances = 0;
  private readonly gradientId = `bt-reactor-gradient-${++BtReactorView.instances}`;
  private readonly cellGradientId = `bt-reactor-cell-gradient-${BtReactorView.instances}`;

  /** The colouring in effect and its distribution: the chosen one when the run has it, else viable/dead. */
  private cellDistribution(): { colouring: CellColouring; distribution: LifelineDistribution | null } {
    const c = this.cellColouring;
    const distribution = c !== "viable" ? (this.lifelineDistributions?.[c] ?? null) : null;
    return distribution ? { colouring: c, distribution } : { colouring: "viable", distribution: null };
  }

  render() {
    const spec = LIQUID_FIELDS[this.field] ?? LIQUID_FIELDS.do;
    const webgl = this.status !== "no-webgl" && this.status !== "error";
    const hasLifelines = Object.keys(this.lifelineDistributions ?? {}).length > 0;
    const { colouring: shownColouring, distribution } = this.cellDistribution();
    const cellSpec = CELL_COLOURINGS[shownColouring];
    return html`<div class="bar" role="toolbar" aria-label="3D view controls">
        <label
          >Colour by
          <select aria-label="Field that colours the liquid" @change=${this.onFieldSelect} .value=${this.field}>
            ${LIQUID_FIELD_ORDER.map((f) => html`<option value=${f} ?selected=${f === this.field}>${LIQUID_FIELDS[f].label}</option>`)}
          </select></label
        >
        ${hasLifelines
          ? html`<label
              >Cells
              <select aria-label="What colours the cells" data-control="cell-colouring" @change=${this.onCellColouringSelect} .value=${shownColouring}>
                ${CELL_COLOURING_ORDER.filter((c) => c === "viable" || this.lifelineDistributions?.[c]).map(
                  (c) => html`<option value=${c} ?selected=${c === shownColouring}>${CELL_COLOURINGS[c].label}</option>`,
                )}
              </select></label
            >`
          : null}
        <button type="button" class="reset" @click=${this.resetView} ?hidden=${!webgl}>Reset view</button>
        <button type="button" class="pause" aria-pressed=${this.animationPaused ? "true" : "false"} @click=${this.togglePause} ?hidden=${!webgl}>
          ${this.animationPaused ? "Resume animation" : "Pause animation"}
        </button>
      </div>
      <div class="stage" @pointermove=${this.onPointerMove} @pointerleave=${this.onPointerLeave} @click=${this.onStageClick}>
        <div class="loading" ?hidden=${this.status !== "loading"}>Loading the 3D view…</div>
        <div class="fallback" role="status" ?hidden=${webgl}>${this.status === "error" ? this.errorText : NO_WEBGL_MESSAGE}</div>
        <div class="legend" ?hidden=${!webgl}>
          <div class="legend-title">${spec.label} <span class="unit">[${spec.unit}]</span></div>
          <svg width=${LEGEND_BAR_PX} height="34" role="img" aria-label=${`Colour scale of ${spec.label} from ${spec.min} to ${spec.max} ${spec.unit}`}>
            <defs>
              <linearGradient id=${this.gradientId} x1="0" x2="1" y1="0" y2="0">
                ${spec.stops.map(([offset, color]) => svg`<stop offset=${offset} stop-color=${color}></stop>`)}
              </linearGradient>
            </defs>
            <rect class="bar-fill" x="0" y="6" width=${LEGEND_BAR_PX} height="12" fill=${`url(#${this.gradientId})`}></rect>
            <rect class="frame" x="0" y="6" width=${LEGEND_BAR_PX} height="12"></rect>
            <rect class="zone-range" x="0" y="19" width="0" height="3" visibility="hidden"></rect>
            <path class="marker" d="M0,6 l-5,-6 h10 z" visibility="hidden"></path>
            <text class="min" x="0" y="31">${spec.min}</text>
            <text class="max" x=${LEGEND_BAR_PX} y="31" text-anchor="end">${spec.max}</text>
          </svg>
          <div class="legend-value" aria-live="off"></div>
          ${distribution
            ? html`<div class="cell-legend">
                <div class="legend-title">Cells: ${cellSpec.label} <span class="unit">[${distribution.unit}]</span></div>
                <svg
                  width=${LEGEND_BAR_PX}
                  height="34"
                  role="img"
                  aria-label=${`Colour scale of the cells' ${cellSpec.label} from 0 to ${distribution.upper} ${distribution.unit}`}
                >
                  <defs>
                    <linearGradient id=${this.cellGradientId} x1="0" x2="1" y1="0" y2="0">
                      ${cellSpec.stops.map(([offset, color]) => svg`<stop offset=${offset} stop-color=${color}></stop>`)}
                    </linearGradient>
                  </defs>
                  <rect class="bar-fill" x="0" y="6" width=${LEGEND_BAR_PX} height="12" fill=${`url(#${this.cellGradientId})`}></rect>
                  <rect class="frame" x="0" y="6" width=${LEGEND_BAR_PX} height="12"></rect>
                  <text x="0" y="31">0</text>
                  <text x=${LEGEND_BAR_PX} y="31" text-anchor="end">${Number(distribution.upper.toPrecision(3))}</text>
                </svg>
                <div class="cell-mean">
                  mean ${Number(distribution.mean.toPrecision(3))}${distribution.unit === "–" ? "" : ` ${distribution.unit}`}, day
                  ${Number((distribution.timeH / HOURS_PER_DAY).toFixed(2))}
                </div>
              </div>`
            : null}
        </div>
        <div class="tooltip" role="tooltip" hidden></div>
      </div>
      <p class="caption" ?hidden=${!webgl}>${this.captionText()}<span class="live"></span></p>`;
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.startScene();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopScene();
  }

  protected firstUpdated(): void {
    void this.startScene();
  }

  protected updated(changed: PropertyValues<this>): void {
    const scene = this.scene;
    if (changed.has("field")) {
      if (!isLiquidField(this.field)) this.field = "do";
      scene?.setField(this.field);
      this.updateReadouts(true);
    }
    if (!scene) return;
    if (changed.has("vessel")) {
      scene.setVessel(this.vessel);
      this.scaleText = scene.scaleDescription;
    }
    if (changed.has("seed")) scene.setSeed(this.seed);
    if (changed.has("maxCells")) scene.setMaxCells(this.cellCapacity());
    if (changed.has("run")) this.seenVersion = -1;
    if (changed.has("zones")) {
      scene.setZones(this.zones);
      if (!this.zones) this.setZoneFocus(null, null);
      this.updateReadouts(true);
    }
    if (changed.has("animationPaused")) scene.invalidate();
    if (changed.has("cellColouring") || changed.has("lifelineDistributions") || changed.has("agents") || changed.has("zones")) this.applyCellColours();
  }

  /** Hands the scene the colour table of the chosen lifeline distribution (null: viable/dead). */
  private applyCellColours(): void {
    if (!isCellColouring(this.cellColouring)) this.cellColouring = "viable";
    const { colouring, distribution } = this.cellDistribution();
    const agents = this.drawnAgents();
    if (agents && colouring === "stress") {
      // Each agent in its own colour: its state (0..1) on the stress scale.
      this.scene?.setCellColours(scaleColourTable(CELL_COLOURINGS.stress));
      this.scene?.setAgents(agents.bands, agents.state);
    } else {
      this.scene?.setCellColours(distribution ? cellColourTable(CELL_COLOURINGS[colouring], distribution) : null);
      this.scene?.setAgents(agents?.bands ?? null, null);
    }
  }

  /** The agents to draw and their bands, when the view has agents and the zones' fractions; else null. */
  private drawnAgents(): { bands: Float32Array; state: Float32Array } | null {
    const a = this.agents;
    const fractions = this.zones?.fractions;
    if (!a || !fractions || a.zone.length === 0) return null;
    const cells = this.cellCapacity();
    const state = new Float32Array(cells);
    for (let i = 0; i < cells; i++) state[i] = a.state[i % a.state.length];
    return { bands: agentBands(a.zone, Array.from(fractions), cells), state };
  }

  /** Resolves once the view has settled: true with a 3D scene, false on the WebGL fallback (or an error). */
  whenReady(): Promise<boolean> {
    if (this.status === "ready") return Promise.resolve(true);
    if (this.status === "no-webgl" || this.status === "error") return Promise.resolve(false);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Reads the run and draws one frame at `nowMs` (ms) now, outside the animation loop.
   * For tests and screenshots, with `clock` set to the same time. Returns whether it drew.
   */
  renderFrame(nowMs: number): boolean {
    const scene = this.scene;
    if (!scene) return false;
    this.readRun();
    this.updateReadouts(true);
    scene.invalidate();
    return scene.frame(nowMs, this.animationPaused, this.clock !== null);
  }

  /** What the scene shows (liquid height, colour, cells, bubbles, ...); null without a scene. */
  debugState(): (ReactorDebugState & { field: LiquidField; status: string }) | null {
    return this.scene ? { ...this.scene.debugState(), field: this.field, status: this.status } : null;
  }

  /** Where a probe's tip is drawn, in CSS px from the canvas's top left (for tests); null without a scene. */
  debugProbeScreenPx(id: ProbeId): [number, number] | null {
    return this.scene?.probeScreenPx(id) ?? null;
  }

  /** Where zone z's front at mid-height is drawn, in CSS px from the canvas's top left (for tests); null without zones. */
  debugZoneScreenPx(z: number): [number, number] | null {
    return this.scene?.zoneScreenPx(z) ?? null;
  }

  /** Back to the framed view of the whole vessel. */
  resetView(): void {
    this.scene?.resetView();
  }

  private captionText(): string {
    if (!this.vessel) return "No vessel.";
    const v = this.vessel;
    const size = `T ${formatLength(v.diameterM)} × H ${formatLength(v.heightM)}, ${v.material}`;
    const scale = this.scaleText ? `; ${this.scaleText}` : "";
    const { colouring, distribution } = this.cellDistribution();
    const agents = this.drawnAgents() !== null;
    const cells = agents
      ? ` Cells drawn as lifeline agents in their zones at day ${Number(((this.agents?.timeH ?? 0) / HOURS_PER_DAY).toFixed(2))}${colouring === "stress" ? ", each coloured by its own stress state" : distribution ? `, coloured by ${CELL_COLOURINGS[colouring].label} sampled from the lifeline distribution` : ""}; dead cells stay brown.`
      : distribution
      ? ` Viable cells coloured by ${CELL_COLOURINGS[colouring].label}: colours sampled from the lifeline distribution at day ${Number((distribution.timeH / HOURS_PER_DAY).toFixed(2))}, not the agents' own positions; dead cells stay brown.`
      : "";
    return `${size}, true proportions${scale}. Impellers are drawn turning at 3·(1 − e^(−n/3)) rev/s for a true n rev/s, so large tanks look slow and fast stirring does not strobe.${cells} `;
  }

  private cellCapacity(): number {
    const n = Number.isFinite(this.maxCells) ? Math.floor(this.maxCells) : 0;
    return Math.max(0, Math.min(MAX_CELLS_LIMIT, n));
  }

  private async startScene(): Promise<void> {
    if (this.scene || this.status === "no-webgl") return;
    const generation = ++this.generation;
    const stage = this.renderRoot.querySelector(".stage") as HTMLDivElement | null;
    if (!stage) return;
    let { canvas, context } = createCanvasContext(true);
    // Multisampling costs a software renderer (SwiftShader, llvmpipe) about half its frame rate: without a GPU, draw without it.
    const software = context !== null && isSoftwareRenderer(context);
    if (context && software) {
      loseContext(context);
      ({ canvas, context } = createCanvasContext(false));
    }
    if (!context) {
      this.setStatus("no-webgl");
      return;
    }
    let module: typeof import("../three/reactor-scene");
    try {
      module = await import("../three/reactor-scene");
    } catch (error) {
      loseContext(context);
      if (generation !== this.generation) return;
      this.errorText = `The 3D view could not load (${error instanceof Error ? error.message : String(error)}). The charts keep working.`;
      this.setStatus("error");
      return;
    }
    if (generation !== this.generation || !this.isConnected) {
      loseContext(context);
      return;
    }
    const scene = new module.ReactorScene(canvas, context, {
      seed: this.seed,
      maxCells: this.cellCapacity(),
      // Without a GPU every frame is drawn and composited on the CPU: fewer pixels keep the page responsive.
      pixelRatio: software ? SOFTWARE_PIXEL_RATIO : Math.min(2, window.devicePixelRatio || 1),
    });
    this.scene = scene;
    this.canvas = canvas;
    stage.prepend(canvas);
    canvas.addEventListener("keydown", this.onKeyDown);
    scene.setField(this.field);
    scene.setVessel(this.vessel);
    scene.setZones(this.zones);
    this.applyCellColours();
    this.scaleText = scene.scaleDescription;
    const box = stage.getBoundingClientRect();
    scene.resize(box.width, box.height);
    this.resizeObserver = new ResizeObserver((entries) => {
      const rect = entries[entries.length - 1].contentRect;
      this.scene?.resize(rect.width, rect.height);
    });
    this.resizeObserver.observe(stage);
    this.seenVersion = -1;
    this.readRun();
    this.setStatus("ready");
    let lastDrawMs = -Infinity;
    const minFrameMs = software ? 1000 / SOFTWARE_MAX_FPS : 0;
    const tick = (rafNowMs: number) => {
      this.rafId = requestAnimationFrame(tick);
      // A software renderer draws at most SOFTWARE_MAX_FPS frames a second (tests with a fixed clock draw every frame).
      if (this.clock === null && rafNowMs - lastDrawMs < minFrameMs) return;
      lastDrawMs = rafNowMs;
      const startMs = this.frameCostLog ? performance.now() : 0;
      this.readRun();
      if (this.readoutsPending) this.updateReadouts();
      const absolute = this.clock !== null;
      this.scene?.frame(absolute ? this.clock!() : rafNowMs, this.animationPaused, absolute);
      this.frameCostLog?.push(performance.now() - startMs);
    };
    this.rafId = requestAnimationFrame(tick);
  }

  private stopScene(): void {
    this.generation++;
    cancelAnimationFrame(this.rafId);
    this.rafId = 0;
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.canvas?.removeEventListener("keydown", this.onKeyDown);
    this.scene?.dispose();
    this.scene = null;
    this.canvas?.remove();
    this.canvas = null;
    this.hoveredProbe = null;
    this.pinnedProbe = null;
    this.hoveredZone = null;
    this.focusedZone = null;
    this.seenRun = null;
    if (this.status === "ready") this.status = "loading";
  }

  private setStatus(status: "ready" | "no-webgl" | "error"): void {
    this.status = status;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const resolve of waiters) resolve(status === "ready");
  }

  /** Reads the run's last row into the snapshot when the run or its version changed. Cheap otherwise. */
  private readRun(): void {
    const run = this.run;
    const version = run?.version ?? -1;
    if (run === this.seenRun && version === this.seenVersion) return;
    this.seenRun = run;
    this.seenVersion = version;
    readSnapshot(run, this.snapshot);
    this.scene?.setSnapshot(this.snapshot);
    this.updateReadouts();
  }

  /**
   * Writes the legend marker, the legend value, the live caption and the probe tooltip
   * (direct DOM updates), at most every READOUT_INTERVAL_MS unless `now`; a skipped update
   * is done by a later animation frame.
   */
  private updateReadouts(now = false): void {
    const nowMs = performance.now();
    if (!now && nowMs - this.readoutsAtMs < READOUT_INTERVAL_MS) {
      this.readoutsPending = true;
      return;
    }
    this.readoutsAtMs = nowMs;
    this.readoutsPending = false;
    const root = this.renderRoot;
    const spec = LIQUID_FIELDS[this.field] ?? LIQUID_FIELDS.do;
    const value = this.snapshot.fields[spec.field];
    const marker = root.querySelector(".legend .marker");
    const valueText = root.querySelector(".legend-value");
    const position = scalePosition(spec, value);
    if (marker) {
      marker.setAttribute("visibility", Number.isNaN(position) ? "hidden" : "visible");
      marker.setAttribute("transform", `translate(${Number.isNaN(position) ? 0 : (position * LEGEND_BAR_PX).toFixed(1)},0)`);
    }
    const range = this.zoneRange();
    const rangeBar = root.querySelector(".legend .zone-range");
    if (rangeBar) {
      const lo = range ? scalePosition(spec, range[0]) : Number.NaN;
      const hi = range ? scalePosition(spec, range[1]) : Number.NaN;
      const shown = Number.isFinite(lo) && Number.isFinite(hi);
      rangeBar.setAttribute("visibility", shown ? "visible" : "hidden");
      rangeBar.setAttribute("x", shown ? (lo * LEGEND_BAR_PX).toFixed(1) : "0");
      rangeBar.setAttribute("width", shown ? Math.max(1, (hi - lo) * LEGEND_BAR_PX).toFixed(1) : "0");
    }
    if (valueText) {
      valueText.textContent = range
        ? `${this.zones!.count} zones: ${formatFieldValue(spec, range[0])}–${formatFieldValue(spec, range[1])} ${spec.unit}`
        : Number.isFinite(value)
          ? `now ${formatFieldValue(spec, value)} ${spec.unit}`
          : "no data in this run";
    }
    const live = root.querySelector(".caption .live");
    if (live) {
      const rpm = this.snapshot.agitationRpm;
      const scene = this.scene?.debugState();
      live.textContent = Number.isFinite(rpm)
        ? `Now ${Math.round(rpm)} rpm (${(rpm / S_PER_MIN).toFixed(2)} rev/s true, ${shownRevPerS(rpm).toFixed(2)} rev/s shown)${
            scene ? `, ${scene.drawnCells.toLocaleString("en")} cells drawn` : ""
          }.`
        : "";
    }
    this.updateTooltip();
  }

  private updateTooltip(): void {
    const tooltip = this.renderRoot.querySelector(".tooltip") as HTMLDivElement | null;
    if (!tooltip) return;
    const id = this.pinnedProbe ?? this.hoveredProbe;
    const probe = PROBES.find((p) => p.id === id);
    let anchor = this.pointerPx;
    if (probe) {
      const value = this.snapshot.probes[probe.id];
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = probe.label;
      const text = Number.isFinite(value) ? `${value.toFixed(probe.digits)} ${probe.unit}` : "no reading in this run";
      tooltip.replaceChildren(name, document.createTextNode(`: ${text}`));
      tooltip.dataset.kind = "probe";
      delete tooltip.dataset.zone;
    } else {
      const zone = this.focusedZone ?? this.hoveredZone;
      const lines = zone === null ? null : this.zoneTooltipLines(zone);
      if (!lines) {
        tooltip.hidden = true;
        delete tooltip.dataset.kind;
        delete tooltip.dataset.zone;
        return;
      }
      tooltip.replaceChildren(...lines);
      tooltip.dataset.kind = "zone";
      tooltip.dataset.zone = String(zone);
      if (this.focusedZone !== null) anchor = this.scene?.zoneScreenPx(this.focusedZone) ?? anchor;
    }
    tooltip.hidden = false;
    const stage = this.renderRoot.querySelector(".stage") as HTMLDivElement;
    const maxLeft = stage.clientWidth - tooltip.offsetWidth - 4;
    const left = Math.max(4, Math.min(maxLeft, anchor[0] + 12));
    const top = Math.max(4, anchor[1] - tooltip.offsetHeight - 10);
    tooltip.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }

  /** The read-out of zone z: which zone, how deep, and its DO, pH, pCO2, glucose and lactate (null: no such zone). */
  private zoneTooltipLines(z: number): HTMLElement[] | null {
    const zones = this.zones;
    const bounds = this.scene?.zoneBoundsM(z);
    if (!zones || !bounds || z < 0 || z >= zones.count) return null;
    const line = (className: string, text: string) => {
      const div = document.createElement("div");
      div.className = className;
      div.textContent = text;
      return div;
    };
    const surfaceM = this.scene?.zoneBoundsM(0)?.[0] ?? bounds[0];
    const notes = [z === 0 ? "top" : z === zones.count - 1 ? "bottom" : "", zones.probeZone === z ? "probe zone" : ""].filter((x) => x);
    const lines = [
      line("name", `Zone ${z} of ${zones.count}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`),
      line("where", `${formatDepth(surfaceM - bounds[0])} to ${formatDepth(surfaceM - bounds[1])} below the surface`),
    ];
    const state = readZoneState(this.run, z);
    const rows: [string, number, number, string][] = [
      ["DO", state.doPercent, 1, "% air sat."],
      ["pH", state.ph, 2, ""],
      ["pCO₂", state.pco2MmHg, 0, "mmHg"],
      ["Glucose", state.glucoseMM, 1, "mM"],
      ["Lactate", state.lactateMM, 1, "mM"],
    ];
    const known = rows.filter(([, value]) => Number.isFinite(value));
    for (const [label, value, digits, unit] of known) lines.push(line("value", `${label} ${value.toFixed(digits)}${unit ? ` ${unit}` : ""}`));
    if (known.length === 0) {
      const spec = LIQUID_FIELDS[this.field] ?? LIQUID_FIELDS.do;
      lines.push(line("value", `${spec.label} ${formatFieldValue(spec, zones.values[z] ?? Number.NaN)} ${spec.unit}`));
    }
    return lines;
  }

  /** Lowest and highest finite zone value of the current field; null without zones (or values). */
  private zoneRange(): [number, number] | null {
    const zones = this.zones;
    if (!zones) return null;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let z = 0; z < zones.count; z++) {
      const v = zones.values[z];
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return lo <= hi ? [lo, hi] : null;
  }

  /** Sets the hovered and keyboard-focused zones and lights the one shown. */
  private setZoneFocus(hovered: number | null, focused: number | null): void {
    this.hoveredZone = hovered;
    this.focusedZone = focused;
    this.scene?.highlightZone(focused ?? hovered);
  }

  private onFieldSelect = (event: Event) => {
    const value = (event.target as HTMLSelectElement).value;
    if (!isLiquidField(value) || value === this.field) return;
    this.field = value;
    this.dispatchEvent(new CustomEvent("field-change", { detail: { field: value }, bubbles: true, composed: true }));
  };

  private onCellColouringSelect = (event: Event) => {
    const value = (event.target as HTMLSelectElement).value;
    if (!isCellColouring(value) || value === this.cellColouring) return;
    this.cellColouring = value;
    this.dispatchEvent(new CustomEvent("cell-colouring-change", { detail: { colouring: value }, bubbles: true, composed: true }));
  };

  private togglePause = () => {
    this.animationPaused = !this.animationPaused;
  };

  private onPointerMove = (event: PointerEvent) => {
    const scene = this.scene;
    if (!scene || !this.canvas) return;
    const rect = this.canvas.getBoundingClientRect();
    this.pointerPx = [event.clientX - rect.left, event.clientY - rect.top];
    // While dragging (orbit) the pointer is not hovering anything.
    const probe = event.buttons === 0 ? scene.pick(this.pointerPx[0], this.pointerPx[1]) : null;
    if (probe !== this.hoveredProbe) {
      this.hoveredProbe = probe;
      scene.highlightProbe(this.pinnedProbe ?? probe);
      this.canvas.classList.toggle("over-probe", probe !== null);
    }
    // A probe in front of the liquid wins; the pointer takes over from the keyboard's zone.
    const zone = event.buttons === 0 && probe === null && this.zones ? scene.pickZone(this.pointerPx[0], this.pointerPx[1]) : null;
    if (zone !== this.hoveredZone || this.focusedZone !== null) this.setZoneFocus(zone, null);
    if (this.pinnedProbe === null) this.updateTooltip();
  };

  private onPointerLeave = () => {
    this.hoveredProbe = null;
    if (this.focusedZone === null) this.setZoneFocus(null, null);
    this.scene?.highlightProbe(this.pinnedProbe);
    this.updateTooltip();
  };

  private onStageClick = (event: MouseEvent) => {
    const scene = this.scene;
    if (!scene || !this.canvas || event.target !== this.canvas) return;
    const rect = this.canvas.getBoundingClientRect();
    this.pointerPx = [event.clientX - rect.left, event.clientY - rect.top];
    const probe = scene.pick(this.pointerPx[0], this.pointerPx[1]);
    this.pinnedProbe = probe !== null && probe !== this.pinnedProbe ? probe : null;
    scene.highlightProbe(this.pinnedProbe ?? this.hoveredProbe);
    this.updateTooltip();
  };

  private onKeyDown = (event: KeyboardEvent) => {
    const scene = this.scene;
    if (!scene) return;
    let handled = true;
    switch (event.key) {
      case "ArrowLeft":
        scene.orbitBy(-1, 0);
        break;
      case "ArrowRight":
        scene.orbitBy(1, 0);
        break;
      case "ArrowUp":
        scene.orbitBy(0, -1);
        break;
      case "ArrowDown":
        scene.orbitBy(0, 1);
        break;
      case "+":
      case "=":
        scene.zoomBy(KEY_ZOOM_FACTOR);
        break;
      case "-":
      case "_":
        scene.zoomBy(1 / KEY_ZOOM_FACTOR);
        break;
      case "0":
      case "Home":
        scene.resetView();
        break;
      case "p":
      case "P":
      case " ":
        this.togglePause();
        break;
      case "z":
      case "Z": {
        // Z steps down through the zones (from the top), Shift+Z up; past either end, off.
        const count = this.zones?.count ?? 0;
        if (count === 0) {
          handled = false;
          break;
        }
        const current = this.focusedZone;
        const next = event.shiftKey ? (current === null ? count - 1 : current - 1) : current === null ? 0 : current + 1;
        this.setZoneFocus(null, next >= 0 && next < count ? next : null);
        this.updateTooltip();
        break;
      }
      case "Escape":
        this.pinnedProbe = null;
        scene.highlightProbe(null);
        this.setZoneFocus(null, null);
        this.updateTooltip();
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };
}

/** A focusable canvas for the view and its WebGL 2 context (null: WebGL 2 is unavailable). */
function createCanvasContext(antialias: boolean): { canvas: HTMLCanvasElement; context: WebGL2RenderingContext | null } {
  const canvas = document.createElement("canvas");
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "img");
  canvas.setAttribute(
    "aria-label",
    "3D view of the reactor. Arrow keys turn the view, + and − zoom, 0 resets the view, P pauses the animation; in a tank with zones, Z and Shift+Z step through the zones and read each one out.",
  );
  let context: WebGL2RenderingContext | null = null;
  try {
    context = canvas.getContext("webgl2", { antialias, alpha: false, preserveDrawingBuffer: false, powerPreference: "default" });
  } catch {
    context = null;
  }
  return { canvas, context };
}

/** Whether the context draws in software (no GPU), as far as the browser tells. */
/**
 * What WebGL this browser offers: "hardware" (a GPU), "software" (SwiftShader, llvmpipe:
 * every frame drawn on the CPU) or "none". Makes and drops one small context.
 */
export function webglKind(): "hardware" | "software" | "none" {
  const { context } = createCanvasContext(false);
  if (!context) return "none";
  const kind = isSoftwareRenderer(context) ? "software" : "hardware";
  loseContext(context);
  return kind;
}

function isSoftwareRenderer(context: WebGL2RenderingContext): boolean {
  const info = context.getExtension("WEBGL_debug_renderer_info");
  const name = String(context.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : context.RENDERER));
  return /swiftshader|llvmpipe|softpipe|software/i.test(name);
}

function loseContext(context: WebGL2RenderingContext): void {
  context.getExtension("WEBGL_lose_context")?.loseContext();
}

/** A depth below the surface: cm under 1 m, else m with two decimals. */
function formatDepth(m: number): string {
  const d = Math.max(0, m);
  return d < 1 ? `${Number((d * 100).toFixed(1))} cm` : `${d.toFixed(2)} m`;
}

/** A length in m or cm, whichever reads better. */
function formatLength(m: number): string {
  return m < 1 ? `${Number((m * 100).toFixed(1))} cm` : `${Number(m.toFixed(2))} m`;
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-reactor-view": BtReactorView;
  }
}

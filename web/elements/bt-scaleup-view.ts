// <bt-scaleup-view>: the Scale-up view. Pick a target vessel, a criterion and how many
// zones to split the target into, plan the scale-up of the current CHO scenario (and run
// both scenarios), compare the two vessels figure by figure (with zones, the lowest DO
// anywhere in the tank), read the warnings, overlay the charts of both runs and
// download the scaled scenario. State lives in a ScaleUpModel; this element renders it.
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property } from "lit/decorators.js";
import { ifDefined } from "lit/directives/if-defined.js";
import { VESSEL_PRESET_IDS, VESSEL_PRESETS, type VesselPresetId, type VesselSource } from "../../engine/vessel/presets";
import { CRITERION_LABELS, SCALE_UP_CRITERIA, type ScaleUpCriterion } from "../../engine/vessel/scaleup";
import type { ScaleUpPlan } from "../../engine/vessel/scaleup-plan";
import { downloadFile } from "../model/chart-export";
import { runFigures, volumeLabel, ZONE_CHOICES, type RunFigures, type ScaleUpModel } from "../model/scaleup-model";
import { rebindStore, type StoreController } from "../model/store-controller";
import { sharedStyles } from "./shared-styles";
import "./bt-chart-panel";

/** m/s shown as mm/s in the table (superficial gas velocities are fractions of a mm/s at the bench). */
const MM_PER_M = 1000;

/** A figure: 4 significant digits, thousands separators; "—" when missing, "∞" when unbounded. */
export function formatFigure(x: number): string {
  if (Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  return x.toLocaleString("en", { maximumSignificantDigits: 4 });
}

/** Target over source as "×0.358"; "" when it means nothing (text rows, a zero or missing source). */
function formatRatio(source: number | string, target: number | string): string {
  if (typeof source !== "number" || typeof target !== "number") return "";
  if (!Number.isFinite(source) || !Number.isFinite(target) || source === 0) return "";
  return `×${(target / source).toLocaleString("en", { maximumSignificantDigits: 3 })}`;
}

/** The rows each criterion keeps constant (vvm and vs also keep P/V for the agitation). */
const CRITERION_ROWS: Record<ScaleUpCriterion, readonly string[]> = {
  pv: ["pv"],
  tip: ["tip"],
  kla: ["kla"],
  blend: ["blend"],
  vvm: ["vvm", "pv"],
  vs: ["vs", "pv"],
};

interface Row {
  /** Stable id for tests and highlighting ("pv", "tip", …). */
  key: string;
  label: string;
  unit: string;
  source: number | string;
  target: number | string;
  /** One line on what the figure is (the row's tooltip). */
  help?: string;
}

interface RowGroup {
  title: string;
  rows: Row[];
}

function tableGroups(plan: ScaleUpPlan, runs: { source: RunFigures; target: RunFigures } | null): RowGroup[] {
  const s = plan.source;
  const t = plan.target;
  const both = (f: (side: ScaleUpPlan["source"]) => number | string) => ({ source: f(s), target: f(t) });
  const groups: RowGroup[] = [
    {
      title: "Vessel",
      rows: [
        { key: "vessel", label: "vessel", unit: "", ...both((x) => x.vessel.label) },
        { key: "working-volume", label: "working volume", unit: "L", ...both((x) => x.vessel.workingVolumeL) },
        { key: "diameter", label: "tank diameter T", unit: "m", ...both((x) => x.vessel.diameterM) },
        { key: "height", label: "vessel height H", unit: "m", ...both((x) => x.vessel.heightM) },
        { key: "impeller-diameter", label: "impeller diameter D", unit: "m", ...both((x) => x.vessel.impellerDiameterM) },
        { key: "impellers", label: "impellers", unit: "", ...both((x) => `${x.vessel.impellerCount} × ${x.vessel.impellerType}`) },
        { key: "np", label: "power number Np", unit: "", ...both((x) => x.vessel.powerNumber) },
      ],
    },
    {
      title: `Operating point at the peak oxygen demand (${formatFigure(s.operatingPoint.timeH)} h)`,
      rows: [
        { key: "volume", label: "liquid volume", unit: "L", ...both((x) => x.derived.liquidVolumeL) },
        { key: "liquid-height", label: "liquid height", unit: "m", ...both((x) => x.derived.liquidHeightM) },
        { key: "agitation", label: "agitation", unit: "rpm", ...both((x) => x.derived.agitationRpm) },
        { key: "gas-flow", label: "gas flow", unit: "L/min", ...both((x) => x.derived.gasFlowLPerMin) },
        { key: "power", label: "gassed power", unit: "W", ...both((x) => x.derived.gassedPowerW) },
        { key: "pv", label: "power per volume P/V (gassed)", unit: "W/m³", ...both((x) => x.derived.powerPerVolumeWPerM3) },
        { key: "epsilon", label: "mean energy dissipation ε", unit: "W/kg", ...both((x) => x.derived.epsilonWPerKg) },
        { key: "tip", label: "impeller tip speed", unit: "m/s", ...both((x) => x.derived.tipSpeedMPerS) },
        { key: "re", label: "Reynolds number Re", unit: "", ...both((x) => x.derived.reynolds) },
      ],
    },
    {
      title: "Mixing, shear and gas",
      rows: [
        { key: "kla", label: "kLa (O2)", unit: "1/h", ...both((x) => x.derived.kLaO2PerH) },
        { key: "blend", label: "blend time (95 %)", unit: "s", ...both((x) => x.derived.blendTime95S) },
        { key: "circulation", label: "circulation time", unit: "s", ...both((x) => x.derived.circulationTimeS) },
        { key: "kolmogorov", label: "Kolmogorov length", unit: "µm", help: "the smallest eddies; cells (~15 µm) suffer when eddies approach their size", ...both((x) => x.derived.kolmogorovLengthUm) },
        { key: "vs", label: "superficial gas velocity vs", unit: "mm/s", ...both((x) => x.derived.superficialGasVelocityMPerS * MM_PER_M) },
        { key: "vvm", label: "gas flow per volume", unit: "vvm", ...both((x) => x.derived.vvm) },
        {
          key: "flooding",
          label: "gas flow number / at flooding",
          unit: "",
          help: "the impeller no longer disperses the gas when the first reaches the second",
          ...both((x) => `${formatFigure(x.derived.flowNumber)} / ${formatFigure(x.derived.floodingFlowNumber)}`),
        },
        { key: "pco2-expected", label: "expected pCO2 at the peak", unit: "mmHg", source: plan.expectedPco2MmHg.source, target: plan.expectedPco2MmHg.target },
      ],
    },
  ];
  if (runs) {
    groups.push({
      title: "Runs",
      rows: [
        { key: "peak-vcd", label: "peak viable cell density", unit: "1e6 cells/mL", source: runs.source.peakViableCellsE6PerMl, target: runs.target.peakViableCellsE6PerMl },
        { key: "titer", label: "final titer", unit: "g/L", source: runs.source.finalTiterGPerL, target: runs.target.finalTiterGPerL },
        {
          key: "lowest-do",
          label: "lowest DO (well-mixed)",
          unit: "% air sat.",
          help: "one DO for the whole tank; in a tank split into zones, the volume-weighted mean over the zones",
          source: runs.source.lowestDoPercent,
          target: runs.target.lowestDoPercent,
        },
        ...(Number.isFinite(runs.source.lowestZoneDoPercent) || Number.isFinite(runs.target.lowestZoneDoPercent)
          ? [
              {
                key: "lowest-zone-do",
                label: "lowest DO across zones",
                unit: "% air sat.",
                help: "the lowest DO of any zone at any time: what cells far from the impellers and the sparger see (— for a well-mixed tank)",
                source: runs.source.lowestZoneDoPercent,
                target: runs.target.lowestZoneDoPercent,
              },
            ]
          : []),
        { key: "highest-pco2", label: "highest pCO2", unit: "mmHg", source: runs.source.highestPco2MmHg, target: runs.target.highestPco2MmHg },
      ],
    });
  }
  return groups;
}

function citation(source: VesselSource): TemplateResult {
  const link = source.doi ? `https://doi.org/${source.doi}` : source.url;
  return html`<li>
    ${source.author} (${source.year}). ${link ? html`<a href=${link} rel="noopener noreferrer" target="_blank">${source.title}</a>` : source.title}.
    <span class="muted">${source.about}.</span>
  </li>`;
}

/**
 * @fires open-scenario - "Open the scaled scenario" was pressed: CustomEvent<{ doc: unknown; source: string }>
 *   with plan.targetDoc, for the app to open it in the editor and the main run.
 */
@customElement("bt-scaleup-view")
export class BtScaleupView extends LitElement {
  /** The state of the view; null: nothing to show yet. */
  @property({ attribute: false }) model: ScaleUpModel | null = null;
  /** The current scenario document (the source of the scale-up); null: none. */
  @property({ attribute: false }) scenarioDoc: unknown = null;

  private store: StoreController<ScaleUpModel> | null = null;

  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: 12px;
        align-content: start;
      }
      .panel {
        background: #fff;
        border: 1px solid var(--bt-border, #d5dadd);
        border-radius: 6px;
        padding: 10px 12px;
      }
      h2 {
        font-size: 15px;
        margin: 0 0 4px;
      }
      h3 {
        font-size: 13px;
        margin: 0 0 4px;
      }
      p {
        margin: 0;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 14px;
        align-items: end;
        margin-top: 8px;
      }
      label {
        display: grid;
        gap: 2px;
        font-size: 12px;
        color: var(--bt-muted, #5d6b73);
      }
      select {
        min-width: 16em;
        max-width: 100%;
        padding: 3px 4px;
      }
      select.zones {
        min-width: 10em;
      }
      .buttons {
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
      }
      .status {
        margin-top: 8px;
        font-size: 12px;
        min-height: 1.4em;
      }
      .status.error,
      .error {
        color: var(--bt-error, #b3261e);
      }
      .status.stale {
        color: var(--bt-warn, #8a5a00);
      }
      .message {
        border-left: 4px solid var(--bt-accent, #0b6e99);
      }
      .warnings {
        background: #fff8e6;
        border: 1px solid #e8c66a;
        border-left: 4px solid var(--bt-warn, #8a5a00);
        border-radius: 6px;
        padding: 8px 12px;
        font-size: 13px;
      }
      .warnings h3 {
        color: var(--bt-warn, #8a5a00);
      }
      .warnings ul {
        margin: 0;
        padding-left: 18px;
      }
      .warnings li + li {
        margin-top: 2px;
      }
      .topic {
        font-weight: 600;
      }
      .table-wrap {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 13px;
      }
      caption {
        text-align: left;
        font-size: 12px;
        color: var(--bt-muted, #5d6b73);
        padding-bottom: 6px;
        caption-side: top;
      }
      th,
      td {
        padding: 3px 8px;
        border-bottom: 1px solid #eceff1;
        vertical-align: baseline;
      }
      thead th {
        font-size: 12px;
        color: var(--bt-muted, #5d6b73);
        font-weight: 600;
        border-bottom: 1px solid var(--bt-border, #d5dadd);
        text-align: right;
        white-space: nowrap;
      }
      thead th:first-child,
      thead th.unit {
        text-align: left;
      }
      tbody th {
        text-align: left;
        font-weight: normal;
      }
      tr.group th {
        padding-top: 10px;
        font-weight: 600;
        font-size: 12px;
        color: var(--bt-accent, #0b6e99);
        border-bottom: 1px solid var(--bt-border, #d5dadd);
      }
      td.unit {
        color: var(--bt-muted, #5d6b73);
        font-size: 12px;
        white-space: nowrap;
      }
      td.value,
      td.ratio {
        text-align: right;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      td.ratio {
        color: var(--bt-muted, #5d6b73);
        font-size: 12px;
      }
      td.text {
        white-space: normal;
      }
      tr.criterion {
        background: #e7f3f9;
      }
      tr.criterion th {
        font-weight: 600;
        box-shadow: inset 3px 0 0 var(--bt-accent, #0b6e99);
      }
      .badge {
        display: inline-block;
        margin-left: 6px;
        padding: 0 5px;
        border-radius: 3px;
        font-size: 10px;
        font-weight: 600;
        color: #fff;
        background: var(--bt-accent, #0b6e99);
        vertical-align: 1px;
      }
      .note,
      .sources {
        font-size: 11px;
        color: var(--bt-muted, #5d6b73);
        margin-top: 8px;
      }
      .sources ul {
        margin: 2px 0 0;
        padding-left: 16px;
      }
      .sources a {
        color: inherit;
      }
      .chart-note {
        margin: 0 0 8px;
      }
      .legend {
        display: flex;
        gap: 16px;
        font-size: 12px;
        color: var(--bt-muted, #5d6b73);
        margin-bottom: 2px;
      }
      .sample {
        display: inline-block;
        width: 22px;
        margin-right: 5px;
        vertical-align: middle;
        border-top: 2px solid #5d6b73;
      }
      .sample.dashed {
        border-top-style: dashed;
      }
    `,
  ];

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("model")) this.store = rebindStore(this, this.store, this.model);
  }

  render() {
    const m = this.model;
    if (!m) return nothing;
    const fit = m.fit(this.scenarioDoc);
    if (fit !== "cho") {
      return html`<section class="panel message" role="status" data-testid="scaleup-unavailable">
        <h2>Scale-up</h2>
        <p>
          ${fit === "not-cho"
            ? "Scale-up needs a CHO scenario: the microbial model has no agitation or gas flow to scale. Open a CHO scenario (for example the CHO antibody fed-batch) to plan its scale-up."
            : "The scenario has problems; fix them in the editor, then plan its scale-up here."}
        </p>
      </section>`;
    }
    const plan = m.plan;
    const runs = m.source && m.target ? { source: runFigures(m.source), target: runFigures(m.target) } : null;
    return html`
      ${this.renderControls(m)}
      ${plan ? this.renderPlan(m, plan, runs) : nothing}
      ${plan && m.source && m.target
        ? html`<section class="panel" aria-label="Charts of both runs">
            <h3>Both runs</h3>
            <div class="legend">
              <span><span class="sample"></span>${m.target.label}: solid</span>
              <span><span class="sample dashed"></span>${m.source.label}: dashed</span>
            </div>
            <p class="note chart-note">
              Concentrations, DO, pH and pCO2 compare directly; volume, flows, agitation and power are absolute and differ by the scale.
            </p>
            <bt-chart-panel model="cho" .run=${m.target} .pinned=${m.source}></bt-chart-panel>
          </section>`
        : nothing}
    `;
  }

  private renderControls(m: ScaleUpModel): TemplateResult {
    const stale = m.isStale(this.scenarioDoc) && !m.busy;
    const statusClass = m.error ? "error" : stale ? "stale" : "";
    const status = m.busy
      ? m.activity
      : m.error
        ? m.error
        : stale
          ? "The scenario, vessel, criterion or zones changed since this plan: press Plan to update it."
          : m.notice || "Choose a target vessel and a criterion, then plan.";
    return html`<section class="panel" aria-label="Scale-up">
      <h2>Scale-up</h2>
      <p class="small muted">
        Maps the scenario's operating point at its peak oxygen demand to a larger vessel, keeping one quantity constant; volumes, feeds, pumps and
        heating scale with the working volume.
      </p>
      <div class="controls">
        <label>
          Target vessel
          <select data-control="preset" ?disabled=${m.busy} @change=${this.onPreset}>
            ${VESSEL_PRESET_IDS.map(
              (id) => html`<option value=${id} ?selected=${id === m.presetId}>
                ${VESSEL_PRESETS[id].label} (${volumeLabel(VESSEL_PRESETS[id].workingVolumeL)} working)
              </option>`,
            )}
          </select>
        </label>
        <label>
          Keep constant
          <select data-control="criterion" ?disabled=${m.busy} @change=${this.onCriterion}>
            ${SCALE_UP_CRITERIA.map((c) => html`<option value=${c} ?selected=${c === m.criterion}>${CRITERION_LABELS[c]}</option>`)}
          </select>
        </label>
        <label title="Split the target tank into vertical zones to see its gradients (docs/model.md §11)">
          Zones in the target
          <select class="zones" data-control="zones" ?disabled=${m.busy} @change=${this.onZones}>
            ${ZONE_CHOICES.map(
              (n) => html`<option value=${n === null ? "none" : String(n)} ?selected=${n === m.zones}>${n === null ? "none (well mixed)" : `${n} zones`}</option>`,
            )}
          </select>
        </label>
        <div class="buttons">
          <button data-action="plan" ?disabled=${m.busy} @click=${() => void m.planOnly(this.scenarioDoc)}>Plan</button>
          <button class="primary" data-action="plan-and-run" ?disabled=${m.busy} @click=${() => void m.run(this.scenarioDoc)}>Plan and run both</button>
          <button data-action="download" ?disabled=${!m.plan || m.busy} @click=${this.download} title="The scaled scenario as a JSON file">
            Download the scaled scenario
          </button>
          <button data-action="open" ?disabled=${!m.plan || m.busy} @click=${this.openScaled} title="Open the scaled scenario in the app">
            Open the scaled scenario
          </button>
        </div>
      </div>
      <p class="status ${statusClass}" role="status" aria-live="polite" data-testid="scaleup-status">${status}</p>
    </section>`;
  }

  private renderPlan(m: ScaleUpModel, plan: ScaleUpPlan, runs: { source: RunFigures; target: RunFigures } | null): TemplateResult {
    const highlighted = new Set(CRITERION_ROWS[plan.criterion]);
    const groups = tableGroups(plan, runs);
    const sourcesOf = (presetId: string | null) => (presetId && presetId in VESSEL_PRESETS ? VESSEL_PRESETS[presetId as VesselPresetId] : null);
    const presets = [sourcesOf(plan.source.vessel.presetId), sourcesOf(plan.target.vessel.presetId)].filter((p, i, all) => p !== null && all.indexOf(p) === i);
    const failed = [m.sourceOutcome, m.targetOutcome].filter((o) => o?.status === "failed");
    return html`
      ${plan.warnings.length > 0
        ? html`<section class="warnings" role="alert" aria-label="Scale-up warnings" data-testid="scaleup-warnings">
            <h3>${plan.warnings.length === 1 ? "1 warning" : `${plan.warnings.length} warnings`} for the ${plan.target.vessel.label}</h3>
            <ul>
              ${plan.warnings.map((w) => html`<li data-topic=${w.topic}>${w.message}</li>`)}
            </ul>
          </section>`
        : nothing}
      ${failed.length > 0
        ? html`<p class="panel error" role="alert">${failed.map((o) => o!.message).join(" ")}</p>`
        : nothing}
      <section class="panel" aria-label="Source and target side by side">
        <div class="table-wrap">
          <table data-testid="scaleup-table">
            <caption>
              ${plan.criterionLabel[0].toUpperCase()}${plan.criterionLabel.slice(1)}; volume ×${formatFigure(plan.volumeFactor)}. Peak oxygen uptake
              ${formatFigure(plan.demand.peakOurMmolPerLPerH)} mmol/L/h needs kLa ≥ ${formatFigure(plan.requiredKLaPerH)} 1/h.
            </caption>
            <thead>
              <tr>
                <th scope="col">figure</th>
                <th scope="col" class="unit">unit</th>
                <th scope="col">source</th>
                <th scope="col">target</th>
                <th scope="col" title="target ÷ source">ratio</th>
              </tr>
            </thead>
            ${groups.map(
              (group) => html`<tbody>
                <tr class="group"><th scope="colgroup" colspan="5">${group.title}</th></tr>
                ${group.rows.map((row) => {
                  const kept = highlighted.has(row.key);
                  const text = typeof row.source === "string";
                  return html`<tr data-row=${row.key} class=${kept ? "criterion" : ""} title=${ifDefined(row.help)}>
                    <th scope="row">${row.label}${kept ? html`<span class="badge">kept constant</span>` : nothing}</th>
                    <td class="unit">${row.unit}</td>
                    <td class="value ${text ? "text" : ""}" data-side="source">${typeof row.source === "number" ? formatFigure(row.source) : row.source}</td>
                    <td class="value ${text ? "text" : ""}" data-side="target">${typeof row.target === "number" ? formatFigure(row.target) : row.target}</td>
                    <td class="ratio">${formatRatio(row.source, row.target)}</td>
                  </tr>`;
                })}
              </tbody>`,
            )}
          </table>
        </div>
        <p class="note">
          Lowest DO (well-mixed) is one DO for the whole tank, the volume-weighted mean when the tank is split into zones; choose zones in the
          target to see the lowest DO anywhere in it.${runs ? nothing : " Press “Plan and run both” to add the runs’ figures and charts."}
        </p>
        ${presets.map(
          (p) => html`<div class="sources" data-testid="preset-sources">
            Dimensions of the ${p!.label}:
            <ul>
              ${p!.sources.map(citation)}
            </ul>
          </div>`,
        )}
      </section>
    `;
  }

  private onPreset = (e: Event) => {
    const m = this.model;
    if (!m) return;
    m.setPreset((e.target as HTMLSelectElement).value as VesselPresetId);
    this.replan(m);
  };

  private onZones = (e: Event) => {
    const m = this.model;
    if (!m) return;
    const value = (e.target as HTMLSelectElement).value;
    m.setZones(value === "none" ? null : Number(value));
    this.replan(m);
  };

  private onCriterion = (e: Event) => {
    const m = this.model;
    if (!m) return;
    m.setCriterion((e.target as HTMLSelectElement).value as ScaleUpCriterion);
    this.replan(m);
  };

  /** With a plan on show, a new choice re-plans it at once (and re-runs both if they had run). */
  private replan(m: ScaleUpModel): void {
    if (!m.plan) return;
    void m.run(this.scenarioDoc, { runTarget: m.target !== null });
  }

  private download = () => {
    const file = this.model?.scaledScenarioFile();
    if (file) downloadFile(file);
  };

  private openScaled = () => {
    const plan = this.model?.plan;
    if (!plan) return;
    this.dispatchEvent(
      new CustomEvent("open-scenario", {
        detail: { doc: structuredClone(plan.targetDoc), source: `scale-up to the ${plan.target.vessel.label} (${plan.criterion})` },
        bubbles: true,
        composed: true,
      }),
    );
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-scaleup-view": BtScaleupView;
  }
}

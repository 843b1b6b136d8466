// <bt-study-builder>: writes a study (docs/studies.md) as a form: the kind (sweep,
// Monte Carlo, Morris, Sobol), the scenario fields it varies (each with its unit and
// kind-specific range or distribution), the sample size, the outputs, the seed. Every
// change is sent up as `study-change` with the whole new draft; the engine's problems
// (from parseStudy) come back in `problems` and show beside the form.
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { ScenarioProblem } from "../../engine/scenario";
import { OUTPUT_IDS } from "../../engine/study/spec";
import { COLUMN_INFO, OUTPUT_INFO } from "../model/study-labels";
import { parseNumberText } from "../model/schema-form";
import { sweepParameterFor, type StudyField } from "../model/study-model";
import { sharedStyles } from "./shared-styles";

type Kind = "sweep" | "monte-carlo" | "morris" | "sobol";
type Doc = Record<string, unknown>;
type Param = Record<string, unknown>;
type ParamList = "parameters" | "replicates";

export const KIND_LABELS: Readonly<Record<Kind, string>> = {
  sweep: "Sweep (grid)",
  "monte-carlo": "Monte Carlo",
  morris: "Morris screening",
  sobol: "Sobol indices",
};

const DISTRIBUTIONS = ["normal", "log-normal", "uniform", "triangular"] as const;

/** The numeric inputs each parameter has, by kind (and distribution). */
function parameterInputs(kind: Kind, p: Param): { key: string; label: string; integer?: boolean }[] {
  switch (kind) {
    case "sweep":
      return [
        { key: "from", label: "from" },
        { key: "to", label: "to" },
        { key: "points", label: "points", integer: true },
      ];
    case "monte-carlo":
      switch (p.distribution) {
        case "log-normal":
          return [
            { key: "meanLog", label: "mean of ln" },
            { key: "sdLog", label: "sd of ln" },
          ];
        case "uniform":
          return [
            { key: "min", label: "min" },
            { key: "max", label: "max" },
          ];
        case "triangular":
          return [
            { key: "min", label: "min" },
            { key: "mode", label: "mode" },
            { key: "max", label: "max" },
          ];
        default:
          return [
            { key: "mean", label: "mean" },
            { key: "sd", label: "sd" },
          ];
      }
    default:
      return [
        { key: "min", label: "min" },
        { key: "max", label: "max" },
      ];
  }
}

/** A parameter of `kind` for `field`, keeping what `old` had that still applies. */
export function parameterFor(kind: Kind, field: StudyField, old?: Param): Param {
  const sweep = sweepParameterFor(field);
  const lo = sweep.from as number;
  const hi = sweep.to as number;
  const v = field.value ?? (lo + hi) / 2;
  switch (kind) {
    case "sweep":
      return old && typeof old.from === "number" ? { path: field.path, grid: old.grid ?? "linear", from: old.from, to: old.to, points: old.points ?? 5 } : sweep;
    case "monte-carlo":
      return { path: field.path, distribution: "normal", mean: v, sd: Number((Math.abs(v) * 0.1 || 0.1).toPrecision(3)) };
    default:
      return { path: field.path, min: lo, max: hi };
  }
}

/** A number input's text as a number: "" and non-numbers stay as text so the engine names the problem. */
function numberOrText(text: string): unknown {
  const x = parseNumberText(text.replace(",", "."));
  return x === undefined || !Number.isNaN(x) ? x : text;
}

@customElement("bt-study-builder")
export class BtStudyBuilder extends LitElement {
  @property({ attribute: false }) draft: unknown = null;
  @property({ attribute: false }) problems: ScenarioProblem[] = [];
  @property({ attribute: false }) fields: StudyField[] = [];
  @property({ type: Number }) runCount = 0;
  @property({ type: Boolean }) disabled = false;

  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: 10px;
        font-size: 13px;
      }
      fieldset {
        border: 1px solid var(--bt-border);
        border-radius: 6px;
        padding: 8px 10px;
        margin: 0;
        display: grid;
        gap: 6px;
        min-width: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 4px;
      }
      .row {
        display: flex;
        gap: 6px;
        align-items: end;
        flex-wrap: wrap;
      }
      .param {
        border-bottom: 1px dashed var(--bt-border);
        padding-bottom: 6px;
      }
      label {
        display: grid;
        gap: 2px;
        font-size: 12px;
      }
      label.check {
        display: flex;
        gap: 6px;
        align-items: center;
        font-size: 13px;
      }
      input[type="number"],
      input[type="text"] {
        width: 7.5em;
      }
      select.path {
        max-width: 100%;
        min-width: 14em;
      }
      .outputs {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(230px, 1fr));
        gap: 2px 12px;
      }
      .problems {
        margin: 0;
        padding-left: 18px;
        color: var(--bt-error, #a4262c);
        font-size: 12px;
      }
      .problems code {
        font-family: var(--bt-mono);
      }
      .count {
        font-weight: 600;
      }
    `,
  ];

  private get doc(): Doc {
    return this.draft && typeof this.draft === "object" && !Array.isArray(this.draft) ? (this.draft as Doc) : {};
  }

  private get kind(): Kind {
    const k = this.doc.kind;
    return k === "monte-carlo" || k === "morris" || k === "sobol" ? k : "sweep";
  }

  private get params(): Param[] {
    return Array.isArray(this.doc.parameters) ? (this.doc.parameters as Param[]) : [];
  }

  private emit(doc: Doc) {
    this.dispatchEvent(new CustomEvent("study-change", { detail: { draft: doc }, bubbles: true, composed: true }));
  }

  private set(key: string, value: unknown) {
    const doc = { ...this.doc };
    if (value === undefined) delete doc[key];
    else doc[key] = value;
    this.emit(doc);
  }

  private field(path: unknown): StudyField {
    return this.fields.find((f) => f.path === path) ?? { path: String(path ?? ""), label: String(path ?? "") };
  }

  private setKind(kind: Kind) {
    const { samples: _s, trajectories: _t, levels: _l, baseSamples: _b, bootstrap: _bo, ...rest } = this.doc;
    const doc: Doc = { ...rest, kind, parameters: this.params.map((p) => parameterFor(kind, this.field(p.path), p)) };
    if (kind !== "sweep") delete doc.replicates;
    // A Morris study's `trajectories` is its count r: columns kept over time do not apply.
    if (this.kind !== "morris" && this.doc.trajectories !== undefined && kind !== "morris") doc.trajectories = this.doc.trajectories;
    if (kind === "monte-carlo") doc.samples = 200;
    if (kind === "morris") Object.assign(doc, { trajectories: 20, levels: 4 });
    if (kind === "sobol") Object.assign(doc, { baseSamples: 128, bootstrap: 200 });
    this.emit(doc);
  }

  private get replicates(): Doc | undefined {
    const r = this.doc.replicates;
    return r && typeof r === "object" && !Array.isArray(r) ? (r as Doc) : undefined;
  }

  private get replicateParams(): Param[] {
    const r = this.replicates;
    return r && Array.isArray(r.parameters) ? (r.parameters as Param[]) : [];
  }

  /** Sets parameter `i` of the study (`where` "parameters") or of the sweep's replicates; null removes it. */
  private setParam(i: number, p: Param | null, where: ParamList = "parameters") {
    const params = (where === "parameters" ? this.params : this.replicateParams).slice();
    if (p === null) params.splice(i, 1);
    else params[i] = p;
    if (where === "parameters") this.set("parameters", params);
    else this.set("replicates", params.length ? { ...this.replicates, parameters: params } : undefined);
  }

  /** A field no parameter uses yet; `prefix` first (cell parameters for batch-to-batch variability). */
  private unusedField(prefix = ""): StudyField | undefined {
    const used = new Set([...this.params, ...this.replicateParams].map((p) => p.path));
    const free = this.fields.filter((f) => !used.has(f.path));
    return free.find((f) => f.path.startsWith(prefix)) ?? free[0];
  }

  private addParam() {
    const field = this.unusedField();
    if (field) this.set("parameters", [...this.params, parameterFor(this.kind, field)]);
  }

  private addReplicateParam() {
    const field = this.unusedField("cells.");
    if (field) this.set("replicates", { samples: this.replicates?.samples ?? 10, parameters: [...this.replicateParams, parameterFor("monte-carlo", field)] });
  }

  private outputs(): unknown[] {
    return Array.isArray(this.doc.outputs) ? (this.doc.outputs as unknown[]) : [];
  }

  private toggleOutput(id: string, on: boolean) {
    const outs = this.outputs().filter((o) => o !== id);
    if (on) outs.push(id);
    this.set("outputs", outs);
  }

  private problemAt(prefix: string): ScenarioProblem[] {
    return this.problems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`));
  }

  private renderParam(p: Param, i: number, kind: Kind = this.kind, where: ParamList = "parameters") {
    const f = this.field(p.path);
    const unit = f.unit ? ` ${f.unit}` : "";
    const problems = this.problemAt(where === "parameters" ? `parameters.${i}` : `replicates.parameters.${i}`);
    return html`<div class="param" data-param=${where === "parameters" ? i : `r${i}`}>
      <div class="row">
        <label
          >Field
          <select
            class="path"
            aria-label=${`Parameter ${i + 1}`}
            ?disabled=${this.disabled}
            @change=${(e: Event) => this.setParam(i, parameterFor(kind, this.field((e.target as HTMLSelectElement).value)), where)}
          >
            ${this.fields.some((x) => x.path === p.path) ? nothing : html`<option value=${String(p.path ?? "")} selected>${String(p.path ?? "(none)")}</option>`}
            ${this.fields.map((x) => html`<option value=${x.path} ?selected=${x.path === p.path}>${x.path}${x.unit ? ` [${x.unit}]` : ""}</option>`)}
          </select>
        </label>
        ${kind === "sweep"
          ? html`<label
              >grid
              <select ?disabled=${this.disabled} @change=${(e: Event) => this.setParam(i, { ...p, grid: (e.target as HTMLSelectElement).value }, where)}>
                <option value="linear" ?selected=${p.grid !== "log"}>linear</option>
                <option value="log" ?selected=${p.grid === "log"}>log</option>
              </select></label
            >`
          : nothing}
        ${kind === "monte-carlo"
          ? html`<label
              >distribution
              <select
                ?disabled=${this.disabled}
                @change=${(e: Event) => {
                  const d = (e.target as HTMLSelectElement).value;
                  const base = parameterFor("monte-carlo", f);
                  const mean = Number(base.mean);
                  const sd = Number(base.sd);
                  const next: Param =
                    d === "log-normal"
                      ? { path: p.path, distribution: d, meanLog: Number(Math.log(Math.max(mean, 1e-12)).toPrecision(4)), sdLog: 0.1 }
                      : d === "uniform"
                      ? { path: p.path, distribution: d, min: Number((mean - 2 * sd).toPrecision(3)), max: Number((mean + 2 * sd).toPrecision(3)) }
                      : d === "triangular"
                      ? { path: p.path, distribution: d, min: Number((mean - 2 * sd).toPrecision(3)), mode: mean, max: Number((mean + 2 * sd).toPrecision(3)) }
                      : base;
                  this.setParam(i, next, where);
                }}
              >
                ${DISTRIBUTIONS.map((d) => html`<option value=${d} ?selected=${p.distribution === d}>${d}</option>`)}
              </select></label
            >`
          : nothing}
        ${parameterInputs(kind, p).map(
          (input) => html`<label
            >${input.label}${input.key === "points" || input.key === "sdLog" || input.key === "meanLog" ? "" : unit}
            <input
              type="text"
              inputmode="decimal"
              data-key=${input.key}
              aria-label=${`${input.label} of ${String(p.path)}`}
              ?disabled=${this.disabled}
              .value=${p[input.key] === undefined ? "" : String(p[input.key])}
              @change=${(e: Event) => this.setParam(i, { ...p, [input.key]: numberOrText((e.target as HTMLInputElement).value) }, where)}
          /></label>`,
        )}
        <button aria-label=${`Remove ${String(p.path)}`} title="Remove this parameter" ?disabled=${this.disabled} @click=${() => this.setParam(i, null, where)}>✕</button>
      </div>
      ${f.value !== undefined ? html`<div class="muted small">${f.label}: now ${f.value}${unit}</div>` : nothing}
      ${problems.length ? html`<ul class="problems">${problems.map((q) => html`<li><code>${q.path}</code>: ${q.message}</li>`)}</ul>` : nothing}
    </div>`;
  }

  private renderSize() {
    const kind = this.kind;
    const d = this.params.length;
    const num = (key: string, label: string, help: string) => html`<label title=${help}
      >${label}
      <input
        type="text"
        inputmode="numeric"
        data-key=${key}
        ?disabled=${this.disabled}
        .value=${this.doc[key] === undefined ? "" : String(this.doc[key])}
        @change=${(e: Event) => this.set(key, numberOrText((e.target as HTMLInputElement).value))}
    /></label>`;
    const sizes: Record<Kind, unknown> = {
      sweep: html`<span class="muted">Runs: the product of the points of each parameter.</span>`,
      "monte-carlo": num("samples", "samples", "Number of runs, each with parameter values drawn from their distributions and its own seed"),
      morris: html`${num("trajectories", "trajectories r", "Each trajectory is d + 1 runs, moving one parameter at a time")}${num("levels", "levels p (even)", "Grid levels of each parameter")}
        <span class="muted">r (d + 1) = ${this.doc.trajectories ?? "r"} × ${d + 1} runs</span>`,
      sobol: html`${num("baseSamples", "base samples N", "Saltelli design: N (d + 2) runs")}${num("bootstrap", "bootstrap", "Resamples for the 95 % confidence intervals")}
        <span class="muted">N (d + 2) = ${this.doc.baseSamples ?? "N"} × ${d + 2} runs</span>`,
    };
    return html`<div class="row">${sizes[kind]}${num("seed", "seed", "The study seed: each run's random numbers come from (seed, run index)")}</div>`;
  }

  private renderOutputs() {
    const outs = this.outputs();
    const custom = outs.filter((o) => typeof o !== "string") as Doc[];
    const band = custom.find((o) => o.kpi === "timeOutsidePh");
    const values = custom.filter((o) => o.kpi === "value");
    const setCustom = (next: Doc[]) => this.set("outputs", [...outs.filter((o) => typeof o === "string"), ...next]);
    return html`<div class="outputs">
        ${OUTPUT_IDS.map(
          (id) => html`<label class="check"
            ><input type="checkbox" data-output=${id} ?disabled=${this.disabled} .checked=${outs.includes(id)} @change=${(e: Event) => this.toggleOutput(id, (e.target as HTMLInputElement).checked)} />
            ${OUTPUT_INFO[id].label} <span class="muted">[${OUTPUT_INFO[id].unit}]</span></label
          >`,
        )}
      </div>
      <div class="row">
        <label class="check"
          ><input
            type="checkbox"
            data-output="timeOutsidePh"
            ?disabled=${this.disabled}
            .checked=${band !== undefined}
            @change=${(e: Event) => setCustom((e.target as HTMLInputElement).checked ? [...custom, { kpi: "timeOutsidePh", low: 6.8, high: 7.2 }] : custom.filter((o) => o !== band))}
          />
          Hours with pH outside</label
        >
        ${band
          ? html`<input type="text" aria-label="pH band low" .value=${String(band.low)} @change=${(e: Event) => setCustom(custom.map((o) => (o === band ? { ...o, low: numberOrText((e.target as HTMLInputElement).value) } : o)))} />
              –
              <input type="text" aria-label="pH band high" .value=${String(band.high)} @change=${(e: Event) => setCustom(custom.map((o) => (o === band ? { ...o, high: numberOrText((e.target as HTMLInputElement).value) } : o)))} />`
          : nothing}
      </div>
      ${values.map(
        (v) => html`<div class="row">
          <label
            >column
            <select @change=${(e: Event) => setCustom(custom.map((o) => (o === v ? { ...o, column: (e.target as HTMLSelectElement).value } : o)))}>
              ${Object.entries(COLUMN_INFO).map(([c, info]) => html`<option value=${c} ?selected=${v.column === c}>${info.label} [${info.unit}]</option>`)}
            </select></label
          >
          <label
            >at h
            <input type="text" .value=${String(v.atH)} @change=${(e: Event) => setCustom(custom.map((o) => (o === v ? { ...o, atH: numberOrText((e.target as HTMLInputElement).value) } : o)))}
          /></label>
          <button aria-label="Remove this output" @click=${() => setCustom(custom.filter((o) => o !== v))}>✕</button>
        </div>`,
      )}
      <div class="row">
        <button data-action="add-value" ?disabled=${this.disabled} @click=${() => setCustom([...custom, { kpi: "value", column: "titer", atH: 168 }])}>+ Value of a column at a time</button>
      </div>
      ${this.problemAt("outputs").length ? html`<ul class="problems">${this.problemAt("outputs").map((q) => html`<li><code>${q.path}</code>: ${q.message}</li>`)}</ul>` : nothing}`;
  }

  /** Columns kept over time (not for Morris, whose `trajectories` is its count r). */
  private renderTrajectories() {
    const t = this.doc.trajectories && typeof this.doc.trajectories === "object" ? (this.doc.trajectories as Doc) : undefined;
    const columns = Array.isArray(t?.columns) ? (t!.columns as string[]) : [];
    const setColumns = (next: string[]) => this.set("trajectories", next.length ? { columns: next, everyH: t?.everyH ?? 24 } : undefined);
    return html`<div class="outputs">
        ${Object.entries(COLUMN_INFO).map(
          ([c, info]) => html`<label class="check"
            ><input type="checkbox" data-trajectory=${c} ?disabled=${this.disabled} .checked=${columns.includes(c)} @change=${(e: Event) => setColumns((e.target as HTMLInputElement).checked ? [...columns, c] : columns.filter((x) => x !== c))} />
            ${info.label} <span class="muted">[${info.unit}]</span></label
          >`,
        )}
      </div>
      ${t
        ? html`<div class="row">
            <label
              >every h
              <input type="text" data-key="everyH" ?disabled=${this.disabled} .value=${String(t.everyH ?? "")} @change=${(e: Event) => this.set("trajectories", { ...t, everyH: numberOrText((e.target as HTMLInputElement).value) })}
            /></label>
            <span class="muted small">Kept at 0, every h, 2 × every h … of each run: the results show percentile bands over time.</span>
          </div>`
        : html`<span class="muted small">Tick columns to keep them over time (percentile bands in the results).</span>`}
      ${this.problemAt("trajectories").length ? html`<ul class="problems">${this.problemAt("trajectories").map((q) => html`<li><code>${q.path}</code>: ${q.message}</li>`)}</ul>` : nothing}`;
  }

  /** Bounds on outputs: the results give the fraction of runs in specification. */
  private renderSpecification() {
    const spec = Array.isArray(this.doc.specification) ? (this.doc.specification as Doc[]) : [];
    const names = this.outputs().map((o) => (typeof o === "string" ? o : null)).filter((o): o is string => o !== null);
    const setSpec = (next: Doc[]) => this.set("specification", next.length ? next : undefined);
    const bound = (c: Doc, key: "min" | "max") => html`<label
      >${key === "min" ? "at least" : "at most"}
      <input
        type="text"
        data-key=${key}
        aria-label=${`${key} of ${String(c.output)}`}
        ?disabled=${this.disabled}
        .value=${c[key] === undefined ? "" : String(c[key])}
        @change=${(e: Event) => {
          const v = numberOrText((e.target as HTMLInputElement).value);
          const { [key]: _old, ...rest } = c;
          setSpec(spec.map((x) => (x === c ? (v === undefined ? rest : { ...rest, [key]: v }) : x)));
        }}
    /></label>`;
    return html`${spec.map(
        (c) => html`<div class="row" data-criterion>
          <label
            >output
            <select ?disabled=${this.disabled} @change=${(e: Event) => setSpec(spec.map((x) => (x === c ? { ...x, output: (e.target as HTMLSelectElement).value } : x)))}>
              ${names.includes(String(c.output)) ? nothing : html`<option selected>${String(c.output)}</option>`}
              ${names.map((n) => html`<option value=${n} ?selected=${n === c.output}>${n in OUTPUT_INFO ? `${OUTPUT_INFO[n as keyof typeof OUTPUT_INFO].label} [${OUTPUT_INFO[n as keyof typeof OUTPUT_INFO].unit}]` : n}</option>`)}
            </select></label
          >
          ${bound(c, "min")} ${bound(c, "max")}
          <button aria-label="Remove this criterion" ?disabled=${this.disabled} @click=${() => setSpec(spec.filter((x) => x !== c))}>✕</button>
        </div>`,
      )}
      <div class="row">
        <button data-action="add-criterion" ?disabled=${this.disabled || names.length === 0} @click=${() => setSpec([...spec, { output: names[0], min: 0 }])}>+ A bound on an output</button>
        <span class="muted small">A run is in specification when it meets every bound; a failed run is not.</span>
      </div>
      ${this.problemAt("specification").length ? html`<ul class="problems">${this.problemAt("specification").map((q) => html`<li><code>${q.path}</code>: ${q.message}</li>`)}</ul>` : nothing}`;
  }

  /** A sweep's Monte Carlo replicates at every grid point (batch-to-batch variability around each point). */
  private renderReplicates() {
    const r = this.replicates;
    return html`${r
        ? html`<div class="row">
              <label
                >replicates per grid point
                <input type="text" data-key="replicates" ?disabled=${this.disabled} .value=${String(r.samples ?? "")} @change=${(e: Event) => this.set("replicates", { ...r, samples: numberOrText((e.target as HTMLInputElement).value) })}
              /></label>
            </div>
            ${this.replicateParams.map((p, i) => this.renderParam(p, i, "monte-carlo", "replicates"))}`
        : html`<span class="muted small">Add a varying parameter to run Monte Carlo replicates at every grid point: the sweep lines then get bands.</span>`}
      <div class="row"><button data-action="add-replicate" ?disabled=${this.disabled || !this.unusedField()} @click=${this.addReplicateParam}>+ A varying parameter</button></div>
      ${this.problemAt("replicates").filter((q) => !q.path.startsWith("replicates.parameters.")).map((q) => html`<ul class="problems"><li><code>${q.path}</code>: ${q.message}</li></ul>`)}`;
  }

  render() {
    const kind = this.kind;
    const placed = ["parameters", "outputs", "trajectories", "specification", "replicates"];
    const other = this.problems.filter((p) => !placed.some((root) => p.path === root || p.path.startsWith(`${root}.`)));
    return html`
      <fieldset>
        <legend>Study</legend>
        <div class="row">
          ${(Object.keys(KIND_LABELS) as Kind[]).map(
            (k) => html`<label class="check"><input type="radio" name="kind" value=${k} ?disabled=${this.disabled} .checked=${kind === k} @change=${() => this.setKind(k)} />${KIND_LABELS[k]}</label>`,
          )}
        </div>
        ${this.renderSize()}
        <div class="count" data-testid="run-count">
          ${this.runCount > 0 ? `${this.runCount.toLocaleString("en")} run${this.runCount === 1 ? "" : "s"}` : "Fix the problems below to see the number of runs"}
        </div>
      </fieldset>
      <fieldset>
        <legend>Parameters (${this.params.length})</legend>
        ${this.params.map((p, i) => this.renderParam(p, i))}
        <div class="row"><button data-action="add-parameter" ?disabled=${this.disabled || this.params.length >= this.fields.length} @click=${this.addParam}>+ Add a parameter</button></div>
        ${this.problemAt("parameters").filter((p) => p.path === "parameters").map((q) => html`<ul class="problems"><li>${q.message}</li></ul>`)}
      </fieldset>
      ${kind === "sweep"
        ? html`<fieldset>
            <legend>Variability at each grid point</legend>
            ${this.renderReplicates()}
          </fieldset>`
        : nothing}
      <fieldset>
        <legend>Outputs</legend>
        ${this.renderOutputs()}
      </fieldset>
      ${kind === "morris"
        ? nothing
        : html`<fieldset>
            <legend>Over time</legend>
            ${this.renderTrajectories()}
          </fieldset>`}
      <fieldset>
        <legend>Specification</legend>
        ${this.renderSpecification()}
      </fieldset>
      ${other.length ? html`<ul class="problems" data-testid="study-problems">${other.map((q) => html`<li><code>${q.path || "(study)"}</code>: ${q.message}</li>`)}</ul>` : nothing}
    `;
  }
}

/**
 * <bt-field>: one scalar field of the scenario form (number, integer,
 * boolean, enum or string): label, input, unit, allowed range, default as
 * placeholder, help and the engine's messages for its path. Used by
 * <bt-scenario-editor>, which owns the draft; this element only reports what
 * the user committed.
 */
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { live } from "lit/directives/live.js";
import { formatNumber, parseNumberText, rangeText, type FieldValue, type FormField } from "../model/schema-form";

/** Detail of `field-commit`: the path edited and its new value (undefined: unset, the default applies). */
export interface FieldCommitDetail {
  path: string;
  value: unknown;
}

/** Keys of string fields that hold prose and get a multi-line box. */
const PROSE_KEYS = new Set(["description", "notes", "citation"]);

/**
 * @fires field-commit - FieldCommitDetail; on `change` (not every keystroke), bubbles and is composed.
 */
@customElement("bt-field")
export class BtField extends LitElement {
  /** What the field is (from buildScenarioForm). */
  @property({ attribute: false }) field: FormField | undefined;
  /** The draft's value at field.path; undefined when unset. */
  @property({ attribute: false }) value: unknown;
  /** The engine's messages for this path. */
  @property({ attribute: false }) problems: readonly string[] = [];
  /** Label to show instead of field.label (list items). */
  @property() labelText: string | undefined;

  /** Text typed into a number box that is not a number: kept in the box, the draft is not changed. */
  @state() private rejectedText: string | undefined;

  static styles = css`
    :host {
      display: block;
      font-size: 13px;
      color: var(--bt-fg, #1d2428);
    }
    .field {
      display: grid;
      grid-template-columns: minmax(0, 1fr) 8.5rem 5.25rem;
      column-gap: 6px;
      row-gap: 1px;
      align-items: center;
      padding: 3px 0;
    }
    .field.stacked {
      grid-template-columns: minmax(0, 1fr) auto;
    }
    label {
      grid-column: 1;
      line-height: 1.2;
      overflow-wrap: anywhere;
    }
    .required {
      color: var(--bt-muted, #5d6b73);
    }
    .control {
      grid-column: 2;
      min-width: 0;
    }
    .control.wide {
      grid-column: 2 / 4;
    }
    .stacked .control {
      grid-column: 1 / -1;
    }
    .unit {
      grid-column: 3;
      color: var(--bt-muted, #5d6b73);
      font-size: 12px;
      overflow-wrap: anywhere;
      line-height: 1.15;
    }
    input[type="text"],
    select,
    textarea {
      box-sizing: border-box;
      width: 100%;
      font: inherit;
      font-size: 13px;
      color: inherit;
      background: var(--bt-panel, #fff);
      border: 1px solid var(--bt-border, #d5dadd);
      border-radius: 4px;
      padding: 3px 6px;
      min-height: 26px;
    }
    input.number {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    textarea {
      resize: vertical;
      min-height: 3.2em;
      line-height: 1.35;
    }
    input::placeholder,
    textarea::placeholder {
      color: #8a969d;
    }
    input:focus-visible,
    select:focus-visible,
    textarea:focus-visible,
    button:focus-visible {
      outline: 2px solid var(--bt-accent, #0b6e99);
      outline-offset: 1px;
    }
    .control [aria-invalid="true"] {
      border-color: var(--bt-error, #b3261e);
      background: #fdf3f2;
    }
    .check {
      display: flex;
      align-items: center;
      gap: 6px;
      min-height: 26px;
    }
    .check input {
      margin: 0;
      width: 15px;
      height: 15px;
    }
    .default-note {
      color: var(--bt-muted, #5d6b73);
      font-size: 12px;
    }
    button.reset {
      font: inherit;
      font-size: 12px;
      border: 1px solid var(--bt-border, #d5dadd);
      background: var(--bt-panel, #fff);
      border-radius: 4px;
      padding: 1px 6px;
      cursor: pointer;
      color: var(--bt-muted, #5d6b73);
    }
    button.reset:hover {
      color: var(--bt-fg, #1d2428);
    }
    .meta {
      grid-column: 1 / -1;
      display: flex;
      gap: 8px;
      justify-content: space-between;
      align-items: baseline;
      font-size: 11.5px;
      line-height: 1.3;
      color: var(--bt-muted, #5d6b73);
    }
    .help {
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .range {
      white-space: nowrap;
      font-variant-numeric: tabular-nums;
    }
    .messages {
      grid-column: 1 / -1;
      margin: 2px 0 0;
      padding: 0;
      list-style: none;
      color: var(--bt-error, #b3261e);
      font-size: 12px;
      line-height: 1.3;
    }
    .messages li::before {
      content: "⚠ ";
    }
    .messages li.local {
      color: var(--bt-warn, #8a5a00);
    }
  `;

  protected willUpdate(changed: PropertyValues<this>): void {
    // A new value from the draft replaces whatever was typed and refused.
    if (changed.has("value") || changed.has("field")) this.rejectedText = undefined;
  }

  render(): TemplateResult | typeof nothing {
    const field = this.field;
    if (field === undefined) return nothing;
    const prose = field.kind === "string" && PROSE_KEYS.has(field.key);
    // Free text gets the whole width, under its label; numbers, switches and choices sit beside theirs.
    const stacked = field.kind === "string" && field.suggestions === undefined;
    const range = field.kind === "number" || field.kind === "integer" ? rangeText(field) : "";
    const local = this.rejectedText === undefined ? undefined : this.localMessage(field);
    const invalid = this.problems.length > 0 || local !== undefined;
    return html`
      <div class="field ${stacked ? "stacked" : ""}">
        <label for="input" title=${field.help ?? nothing}
          >${this.labelText ?? field.label}${field.required ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}</label
        >
        ${this.renderControl(field, invalid, prose)}
        ${field.help !== undefined || range !== ""
          ? html`<div class="meta">
              <span class="help" id="help">${field.help ?? ""}</span>
              ${range === "" ? nothing : html`<span class="range" title="allowed range">${range}</span>`}
            </div>`
          : nothing}
        ${invalid
          ? html`<ul class="messages" id="messages">
              ${local === undefined ? nothing : html`<li class="local">${local}</li>`}
              ${this.problems.map((message) => html`<li>${message}</li>`)}
            </ul>`
          : nothing}
      </div>
    `;
  }

  private renderControl(field: FormField, invalid: boolean, prose: boolean): TemplateResult {
    const describedBy = [field.help === undefined ? "" : "help", invalid ? "messages" : ""].filter(Boolean).join(" ");
    const unit = html`<span class="unit">${field.unit ?? ""}</span>`;
    switch (field.kind) {
      case "number":
      case "integer": {
        const text = this.rejectedText ?? (typeof this.value === "number" ? formatNumber(this.value) : this.value === undefined ? "" : String(this.value));
        return html`<div class="control">
            <input
              id="input"
              class="number"
              type="text"
              inputmode=${field.kind === "integer" ? "numeric" : "decimal"}
              autocomplete="off"
              spellcheck="false"
              .value=${live(text)}
              placeholder=${this.placeholder(field)}
              title=${field.help ?? nothing}
              aria-invalid=${invalid ? "true" : "false"}
              aria-describedby=${describedBy || nothing}
              aria-required=${field.required ? "true" : "false"}
              @change=${this.onNumberChange}
            />
          </div>
          ${unit}`;
      }
      case "boolean": {
        const set = typeof this.value === "boolean";
        const checked = set ? (this.value as boolean) : field.default === true;
        return html`<div class="control wide check">
          <input
            id="input"
            type="checkbox"
            .checked=${live(checked)}
            title=${field.help ?? nothing}
            aria-invalid=${invalid ? "true" : "false"}
            aria-describedby=${describedBy || nothing}
            @change=${this.onCheckChange}
          />
          ${set
            ? field.default === undefined
              ? nothing
              : html`<button class="reset" type="button" aria-label="Reset ${field.label} to its default" title="Reset to the default (${String(field.default)})" @click=${this.onReset}>
                  default
                </button>`
            : html`<span class="default-note">${field.default === undefined ? "" : "default"}</span>`}
        </div>`;
      }
      case "enum":
        return this.renderSelect(field, field.options ?? [], invalid, describedBy);
      default: {
        if (field.suggestions !== undefined) return this.renderSelect(field, field.suggestions, invalid, describedBy);
        const text = typeof this.value === "string" ? this.value : this.value === undefined ? "" : JSON.stringify(this.value);
        if (prose) {
          return html`<div class="control">
            <textarea
              id="input"
              rows="3"
              .value=${live(text)}
              title=${field.help ?? nothing}
              aria-invalid=${invalid ? "true" : "false"}
              aria-describedby=${describedBy || nothing}
              @change=${this.onTextChange}
            ></textarea>
          </div>`;
        }
        return html`<div class="control">
          <input
            id="input"
            type="text"
            autocomplete="off"
            .value=${live(text)}
            placeholder=${typeof field.default === "string" ? field.default : ""}
            maxlength=${field.maxLength ?? nothing}
            title=${field.help ?? nothing}
            aria-invalid=${invalid ? "true" : "false"}
            aria-describedby=${describedBy || nothing}
            aria-required=${field.required ? "true" : "false"}
            @change=${this.onTextChange}
          />
        </div>`;
      }
    }
  }

  /** A select of `options`; an unset field gets an empty choice ("default (x)" or "—"), an unknown value is kept visible. */
  private renderSelect(field: FormField, options: readonly FieldValue[], invalid: boolean, describedBy: string): TemplateResult {
    const current = this.value;
    const known = options.some((option) => option === current);
    const unsetLabel = field.default === undefined ? "— choose —" : `default (${String(field.default)})`;
    const showUnset = current === undefined || !field.required;
    return html`<div class="control wide">
      <select
        id="input"
        title=${field.help ?? nothing}
        aria-invalid=${invalid ? "true" : "false"}
        aria-describedby=${describedBy || nothing}
        aria-required=${field.required ? "true" : "false"}
        @change=${(event: Event) => this.onSelectChange(event, options)}
      >
        ${showUnset ? html`<option value="" .selected=${live(current === undefined)}>${unsetLabel}</option>` : nothing}
        ${options.map((option, index) => html`<option value=${String(index)} .selected=${live(option === current)}>${String(option)}</option>`)}
        ${!known && current !== undefined ? html`<option value="current" .selected=${live(true)}>${String(current)} (not allowed)</option>` : nothing}
      </select>
    </div>`;
  }

  private placeholder(field: FormField): string {
    if (field.default === undefined) return field.required ? "required" : "";
    if (field.default === null) return "none";
    return typeof field.default === "number" ? formatNumber(field.default) : String(field.default);
  }

  private localMessage(field: FormField): string {
    return field.kind === "integer" ? "not a number (expected a whole number)" : "not a number";
  }

  private onNumberChange(event: Event): void {
    const input = event.target as HTMLInputElement;
    const parsed = parseNumberText(input.value);
    if (parsed !== undefined && Number.isNaN(parsed)) {
      this.rejectedText = input.value;
      return;
    }
    this.rejectedText = undefined;
    this.commit(parsed);
  }

  private onCheckChange(event: Event): void {
    this.commit((event.target as HTMLInputElement).checked);
  }

  private onTextChange(event: Event): void {
    const text = (event.target as HTMLInputElement | HTMLTextAreaElement).value;
    this.commit(text === "" ? undefined : text);
  }

  private onSelectChange(event: Event, options: readonly FieldValue[]): void {
    const chosen = (event.target as HTMLSelectElement).value;
    if (chosen === "current") return;
    this.commit(chosen === "" ? undefined : options[Number(chosen)]);
  }

  private onReset(): void {
    this.commit(undefined);
  }

  private commit(value: unknown): void {
    const path = this.field?.path;
    if (path === undefined) return;
    this.dispatchEvent(
      new CustomEvent<FieldCommitDetail>("field-commit", { detail: { path, value }, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-field": BtField;
  }
}

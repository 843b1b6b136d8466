/**
 * <bt-scenario-editor>: the scenario as a form, built from the published JSON
 * Schema for the draft's cell model (web/model/schema-form.ts). Shows every
 * field with its unit, range, default and help, and the engine's problems
 * beside the fields they name; reports each committed edit as a new document.
 * It never changes the `draft` it is given: the owner validates the new
 * document and passes it (and its problems) back.
 */
import { LitElement, css, html, nothing, type TemplateResult } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import type { ScenarioProblem } from "../../engine/scenario/problems";
import {
  buildScenarioForm,
  emptyValue,
  formatNumber,
  getAt,
  groupOfPath,
  joinPath,
  problemsByPath,
  renameKey,
  setAt,
  unplacedProblems,
  type FormField,
  type FormGroup,
  type GroupId,
  type ScenarioForm,
} from "../model/schema-form";
import type { FieldCommitDetail } from "./bt-field";
import "./bt-field";

/** Detail of `draft-change`: the whole new document and the path of the edit ("" for the whole document). */
export interface DraftChangeDetail {
  draft: unknown;
  path: string;
}

/** Metadata fields shown at the top of the scenario group; the others are folded. */
const HEADLINE_KEYS = new Set(["title", "description"]);

/** Sections with more fields than this start closed (unless they hold a problem). */
const OPEN_SECTION_MAX_FIELDS = 16;

/**
 * @fires draft-change - DraftChangeDetail; once per committed edit (a field's
 *   `change`, add, remove, rename), bubbles and is composed.
 */
@customElement("bt-scenario-editor")
export class BtScenarioEditor extends LitElement {
  /** The JSON document being edited (any value: the form shows what it can). Never mutated. */
  @property({ attribute: false }) draft: unknown;
  /** The engine's problems with `draft` (parseScenario); each is shown beside the field its path names. */
  @property({ attribute: false }) problems: readonly ScenarioProblem[] = [];

  /** The document as edited here: `draft` plus the edits since it was last set (an owner may not echo every edit). */
  @state() private working: unknown;
  /** Sections the user opened or closed, by path ("group:<id>" for groups). */
  @state() private openSections = new Map<string, boolean>();
  /** Record entry names that were refused (empty or taken), by record path. */
  @state() private renameMessages = new Map<string, string>();

  private form: ScenarioForm = { model: undefined, groups: [] };
  private messagesByPath = new Map<string, string[]>();
  private unplaced: { top: ScenarioProblem[]; byGroup: Map<GroupId, ScenarioProblem[]> } = { top: [], byGroup: new Map() };

  static styles = css`
    :host {
      display: block;
      font-family: var(--bt-font, system-ui, sans-serif);
      font-size: 13px;
      color: var(--bt-fg, #1d2428);
      background: var(--bt-panel, #fff);
      --line: var(--bt-border, #d5dadd);
      --muted: var(--bt-muted, #5d6b73);
      --error: var(--bt-error, #b3261e);
      --accent: var(--bt-accent, #0b6e99);
    }
    .group {
      border-bottom: 1px solid var(--line);
    }
    .group > summary {
      display: flex;
      align-items: center;
      gap: 6px;
      padding: 7px 12px;
      font-weight: 600;
      font-size: 13.5px;
      background: #eef1f3;
      cursor: pointer;
      user-select: none;
    }
    .group > summary:hover {
      background: #e6eaed;
    }
    .group-body {
      padding: 4px 12px 10px;
    }
    summary:focus-visible,
    button:focus-visible,
    input:focus-visible {
      outline: 2px solid var(--accent);
      outline-offset: 1px;
    }
    .section {
      margin: 6px 0 4px;
      padding-left: 8px;
      border-left: 2px solid #dfe4e7;
    }
    .section > summary {
      display: flex;
      align-items: center;
      gap: 6px;
      padding: 3px 0;
      font-weight: 600;
      font-size: 12.5px;
      color: #2f3d45;
      cursor: pointer;
      user-select: none;
    }
    summary {
      list-style: none;
    }
    summary::-webkit-details-marker {
      display: none;
    }
    summary::before {
      content: "▸";
      display: inline-block;
      width: 0.9em;
      flex: none;
      color: var(--muted);
      font-size: 11px;
    }
    details[open] > summary::before {
      content: "▾";
    }
    summary .count {
      font-weight: 400;
      color: var(--muted);
    }
    .badge {
      display: inline-block;
      min-width: 1.3em;
      padding: 0 5px;
      border-radius: 8px;
      background: var(--error);
      color: #fff;
      font-size: 11px;
      font-weight: 600;
      line-height: 1.5;
      text-align: center;
    }
    .help {
      margin: 0 0 2px;
      font-size: 11.5px;
      line-height: 1.3;
      color: var(--muted);
      overflow-wrap: anywhere;
    }
    .note {
      margin: 6px 0;
      color: var(--muted);
      font-style: italic;
    }
    .problems {
      margin: 4px 0;
      padding: 0;
      list-style: none;
      color: var(--error);
      font-size: 12px;
      line-height: 1.35;
      overflow-wrap: anywhere;
    }
    .problems li::before {
      content: "⚠ ";
    }
    .problems .path {
      font-family: var(--bt-mono, monospace);
      font-size: 11.5px;
    }
    .top-problems {
      margin: 0;
      padding: 8px 12px;
      background: #fdf3f2;
      border-bottom: 1px solid #f0c9c5;
    }
    .item {
      margin: 6px 0;
      padding: 2px 8px 6px;
      border: 1px solid var(--line);
      border-radius: 5px;
      background: #fafbfc;
    }
    .item-head {
      display: flex;
      align-items: center;
      gap: 6px;
      min-height: 26px;
      font-size: 12px;
      color: var(--muted);
    }
    .item-head .title {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .item-head .title b {
      color: var(--bt-fg, #1d2428);
    }
    .scalar-item {
      display: flex;
      align-items: flex-start;
      gap: 6px;
    }
    .scalar-item bt-field {
      flex: 1;
      min-width: 0;
    }
    .scalar-item button {
      margin-top: 4px;
    }
    input.name {
      flex: 1;
      min-width: 0;
      box-sizing: border-box;
      font: inherit;
      font-weight: 600;
      font-size: 12.5px;
      color: var(--bt-fg, #1d2428);
      border: 1px solid var(--line);
      border-radius: 4px;
      padding: 2px 6px;
      min-height: 24px;
      background: #fff;
    }
    input.name[aria-invalid="true"] {
      border-color: var(--error);
    }
    button {
      font: inherit;
      font-size: 12px;
      padding: 2px 8px;
      border: 1px solid var(--line);
      border-radius: 4px;
      background: #fff;
      color: var(--bt-fg, #1d2428);
      cursor: pointer;
      white-space: nowrap;
    }
    button:hover {
      background: #f1f4f6;
    }
    button.add {
      color: var(--accent);
      border-color: #b9d3df;
      margin: 2px 0 4px;
    }
    button.remove {
      color: #8c2f28;
    }
    .problems li.stray {
      display: flex;
      align-items: flex-start;
      gap: 6px;
    }
    .problems li.stray > span {
      flex: 1;
      min-width: 0;
    }
    button.inline {
      flex: none;
      padding: 0 6px;
      font-size: 11.5px;
    }
    .absent {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 6px 0 2px;
      padding-left: 10px;
    }
    .absent .label {
      flex: 1;
      font-weight: 600;
      font-size: 12.5px;
      color: #2f3d45;
    }
    .absent .state {
      color: var(--muted);
      font-size: 12px;
    }
    .absent + .help {
      padding-left: 10px;
    }
  `;

  protected willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("draft")) this.working = this.draft;
    if (changed.has("draft") || changed.has("working")) this.form = buildScenarioForm(this.working);
    if (changed.has("draft") || changed.has("working") || changed.has("problems")) {
      this.messagesByPath = problemsByPath(this.problems);
      this.unplaced = unplacedProblems(this.form, this.problems);
    }
  }

  render(): TemplateResult {
    return html`<div class="editor" @field-commit=${this.onFieldCommit}>
      ${this.unplaced.top.length === 0
        ? nothing
        : html`<ul class="problems top-problems" role="status">
            ${this.unplaced.top.map((problem) => this.renderPlacedProblem(problem))}
          </ul>`}
      ${this.form.groups.map((group) => this.renderGroup(group))}
    </div>`;
  }

  private renderGroup(group: FormGroup): TemplateResult {
    const key = `group:${group.id}`;
    const count = this.problems.filter((problem) => groupOfPath(problem.path) === group.id).length;
    const unplaced = this.unplaced.byGroup.get(group.id) ?? [];
    return html`<details class="group" ?open=${this.isOpen(key, true)}>
      <summary @click=${(event: Event) => this.onSummaryClick(event, key)}>
        <span>${group.label}</span>${this.renderBadge(count)}
      </summary>
      <div class="group-body">
        ${unplaced.length === 0
          ? nothing
          : html`<ul class="problems">
              ${unplaced.map((problem) => this.renderPlacedProblem(problem))}
            </ul>`}
        ${group.note === undefined ? nothing : html`<p class="note">${group.note}</p>`}
        ${group.id === "scenario" ? this.renderMetadata(group.fields) : group.fields.map((field) => this.renderField(field))}
      </div>
    </details>`;
  }

  /** The scenario header: title and description in view, the rest (authors, licence, sources, notes) folded away. */
  private renderMetadata(fields: readonly FormField[]): TemplateResult {
    const headline = fields.filter((field) => HEADLINE_KEYS.has(field.key));
    const rest = fields.filter((field) => !HEADLINE_KEYS.has(field.key));
    const key = "metadata:more";
    const problems = rest.reduce((sum, field) => sum + this.countUnder(field.path), 0);
    return html`${headline.map((field) => this.renderField(field))}
      ${rest.length === 0
        ? nothing
        : html`<details class="section" ?open=${this.isOpen(key, problems > 0)}>
            <summary @click=${(event: Event) => this.onSummaryClick(event, key)}>
              <span>${rest.map((field) => field.label).join(", ")}</span>${this.renderBadge(problems)}
            </summary>
            ${rest.map((field) => this.renderField(field))}
          </details>`}`;
  }

  private renderField(field: FormField): TemplateResult {
    switch (field.kind) {
      case "object":
        return this.renderObject(field);
      case "array":
        return this.renderArray(field);
      case "record":
        return this.renderRecord(field);
      default:
        return this.renderLeaf(field);
    }
  }

  private renderLeaf(field: FormField, labelText?: string): TemplateResult {
    return html`<bt-field
      .field=${field}
      .value=${getAt(this.working, field.path)}
      .problems=${this.messagesByPath.get(field.path) ?? []}
      .labelText=${labelText}
      data-path=${field.path}
    ></bt-field>`;
  }

  /** An object: a collapsible section; an optional one without a default that the draft lacks is one "Add" row. */
  private renderObject(field: FormField): TemplateResult {
    const optional = !field.required && field.default === undefined;
    if (optional && !field.present) {
      return html`<div class="absent" data-path=${field.path}>
          <span class="label" title=${field.help ?? nothing}>${field.label}</span>
          <span class="state">not used</span>
          <button class="add" type="button" aria-label="Add ${field.label}" @click=${() => this.edit(field.path, emptyValue(field))}>
            Add
          </button>
        </div>
        ${field.help === undefined ? nothing : html`<p class="help">${field.help}</p>`} ${this.renderMessages(field.path)}`;
    }
    const leaves = (field.children ?? []).length;
    return this.renderSection(
      field,
      leaves <= OPEN_SECTION_MAX_FIELDS,
      html`${(field.children ?? []).map((child) => this.renderField(child))}
      ${optional
        ? html`<button class="remove" type="button" aria-label="Remove ${field.label}" @click=${() => this.edit(field.path, undefined)}>
            Remove ${field.label.toLowerCase()}
          </button>`
        : nothing}`,
    );
  }

  /** A list: one sub-form per item (or one input per string), each removable, and "Add". */
  private renderArray(field: FormField): TemplateResult {
    const items = field.children ?? [];
    const body = html`${items.map((item, index) =>
        item.kind === "object"
          ? html`<div class="item" data-path=${item.path}>
              <div class="item-head">
                <span class="title"><b>${item.label}</b>${this.itemSummary(item)}</span>
                ${this.renderBadge(this.countUnder(item.path))}
                ${this.removeButton(item.path, field.path, `Remove ${item.label} of ${field.label}`)}
              </div>
              ${this.renderMessages(item.path)} ${(item.children ?? []).map((child) => this.renderField(child))}
            </div>`
          : html`<div class="scalar-item">
              ${this.renderLeaf(item, `#${index + 1}`)}
              ${this.removeButton(item.path, field.path, `Remove ${item.label} of ${field.label}`)}
            </div>`,
      )}
      <button class="add" type="button" aria-label="Add an entry to ${field.label}" @click=${() => this.addItem(field)}>+ Add</button>`;
    return this.renderSection(field, true, body, items.length);
  }

  /** "Remove" for an item or entry at `path` of the list or record at `parentPath`. */
  private removeButton(path: string, parentPath: string, label: string): TemplateResult {
    return html`<button class="remove" type="button" aria-label=${label} @click=${() => this.edit(path, undefined, parentPath)}>Remove</button>`;
  }

  /** Named entries (process.media): each with its name (renamable), its sub-form and "Remove"; and "Add". */
  private renderRecord(field: FormField): TemplateResult {
    const entries = field.children ?? [];
    const refused = this.renameMessages.get(field.path);
    const body = html`${field.keyRule?.help === undefined ? nothing : html`<p class="help">Names: ${field.keyRule.help}</p>`}
      ${refused === undefined ? nothing : html`<ul class="problems"><li>${refused}</li></ul>`}
      ${entries.map(
        (entry) => html`<div class="item" data-path=${entry.path}>
          <div class="item-head">
            <input
              class="name"
              type="text"
              autocomplete="off"
              spellcheck="false"
              .value=${entry.key}
              aria-label="Name of ${field.label.toLowerCase()} entry ${entry.key}"
              aria-invalid=${this.messagesByPath.has(entry.path) ? "true" : "false"}
              title=${field.keyRule?.help ?? "Name of this entry"}
              @change=${(event: Event) => this.renameEntry(field, entry.key, event)}
            />
            ${this.renderBadge(this.countUnder(entry.path))}
            ${this.removeButton(entry.path, field.path, `Remove ${entry.key} from ${field.label}`)}
          </div>
          ${this.renderMessages(entry.path)} ${(entry.children ?? []).map((child) => this.renderField(child))}
        </div>`,
      )}
      <button class="add" type="button" aria-label="Add an entry to ${field.label}" @click=${() => this.addEntry(field)}>+ Add</button>`;
    return this.renderSection(field, true, body, entries.length);
  }

  private renderSection(field: FormField, openByDefault: boolean, body: TemplateResult, count?: number): TemplateResult {
    const problems = this.countUnder(field.path);
    return html`<details class="section" data-path=${field.path} ?open=${this.isOpen(field.path, openByDefault || problems > 0)}>
      <summary @click=${(event: Event) => this.onSummaryClick(event, field.path)} title=${field.help ?? nothing}>
        <span>${field.label}</span>${count === undefined ? nothing : html`<span class="count">(${count})</span>`}${this.renderBadge(problems)}
      </summary>
      ${field.help === undefined ? nothing : html`<p class="help">${field.help}</p>`} ${this.renderMessages(field.path)} ${body}
    </details>`;
  }

  private renderMessages(path: string): TemplateResult | typeof nothing {
    const messages = this.messagesByPath.get(path);
    if (messages === undefined) return nothing;
    return html`<ul class="problems">
      ${messages.map((message) => html`<li>${message}</li>`)}
    </ul>`;
  }

  /**
   * A problem shown away from its field: with its path, so the reader knows
   * what it is about, and a "Remove" button when it names a key the form has
   * no field for (an unknown key, or one of the other cell model).
   */
  private renderPlacedProblem(problem: ScenarioProblem): TemplateResult {
    const stray = this.isStrayKey(problem.path);
    return html`<li class=${stray ? "stray" : ""}>
      <span>${problem.path === "" ? nothing : html`<span class="path">${problem.path}</span>: `}${problem.message}</span>
      ${stray
        ? html`<button class="remove inline" type="button" aria-label="Remove ${problem.path}" @click=${() => this.edit(problem.path, undefined)}>
            Remove
          </button>`
        : nothing}
    </li>`;
  }

  /** Whether `path` holds a value the form shows no field for, inside a section the form does show (or a section the model lacks). */
  private isStrayKey(path: string): boolean {
    if (path === "" || getAt(this.working, path) === undefined) return false;
    if (path.includes(".")) return true;
    // A whole top-level section: only one the model has no fields for ("control" of a microbial scenario).
    return this.form.groups.some((group) => group.fields.length === 0 && group.roots.includes(path));
  }

  private renderBadge(count: number): TemplateResult | typeof nothing {
    if (count === 0) return nothing;
    return html`<span class="badge" title="${count} problem${count === 1 ? "" : "s"}" aria-label="${count} problem${count === 1 ? "" : "s"}"
      >${count}</span
    >`;
  }

  /** " · feed · 72 h · 24 h": the first few values of a list item, so closed lists can be told apart. */
  private itemSummary(item: FormField): string {
    const parts: string[] = [];
    for (const child of item.children ?? []) {
      if (parts.length >= 3) break;
      const value = getAt(this.working, child.path);
      if (typeof value === "number") parts.push(`${formatNumber(value)}${child.unit === undefined ? "" : ` ${child.unit}`}`);
      else if (typeof value === "string") parts.push(value.length > 24 ? `${value.slice(0, 23)}…` : value);
    }
    return parts.length === 0 ? "" : ` · ${parts.join(" · ")}`;
  }

  private countUnder(path: string): number {
    const prefix = `${path}.`;
    return this.problems.filter((problem) => problem.path === path || problem.path.startsWith(prefix)).length;
  }

  private isOpen(key: string, byDefault: boolean): boolean {
    return this.openSections.get(key) ?? byDefault;
  }

  private onSummaryClick(event: Event, key: string): void {
    const details = (event.currentTarget as HTMLElement).parentElement as HTMLDetailsElement;
    // The click toggles the details after this handler: remember where it is going.
    this.openSections = new Map(this.openSections).set(key, !details.open);
  }

  private onFieldCommit(event: CustomEvent<FieldCommitDetail>): void {
    event.stopPropagation();
    this.edit(event.detail.path, event.detail.value);
  }

  private addItem(field: FormField): void {
    const items = getAt(this.working, field.path);
    const next = [...(Array.isArray(items) ? items : []), emptyValue(field.item)];
    this.edit(field.path, next);
  }

  private addEntry(field: FormField): void {
    const record = getAt(this.working, field.path);
    const taken = new Set(typeof record === "object" && record !== null ? Object.keys(record) : []);
    let n = 1;
    while (taken.has(`new${n}`)) n += 1;
    this.edit(joinPath(field.path, `new${n}`), emptyValue(field.item), field.path);
  }

  private renameEntry(field: FormField, from: string, event: Event): void {
    const input = event.target as HTMLInputElement;
    const to = input.value.trim();
    const record = getAt(this.working, field.path);
    const messages = new Map(this.renameMessages);
    messages.delete(field.path);
    if (to === "") {
      messages.set(field.path, `a name is required (kept "${from}")`);
    } else if (to !== from && typeof record === "object" && record !== null && Object.hasOwn(record, to)) {
      messages.set(field.path, `"${to}" is already taken (kept "${from}")`);
    }
    this.renameMessages = messages;
    if (messages.has(field.path)) {
      input.value = from;
      return;
    }
    if (to !== from) this.emit(renameKey(this.working, field.path, from, to), field.path);
  }

  /** Sets `value` at `path` in a new document and reports it (as an edit of `reportedPath`). */
  private edit(path: string, value: unknown, reportedPath: string = path): void {
    this.emit(setAt(this.working, path, value), reportedPath);
  }

  private emit(draft: unknown, path: string): void {
    this.working = draft;
    this.dispatchEvent(
      new CustomEvent<DraftChangeDetail>("draft-change", { detail: { draft, path }, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bt-scenario-editor": BtScenarioEditor;
  }
}

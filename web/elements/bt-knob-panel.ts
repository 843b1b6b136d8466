// <bt-knob-panel>: the knobs a user can turn while a run plays (feed rate,
// setpoints, agitation), and the history of the changes made in this run.
// @fires knob-change - detail {id, value}: the user set a knob (value in the knob's unit)
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { KnobState, LiveAction } from "../../engine/live-run";
import { sharedStyles } from "./shared-styles";

@customElement("bt-knob-panel")
export class BtKnobPanel extends LitElement {
  @property({ attribute: false }) knobs: KnobState[] = [];
  @property({ attribute: false }) actions: LiveAction[] = [];
  @property({ type: Boolean }) disabled = false;

  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: 8px;
      }
      form {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
        gap: 6px 12px;
      }
      .knob {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 4.5em;
        gap: 2px 6px;
        align-items: center;
      }
      .knob label {
        grid-column: 1 / -1;
        font-size: 12px;
      }
      .knob input {
        width: 100%;
        min-width: 0;
        padding: 3px 5px;
        border: 1px solid var(--bt-border);
        border-radius: 4px;
      }
      .unit {
        font-size: 12px;
        color: var(--bt-muted);
      }
      .why {
        grid-column: 1 / -1;
        font-size: 11px;
        color: var(--bt-muted);
      }
      ol {
        margin: 0;
        padding-left: 20px;
        font-size: 12px;
      }
      h3 {
        font-size: 12px;
        margin: 4px 0 2px;
        font-weight: 600;
      }
    `,
  ];

  private commit(knob: KnobState, input: HTMLInputElement) {
    const value = input.valueAsNumber;
    if (!Number.isFinite(value) || value < knob.min || value > knob.max) {
      input.setCustomValidity(`between ${knob.min} and ${knob.max} ${knob.unit}`);
      input.reportValidity();
      return;
    }
    input.setCustomValidity("");
    this.dispatchEvent(new CustomEvent("knob-change", { detail: { id: knob.id, value }, bubbles: true, composed: true }));
  }

  render() {
    return html`
      <form @submit=${(e: Event) => e.preventDefault()} aria-label="Live controls">
        ${this.knobs.map(
          (k) => html`<div class="knob" title=${k.help}>
            <label for="knob-${k.id}">${k.label}</label>
            <input
              id="knob-${k.id}"
              data-knob=${k.id}
              type="number"
              min=${k.min}
              max=${k.max}
              step=${k.step}
              .value=${Number.isFinite(k.value) ? String(Number(k.value.toPrecision(6))) : ""}
              ?disabled=${!k.available || this.disabled}
              @change=${(e: Event) => this.commit(k, e.target as HTMLInputElement)}
            />
            <span class="unit">${k.unit}</span>
            ${k.available ? null : html`<span class="why">${k.why}</span>`}
          </div>`,
        )}
      </form>
      ${this.actions.length > 0
        ? html`<div>
            <h3>Changes in this run</h3>
            <ol data-testid="actions">
              ${this.actions.map(
                (a) =>
                  html`<li class="num">
                    ${a.timeH.toFixed(1)} h: ${a.label} ${Number(a.previous.toPrecision(4))} → ${a.value} ${a.unit}
                  </li>`,
              )}
            </ol>
          </div>`
        : null}
    `;
  }
}

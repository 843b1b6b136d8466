// <bt-scenario-gallery>: the built-in scenarios as cards (title, one line, source).
// @fires open-builtin - detail {id}: the user picked a scenario
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { BUILTIN_SCENARIOS } from "../model/builtin-scenarios";
import { sharedStyles } from "./shared-styles";

@customElement("bt-scenario-gallery")
export class BtScenarioGallery extends LitElement {
  /** Id of the built-in scenario now open, if any. */
  @property() current = "";

  static styles = [
    sharedStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 8px;
      }
      button.card {
        width: 100%;
        text-align: left;
        padding: 8px 10px;
        display: grid;
        gap: 3px;
      }
      button.card[aria-current="true"] {
        border-color: var(--bt-accent);
        box-shadow: inset 3px 0 0 var(--bt-accent);
      }
      .title {
        font-weight: 600;
        font-size: 13px;
      }
      .model {
        font-size: 11px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--bt-accent);
      }
      .summary {
        font-size: 12px;
      }
      .source {
        font-size: 11px;
        font-style: italic;
      }
    `,
  ];

  render() {
    return html`<ul aria-label="Built-in scenarios">
      ${BUILTIN_SCENARIOS.map(
        (s) => html`<li>
          <button
            class="card"
            data-id=${s.id}
            aria-current=${s.id === this.current ? "true" : "false"}
            @click=${() => this.dispatchEvent(new CustomEvent("open-builtin", { detail: { id: s.id }, bubbles: true, composed: true }))}
          >
            <span class="model">${s.model === "cho" ? "CHO cells" : "microbial"}</span>
            <span class="title">${s.title}</span>
            <span class="summary muted">${s.summary}</span>
            ${s.source ? html`<span class="source muted">Source: ${s.source}</span>` : null}
          </button>
        </li>`,
      )}
    </ul>`;
  }
}

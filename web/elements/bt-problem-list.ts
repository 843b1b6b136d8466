// <bt-problem-list>: why a file or link did not open — every problem with the
// path of the field it concerns. The current scenario stays as it was.
// @fires dismiss - the user closed the list
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { OpenProblems } from "../model/app-model";
import { sharedStyles } from "./shared-styles";

@customElement("bt-problem-list")
export class BtProblemList extends LitElement {
  @property({ attribute: false }) problems: OpenProblems | null = null;

  static styles = [
    sharedStyles,
    css`
      section {
        border: 1px solid var(--bt-error);
        border-left-width: 4px;
        background: #fff6f5;
        border-radius: 6px;
        padding: 8px 12px;
      }
      h2 {
        font-size: 14px;
        margin: 0 0 4px;
        color: var(--bt-error);
      }
      ul {
        margin: 4px 0;
        padding-left: 18px;
        font-size: 13px;
      }
      code {
        font-family: var(--bt-mono);
        font-size: 12px;
        background: #fbe9e7;
        padding: 0 3px;
        border-radius: 3px;
      }
      .head {
        display: flex;
        justify-content: space-between;
        align-items: start;
        gap: 8px;
      }
    `,
  ];

  render() {
    const p = this.problems;
    if (!p) return null;
    return html`<section role="alert" aria-label="Problems in the opened scenario">
      <div class="head">
        <div>
          <h2>${p.source} did not open</h2>
          <div class="small muted">The current scenario is unchanged. ${p.problems.length} problem${p.problems.length === 1 ? "" : "s"}:</div>
        </div>
        <button @click=${() => this.dispatchEvent(new CustomEvent("dismiss", { bubbles: true, composed: true }))} aria-label="Close">✕</button>
      </div>
      <ul data-testid="open-problems">
        ${p.problems.map((x) => html`<li>${x.path ? html`<code>${x.path}</code>: ` : null}${x.message}</li>`)}
      </ul>
    </section>`;
  }
}

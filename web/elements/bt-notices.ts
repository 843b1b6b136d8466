// <bt-notices>: short messages to the user (a knob change, a replaced worker,
// a link too large), newest last, each dismissible.
// @fires dismiss-notice - detail {id}
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { Notice } from "../model/app-model";
import { sharedStyles } from "./shared-styles";

@customElement("bt-notices")
export class BtNotices extends LitElement {
  @property({ attribute: false }) notices: Notice[] = [];

  static styles = [
    sharedStyles,
    css`
      :host {
        position: fixed;
        right: 12px;
        bottom: 12px;
        display: grid;
        gap: 6px;
        max-width: min(420px, 90vw);
        z-index: 10;
      }
      div {
        background: #fff;
        border: 1px solid var(--bt-border);
        border-left: 4px solid var(--bt-accent);
        border-radius: 6px;
        padding: 6px 8px 6px 10px;
        font-size: 13px;
        display: flex;
        gap: 8px;
        align-items: start;
        box-shadow: 0 2px 8px rgb(0 0 0 / 0.12);
      }
      div.warning {
        border-left-color: var(--bt-warn);
      }
      div.error {
        border-left-color: var(--bt-error);
      }
      span {
        flex: 1;
      }
      button {
        padding: 0 6px;
      }
    `,
  ];

  render() {
    return this.notices.map(
      (n) => html`<div class=${n.level} role=${n.level === "info" ? "status" : "alert"} data-level=${n.level}>
        <span>${n.text}</span>
        <button aria-label="Dismiss" @click=${() => this.dispatchEvent(new CustomEvent("dismiss-notice", { detail: { id: n.id }, bubbles: true, composed: true }))}>✕</button>
      </div>`,
    );
  }
}

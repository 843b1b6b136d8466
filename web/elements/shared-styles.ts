// Styles shared by the app's elements (buttons, panels, small print).
import { css } from "lit";

export const sharedStyles = css`
  :host {
    font-family: var(--bt-font, system-ui, sans-serif);
    color: var(--bt-fg, #1d2428);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button,
  select,
  input {
    font: inherit;
    font-size: 13px;
  }
  button {
    border: 1px solid var(--bt-border, #d5dadd);
    background: #fff;
    color: var(--bt-fg, #1d2428);
    border-radius: 4px;
    padding: 4px 10px;
    cursor: pointer;
    line-height: 1.4;
  }
  button:hover:not([disabled]) {
    border-color: var(--bt-accent, #0b6e99);
    color: var(--bt-accent, #0b6e99);
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible,
  summary:focus-visible {
    outline: 2px solid var(--bt-accent, #0b6e99);
    outline-offset: 1px;
  }
  button.primary {
    background: var(--bt-accent, #0b6e99);
    border-color: var(--bt-accent, #0b6e99);
    color: #fff;
  }
  button.primary:hover:not([disabled]) {
    color: #fff;
    filter: brightness(1.1);
  }
  button[disabled] {
    opacity: 0.5;
    cursor: default;
  }
  .muted {
    color: var(--bt-muted, #5d6b73);
  }
  .small {
    font-size: 12px;
  }
  .num {
    font-variant-numeric: tabular-nums;
  }
`;

// <bt-kpi-strip>: the run's key figures beside the charts, each with its unit,
// and the pinned run's figure under it for comparison.
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { Kpi } from "../../engine/kpis";
import { sharedStyles } from "./shared-styles";

function format(value: number): string {
  if (!Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

@customElement("bt-kpi-strip")
export class BtKpiStrip extends LitElement {
  @property({ attribute: false }) kpis: Kpi[] = [];
  @property({ attribute: false }) pinnedKpis: Kpi[] | null = null;

  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
        gap: 8px;
      }
      .kpi {
        background: var(--bt-panel);
        border: 1px solid var(--bt-border);
        border-radius: 6px;
        padding: 6px 10px;
      }
      .label {
        font-size: 11px;
        color: var(--bt-muted);
      }
      .value {
        font-size: 20px;
        font-weight: 600;
      }
      .unit {
        font-size: 12px;
        color: var(--bt-muted);
        margin-left: 3px;
      }
      .pinned {
        font-size: 11px;
        color: var(--bt-muted);
      }
    `,
  ];

  render() {
    return this.kpis.map((k) => {
      const pinned = this.pinnedKpis?.find((p) => p.id === k.id);
      return html`<div class="kpi" title=${k.help} data-kpi=${k.id} data-value=${String(k.value)}>
        <div class="label">${k.label}</div>
        <div><span class="value num">${format(k.value)}</span><span class="unit">${k.unit}</span></div>
        ${pinned ? html`<div class="pinned num">pinned: ${format(pinned.value)} ${pinned.unit}</div>` : null}
      </div>`;
    });
  }
}

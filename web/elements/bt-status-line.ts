// <bt-status-line>: where the run is (day and hour), the solver's status and work,
// how fast the run goes, and whether the cell lifelines of an ended run are being computed.
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import type { SolverStats } from "../../engine/core-bridge";
import type { RunPhase } from "../model/app-model";
import { sharedStyles } from "./shared-styles";

const PHASE_TEXT: Record<RunPhase, string> = {
  idle: "idle",
  starting: "starting…",
  ready: "ready",
  running: "paused",
  ended: "finished",
  harvested: "harvested",
  failed: "stopped with an error",
};

@customElement("bt-status-line")
export class BtStatusLine extends LitElement {
  @property() phase: RunPhase = "idle";
  @property({ type: Boolean }) playing = false;
  @property({ type: Number }) timeH = 0;
  @property({ type: Number }) durationH = 0;
  @property() message = "";
  @property({ attribute: false }) stats: SolverStats | null = null;
  @property({ type: Number }) measuredSpeedHPerS = 0;
  /** The worker is computing the cell lifelines of the run that has just ended. */
  @property({ type: Boolean }) lifelinesPending = false;

  static styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        font-size: 12px;
        align-items: baseline;
      }
      .time {
        font-size: 14px;
        font-weight: 600;
      }
      .failed {
        color: var(--bt-error);
      }
      .harvested,
      .ended {
        color: var(--bt-ok);
      }
    `,
  ];

  render() {
    const day = Math.floor(this.timeH / 24);
    const hour = this.timeH - day * 24;
    const s = this.stats;
    const phase = this.playing ? "playing" : PHASE_TEXT[this.phase];
    return html`
      <span class="time num" data-testid="clock">Day ${day}, ${hour.toFixed(1).padStart(4, "0")} h</span>
      <span class="num muted">${this.timeH.toFixed(1)} of ${this.durationH} h</span>
      <span class=${this.phase} data-testid="phase">${phase}${this.message && this.message !== "ok" ? html` — ${this.message}` : null}</span>
      ${s ? html`<span class="num muted" title="Accepted and rejected solver steps, right-hand side evaluations">solver: ${s.steps} steps, ${s.rejectedSteps} rejected, ${s.rhsEvals} f-evals</span>` : null}
      ${this.lifelinesPending ? html`<span class="muted" data-testid="lifelines-pending" role="status">computing lifelines…</span>` : null}
      ${this.playing ? html`<span class="num muted">speed: ${this.measuredSpeedHPerS.toFixed(1)} h/s</span>` : null}
    `;
  }
}

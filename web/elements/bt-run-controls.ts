// <bt-run-controls>: play, pause, step, reset, run to the end, the speed of a live
// run, and pinning a run to compare with the next.
// @fires run-command - detail {command: "play"|"pause"|"step"|"reset"|"run-whole"|"pin"|"unpin"}
// @fires speed-change - detail {hPerS}: simulated hours per second of wall time
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { SPEEDS_H_PER_S, type RunPhase } from "../model/app-model";
import { sharedStyles } from "./shared-styles";

type Command = "play" | "pause" | "step" | "reset" | "run-whole" | "pin" | "unpin";

@customElement("bt-run-controls")
export class BtRunControls extends LitElement {
  @property() phase: RunPhase = "idle";
  @property({ type: Boolean }) playing = false;
  @property({ type: Number }) speedHPerS = 24;
  @property({ type: Boolean }) hasPinned = false;
  @property({ type: Boolean }) stale = false;

  static styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
      }
      .sep {
        width: 1px;
        align-self: stretch;
        background: var(--bt-border);
        margin: 0 4px;
      }
      label {
        font-size: 12px;
        display: inline-flex;
        gap: 4px;
        align-items: center;
      }
      .stale {
        font-size: 12px;
        color: var(--bt-warn);
      }
    `,
  ];

  private send(command: Command) {
    this.dispatchEvent(new CustomEvent("run-command", { detail: { command }, bubbles: true, composed: true }));
  }

  render() {
    const starting = this.phase === "starting";
    return html`
      ${this.playing
        ? html`<button class="primary" data-command="pause" @click=${() => this.send("pause")} title="Pause the live run (keyboard: space)">Pause</button>`
        : html`<button class="primary" data-command="play" ?disabled=${starting} @click=${() => this.send("play")} title="Play the run live (keyboard: space)">▶ Play</button>`}
      <button data-command="step" ?disabled=${starting} @click=${() => this.send("step")} title="Advance one output interval">Step</button>
      <button data-command="reset" ?disabled=${starting} @click=${() => this.send("reset")} title="Start the scenario again from t = 0">↺ Reset</button>
      <button data-command="run-whole" ?disabled=${starting} @click=${() => this.send("run-whole")} title="Run to the end at full speed">Run to end</button>
      <label
        >Speed
        <select
          aria-label="Speed, simulated hours per second"
          @change=${(e: Event) =>
            this.dispatchEvent(
              new CustomEvent("speed-change", { detail: { hPerS: Number((e.target as HTMLSelectElement).value) }, bubbles: true, composed: true }),
            )}
        >
          ${SPEEDS_H_PER_S.map((s) => html`<option value=${s} ?selected=${s === this.speedHPerS}>${s} h/s</option>`)}
        </select>
      </label>
      <span class="sep"></span>
      <button data-command="pin" @click=${() => this.send("pin")} title="Keep this run on the charts to compare with the next one">Pin run</button>
      ${this.hasPinned ? html`<button data-command="unpin" @click=${() => this.send("unpin")}>Unpin</button>` : null}
      ${this.stale ? html`<span class="stale" role="status">Scenario edited: press Reset or Run to end to see the change.</span>` : null}
    `;
  }
}

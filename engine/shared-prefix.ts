// Shared prefixes of a study's runs (docs/model.md §1.1, "Shared prefixes"). Runs of a
// sweep over a process parameter (a feed, a shift day) are the same run up to the first
// event where they differ: the core keeps a checkpoint at each event time a run arrives
// at, and the next run on that core continues from the last checkpoint before its first
// difference instead of starting again. Its numbers are those of a fresh run, bit for bit
// (tests/shared-prefix.test.ts), because everything a run carries past an event is in the
// checkpoint and everything else is reset by the event.
import * as L from "../assembly/layout";
import { describeStatus, type Core, type SetupTarget } from "./core-bridge";
import type { ModelAdapter } from "./models";
import type { Scenario } from "./scenario";
import { configureRun } from "./simulate";

interface Event {
  t: number;
  kind: number;
  index: number;
  value: number;
}

/** A run's setup as the verbs setUpRun sends: every call but the events, then the events in the core's order. */
interface RunSetup {
  calls: (string | number)[][];
  events: Event[];
}

/** Records setUpRun's verbs instead of sending them to a core. */
class SetupRecorder implements SetupTarget {
  readonly calls: (string | number)[][] = [];
  private readonly added: Event[] = [];

  setModelSize(model: number, size: number): void {
    this.calls.push(["setModelSize", model, size]);
  }
  init(model: number, solver: number, outCapacity: number, eventCapacity: number): number {
    this.calls.push(["init", model, solver, outCapacity, eventCapacity]);
    return 0;
  }
  setParam(index: number, value: number): void {
    this.calls.push(["setParam", index, value]);
  }
  setState(index: number, value: number): void {
    this.calls.push(["setState", index, value]);
  }
  setTime(t0: number): void {
    this.calls.push(["setTime", t0]);
  }
  setTolerances(relTol: number, absTol: number): void {
    this.calls.push(["setTolerances", relTol, absTol]);
  }
  setAbsTol(index: number, absTol: number): void {
    this.calls.push(["setAbsTol", index, absTol]);
  }
  setStepControl(h0: number, hMax: number, maxSteps: number): void {
    this.calls.push(["setStepControl", h0, hMax, maxSteps]);
  }
  setOutputGrid(t0: number, dt: number): void {
    this.calls.push(["setOutputGrid", t0, dt]);
  }
  setDerivedRates(on: boolean): void {
    this.calls.push(["setDerivedRates", on ? 1 : 0]);
  }
  addEvent(t: number, kind: number, index: number, value: number): void {
    this.added.push({ t, kind, index, value });
  }

  /** The setup, with the events in the core's order: by time, equal times as added (a stable sort). */
  setup(durationH: number): RunSetup {
    return { calls: [...this.calls, ["advanceTo", durationH]], events: [...this.added].sort((a, b) => a.t - b.t) };
  }
}

/** Sends a recorded setup to the core, as setUpRun would have. */
function replay(core: Core, setup: RunSetup): void {
  for (const [verb, ...args] of setup.calls) {
    const a = args as number[];
    switch (verb) {
      case "setModelSize": core.setModelSize(a[0], a[1]); break;
      case "init": {
        const status = core.init(a[0], a[1], a[2], a[3]);
        if (status !== L.STATUS_OK) throw new Error(`could not set up the core: ${describeStatus(status)}`);
        break;
      }
      case "setParam": core.setParam(a[0], a[1]); break;
      case "setState": core.setState(a[0], a[1]); break;
      case "setTime": core.setTime(a[0]); break;
      case "setTolerances": core.setTolerances(a[0], a[1]); break;
      case "setAbsTol": core.setAbsTol(a[0], a[1]); break;
      case "setStepControl": core.setStepControl(a[0], a[1], a[2]); break;
      case "setOutputGrid": core.setOutputGrid(a[0], a[1]); break;
      case "setDerivedRates": core.setDerivedRates(a[0] === 1); break;
    }
  }
  for (const e of setup.events) core.addEvent(e.t, e.kind, e.index, e.value);
}

const sameNumbers = (a: readonly (string | number)[], b: readonly (string | number)[]) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** The time of the first event in which two runs' event lists (in the core's order) differ; Infinity if none. */
function firstDifference(a: readonly Event[], b: readonly Event[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i], y = b[i];
    if (!Object.is(x.t, y.t) || x.kind !== y.kind || x.index !== y.index || !Object.is(x.value, y.value)) return Math.min(x.t, y.t);
  }
  return a.length === b.length ? Infinity : n < a.length ? a[n].t : b[n].t;
}

/**
 * The runs of a study on one core (one per worker): pass it as `simulate(core, scenario,
 * { prefixes })`. It remembers the last run it set up on the core; a run whose setup has
 * the same verbs but for events continues from the last checkpoint before its first
 * different event (or at it, when this run has an event at that time too). Anything else
 * set up on the core in between (another run, a check) is seen by the core's run count
 * and the next run starts afresh.
 */
export class SharedPrefixes {
  private last: { core: Core; serial: number; setup: RunSetup } | undefined;
  /** Runs that continued from a checkpoint, and the simulated hours they did not repeat (for benchmarks). */
  continued = 0;
  skippedH = 0;

  /**
   * Sets `core` up for a run of `scenario` that reads `columns` (SimulateOptions), afresh
   * or from a checkpoint of the last run; returns the model adapter.
   */
  setUp(core: Core, scenario: Scenario, columns?: readonly string[]): ModelAdapter {
    const recorder = new SetupRecorder();
    const model = configureRun(recorder, scenario, columns);
    const setup = recorder.setup(scenario.process.durationH);
    const last = this.last;
    this.last = undefined;
    if (last && last.core === core && last.serial === core.runSerial && sameCalls(last.setup, setup)) {
      const differ = firstDifference(last.setup.events, setup.events);
      // Both runs arrive at a checkpoint's time in the same state if every event before
      // it is the same: a checkpoint before the first difference, or at it when this run
      // too has an event there (it stops there as the last one did; its own events follow).
      const stopsAtDifference = setup.events.some((e) => e.t === differ);
      const times = core.checkpointTimes();
      let k = times.length - 1;
      while (k >= 0 && !(times[k] < differ || (times[k] === differ && stopsAtDifference))) k--;
      if (k >= 0) {
        const kept = core.restoreCheckpoint(k);
        for (const e of setup.events.slice(kept)) core.addEvent(e.t, e.kind, e.index, e.value);
        this.continued++;
        this.skippedH += times[k];
        this.last = { core, serial: core.runSerial, setup };
        return model;
      }
    }
    replay(core, setup);
    core.enableCheckpoints();
    this.last = { core, serial: core.runSerial, setup };
    return model;
  }
}

function sameCalls(a: RunSetup, b: RunSetup): boolean {
  return a.calls.length === b.calls.length && a.calls.every((call, i) => sameNumbers(call, b.calls[i]));
}

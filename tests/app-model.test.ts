// The app's model (web/model/app-model.ts) against a stand-in worker whose replies
// arrive when the test says: a scenario opened while the first run is still starting
// restarts on the new scenario, and the late reply of the old start is ignored.
import { describe, expect, test, vi } from "vitest";
import { AppModel } from "../web/model/app-model";
import type { SimulationClient } from "../web/model/simulation-client";

interface PendingCall {
  verb: string;
  args: unknown[];
  resolve(value: unknown): void;
}

function fakeClient() {
  const calls: PendingCall[] = [];
  const client = {
    call(verb: string, args: unknown[]) {
      return new Promise((resolve) => calls.push({ verb, args, resolve }));
    },
  } as unknown as SimulationClient;
  return { client, calls };
}

/** A start reply for a document: one row at t = 0 of a run with a time column only. */
function startReply(doc: { process: { durationH: number } }) {
  return {
    ok: true,
    columns: [{ name: "time", unit: "h", description: "time" }],
    durationH: doc.process.durationH,
    outputIntervalH: 1,
    knobs: [],
    slice: { rows: Float64Array.of(0), timeH: 0, phase: "ready", message: "ok", stats: null },
  };
}

describe("AppModel", () => {
  test("a scenario opened while the first run is starting restarts the run on it; the old start's reply is ignored", async () => {
    vi.stubGlobal("requestAnimationFrame", () => 0);
    vi.stubGlobal("cancelAnimationFrame", () => undefined);
    const { client, calls } = fakeClient();
    const model = new AppModel(client);
    const started = model.start("");
    await vi.waitFor(() => expect(calls.length).toBe(1));
    const first = calls[0];
    expect(first.verb).toBe("startLive");
    expect((first.args[0] as { metadata: { title: string } }).metadata.title).toMatch(/fed-batch, 2 L, 14 days/);

    expect(model.openBuiltin("cho-perfusion", { play: false })).toBe(true);
    await vi.waitFor(() => expect(calls.length).toBe(2));
    const second = calls[1];
    expect(second.verb).toBe("startLive");
    const perfusion = second.args[0] as { metadata: { title: string }; process: { durationH: number } };
    expect(perfusion.metadata.title).toMatch(/perfusion/i);

    // The first start answers late: its run must not replace the perfusion one.
    first.resolve(startReply({ process: { durationH: 336 } }));
    await started;
    second.resolve(startReply(perfusion));
    await vi.waitFor(() => expect(model.run?.durationH).toBe(perfusion.process.durationH));
    expect(model.scenario.metadata.title).toBe(perfusion.metadata.title);
    vi.unstubAllGlobals();
  });
});

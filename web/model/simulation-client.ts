// The page's side of the simulation worker: starts it, calls it through comlink,
// and watches it. A worker that crashes, or does not answer within the time a call
// may take, is terminated and replaced; the pending call fails with WorkerLostError
// and the owner is told, so the app can say what happened and carry on.
import { wrap, type Remote } from "comlink";
import type { SimulationWorkerApi } from "../worker/simulation-worker";

/** The worker stopped answering (crashed or stuck) and was replaced. */
export class WorkerLostError extends Error {
  constructor(readonly reason: string) {
    super(`the simulation worker ${reason}; a new one has been started`);
  }
}

/** How long a call may take before the worker counts as stuck, in ms. */
export const CALL_TIMEOUT_MS = { quick: 10_000, whole: 60_000 } as const;

type Verb = keyof SimulationWorkerApi;
type Args<V extends Verb> = Parameters<SimulationWorkerApi[V]>;
type Reply<V extends Verb> = Awaited<ReturnType<SimulationWorkerApi[V]>>;

export class SimulationClient {
  private worker!: Worker;
  private api!: Remote<SimulationWorkerApi>;
  private rejectPending = new Set<(error: Error) => void>();
  /** Times the worker was replaced. */
  replacements = 0;

  /** @param onLost - told when a worker was replaced, with the reason */
  constructor(private readonly onLost: (error: WorkerLostError) => void = () => {}) {
    this.start();
  }

  /** Calls a verb of the worker; fails with WorkerLostError if the worker dies or takes longer than `timeoutMs`. */
  call<V extends Verb>(verb: V, args: Args<V>, timeoutMs: number = CALL_TIMEOUT_MS.quick): Promise<Reply<V>> {
    const fn = this.api[verb] as unknown as (...a: Args<V>) => Promise<Reply<V>>;
    return new Promise<Reply<V>>((resolve, reject) => {
      let settled = false;
      const done = () => {
        settled = true;
        clearTimeout(timer);
        this.rejectPending.delete(fail);
      };
      const fail = (error: Error) => {
        if (settled) return;
        done();
        reject(error);
      };
      const timer = setTimeout(() => this.lose(`did not answer within ${(timeoutMs / 1000).toFixed(0)} s (stuck)`), timeoutMs);
      this.rejectPending.add(fail);
      fn(...args).then(
        (value) => {
          if (settled) return;
          done();
          resolve(value);
        },
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private start(): void {
    this.worker = new Worker(new URL("../worker/simulation-worker.ts", import.meta.url), { type: "module", name: "biotwin-simulation" });
    this.worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.lose(`crashed (${event.message || "error"})`);
    });
    this.worker.addEventListener("messageerror", () => this.lose("sent a message that could not be read"));
    this.api = wrap<SimulationWorkerApi>(this.worker);
  }

  private lose(reason: string): void {
    this.worker.terminate();
    this.replacements++;
    this.start();
    const error = new WorkerLostError(reason);
    const pending = [...this.rejectPending];
    this.rejectPending.clear();
    pending.forEach((reject) => reject(error));
    this.onLost(error);
  }
}

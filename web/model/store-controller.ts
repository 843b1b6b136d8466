// A Lit reactive controller that re-renders its host when a Store changes:
// subscribes when the host connects, unsubscribes when it leaves the page.
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { Store } from "./store";

export class StoreController<S extends Store> implements ReactiveController {
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly store: S,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = this.store.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

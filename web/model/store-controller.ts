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

/** For an element whose store is a property: drops `current` (if any) and returns a controller of `store` (null without one). */
export function rebindStore<S extends Store>(host: ReactiveControllerHost, current: StoreController<S> | null, store: S | null | undefined): StoreController<S> | null {
  if (current) {
    current.hostDisconnected();
    host.removeController(current);
  }
  return store ? new StoreController(host, store) : null;
}

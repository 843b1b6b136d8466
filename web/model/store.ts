// A minimal observable for the app's model objects: views subscribe and are told,
// once per microtask, that something changed. The model never imports a view.
export class Store {
  private listeners = new Set<() => void>();
  private queued = false;

  /** Calls `listener` after changes; returns the function that unsubscribes it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Schedules one notification for every change made in this task. */
  protected changed(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      for (const listener of [...this.listeners]) listener();
    });
  }
}

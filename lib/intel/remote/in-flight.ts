import { onAbort } from "./abort-listeners";

interface Running<T> {
  promise: Promise<T>;
  controller: AbortController;
  callers: number;
}

/**
 * One piece of work per key at a time: callers asking for a key that is already being worked on
 * wait for the same answer instead of starting their own. Each caller may give up on its own
 * signal without disturbing the others; the work itself is aborted only when every caller has
 * given up, and a caller arriving after that starts afresh.
 */
export class InFlight<T> {
  private readonly running = new Map<string, Running<T>>();

  /** `work` must not reject; `abandoned` is what a caller that gave up receives. */
  run(key: string, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>, abandoned: () => T): Promise<T> {
    if (signal.aborted) return Promise.resolve(abandoned());
    let entry = this.running.get(key);
    if (entry === undefined) {
      const controller = new AbortController();
      const promise: Promise<T> = work(controller.signal).finally(() => {
        if (this.running.get(key)?.promise === promise) this.running.delete(key);
      });
      entry = { promise, controller, callers: 0 };
      this.running.set(key, entry);
    }
    const joined = entry;
    joined.callers++;
    return new Promise<T>((resolve) => {
      const stopListening = onAbort(signal, () => {
        joined.callers--;
        if (joined.callers === 0) {
          if (this.running.get(key) === joined) this.running.delete(key);
          joined.controller.abort();
        }
        resolve(abandoned());
      });
      void joined.promise.then((value) => {
        stopListening();
        resolve(value);
      });
    });
  }

  /** Aborts all work; its callers receive whatever the work answers when aborted. */
  abortAll(): void {
    for (const entry of this.running.values()) entry.controller.abort();
    this.running.clear();
  }
}

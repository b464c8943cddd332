const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fn` once when `signal` aborts; the returned function stops listening. However many
 * callers wait on one signal, it gets a single real listener: an alert's signal is shared by all
 * its lookups (indicators × providers), and Node warns of a leak past ten listeners.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let callbacks = waiting.get(signal);
  if (callbacks === undefined) {
    const fresh = new Set<() => void>();
    signal.addEventListener(
      "abort",
      () => {
        waiting.delete(signal);
        for (const callback of fresh) callback();
      },
      { once: true },
    );
    waiting.set(signal, fresh);
    callbacks = fresh;
  }
  const mine = callbacks;
  mine.add(fn);
  return () => {
    mine.delete(fn);
  };
}

/** True once `promise` settles, false if `signal` aborts first. */
export function settledBefore(promise: Promise<unknown>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => resolve(false);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      },
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      },
    );
  });
}

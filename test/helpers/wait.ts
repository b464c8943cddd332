/** Waits until `cond` holds, polling; fails the test if it does not within `ms`. */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets in-flight messages land before asserting that nothing more arrived. */
export const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));

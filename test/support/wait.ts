/** Waiting for what the bot does at the wire, with a deadline so a test fails instead of hanging. */

/** Resolves once `check` holds; throws `Expected <what>` after `ms`. */
export async function until(check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Expected ${what} within ${String(ms)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The first value `read` gives that is not undefined; throws after `timeoutMs`. */
export async function eventually<T>(read: () => T | undefined, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('Expected the condition within the time limit');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

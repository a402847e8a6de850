/**
 * Per-message serialisation: two moderators pressing buttons on the same message at once must not
 * race (a later edit written with an earlier tally). Work for one message runs in arrival order;
 * different messages run in parallel.
 */
export class MessageLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(messageId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(messageId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.#tails.set(messageId, tail);
    void tail.then(() => {
      if (this.#tails.get(messageId) === tail) this.#tails.delete(messageId);
    });
    return next;
  }
}

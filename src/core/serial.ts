/**
 * Work serialised per key: two updates of the same thing (a message's buttons, an object's votes, a
 * guild's settings) must not interleave their read-modify-write, while different keys run in
 * parallel. Work for one key runs in arrival order; a failure does not block the next piece.
 * Single-process: several processes need the store's own atomic operations instead.
 */
export class KeyedSerialQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }
}

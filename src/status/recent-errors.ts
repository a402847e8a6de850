/**
 * The last reference ids the bot logged (a user saw one, or a catch site logged a failure), for the
 * status page: an owner reading a ref id from a Discord member can see when and where it happened,
 * then grep the log for it. Only the id, the time and the module: never a message or a user.
 */

export interface RecentError {
  refId: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** The module (and interaction or auto-scan entry) that logged it. */
  where: string;
}

export class RecentErrors {
  readonly #items: RecentError[] = [];

  /** @param capacity how many are kept; older ones are dropped */
  constructor(private readonly capacity = 50) {}

  record(error: RecentError): void {
    this.#items.push(error);
    if (this.#items.length > this.capacity) this.#items.splice(0, this.#items.length - this.capacity);
  }

  /** Newest first. */
  list(): RecentError[] {
    return [...this.#items].reverse();
  }
}

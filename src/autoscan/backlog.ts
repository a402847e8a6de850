/**
 * The bound on auto-scan work. Every indicator holds a slot from the moment it is accepted until its
 * message is answered. When the backlog is full, new indicators are refused (warn log + counter)
 * rather than queued without end or dropping older ones: an accepted scan is never dropped, and a
 * server flooding links cannot push everyone else's answers days into the future or fill the disk
 * with spooled attachments. At 4 requests a minute, 200 slots is already close to an hour of work.
 */
export const MAX_AUTOSCAN_BACKLOG = 200;

export class Backlog {
  #used = 0;
  constructor(readonly capacity: number = MAX_AUTOSCAN_BACKLOG) {}

  get used(): number {
    return this.#used;
  }

  /** Takes up to `wanted` slots; returns how many were granted. */
  take(wanted: number): number {
    const granted = Math.max(0, Math.min(wanted, this.capacity - this.#used));
    this.#used += granted;
    return granted;
  }

  /** Takes `count` slots even past capacity: for work accepted earlier (resumed jobs). */
  reserve(count: number): void {
    this.#used += count;
  }

  release(count: number): void {
    this.#used = Math.max(0, this.#used - count);
  }
}

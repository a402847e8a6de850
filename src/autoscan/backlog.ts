/**
 * The bound on auto-scan work. Every indicator holds a slot from the moment it is accepted until its
 * message is answered. When the backlog is full, or one author already holds their share, new
 * indicators are refused for now (warn log + counter) and stored as a deferred job (message-scan.ts)
 * rather than queued in memory without end or dropped: a server or a member flooding links cannot
 * push everyone else's answers days into the future or fill the disk with spooled attachments, and
 * what they posted is still scanned later. At 4 requests a minute, 200 slots is close to an hour.
 */
export const MAX_AUTOSCAN_BACKLOG = 200;
/** Slots one author may hold at once: a tenth of the backlog, so one member cannot fill it. */
export const MAX_AUTOSCAN_PER_AUTHOR = 20;

export class Backlog {
  #used = 0;
  readonly #byOwner = new Map<string, number>();

  constructor(
    readonly capacity: number = MAX_AUTOSCAN_BACKLOG,
    readonly perOwner: number = MAX_AUTOSCAN_PER_AUTHOR,
  ) {}

  get used(): number {
    return this.#used;
  }

  /** Slots `owner` holds now. */
  heldBy(owner: string): number {
    return this.#byOwner.get(owner) ?? 0;
  }

  /** Takes up to `wanted` slots for `owner`, within both bounds; returns how many were granted. */
  take(wanted: number, owner: string): number {
    const room = Math.min(this.capacity - this.#used, this.perOwner - this.heldBy(owner));
    const granted = Math.max(0, Math.min(wanted, room));
    this.#add(owner, granted);
    return granted;
  }

  /** Takes `count` slots even past the bounds: for work accepted earlier (resumed jobs). */
  reserve(count: number, owner: string): void {
    this.#add(owner, count);
  }

  release(count: number, owner: string): void {
    this.#add(owner, -Math.min(count, this.heldBy(owner)));
  }

  #add(owner: string, count: number): void {
    this.#used = Math.max(0, this.#used + count);
    const held = this.heldBy(owner) + count;
    if (held > 0) this.#byOwner.set(owner, held);
    else this.#byOwner.delete(owner);
  }
}

/** Who holds an auto-scan's slots: one author of one server (a webhook-less message has no author). */
export function ownerOf(guildId: string, authorId: string | null): string {
  return `${guildId}/${authorId ?? '-'}`;
}

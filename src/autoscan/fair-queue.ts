/**
 * Hands auto-scan work to the quota gate fairly. The gate serves one priority first come, first
 * served, so whoever posts the most would own it: a member posting hundreds of junk domains would
 * push a malicious link someone else posts next behind all of them. Work waits here instead, one
 * line per author inside one line per server, and only `window` pieces are released into the gate
 * at a time: servers take turns, then authors within a server, so a newcomer's scan is released at
 * the next free place whatever the backlog of others.
 */

/** Whose work it is; the two levels of the round-robin. */
export interface FairKey {
  guildId: string;
  authorId: string;
}

interface Waiting {
  start: () => void;
}

/** Default number of scans released into the gate at once: enough to keep a free-tier key busy. */
export const DEFAULT_SCAN_WINDOW = 8;

export class FairQueue {
  /** guild → author → waiting work; Map order is the turn order. */
  readonly #lines = new Map<string, Map<string, Waiting[]>>();
  #running = 0;
  #waiting = 0;

  constructor(readonly window: number = DEFAULT_SCAN_WINDOW) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`Expected a scan window of at least 1, got ${window}`);
  }

  /** Pieces waiting for their turn (not yet released). */
  get size(): number {
    return this.#waiting;
  }

  /**
   * Runs `work` when it is `key`'s turn. An aborted `signal` releases it at once (the work is
   * expected to end quickly under an aborted signal, e.g. a scan answering `error`).
   */
  run<T>(key: FairKey, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.#running++;
          work().then(resolve, reject).finally(() => {
            this.#running--;
            this.#pump();
          });
        },
      };
      const onAbort = (): void => {
        if (this.#remove(key, entry)) entry.start();
      };
      this.#line(key).push(entry);
      this.#waiting++;
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted === true) onAbort();
      else this.#pump();
    });
  }

  #line(key: FairKey): Waiting[] {
    let authors = this.#lines.get(key.guildId);
    if (!authors) this.#lines.set(key.guildId, (authors = new Map<string, Waiting[]>()));
    let line = authors.get(key.authorId);
    if (!line) authors.set(key.authorId, (line = []));
    return line;
  }

  #remove(key: FairKey, entry: Waiting): boolean {
    const line = this.#lines.get(key.guildId)?.get(key.authorId);
    const index = line?.indexOf(entry) ?? -1;
    if (!line || index < 0) return false;
    line.splice(index, 1);
    this.#waiting--;
    return true;
  }

  /**
   * Releases work while there is room: the first server in turn, its first author in turn. A line
   * emptied by a release stays at the back of the turn order until the sweep reaches it, so a key
   * that was just served and posts again does not jump ahead of those waiting.
   */
  #pump(): void {
    while (this.#running < this.window) {
      const next = this.#lines.entries().next();
      if (next.done === true) return;
      const [guildId, authors] = next.value;
      this.#lines.delete(guildId);
      const entry = this.#takeFrom(authors);
      if (authors.size > 0) this.#lines.set(guildId, authors);
      if (!entry) continue;
      this.#waiting--;
      entry.start();
    }
  }

  /** The first waiting author's first piece; empty lines met on the way are forgotten. */
  #takeFrom(authors: Map<string, Waiting[]>): Waiting | undefined {
    for (const [authorId, line] of authors) {
      authors.delete(authorId);
      const entry = line.shift();
      if (entry === undefined) continue;
      authors.set(authorId, line);
      return entry;
    }
    return undefined;
  }
}

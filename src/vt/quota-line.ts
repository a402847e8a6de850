/**
 * The quota gate's view of who is waiting, in the order p-queue will serve them (priority, then
 * FIFO), so each waiting request can be told its position and estimated wait, and told again when
 * it moves up.
 */
import type { QueueInfo } from './backend.js';

export interface Waiter {
  /** p-queue priority: higher is served first. */
  priority: number;
  onQueued: ((info: QueueInfo) => void) | undefined;
  /** Only requests that really wait hear about their position. */
  announce: boolean;
  lastPosition: number;
  /** Aborts the waiting task (the caller's signal, or the gate closing). */
  controller: AbortController;
}

export class WaitingLine {
  private readonly waiters: Waiter[] = [];

  /**
   * @param estimator returns a function from position to estimated wait (one window snapshot for
   *   a whole announcement round)
   * @param onCallbackError a caller's onQueued threw (logged; the request still waits)
   */
  constructor(
    private readonly estimator: () => (position: number) => number,
    private readonly onCallbackError: (error: unknown) => void,
  ) {}

  get size(): number {
    return this.waiters.length;
  }

  /** A copy, for closing. */
  all(): Waiter[] {
    return [...this.waiters];
  }

  insert(waiter: Waiter): void {
    const at = this.waiters.findIndex((w) => w.priority < waiter.priority);
    this.waiters.splice(at === -1 ? this.waiters.length : at, 0, waiter);
    this.announce();
  }

  remove(waiter: Waiter): void {
    const at = this.waiters.indexOf(waiter);
    if (at === -1) return;
    this.waiters.splice(at, 1);
    this.announce();
  }

  /** Tells each waiting request its position when it changed. */
  private announce(): void {
    let estimate: ((position: number) => number) | undefined;
    this.waiters.forEach((waiter, index) => {
      const position = index + 1;
      if (!waiter.announce || waiter.onQueued === undefined || waiter.lastPosition === position) return;
      waiter.lastPosition = position;
      try {
        estimate ??= this.estimator();
        waiter.onQueued({ position, estimatedWaitMs: estimate(position) });
      } catch (error) {
        this.onCallbackError(error);
      }
    });
  }
}

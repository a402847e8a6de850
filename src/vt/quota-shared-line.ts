/**
 * The shared quota gate's local waiting line: this process's waiters in serving order (the same
 * score the shared Redis line uses: priority rank, then enqueue time), told their position and an
 * estimated wait when it changes.
 */
import type { QueueInfo } from './backend.js';

export interface SharedWaiter {
  /** `<process>|<seq>`: the waiter's entry in the shared line, and later its slot in the window. */
  member: string;
  score: number;
  onQueued: ((info: QueueInfo) => void) | undefined;
  lastPosition: number;
  resolve(): void;
  reject(error: Error): void;
  /** Cleans up (the abort listener) once granted or refused. */
  done?: () => void;
}

export class SharedWaiters {
  private readonly waiters: SharedWaiter[] = [];

  /**
   * @param slotMs the window's time per slot, for estimates past the first wait
   * @param onCallbackError a caller's onQueued threw (logged; the request still waits)
   */
  constructor(private readonly slotMs: number, private readonly onCallbackError: (error: unknown) => void) {}

  get size(): number {
    return this.waiters.length;
  }

  head(): SharedWaiter | undefined {
    return this.waiters[0];
  }

  insert(waiter: SharedWaiter): void {
    const at = this.waiters.findIndex((w) => w.score > waiter.score);
    this.waiters.splice(at === -1 ? this.waiters.length : at, 0, waiter);
  }

  /** False when it was no longer waiting. */
  remove(waiter: SharedWaiter): boolean {
    const at = this.waiters.indexOf(waiter);
    if (at === -1) return false;
    this.waiters.splice(at, 1);
    waiter.done?.();
    return true;
  }

  /** False when the waiter had already left (aborted): the slot is unused. */
  grant(waiter: SharedWaiter): boolean {
    if (!this.remove(waiter)) return false;
    waiter.resolve();
    return true;
  }

  /** Refuses every waiter; returns their members (to leave the shared line). */
  rejectAll(error: Error): string[] {
    const all = this.waiters.splice(0);
    for (const waiter of all) {
      waiter.done?.();
      waiter.reject(error);
    }
    return all.map((w) => w.member);
  }

  /** Tells waiters their position: the head waits `headWaitMs`, each after it one slot's time more. */
  announce(headWaitMs: number): void {
    this.waiters.forEach((waiter, index) => {
      const position = index + 1;
      if (waiter.onQueued === undefined || waiter.lastPosition === position) return;
      waiter.lastPosition = position;
      try {
        waiter.onQueued({ position, estimatedWaitMs: Math.round(headWaitMs + index * this.slotMs) });
      } catch (error) {
        this.onCallbackError(error);
      }
    });
  }
}

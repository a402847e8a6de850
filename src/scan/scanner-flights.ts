/**
 * Single-flight for the scanner: identical work in flight (the same lookup, the same submission)
 * is done once and shared. Every caller still hears the progress (queued position, submitted,
 * analysing) and may stop waiting with its own signal without cancelling the shared work.
 */
import { timerDelay } from '../core/timers.js';
import type { FlightLock } from '../store/flight-lock.js';
import type { Progress } from './outcome.js';

/** Flights shared with other processes: their lock, and where a finished flight's result is read. */
export interface SharedFlights<T> {
  lock: FlightLock;
  /** The result another process's flight for `key` left (in the shared cache); undefined while there is none. */
  result(key: string): Promise<T | undefined>;
}

/** Reports progress to everyone waiting on a flight. */
export type Emit = (progress: Progress) => void;

interface Flight<T> {
  promise: Promise<T>;
  listeners: Set<Emit>;
  last: Progress | undefined;
  done: boolean;
}

export class Flights<T> {
  private readonly active = new Map<string, Flight<T>>();

  /**
   * @param graceMs how long a finished flight still answers joiners: a caller whose cache read
   *   raced the flight's cache write still gets the result instead of asking VirusTotal again.
   * @param shared when set, a flight is also done once across processes
   */
  constructor(private readonly graceMs = 2000, private readonly shared?: SharedFlights<T>) {}

  /** Whether work for `key` is in flight now (finished flights in their grace period don't count). */
  inProgress(key: string): boolean {
    return this.active.get(key)?.done === false;
  }

  /** Joins the flight for `key`, or starts it with `start`. */
  join(key: string, start: (emit: Emit) => Promise<T>, listener?: Emit, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const flight = this.active.get(key) ?? this.launch(key, start);
    if (listener !== undefined) {
      if (flight.last !== undefined) notify(listener, flight.last);
      flight.listeners.add(listener);
    }
    const stop = (): void => {
      if (listener !== undefined) flight.listeners.delete(listener);
    };
    if (signal === undefined) return flight.promise.finally(stop);
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(resolve, reject).finally(() => {
        signal.removeEventListener('abort', onAbort);
        stop();
      });
    });
  }

  /** Resolves once every flight now in the air has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.active.values()].map((f) => f.promise));
  }

  private launch(key: string, start: (emit: Emit) => Promise<T>): Flight<T> {
    const listeners = new Set<Emit>();
    const flight: Flight<T> = { listeners, last: undefined, done: false, promise: Promise.resolve(undefined as T) };
    const emit: Emit = (progress) => {
      flight.last = progress;
      for (const listener of listeners) notify(listener, progress);
    };
    const { shared } = this;
    flight.promise = Promise.resolve().then(() => (shared === undefined ? start(emit) : shared.lock.once(key, () => start(emit), () => shared.result(key))));
    this.active.set(key, flight);
    const forget = (): void => {
      flight.done = true;
      if (this.active.get(key) === flight) this.active.delete(key);
    };
    flight.promise.then(
      () => {
        flight.done = true;
        setTimeout(forget, timerDelay(this.graceMs)).unref();
      },
      forget, // a failure is not shared with later callers: they try again
    );
    return flight;
  }
}

/** A caller's progress callback must not break the shared work. */
function notify(listener: Emit, progress: Progress): void {
  try {
    listener(progress);
  } catch {
    // The caller's own bug; the scan goes on.
  }
}

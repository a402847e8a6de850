/**
 * The double's own view of the key's limits: a sliding window (`perWindow` per `windowMs`, like
 * VirusTotal's "4 lookups / min") and a UTC-day budget. Requests beyond either are refused and
 * counted as violations: a correct gate never causes one.
 */
export interface QuotaLimits {
  perWindow: number;
  windowMs: number;
  perDay: number;
}

export type Admission = { ok: true } | { ok: false; limit: 'window' | 'day'; retryAfterMs: number };

export class DoubleQuota {
  limits: QuotaLimits;
  violations = 0;
  readonly #accepted: number[] = [];
  #day = '';
  #dayCount = 0;

  constructor(limits: QuotaLimits, private readonly clock: () => number) {
    this.limits = limits;
  }

  /** Admits one request now, or refuses it and counts a violation. */
  admit(): Admission {
    const now = this.clock();
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.#day) {
      this.#day = day;
      this.#dayCount = 0;
    }
    while (this.#accepted.length > 0 && (this.#accepted[0] ?? 0) <= now - this.limits.windowMs) this.#accepted.shift();
    if (this.#dayCount >= this.limits.perDay) {
      this.violations += 1;
      return { ok: false, limit: 'day', retryAfterMs: Date.parse(`${day}T00:00:00Z`) + 86_400_000 - now };
    }
    if (this.#accepted.length >= this.limits.perWindow) {
      this.violations += 1;
      return { ok: false, limit: 'window', retryAfterMs: (this.#accepted[0] ?? now) + this.limits.windowMs - now };
    }
    this.#accepted.push(now);
    this.#dayCount += 1;
    return { ok: true };
  }

  /** Forgets all use (violations are kept unless `violations` is set too). */
  reset(): void {
    this.#accepted.length = 0;
    this.#dayCount = 0;
  }

  usage(): { window: number; day: number } {
    const now = this.clock();
    return { window: this.#accepted.filter((t) => t > now - this.limits.windowMs).length, day: this.#dayCount };
  }
}

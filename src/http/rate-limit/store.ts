/**
 * Where rate-limit counters live. A limit is per user across every instance
 * only when the counters are shared (Redis); the in-memory store counts per
 * process, so N instances would allow N times the limit.
 */
export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again. */
  resetMs: number;
}

export interface RateLimitStore {
  /** Counts one hit on `key` in a fixed window of `windowMs` that starts at the key's first hit. Atomic. */
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  /** Releases connections, if any. */
  close?(): Promise<void>;
}

/** Counters in this process's memory: right for one instance. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private lastSweep = 0;

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = Date.now();
    this.sweep(now, windowMs);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { count: window.count, resetMs: window.endsAt - now };
  }

  /** Drops ended windows now and then, so keys of users who left do not pile up. */
  private sweep(now: number, windowMs: number): void {
    if (now - this.lastSweep < windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

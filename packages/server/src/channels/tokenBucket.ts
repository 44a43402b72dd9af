import type { RateLimit } from './channelConfig.ts';

/**
 * A token bucket per channel: `perSecond` tokens flow in, at most `burst` wait. Time comes in as a
 * parameter, so tests and simulations drive it with their own clock. One bucket per process: N
 * sender processes together send up to N × the configured rate (decision 0007).
 */
export class TokenBucket {
  #tokens: number;
  #lastMs: number | null = null;

  constructor(readonly limit: RateLimit) {
    this.#tokens = limit.burst;
  }

  #refill(nowMs: number): void {
    if (this.#lastMs !== null && nowMs > this.#lastMs)
      this.#tokens = Math.min(
        this.limit.burst,
        this.#tokens + ((nowMs - this.#lastMs) / 1000) * this.limit.perSecond,
      );
    if (this.#lastMs === null || nowMs > this.#lastMs) this.#lastMs = nowMs;
  }

  /** Whole tokens available now. */
  available(nowMs: number): number {
    this.#refill(nowMs);
    return Math.floor(this.#tokens);
  }

  /** Takes up to `n` tokens; returns how many were granted. */
  take(n: number, nowMs: number): number {
    this.#refill(nowMs);
    const granted = Math.max(0, Math.min(n, Math.floor(this.#tokens)));
    this.#tokens -= granted;
    return granted;
  }

  /** Gives back tokens taken for sends that did not happen (nothing was due after all). */
  giveBack(n: number): void {
    this.#tokens = Math.min(this.limit.burst, this.#tokens + n);
  }

  /** Milliseconds until the next whole token (0 when one is available). */
  msUntilNext(nowMs: number): number {
    this.#refill(nowMs);
    if (this.#tokens >= 1) return 0;
    return Math.ceil(((1 - this.#tokens) / this.limit.perSecond) * 1000);
  }
}

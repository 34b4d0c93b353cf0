/**
 * The simulator's wall clock: token expiry and idempotency retention read it. Tests inject their
 * own base clock, or move it forward through `POST /__sim/clock`, so expiry needs no sleeping.
 */
export class SimClock {
  private offsetMs = 0;

  /** @param base milliseconds since the epoch (default `Date.now`). */
  constructor(private readonly base: () => number = Date.now) {}

  /** Current simulated time in milliseconds since the epoch. */
  now(): number {
    return this.base() + this.offsetMs;
  }

  /** Move simulated time forward by `ms` (never backwards). */
  advance(ms: number): void {
    if (ms > 0) this.offsetMs += ms;
  }

  /** How far simulated time is ahead of the base clock. */
  offset(): number {
    return this.offsetMs;
  }
}

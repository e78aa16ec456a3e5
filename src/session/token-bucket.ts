/** A token bucket: `burst` tokens, refilled at `perSec`; `take` spends one if available. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly burst: number;
  private readonly perSec: number;

  constructor(burst: number, perSec: number, nowMs: number) {
    this.burst = burst;
    this.perSec = perSec;
    this.tokens = burst;
    this.updatedAt = nowMs;
  }

  take(nowMs: number): boolean {
    const elapsed = Math.max(0, nowMs - this.updatedAt);
    this.updatedAt = nowMs;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.perSec) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

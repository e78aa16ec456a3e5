import type { ChatChannel } from "./chat-rules.ts";

/** A token bucket's tuning: `burst` messages at once, refilled at `perSec` messages a second. */
export type ChatRateRule = { readonly burst: number; readonly perSec: number };

/**
 * Per sender and channel. World chat reaches every player on every process, so it refills
 * slowest; zone chat reaches a whole zone, so it is slower than say, party, guild and whisper.
 */
export const CHAT_RATE_RULES: Readonly<Record<ChatChannel, ChatRateRule>> = {
  say: { burst: 5, perSec: 1 },
  zone: { burst: 3, perSec: 0.5 },
  party: { burst: 5, perSec: 1 },
  guild: { burst: 5, perSec: 1 },
  whisper: { burst: 5, perSec: 1 },
  world: { burst: 2, perSec: 0.1 },
};

/** A bucket's state: tokens left at `atMs`. */
export type ChatBucket = { readonly tokens: number; readonly atMs: number };

export type ChatTakeResult =
  | { ok: true; bucket: ChatBucket }
  | { ok: false; code: "RATE_LIMITED"; bucket: ChatBucket; retryAfterMs: number };

/** Refills `bucket` (undefined: full) up to `nowMs`, then spends one token if there is one. */
export function takeChatToken(
  bucket: ChatBucket | undefined,
  rule: ChatRateRule,
  nowMs: number,
): ChatTakeResult {
  const before = bucket ?? { tokens: rule.burst, atMs: nowMs };
  const elapsedMs = Math.max(0, nowMs - before.atMs);
  const tokens = Math.min(rule.burst, before.tokens + (elapsedMs * rule.perSec) / 1000);
  if (tokens >= 1) return { ok: true, bucket: { tokens: tokens - 1, atMs: nowMs } };
  const retryAfterMs = Math.ceil(((1 - tokens) * 1000) / rule.perSec);
  return { ok: false, code: "RATE_LIMITED", bucket: { tokens, atMs: nowMs }, retryAfterMs };
}

/**
 * Chat buckets of every sender on every channel. Deterministic: the caller passes the time.
 * Call `forget` when a sender leaves and `prune` now and then so idle full buckets go.
 */
export class ChatRateLimiter {
  private readonly buckets = new Map<string, ChatBucket>();
  private readonly rules: Readonly<Record<ChatChannel, ChatRateRule>>;

  constructor(rules: Readonly<Record<ChatChannel, ChatRateRule>> = CHAT_RATE_RULES) {
    this.rules = rules;
  }

  /** Spends one of `senderId`'s tokens on `channel`; refused with the wait until the next one. */
  take(
    senderId: string,
    channel: ChatChannel,
    nowMs: number,
  ): { ok: true } | { ok: false; code: "RATE_LIMITED"; retryAfterMs: number } {
    const key = `${channel}:${senderId}`;
    const result = takeChatToken(this.buckets.get(key), this.rules[channel], nowMs);
    this.buckets.set(key, result.bucket);
    return result.ok
      ? { ok: true }
      : { ok: false, code: result.code, retryAfterMs: result.retryAfterMs };
  }

  forget(senderId: string): void {
    for (const channel of Object.keys(this.rules)) this.buckets.delete(`${channel}:${senderId}`);
  }

  /** Drops buckets that would be full again at `nowMs` (same as absent). */
  prune(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      const channel = key.slice(0, key.indexOf(":")) as ChatChannel;
      const rule = this.rules[channel];
      if (bucket.tokens + ((nowMs - bucket.atMs) * rule.perSec) / 1000 >= rule.burst) {
        this.buckets.delete(key);
      }
    }
  }

  /** Number of buckets held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }
}

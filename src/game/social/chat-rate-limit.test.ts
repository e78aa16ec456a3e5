import { strict as assert } from "node:assert";
import { CHAT_RATE_RULES, ChatRateLimiter, takeChatToken } from "./chat-rate-limit.ts";

describe("chat rate limit", () => {
  it("allows a burst of say messages, then one a second", () => {
    const limiter = new ChatRateLimiter();
    for (let i = 0; i < 5; i += 1) assert.equal(limiter.take("a", "say", 1000).ok, true);
    assert.deepEqual(limiter.take("a", "say", 1000), {
      ok: false,
      code: "RATE_LIMITED",
      retryAfterMs: 1000,
    });
    assert.equal(limiter.take("a", "say", 1999).ok, false);
    assert.equal(limiter.take("a", "say", 2000).ok, true);
    assert.equal(limiter.take("a", "say", 2000).ok, false);
  });

  it("limits world chat to 2 at once and one per 10 s", () => {
    const limiter = new ChatRateLimiter();
    assert.equal(limiter.take("a", "world", 0).ok, true);
    assert.equal(limiter.take("a", "world", 0).ok, true);
    const refused = limiter.take("a", "world", 0);
    assert.ok(!refused.ok && refused.retryAfterMs === 10_000);
    assert.equal(limiter.take("a", "world", 9_999).ok, false);
    assert.equal(limiter.take("a", "world", 10_000).ok, true);
  });

  it("keeps senders and channels apart", () => {
    const limiter = new ChatRateLimiter();
    for (let i = 0; i < 3; i += 1) assert.equal(limiter.take("a", "zone", 0).ok, true);
    assert.equal(limiter.take("a", "zone", 0).ok, false);
    assert.equal(limiter.take("b", "zone", 0).ok, true);
    assert.equal(limiter.take("a", "say", 0).ok, true);
  });

  it("never stores more than the burst, however long the sender was quiet", () => {
    let bucket = takeChatToken(undefined, CHAT_RATE_RULES.zone, 0).bucket;
    bucket = takeChatToken(bucket, CHAT_RATE_RULES.zone, 1_000_000).bucket;
    assert.equal(bucket.tokens, CHAT_RATE_RULES.zone.burst - 1);
  });

  it("ignores a clock that goes backwards", () => {
    const first = takeChatToken(undefined, { burst: 1, perSec: 1 }, 5000);
    const again = takeChatToken(first.bucket, { burst: 1, perSec: 1 }, 1000);
    assert.equal(again.ok, false);
  });

  it("forgets a sender and prunes buckets that are full again", () => {
    const limiter = new ChatRateLimiter({ ...CHAT_RATE_RULES, say: { burst: 2, perSec: 1 } });
    limiter.take("a", "say", 0);
    limiter.take("a", "world", 0);
    limiter.take("b", "say", 0);
    assert.equal(limiter.size, 3);
    limiter.forget("a");
    assert.equal(limiter.size, 1);
    limiter.prune(500);
    assert.equal(limiter.size, 1);
    limiter.prune(1000);
    assert.equal(limiter.size, 0);
  });
});

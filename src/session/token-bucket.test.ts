import assert from "node:assert/strict";
import { TokenBucket } from "./token-bucket.ts";

describe("TokenBucket", () => {
  it("allows a burst, refuses beyond it, and refills over time", () => {
    const bucket = new TokenBucket(3, 10, 0);
    assert.deepEqual(
      [0, 0, 0, 0].map((t) => bucket.take(t)),
      [true, true, true, false],
    );
    assert.equal(bucket.take(50), false, "half a token after 50 ms");
    assert.equal(bucket.take(100), true, "one token after 100 ms at 10/s");
    assert.equal(bucket.take(10_000), true);
    assert.equal(bucket.take(10_000), true);
    assert.equal(bucket.take(10_000), true);
    assert.equal(bucket.take(10_000), false, "never more than the burst");
  });
});

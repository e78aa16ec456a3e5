import assert from "node:assert/strict";
import { LocalPresence, type Presence } from "@colyseus/core";
import { RedisPresence } from "@colyseus/redis-presence";
import { createChannelNumbers, UNLISTED_CLAIM_GRACE_MS } from "../../src/zone/channel-numbers.ts";
import { freshRedisUrl } from "../helpers/redis-db.ts";
import { serviceAvailable } from "../helpers/services.ts";

// Issue 13: channel numbers are unique per zone across processes, the lowest free one reused.
describe("channel numbers", () => {
  it("reuses the lowest number a room released, and takes back one whose room is gone", async () => {
    const presence = new LocalPresence();
    let clock = 1_000_000;
    const listed = new Set<string>();
    const numbers = createChannelNumbers({
      presence,
      listed: async (ids) => new Set(ids.filter((id) => listed.has(id))),
      now: () => clock,
    });
    const claimed = [];
    for (const room of ["r1", "r2", "r3"]) {
      claimed.push(await numbers.claim("town", room));
      listed.add(room);
    }
    assert.deepEqual(claimed, [1, 2, 3]);
    assert.equal(await numbers.claim("field", "f1"), 1, "each zone counts on its own");

    await numbers.release("town", 2, "r2");
    listed.delete("r2");
    assert.equal(await numbers.claim("town", "r4"), 2);
    await numbers.release("town", 2, "r2");
    assert.equal(await numbers.claim("town", "r5"), 4, "a stale release frees nothing");

    // r1's process died: its room is no longer listed. Within the grace its claim stands (a
    // room being created is not listed yet); after it, number 1 is free again.
    listed.delete("r1");
    assert.equal(await numbers.claim("town", "r6"), 5);
    clock += UNLISTED_CLAIM_GRACE_MS;
    listed.add("r4").add("r5").add("r6");
    assert.equal(await numbers.claim("town", "r7"), 1);

    // The presence lost everything (Redis restarted empty): this process writes its rooms'
    // numbers back, so a new room does not take one of theirs.
    const emptied = new LocalPresence();
    await numbers.reassert(emptied);
    assert.deepEqual(Object.keys(await emptied.hgetall("mmo:channels:town")).sort(), [
      "1",
      "2",
      "3",
      "4",
      "5",
    ]);
    presence.shutdown();
    emptied.shutdown();
  });

  it("hands out distinct numbers when two processes claim at the same moment", async function () {
    if (!(await serviceAvailable("redis"))) this.skip();
    const redis = await freshRedisUrl();
    const processes: Presence[] = [new RedisPresence(redis.url), new RedisPresence(redis.url)];
    try {
      const listed = new Set<string>();
      const sides = processes.map((presence) =>
        createChannelNumbers({
          presence,
          listed: async (ids) => new Set(ids.filter((id) => listed.has(id))),
        }),
      );
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) => sides[i % 2]!.claim("field", `room-${i}`)),
      );
      assert.deepEqual(
        [...claims].sort((x, y) => x - y),
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
    } finally {
      for (const p of processes) p.shutdown();
      await redis.flush();
    }
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { LocalDriver, LocalPresence } from "@colyseus/core";
import type { Redis } from "ioredis";
import { createPresenceAndDriver } from "../../src/infra/presence.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";

/** The ioredis connections inside the failover presence and driver (private fields). */
function connectionsOf(pair: ReturnType<typeof createPresenceAndDriver>): Redis[] {
  const presence = pair.presence as unknown as { redis: { pub: Redis; sub: Redis } };
  const driver = pair.driver as unknown as { client: Redis };
  return [presence.redis.pub, presence.redis.sub, driver.client];
}

function ended(client: Redis): Promise<void> {
  if (client.status === "end") return Promise.resolve();
  return new Promise((resolve) => client.once("end", () => resolve()));
}

describe("createPresenceAndDriver", () => {
  it("uses Colyseus' local presence and driver without a Redis URL", async () => {
    const pair = createPresenceAndDriver({});
    assert.equal(pair.kind, "local");
    assert.ok(pair.presence instanceof LocalPresence);
    assert.ok(pair.driver instanceof LocalDriver);
    await pair.presence.set("k", "v");
    assert.equal(await pair.presence.get("k"), "v");
    await pair.close();
  });

  describe("on real Redis", () => {
    before(async function () {
      if (!(await serviceAvailable("redis"))) this.skip();
    });

    it("shares presence keys and pub/sub between two processes' pairs and shuts down cleanly", async () => {
      const a = createPresenceAndDriver({
        redisUrl: SERVICE_URLS.redis,
        publicAddress: "127.0.0.1:1",
      });
      const b = createPresenceAndDriver({
        redisUrl: SERVICE_URLS.redis,
        publicAddress: "127.0.0.1:2",
      });
      const key = `test:presence:${randomUUID()}`;
      try {
        assert.equal(a.kind, "redis");
        assert.equal(await a.whenOnRedis(5000), true);
        assert.equal(await b.whenOnRedis(5000), true);
        await a.presence.setex(key, "character-lock", 30);
        assert.equal(await b.presence.get(key), "character-lock");
        assert.equal(await b.presence.exists(key), true);

        const heard = new Promise<unknown>((resolve) => {
          void b.presence.subscribe(`${key}:channel`, resolve);
        });
        await new Promise((r) => setTimeout(r, 50)); // SUBSCRIBE reaches Redis
        await a.presence.publish(`${key}:channel`, { announcement: "server restarts in 5 min" });
        assert.deepEqual(await heard, { announcement: "server restarts in 5 min" });

        assert.ok(Array.isArray(await a.driver.query({ name: `none-${key}` })));
        // A blocking pop on its own connection: it waits for the push instead of being refused.
        const popped = b.presence.brpop(`${key}:list`, 2);
        await a.presence.rpush(`${key}:list`, "queued");
        assert.deepEqual(await popped, [`${key}:list`, "queued"]);
        await a.presence.del(key);
        assert.equal(await b.presence.get(key), null);
      } finally {
        await a.close();
        await b.close();
      }
      await Promise.all([...connectionsOf(a), ...connectionsOf(b)].map(ended));
      for (const client of [...connectionsOf(a), ...connectionsOf(b)])
        assert.equal(client.status, "end");
    });
  });
});

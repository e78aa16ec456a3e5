import assert from "node:assert/strict";
import { LocalPresence } from "@colyseus/core";
import { createCharacterLocks } from "./character-lock.ts";

describe("createCharacterLocks on local presence", () => {
  it("lets one holder in and refuses a second until it releases", async () => {
    const locks = createCharacterLocks(new LocalPresence());
    assert.equal(await locks.acquire("c1", "room-a"), true);
    assert.equal(await locks.acquire("c1", "room-b"), false);
    assert.equal(await locks.acquire("c1", "room-b"), false);
    assert.equal(await locks.holderOf("c1"), "room-a");
    await locks.release("c1", "room-b");
    assert.equal(await locks.holderOf("c1"), "room-a", "only the holder releases");
    await locks.release("c1", "room-a");
    assert.equal(await locks.acquire("c1", "room-b"), true);
    assert.equal(await locks.renew("c1", "room-a"), false);
    assert.equal(await locks.renew("c1", "room-b"), true);
  });

  it("grants exactly one of many concurrent acquisitions", async () => {
    const locks = createCharacterLocks(new LocalPresence());
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => locks.acquire("c2", `room-${i}`)),
    );
    assert.equal(results.filter(Boolean).length, 1);
  });
});

describe("createCharacterLocks when the store loses or changes (Redis restart or outage)", () => {
  const key = (id: string) => `mmo:charlock:${id}`;

  it("keeps refusing a character held here after the store lost its lock, and renews it back", async () => {
    const store = new LocalPresence();
    const locks = createCharacterLocks(store);
    assert.equal(await locks.acquire("c1", "room-a"), true);
    store.del(key("c1"));
    assert.equal(await locks.holderOf("c1"), "room-a");
    assert.equal(await locks.acquire("c1", "room-b"), false);
    assert.equal(await locks.renew("c1", "room-a"), true);
    assert.equal(await store.hget(key("c1"), "holder"), "room-a");
  });

  it("writes the locks held here into a new store and gives up those another holder took", async () => {
    const locks = createCharacterLocks(new LocalPresence());
    assert.equal(await locks.acquire("kept", "room-a/1"), true);
    assert.equal(await locks.acquire("taken", "room-a/2"), true);
    const shared = new LocalPresence();
    const elsewhere = createCharacterLocks(shared);
    assert.equal(await elsewhere.acquire("taken", "room-z/1"), true);

    await locks.reassert(shared);
    assert.equal(await shared.hget(key("kept"), "holder"), "room-a/1");
    assert.equal(await elsewhere.acquire("kept", "room-z/2"), false);
    assert.equal(await locks.renew("taken", "room-a/2"), false, "its room disconnects it");
    assert.equal(await elsewhere.holderOf("taken"), "room-z/1");
  });

  it("claims a lock counted but never claimed for a character held here", async () => {
    const store = new LocalPresence();
    const locks = createCharacterLocks(store);
    assert.equal(await locks.acquire("c1", "room-a"), true);
    store.del(key("c1"));
    // What Redis holds when it ran a count whose connection had already dropped.
    await store.hincrby(key("c1"), "n", 1);
    assert.equal(await locks.renew("c1", "room-a"), true);
    assert.equal(await store.hget(key("c1"), "holder"), "room-a");
  });

  it("forgets a lock held here when its time to live passes without renewal", async () => {
    let nowMs = 0;
    const store = new LocalPresence();
    const locks = createCharacterLocks(store, 30, () => nowMs);
    assert.equal(await locks.acquire("c1", "room-a"), true);
    store.del(key("c1"));
    nowMs += 29_000;
    assert.equal(await locks.acquire("c1", "room-b"), false);
    nowMs += 2_000;
    assert.equal(await locks.acquire("c1", "room-b"), true);
    assert.equal(await locks.renew("c1", "room-a"), false);
  });

  it("does not bring back a lock released while its renewal was in flight", async () => {
    const locks = createCharacterLocks(new LocalPresence());
    assert.equal(await locks.acquire("c1", "room-a"), true);
    const renewal = locks.renew("c1", "room-a");
    await locks.release("c1", "room-a");
    await renewal;
    assert.equal(await locks.acquire("c1", "room-b"), true);
  });
});

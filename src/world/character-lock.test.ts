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

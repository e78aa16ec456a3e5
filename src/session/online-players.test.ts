import assert from "node:assert/strict";
import { LocalPresence } from "@colyseus/core";
import { createCharacterLocks } from "./character-lock.ts";
import { createOnlinePlayers } from "./online-players.ts";

const player = (characterId: string, roomId: string) => ({
  characterId,
  accountId: `account-${characterId}`,
  name: characterId.toUpperCase(),
  zone: "meadow",
  roomId,
  since: "2026-01-01T00:00:00.000Z",
});

describe("createOnlinePlayers", () => {
  it("writes this process's players into a new store, without those who left", async () => {
    const locks = createCharacterLocks(new LocalPresence());
    const online = createOnlinePlayers(new LocalPresence(), locks);
    for (const [id, room] of [
      ["a", "r1"],
      ["b", "r1"],
    ] as const) {
      assert.equal(await locks.acquire(id, `${room}/${id}`), true);
      await online.add(player(id, room));
    }
    // b moved to r2 (joined there first, then left r1), a left.
    await online.add(player("b", "r2"));
    await online.remove("b", "r1");
    await online.remove("a", "r1");

    const fresh = new LocalPresence();
    await online.reassert(fresh);
    assert.deepEqual(Object.keys(await fresh.hgetall("mmo:online")), ["b"]);
    assert.equal((await createOnlinePlayers(fresh, locks).get("b"))?.roomId, "r2");
  });
});

import assert from "node:assert/strict";
import { actionFromWire, noticeToWire, type IdTranslation } from "../../rooms/wire-ids.ts";

const CHARACTER = "6f1c1d2e-4b7a-4c55-9a9e-0c4c2c1b9d10";
const keys = new Map([
  [CHARACTER, "Xk3J9aZq1"],
  ["wolf:3", "1k"],
  ["npc-elder", "npc-elder"],
]);
const ids: IdTranslation = {
  keyOf: (id) => keys.get(id),
  idOf: (key) => [...keys].find(([, k]) => k === key)?.[0],
};

describe("wire ids", () => {
  it("turns the entity keys clients name into world ids", () => {
    const attack = actionFromWire({ type: "attack", playerId: CHARACTER, targetId: "1k" }, ids);
    assert.deepEqual(attack, { type: "attack", playerId: CHARACTER, targetId: "wolf:3" });
    const talk = actionFromWire({ type: "interact", playerId: CHARACTER, npcId: "npc-elder" }, ids);
    assert.deepEqual(talk, { type: "interact", playerId: CHARACTER, npcId: "npc-elder" });
    const cast = actionFromWire(
      { type: "cast", playerId: CHARACTER, skillId: "fireball", targetId: "1k" },
      ids,
    );
    assert.equal(cast.type === "cast" && cast.targetId, "wolf:3");
    const ground = { type: "cast", playerId: CHARACTER, skillId: "blizzard", x: 5, y: 6 } as const;
    assert.deepEqual(actionFromWire(ground, ids), ground);
  });

  it("never lets a client reach an entity by its world id", () => {
    const byWorldId = actionFromWire(
      { type: "attack", playerId: CHARACTER, targetId: "wolf:3" },
      ids,
    );
    assert.equal(byWorldId.type === "attack" && byWorldId.targetId, "");
    const pickup = actionFromWire({ type: "pickup", playerId: CHARACTER, dropId: "nope" }, ids);
    assert.equal(pickup.type === "pickup" && pickup.dropId, "");
  });

  it("sends notices with entity keys, and the level-up without the character id", () => {
    const damaged = noticeToWire(
      {
        type: "damaged",
        targetId: "wolf:3",
        sourceId: CHARACTER,
        amount: 12,
        crit: false,
        x: 1.4,
        y: 2.6,
      },
      ids,
    );
    assert.deepEqual(damaged, {
      type: "damaged",
      targetId: "1k",
      sourceId: "Xk3J9aZq1",
      amount: 12,
      crit: false,
      x: 1,
      y: 3,
    });
    const died = noticeToWire({ type: "died", id: "wolf:3", killerId: null, x: 0, y: 0 }, ids);
    assert.deepEqual(died, { type: "died", id: "1k", killerId: null, x: 0, y: 0 });
    const gone = noticeToWire(
      { type: "effectExpired", targetId: "wolf:9", effectId: "stun", x: 0, y: 0 },
      ids,
    );
    assert.equal(gone.targetId, "", "an entity no longer in the state");
    const level = noticeToWire(
      { type: "leveledUp", characterId: CHARACTER, level: 5, previousLevel: 4 },
      ids,
    );
    assert.deepEqual(level, {
      type: "leveledUp",
      entityId: "Xk3J9aZq1",
      level: 5,
      previousLevel: 4,
    });
    const own = { type: "xpGained", characterId: CHARACTER, amount: 20 } as const;
    assert.deepEqual(noticeToWire(own, ids), own, "own notices keep the character id");
  });
});

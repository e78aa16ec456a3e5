import assert from "node:assert/strict";
import { ZoneMessages } from "../../rooms/zone-messages.ts";

describe("zone message schemas", () => {
  const ok = (type: keyof typeof ZoneMessages, m: unknown) =>
    ZoneMessages[type].safeParse(m).success;

  it("accepts a cast with a target, a ground point or neither", () => {
    assert.equal(ok("cast", { skillId: "heavy_slash", targetId: "mob:1" }), true);
    assert.equal(ok("cast", { skillId: "thunder_rain", x: 10, y: 20 }), true);
    assert.equal(ok("cast", { skillId: "iron_body" }), true);
  });

  it("refuses casts with NaN or half a point, unknown keys or a huge skill id", () => {
    assert.equal(ok("cast", { skillId: "a", x: Number.NaN, y: 1 }), false);
    assert.equal(ok("cast", { skillId: "a", x: Infinity, y: 1 }), false);
    assert.equal(ok("cast", { skillId: "a", x: 1 }), false);
    assert.equal(ok("cast", { skillId: "a", damage: 9999 }), false);
    assert.equal(ok("cast", { skillId: "a".repeat(65) }), false);
  });

  it("checks npc, quest and item messages", () => {
    assert.equal(ok("interact", { npcId: "npc-elder" }), true);
    assert.equal(ok("acceptQuest", { questId: "dew_on_the_meadow" }), true);
    assert.equal(ok("turnInQuest", { questId: "" }), false);
    assert.equal(ok("useItem", { slot: 3 }), true);
    assert.equal(ok("useItem", { slot: 1.5 }), false);
    assert.equal(ok("useItem", { slot: -1 }), false);
  });
});

import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../content/load-game-data.ts";
import { createEquipment } from "../game/items/equipment.ts";
import { countItem, createInventory } from "../game/items/inventory.ts";
import { createQuestLog } from "../game/quests/quest-log.ts";
import { EntityKind, type MobEntity } from "../game/world/world-types.ts";
import { addDrop } from "../game/world/world.ts";
import type { PlayerRecord } from "../session/player-record.ts";
import { PICKUP_RANGE, ZoneSimulation, type SimNotice } from "./zone-simulation.ts";
import { NO_TIMERS } from "../progression/character-timers.ts";

function record(id: string, zone: string, x: number, y: number, level = 1): PlayerRecord {
  return {
    character: {
      id,
      accountId: "acc",
      name: `P${id}`,
      race: "orc",
      job: "warrior",
      level,
      xp: 0,
      gold: 0,
      hp: 10_000,
      mp: 10_000,
      zone,
      x,
      y,
      version: 0,
      timers: NO_TIMERS,
    },
    inventory: createInventory(30),
    equipment: createEquipment(),
    quests: createQuestLog(),
  };
}

describe("ZoneSimulation", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  function nearestSlime(sim: ZoneSimulation): MobEntity {
    const slime = sim.world.mobs.find((m) => m.templateId === "slime" && m.state !== "dead");
    assert.ok(slime, "the field spawns slimes");
    return slime;
  }

  it("caps vitals at the character's stats and places it at its saved position", () => {
    const sim = new ZoneSimulation(data.zones.get("field")!, data, 1);
    const joined = sim.join(record("a", "field", 800, 1600));
    assert.ok(joined.ok);
    assert.equal(joined.entity.x, 800);
    assert.ok(joined.entity.hp <= joined.entity.hpMax && joined.entity.hpMax > 50);
  });

  it("carries cooldowns and buffs across rooms in wall-clock time: no reset by leaving or a portal", () => {
    let wall = 1_000_000_000_000;
    const clock = () => wall;
    const first = new ZoneSimulation(data.zones.get("field")!, data, 1, clock);
    assert.ok(first.join(record("a", "field", 800, 1600)).ok);
    first.step(1000); // game time 1 s in this room
    first.queue({ type: "cast", playerId: "a", skillId: "iron_body" });
    first.step(50);
    const defenseBuffed = first.combatStatsOf("a")!.defense;
    const left = first.world.players[0]!.cooldowns.get("iron_body")!;
    assert.ok(left > 20_000, `iron_body has a 30 s cooldown (less cooldown_reduction): ${left}`);
    wall += 1050; // the room's game clock is at 1,050 ms too
    const saved = first.leave("a")!.character.timers;
    assert.deepEqual(saved.skills, { iron_body: wall + left });
    // The 10 s buff, cast at game time 1,000 ms: 9,950 ms left.
    assert.deepEqual(saved.effects, [{ id: "iron_body", sourceId: "a", expiresAt: wall + 9950 }]);

    // Another room whose game clock started elsewhere, 4 s later.
    wall += 4000;
    const second = new ZoneSimulation(data.zones.get("town")!, data, 2, clock);
    second.step(50);
    const rec = record("a", "town", 700, 800);
    assert.ok(second.join({ ...rec, character: { ...rec.character, timers: saved } }).ok);
    second.step(50);
    assert.equal(second.combatStatsOf("a")!.defense, defenseBuffed, "the buff is still on");
    const cooldown = second.world.players[0]!.cooldowns.get("iron_body")!;
    assert.equal(cooldown, left - 4000 - 50, "4 s offline and 50 ms here count");
    second.queue({ type: "cast", playerId: "a", skillId: "iron_body" });
    const refused = second.step(50).filter((n) => n.type === "refused");
    assert.equal(refused.length, 1, "still on cooldown after the move");

    // Logged out for 6 s: 10 s after the cast the buff is gone.
    const timers = second.leave("a")!.character.timers;
    assert.equal(timers.effects.length, 1);
    wall += 6000;
    const third = new ZoneSimulation(data.zones.get("town")!, data, 3, clock);
    assert.ok(third.join({ ...rec, character: { ...rec.character, timers } }).ok);
    assert.ok(third.combatStatsOf("a")!.defense < defenseBuffed, "expired while away");
  });

  it("kills a mob, grants its xp and loot to the attacker and lets it pick the loot up", () => {
    const sim = new ZoneSimulation(data.zones.get("field")!, data, 7);
    const notices: SimNotice[] = [];
    let kills = 0;
    let looted = 0;
    const slimeXp = data.content.mobs.get("slime")!.xp;
    for (let round = 0; round < 20 && looted === 0; round++) {
      const slime = nearestSlime(sim);
      if (!sim.has("a")) sim.join(record("a", "field", slime.x + 20, slime.y));
      const me = sim.world.players[0]!;
      me.x = slime.x + 20;
      me.y = slime.y;
      sim.world.grid.move(me.handle, me.x, me.y);
      sim.world.playerGrid.move(me.handle, me.x, me.y);
      sim.queue({ type: "attack", playerId: "a", targetId: slime.id });
      for (let t = 0; t < 400 && slime.state !== "dead"; t++) notices.push(...sim.step(50));
      assert.equal(slime.state, "dead", "a warrior kills a slime within 20 s");
      kills += 1;
      for (const drop of [...sim.world.drops]) {
        assert.equal(drop.ownerId, "a");
        const dist = Math.hypot(drop.x - me.x, drop.y - me.y);
        assert.ok(dist <= PICKUP_RANGE, `drop within reach (${dist})`);
        sim.queue({ type: "pickup", playerId: "a", dropId: drop.id });
        notices.push(...sim.step(50));
        looted += 1;
      }
    }
    const xpGained = notices
      .filter((n) => n.type === "xpGained")
      .reduce((sum, n) => sum + (n as { amount: number }).amount, 0);
    assert.equal(xpGained, kills * slimeXp);
    const rec = sim.recordOf("a")!;
    assert.ok(looted > 0, "some slime dropped loot in 20 kills");
    const lootNotices = notices.filter((n) => n.type === "looted") as {
      itemId: string;
      quantity: number;
    }[];
    assert.equal(lootNotices.length, looted);
    for (const n of lootNotices) assert.ok(countItem(rec.inventory, n.itemId) >= n.quantity);
    assert.ok(sim.dirtyCharacters().includes("a"));
  });

  it("refuses to pick up loot that belongs to someone else", () => {
    const sim = new ZoneSimulation(data.zones.get("field")!, data, 3);
    sim.join(record("a", "field", 800, 1600));
    sim.join(record("b", "field", 800, 1600));
    const d = addDrop(sim.world, {
      itemId: "slime_jelly",
      name: "Jelly",
      quantity: 1,
      ownerId: "b",
      x: 800,
      y: 1600,
      ttlMs: 60_000,
    });
    sim.queue({ type: "pickup", playerId: "a", dropId: d.id });
    const notices = sim.step(50);
    assert.deepEqual(
      notices.filter((n) => n.type === "refused"),
      [{ type: "refused", characterId: "a", action: "pickup", reason: "notYours" }],
    );
    assert.equal(
      sim.world.drops.some((x) => x.id === d.id),
      true,
    );
  });

  it("freezes a player who enters a portal and reports the target", () => {
    const sim = new ZoneSimulation(data.zones.get("field")!, data, 1);
    const portal = data.zones.get("field")!.portals.find((p) => p.id === "field-to-town")!;
    sim.join(record("a", "field", portal.x, portal.y));
    sim.queue({ type: "portal", playerId: "a", portalId: portal.id });
    const notices = sim.step(50);
    assert.deepEqual(
      notices.find((n) => n.type === "portalEntered"),
      {
        type: "portalEntered",
        characterId: "a",
        targetZone: "town",
        x: portal.targetX,
        y: portal.targetY,
      },
    );
    assert.equal(sim.world.players[0]!.kind, EntityKind.Player);
  });
});

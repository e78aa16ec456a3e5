import assert from "node:assert/strict";
import { loadGameData, type GameData } from "../content/load-game-data.ts";
import { addItem, countItem, createInventory, type Inventory } from "../game/items/inventory.ts";
import type { QuestLog } from "../game/quests/quest-log.ts";
import { indexQuestGivers, NPC_RANGE } from "./quest-givers.ts";
import { noticesOf, testRecord } from "./sim-test-helpers.ts";
import type { PlayerRecord } from "../session/player-record.ts";
import { ZoneSimulation } from "./zone-simulation.ts";

describe("ZoneSimulation quest givers and items", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  const elder = () => data.zones.get("town")!.npcs.find((n) => n.id === "npc-elder")!;
  const scout = () => data.zones.get("field")!.npcs.find((n) => n.id === "npc-scout")!;

  function holding(items: [string, number][], size = 30): Inventory {
    let inv = createInventory(size);
    for (const [id, qty] of items) {
      const added = addItem(inv, id, qty, data.content.items);
      assert.ok(added.ok);
      inv = added.inventory;
    }
    return inv;
  }

  function joinAt(
    zone: string,
    x: number,
    y: number,
    over: Partial<PlayerRecord> = {},
    character: Partial<PlayerRecord["character"]> = {},
  ): ZoneSimulation {
    const sim = new ZoneSimulation(data.zones.get(zone)!, data, 1);
    assert.ok(sim.join({ ...testRecord("a", zone, x, y, character), ...over }).ok);
    const me = sim.world.players[0]!;
    assert.deepEqual([me.x, me.y], [x, y], "placed where asked (not on a blocked tile)");
    return sim;
  }

  it("names a giver that exists in some zone for every quest", () => {
    const npcs = new Set([...data.zones.values()].flatMap((z) => z.npcs.map((n) => n.id)));
    for (const q of data.content.quests.values()) {
      assert.ok(q.giver === undefined || npcs.has(q.giver), `${q.id} giver ${q.giver}`);
    }
    const field = indexQuestGivers(data.zones.get("field")!, data.content.quests);
    assert.deepEqual(field.get("npc-scout"), {
      gives: ["wolves_in_the_hills"],
      takes: ["report_to_the_scout", "wolves_in_the_hills"],
    });
  });

  it("lists the elder's quests, accepts one near him and shows it active", () => {
    const sim = joinAt("town", elder().x, elder().y + 40);
    sim.queue({ type: "interact", playerId: "a", npcId: "npc-elder" });
    const menu = noticesOf(sim.step(50), "npc")[0];
    assert.deepEqual(menu, {
      type: "npc",
      characterId: "a",
      npcId: "npc-elder",
      name: "Elder Brann",
      quests: [{ id: "dew_on_the_meadow", name: "Dew on the Meadow", status: "available" }],
    });
    sim.queue({ type: "acceptQuest", playerId: "a", questId: "dew_on_the_meadow" });
    const accepted = sim.step(50);
    assert.deepEqual(noticesOf(accepted, "questAccepted"), [
      { type: "questAccepted", characterId: "a", questId: "dew_on_the_meadow", status: "active" },
    ]);
    assert.ok(sim.dirtyCharacters().includes("a"));
    assert.equal(sim.recordOf("a")!.quests.active[0]?.questId, "dew_on_the_meadow");
    sim.queue({ type: "acceptQuest", playerId: "a", questId: "dew_on_the_meadow" });
    sim.queue({ type: "acceptQuest", playerId: "a", questId: "report_to_the_scout" });
    sim.queue({ type: "interact", playerId: "a", npcId: "npc-elder" });
    const after = sim.step(50);
    assert.deepEqual(
      noticesOf(after, "refused").map((n) => n.reason),
      ["ALREADY_ACTIVE", "LEVEL_TOO_LOW"],
    );
    assert.deepEqual(
      noticesOf(after, "npc")[0]?.quests.map((q) => q.status),
      ["active"],
    );
  });

  it("refuses to talk or accept away from the NPC", () => {
    const sim = joinAt("town", elder().x, elder().y + NPC_RANGE + 50);
    sim.queue({ type: "interact", playerId: "a", npcId: "npc-elder" });
    sim.queue({ type: "acceptQuest", playerId: "a", questId: "dew_on_the_meadow" });
    sim.queue({ type: "interact", playerId: "a", npcId: "npc-nobody" });
    assert.deepEqual(
      noticesOf(sim.step(50), "refused").map((n) => [n.action, n.reason]),
      [
        ["interact", "TOO_FAR"],
        ["acceptQuest", "TOO_FAR"],
        ["interact", "UNKNOWN_NPC"],
      ],
    );
    assert.equal(sim.recordOf("a")!.quests.active.length, 0);
  });

  it("turns in a ready quest: takes the jelly, pays items, gold and xp (level up)", () => {
    const quests: QuestLog = {
      active: [{ questId: "dew_on_the_meadow", progress: [6, 4], status: "ready" }],
      completed: [],
    };
    const sim = joinAt("town", elder().x, elder().y + 30, {
      quests,
      inventory: holding([["slime_jelly", 5]]),
    });
    sim.queue({ type: "interact", playerId: "a", npcId: "npc-elder" });
    sim.queue({ type: "turnInQuest", playerId: "a", questId: "dew_on_the_meadow" });
    const notices = sim.step(50);
    assert.equal(noticesOf(notices, "npc")[0]?.quests[0]?.status, "ready");
    assert.deepEqual(noticesOf(notices, "questTurnedIn")[0], {
      type: "questTurnedIn",
      characterId: "a",
      questId: "dew_on_the_meadow",
      xp: 150,
      gold: 15,
      items: [{ itemId: "minor_healing_pill", qty: 5 }],
    });
    assert.deepEqual(noticesOf(notices, "leveledUp")[0], {
      type: "leveledUp",
      characterId: "a",
      level: 2,
      previousLevel: 1,
    });
    const rec = sim.recordOf("a")!;
    assert.equal(countItem(rec.inventory, "slime_jelly"), 1);
    assert.equal(countItem(rec.inventory, "minor_healing_pill"), 5);
    assert.equal(rec.character.gold, 15);
    assert.equal(rec.character.level, 2);
    assert.deepEqual(rec.quests, { active: [], completed: ["dew_on_the_meadow"] });
    assert.equal(sim.world.players[0]!.level, 2);
  });

  it("changes nothing when the reward does not fit in the inventory", () => {
    const quests: QuestLog = {
      active: [{ questId: "dew_on_the_meadow", progress: [6, 4], status: "ready" }],
      completed: [],
    };
    // The jelly left over keeps its slot, the pelt the other: no room for the pills.
    const full = holding(
      [
        ["slime_jelly", 5],
        ["wolf_pelt", 1],
      ],
      2,
    );
    const sim = joinAt("town", elder().x, elder().y + 30, { quests, inventory: full });
    sim.queue({ type: "turnInQuest", playerId: "a", questId: "dew_on_the_meadow" });
    const notices = sim.step(50);
    assert.deepEqual(
      noticesOf(notices, "refused").map((n) => n.reason),
      ["INVENTORY_FULL"],
    );
    const rec = sim.recordOf("a")!;
    assert.equal(countItem(rec.inventory, "slime_jelly"), 5);
    assert.equal(rec.character.gold, 0);
    assert.deepEqual(rec.quests, quests);
  });

  it("completes a visit objective at the scout and takes the report there", () => {
    const quests: QuestLog = {
      active: [{ questId: "report_to_the_scout", progress: [0], status: "active" }],
      completed: ["dew_on_the_meadow"],
    };
    const sim = joinAt("field", scout().x + 300, scout().y, { quests }, { level: 2 });
    sim.queue({ type: "turnInQuest", playerId: "a", questId: "report_to_the_scout" });
    assert.deepEqual(
      noticesOf(sim.step(50), "refused").map((n) => n.reason),
      ["TOO_FAR"],
    );
    const me = sim.world.players[0]!;
    sim.queue({ type: "move", playerId: "a", dx: -1, dy: 0, seq: 1 });
    const walked = [];
    for (let t = 0; t < 80 && me.x > scout().x + 20; t++) walked.push(...sim.step(50));
    sim.queue({ type: "stop", playerId: "a", seq: 2 });
    assert.ok(
      noticesOf(walked, "questUpdated").some(
        (n) => n.questId === "report_to_the_scout" && n.status === "questReady",
      ),
    );
    sim.queue({ type: "turnInQuest", playerId: "a", questId: "report_to_the_scout" });
    const done = sim.step(50);
    assert.equal(noticesOf(done, "questTurnedIn")[0]?.xp, 80);
    sim.queue({ type: "interact", playerId: "a", npcId: "npc-scout" });
    assert.deepEqual(noticesOf(sim.step(50), "npc")[0]?.quests, [], "level 2 < wolves' 3");
  });

  it("uses a healing pill: restores hp up to max, spends it and starts its group cooldown", () => {
    const sim = joinAt("town", 768, 800, {
      inventory: holding([
        ["minor_healing_pill", 2],
        ["slime_jelly", 1],
      ]),
    });
    const me = sim.world.players[0]!;
    me.hp = me.hpMax - 50;
    sim.queue({ type: "useItem", playerId: "a", slot: 0 });
    const used = sim.step(50);
    assert.deepEqual(noticesOf(used, "itemUsed"), [
      { type: "itemUsed", characterId: "a", slot: 0, itemId: "minor_healing_pill", hp: 50, mp: 0 },
    ]);
    assert.equal(me.hp, me.hpMax);
    assert.equal(countItem(sim.recordOf("a")!.inventory, "minor_healing_pill"), 1);
    assert.equal(me.cooldowns.get("healing_pill"), 10_000 - 50);
    assert.ok(sim.dirtyCharacters().includes("a"));
    sim.queue({ type: "useItem", playerId: "a", slot: 0 });
    sim.queue({ type: "useItem", playerId: "a", slot: 1 });
    sim.queue({ type: "useItem", playerId: "a", slot: 7 });
    assert.deepEqual(
      noticesOf(sim.step(50), "refused").map((n) => [n.reason, n.remainingMs]),
      [
        ["ON_COOLDOWN", 10_000 - 50],
        ["NOT_CONSUMABLE", undefined],
        ["NOT_FOUND", undefined],
      ],
    );
    assert.equal(countItem(sim.recordOf("a")!.inventory, "minor_healing_pill"), 1);
  });
});

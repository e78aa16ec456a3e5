import { strict as assert } from "node:assert";
import { testContent } from "../content/test-content.ts";
import {
  addItem,
  addItems,
  countItem,
  createInventory,
  type Inventory,
} from "../items/inventory.ts";
import {
  abandonQuest,
  acceptQuest,
  availableQuests,
  createQuestLog,
  QuestRefusal,
  type QuestLog,
} from "./quest-log.ts";
import { progressQuests } from "./quest-progress.ts";
import { turnInQuest } from "./turn-in.ts";

// Fixture quests: rats (kill rat x2), herbs (min level 2, after rats: collect herb x3 + kill
// wolf x1; rewards sword + potion x3, 100 xp, 10 gold), scout (visit field 100,100 r10).
const content = testContent();
const empty = createInventory(4);

function accepted(log: QuestLog, id: string, level = 5, inventory: Inventory = empty): QuestLog {
  const r = acceptQuest(log, id, { level, inventory }, content);
  assert.ok(r.ok, r.ok ? "" : r.code);
  return r.log;
}
function withItems(stacks: { itemId: string; qty: number }[], size = 4): Inventory {
  const r = addItems(createInventory(size), stacks, content.items);
  assert.ok(r.ok);
  return r.inventory;
}
const doneRats: QuestLog = { active: [], completed: ["rats"] };

describe("acceptQuest", () => {
  it("refuses with a code for each unmet condition", () => {
    const code = (log: QuestLog, id: string, level: number) => {
      const r = acceptQuest(log, id, { level, inventory: empty }, content);
      return r.ok ? "ok" : r.code;
    };
    assert.equal(code(createQuestLog(), "nope", 5), QuestRefusal.UNKNOWN_QUEST);
    assert.equal(code(createQuestLog(), "herbs", 5), QuestRefusal.PREREQUISITES_NOT_MET);
    assert.equal(code(doneRats, "herbs", 1), QuestRefusal.LEVEL_TOO_LOW);
    assert.equal(code(doneRats, "rats", 5), QuestRefusal.ALREADY_COMPLETED);
    assert.equal(code(accepted(createQuestLog(), "rats"), "rats", 5), QuestRefusal.ALREADY_ACTIVE);
    assert.equal(code(doneRats, "herbs", 2), "ok");
  });

  it("lists only acceptable quests when asked what is available", () => {
    assert.deepEqual(availableQuests(createQuestLog(), 1, content), ["rats", "scout"]);
    assert.deepEqual(availableQuests(doneRats, 2, content), ["herbs", "scout"]);
  });

  it("counts items already carried when a collect quest is accepted", () => {
    const log = accepted(doneRats, "herbs", 5, withItems([{ itemId: "herb", qty: 5 }]));
    assert.deepEqual(log.active[0]?.progress, [3, 0]);
  });

  it("forgets progress when abandoned", () => {
    const log = accepted(createQuestLog(), "rats");
    const r = abandonQuest(log, "rats");
    assert.ok(r.ok);
    assert.deepEqual(r.log.active, []);
    assert.deepEqual(abandonQuest(r.log, "rats"), { ok: false, code: QuestRefusal.NOT_ACTIVE });
  });
});

describe("progressQuests", () => {
  it("counts matching kills up to the requirement and marks the quest ready", () => {
    let log = accepted(createQuestLog(), "rats");
    const first = progressQuests(log, { type: "kill", mobId: "rat" }, content);
    assert.deepEqual(first.updates, [
      { type: "questProgressed", questId: "rats", objective: 0, progress: 1, required: 2 },
    ]);
    log = progressQuests(first.log, { type: "kill", mobId: "rat" }, content).log;
    const extra = progressQuests(log, { type: "kill", mobId: "rat" }, content);
    assert.equal(extra.log, log, "no change past the requirement");
    assert.deepEqual(log.active[0], { questId: "rats", progress: [2], status: "ready" });
  });

  it("returns the same log when the event matches nothing", () => {
    const log = accepted(createQuestLog(), "rats");
    const r = progressQuests(log, { type: "kill", mobId: "wolf" }, content);
    assert.equal(r.log, log);
    assert.deepEqual(r.updates, []);
  });

  it("tracks the inventory count both ways when collecting", () => {
    let log = accepted(doneRats, "herbs");
    log = progressQuests(log, { type: "kill", mobId: "wolf" }, content).log;
    const got = progressQuests(
      log,
      { type: "inventoryChanged", inventory: withItems([{ itemId: "herb", qty: 4 }]) },
      content,
    );
    assert.equal(got.log.active[0]?.status, "ready");
    assert.ok(got.updates.some((u) => u.type === "questReady"));
    const lost = progressQuests(
      got.log,
      { type: "inventoryChanged", inventory: withItems([{ itemId: "herb", qty: 1 }]) },
      content,
    );
    assert.deepEqual(lost.log.active[0]?.progress, [1, 1]);
    assert.equal(lost.log.active[0]?.status, "active");
    assert.ok(lost.updates.some((u) => u.type === "questNotReady"));
  });

  it("completes a visit only inside the radius of the right zone", () => {
    const log = accepted(createQuestLog(), "scout");
    assert.equal(
      progressQuests(log, { type: "visit", zone: "field", x: 111, y: 100 }, content).log,
      log,
    );
    assert.equal(
      progressQuests(log, { type: "visit", zone: "town", x: 100, y: 100 }, content).log,
      log,
    );
    const r = progressQuests(log, { type: "visit", zone: "field", x: 106, y: 108 }, content);
    assert.equal(r.log.active[0]?.status, "ready");
  });
});

describe("turnInQuest", () => {
  function readyHerbs(inventory: Inventory): QuestLog {
    let log = accepted(doneRats, "herbs", 5, inventory);
    log = progressQuests(log, { type: "kill", mobId: "wolf" }, content).log;
    assert.equal(log.active[0]?.status, "ready");
    return log;
  }

  it("takes the collected items, gives rewards and completes the quest when ready", () => {
    const inventory = withItems([{ itemId: "herb", qty: 5 }]);
    const r = turnInQuest(readyHerbs(inventory), "herbs", inventory, content);
    assert.ok(r.ok);
    assert.deepEqual([r.xp, r.gold], [100, 10]);
    assert.equal(countItem(r.inventory, "herb"), 2);
    assert.equal(countItem(r.inventory, "sword"), 1);
    assert.equal(countItem(r.inventory, "potion"), 3);
    assert.deepEqual(r.log, { active: [], completed: ["rats", "herbs"] });
  });

  it("refuses and changes nothing when the rewards do not fit", () => {
    const inventory = withItems(
      [
        { itemId: "herb", qty: 5 },
        { itemId: "pelt", qty: 3 },
      ],
      2,
    );
    const log = readyHerbs(inventory);
    assert.deepEqual(turnInQuest(log, "herbs", inventory, content), {
      ok: false,
      code: QuestRefusal.INVENTORY_FULL,
    });
  });

  it("uses the slots freed by handing in items when placing rewards", () => {
    // herb x3 exactly fills slot 0; after hand-in, sword and potions take slots 0 and 1.
    const inventory = withItems(
      [
        { itemId: "herb", qty: 3 },
        { itemId: "pelt", qty: 3 },
      ],
      3,
    );
    const r = turnInQuest(readyHerbs(inventory), "herbs", inventory, content);
    assert.ok(r.ok, r.ok ? "" : r.code);
  });

  it("refuses when not ready, not active, or the items were dropped meanwhile", () => {
    const log = accepted(createQuestLog(), "rats");
    assert.deepEqual(turnInQuest(log, "rats", empty, content), {
      ok: false,
      code: QuestRefusal.NOT_READY,
    });
    assert.deepEqual(turnInQuest(log, "scout", empty, content), {
      ok: false,
      code: QuestRefusal.NOT_ACTIVE,
    });
    const carried = withItems([{ itemId: "herb", qty: 3 }]);
    const dropped = addItem(empty, "herb", 1, content.items);
    assert.ok(dropped.ok);
    assert.deepEqual(turnInQuest(readyHerbs(carried), "herbs", dropped.inventory, content), {
      ok: false,
      code: QuestRefusal.MISSING_ITEMS,
    });
  });
});

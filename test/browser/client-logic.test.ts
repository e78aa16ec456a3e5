import assert from "node:assert/strict";
import { resolveApiBase } from "../../client/config.ts";
import { Kind } from "../../schema/entity-kind.ts";
import { attackRangeOf, skillsOf, xpToNextLevel } from "../../client/content.ts";
import { INTERPOLATION_DELAY_MS, Track } from "../../clients/js/interpolation.ts";
import { listenForNotices } from "../../client/notices.ts";
import type { EntityView, SessionListener } from "../../client/session.ts";
import leveling from "../../content/leveling.json" with { type: "json" };
import type { Leveling } from "../../src/game/content/leveling.ts";
import { xpForLevel } from "../../src/game/leveling/leveling.ts";
import { castIntent } from "../../client/skills.ts";

const page = (href: string) => {
  const url = new URL(href);
  return { origin: url.origin, hostname: url.hostname, search: url.search };
};

describe("client resolveApiBase", () => {
  it("uses the page's origin when no server is given", () => {
    assert.deepEqual(resolveApiBase(page("https://game.example/")), {
      url: "https://game.example",
      overridden: false,
    });
  });

  it("follows ?server= on the same host name or from a loopback page", () => {
    assert.equal(
      resolveApiBase(page("https://game.example/?server=https://game.example:8443")).url,
      "https://game.example:8443",
    );
    const local = resolveApiBase(page("http://127.0.0.1:5000/?server=http://127.0.0.1:2567"));
    assert.deepEqual(local, { url: "http://127.0.0.1:2567", overridden: true });
  });

  it("ignores ?server= pointing a public page at a foreign or non-http server", () => {
    for (const server of ["https://evil.example", "javascript:alert(1)", "not a url"]) {
      const search = `?server=${encodeURIComponent(server)}`;
      assert.equal(
        resolveApiBase(page(`https://game.example/${search}`)).url,
        "https://game.example",
      );
    }
  });
});

describe("client Track (interpolation)", () => {
  it("draws an entity between the two patches around now - delay", () => {
    const track = new Track();
    track.push(1000, 0, 0);
    track.push(1050, 10, 0);
    const p = track.sample(1025 + INTERPOLATION_DELAY_MS, { x: 0, y: 0 });
    assert.deepEqual(p, { x: 5, y: 0 });
  });

  it("holds the last position when patches stop", () => {
    const track = new Track();
    track.push(1000, 0, 0);
    track.push(1050, 10, 4);
    assert.deepEqual(track.sample(5000, { x: 0, y: 0 }), { x: 10, y: 4 });
  });

  it("starts moving one patch before the first moved sample after standing still", () => {
    const track = new Track();
    track.push(0, 0, 0);
    track.push(2000, 10, 0); // nothing changed for 2 s, then a step
    assert.equal(track.sample(1500 + INTERPOLATION_DELAY_MS, { x: 0, y: 0 }).x, 0);
    assert.equal(track.sample(1975 + INTERPOLATION_DELAY_MS, { x: 0, y: 0 }).x, 5);
  });

  it("snaps instead of gliding across a teleport", () => {
    const track = new Track();
    track.push(0, 0, 0);
    track.push(50, 1000, 0);
    assert.equal(track.sample(25 + INTERPOLATION_DELAY_MS, { x: 0, y: 0 }).x, 1000);
  });
});

describe("client content", () => {
  it("sizes the XP bar with the server's curve", () => {
    const curve = leveling as unknown as Leveling;
    assert.equal(xpToNextLevel(1), xpForLevel(1, curve));
    assert.equal(xpToNextLevel(7), xpForLevel(7, curve));
    assert.equal(xpToNextLevel(curve.levelCap), 0);
  });

  it("knows each job's attack range and skills in hotkey order", () => {
    assert.equal(attackRangeOf("warrior"), 64);
    assert.ok(attackRangeOf("mage") > 64);
    assert.deepEqual(
      skillsOf("warrior").map((s) => s.id),
      ["heavy_slash", "whirlwind", "iron_body", "war_cry"],
    );
  });
});

describe("client castIntent", () => {
  // Entities carry no id: the client knows them by their key in the state's entity map.
  const own = { kind: Kind.Player, x: 0, y: 0 } as EntityView;
  const mob = { kind: Kind.Mob, x: 40, y: 0 } as EntityView;
  const [heavySlash, whirlwind, ironBody] = skillsOf("warrior");
  const [healing] = skillsOf("taoist");
  const [, thunderRain] = skillsOf("mage");
  const ctx = {
    own,
    mp: 100,
    ownId: "me",
    target: mob,
    targetId: "m1",
    cursor: null,
    cooldownMs: 0,
  };

  it("targets the selected mob with a single-target skill in range", () => {
    assert.deepEqual(castIntent(heavySlash!, ctx), { skillId: "heavy_slash", targetId: "m1" });
  });

  it("refuses early when out of range, without mana, on cooldown or without a target", () => {
    const far = { ...mob, x: 500 } as EntityView;
    assert.ok("error" in castIntent(heavySlash!, { ...ctx, target: far }));
    assert.ok("error" in castIntent(heavySlash!, { ...ctx, mp: 0 }));
    assert.ok("error" in castIntent(heavySlash!, { ...ctx, cooldownMs: 1200 }));
    assert.ok("error" in castIntent(heavySlash!, { ...ctx, target: undefined }));
  });

  it("centres area skills on the caster (range 0) or the target/cursor, self skills on nothing", () => {
    assert.deepEqual(castIntent(whirlwind!, ctx), { skillId: "whirlwind", x: 0, y: 0 });
    assert.deepEqual(
      castIntent(thunderRain!, { ...ctx, target: undefined, cursor: { x: 100, y: 50 } }),
      {
        skillId: "thunder_rain",
        x: 100,
        y: 50,
      },
    );
    assert.deepEqual(castIntent(ironBody!, ctx), { skillId: "iron_body" });
  });

  it("heals oneself when no player is targeted", () => {
    assert.deepEqual(castIntent(healing!, ctx), { skillId: "healing_talisman", targetId: "me" });
  });
});

describe("client listenForNotices", () => {
  function harness() {
    const handlers = new Map<string, (message: unknown) => void>();
    const logs: string[] = [];
    const floats: string[] = [];
    let changed = 0;
    let transferRefused = false;
    const listener: SessionListener = {
      log: (kind, text) => logs.push(`${kind}: ${text}`),
      floatText: (_x, _y, text, kind) => floats.push(`${kind}: ${text}`),
      zoneEntered: () => undefined,
      ended: () => undefined,
      npcMenu: () => undefined,
      progressChanged: () => (changed += 1),
    };
    listenForNotices((type, handler) => handlers.set(type, handler as (message: unknown) => void), {
      me: "me",
      listener,
      nameOf: (id) => ({ m1: "Dew Slime" })[id] ?? "Something",
      own: () => ({ x: 0, y: 0 }),
      transferRefused: () => (transferRefused = true),
    });
    const emit = (type: string, message: object) => handlers.get(type)!(message);
    return { emit, logs, floats, changed: () => changed, transferRefused: () => transferRefused };
  }

  it("shows damage dealt and taken with names and floating numbers", () => {
    const h = harness();
    h.emit("damaged", { targetId: "m1", sourceId: "me", amount: 47, crit: true, x: 0, y: 0 });
    h.emit("damaged", { targetId: "me", sourceId: "m1", amount: 5, crit: false, x: 0, y: 0 });
    assert.deepEqual(h.logs, [
      "combat: You hit Dew Slime for 47. Critical!",
      "combat: Dew Slime hits you for 5.",
    ]);
    assert.deepEqual(h.floats, ["crit: 47!", "hurt: 5"]);
  });

  it("recognises oneself by network key in deaths and level-ups", () => {
    const h = harness();
    h.emit("died", { id: "m1", killerId: "me", x: 0, y: 0 });
    h.emit("leveledUp", { entityId: "me", level: 2, previousLevel: 1 });
    h.emit("leveledUp", { entityId: "p7", level: 9, previousLevel: 8 });
    h.emit("died", { id: "me", killerId: "m1", x: 0, y: 0 });
    assert.deepEqual(h.logs, [
      "combat: You defeated Dew Slime.",
      "level: Level up! You are now level 2.",
      "level: Something reached level 9.",
      "combat: You died. You will rise again.",
    ]);
  });

  it("explains refusals and re-enables input when a transfer fails", () => {
    const h = harness();
    h.emit("refused", { action: "cast", reason: "ON_COOLDOWN", remainingMs: 1500 });
    h.emit("refused", { action: "acceptQuest", reason: "QUEST_LOG_FULL" });
    h.emit("refused", { action: "portal", reason: "transferFailed" });
    assert.deepEqual(h.logs, [
      "error: Cannot cast: ready in 1.5 s.",
      "error: Cannot accept quest: your quest log is full.",
      "error: Cannot portal: the way is closed right now.",
    ]);
    assert.equal(h.transferRefused(), true);
  });

  it("lists quest rewards with item names and asks the panels to refresh", () => {
    const h = harness();
    h.emit("questTurnedIn", {
      questId: "dew_on_the_meadow",
      xp: 150,
      gold: 15,
      items: [{ itemId: "minor_healing_pill", qty: 5 }],
    });
    assert.deepEqual(h.logs, [
      'level: Quest complete: "Dew on the Meadow" (150 XP, 15 gold, Minor Healing Pill ×5).',
    ]);
    assert.equal(h.changed(), 1);
  });
});

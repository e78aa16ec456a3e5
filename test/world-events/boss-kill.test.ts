import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { LocalPresence } from "@colyseus/core";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import { splitRewards } from "../../src/game/events/reward-split.ts";
import { createLogger } from "../../src/logger.ts";
import { createProgressionService } from "../../src/progression/progression.service.ts";
import { createProgressStore } from "../../src/session/progress-store.ts";
import type { WorldEventReward } from "../../src/world-events/world-event-messages.ts";
import { createWorldEvents } from "../../src/world-events/world-events.service.ts";
import { ZoneEventRunner } from "../../src/world-events/zone-event-runner.ts";
import { ZoneSimulation, type SimNotice } from "../../src/zone/zone-simulation.ts";
import { DATABASE_TARGETS, openTestDatabase } from "../helpers/databases.ts";
import { sleep } from "../helpers/game-server.ts";

const EVENT = "thunder_ape_king";

describe("world boss kill in a zone room: damage and healing both earn a share", function () {
  this.timeout(60_000);
  let opened: Awaited<ReturnType<typeof openTestDatabase>>;
  let data: GameData;

  before(async () => {
    opened = await openTestDatabase(DATABASE_TARGETS[0]!);
    data = await loadGameData();
  });
  after(async () => opened?.close());

  async function character(job: string, x: number, y: number): Promise<string> {
    const prisma = opened.db.prisma;
    const id = randomUUID();
    const accountId = randomUUID();
    await prisma.account.create({
      data: { id: accountId, email: `${id}@e.com`, passwordHash: "x" },
    });
    const name = `K${id.slice(0, 8)}`;
    await prisma.character.create({
      data: {
        ...{ id, accountId, name, nameKey: name.toLowerCase(), race: "human", job },
        ...{ zone: "field", x, y, hp: 10_000, mp: 10_000 },
      },
    });
    return id;
  }

  it("pays the warrior for its damage and the taoist for healing the warrior fighting the boss", async () => {
    const prisma = opened.db.prisma;
    const logger = createLogger("silent");
    const progression = createProgressionService({
      prisma,
      gameData: data,
      isOnline: async () => true,
    });
    const store = createProgressStore(progression, logger);
    const events = createWorldEvents({
      prisma,
      presence: new LocalPresence(),
      data,
      store,
      logger,
    });
    const def = data.events.get(EVENT)!;
    const sim = new ZoneSimulation(data.zones.get("field")!, data, 9);
    const warrior = await character("warrior", def.spawn.x - 40, def.spawn.y);
    const taoist = await character("taoist", def.spawn.x - 250, def.spawn.y);
    for (const id of [warrior, taoist]) assert.ok(sim.join((await store.load(id))!).ok);
    const sent: { characterId: string; type: string; payload: WorldEventReward }[] = [];
    const runner = new ZoneEventRunner(
      {
        roomId: "room-1",
        zoneId: "field",
        sim,
        log: logger,
        send: (characterId, type, payload) =>
          void sent.push({ characterId, type, payload: payload as WorldEventReward }),
      },
      events,
    );
    await runner.startNow(EVENT, Date.now());
    const boss = sim.world.mobs.find((m) => m.templateId === EVENT)!;
    boss.hp = 600;

    const seen: SimNotice[] = [];
    sim.queue({ type: "attack", playerId: warrior, targetId: boss.id });
    let nextHealAt = 0;
    for (let t = 0; t < 2_400 && boss.hp > 0; t++) {
      const w = sim.world.players.find((p) => p.id === warrior)!;
      if (w.hp < w.hpMax && sim.world.timeMs >= nextHealAt) {
        sim.queue({
          type: "cast",
          playerId: taoist,
          skillId: "healing_talisman",
          targetId: warrior,
        });
        nextHealAt = sim.world.timeMs + 2_100;
      }
      seen.push(...sim.step(50));
    }
    assert.ok(boss.hp <= 0, "the boss died");
    for (let i = 0; i < 500 && sent.length < 2; i++) await sleep(10);

    const dealt = seen
      .filter((n) => n.type === "damaged" && n.targetId === boss.id && n.sourceId === warrior)
      .reduce((s, n) => s + (n as { amount: number }).amount, 0);
    const healed = seen
      .filter((n) => n.type === "healed" && n.sourceId === taoist && n.targetId === warrior)
      .reduce((s, n) => s + (n as { amount: number }).amount, 0);
    assert.equal(dealt, 600);
    assert.ok(healed > 0, "the taoist healed the warrior while it fought");
    assert.ok(
      sent.some((s) => s.characterId === taoist),
      `the healer is rewarded (healed ${healed} of ${dealt + healed})`,
    );
    const expected = splitRewards(
      [
        { characterId: warrior, total: dealt },
        { characterId: taoist, total: healed },
      ],
      def.rewards,
    );
    assert.deepEqual(
      sent
        .map((s) => [s.characterId, s.type, s.payload.contribution, s.payload.xp, s.payload.gold])
        .sort(),
      expected.map((e) => [e.characterId, "worldEventReward", e.contribution, e.xp, e.gold]).sort(),
    );
    const rows = await prisma.worldEventReward.findMany({
      select: { characterId: true, xp: true },
    });
    assert.equal(rows.length, expected.length);
    assert.equal(
      sim.world.mobs.find((m) => m.templateId === EVENT),
      undefined,
    );
    const run = await prisma.worldEventRun.findFirstOrThrow();
    assert.equal(run.outcome, "killed");
    await runner.dispose();
  });
});

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { LocalPresence, type Presence } from "@colyseus/core";
import { RedisPresence } from "@colyseus/redis-presence";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import type { WorldEventDef } from "../../src/game/content/events.ts";
import { Channels } from "../../src/infra/channels.ts";
import { createLogger } from "../../src/logger.ts";
import { createProgressionService } from "../../src/progression/progression.service.ts";
import { createProgressStore } from "../../src/session/progress-store.ts";
import type { WorldEventNotice } from "../../src/world-events/world-event-messages.ts";
import { createWorldEvents } from "../../src/world-events/world-events.service.ts";
import { ZoneEventRunner } from "../../src/world-events/zone-event-runner.ts";
import { ZoneSimulation } from "../../src/zone/zone-simulation.ts";
import { DATABASE_TARGETS, openTestDatabase } from "../helpers/databases.ts";
import { sleep } from "../helpers/game-server.ts";
import { freshRedisUrl } from "../helpers/redis-db.ts";
import { serviceAvailable } from "../helpers/services.ts";

const START = Date.parse("2026-12-03T10:00:00Z");
const MIN = 60_000;

async function until(predicate: () => boolean | Promise<boolean>, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Two rooms' presences: one shared in-process, or one Redis connection each (two processes). */
const PRESENCES: {
  name: string;
  open(): Promise<{ rooms: Presence[]; close(): Promise<void> }>;
}[] = [
  {
    name: "in-process presence",
    async open() {
      const presence = new LocalPresence();
      return { rooms: [presence, presence], close: async () => presence.shutdown() };
    },
  },
  {
    name: "Redis presence, one connection per process",
    async open() {
      const redis = await freshRedisUrl();
      const rooms = [new RedisPresence(redis.url), new RedisPresence(redis.url)];
      return {
        rooms,
        async close() {
          for (const p of rooms) p.shutdown();
          await redis.flush();
        },
      };
    },
  },
];

for (const kind of PRESENCES)
  describe(`world event schedule across two rooms of a zone (${kind.name})`, function () {
    this.timeout(60_000);
    let opened: Awaited<ReturnType<typeof openTestDatabase>>;
    let data: GameData;

    before(async () => {
      opened = await openTestDatabase(DATABASE_TARGETS[0]!);
      const base = await loadGameData();
      const boss = base.events.get("thunder_ape_king")!;
      const def: WorldEventDef = {
        ...boss,
        id: "hourly_boss",
        schedule: { everyMinutes: 60, offsetMinutes: 0 },
        durationMinutes: 10,
        announce: { beforeSec: 60, text: "An hourly boss is coming." },
      };
      data = { ...base, events: new Map([[def.id, def]]) };
    });
    after(async () => opened?.close());

    it("elects one room to announce, spawn and expire a scheduled run; another takes over a closed one", async function () {
      if (kind.name.startsWith("Redis") && !(await serviceAvailable("redis"))) this.skip();
      const prisma = opened.db.prisma;
      await prisma.worldEventRun.deleteMany();
      // A run a dead process left open two hours ago.
      await prisma.worldEventRun.create({
        data: {
          id: randomUUID(),
          eventId: "hourly_boss",
          zone: "field",
          startedAt: new Date(START - 120 * MIN),
        },
      });
      const current = { startedAt: new Date(START) } as const;
      const presences = await kind.open();
      const logger = createLogger("silent");
      const progression = createProgressionService({
        prisma,
        gameData: data,
        isOnline: async () => false,
      });
      const store = createProgressStore(progression, logger);
      const heard: WorldEventNotice[] = [];
      await presences.rooms[0]!.subscribe(Channels.zone("field"), (n: WorldEventNotice) =>
        heard.push(n),
      );
      const rooms = ["r1", "r2"].map((roomId, i) => {
        const presence = presences.rooms[i]!;
        const events = createWorldEvents({ prisma, presence, data, store, logger });
        const sim = new ZoneSimulation(data.zones.get("field")!, data, i + 1);
        const runner = new ZoneEventRunner(
          { roomId, zoneId: "field", sim, log: logger, send: () => undefined },
          events,
        );
        return { roomId, sim, runner };
      });
      const bosses = () =>
        rooms.map(
          (r) => r.sim.world.mobs.filter((m) => m.templateId === "thunder_ape_king").length,
        );
      const checkAll = (now: number) => rooms.forEach((r) => r.runner.check(now));
      const phases = () => heard.map((n) => `${n.phase}${n.outcome ? `:${n.outcome}` : ""}`);

      checkAll(START - 2 * MIN);
      await sleep(50);
      assert.equal(heard.length, 0, "idle: nothing said");

      checkAll(START - 30_000);
      await until(() => heard.length === 1, "the announcement");
      await sleep(50);
      assert.deepEqual(phases(), ["announced"], "one room announces");
      assert.equal(heard[0]!.at, new Date(START).toISOString());
      assert.deepEqual(bosses(), [0, 0], "no boss before the start");

      checkAll(START + 1_000);
      await until(() => heard.length === 2, "the start");
      assert.deepEqual(bosses().sort(), [0, 1], "exactly one room spawned the boss");
      const winner = rooms.find((r) => bosses()[rooms.indexOf(r)] === 1)!;
      const loser = rooms.find((r) => r !== winner)!;
      await until(
        async () => (await prisma.worldEventRun.count({ where: current })) === 1,
        "the run row",
      );

      await until(
        async () =>
          (await prisma.worldEventRun.count({
            where: { outcome: "abandoned", endedAt: { not: null } },
          })) === 1,
        "the stale run closed",
      );

      // The winning room closes mid-run: the run is given up, and the other room takes it over.
      await winner.runner.dispose();
      const abandoned = await prisma.worldEventRun.findFirstOrThrow({ where: current });
      assert.equal(abandoned.outcome, "abandoned");
      loser.runner.check(START + 2 * MIN);
      await until(() => heard.length === 3, "the take-over");
      assert.equal(
        loser.sim.world.mobs.filter((m) => m.templateId === "thunder_ape_king").length,
        1,
      );
      await until(
        async () =>
          (await prisma.worldEventRun.findFirstOrThrow({ where: current })).outcome === null,
        "the run reopened",
      );
      assert.equal(await prisma.worldEventRun.count({ where: current }), 1, "one row per run");

      loser.runner.check(START + 10 * MIN);
      await until(() => heard.length === 4, "the end");
      assert.deepEqual(phases(), ["announced", "started", "started", "ended:expired"]);
      assert.equal(
        loser.sim.world.mobs.filter((m) => m.templateId === "thunder_ape_king").length,
        0,
        "the boss left",
      );
      await until(
        async () =>
          (await prisma.worldEventRun.findFirstOrThrow({ where: current })).outcome === "expired",
        "the run closed as expired",
      );
      loser.runner.check(START + 10 * MIN + 5_000);
      await sleep(100);
      assert.equal(heard.length, 4, "an ended run does not come back");
      await loser.runner.dispose();
      await presences.close();
    });
  });

describe("world event schedule switched off (WORLD_EVENT_SCHEDULE=off)", () => {
  it("starts no scheduled run, while an operator can still start one", async () => {
    const opened = await openTestDatabase(DATABASE_TARGETS[0]!);
    try {
      const data = await loadGameData();
      const prisma = opened.db.prisma;
      const logger = createLogger("silent");
      const presence = new LocalPresence();
      const progression = createProgressionService({
        prisma,
        gameData: data,
        isOnline: async () => false,
      });
      const store = createProgressStore(progression, logger);
      const events = createWorldEvents({ prisma, presence, data, store, logger, scheduled: false });
      const heard: WorldEventNotice[] = [];
      await presence.subscribe(Channels.zone("field"), (n: WorldEventNotice) => heard.push(n));
      const sim = new ZoneSimulation(data.zones.get("field")!, data, 1);
      const runner = new ZoneEventRunner(
        { roomId: "r1", zoneId: "field", sim, log: logger, send: () => undefined },
        events,
      );
      const def = data.events.get("thunder_ape_king")!;
      const start = Date.parse("2026-12-03T08:30:00Z");
      assert.equal(start % (def.schedule.everyMinutes * MIN), def.schedule.offsetMinutes * MIN);
      runner.check(start + 1_000);
      await sleep(100);
      assert.equal(heard.length, 0);
      assert.equal(sim.world.mobs.filter((m) => m.templateId === def.mob).length, 0);
      await runner.startNow(def.id, Date.now());
      await until(() => heard.length === 2, "announced and started");
      assert.equal(sim.world.mobs.filter((m) => m.templateId === def.mob).length, 1);
      await runner.dispose();
    } finally {
      await opened.close();
    }
  });
});

import assert from "node:assert/strict";
import { matchMaker } from "@colyseus/core";
import type { Room } from "@colyseus/sdk";
import { Kind } from "../../schema/entity-kind.ts";
import { roomServices } from "../../rooms/room-services.ts";
import { splitRewards, type RewardShare } from "../../src/game/events/reward-split.ts";
import { countItem, type ItemStack } from "../../src/game/items/inventory.ts";
import { addXp } from "../../src/game/leveling/leveling.ts";
import { payRewardsInRoom, PayoutStatus } from "../../src/world-events/reward-payout.ts";
import type {
  WorldEventNotice,
  WorldEventReward,
} from "../../src/world-events/world-event-messages.ts";
import { createWorldEvents } from "../../src/world-events/world-events.service.ts";
import type { ZoneSimulation } from "../../src/zone/zone-simulation.ts";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  onNotice,
  sleep,
  startTestGame,
  waitFor,
  type TestGame,
  until,
} from "../helpers/game-server.ts";

const ADMIN = { ADMIN_USER: "ops", ADMIN_PASSWORD: "a-long-admin-password" };
const basic = `Basic ${Buffer.from(`${ADMIN.ADMIN_USER}:${ADMIN.ADMIN_PASSWORD}`).toString("base64")}`;
const EVENT = "thunder_ape_king";
/** The test weakens the boss to this many hit points so two level-1 warriors kill it quickly. */
const TEST_BOSS_HP = 250;
const SOURCE = `source:world_event:${EVENT}`;

type EntityView = { kind: Kind; templateId?: string };
const entities = (room: Room) =>
  (room.state as { entities?: Map<string, EntityView> } | undefined)?.entities ?? new Map();

for (const target of DATABASE_TARGETS) {
  describe(`world event: a world boss fought by two players (${target.name})`, function () {
    this.timeout(90_000);
    let game: TestGame;
    const rooms: Room[] = [];

    before(async function () {
      await skipUnlessAvailable(this, target);
      game = await startTestGame(target, ADMIN);
    });
    after(async () => {
      await Promise.all(
        rooms.map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(1000)])),
      );
      await game?.stop();
    });

    async function playerAt(x: number, y: number) {
      const player = await newPlayer(game.url);
      await game.server.db.prisma.character.update({
        where: { id: player.characterId },
        data: { zone: "field", x, y },
      });
      const { room } = await enterWorld(game.url, player);
      rooms.push(room);
      await waitFor(room, () => entities(room).has(room.sessionId), 5000, "own entity");
      const worldEvents: WorldEventNotice[] = [];
      const rewards: WorldEventReward[] = [];
      room.onMessage("worldEvent", (m: WorldEventNotice) => void worldEvents.push(m));
      room.onMessage("worldEventReward", (m: WorldEventReward) => void rewards.push(m));
      return { ...player, room, worldEvents, rewards };
    }

    it("announces, tracks damage, pays each by share once, and a retried payout pays nobody", async () => {
      const prisma = game.server.db.prisma;
      const def = game.data.events.get(EVENT)!;
      const a = await playerAt(def.spawn.x - 45, def.spawn.y);
      const b = await playerAt(def.spawn.x, def.spawn.y + 45);
      assert.equal(a.room.roomId, b.room.roomId, "one field room");
      const before = await prisma.character.findMany({
        where: { id: { in: [a.characterId, b.characterId] } },
        select: { id: true, gold: true, level: true, xp: true },
      });
      const bagsOf = async (characterId: string) => ({
        slots: (
          await prisma.inventoryItem.findMany({
            where: { characterId },
            select: { itemId: true, quantity: true },
          })
        ).map((i) => ({ itemId: i.itemId, qty: i.quantity })),
      });
      const bagsBefore = new Map([
        [a.characterId, await bagsOf(a.characterId)],
        [b.characterId, await bagsOf(b.characterId)],
      ]);
      // The social layer subscribes the zone channel as each player joins.
      await sleep(500);

      const start = await fetch(`${game.url}/admin/api/events/${EVENT}/start`, {
        method: "POST",
        headers: { authorization: basic },
      });
      assert.equal(start.status, 201, await start.clone().text());
      const started = (await start.json()) as { roomId: string; startedAt: string };
      assert.equal(started.roomId, a.room.roomId);
      const unauthorized = await fetch(`${game.url}/admin/api/events/${EVENT}/start`, {
        method: "POST",
      });
      assert.equal(unauthorized.status, 401);
      const twice = await fetch(`${game.url}/admin/api/events/${EVENT}/start`, {
        method: "POST",
        headers: { authorization: basic },
      });
      assert.equal(twice.status, 409);
      assert.equal(
        ((await twice.json()) as { error: { code: string } }).error.code,
        "EVENT_RUNNING",
      );

      for (const p of [a, b]) {
        await until(() => p.worldEvents.length >= 2, 5000, "announcement and start");
        assert.deepEqual(
          p.worldEvents.map((m) => [m.eventId, m.phase, m.zone, m.x, m.y]),
          [
            [EVENT, "announced", "field", def.spawn.x, def.spawn.y],
            [EVENT, "started", "field", def.spawn.x, def.spawn.y],
          ],
        );
        assert.equal(p.worldEvents[1]!.at, started.startedAt);
      }
      const listed = (await (await fetch(`${game.url}/v1/world/events`)).json()) as {
        events: { id: string; running: { startedAt: string }[]; nextStartAt: string }[];
      };
      const listedBoss = listed.events.find((e) => e.id === EVENT)!;
      assert.deepEqual(
        listedBoss.running.map((r) => r.startedAt),
        [started.startedAt],
      );
      assert.ok(Date.parse(listedBoss.nextStartAt) > Date.now());

      const serverRoom = matchMaker.getLocalRoomById(a.room.roomId) as unknown as {
        sim: ZoneSimulation;
      };
      const sim = serverRoom.sim;
      const boss = sim.world.mobs.find((m) => m.templateId === EVENT)!;
      assert.ok(boss, "the boss spawned in the room");
      boss.hp = TEST_BOSS_HP;
      await waitFor(
        a.room,
        () => [...entities(a.room).values()].some((e) => e.templateId === EVENT),
        5000,
        "the boss in view",
      );
      const bossKey = [...entities(a.room)].find(([, e]) => e.templateId === EVENT)![0] as string;

      const dealt = new Map<string, number>();
      onNotice<{ targetId: string; sourceId: string; amount: number }>(a.room, "damaged", (n) => {
        if (n.targetId === bossKey) dealt.set(n.sourceId, (dealt.get(n.sourceId) ?? 0) + n.amount);
      });
      a.room.send("attack", { targetId: bossKey });
      await sleep(1600); // a head start: the two shares differ
      const bKey = [...entities(b.room)].find(([, e]) => e.templateId === EVENT)![0] as string;
      b.room.send("attack", { targetId: bKey });

      for (const p of [a, b]) await until(() => p.rewards.length === 1, 45_000, "the reward");
      for (const p of [a, b]) {
        await until(() => p.worldEvents.length === 3, 5000, "the end");
        assert.deepEqual([p.worldEvents[2]!.phase, p.worldEvents[2]!.outcome], ["ended", "killed"]);
      }
      assert.equal(
        sim.world.mobs.find((m) => m.templateId === EVENT),
        undefined,
        "boss gone",
      );

      // Area notices leave with the next patch, and the reward message can come first: wait for
      // the killing blow's notice (a wrong sum still fails the check below once this times out).
      const seen = () => [...dealt.values()].reduce((s, n) => s + n, 0);
      await until(() => seen() >= TEST_BOSS_HP, 2000, "the last damage notice").catch(() => {});
      // Contributions are the damage each dealt, as the clients saw it; shares in proportion.
      const byId = new Map([
        [a.characterId, dealt.get(a.room.sessionId) ?? 0],
        [b.characterId, dealt.get(b.room.sessionId) ?? 0],
      ]);
      const total = [...byId.values()].reduce((s, n) => s + n, 0);
      assert.equal(total, TEST_BOSS_HP, "every point of the boss's hp is someone's contribution");
      assert.ok(byId.get(a.characterId)! > 0 && byId.get(b.characterId)! > 0, "both hit it");
      const expected = splitRewards(
        [...byId].map(([characterId, t]) => ({ characterId, total: t })),
        def.rewards,
      );
      for (const p of [a, b]) {
        const reward = p.rewards[0]!;
        const want = expected.find((s) => s.characterId === p.characterId)!;
        assert.equal(reward.contribution, byId.get(p.characterId));
        assert.ok(Math.abs(reward.share - byId.get(p.characterId)! / total) < 1e-12);
        assert.deepEqual(
          [reward.eventId, reward.xp, reward.gold, reward.items, reward.rank],
          [EVENT, want.xp, want.gold, want.items, want.rank],
        );
      }
      assert.ok(Math.abs(a.rewards[0]!.share + b.rewards[0]!.share - 1) < 1e-12);

      const run = await prisma.worldEventRun.findFirstOrThrow({ where: { eventId: EVENT } });
      assert.deepEqual(
        [run.outcome, run.startedAt.toISOString(), run.endedAt !== null],
        ["killed", started.startedAt, true],
      );
      const rows = await prisma.worldEventReward.findMany({ where: { runId: run.id } });
      assert.equal(rows.length, 2);
      const ledgerCount = () => prisma.ledgerEntry.count({ where: { kind: "event_reward" } });
      const ledgerBefore = await ledgerCount();

      // A retried payout (a crash before the room noted the payment, say) pays nobody twice.
      const services = roomServices();
      const events = createWorldEvents({
        prisma,
        presence: services.presence,
        data: game.data,
        store: services.progress,
        logger: services.logger,
      });
      const shares: RewardShare[] = rows.map((r) => ({
        characterId: r.characterId,
        contribution: Number(r.contribution),
        share: r.share,
        rank: 0,
        xp: r.xp,
        gold: r.gold,
        items: r.items as ItemStack[],
      }));
      const goldBefore = [a, b].map((p) => sim.recordOf(p.characterId)!.character.gold);
      const retried = await payRewardsInRoom(
        events.payout,
        sim,
        { runId: run.id, eventId: EVENT, name: def.name },
        shares,
      );
      assert.deepEqual(
        retried.map((r) => r.status),
        [PayoutStatus.ALREADY_PAID, PayoutStatus.ALREADY_PAID],
      );
      assert.equal(await ledgerCount(), ledgerBefore);
      assert.deepEqual(
        [a, b].map((p) => sim.recordOf(p.characterId)!.character.gold),
        goldBefore,
      );

      // After they leave: the reward rows, the ledger and the characters agree.
      await Promise.all(
        rooms
          .splice(0)
          .map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(2000)])),
      );
      for (const p of [a, b]) {
        const reward = p.rewards[0]!;
        const start0 = before.find((c) => c.id === p.characterId)!;
        const want = addXp(
          { level: start0.level, xp: Number(start0.xp) },
          reward.xp,
          game.data.content.leveling,
        );
        const savedOf = async () => {
          const c = await prisma.character.findUniqueOrThrow({
            where: { id: p.characterId },
            select: { gold: true, level: true, xp: true },
          });
          return { gold: Number(c.gold), level: c.level, xp: Number(c.xp) };
        };
        let saved = await savedOf();
        for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
          if (saved.xp === want.xp && saved.level === want.level) break;
          await sleep(100);
          saved = await savedOf();
        }
        assert.deepEqual(saved, {
          gold: Number(start0.gold) + reward.gold,
          level: want.level,
          xp: want.xp,
        });
        const row = rows.find((r) => r.characterId === p.characterId)!;
        assert.deepEqual(
          [Number(row.contribution), row.xp, row.gold, row.items],
          [reward.contribution, reward.xp, reward.gold, reward.items],
        );
        const legs = await prisma.ledgerEntry.findMany({
          where: { kind: "event_reward", characterId: p.characterId },
          select: { opId: true, itemId: true, delta: true },
        });
        assert.ok(legs.every((l) => l.opId === row.opId));
        const moved = new Map(legs.map((l) => [l.itemId, Number(l.delta)]));
        assert.equal(moved.get(null), reward.gold);
        for (const s of reward.items) assert.equal(moved.get(s.itemId), s.qty);
        const held = await bagsOf(p.characterId);
        const had = bagsBefore.get(p.characterId)!;
        for (const s of reward.items) {
          assert.equal(
            countItem(held, s.itemId) - countItem(had, s.itemId),
            s.qty,
            `${s.itemId} in the bags`,
          );
        }
      }
      const source = await prisma.ledgerEntry.aggregate({
        where: { kind: "event_reward", account: SOURCE, itemId: null },
        _sum: { delta: true },
      });
      assert.equal(
        Number(source._sum.delta),
        -(a.rewards[0]!.gold + b.rewards[0]!.gold),
        "the source account paid what the characters got",
      );
    });
  });
}

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import type { RewardShare } from "../../src/game/events/reward-split.ts";
import { addXp } from "../../src/game/leveling/leveling.ts";
import { createLogger } from "../../src/logger.ts";
import { createProgressionService } from "../../src/progression/progression.service.ts";
import { createCharacterLocks } from "../../src/session/character-lock.ts";
import { createOnlinePlayers } from "../../src/session/online-players.ts";
import { createProgressStore } from "../../src/session/progress-store.ts";
import { payRewardsInRoom, PayoutStatus } from "../../src/world-events/reward-payout.ts";
import { createWorldEventRepository } from "../../src/world-events/world-event.repository.ts";
import { createWorldEvents } from "../../src/world-events/world-events.service.ts";
import { LocalPresence } from "@colyseus/core";
import { ZoneSimulation } from "../../src/zone/zone-simulation.ts";
import { DATABASE_TARGETS, openTestDatabase, skipUnlessAvailable } from "../helpers/databases.ts";

const EVENT = "thunder_ape_king";
const SOURCE = `source:world_event:${EVENT}`;

for (const target of DATABASE_TARGETS) {
  describe(`world event reward payout (${target.name})`, function () {
    this.timeout(60_000);
    let opened: Awaited<ReturnType<typeof openTestDatabase>>;
    let data: GameData;

    before(async function () {
      await skipUnlessAvailable(this, target);
      opened = await openTestDatabase(target);
      data = await loadGameData();
    });
    after(async () => opened?.close());

    async function setUp(fullBags: boolean, inRoom = true) {
      const prisma = opened.db.prisma;
      const accountId = randomUUID();
      const id = randomUUID();
      await prisma.account.create({
        data: { id: accountId, email: `${id}@example.com`, passwordHash: "x" },
      });
      const name = `Pay${id.slice(0, 8)}`;
      await prisma.character.create({
        data: {
          ...{ id, accountId, name, nameKey: name.toLowerCase(), race: "human", job: "warrior" },
          ...{ zone: "field", x: 2000, y: 2560, hp: 100, mp: 50, gold: 7 },
        },
      });
      if (fullBags) {
        await prisma.inventoryItem.createMany({
          data: Array.from({ length: 30 }, (_, slot) => ({
            characterId: id,
            slot,
            itemId: "rusty_sword",
            quantity: 1,
          })),
        });
      }
      const logger = createLogger("silent");
      const progression = createProgressionService({
        prisma,
        gameData: data,
        isOnline: async () => true,
      });
      const store = createProgressStore(progression, logger);
      const presence = new LocalPresence();
      const locks = createCharacterLocks(presence, 30);
      const online = createOnlinePlayers(presence, locks);
      const events = createWorldEvents({ prisma, presence, data, store, logger, locks, online });
      const sim = new ZoneSimulation(data.zones.get("field")!, data, 5);
      if (inRoom) assert.ok(sim.join((await store.load(id))!).ok);
      const runId = await createWorldEventRepository(prisma).openRun({
        id: randomUUID(),
        eventId: EVENT,
        zone: "field",
        startedAt: new Date(),
      });
      const share: RewardShare = {
        characterId: id,
        contribution: 120,
        share: 0.75,
        rank: 1,
        xp: 500,
        gold: 40,
        items: [{ itemId: "spirit_stone", qty: 5 }],
      };
      return {
        id,
        sim,
        events,
        locks,
        run: { runId, eventId: EVENT, name: "The Thunder Ape King" },
        share,
      };
    }

    it("pays xp, gold and items with the reward row and balanced ledger rows, once", async () => {
      const prisma = opened.db.prisma;
      const { id, sim, events, run, share } = await setUp(false);
      // Two payouts of the same run racing (a retry while the first is still committing).
      const raced = await Promise.all([
        payRewardsInRoom(events.payout, sim, run, [share]),
        payRewardsInRoom(events.payout, sim, run, [share]),
      ]);
      assert.deepEqual(
        raced
          .flat()
          .map((r) => r.status)
          .sort(),
        [PayoutStatus.ALREADY_PAID, PayoutStatus.PAID],
      );

      const want = addXp({ level: 1, xp: 0 }, 500, data.content.leveling);
      const stored = await prisma.character.findUniqueOrThrow({
        where: { id },
        select: { gold: true, level: true, xp: true },
      });
      assert.deepEqual(
        [Number(stored.gold), stored.level, Number(stored.xp)],
        [47, want.level, want.xp],
      );
      const bags = await prisma.inventoryItem.findMany({
        where: { characterId: id },
        select: { itemId: true, quantity: true },
      });
      assert.deepEqual(bags, [{ itemId: "spirit_stone", quantity: 5 }]);
      // The room's copy follows: gold and bags at once, xp on its next step.
      sim.step(50);
      const memory = sim.recordOf(id)!.character;
      assert.deepEqual([memory.gold, memory.level, memory.xp], [47, want.level, want.xp]);

      const legs = await prisma.ledgerEntry.findMany({
        where: { kind: "event_reward" },
        select: { characterId: true, account: true, itemId: true, delta: true },
        orderBy: { id: "asc" },
      });
      const leg = (l: (typeof legs)[number]) => [
        l.characterId ?? l.account,
        l.itemId,
        Number(l.delta),
      ];
      assert.deepEqual(
        legs.map(leg).sort(),
        [
          [id, null, 40],
          [id, "spirit_stone", 5],
          [SOURCE, null, -40],
          [SOURCE, "spirit_stone", -5],
        ].sort(),
      );

      // A retry later: nobody is paid twice.
      const again = await payRewardsInRoom(events.payout, sim, run, [share]);
      assert.deepEqual(
        again.map((r) => r.status),
        [PayoutStatus.ALREADY_PAID],
      );
      assert.equal(await prisma.ledgerEntry.count({ where: { kind: "event_reward" } }), 4);
      assert.equal(await prisma.worldEventReward.count({ where: { runId: run.runId } }), 1);
      assert.equal(sim.recordOf(id)!.character.gold, 47);

      const absent = { ...share, characterId: randomUUID() };
      assert.deepEqual(
        (await payRewardsInRoom(events.payout, sim, run, [absent])).map((r) => r.status),
        [PayoutStatus.FAILED],
        "no such character",
      );
    });

    it("mails the items that do not fit full bags, in the same transaction", async () => {
      const prisma = opened.db.prisma;
      const { id, sim, events, run, share } = await setUp(true);
      const paid = await payRewardsInRoom(events.payout, sim, run, [share]);
      assert.deepEqual(paid, [{ characterId: id, status: PayoutStatus.PAID, mailed: share.items }]);
      const mail = await prisma.mail.findMany({
        where: { recipientId: id },
        select: { id: true, kind: true, items: true, senderName: true, claimedAt: true },
      });
      assert.equal(mail.length, 1);
      assert.deepEqual(
        [mail[0]!.kind, mail[0]!.items, mail[0]!.senderName, mail[0]!.claimedAt],
        ["system", [{ itemId: "spirit_stone", qty: 5 }], run.name, null],
      );
      const row = await prisma.worldEventReward.findUniqueOrThrow({
        where: { runId_characterId: { runId: run.runId, characterId: id } },
        select: { opId: true },
      });
      const legs = await prisma.ledgerEntry.findMany({
        where: { opId: row.opId, itemId: "spirit_stone" },
        select: { account: true, characterId: true, delta: true },
      });
      assert.deepEqual(
        legs.map((l) => [l.account, l.characterId, Number(l.delta)]).sort(),
        [
          [`mail:${mail[0]!.id}`, null, 5],
          [SOURCE, null, -5],
        ].sort(),
      );
      assert.equal(
        Number((await prisma.character.findUniqueOrThrow({ where: { id } })).gold),
        47,
        "gold still paid",
      );
    });

    it("pays a participant who went offline before the kill under its lock, not one held elsewhere", async () => {
      const prisma = opened.db.prisma;
      const { id, sim, events, locks, run, share } = await setUp(false, false);
      assert.equal(sim.has(id), false);
      assert.ok(await locks.acquire(id, "other-room/session"));
      assert.deepEqual(
        (await payRewardsInRoom(events.payout, sim, run, [share])).map((r) => r.status),
        [PayoutStatus.ABSENT],
        "online in another room: not paid here",
      );
      await locks.release(id, "other-room/session");
      const paid = await payRewardsInRoom(events.payout, sim, run, [share]);
      assert.deepEqual(paid, [
        { characterId: id, status: PayoutStatus.PAID, offline: true, mailed: [] },
      ]);
      const want = addXp({ level: 1, xp: 0 }, 500, data.content.leveling);
      const stored = await prisma.character.findUniqueOrThrow({
        where: { id },
        select: { gold: true, level: true, xp: true },
      });
      assert.deepEqual(
        [Number(stored.gold), stored.level, Number(stored.xp)],
        [47, want.level, want.xp],
      );
      assert.deepEqual(
        (await payRewardsInRoom(events.payout, sim, run, [share])).map((r) => r.status),
        [PayoutStatus.ALREADY_PAID],
      );
      assert.equal(await locks.acquire(id, "later"), true, "the lock was released");
    });
  });
}

import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  sleep,
  startTestGame,
  type TestGame,
} from "../helpers/game-server.ts";

type Player = Awaited<ReturnType<typeof newPlayer>>;

/** The mutation service's routing: one room, a room plus an offline character, refusals. */
describe("economy mutations across rooms and the database", function () {
  let game: TestGame;
  const rooms: Room[] = [];

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
  });
  after(async () => {
    await Promise.all(
      rooms.map((r) => Promise.race([r.leave().catch(() => undefined), sleep(1000)])),
    );
    await game?.stop();
  });

  const stored = async (p: Player) => {
    const c = await game.server.db.prisma.character.findUniqueOrThrow({
      where: { id: p.characterId },
      select: { gold: true, inventory: { select: { itemId: true, quantity: true } } },
    });
    return {
      gold: Number(c.gold),
      items: c.inventory.map((i) => `${i.itemId}x${i.quantity}`).sort(),
    };
  };

  it("swaps two online characters' goods in their room, and mixes in an offline one", async () => {
    const { economy } = game.server.economy;
    const [a, b, c] = [
      await newPlayer(game.url),
      await newPlayer(game.url),
      await newPlayer(game.url),
    ];
    for (const [p, gold, itemId] of [
      [a, 100, "spirit_stone"],
      [b, 50, "bone_dust"],
    ] as const) {
      const r = await economy.grant({
        kind: "admin_grant",
        source: "test",
        characterId: p.characterId,
        gold,
        items: [{ itemId, qty: 3 }],
      });
      assert.ok(r.ok);
    }
    rooms.push((await enterWorld(game.url, a)).room, (await enterWorld(game.url, b)).room);

    const swap = await economy.mutate({
      kind: "trade",
      changes: [
        {
          characterId: a.characterId,
          gold: -40,
          take: [{ slot: 0, qty: 2, itemId: "spirit_stone" }],
          give: [{ itemId: "bone_dust", qty: 1 }],
          tradeableOnly: true,
        },
        {
          characterId: b.characterId,
          gold: 40,
          take: [{ slot: 0, qty: 1, itemId: "bone_dust" }],
          give: [{ itemId: "spirit_stone", qty: 2 }],
          tradeableOnly: true,
        },
      ],
    });
    assert.ok(swap.ok, JSON.stringify(swap));
    assert.equal(swap.holdings[a.characterId]?.gold, 60);
    assert.equal(swap.holdings[b.characterId]?.gold, 90);

    // A stale offer (the slot holds something else now) changes nothing for either side.
    const stale = await economy.mutate({
      kind: "trade",
      changes: [
        { characterId: a.characterId, gold: -1 },
        { characterId: b.characterId, take: [{ slot: 0, qty: 1, itemId: "spirit_stone" }] },
      ],
    });
    assert.deepEqual(stale, { ok: false, code: "ITEM_CHANGED", characterId: b.characterId });

    // One online (its room commits) and one offline (locked by the caller, loaded in the room's transaction).
    const mixed = await economy.mutate({
      kind: "trade",
      changes: [
        { characterId: a.characterId, gold: -10 },
        { characterId: c.characterId, gold: 10 },
      ],
    });
    assert.ok(mixed.ok, JSON.stringify(mixed));
    const poor = await economy.mutate({
      kind: "trade",
      changes: [{ characterId: c.characterId, gold: -11 }],
    });
    assert.deepEqual(poor, { ok: false, code: "NOT_ENOUGH_GOLD", characterId: c.characterId });

    await sleep(1200); // the rooms' write-behind runs meanwhile: it must not undo anything
    await Promise.all(rooms.splice(0).map((r) => Promise.race([r.leave(), sleep(2000)])));
    await sleep(300);
    assert.deepEqual(await stored(a), {
      gold: 50,
      items: ["bone_dustx1", "spirit_stonex1"],
    });
    assert.deepEqual(await stored(b), { gold: 90, items: ["bone_dustx2", "spirit_stonex2"] });
    assert.deepEqual(await stored(c), { gold: 10, items: [] });
    const legs = await game.server.db.prisma.ledgerEntry.findMany({
      where: { opId: swap.opId },
      select: { characterId: true, itemId: true, delta: true },
    });
    assert.equal(legs.length, 6);
    assert.equal(
      legs.reduce((n, l) => n + Number(l.delta), 0),
      0,
    );
  });
});

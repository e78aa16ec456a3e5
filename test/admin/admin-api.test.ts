import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  nextMessage,
  sleep,
  startTestGame,
  waitFor,
  type TestGame,
} from "../helpers/game-server.ts";

const ADMIN = { ADMIN_USER: "ops", ADMIN_PASSWORD: "a-long-admin-password" };
const basic = `Basic ${Buffer.from(`${ADMIN.ADMIN_USER}:${ADMIN.ADMIN_PASSWORD}`).toString("base64")}`;

describe("admin API on a running server", function () {
  let game: TestGame;
  const rooms: Room[] = [];

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!, ADMIN);
  });
  after(async () => {
    await Promise.all(
      rooms.map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(500)])),
    );
    await game?.stop();
  });

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${game.url}${path}`, {
      ...init,
      headers: {
        authorization: basic,
        "content-type": "application/json",
        ...(init.headers ?? {}),
      },
    });

  async function online() {
    const player = await newPlayer(game.url);
    const { room } = await enterWorld(game.url, player);
    rooms.push(room);
    await waitFor(
      room,
      () =>
        (room.state as { entities?: Map<string, unknown> }).entities?.has(room.sessionId) ?? false,
      5000,
      "own entity",
    );
    return { player, room };
  }

  it("refuses every admin action without credentials", async () => {
    for (const [method, path] of [
      ["GET", "/admin/api/players"],
      ["POST", "/admin/api/announcements"],
      ["GET", "/metrics"],
    ] as const) {
      const res = await fetch(`${game.url}${path}`, { method });
      assert.equal(res.status, 401, `${method} ${path}`);
    }
  });

  it("lists online players with their zone and room", async () => {
    const { player, room } = await online();
    const res = await admin("/admin/api/players");
    assert.equal(res.status, 200);
    const { players } = (await res.json()) as {
      players: { characterId: string; zone: string; roomId: string }[];
    };
    const me = players.find((p) => p.characterId === player.characterId);
    assert.deepEqual(me && { zone: me.zone, roomId: me.roomId }, {
      zone: "town",
      roomId: room.roomId,
    });
  });

  it("broadcasts an announcement to players in every room", async () => {
    const { room } = await online();
    const heard = nextMessage<{ message: string }>(room, "announcement");
    const res = await admin("/admin/api/announcements", {
      method: "POST",
      body: JSON.stringify({ message: "Server restarts in 5 minutes" }),
    });
    assert.equal(res.status, 202);
    assert.equal((await heard).message, "Server restarts in 5 minutes");
  });

  it("gives an online player an item that is saved with its progress", async () => {
    const { player, room } = await online();
    const looted = nextMessage<{ characterId: string; itemId: string; quantity: number }>(
      room,
      "looted",
    );
    const res = await admin(`/admin/api/players/${player.characterId}/items`, {
      method: "POST",
      body: JSON.stringify({ itemId: "minor_healing_pill", quantity: 3 }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { online: boolean }).online, true);
    const { characterId, itemId, quantity } = await looted;
    assert.deepEqual(
      { characterId, itemId, quantity },
      { characterId: player.characterId, itemId: "minor_healing_pill", quantity: 3 },
    );
    await room.leave(true);
    rooms.splice(rooms.indexOf(room), 1);
    let rows: { itemId: string; quantity: number }[] = [];
    for (let i = 0; i < 30 && rows.length === 0; i++) {
      rows = await game.server.db.prisma.inventoryItem.findMany({
        where: { characterId: player.characterId },
        select: { itemId: true, quantity: true },
      });
      if (rows.length === 0) await sleep(100);
    }
    assert.deepEqual(rows, [{ itemId: "minor_healing_pill", quantity: 3 }]);
  });

  it("gives an offline character an item straight in the database", async () => {
    const player = await newPlayer(game.url);
    const res = await admin(`/admin/api/players/${player.characterId}/items`, {
      method: "POST",
      body: JSON.stringify({ itemId: "wolf_pelt", quantity: 2 }),
    });
    assert.equal(res.status, 200);
    const rows = await game.server.db.prisma.inventoryItem.findMany({
      where: { characterId: player.characterId },
      select: { itemId: true, quantity: true },
    });
    assert.deepEqual(rows, [{ itemId: "wolf_pelt", quantity: 2 }]);
    // Booked in the ledger: the character's leg and the admin source's, netting to zero.
    const legs = await game.server.db.prisma.$queryRaw<{ delta: bigint; account: string | null }[]>`
      SELECT delta, account FROM ledger_entries
      WHERE kind = 'admin_grant' AND item_id = 'wolf_pelt'
        AND op_id IN (SELECT op_id FROM ledger_entries WHERE character_id = ${player.characterId}::uuid)
      ORDER BY delta`;
    assert.deepEqual(
      legs.map((l) => [Number(l.delta), l.account]),
      [
        [-2, "source:admin"],
        [2, null],
      ],
    );
  });

  it("kicks an online player so that it cannot reconnect into the session", async () => {
    const { player, room } = await online();
    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    const res = await admin(`/admin/api/players/${player.characterId}/kick`, {
      method: "POST",
      body: JSON.stringify({ reason: "testing" }),
    });
    assert.equal(res.status, 200);
    assert.equal(await left, 4002);
    rooms.splice(rooms.indexOf(room), 1);
    const missing = await admin(`/admin/api/players/${player.characterId}/kick`, {
      method: "POST",
      body: "{}",
    });
    assert.equal(missing.status, 404);
  });

  it("counts failed database operations in /metrics", async () => {
    const a = await newPlayer(game.url);
    const taken = await fetch(`${game.url}/v1/characters`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${a.token}` },
      body: JSON.stringify({ name: a.character.name, race: "orc", job: "warrior" }),
    });
    assert.equal(taken.status, 409, "the unique name index refuses the insert");
    const metrics = await (await admin("/metrics")).text();
    assert.match(
      metrics,
      /mmo_db_query_errors_total\{[^}]*operation="Character\.create"[^}]*\} [1-9]/,
    );
  });

  it("answers 400 for a bad announcement and counts traffic in /metrics", async () => {
    const bad = await admin("/admin/api/announcements", {
      method: "POST",
      body: JSON.stringify({ message: "" }),
    });
    assert.equal(bad.status, 400);
    const metrics = await (await admin("/metrics")).text();
    assert.match(metrics, /mmo_patch_bytes_total\{[^}]*room="zone"[^}]*\} [1-9]/);
    assert.match(metrics, /mmo_room_step_duration_seconds_count\{[^}]*room="zone"/);
  });
});

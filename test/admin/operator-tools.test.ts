import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  nextMessage,
  positionIn,
  sleep,
  startTestGame,
  until,
  waitFor,
  type TestGame,
} from "../helpers/game-server.ts";

const ADMIN = { ADMIN_USER: "ops", ADMIN_PASSWORD: "a-long-admin-password" };
const basic = `Basic ${Buffer.from(`${ADMIN.ADMIN_USER}:${ADMIN.ADMIN_PASSWORD}`).toString("base64")}`;
const PASSWORD = "operator test password";

type ChatRefusal = { code: string; message: string; until?: string | null };
type AuditEntry = {
  id: string;
  admin: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  status: number;
  result: string;
};

let seq = 0;

describe("operator tools on a running server", function () {
  this.timeout(60_000);
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

  const admin = (path: string, method = "POST", body?: unknown) =>
    fetch(`${game.url}/admin/api${path}`, {
      method,
      headers: { authorization: basic, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  async function json<T>(res: Response, status: number): Promise<T> {
    const text = await res.text();
    assert.equal(res.status, status, text);
    return JSON.parse(text) as T;
  }

  const login = (email: string) =>
    fetch(`${game.url}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD }),
    });

  /** A new account (whose e-mail and password are known) with one character in town. */
  async function newAccount() {
    const n = (seq += 1);
    const email = `op${n}.${process.pid}.${Date.now()}@example.com`;
    const session = await json<{ accessToken: string; accountId: string }>(
      await fetch(`${game.url}/v1/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: PASSWORD }),
      }),
      201,
    );
    const character = await json<{ id: string; name: string }>(
      await fetch(`${game.url}/v1/characters`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${session.accessToken}`,
        },
        body: JSON.stringify({
          name: `Op${process.pid % 1000}_${n}`,
          race: "human",
          job: "warrior",
        }),
      }),
      201,
    );
    return {
      email,
      token: session.accessToken,
      accountId: session.accountId,
      characterId: character.id,
      name: character.name,
    };
  }

  async function online(player: { token: string; characterId: string }) {
    const { client, room } = await enterWorld(game.url, player);
    rooms.push(room);
    await waitFor(
      room,
      () =>
        (room.state as { entities?: Map<string, unknown> }).entities?.has(room.sessionId) ?? false,
      5000,
      "own entity",
    );
    return { client, room };
  }

  const closed = (room: Room) =>
    new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));

  async function auditOf(targetId: string): Promise<AuditEntry[]> {
    const res = await admin(`/audit?target=${targetId}&limit=50`, "GET");
    return (await json<{ entries: AuditEntry[] }>(res, 200)).entries;
  }

  it("refuses every operator action without credentials (401)", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    for (const [method, path] of [
      ["POST", `/players/${id}/kick`],
      ["POST", `/players/${id}/mute`],
      ["DELETE", `/players/${id}/mute`],
      ["POST", `/players/${id}/ban`],
      ["POST", `/accounts/${id}/ban`],
      ["DELETE", `/accounts/${id}/ban`],
      ["GET", `/accounts/${id}/sanctions`],
      ["POST", `/players/${id}/teleport`],
      ["POST", `/players/${id}/items`],
      ["POST", `/players/${id}/items/remove`],
      ["POST", `/players/${id}/gold`],
      ["POST", `/players/${id}/gold/remove`],
      ["GET", "/audit"],
    ] as const) {
      const res = await fetch(`${game.url}/admin/api${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: method === "GET" ? undefined : JSON.stringify({ reason: "x", durationSec: 60 }),
      });
      assert.equal(res.status, 401, `${method} ${path}`);
    }
  });

  it("serves the players page and its assets to the admin only", async () => {
    for (const path of ["/admin/players", "/admin/players.js", "/admin/players.html", "/admin/x"]) {
      assert.equal((await fetch(`${game.url}${path}`)).status, 401, path);
    }
    const page = await fetch(`${game.url}/admin/players`, { headers: { authorization: basic } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.match(await page.text(), /src="\/admin\/players\.js"/);
    const script = await fetch(`${game.url}/admin/players.js`, {
      headers: { authorization: basic },
    });
    assert.equal(script.status, 200);
    assert.match(await script.text(), /\/players\/\$\{p\.characterId\}/);
    const missing = await fetch(`${game.url}/admin/players.html`, {
      headers: { authorization: basic },
    });
    assert.equal(missing.status, 404, "the page's file is not served under its own name");
  });

  it("answers 400 for bad bodies and audits the refused requests", async () => {
    const p = await newAccount();
    const id = p.characterId;
    for (const [method, path, body] of [
      ["POST", `/players/${id}/mute`, { reason: "spam" }],
      ["POST", `/players/${id}/mute`, { durationSec: 0, reason: "spam" }],
      ["POST", `/players/${id}/ban`, { durationSec: 60 }],
      ["POST", `/accounts/${p.accountId}/ban`, { reason: "" }],
      ["POST", `/players/${id}/teleport`, { x: "1", y: 2 }],
      ["POST", `/players/${id}/items`, { itemId: "rusty_sword", quantity: 0 }],
      ["POST", `/players/${id}/gold/remove`, { amount: -5 }],
      ["POST", `/players/${id}/kick`, { reason: "x", extra: true }],
    ] as const) {
      const res = await admin(path, method, body);
      const answer = await json<{ error: { code: string } }>(res, 400);
      assert.equal(answer.error.code, "VALIDATION_FAILED", `${method} ${path}`);
    }
    const bad = await admin(`/audit?limit=0`, "GET");
    assert.equal(bad.status, 400);
    let entries: AuditEntry[] = [];
    for (let i = 0; i < 50 && entries.length < 7; i++) {
      entries = await auditOf(id);
      if (entries.length < 7) await sleep(50);
    }
    assert.equal(entries.length, 7);
    assert.ok(entries.every((e) => e.status === 400 && e.result === "VALIDATION_FAILED"));
    assert.ok(entries.every((e) => e.admin === "ops" && e.targetType === "character"));
  });

  it("mutes an online player on every channel until unmuted, across a relog", async () => {
    const p = await newAccount();
    const other = await newAccount();
    let { room } = await online(p);
    await online(other);
    const told = nextMessage<{ reason: string; until: string }>(room, "muted");
    const muted = await json<{ accountId: string; mute: { expiresAt: string }; told: string[] }>(
      await admin(`/players/${p.characterId}/mute`, "POST", { durationSec: 600, reason: "spam" }),
      200,
    );
    assert.equal(muted.accountId, p.accountId);
    assert.deepEqual(muted.told, [p.characterId]);
    const notice = await told;
    assert.equal(notice.reason, "spam");
    assert.equal(notice.until, muted.mute.expiresAt);
    assert.ok(Date.parse(notice.until) - Date.now() > 590_000);

    const refusals = async (r: Room) => {
      const seen: ChatRefusal[] = [];
      const off = r.onMessage("chatError", (m: ChatRefusal) => void seen.push(m));
      r.send("chat", { channel: "zone", text: "buy gold" });
      r.send("chat", { channel: "party", text: "buy gold" });
      r.send("chat", { channel: "guild", text: "buy gold" });
      r.send("chat", { channel: "whisper", to: other.name, text: "buy gold" });
      await until(() => seen.length === 4, 5000, "four chat refusals");
      off();
      return seen;
    };
    for (const refusal of await refusals(room)) {
      assert.equal(refusal.code, "MUTED");
      assert.equal(refusal.until, muted.mute.expiresAt);
      assert.match(refusal.message, /spam/);
    }

    // A relog does not shed it: it is the account's, in the database.
    await room.leave(true);
    rooms.splice(rooms.indexOf(room), 1);
    await sleep(300);
    ({ room } = await online(p));
    assert.ok((await refusals(room)).every((r) => r.code === "MUTED"));

    const unmutedNotice = nextMessage(room, "unmuted");
    const lifted = await json<{ lifted: boolean }>(
      await admin(`/players/${p.characterId}/mute`, "DELETE", { reason: "appeal accepted" }),
      200,
    );
    assert.equal(lifted.lifted, true);
    await unmutedNotice;
    const heard = nextMessage<{ text: string }>(room, "chat");
    room.send("chat", { channel: "zone", text: "sorry" });
    assert.equal((await heard).text, "sorry");

    const actions = (await auditOf(p.characterId)).map((e) => [e.action, e.reason, e.result]);
    assert.deepEqual(actions, [
      ["player.unmute", "appeal accepted", "ok"],
      ["player.mute", "spam", "ok"],
    ]);
  });

  it("lets a mute end by itself at its end time", async () => {
    const p = await newAccount();
    const { room } = await online(p);
    await json(
      await admin(`/players/${p.characterId}/mute`, "POST", {
        durationSec: 1,
        reason: "cool down",
      }),
      200,
    );
    const refused = nextMessage<ChatRefusal>(room, "chatError");
    room.send("chat", { channel: "zone", text: "now" });
    assert.equal((await refused).code, "MUTED");
    await sleep(1100);
    const heard = nextMessage<{ text: string }>(room, "chat");
    room.send("chat", { channel: "zone", text: "later" });
    assert.equal((await heard).text, "later");
  });

  it("bans an account: kicks it, refuses login and joins with the reason, until unbanned", async () => {
    const p = await newAccount();
    const { room } = await online(p);
    const left = closed(room);
    const banned = await json<{ ban: { expiresAt: string | null }; kicked: string[] }>(
      await admin(`/players/${p.characterId}/ban`, "POST", { reason: "botting" }),
      200,
    );
    assert.equal(banned.ban.expiresAt, null);
    assert.deepEqual(banned.kicked, [p.characterId]);
    assert.equal(await left, 4002);
    rooms.splice(rooms.indexOf(room), 1);

    const refusedLogin = await json<{ error: { code: string; message: string } }>(
      await login(p.email),
      403,
    );
    assert.equal(refusedLogin.error.code, "ACCOUNT_BANNED");
    assert.match(refusedLogin.error.message, /botting \(until lifted\)/);
    // An access token issued before the ban does not get back in either.
    const join = await fetch(`${game.url}/v1/world/join`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` },
      body: JSON.stringify({ characterId: p.characterId }),
    });
    const refusedJoin = await json<{ error: { code: string; message: string } }>(join, 403);
    assert.equal(refusedJoin.error.code, "ACCOUNT_BANNED");
    assert.match(refusedJoin.error.message, /botting/);

    await json(await admin(`/accounts/${p.accountId}/ban`, "DELETE", {}), 200);
    assert.equal((await login(p.email)).status, 200);
    const { sanctions } = await json<{
      sanctions: { kind: string; reason: string; createdBy: string; liftedBy: string | null }[];
    }>(await admin(`/accounts/${p.accountId}/sanctions`, "GET"), 200);
    assert.deepEqual(
      sanctions.map((x) => [x.kind, x.reason, x.createdBy, x.liftedBy]),
      [["ban", "botting", "ops", "ops"]],
    );
    // A ban given through a character is the account's in the audit log.
    const audited = (await auditOf(p.accountId)).map((e) => [e.action, e.details.characterId]);
    assert.deepEqual(audited, [
      ["account.unban", undefined],
      ["account.ban", p.characterId],
    ]);
    const unknown = await admin(`/accounts/00000000-0000-4000-8000-000000000000/ban`, "POST", {
      reason: "x",
    });
    assert.equal(unknown.status, 404);
  });

  it("bans for a duration: the refusal names the end, and login works after it", async () => {
    const p = await newAccount();
    const banned = await json<{ ban: { expiresAt: string } }>(
      await admin(`/accounts/${p.accountId}/ban`, "POST", { reason: "cheating", durationSec: 1 }),
      200,
    );
    const refused = await json<{ error: { message: string } }>(await login(p.email), 403);
    assert.ok(refused.error.message.includes(`until ${banned.ban.expiresAt}`));
    await sleep(1100);
    assert.equal((await login(p.email)).status, 200);
  });

  it("teleports an online player within its zone and to another zone, and an offline one", async () => {
    const town = game.data.zones.get("town")!;
    const p = await newAccount();
    const { client, room } = await online(p);
    const to = { x: town.spawn.x + 64, y: town.spawn.y };
    const moved = await json<{ zone: string; online: boolean; result: string }>(
      await admin(`/players/${p.characterId}/teleport`, "POST", to),
      200,
    );
    assert.deepEqual(moved, {
      characterId: p.characterId,
      ...to,
      zone: "town",
      online: true,
      result: "moved",
    });
    await waitFor(
      room,
      () => {
        const at = positionIn(room, room.sessionId);
        return at !== undefined && Math.hypot(at.x - to.x, at.y - to.y) < 1;
      },
      5000,
      "the teleported position",
    );

    const blocked = await admin(`/players/${p.characterId}/teleport`, "POST", { x: 5, y: 5 });
    assert.equal(blocked.status, 400);
    const crypt = await admin(`/players/${p.characterId}/teleport`, "POST", {
      zone: "crypt",
      x: 100,
      y: 100,
    });
    assert.equal(crypt.status, 400, "instances are entered through their portals only");
    const nowhere = await admin(`/players/${p.characterId}/teleport`, "POST", {
      zone: "nowhere",
      x: 1,
      y: 1,
    });
    assert.equal(nowhere.status, 404);

    const field = game.data.zones.get("field")!;
    const transfer = nextMessage<{ zone: string; reservation: unknown }>(room, "transfer");
    const away = await json<{ result: string }>(
      await admin(`/players/${p.characterId}/teleport`, "POST", { zone: "field", ...field.spawn }),
      200,
    );
    assert.equal(away.result, "transferring");
    const hand = await transfer;
    assert.equal(hand.zone, "field");
    const fieldRoom = (await client.consumeSeatReservation(hand.reservation as never)) as Room;
    rooms.push(fieldRoom);
    await waitFor(fieldRoom, () => positionIn(fieldRoom, fieldRoom.sessionId) !== undefined);
    const there = positionIn(fieldRoom, fieldRoom.sessionId)!;
    assert.ok(Math.hypot(there.x - field.spawn.x, there.y - field.spawn.y) < 1);

    const offline = await newAccount();
    const stored = await json<{ online: boolean; result: string }>(
      await admin(`/players/${offline.characterId}/teleport`, "POST", {
        zone: "field",
        x: 300,
        y: 1500,
      }),
      200,
    );
    assert.deepEqual([stored.online, stored.result], [false, "stored"]);
    const row = await game.server.db.prisma.character.findUnique({
      where: { id: offline.characterId },
      select: { zone: true, x: true, y: true },
    });
    assert.deepEqual(row, { zone: "field", x: 300, y: 1500 });
  });

  it("gives and takes gold and items through the ledger, refusing what the character lacks", async () => {
    const p = await newAccount();
    const { room } = await online(p);
    const id = p.characterId;
    const gold = await json<{ gold: number; online: boolean }>(
      await admin(`/players/${id}/gold`, "POST", { amount: 250, reason: "refund" }),
      200,
    );
    assert.equal(gold.online, true);
    const start = gold.gold - 250;
    const tooMuch = await json<{ error: { code: string } }>(
      await admin(`/players/${id}/gold/remove`, "POST", { amount: gold.gold + 1 }),
      409,
    );
    assert.equal(tooMuch.error.code, "NOT_ENOUGH_GOLD");
    const taken = await json<{ gold: number }>(
      await admin(`/players/${id}/gold/remove`, "POST", { amount: 50, reason: "dupe" }),
      200,
    );
    assert.equal(taken.gold, start + 200);

    const looted = nextMessage(room, "looted");
    await json(
      await admin(`/players/${id}/items`, "POST", { itemId: "wolf_pelt", quantity: 3 }),
      200,
    );
    await looted;
    const short = await json<{ error: { code: string } }>(
      await admin(`/players/${id}/items/remove`, "POST", { itemId: "wolf_pelt", quantity: 4 }),
      409,
    );
    assert.equal(short.error.code, "NOT_ENOUGH_ITEMS");
    const none = await admin(`/players/${id}/items/remove`, "POST", {
      itemId: "rusty_sword",
      quantity: 1,
    });
    assert.equal(none.status, 409);
    await json(
      await admin(`/players/${id}/items/remove`, "POST", { itemId: "wolf_pelt", quantity: 2 }),
      200,
    );

    // What the room holds is what was committed: the character leaves and the row shows it.
    await room.leave(true);
    rooms.splice(rooms.indexOf(room), 1);
    const prisma = game.server.db.prisma;
    let items: { itemId: string; quantity: number }[] = [];
    for (let i = 0; i < 30; i++) {
      items = await prisma.inventoryItem.findMany({
        where: { characterId: id },
        select: { itemId: true, quantity: true },
      });
      if (items.some((s) => s.itemId === "wolf_pelt" && s.quantity === 1)) break;
      await sleep(100);
    }
    assert.deepEqual(
      items.filter((s) => s.itemId === "wolf_pelt"),
      [{ itemId: "wolf_pelt", quantity: 1 }],
    );
    const character = await prisma.character.findUnique({ where: { id }, select: { gold: true } });
    assert.equal(Number(character!.gold), start + 200);
    const legs = await prisma.$queryRaw<
      { kind: string; item_id: string | null; delta: bigint; account: string | null }[]
    >`
      SELECT kind, item_id, delta, account FROM ledger_entries
      WHERE op_id IN (SELECT op_id FROM ledger_entries WHERE character_id = ${id}::uuid)
        AND kind = 'admin_remove'
      ORDER BY item_id NULLS FIRST, delta`;
    assert.deepEqual(
      legs.map((l) => [l.item_id, Number(l.delta), l.account]),
      [
        [null, -50, null],
        [null, 50, "sink:admin"],
        ["wolf_pelt", -2, null],
        ["wolf_pelt", 2, "sink:admin"],
      ],
    );
  });

  it("keeps an audit log of every action, newest first, paged with a cursor", async () => {
    const p = await newAccount();
    await json(
      await admin(`/players/${p.characterId}/gold`, "POST", { amount: 5, reason: "one" }),
      200,
    );
    await json(
      await admin(`/players/${p.characterId}/gold`, "POST", { amount: 6, reason: "two" }),
      200,
    );
    const notOnline = await admin(`/players/${p.characterId}/kick`, "POST", { reason: "three" });
    assert.equal(notOnline.status, 404);
    let all: AuditEntry[] = [];
    for (let i = 0; i < 50 && all.length < 3; i++) {
      all = await auditOf(p.characterId);
      if (all.length < 3) await sleep(50);
    }
    assert.deepEqual(
      all.map((e) => [e.action, e.reason, e.status, e.result, e.admin]),
      [
        ["player.kick", "three", 404, "NOT_FOUND", "ops"],
        ["player.gold.grant", "two", 200, "ok", "ops"],
        ["player.gold.grant", "one", 200, "ok", "ops"],
      ],
    );
    assert.equal(
      all[1]!.details.request && (all[1]!.details.request as { amount: number }).amount,
      6,
    );
    const first = await json<{ entries: AuditEntry[]; nextCursor: string }>(
      await admin(`/audit?target=${p.characterId}&limit=2`, "GET"),
      200,
    );
    assert.equal(first.entries.length, 2);
    const rest = await json<{ entries: AuditEntry[]; nextCursor: string | null }>(
      await admin(`/audit?target=${p.characterId}&limit=2&cursor=${first.nextCursor}`, "GET"),
      200,
    );
    assert.deepEqual(
      rest.entries.map((e) => e.reason),
      ["one"],
    );
    assert.equal(rest.nextCursor, null);
    const announcements = await json<{ entries: AuditEntry[] }>(
      await admin(`/audit?action=announcement.send&limit=5`, "GET"),
      200,
    );
    assert.ok(Array.isArray(announcements.entries));
  });
});

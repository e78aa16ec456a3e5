import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { Client, type Room } from "@colyseus/sdk";
import { createTokenSigner } from "../../src/accounts/tokens.ts";
import { economyTotals, sortedEntries, unbalancedOps } from "../economy/economy-totals.ts";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  sleep,
  startTestGame,
  type TestGame,
} from "../helpers/game-server.ts";

/** startTestGame's JWT secret: a token signed with it is validly signed for the server. */
const SECRET = "e2e-secret-e2e-secret-e2e-secret-0123456";
const PASSWORD = "e2e password 123";

type Player = Awaited<ReturnType<typeof newPlayer>>;

/** Issue 14: DELETE /v1/account, and tokens that outlive their account. */
for (const target of DATABASE_TARGETS) {
  describe(`account deletion on ${target.name}`, function () {
    let game: TestGame;
    const rooms: Room[] = [];

    before(async function () {
      await skipUnlessAvailable(this, target);
      game = await startTestGame(target);
    });
    after(async () => game?.stop());
    afterEach(async () => {
      await Promise.all(
        rooms.splice(0).map((r) => Promise.race([r.leave().catch(() => undefined), sleep(500)])),
      );
    });

    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${game.url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const deleteAccount = (token: string, password: string) =>
      call("DELETE", "/v1/account", token, { password });
    const emailOf = async (p: Player) =>
      (await game.server.db.prisma.account.findUniqueOrThrow({ where: { id: p.accountId } })).email;
    const secondCharacter = async (p: Player) => {
      const res = await call("POST", "/v1/characters", p.token, {
        name: `Alt${process.pid % 1000}_${randomUUID().slice(0, 6)}`,
        race: "elf",
        job: "mage",
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    };

    it("refuses a wrong password with 403 WRONG_PASSWORD and a missing one with 400", async () => {
      const p = await newPlayer(game.url);
      const wrong = await deleteAccount(p.token, "not my password");
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.code, "WRONG_PASSWORD");
      const missing = await call("DELETE", "/v1/account", p.token, {});
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.code, "VALIDATION_FAILED");
      const anonymous = await call("DELETE", "/v1/account", undefined, { password: PASSWORD });
      assert.equal(anonymous.status, 401);
      assert.equal((await call("GET", "/v1/characters", p.token)).status, 200);
    });

    it("removes the account, its characters and refresh tokens; its token then gets 401 everywhere", async () => {
      const p = await newPlayer(game.url);
      const email = await emailOf(p);
      const login = await call("POST", "/v1/auth/login", undefined, { email, password: PASSWORD });
      assert.equal(login.status, 200);
      const alt = await secondCharacter(p);
      const announced: { accountId: string; characterIds: string[] }[] = [];
      const off = game.server.events.subscribe("account.deleted", (e) => void announced.push(e));

      assert.equal((await deleteAccount(p.token, PASSWORD)).status, 204);
      off();
      assert.deepEqual(
        announced.map((e) => [e.accountId, [...e.characterIds].sort()]),
        [[p.accountId, [p.characterId, alt].sort()]],
      );

      const prisma = game.server.db.prisma;
      assert.equal(await prisma.account.count({ where: { id: p.accountId } }), 0);
      assert.equal(
        await prisma.character.count({ where: { id: { in: [p.characterId, alt] } } }),
        0,
      );
      assert.equal(await prisma.refreshToken.count({ where: { accountId: p.accountId } }), 0);

      for (const [method, path, body] of [
        ["GET", "/v1/characters", undefined],
        ["POST", "/v1/characters", { name: "Ghost", race: "human", job: "warrior" }],
        ["GET", `/v1/characters/${p.characterId}`, undefined],
        ["GET", `/v1/characters/${p.characterId}/inventory`, undefined],
        ["POST", "/v1/world/join", { characterId: p.characterId }],
        ["DELETE", "/v1/account", { password: PASSWORD }],
      ] as const) {
        const res = await call(method, path, p.token, body);
        assert.equal(res.status, 401, `${method} ${path}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, "ACCOUNT_DELETED", `${method} ${path}`);
      }
      const refresh = await call("POST", "/v1/auth/refresh", undefined, {
        refreshToken: login.body.refreshToken,
      });
      assert.equal(refresh.status, 401);
      const again = await call("POST", "/v1/auth/login", undefined, { email, password: PASSWORD });
      assert.equal(again.status, 401);
      assert.equal(again.body.error.code, "INVALID_CREDENTIALS");
    });

    it("answers 401, not a foreign-key 500, to a validly signed token of an unknown account", async () => {
      const token = await createTokenSigner(new TextEncoder().encode(SECRET), 900).signAccess(
        randomUUID(),
      );
      const created = await call("POST", "/v1/characters", token, {
        name: "Nobody",
        race: "human",
        job: "warrior",
      });
      assert.equal(created.status, 401, JSON.stringify(created.body));
      assert.equal(created.body.error.code, "ACCOUNT_DELETED");

      const client = new Client(game.url);
      client.auth.token = token;
      const joined = await client
        .joinOrCreate("zone", { zone: "town", characterId: randomUUID() })
        .then(
          (room) => {
            rooms.push(room);
            return undefined;
          },
          (error: { code?: number; message?: string }) => error,
        );
      assert.ok(joined, "the join was refused");
      assert.equal(joined.code, 401, joined.message);
    });

    it("disconnects the account's online character and refuses it a new join", async () => {
      const p = await newPlayer(game.url);
      const { room } = await enterWorld(game.url, p);
      rooms.push(room);
      const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));

      assert.equal((await deleteAccount(p.token, PASSWORD)).status, 204);
      const code = await Promise.race([left, sleep(5000).then(() => -1)]);
      assert.equal(code, 4002, "kicked with the server's error close code");
      const rejoin = await call("POST", "/v1/world/join", p.token, { characterId: p.characterId });
      assert.equal(rejoin.status, 401);
      assert.equal(
        await game.server.db.prisma.character.count({ where: { id: p.characterId } }),
        0,
      );
      // Its last save found the row gone and wrote nothing back.
      await sleep(1200);
      assert.equal(
        await game.server.db.prisma.character.count({ where: { id: p.characterId } }),
        0,
      );
    });

    it("disconnects a deleted character that is online; the account's other character stays", async () => {
      const p = await newPlayer(game.url);
      const other = await secondCharacter(p);
      const { room } = await enterWorld(game.url, p);
      rooms.push(room);
      const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));

      const deleted = await call("DELETE", `/v1/characters/${p.characterId}`, p.token);
      assert.equal(deleted.status, 204);
      const code = await Promise.race([left, sleep(5000).then(() => -1)]);
      assert.equal(code, 4002, "kicked with the server's error close code");
      const rejoin = await call("POST", "/v1/world/join", p.token, { characterId: p.characterId });
      assert.equal(rejoin.status, 404);
      assert.equal(rejoin.body.error.code, "CHARACTER_NOT_FOUND");
      // Its last save found the row gone and wrote nothing back; the sibling is untouched.
      await sleep(1200);
      const prisma = game.server.db.prisma;
      assert.equal(await prisma.character.count({ where: { id: p.characterId } }), 0);
      assert.equal(await prisma.character.count({ where: { id: other } }), 1);
    });

    it("moves what the characters held and the mail waiting for them into sink:character_deleted", async () => {
      const [doomed, other] = [await newPlayer(game.url), await newPlayer(game.url)];
      const economy = game.server.economy.economy;
      for (const [p, gold] of [
        [doomed, 120],
        [other, 80],
      ] as const) {
        const granted = await economy.grant({
          kind: "admin_grant",
          source: "test",
          characterId: p.characterId,
          gold,
          items: [{ itemId: "minor_healing_pill", qty: 4 }],
        });
        assert.ok(granted.ok, JSON.stringify(granted));
      }
      const slotOf = async (p: Player) => {
        const inv = await call("GET", `/v1/characters/${p.characterId}/inventory`, p.token);
        return (inv.body.items as { slot: number; itemId: string }[]).find(
          (s) => s.itemId === "minor_healing_pill",
        )!.slot;
      };
      const mail = (from: Player, to: Player, gold: number, slot: number) =>
        call("POST", `/v1/characters/${from.characterId}/mail`, from.token, {
          to: to.character.name,
          subject: "Gift",
          body: "",
          gold,
          items: [{ slot, qty: 2 }],
        });
      // Waiting in escrow for the doomed character, and sent by it to the other.
      assert.equal((await mail(other, doomed, 30, await slotOf(other))).status, 201);
      const sent = await mail(doomed, other, 20, await slotOf(doomed));
      assert.equal(sent.status, 201);

      const prisma = game.server.db.prisma;
      const before = sortedEntries(await economyTotals(prisma));
      assert.equal((await deleteAccount(doomed.token, PASSWORD)).status, 204);
      assert.deepEqual(sortedEntries(await economyTotals(prisma)), before);
      assert.deepEqual(await unbalancedOps(prisma), []);

      const sunk = await prisma.ledgerEntry.findMany({
        where: { kind: "character_deleted", account: "sink:character_deleted" },
        select: { itemId: true, delta: true },
      });
      const sum = (itemId: string | null) =>
        sunk.filter((l) => l.itemId === itemId).reduce((n, l) => n + Number(l.delta), 0);
      // 120 − 20 sent + 30 waiting; 4 − 2 sent + 2 waiting.
      assert.ok(sum(null) >= 130, `gold sunk ${sum(null)}`);
      assert.ok(sum("minor_healing_pill") >= 4, `pills sunk ${sum("minor_healing_pill")}`);

      // What the doomed character sent is still the other's to claim.
      const inbox = await call("GET", `/v1/characters/${other.characterId}/mail`, other.token);
      const letter = (inbox.body.mail as { id: string; fromCharacterId: string | null }[]).find(
        (m) => m.id === sent.body.mailId,
      );
      assert.ok(letter, "the letter stays with its reader");
      assert.equal(letter.fromCharacterId, null);
      const claim = await call(
        "POST",
        `/v1/characters/${other.characterId}/mail/${letter.id}/claim`,
        other.token,
      );
      assert.equal(claim.status, 200, JSON.stringify(claim.body));
      assert.equal(claim.body.gold, 20);
    });

    it("keeps the economy's totals when one character is deleted too", async () => {
      const p = await newPlayer(game.url);
      const granted = await game.server.economy.economy.grant({
        kind: "admin_grant",
        source: "test",
        characterId: p.characterId,
        gold: 55,
        items: [{ itemId: "minor_healing_pill", qty: 3 }],
      });
      assert.ok(granted.ok, JSON.stringify(granted));
      const prisma = game.server.db.prisma;
      const before = sortedEntries(await economyTotals(prisma));
      const res = await call("DELETE", `/v1/characters/${p.characterId}`, p.token);
      assert.equal(res.status, 204);
      assert.deepEqual(sortedEntries(await economyTotals(prisma)), before);
      const legs = await prisma.ledgerEntry.findMany({
        where: { kind: "character_deleted", characterId: p.characterId },
        select: { itemId: true, delta: true },
        orderBy: { itemId: "asc" },
      });
      assert.deepEqual(
        legs.map((l) => [l.itemId, Number(l.delta)]),
        [
          ["minor_healing_pill", -3],
          [null, -55],
        ],
      );
    });

    it("hands a guild it led to the longest-serving officer, disbands one left empty, drops friendships", async () => {
      const [doomed, member, officer] = [
        await newPlayer(game.url),
        await newPlayer(game.url),
        await newPlayer(game.url),
      ];
      const alt = await secondCharacter(doomed);
      const prisma = game.server.db.prisma;
      const tag = randomUUID().slice(0, 4);
      const led = randomUUID();
      const alone = randomUUID();
      for (const [id, leaderId, name] of [
        [led, doomed.characterId, `Led ${tag}`],
        [alone, alt, `Alone ${tag}`],
      ] as const) {
        await prisma.guild.create({
          data: {
            id,
            name,
            nameKey: name.toLowerCase(),
            tag: name,
            tagKey: name.toLowerCase(),
            leaderId,
          },
        });
      }
      const t0 = Date.now() - 60_000;
      await prisma.guildMember.createMany({
        data: [
          { characterId: doomed.characterId, guildId: led, rank: "leader", joinedAt: new Date(t0) },
          {
            characterId: member.characterId,
            guildId: led,
            rank: "member",
            joinedAt: new Date(t0 + 1),
          },
          {
            characterId: officer.characterId,
            guildId: led,
            rank: "officer",
            joinedAt: new Date(t0 + 2),
          },
          { characterId: alt, guildId: alone, rank: "leader", joinedAt: new Date(t0) },
        ],
      });
      await prisma.friendship.createMany({
        data: [
          { ownerId: member.characterId, friendId: doomed.characterId },
          { ownerId: doomed.characterId, friendId: member.characterId },
        ],
      });

      assert.equal((await deleteAccount(doomed.token, PASSWORD)).status, 204);

      const guild = await prisma.guild.findUnique({
        where: { id: led },
        select: { leaderId: true },
      });
      assert.equal(guild?.leaderId, officer.characterId, "the officer leads");
      const ranks = await prisma.guildMember.findMany({
        where: { guildId: led },
        select: { characterId: true, rank: true },
        orderBy: { joinedAt: "asc" },
      });
      assert.deepEqual(ranks, [
        { characterId: member.characterId, rank: "member" },
        { characterId: officer.characterId, rank: "leader" },
      ]);
      assert.equal(
        await prisma.guild.count({ where: { id: alone } }),
        0,
        "the empty guild is gone",
      );
      assert.equal(
        await prisma.friendship.count({
          where: { OR: [{ ownerId: doomed.characterId }, { friendId: doomed.characterId }] },
        }),
        0,
      );
    });
  });
}

import { startTwoProcesses, type TwoProcesses } from "../helpers/two-processes.ts";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Client, type Room } from "@colyseus/sdk";
import pg from "pg";
import type { ServerProcess } from "../helpers/server-process.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";
import { collect, newPlayer, sleep, until, waitFor } from "../helpers/game-server.ts";

type Chat = { channel: string; from: string; fromId: string; text: string; to?: string };
type PartyView = { id: string; leader: string; members: { name: string; zone: string }[] };

const entities = (room: Room) =>
  (room.state as { entities?: Map<string, unknown> } | undefined)?.entities;

describe("social layer across two game processes (Redis presence, PostgreSQL)", function () {
  this.timeout(120_000);
  let a: ServerProcess;
  let b: ServerProcess;
  let cluster: TwoProcesses | undefined;
  let schema: string;
  let db: pg.Client;
  const rooms: Room[] = [];

  before(async function () {
    if (!(await serviceAvailable("redis")) || !(await serviceAvailable("postgres"))) this.skip();
    cluster = await startTwoProcesses("social");
    ({ a, b, schema } = cluster);
    db = new pg.Client({ connectionString: SERVICE_URLS.postgres });
    await db.connect();
  });

  after(async () => {
    await db?.end().catch(() => undefined);
    await cluster?.stop(rooms);
  });

  async function place(characterId: string, zone: string, x: number, y: number, gold = 0) {
    await db.query(
      `UPDATE "${schema}".characters SET zone = $1, x = $2, y = $3, gold = $4 WHERE id = $5`,
      [zone, x, y, gold, characterId],
    );
  }

  /** Joins through `via`; resolves with the room and the address of the process that owns it. */
  async function enter(via: ServerProcess, player: { token: string; characterId: string }) {
    const res = await fetch(`${via.url}/v1/world/join`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${player.token}` },
      body: JSON.stringify({ characterId: player.characterId }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const { reservation } = (await res.json()) as { reservation: { publicAddress?: string } };
    const room = await new Client(via.url).consumeSeatReservation(reservation as never);
    rooms.push(room);
    await waitFor(room, () => entities(room)?.has(room.sessionId) ?? false, 5000, "own entity");
    await sleep(200);
    return { room, owner: reservation.publicAddress };
  }

  async function api(via: ServerProcess, path: string, token: string, body: unknown) {
    const res = await fetch(`${via.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as unknown };
  }

  it("whispers, parties (invite, accept, party chat), guild chat and guild/mail notices between players on different processes", async () => {
    const p1 = await newPlayer(a.url);
    const p2 = await newPlayer(b.url);
    // A guild founded by p1 (offline founders pay the fee), p2 invited and accepted, over REST.
    await place(p1.characterId, "town", 768, 800, 500);
    const created = await api(a, "/v1/guilds", p1.token, {
      characterId: p1.characterId,
      name: `Far Apart ${randomBytes(2).toString("hex")}`,
      tag: `F${randomBytes(1).toString("hex")}`,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const guildId = (created.body as { id: string }).id;
    const invited = await api(a, `/v1/guilds/${guildId}/invites`, p1.token, {
      characterId: p1.characterId,
      name: p2.character.name,
    });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const accepted = await api(b, `/v1/guilds/${guildId}/accept`, p2.token, {
      characterId: p2.characterId,
    });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));

    // Different zones, so different rooms: the matchmaker puts a new room on the least-loaded
    // process. Check the two landed on different processes (else try the other field).
    const one = await enter(a, p1);
    let two: Awaited<ReturnType<typeof enter>> | undefined;
    for (const zone of ["field", "forest"]) {
      await place(p2.characterId, zone, 300, 1500);
      const attempt = await enter(b, p2);
      if (attempt.owner !== one.owner) {
        two = attempt;
        break;
      }
      await Promise.race([attempt.room.leave(true).catch(() => undefined), sleep(1000)]);
      await sleep(300);
    }
    assert.ok(two, `p2's room on the other process than p1's (${one.owner})`);
    const r1 = one.room;
    const r2 = two.room;
    const chats1 = collect<Chat>(r1, "chat");
    const chats2 = collect<Chat>(r2, "chat");
    const parties1 = collect<PartyView | null>(r1, "party");
    const invites2 = collect<{ partyId: string; from: string }>(r2, "partyInvited");

    r1.send("chat", { channel: "whisper", to: p2.character.name, text: "across the wire" });
    await until(() => chats2.some((c) => c.text === "across the wire"), 5000, "the whisper");
    const whisper = chats2.find((c) => c.text === "across the wire")!;
    assert.deepEqual(
      [whisper.channel, whisper.from, whisper.to],
      ["whisper", p1.character.name, p2.character.name],
    );
    await until(() => chats1.some((c) => c.text === "across the wire"), 5000, "the echo");

    r1.send("partyInvite", { name: p2.character.name });
    await until(() => invites2.length === 1, 5000, "the party invitation");
    assert.equal(invites2[0]!.from, p1.character.name);
    r2.send("partyAccept", { partyId: invites2[0]!.partyId });
    await until(() => (parties1.at(-1)?.members.length ?? 0) === 2, 5000, "a party of two");
    const party = parties1.at(-1)!;
    assert.equal(party.leader, p1.character.name);
    await until(
      () => parties1.at(-1)?.members.find((m) => m.name === p2.character.name)?.zone !== "",
      5000,
      "p2's zone",
    );
    r2.send("chat", { channel: "party", text: "party across processes" });
    await until(() => chats1.some((c) => c.text === "party across processes"), 5000, "party chat");
    assert.equal(chats1.find((c) => c.text === "party across processes")!.channel, "party");

    r2.send("chat", { channel: "guild", text: "guild across processes" });
    await until(() => chats1.some((c) => c.text === "guild across processes"), 5000, "guild chat");
    const line = chats1.find((c) => c.text === "guild across processes")!;
    assert.deepEqual([line.channel, line.fromId], ["guild", p2.characterId]);

    // Guild changes and mail reach the socket on the other process as they come.
    const guildNotices = collect<{ id: string; guildId: string; change: { kind: string } }>(
      r2,
      "guild",
    );
    const mails = collect<{ id: string; from: string; subject: string }>(r2, "mail");
    const promoted = await api(a, `/v1/guilds/${guildId}/promote`, p1.token, {
      characterId: p1.characterId,
      name: p2.character.name,
    });
    assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
    await until(() => guildNotices.length === 1, 5000, "the guild notice");
    assert.deepEqual(
      [guildNotices[0]!.guildId, guildNotices[0]!.change.kind],
      [guildId, "rankChanged"],
    );
    const mailed = await api(a, `/v1/characters/${p1.characterId}/mail`, p1.token, {
      to: p2.character.name,
      subject: "across processes",
    });
    assert.equal(mailed.status, 201, JSON.stringify(mailed.body));
    await until(() => mails.length === 1, 5000, "the mail notice");
    assert.equal(mails[0]!.subject, "across processes");

    await sleep(300);
    assert.equal(guildNotices.length, 1, "the guild notice once (guild and personal channel)");
    assert.equal(mails.length, 1);
    for (const text of ["across the wire", "party across processes", "guild across processes"]) {
      assert.equal(chats1.filter((c) => c.text === text).length, 1, `${text}: once for p1`);
      assert.equal(chats2.filter((c) => c.text === text).length, 1, `${text}: once for p2`);
    }
  });
});

import { strict as assert } from "node:assert";
import { LocalPresence } from "@colyseus/core";
import { Channels } from "../../infra/channels.ts";
import type { OnlinePlayers } from "../../session/online-players.ts";
import type { SocialDirectory } from "../realtime/social-directory.ts";
import type { PartyNotice } from "./party-notice.ts";
import { createPartyService } from "./party-service.ts";
import { withPresenceLocks } from "./presence-lock.ts";

const ids = ["a", "b", "c", "d", "e", "f", "g"];
const directory: SocialDirectory = {
  characterByName: async (name) => (ids.includes(name) ? { id: name, name } : undefined),
  isBlocked: async (owner, other) => owner === "g" && other === "a",
  blockedIdsOf: async () => new Set(),
  blocksChanged: () => undefined,
  guildOf: async () => undefined,
  appendGuildChat: async () => undefined,
};
const online = { get: async (id: string) => (id === "offline" ? undefined : { id }) };

function setup(now = () => 1_000_000) {
  const presence = new LocalPresence();
  const parties = createPartyService({
    presence,
    online: online as unknown as OnlinePlayers,
    directory,
    now,
  });
  const heard = new Map<string, PartyNotice[]>();
  for (const id of ids) {
    heard.set(id, []);
    void presence.subscribe(Channels.player(id), (m: PartyNotice) => {
      if (m.type === "party") heard.get(id)!.push(m);
    });
  }
  const me = (id: string) => ({ characterId: id, name: id });
  return { presence, parties, heard, me };
}

describe("party service (presence-backed)", () => {
  it("lets exactly one of two racing accepts take the last seat", async () => {
    const { parties, me } = setup();
    for (const id of ["b", "c", "d", "e", "f"]) assert.ok((await parties.invite(me("a"), id)).ok);
    const partyId = (await parties.partyOf("a"))!;
    for (const id of ["b", "c", "d"]) assert.ok((await parties.accept(me(id), partyId)).ok);
    const [e, f] = await Promise.all([
      parties.accept(me("e"), partyId),
      parties.accept(me("f"), partyId),
    ]);
    assert.deepEqual([e.ok, f.ok].sort(), [false, true]);
    const refused = e.ok ? f : e;
    assert.deepEqual(refused, { ok: false, code: "PARTY_FULL" });
    assert.equal((await parties.read(partyId))!.members.length, 5);
  });

  it("tells every member and the removed one about a kick, newest version last", async () => {
    const { parties, heard, me } = setup();
    await parties.invite(me("a"), "b");
    const partyId = (await parties.partyOf("a"))!;
    await parties.accept(me("b"), partyId);
    assert.ok((await parties.kick("a", "b")).ok);
    const toB = heard.get("b")!.at(-1)!;
    assert.deepEqual(toB.memberIds, ["a"]);
    const versions = heard.get("a")!.map((n) => n.version);
    assert.deepEqual(
      versions,
      [...versions].sort((x, y) => x - y),
    );
    assert.equal(await parties.partyOf("b"), undefined);
  });

  it("refuses invitations to unknown, offline, blocking or self targets", async () => {
    const { parties, me } = setup();
    assert.deepEqual(await parties.invite(me("a"), "zz"), { ok: false, code: "NOT_FOUND" });
    assert.deepEqual(await parties.invite(me("a"), "a"), { ok: false, code: "CANNOT_TARGET_SELF" });
    assert.deepEqual(await parties.invite(me("a"), "g"), { ok: false, code: "BLOCKED" });
    assert.equal(await parties.partyOf("a"), undefined, "no party left over from refusals");
  });

  it("removes a disconnected member only once the grace is over", async () => {
    let now = 1_000_000;
    const { parties, me } = setup(() => now);
    await parties.invite(me("a"), "b");
    const partyId = (await parties.partyOf("a"))!;
    await parties.accept(me("b"), partyId);
    await parties.memberDisconnected(partyId, "b", { level: 3, hpRatio: 0.5, zone: "town" });
    await parties.leaveIfGraceOver(partyId, "b");
    assert.equal((await parties.read(partyId))!.members.length, 2, "within the grace");
    now += 60_000;
    await parties.leaveIfGraceOver(partyId, "b");
    assert.deepEqual(
      (await parties.read(partyId))!.members.map((m) => m.characterId),
      ["a"],
    );
    parties.stop();
  });

  it("serialises holders of a presence lock", async () => {
    const presence = new LocalPresence();
    let inside = 0;
    let most = 0;
    await Promise.all(
      [1, 2, 3, 4].map(() =>
        withPresenceLocks(presence, ["k"], async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 5));
          inside -= 1;
        }),
      ),
    );
    assert.equal(most, 1);
  });
});

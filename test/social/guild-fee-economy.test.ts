import assert from "node:assert/strict";
import { GUILD_CREATION_FEE_GOLD } from "../../src/game/social/guild-rules.ts";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import { guildKit, guildName } from "./guild-kit.ts";
import { newCharacter, startSocialApp, type SocialTestApp } from "./social-app.ts";

// Guild fees through the economy's mutation service (what the server wires): one transaction
// takes the gold, books the ledger and writes the guild; refusals roll all of it back.
for (const target of DATABASE_TARGETS) {
  describe(`guild fee through the economy on ${target.name}`, function () {
    let t: SocialTestApp;
    const { create, goldOf } = guildKit(() => t);

    before(async function () {
      await skipUnlessAvailable(this, target);
      t = await startSocialApp(target, { economy: true });
    });
    after(async () => t?.close());

    const ledgerOf = (characterId: string) =>
      t.db.prisma.ledgerEntry.findMany({
        where: { OR: [{ characterId }, { counterparty: characterId }] },
        select: { opId: true, kind: true, characterId: true, account: true, delta: true },
      });

    it("takes the fee and books it to the guild fee sink with the guild", async () => {
      const founder = await newCharacter(t, 300);
      const res = await create(founder).expect(201);
      assert.equal(res.body.leaderId, founder.id);
      assert.equal(await goldOf(founder), 300 - GUILD_CREATION_FEE_GOLD);
      const legs = await ledgerOf(founder.id);
      assert.equal(legs.length, 2);
      assert.ok(legs.every((l) => l.kind === "guild_fee" && l.opId === legs[0]!.opId));
      const byHolder = Object.fromEntries(
        legs.map((l) => [l.characterId ?? l.account, Number(l.delta)]),
      );
      assert.deepEqual(byHolder, {
        [founder.id]: -GUILD_CREATION_FEE_GOLD,
        "sink:guild_fee": GUILD_CREATION_FEE_GOLD,
      });
    });

    it("refuses NOT_ENOUGH_GOLD with no guild, no gold taken and no ledger rows", async () => {
      const poor = await newCharacter(t, GUILD_CREATION_FEE_GOLD - 1);
      const names = guildName();
      const res = await create(poor, names).expect(409);
      assert.equal(res.body.error.code, "NOT_ENOUGH_GOLD");
      assert.equal(await goldOf(poor), GUILD_CREATION_FEE_GOLD - 1);
      assert.deepEqual(await ledgerOf(poor.id), []);
      assert.equal(
        await t.db.prisma.guild.count({ where: { nameKey: names.name.toLowerCase() } }),
        0,
      );
    });

    it("rolls the fee back when the guild cannot be written (name taken, already in one)", async () => {
      const first = await newCharacter(t, 500);
      const second = await newCharacter(t, 500);
      const names = guildName();
      await create(first, names).expect(201);
      const taken = await create(second, { name: names.name.toLowerCase(), tag: "Q9" }).expect(409);
      assert.equal(taken.body.error.code, "GUILD_NAME_TAKEN");
      assert.equal(await goldOf(second), 500);
      assert.deepEqual(await ledgerOf(second.id), []);
      const again = await create(first).expect(409);
      assert.equal(again.body.error.code, "ALREADY_IN_GUILD");
      assert.equal(await goldOf(first), 500 - GUILD_CREATION_FEE_GOLD);
    });

    it("charges only the winner when two founders race for one name", async () => {
      const [a, b] = [await newCharacter(t, 500), await newCharacter(t, 500)];
      const names = guildName();
      const results = await Promise.all([
        create(a, names),
        create(b, { name: names.name.toUpperCase(), tag: `${names.tag}b` }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409]);
      const loser = results[0]!.status === 409 ? a : b;
      assert.equal(results.find((r) => r.status === 409)!.body.error.code, "GUILD_NAME_TAKEN");
      assert.equal(await goldOf(loser), 500);
      assert.deepEqual(await ledgerOf(loser.id), []);
      assert.equal(await goldOf(loser === a ? b : a), 500 - GUILD_CREATION_FEE_GOLD);
    });

    it("charges a founder once when it founds two guilds at the same time", async () => {
      const founder = await newCharacter(t, 500);
      const results = await Promise.all([create(founder), create(founder)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409]);
      assert.equal(results.find((r) => r.status === 409)!.body.error.code, "ALREADY_IN_GUILD");
      assert.equal(await goldOf(founder), 500 - GUILD_CREATION_FEE_GOLD);
    });
  });
}

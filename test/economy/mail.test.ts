import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  nextMessage,
  sleep,
  startTestGame,
  type TestGame,
} from "../helpers/game-server.ts";

type Player = Awaited<ReturnType<typeof newPlayer>>;

for (const target of DATABASE_TARGETS) {
  describe(`mail on ${target.name}`, function () {
    let game: TestGame;
    const rooms: Room[] = [];

    before(async function () {
      await skipUnlessAvailable(this, target);
      game = await startTestGame(target);
    });
    after(async () => game?.stop());
    afterEach(async () => {
      await Promise.all(
        rooms.splice(0).map((r) => Promise.race([r.leave().catch(() => undefined), sleep(1000)])),
      );
    });

    const api = async (p: Player, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${game.url}/v1/characters/${p.characterId}${path}`, {
        method,
        headers: { authorization: `Bearer ${p.token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const grant = async (
      p: Player,
      gold: number,
      items: { itemId: string; qty: number }[] = [],
    ) => {
      const r = await game.server.economy.economy.grant({
        kind: "admin_grant",
        source: "test",
        characterId: p.characterId,
        gold,
        items,
      });
      assert.ok(r.ok, JSON.stringify(r));
    };
    const holdings = async (p: Player) => {
      const r = await api(p, "GET", "/inventory");
      assert.equal(r.status, 200);
      const view = r.body as {
        gold: number;
        items: { slot: number; itemId: string; quantity: number }[];
      };
      return {
        gold: view.gold,
        inventory: view.items.map((s) => ({ slot: s.slot, itemId: s.itemId, qty: s.quantity })),
      };
    };
    const count = (inv: { inventory: { itemId: string; qty: number }[] }, itemId: string) =>
      inv.inventory.filter((s) => s.itemId === itemId).reduce((n, s) => n + s.qty, 0);

    it("moves gold and items through a mail exactly once, offline", async () => {
      const [a, b] = [await newPlayer(game.url), await newPlayer(game.url)];
      await grant(a, 100, [{ itemId: "minor_healing_pill", qty: 5 }]);
      const before = await holdings(a);
      const slot = before.inventory.find((s) => s.itemId === "minor_healing_pill")!.slot;
      const sent = await api(a, "POST", "/mail", {
        to: b.character.name.toUpperCase(),
        subject: "Supplies",
        body: "For the road",
        gold: 40,
        items: [{ slot, qty: 3 }],
      });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.deepEqual(sent.body.items, [{ itemId: "minor_healing_pill", qty: 3 }]);
      const after = await holdings(a);
      assert.equal(after.gold, before.gold - 40);
      assert.equal(count(after, "minor_healing_pill"), count(before, "minor_healing_pill") - 3);

      const inbox = await api(b, "GET", "/mail");
      assert.equal(inbox.status, 200);
      assert.equal(inbox.body.mail.length, 1);
      assert.equal(inbox.body.mail[0].read, false);
      const mailId = inbox.body.mail[0].id as string;
      assert.equal((await api(b, "DELETE", `/mail/${mailId}`)).status, 409);
      const read = await api(b, "GET", `/mail/${mailId}`);
      assert.equal(read.body.body, "For the road");
      assert.equal(read.body.from, a.character.name);
      // Someone else's character: 404 everywhere.
      assert.equal((await api({ ...a, characterId: b.characterId }, "GET", "/mail")).status, 404);

      const bBefore = await holdings(b);
      const [one, two] = await Promise.all([
        api(b, "POST", `/mail/${mailId}/claim`),
        api(b, "POST", `/mail/${mailId}/claim`),
      ]);
      assert.deepEqual([one.status, two.status].sort(), [200, 409]);
      const bAfter = await holdings(b);
      assert.equal(bAfter.gold, bBefore.gold + 40);
      assert.equal(count(bAfter, "minor_healing_pill"), count(bBefore, "minor_healing_pill") + 3);
      assert.equal((await api(b, "DELETE", `/mail/${mailId}`)).status, 204);
      assert.equal((await api(b, "GET", "/mail")).body.mail.length, 0);
    });

    it("refuses bound items, quest items, missing gold and unknown recipients", async () => {
      const [a, b] = [await newPlayer(game.url), await newPlayer(game.url)];
      await grant(a, 10, [
        { itemId: "phoenix_pendant", qty: 1 },
        { itemId: "wolf_pelt", qty: 2 },
      ]);
      const inv = await holdings(a);
      const slotOf = (id: string) => inv.inventory.find((s) => s.itemId === id)!.slot;
      const send = (extra: object) =>
        api(a, "POST", "/mail", { to: b.character.name, subject: "x", ...extra });
      const bound = await send({ items: [{ slot: slotOf("phoenix_pendant"), qty: 1 }] });
      assert.equal(bound.status, 409);
      assert.equal(bound.body.error.code, "ITEM_BOUND");
      const quest = await send({ items: [{ slot: slotOf("wolf_pelt"), qty: 1 }] });
      assert.equal(quest.body.error.code, "QUEST_ITEM");
      const poor = await send({ gold: 11 });
      assert.equal(poor.body.error.code, "NOT_ENOUGH_GOLD");
      const empty = await send({ items: [{ slot: 29, qty: 1 }] });
      assert.equal(empty.body.error.code, "ITEM_NOT_FOUND");
      const nobody = await api(a, "POST", "/mail", { to: "Nobody_Here_x", subject: "x" });
      assert.equal(nobody.body.error.code, "RECIPIENT_NOT_FOUND");
      const bad = await send({ subject: "" });
      assert.equal(bad.status, 400);
      assert.deepEqual(await holdings(a), inv);
    });

    it("keeps the attachments when the recipient's inventory is full", async () => {
      const [a, b] = [await newPlayer(game.url), await newPlayer(game.url)];
      await grant(a, 0, [{ itemId: "rusty_sword", qty: 1 }]);
      await grant(b, 0, [{ itemId: "iron_helm", qty: 30 - (await holdings(b)).inventory.length }]);
      const slot = (await holdings(a)).inventory.find((s) => s.itemId === "rusty_sword")!.slot;
      await api(a, "POST", "/mail", {
        to: b.character.name,
        subject: "sword",
        items: [{ slot, qty: 1 }],
      });
      const mailId = (await api(b, "GET", "/mail")).body.mail[0].id as string;
      const full = await api(b, "POST", `/mail/${mailId}/claim`);
      assert.equal(full.status, 409);
      assert.equal(full.body.error.code, "INVENTORY_FULL");
      assert.deepEqual((await api(b, "GET", `/mail/${mailId}`)).body.items, [
        { itemId: "rusty_sword", qty: 1 },
      ]);
    });

    it("returns unclaimed attachments to the sender after the return time", async () => {
      const [a, b] = [await newPlayer(game.url), await newPlayer(game.url)];
      await grant(a, 25);
      await api(a, "POST", "/mail", { to: b.character.name, subject: "Unwanted", gold: 25 });
      const mail = game.server.economy.mail;
      assert.equal(await mail.returnDue(new Date()), 0);
      // Earlier tests' unclaimed mail goes back too.
      assert.ok((await mail.returnDue(new Date(Date.now() + 31 * 86_400_000))) >= 1);
      assert.equal(await mail.returnDue(new Date(Date.now() + 31 * 86_400_000)), 0);
      const original = (await api(b, "GET", "/mail")).body.mail[0];
      assert.equal(original.gold, 0);
      assert.ok(original.returnedAt);
      const back = (await api(a, "GET", "/mail")).body.mail[0];
      assert.equal(back.kind, "return");
      assert.equal(back.subject, "Returned: Unwanted");
      assert.equal(back.gold, 25);
      assert.equal((await api(a, "POST", `/mail/${back.id}/claim`)).status, 200);
      assert.equal((await holdings(a)).gold, 25);
    });

    it("claims into and sends from an online character's room, which keeps the result", async () => {
      const [a, b] = [await newPlayer(game.url), await newPlayer(game.url)];
      await grant(a, 60, [{ itemId: "minor_healing_pill", qty: 4 }]);
      const slot = (await holdings(a)).inventory.find(
        (s) => s.itemId === "minor_healing_pill",
      )!.slot;
      const inA = await enterWorld(game.url, a);
      const inB = await enterWorld(game.url, b);
      rooms.push(inA.room, inB.room);
      const notice = nextMessage<{ mailId: string; from: string; subject: string }>(
        inB.room,
        "mail",
      );
      const sent = await api(a, "POST", "/mail", {
        to: b.character.name,
        subject: "Online",
        gold: 50,
        items: [{ slot, qty: 4 }],
      });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      const heard = await notice;
      assert.equal(heard.mailId, sent.body.mailId);
      assert.equal(heard.from, a.character.name);
      const claimed = await api(b, "POST", `/mail/${sent.body.mailId}/claim`);
      assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
      assert.equal(claimed.body.characterGold, 50);
      // Give the write-behind time to flush what the rooms hold: it must not undo the mail.
      await sleep(1200);
      await Promise.all([inA.room.leave(), inB.room.leave()]);
      rooms.length = 0;
      await sleep(300);
      const aAfter = await holdings(a);
      const bAfter = await holdings(b);
      assert.equal(aAfter.gold, 10);
      assert.equal(count(aAfter, "minor_healing_pill"), 0);
      assert.equal(bAfter.gold, 50);
      assert.equal(count(bAfter, "minor_healing_pill"), 4);
    });
  });
}

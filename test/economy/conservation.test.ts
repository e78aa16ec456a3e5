import { createRng } from "../../src/game/rng.ts";
import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { GameError } from "../../src/errors.ts";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  sleep,
  startTestGame,
  type TestGame,
} from "../helpers/game-server.ts";
import { economyTotals, sortedEntries, unbalancedOps } from "./economy-totals.ts";

/**
 * Operations (sends and claims) on PostgreSQL; PGlite gets half. With the same 12 workers over
 * 20 characters, 600 still race sends against claims of one mail and double claims (~40 of them)
 * as 2000 did, at under a third of the time; ECONOMY_SOAK_OPS=2000 (or more) sets both for the
 * long soak.
 */
const OPS_POSTGRES = Number(process.env.ECONOMY_SOAK_OPS ?? 600);
const OPS_PGLITE = Number(process.env.ECONOMY_SOAK_OPS ?? 300);
const CHARACTERS = 20;
const ONLINE = 6;
const WORKERS = 12;
const ITEMS = [
  "minor_healing_pill",
  "qi_restoring_pill",
  "rusty_sword",
  "bone_dust",
  "spirit_stone",
];

for (const target of DATABASE_TARGETS) {
  describe(`economy conservation on ${target.name}`, function () {
    this.timeout(240_000);
    let game: TestGame;
    const rooms: Room[] = [];

    before(async function () {
      await skipUnlessAvailable(this, target);
      game = await startTestGame(target);
    });
    after(async () => {
      await Promise.all(
        rooms.map((r) => Promise.race([r.leave().catch(() => undefined), sleep(1000)])),
      );
      await game?.stop();
    });

    const OPS = target.name === "postgres" ? OPS_POSTGRES : OPS_PGLITE;

    it("keeps every item and all gold across random concurrent mails and claims", async () => {
      const seed = Number(process.env.ECONOMY_SOAK_SEED ?? Date.now() % 1_000_000);
      // Seeded, so a failing run can be replayed (the seed is printed on failure).
      const seeded = createRng(seed);
      const random = () => seeded.next();
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
      const { economy, mail } = game.server.economy;
      const prisma = game.server.db.prisma;
      const players: Awaited<ReturnType<typeof newPlayer>>[] = [];
      for (let i = 0; i < CHARACTERS; i++) players.push(await newPlayer(game.url));
      const baseline = await economyTotals(prisma);
      for (const p of players) {
        const r = await economy.grant({
          kind: "admin_grant",
          source: "test",
          characterId: p.characterId,
          gold: 1000,
          items: ITEMS.map((itemId) => ({ itemId, qty: itemId === "rusty_sword" ? 2 : 12 })),
        });
        assert.ok(r.ok);
      }
      assert.deepEqual(sortedEntries(await economyTotals(prisma)), sortedEntries(baseline));
      // Some characters are online: their operations go through their room.
      for (const p of players.slice(0, ONLINE)) rooms.push((await enterWorld(game.url, p)).room);

      const pending: { mailId: string; to: (typeof players)[number] }[] = [];
      const outcome = new Map<string, number>();
      const count = (what: string) => outcome.set(what, (outcome.get(what) ?? 0) + 1);
      const settle = async (op: Promise<unknown>, what: string) => {
        try {
          await op;
          count(`${what}:ok`);
        } catch (error) {
          if (!(error instanceof GameError) || error.status >= 500) throw error;
          count(`${what}:${error.code}`);
        }
      };
      let left = OPS;
      const worker = async () => {
        while (left-- > 0) {
          if (pending.length > 0 && random() < 0.45) {
            const { mailId, to } = pending.splice(Math.floor(random() * pending.length), 1)[0]!;
            const claim = () => mail.claim(to.accountId, to.characterId, mailId);
            if (random() < 0.15) {
              // A claim sent twice at once: exactly one succeeds.
              const both = await Promise.allSettled([claim(), claim()]);
              const ok = both.filter((b) => b.status === "fulfilled").length;
              const refused = both.filter(
                (b) =>
                  b.status === "rejected" &&
                  (b.reason as GameError).code === "MAIL_ALREADY_CLAIMED",
              ).length;
              assert.ok(
                ok <= 1 && ok + refused === 2,
                `double claim: ${ok} ok, ${refused} refused`,
              );
              count(ok === 1 ? "double-claim:one" : "double-claim:none");
            } else await settle(claim(), "claim");
            continue;
          }
          const from = pick(players);
          let to = pick(players);
          while (to === from) to = pick(players);
          const items =
            random() < 0.7
              ? [{ slot: Math.floor(random() * 6), qty: 1 + Math.floor(random() * 3) }]
              : [];
          const gold = random() < 0.6 ? Math.floor(random() * 80) : 0;
          await settle(
            mail
              .send(from.accountId, from.characterId, {
                to: to.character.name,
                subject: "soak",
                body: "",
                gold,
                items,
              })
              .then((sent) => {
                if (sent.gold > 0 || sent.items.length > 0)
                  pending.push({ mailId: sent.mailId, to });
              }),
            "send",
          );
        }
      };
      const started = Date.now();
      await Promise.all(Array.from({ length: WORKERS }, worker));
      // Some unclaimed mail goes back to its sender.
      await mail.returnDue(new Date(Date.now() + 400 * 86_400_000));
      const seconds = (Date.now() - started) / 1000;
      // Online characters leave: their rooms save what they hold.
      await Promise.all(rooms.splice(0).map((r) => Promise.race([r.leave(), sleep(3000)])));
      await sleep(500);

      const after = await economyTotals(prisma);
      const summary = `seed ${seed}, ${OPS} ops in ${seconds.toFixed(1)} s: ${JSON.stringify(Object.fromEntries(outcome))}`;
      process.stdout.write(`      ${target.name}: ${summary}\n`);
      assert.deepEqual(sortedEntries(after), sortedEntries(baseline), summary);
      assert.deepEqual(await unbalancedOps(prisma), []);
      assert.ok((outcome.get("claim:ok") ?? 0) > OPS / 10, summary);
      assert.ok((outcome.get("send:ok") ?? 0) > OPS / 5, summary);
    });
  });
}

import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { DATABASE_TARGETS, skipUnlessAvailable } from "../helpers/databases.ts";
import { enterWorld, newPlayer, sleep } from "../helpers/game-server.ts";
import { startServerProcess, type ServerProcess } from "../helpers/server-process.ts";
import { economyTotals, sortedEntries, unbalancedOps } from "./economy-totals.ts";

/**
 * A real server process is killed with SIGKILL while mails and claims commit in a loop (some
 * characters online, so some commits run in their rooms). After a restart on the same database
 * (PGlite files on disk, or PostgreSQL), every item and all gold are where the ledger says, and
 * each operation happened entirely or not at all: every mail's remaining attachments equal its
 * escrow in the ledger, a mail is claimed exactly when a claim was booked, no op is unbalanced.
 */

const JWT_SECRET = "economy-crash-secret-economy-crash-secret";
const CHARACTERS = 8;
const ONLINE = 2;
const WORKERS = 6;
const LOOP_MS = 5000;
const ITEMS = ["minor_healing_pill", "bone_dust", "spirit_stone", "rusty_sword"];

type Player = Awaited<ReturnType<typeof newPlayer>>;

async function stopGracefully(server: ServerProcess): Promise<void> {
  server.child.kill("SIGTERM");
  await server.exited;
}

/** Per mail: remaining gold/items in the row vs the ledger's escrow account of it. */
async function escrowMismatches(db: Database): Promise<unknown[]> {
  return db.prisma.$queryRaw`
    WITH rows AS (
      SELECT 'mail:' || id AS account, NULL AS item, gold AS n FROM mail
      UNION ALL
      SELECT 'mail:' || m.id, s."itemId", s.qty FROM mail m,
        jsonb_to_recordset(m.items) AS s("itemId" text, qty int)
    ), held AS (
      SELECT account, item, SUM(n)::bigint AS n FROM rows GROUP BY 1, 2
    ), booked AS (
      SELECT account, item_id AS item, SUM(delta)::bigint AS n FROM ledger_entries
      WHERE account LIKE 'mail:%' GROUP BY 1, 2
    )
    SELECT COALESCE(h.account, b.account) AS account, COALESCE(h.item, b.item) AS item,
      COALESCE(h.n, 0) AS held, COALESCE(b.n, 0) AS booked
    FROM held h FULL JOIN booked b ON h.account = b.account AND h.item IS NOT DISTINCT FROM b.item
    WHERE COALESCE(h.n, 0) <> COALESCE(b.n, 0)`;
}

/** Mails whose claimed state disagrees with the ledger (a claim booked, or not, once). */
async function claimMismatches(db: Database): Promise<unknown[]> {
  return db.prisma.$queryRaw`
    SELECT m.id, m.claimed_at, COUNT(DISTINCT l.op_id) AS claims FROM mail m
    LEFT JOIN ledger_entries l ON l.kind = 'mail_claim' AND l.account = 'mail:' || m.id
    GROUP BY m.id, m.claimed_at
    HAVING (m.claimed_at IS NULL) <> (COUNT(DISTINCT l.op_id) = 0) OR COUNT(DISTINCT l.op_id) > 1`;
}

for (const target of DATABASE_TARGETS) {
  describe(`economy crash safety on ${target.name}`, function () {
    this.timeout(180_000);
    let env: Record<string, string>;
    let drop: () => Promise<void>;
    let server: ServerProcess | undefined;
    const rooms: Room[] = [];

    before(async function () {
      await skipUnlessAvailable(this, target);
      // On PGlite a data directory of its own (files the restart recovers from), on PostgreSQL a
      // schema of its own.
      const fresh = await target.create();
      drop = fresh.drop;
      env = {
        JWT_SECRET,
        DATA_DIR: fresh.dataDir,
        LOG_LEVEL: "warn",
        ...(fresh.url ? { DATABASE_URL: fresh.url } : {}),
      };
    });
    after(async () => {
      rooms.length = 0;
      if (server) {
        server.child.kill("SIGKILL");
        await server.exited;
      }
      await drop?.();
    });

    const open = () => openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR!, poolSize: 2 });

    it("keeps every operation whole across a SIGKILL mid-commit", async () => {
      server = await startServerProcess(env);
      const players: Player[] = [];
      for (let i = 0; i < CHARACTERS; i++) players.push(await newPlayer(server.url));
      await stopGracefully(server);

      // Seed holdings while no server runs (PGlite files have one user at a time).
      let db = await open();
      for (const p of players) {
        await db.prisma.character.update({ where: { id: p.characterId }, data: { gold: 1000 } });
        await db.prisma.inventoryItem.createMany({
          data: ITEMS.map((itemId, slot) => ({
            characterId: p.characterId,
            slot,
            itemId,
            quantity: itemId === "rusty_sword" ? 1 : 20,
          })),
        });
      }
      const baseline = await economyTotals(db.prisma);
      await db.close();

      server = await startServerProcess(env);
      const url = server.url;
      for (const p of players.slice(0, ONLINE)) rooms.push((await enterWorld(url, p)).room);
      const call = (p: Player, method: string, route: string, body?: unknown) =>
        fetch(`${url}/v1/characters/${p.characterId}${route}`, {
          method,
          headers: { authorization: `Bearer ${p.token}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }).then(
          async (r) => ({ status: r.status, body: (await r.json().catch(() => null)) as never }),
          () => ({ status: 0, body: null as never }),
        );
      const counts = { sent: 0, claimed: 0, refused: 0, failed: 0 };
      let killed = false;
      const worker = async (w: number) => {
        for (let i = 0; !killed; i++) {
          const from = players[(w + i) % CHARACTERS]!;
          const to = players[(w + i * 3 + 1) % CHARACTERS]!;
          if (from === to) continue;
          const sent = await call(from, "POST", "/mail", {
            to: to.character.name,
            subject: "crash",
            gold: 1 + (i % 7),
            items: [{ slot: i % ITEMS.length, qty: 1 }],
          });
          if (sent.status === 201) counts.sent++;
          else if (sent.status === 0 || sent.status >= 500) counts.failed++;
          else counts.refused++;
          if (sent.status !== 201) continue;
          const mailId = (sent.body as { mailId: string }).mailId;
          const claimed = await call(to, "POST", `/mail/${mailId}/claim`);
          if (claimed.status === 200) counts.claimed++;
        }
      };
      const running = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      await sleep(LOOP_MS);
      server.child.kill("SIGKILL");
      killed = true;
      await server.exited;
      await running;
      rooms.length = 0;

      // Restart (recovery), then stop cleanly and read the database.
      server = await startServerProcess(env);
      await stopGracefully(server);
      server = undefined;
      db = await open();
      try {
        const after = await economyTotals(db.prisma);
        const summary = `${target.name}: ${JSON.stringify(counts)} before the kill`;
        process.stdout.write(`      crash ${summary}\n`);
        assert.ok(counts.sent > 5 && counts.claimed > 2, summary);
        assert.deepEqual(sortedEntries(after), sortedEntries(baseline), summary);
        assert.deepEqual(await unbalancedOps(db.prisma), []);
        assert.deepEqual(await escrowMismatches(db), []);
        assert.deepEqual(await claimMismatches(db), []);
      } finally {
        await db.close();
      }
    });
  });
}

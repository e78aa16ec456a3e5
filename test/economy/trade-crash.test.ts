import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { freshPgliteDir } from "../helpers/databases.ts";
import { newPlayer, sleep } from "../helpers/game-server.ts";
import { freePort, startServerProcess, type ServerProcess } from "../helpers/server-process.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";
import { economyTotals, sortedEntries, unbalancedOps } from "./economy-totals.ts";
import {
  enterAsTrader,
  openTradeBetween,
  showsOffer,
  seedCharacter,
  type Seed,
  type TradeCompletedMsg,
  type Trader,
} from "./trade-clients.ts";

/**
 * Crash safety of trades against a real server process: pairs of players trade in a loop while
 * the process is SIGKILLed. After a restart on the same database, every trade happened entirely
 * or not at all: its ledger rows are exactly the legs of its offers or absent, every trade a
 * client was told had completed is there, and each character holds its start plus its legs.
 */

const JWT_SECRET = "trade-crash-secret-trade-crash-secret-01";
const PAIRS = 3;
/** Trading time before the kill. */
const TRADE_MS = 2500;
const START: Seed = {
  gold: 1000,
  items: [
    ["spirit_stone", 200],
    ["bone_dust", 40],
    ["wolf_fang", 20],
  ],
};

type Offer = { items: { slot: number; qty: number }[]; gold: number };
type Slots = ({ itemId: string; qty: number } | null)[];
type Known = { gold: number; slots: Slots };
/** Legs a trade must have written: per character, per item (gold under "gold"). */
type Legs = Map<string, Map<string, number>>;

type Target = {
  name: "pglite" | "postgres";
  available(): Promise<boolean>;
  /** Server env for the database, and a way to open it from here while no server runs. */
  create(): Promise<{
    env: Record<string, string>;
    open(): Promise<Database>;
    drop(): Promise<void>;
  }>;
};

const targets: Target[] = [
  {
    name: "pglite",
    available: async () => true,
    async create() {
      const dir = await freshPgliteDir();
      return {
        env: { DATA_DIR: dir },
        open: () => openDatabase({ dataDir: dir }),
        drop: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "postgres",
    available: () => serviceAvailable("postgres"),
    async create() {
      const schema = `trade_crash_${randomBytes(5).toString("hex")}`;
      const url = `${SERVICE_URLS.postgres}?schema=${schema}`;
      return {
        env: { DATA_DIR: ":memory:", DATABASE_URL: url },
        open: () => openDatabase({ url, dataDir: ":memory:" }),
        async drop() {
          const db = new pg.Client({ connectionString: SERVICE_URLS.postgres });
          await db.connect();
          await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await db.end();
        },
      };
    },
  },
];

function knownOf(slots: { slot: number; itemId: string; qty: number }[], gold: number): Known {
  const out: Slots = Array.from({ length: 30 }, () => null);
  for (const s of slots) out[s.slot] = { itemId: s.itemId, qty: s.qty };
  return { gold, slots: out };
}

/** A small random offer from what the player holds. */
function offerFrom(k: Known): Offer {
  const filled = k.slots.flatMap((s, slot) => (s ? [{ slot, qty: s.qty }] : []));
  const pick = filled[Math.floor(Math.random() * filled.length)];
  const items = pick ? [{ slot: pick.slot, qty: 1 + Math.floor(Math.random() * pick.qty) }] : [];
  return { items, gold: Math.floor(Math.random() * Math.min(k.gold, 100)) };
}

/** The legs a swap of `oa` (by a) and `ob` (by b) writes, zeros left out. */
function legsOf(a: string, ka: Known, oa: Offer, b: string, kb: Known, ob: Offer): Legs {
  const net = new Map<string, number>([["gold", ob.gold - oa.gold]]);
  for (const [k, o, sign] of [
    [ka, oa, -1],
    [kb, ob, 1],
  ] as const) {
    for (const { slot, qty } of o.items) {
      const itemId = k.slots[slot]!.itemId;
      net.set(itemId, (net.get(itemId) ?? 0) + sign * qty);
    }
  }
  const mine = new Map([...net].filter(([, n]) => n !== 0));
  const theirs = new Map([...mine].map(([id, n]) => [id, -n]));
  return mine.size === 0
    ? new Map()
    : new Map([
        [a, mine],
        [b, theirs],
      ]);
}

for (const target of targets) {
  describe(`trade crash safety on ${target.name}`, function () {
    this.timeout(180_000);
    let db: Awaited<ReturnType<Target["create"]>> | undefined;
    const servers: ServerProcess[] = [];
    const traders: Trader[] = [];

    before(async function () {
      if (!(await target.available())) this.skip();
      db = await target.create();
    });
    after(async () => {
      await Promise.all(
        traders.map((t) => Promise.race([t.room.leave(false).catch(() => undefined), sleep(300)])),
      );
      for (const s of servers) {
        if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
        s.child.kill("SIGKILL");
        await Promise.race([s.exited, sleep(5000)]);
      }
      await db?.drop().catch(() => undefined);
    });

    async function start(): Promise<ServerProcess> {
      const server = await startServerProcess({
        PORT: String(await freePort()),
        ...db!.env,
        JWT_SECRET,
        CHARACTER_LOCK_TTL_SEC: "3",
        LOG_LEVEL: "warn",
      });
      servers.push(server);
      return server;
    }
    async function stop(server: ServerProcess, signal: NodeJS.Signals): Promise<void> {
      server.child.kill(signal);
      await Promise.race([server.exited, sleep(15_000)]);
    }
    /** Runs `read` on the database while no server holds it (PGlite has one owner). */
    async function withDatabase<T>(read: (d: Database) => Promise<T>): Promise<T> {
      const d = await db!.open();
      try {
        return await read(d);
      } finally {
        await d.close();
      }
    }

    it("commits each trade entirely or not at all when the server is killed mid-trade", async () => {
      // Players are made on a first server, seeded while it is down, and trade on a second.
      let server = await start();
      const players: Awaited<ReturnType<typeof newPlayer>>[] = [];
      for (let i = 0; i < PAIRS * 2; i++) players.push(await newPlayer(server.url));
      await stop(server, "SIGTERM");
      const before = await withDatabase(async (d) => {
        for (const p of players) await seedCharacter(d.prisma, p.characterId, START);
        return {
          totals: await economyTotals(d.prisma),
          holdings: await holdingsOf(d),
        };
      });

      server = await start();
      for (const p of players) traders.push(await enterAsTrader(server.url, p));
      const expected = new Map<string, Legs>();
      const told = new Set<string>();
      const known = new Map(traders.map((t) => [t.characterId, knownOf(startSlots(), START.gold)]));
      let trading = true;
      const confirmed = new Set<string>();
      /** Set once the trading time is up: the next pair to confirm triggers the kill. */
      let killAfterConfirm: (() => void) | undefined;
      async function pairLoop(a: Trader, b: Trader): Promise<void> {
        while (trading) {
          a.inbox.clear();
          b.inbox.clear();
          const id = await openTradeBetween(a, b);
          const ka = known.get(a.characterId)!;
          const kb = known.get(b.characterId)!;
          const oa = offerFrom(ka);
          const ob = offerFrom(kb);
          await a.send("tradeOffer", oa);
          await b.send("tradeOffer", ob);
          await a.inbox.nextTrade((t) => showsOffer(t.you, oa) && showsOffer(t.them, ob));
          await b.inbox.nextTrade((t) => showsOffer(t.you, ob) && showsOffer(t.them, oa));
          await a.send("tradeLock", {});
          await b.send("tradeLock", {});
          await a.inbox.nextTrade((t) => t.state === "locked");
          await b.inbox.nextTrade((t) => t.state === "locked");
          expected.set(id, legsOf(a.characterId, ka, oa, b.characterId, kb, ob));
          await a.send("tradeConfirm", {});
          await b.send("tradeConfirm", {});
          confirmed.add(id);
          if (killAfterConfirm) killAfterConfirm();
          const done = await a.inbox.next<TradeCompletedMsg>("tradeCompleted", 10_000);
          told.add(done.opId);
          known.set(a.characterId, knownOf(done.inventory, done.gold));
          const other = await b.inbox.next<TradeCompletedMsg>("tradeCompleted", 10_000);
          known.set(b.characterId, knownOf(other.inventory, other.gold));
        }
      }
      const loops = [];
      for (let i = 0; i < PAIRS; i++) {
        // Once the server is gone the loops fail waiting: expected, they are not awaited for that.
        loops.push(pairLoop(traders[2 * i]!, traders[2 * i + 1]!).catch(() => undefined));
      }
      await sleep(TRADE_MS);
      // Killed a few ms after both confirms of a trade went out: its commit is under way.
      await new Promise<void>((resolve) => {
        killAfterConfirm = () => {
          killAfterConfirm = undefined;
          setTimeout(resolve, Math.floor(Math.random() * 6));
        };
      });
      assert.ok(told.size >= PAIRS, `only ${told.size} trades before the kill`);
      await stop(server, "SIGKILL");
      trading = false;
      const toldBeforeKill = new Set(told);
      await Promise.all(loops);

      // A restart recovers the database (PGlite replays its log) and runs start-up as usual.
      server = await start();
      await stop(server, "SIGTERM");
      await withDatabase(async (d) => {
        assert.deepEqual(await unbalancedOps(d.prisma), []);
        assert.deepEqual(
          sortedEntries(await economyTotals(d.prisma)),
          sortedEntries(before.totals),
        );
        const rows = await d.prisma.ledgerEntry.findMany({
          where: { kind: "trade" },
          select: { opId: true, characterId: true, itemId: true, delta: true },
        });
        const byOp = new Map<string, Legs>();
        for (const r of rows) {
          const legs = byOp.get(r.opId) ?? new Map<string, Map<string, number>>();
          const mine = legs.get(r.characterId!) ?? new Map<string, number>();
          mine.set(r.itemId ?? "gold", (mine.get(r.itemId ?? "gold") ?? 0) + Number(r.delta));
          legs.set(r.characterId!, mine);
          byOp.set(r.opId, legs);
        }
        const inFlight = [...confirmed].filter((id) => !toldBeforeKill.has(id));
        const context = `${byOp.size} trades committed, ${toldBeforeKill.size} told, ${inFlight.length} confirmed but untold at the kill (${inFlight.filter((id) => byOp.has(id)).length} of them committed)`;
        if (process.env.TRADE_CRASH_VERBOSE) process.stdout.write(`      ${context}\n`);
        // Each committed trade wrote exactly its offers' legs; none is partial.
        for (const [opId, legs] of byOp) {
          assert.ok(expected.has(opId), `ledger op ${opId} is no trade the players made`);
          assert.deepEqual(legs, expected.get(opId), `trade ${opId}; ${context}`);
        }
        // Every trade a client was told of was committed before it was told.
        for (const opId of toldBeforeKill) {
          if (expected.get(opId)!.size > 0) assert.ok(byOp.has(opId), `told trade ${opId} missing`);
        }
        // Each character holds its start plus its legs, nothing more or less.
        const after = await holdingsOf(d);
        for (const t of traders) {
          const want = new Map(before.holdings.get(t.characterId));
          for (const legs of byOp.values()) {
            for (const [item, n] of legs.get(t.characterId) ?? []) {
              want.set(item, (want.get(item) ?? 0) + n);
            }
          }
          const got = after.get(t.characterId)!;
          const clean = (m: Map<string, number>) =>
            [...m].filter(([, n]) => n !== 0).sort(([x], [y]) => x.localeCompare(y));
          assert.deepEqual(clean(got), clean(want), `holdings of ${t.characterId}`);
        }
      });
    });

    function startSlots() {
      return START.items!.flatMap((s, slot) => (s ? [{ slot, itemId: s[0], qty: s[1] }] : []));
    }
  });
}

/** Per character: gold and items (bags only; these players wear nothing). */
async function holdingsOf(d: Database): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (const c of await d.prisma.character.findMany({ select: { id: true, gold: true } })) {
    out.set(c.id, new Map([["gold", Number(c.gold)]]));
  }
  for (const i of await d.prisma.inventoryItem.findMany()) {
    const m = out.get(i.characterId)!;
    m.set(i.itemId, (m.get(i.itemId) ?? 0) + i.quantity);
  }
  return out;
}

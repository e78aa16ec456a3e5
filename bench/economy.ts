/**
 * Economy throughput on PostgreSQL (PGlite with --db pglite): committed mail claims per second
 * and their latency, with `--concurrency` claims in flight, each on its own character (a claim
 * of an offline character: economy lock, FOR NO KEY UPDATE, full save, mail row, ledger, one
 * transaction), plus sends for the record. Prints one JSON.
 *   npm run bench:economy [-- --claims 2000 --concurrency 16 --db postgres]
 * Trades (`trades` key): committed trades per second through the room commit; see benchTrades.
 *   npm run bench:economy -- --trades 2000 (default: as many as --claims)
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { roomServices } from "../rooms/room-services.ts";
import { LedgerKind } from "../src/economy/ledger.service.ts";
import type { Holdings } from "../src/game/economy/character-change.ts";
import {
  checkTrade,
  confirmTrade,
  lockTrade,
  offerTrade,
  openTrade,
  tradeChanges,
} from "../src/game/economy/trade.ts";
import { ZoneSimulation } from "../src/zone/zone-simulation.ts";
import { DATABASE_TARGETS } from "../test/helpers/databases.ts";
import { newPlayer, startTestGame, type TestGame } from "../test/helpers/game-server.ts";

const { values } = parseArgs({
  options: {
    claims: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    db: { type: "string", default: "postgres" },
    trades: { type: "string" },
  },
});
const claims = Number(values.claims);
const concurrency = Number(values.concurrency);
const target = DATABASE_TARGETS.find((t) => t.name === values.db);
if (!target) throw new Error(`--db must be pglite or postgres`);

type Player = Awaited<ReturnType<typeof newPlayer>>;
type Phase = {
  ops: number;
  seconds: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
};

function summarize(samples: number[], seconds: number): Phase {
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! * 10) / 10;
  return {
    ops: samples.length,
    seconds: Math.round(seconds * 100) / 100,
    perSec: Math.round(samples.length / seconds),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
  };
}

/** Runs `total` operations in `concurrency` lanes of equal length, each on its own characters. */
async function timed(total: number, run: (lane: number) => Promise<void>) {
  const samples: number[] = [];
  const perLane = Math.ceil(total / concurrency);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      for (let i = 0; i < perLane; i++) {
        const s = performance.now();
        await run(lane);
        samples.push(performance.now() - s);
      }
    }),
  );
  return summarize(samples, (performance.now() - t0) / 1000);
}

async function benchMail(game: TestGame) {
  const { economy, mail } = game.server.economy;
  const senders: Player[] = [];
  const recipients: Player[] = [];
  for (let i = 0; i < concurrency; i++) {
    senders.push(await newPlayer(game.url));
    recipients.push(await newPlayer(game.url));
  }
  for (const s of senders) {
    const r = await economy.grant({
      kind: "admin_grant",
      source: "bench",
      characterId: s.characterId,
      gold: 10 * claims,
    });
    if (!r.ok) throw new Error(r.code);
  }
  const mailIds: string[][] = senders.map(() => []);
  const sends = await timed(claims, async (lane) => {
    const from = senders[lane]!;
    const to = recipients[lane]!;
    const sent = await mail.send(from.accountId, from.characterId, {
      to: to.character.name,
      subject: "bench",
      body: "",
      gold: 1,
      items: [],
    });
    mailIds[lane]!.push(sent.mailId);
  });
  const claimed = await timed(claims, async (lane) => {
    const to = recipients[lane]!;
    await mail.claim(to.accountId, to.characterId, mailIds[lane]!.pop()!);
  });
  return { sends, claims: claimed };
}

/**
 * Committed trades per second and their latency, at the service level: `concurrency` pairs of
 * characters held in memory by a real zone simulation (loaded through the server's progress
 * store, stepped every 50 ms like a room), each pair trading in a loop through the pure trade
 * rules (offer, lock, confirm, check) and the economy's room commit (freeze both, one
 * transaction writing both characters in full and the ledger rows, apply to memory, thaw). A
 * sample runs from the second confirm to the result applied in memory. `--trades` sets the
 * count (default: `--claims`).
 */
async function benchTrades(game: TestGame): Promise<(Phase & { cpuMsPerTrade: number }) | null> {
  const { economy } = game.server.economy;
  const zone = game.data.zones.get("town")!;
  const sim = new ZoneSimulation(zone, game.data, 1);
  const stepper = setInterval(() => sim.step(50), 50);
  try {
    const pairs: [string, string][] = [];
    for (let i = 0; i < concurrency; i++) {
      const [a, b] = [await newPlayer(game.url), await newPlayer(game.url)];
      for (const p of [a, b]) {
        const granted = await economy.grant({
          kind: "admin_grant",
          source: "bench",
          characterId: p.characterId,
          gold: 1_000,
          items: [{ itemId: "spirit_stone", qty: 900 }],
        });
        if (!granted.ok) throw new Error(granted.code);
        const record = await roomServices().progress.load(p.characterId);
        if (!record || !sim.join(record).ok) throw new Error("could not join the bench zone");
      }
      pairs.push([a.characterId, b.characterId]);
    }
    const holdingsOf = (id: string): Holdings | undefined => {
      const r = sim.recordOf(id);
      return r && { gold: r.character.gold, inventory: r.inventory };
    };
    const stoneSlot = (id: string) =>
      holdingsOf(id)!.inventory.slots.findIndex((s) => s?.itemId === "spirit_stone");
    const ok = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
      if (!r.ok) throw new Error(`trade refused: ${JSON.stringify(r)}`);
      return r as Extract<T, { ok: true }>;
    };
    let n = 0;
    const trades = Number(values.trades ?? claims);
    const cpu = process.cpuUsage();
    const phase = await timed(trades, async (lane) => {
      // Stones go one way and gold the other, switching sides every trade.
      const [a, b] = n++ % 2 === 0 ? pairs[lane]! : [pairs[lane]![1], pairs[lane]![0]];
      let t = openTrade(randomUUID(), a, b);
      const give = { items: [{ slot: stoneSlot(a), qty: 1 }], gold: 0 };
      t = ok(offerTrade(t, a, give, holdingsOf(a)!, economy.rules)).trade;
      t = ok(offerTrade(t, b, { items: [], gold: 1 }, holdingsOf(b)!, economy.rules)).trade;
      t = ok(lockTrade(ok(lockTrade(t, a)).trade, b)).trade;
      t = ok(confirmTrade(ok(confirmTrade(t, a)).trade, b)).trade;
      const problem = checkTrade(t, holdingsOf, economy.rules);
      if (problem) throw new Error(`trade refused: ${problem.code}`);
      const changes = tradeChanges(t);
      ok(await economy.commitInRoom(sim, { opId: t.id, kind: LedgerKind.TRADE, changes }));
    });
    const used = process.cpuUsage(cpu);
    // This process's CPU per trade (rules, Prisma, driver): shows whether Node or the database binds.
    const cpuMsPerTrade = Math.round(((used.user + used.system) / 1000 / phase.ops) * 100) / 100;
    return { ...phase, cpuMsPerTrade };
  } finally {
    clearInterval(stepper);
  }
}

const game = await startTestGame(target);
try {
  const mail = await benchMail(game);
  const trades = await benchTrades(game);
  console.log(
    JSON.stringify({
      bench: "economy",
      database: target.name,
      concurrency,
      mailSends: mail.sends,
      mailClaims: mail.claims,
      trades,
      node: process.version,
    }),
  );
} finally {
  await game.stop();
}

/**
 * Economy throughput on PostgreSQL (PGlite with --db pglite): committed mail claims per second
 * and their latency, with `--concurrency` claims in flight, each on its own character (a claim
 * of an offline character: economy lock, FOR NO KEY UPDATE, full save, mail row, ledger, one
 * transaction), plus sends for the record. Prints one JSON.
 *   npm run bench:economy [-- --claims 2000 --concurrency 16 --db postgres]
 * Trades: the trade helper adds its part in `benchTrades` below (same JSON, `trades` key).
 */
import { parseArgs } from "node:util";
import { DATABASE_TARGETS } from "../test/helpers/databases.ts";
import { newPlayer, startTestGame, type TestGame } from "../test/helpers/game-server.ts";

const { values } = parseArgs({
  options: {
    claims: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    db: { type: "string", default: "postgres" },
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

/** The trade helper's part: committed trades per second (leave `null` until then). */
async function benchTrades(_game: TestGame): Promise<Phase | null> {
  return null;
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

/**
 * How long progress saves block the event loop. N characters with realistic progression
 * (inventory, gear, quests, timers) change like fighting players (xp, gold, hp/mp, position and a
 * cooldown every 250 ms; loot and quest progress now and then) and are queued every 250 ms into
 * the real write-behind, which saves them through the progress store and the progression service
 * at its real cadence. Measured over the window: event-loop delay (monitorEventLoopDelay, 1 ms
 * resolution), the share of the window this thread's event loop was busy (eventLoopUtilization:
 * the rooms' queueing, plus the saves when PGlite runs on this thread), the interval between
 * firings of a 50 ms timer (a room's patch clock), each flush's duration (all its slices) and
 * each save's (one transaction), and SQL statements per flush. Every figure is the median over
 * the runs; each run uses a fresh database and checks that the last queued state of every
 * character was saved (`lost` counts those that were not).
 *   npm run bench:save-stall [-- --characters 50,200 --seconds 20 --runs 3 --max-batch 50 --no-save]
 *   DATABASE_URL=postgresql://... npm run bench:save-stall   (PGlite, then PostgreSQL)
 * `--targets postgres` (or `pglite`) measures one database only.
 * `--pglite-thread main` runs PGlite on this thread (as PGLITE_THREAD=main does) instead of on its
 * worker thread (the default).
 * `--no-save` queues as usual but saves nothing: the floor the machine gives without saves.
 * `--max-batch` overrides the write-behind's records per save (its default otherwise).
 * `--walking`: the characters only walk (a new position every 250 ms, nothing else), and each size
 * is measured twice: queued position-only as the rooms do (one UPDATE of zone, x, y per save) and
 * queued whole (what saving positions through the full save would cost).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadGameData } from "../src/content/load-game-data.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { createRng, type Rng } from "../src/game/rng.ts";
import { createLogger } from "../src/logger.ts";
import { createProgressionService } from "../src/progression/progression.service.ts";
import type { PlayerRecord } from "../src/session/player-record.ts";
import { createProgressStore } from "../src/session/progress-store.ts";
import { WriteBehind } from "../src/session/write-behind.ts";

const { values } = parseArgs({
  options: {
    characters: { type: "string", default: "50,200" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "2" },
    runs: { type: "string", default: "3" },
    "no-save": { type: "boolean", default: false },
    "max-batch": { type: "string" },
    targets: { type: "string", default: "pglite,postgres" },
    walking: { type: "boolean", default: false },
    "pglite-thread": { type: "string", default: "worker" },
  },
});
const sizes = values.characters.split(",").map(Number);
const seconds = Number(values.seconds);
const warmupSec = Number(values.warmup);
const runs = Number(values.runs);
const saving = !values["no-save"];
const maxBatch = values["max-batch"] === undefined ? undefined : Number(values["max-batch"]);
/** How the characters change and how they are queued (see `--walking`). */
type Mode = "fighting" | "walking-position-only" | "walking-whole";
const pgliteThread = values["pglite-thread"] === "main" ? "main" : "worker";
if (values["pglite-thread"] !== pgliteThread) {
  throw new Error(`--pglite-thread ${values["pglite-thread"]}: worker or main`);
}
const modes: Mode[] = values.walking ? ["walking-position-only", "walking-whole"] : ["fighting"];
const QUEUE_INTERVAL_MS = 250; // rooms/save-schedule.ts progress queueing cadence
const PATCH_INTERVAL_MS = 50;
const logger = createLogger("silent");
const data = await loadGameData();

const STACKABLE = ["wolf_pelt", "wolf_fang", "slime_jelly", "spirit_herb", "bone_dust"];
const SKILLS = ["melee_strike", "heavy_slash", "whirlwind", "iron_body", "war_cry"];
const GEAR = {
  weapon: "rusty_sword",
  head: "iron_helm",
  chest: "iron_breastplate",
  legs: "cloth_trousers",
  feet: "leather_boots",
  hands: "leather_gloves",
};

type Target = {
  name: "pglite" | "postgres";
  create(): Promise<{ url?: string; drop(): Promise<void> }>;
};
const wanted = new Set(values.targets.split(","));
const targets: Target[] = [];
if (wanted.has("pglite")) {
  targets.push({ name: "pglite", create: async () => ({ drop: async () => undefined }) });
}
const postgresUrl = process.env.DATABASE_URL;
if (postgresUrl && wanted.has("postgres")) {
  targets.push({
    name: "postgres",
    async create() {
      const schema = `bench_${randomBytes(6).toString("hex")}`;
      return {
        url: `${postgresUrl}${postgresUrl.includes("?") ? "&" : "?"}schema=${schema}`,
        async drop() {
          const c = new pg.Client({ connectionString: postgresUrl });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await c.end();
        },
      };
    },
  });
}

/** N characters at level 20 with 20 of 30 inventory slots, six worn items, quests and timers. */
async function seed(db: Database, n: number): Promise<string[]> {
  const now = Date.now();
  const accounts = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    email: `bench${i}.${randomUUID()}@example.com`,
    passwordHash: "x",
  }));
  const characters = accounts.map((a, i) => ({
    id: randomUUID(),
    accountId: a.id,
    name: `Bench${i}`,
    nameKey: `bench${i}_${a.id.slice(0, 8)}`,
    race: "human",
    job: "warrior",
    level: 20,
    xp: BigInt(1000 + i),
    gold: BigInt(5000 + i),
    zone: "field",
    x: 100 + i,
    y: 200,
    hp: 900,
    mp: 300,
    timers: {
      skills: { heavy_slash: now + 60_000, whirlwind: now + 90_000 },
      items: { healing: now + 30_000 },
      effects: [{ id: "iron_body", sourceId: "self", expiresAt: now + 120_000 }],
    },
  }));
  const ids = characters.map((c) => c.id);
  await db.prisma.account.createMany({ data: accounts });
  await db.prisma.character.createMany({ data: characters });
  await db.prisma.inventoryItem.createMany({
    data: ids.flatMap((characterId) =>
      Array.from({ length: 20 }, (_, slot) => ({
        characterId,
        slot,
        itemId: slot < 5 ? "minor_healing_pill" : STACKABLE[slot % STACKABLE.length]!,
        quantity: 1 + slot,
      })),
    ),
  });
  await db.prisma.equippedItem.createMany({
    data: ids.flatMap((characterId) =>
      Object.entries(GEAR).map(([slot, itemId]) => ({ characterId, slot, itemId })),
    ),
  });
  await db.prisma.questProgress.createMany({
    data: ids.flatMap((characterId) => [
      {
        characterId,
        questId: "wolves_in_the_hills",
        status: "active",
        progress: [3, 0],
        position: 0,
      },
      { characterId, questId: "the_hermits_herbs", status: "active", progress: [1], position: 1 },
    ]),
  });
  await db.prisma.completedQuest.createMany({
    data: ids.flatMap((characterId) =>
      ["dew_on_the_meadow", "report_to_the_scout"].map((questId, position) => ({
        characterId,
        questId,
        position,
      })),
    ),
  });
  return ids;
}

/** One 250 ms slice of fighting: a new record with the changes a room would have queued. */
function fight(r: PlayerRecord, rng: Rng, now: number): PlayerRecord {
  const c = r.character;
  const skill = rng.pick(SKILLS);
  const character = {
    ...c,
    xp: c.xp + rng.int(5, 40),
    gold: c.gold + (rng.next() < 0.5 ? rng.int(1, 20) : 0),
    hp: rng.int(300, 900),
    mp: rng.int(50, 300),
    x: c.x + rng.int(-20, 20),
    y: c.y + rng.int(-20, 20),
    timers: { ...c.timers, skills: { ...c.timers.skills, [skill]: now + rng.int(2_000, 30_000) } },
  };
  let { inventory, quests } = r;
  if (rng.next() < 0.25) {
    const slots = inventory.slots.slice();
    const slot = rng.int(5, 29);
    const stack = slots[slot];
    slots[slot] =
      stack && stack.qty < 50
        ? { ...stack, qty: stack.qty + 1 }
        : { itemId: rng.pick(STACKABLE), qty: 1 };
    inventory = { slots };
  }
  if (rng.next() < 0.15 && quests.active.length > 0) {
    const [first, ...rest] = quests.active;
    const progress = [(first!.progress[0] ?? 0) + 1, ...first!.progress.slice(1)];
    quests = { ...quests, active: [{ ...first!, progress }, ...rest] };
  }
  return { ...r, character, inventory, quests };
}

/** One 250 ms slice of walking: a new position, nothing else (a player covers ~40 units). */
function walk(r: PlayerRecord, rng: Rng): PlayerRecord {
  const c = r.character;
  return { ...r, character: { ...c, x: c.x + rng.int(-40, 40), y: c.y + rng.int(-40, 40) } };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const median = (xs: readonly number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
const round = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Spread = { p50: number; p99: number; max: number };
type RunResult = {
  eventLoopDelayMs: Spread;
  eventLoopBusy: number;
  patchIntervalMs: Spread;
  flushMs: Spread;
  batchMs: Spread;
  flushes: number;
  recordsPerFlush: number;
  batchesPerFlush: number;
  statementsPerFlush: number;
  failedFlushes: number;
  lost: number;
};

async function runOnce(
  target: Target,
  n: number,
  seedValue: number,
  mode: Mode,
): Promise<RunResult> {
  const fresh = await target.create();
  let measuring = false;
  let statements = 0;
  const db = await openDatabase({
    url: fresh.url,
    dataDir: ":memory:",
    pgliteThread,
    onQuery: () => void (measuring && statements++),
  });
  try {
    await db.migrate();
    const ids = await seed(db, n);
    const service = createProgressionService({
      prisma: db.prisma,
      gameData: data,
      isOnline: async () => true,
    });
    const store = createProgressStore(service, logger);
    const records = new Map<string, PlayerRecord>();
    for (const id of ids) records.set(id, (await store.load(id))!);

    // A flush is every batch from the first one to the queue being empty (slices included).
    const flushMs: number[] = [];
    const batchMs: number[] = [];
    let flushStart: number | undefined;
    let flushedRecords = 0;
    let failedFlushes = 0;
    const writer: WriteBehind<PlayerRecord> = new WriteBehind<PlayerRecord>({
      save: async (batch, positionOnly) => {
        flushStart ??= performance.now();
        if (saving) await store.saveMany(batch, positionOnly);
        if (writer.depth > 0) return;
        if (measuring) flushMs.push(performance.now() - flushStart);
        flushStart = undefined;
      },
      keyOf: (r) => r.character.id,
      logger,
      ...(maxBatch === undefined ? {} : { maxBatch }),
      onFlush: ({ seconds: s, size, ok }) => {
        if (!ok) failedFlushes += 1;
        if (!measuring) return;
        batchMs.push(s * 1000);
        flushedRecords += size;
      },
    });
    const rng = createRng(seedValue);
    const rooms = setInterval(() => {
      const now = Date.now();
      for (const [id, r] of records) {
        const next = mode === "fighting" ? fight(r, rng, now) : walk(r, rng);
        records.set(id, next);
        writer.enqueue(next, { partial: mode === "walking-position-only" });
      }
    }, QUEUE_INTERVAL_MS);
    const patchGaps: number[] = [];
    let lastPatch = performance.now();
    const patches = setInterval(() => {
      const t = performance.now();
      if (measuring) patchGaps.push(t - lastPatch);
      lastPatch = t;
    }, PATCH_INTERVAL_MS);
    writer.start();

    await sleep(warmupSec * 1000);
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const busySince = performance.eventLoopUtilization();
    measuring = true;
    await sleep(seconds * 1000);
    measuring = false;
    loop.disable();
    const busy = performance.eventLoopUtilization(busySince).utilization;
    clearInterval(rooms);
    clearInterval(patches);
    await writer.stop();

    let lost = 0;
    if (saving) {
      for (const [id, queued] of records) {
        const stored = await service.load(id);
        const same =
          stored !== null &&
          stored.character.x === queued.character.x &&
          stored.character.y === queued.character.y &&
          stored.character.xp === queued.character.xp &&
          stored.character.gold === queued.character.gold &&
          JSON.stringify(stored.inventory) === JSON.stringify(queued.inventory) &&
          JSON.stringify(stored.quests) === JSON.stringify(queued.quests);
        if (!same) lost += 1;
      }
    }
    const spread = (xs: number[]): Spread => {
      const sorted = xs.sort((a, b) => a - b);
      const [p50, p99] = [percentile(sorted, 0.5), percentile(sorted, 0.99)];
      return { p50: round(p50), p99: round(p99), max: round(sorted.at(-1) ?? 0) };
    };
    const flushes = Math.max(1, flushMs.length);
    return {
      eventLoopDelayMs: {
        p50: round(loop.percentile(50) / 1e6),
        p99: round(loop.percentile(99) / 1e6),
        max: round(loop.max / 1e6),
      },
      eventLoopBusy: Math.round(busy * 1000) / 1000,
      patchIntervalMs: spread(patchGaps),
      flushMs: spread(flushMs),
      batchMs: spread(batchMs),
      flushes: flushMs.length,
      recordsPerFlush: round(flushedRecords / flushes),
      batchesPerFlush: round(batchMs.length / flushes),
      statementsPerFlush: round(statements / flushes),
      failedFlushes,
      lost,
    };
  } finally {
    await db.close();
    await fresh.drop();
  }
}

/** The median of every figure over the runs (each figure separately). */
function medianOf(results: RunResult[]) {
  const pick = (f: (r: RunResult) => number) => median(results.map(f));
  const triple = (f: (r: RunResult) => Spread) => ({
    p50: pick((r) => f(r).p50),
    p99: pick((r) => f(r).p99),
    max: pick((r) => f(r).max),
  });
  return {
    eventLoopDelayMs: triple((r) => r.eventLoopDelayMs),
    eventLoopBusy: pick((r) => r.eventLoopBusy),
    patchIntervalMs: triple((r) => r.patchIntervalMs),
    flushMs: triple((r) => r.flushMs),
    batchMs: triple((r) => r.batchMs),
    flushes: pick((r) => r.flushes),
    recordsPerFlush: pick((r) => r.recordsPerFlush),
    batchesPerFlush: pick((r) => r.batchesPerFlush),
    statementsPerFlush: pick((r) => r.statementsPerFlush),
    failedFlushes: Math.max(...results.map((r) => r.failedFlushes)),
    lost: Math.max(...results.map((r) => r.lost)),
    perRunEventLoopP99Ms: results.map((r) => r.eventLoopDelayMs.p99),
  };
}

const out: Record<string, unknown> = {
  benchmark: "progress save stall (write-behind → progress store → saveMany)",
  node: process.version,
  saving,
  pgliteThread,
  maxBatch: maxBatch ?? "default",
  seconds,
  runs,
  queueIntervalMs: QUEUE_INTERVAL_MS,
};
for (const target of targets) {
  const bySize: Record<string, unknown> = {};
  for (const n of sizes) {
    for (const mode of modes) {
      const results: RunResult[] = [];
      for (let run = 0; run < runs; run++) results.push(await runOnce(target, n, 1000 + run, mode));
      const key = mode === "fighting" ? `characters_${n}` : `characters_${n}_${mode}`;
      bySize[key] = medianOf(results);
    }
  }
  out[target.name] = bySize;
}
console.log(JSON.stringify(out, null, 2));

/**
 * Chat fan-out benchmark. Prints ONE JSON object.
 *
 *   npm run bench:chat [-- --guild 200 --zone 500 --messages 60 --rate 10 --idle 5]
 *
 * Two game processes share Redis (presence) and PostgreSQL, as in production. Everyone stands in
 * the town (no mobs: clients get no patches while idle, so this process measures chat, not state
 * decoding), which holds 200 per room: `--zone` players fill several town rooms spread over both
 * processes by the matchmaker, and all of them listen to the zone channel.
 * - guild: the first `--guild` players form a guild; they join interleaved with the others so
 *   they spread over every town room (and so both processes); members take turns sending guild
 *   chat (persisted, then published on the guild channel). Latency = receipt at each other
 *   member − send, one clock (this process runs every client).
 * - zone: players take turns sending zone chat to all `--zone` listeners.
 * Senders rotate so no one hits the chat rate limit. The zone tick (`mmo_room_step_duration_seconds`
 * from both processes' /metrics) is measured idle and under each chat load.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import pg from "pg";
import type { ClientSpec, WorkerCommand, WorkerReply } from "./chat-clients.ts";
import { wallNow } from "./chat-clients.ts";
import { histogramBuckets, p99MsBetween } from "../loadtest/soak-metrics.ts";
import { freshRedisUrl } from "../test/helpers/redis-db.ts";
import {
  freePort,
  startServerProcess,
  type ServerProcess,
} from "../test/helpers/server-process.ts";
import { SERVICE_URLS } from "../test/helpers/services.ts";

const { values } = parseArgs({
  options: {
    guild: { type: "string", default: "200" },
    zone: { type: "string", default: "500" },
    messages: { type: "string", default: "60" },
    rate: { type: "string", default: "10" },
    idle: { type: "string", default: "5" },
  },
});
const GUILD = Number(values.guild);
const ZONE = Number(values.zone);
const MESSAGES = Number(values.messages);
const RATE = Number(values.rate);
const IDLE_MS = Number(values.idle) * 1000;
const TARGET_P99_MS = 50;
const PER_ACCOUNT = 100;
const JOIN_CONCURRENCY = 8;
/** Worker threads holding the clients: receiving the fan-out uses every core. */
const WORKERS = 2;
const ADMIN = { user: "bench", password: "bench-password-123" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Character = { id: string; name: string; token: string };
type Player = { id: string; roomId: string; owner: string; worker: number };

async function json(res: Response) {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

async function createCharacters(url: string, count: number): Promise<Character[]> {
  const out: Character[] = [];
  while (out.length < count) {
    const email = `chatbench.${randomBytes(6).toString("hex")}@example.com`;
    const session = await json(
      await fetch(`${url}/v1/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "bench password 123" }),
      }),
    );
    const token = session.accessToken as string;
    const batch = Math.min(PER_ACCOUNT, count - out.length);
    for (let i = 0; i < batch; i++) {
      const name = `Cb${randomBytes(5).toString("hex")}`;
      const c = await json(
        await fetch(`${url}/v1/characters`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ name, race: "human", job: "warrior" }),
        }),
      );
      out.push({ id: c.id as string, name, token });
    }
  }
  return out;
}

async function place(
  db: pg.Client,
  schema: string,
  chars: Character[],
  zone: string,
  size: number,
) {
  const xs = chars.map(() => 200 + Math.random() * (size - 400));
  const ys = chars.map(() => 200 + Math.random() * (size - 400));
  await db.query(
    `UPDATE "${schema}".characters c SET zone = $1, x = v.x, y = v.y
     FROM unnest($2::uuid[], $3::float8[], $4::float8[]) AS v(id, x, y) WHERE c.id = v.id`,
    [zone, chars.map((c) => c.id), xs, ys],
  );
}

/** A worker thread holding a share of the clients (bench/chat-clients.ts). */
class ClientWorker {
  private readonly worker = new Worker(new URL("./chat-clients.ts", import.meta.url), {
    execArgv: ["--import", "tsx"],
  });
  private waiting: ((reply: WorkerReply) => void)[] = [];

  constructor() {
    this.worker.on("message", (reply: WorkerReply) => {
      if (reply.kind === "error") throw new Error(`client worker: ${reply.message}`);
      this.waiting.shift()?.(reply);
    });
  }

  post(command: WorkerCommand): void {
    this.worker.postMessage(command);
  }

  ask<K extends WorkerReply["kind"]>(
    command: WorkerCommand,
  ): Promise<Extract<WorkerReply, { kind: K }>> {
    return new Promise((resolve) => {
      this.waiting.push(resolve as (reply: WorkerReply) => void);
      this.worker.postMessage(command);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!, 2);
}
const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * Sends `MESSAGES` lines at `RATE`/s on `channel` from rotating senders among `players`; latency
 * per receipt at each of the other `players`.
 */
async function fanOut(players: Player[], workers: ClientWorker[], channel: "guild" | "zone") {
  const sentAt = new Map<string, number>();
  for (const w of workers) w.post({ kind: "listen", channel });
  for (let i = 0; i < MESSAGES; i++) {
    const sender = players[(i * 7919) % players.length]!;
    const text = `${channel} ${i} ${randomBytes(3).toString("hex")}`;
    sentAt.set(text, wallNow());
    workers[sender.worker]!.post({ kind: "send", id: sender.id, channel, text });
    await sleep(1000 / RATE);
  }
  await sleep(2000);
  const replies = await Promise.all(workers.map((w) => w.ask<"receipts">({ kind: "collect" })));
  const latencies: number[] = [];
  /** Per line, its earliest receipt: the server path without the clients' fan-in queue. */
  const first = new Map<string, number>();
  for (const { receipts } of replies) {
    for (const [text, at] of receipts) {
      const t = sentAt.get(text);
      if (t === undefined) continue;
      const ms = at - t;
      latencies.push(ms);
      if (!(first.get(text)! <= ms)) first.set(text, ms);
    }
  }
  latencies.sort((a, b) => a - b);
  const firsts = [...first.values()].sort((a, b) => a - b);
  return {
    messages: MESSAGES,
    deliveries: latencies.length,
    expectedDeliveries: MESSAGES * (players.length - 1),
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: quantile(latencies, 1),
    firstReceiptP50Ms: quantile(firsts, 0.5),
    firstReceiptP99Ms: quantile(firsts, 0.99),
  };
}

async function main() {
  const schema = `chatbench_${randomBytes(4).toString("hex")}`;
  const redis = await freshRedisUrl();
  const ports = [await freePort(), await freePort()];
  const common = {
    DATABASE_URL: `${SERVICE_URLS.postgres}?schema=${schema}`,
    REDIS_URL: redis.url,
    JWT_SECRET: "chat-bench-secret-chat-bench-secret-00",
    LOG_LEVEL: "warn",
    DATA_DIR: ":memory:",
    ADMIN_USER: ADMIN.user,
    ADMIN_PASSWORD: ADMIN.password,
    MAX_CHARACTERS_PER_ACCOUNT: String(PER_ACCOUNT),
    ACCESS_TOKEN_TTL_SEC: "86400",
  };
  const servers = await Promise.all(
    ports.map((port) =>
      startServerProcess({ ...common, PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}` }),
    ),
  );
  const [a, b] = servers as [ServerProcess, ServerProcess];
  const db = new pg.Client({ connectionString: SERVICE_URLS.postgres });
  await db.connect();
  const workers = Array.from({ length: WORKERS }, () => new ClientWorker());
  const auth = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}`;
  const steps = async () =>
    Promise.all(
      servers.map(async (s) => {
        const text = await (
          await fetch(`${s.url}/metrics`, { headers: { authorization: auth } })
        ).text();
        return histogramBuckets(text, "mmo_room_step_duration_seconds");
      }),
    );
  const tickP99 = (before: Map<string, number>[], after: Map<string, number>[]) =>
    Math.max(...after.map((h, i) => p99MsBetween(before[i]!, h) ?? 0));

  try {
    const chars = await createCharacters(a.url, Math.max(ZONE, GUILD));
    const guild = chars.slice(0, GUILD);
    const others = chars.slice(GUILD);
    // The guild: founded over REST (the founder pays the fee), members added in the table: the
    // rules cap guilds at 100 members; this measures a bigger one.
    await db.query(`UPDATE "${schema}".characters SET gold = 1000 WHERE id = $1`, [guild[0]!.id]);
    const created = await json(
      await fetch(`${a.url}/v1/guilds`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${guild[0]!.token}` },
        body: JSON.stringify({ characterId: guild[0]!.id, name: "Bench Guild", tag: "BNCH" }),
      }),
    );
    await db.query(
      `INSERT INTO "${schema}".guild_members (character_id, guild_id, rank)
       SELECT unnest($1::uuid[]), $2, 'member'`,
      [guild.slice(1).map((c) => c.id), created.id],
    );
    await place(db, schema, chars, "town", 1536);
    // Rooms fill in join order: interleave so guild members land in every town room.
    const order: Character[] = [];
    const every = Math.max(1, Math.round(chars.length / Math.max(1, guild.length)));
    for (let g = 0, o = 0; g < guild.length || o < others.length;) {
      if (g < guild.length) order.push(guild[g++]!);
      for (let k = 1; k < every && o < others.length; k++) order.push(others[o++]!);
      if (g >= guild.length) while (o < others.length) order.push(others[o++]!);
    }
    const ids = new Set(guild.map((c) => c.id));
    // Clients alternate the process they come through (the matchmaker picks each room's owner)
    // and the worker that holds them.
    const shares: ClientSpec[][] = workers.map(() => []);
    order.forEach((c, i) => {
      shares[i % WORKERS]!.push({ id: c.id, token: c.token, via: (i % 2 === 0 ? a : b).url });
    });
    const joinedAll: Player[] = (
      await Promise.all(
        workers.map((w, k) =>
          w.ask<"joined">({ kind: "join", clients: shares[k]!, concurrency: JOIN_CONCURRENCY }),
        ),
      )
    ).flatMap((reply, k) => reply.players.map((p) => ({ ...p, worker: k })));
    const guildPlayers = joinedAll.filter((p) => ids.has(p.id));
    const zonePlayers = joinedAll;
    const guildProcesses = new Set(guildPlayers.map((p) => p.owner)).size;
    await sleep(2000);

    const idle0 = await steps();
    await sleep(IDLE_MS);
    const idle1 = await steps();
    const guildResult = await fanOut(guildPlayers, workers, "guild");
    const guild1 = await steps();
    const zoneResult = await fanOut(zonePlayers, workers, "zone");
    const zone1 = await steps();

    const result = {
      bench: "chat",
      processes: 2,
      presence: "redis",
      guild: {
        members: GUILD,
        memberRooms: new Set(guildPlayers.map((p) => p.roomId)).size,
        memberProcesses: guildProcesses,
        ...guildResult,
      },
      zone: {
        listeners: ZONE,
        rooms: new Set(zonePlayers.map((p) => p.roomId)).size,
        processes: new Set(zonePlayers.map((p) => p.owner)).size,
        ...zoneResult,
      },
      ratePerSec: RATE,
      tickP99Ms: {
        idle: tickP99(idle0, idle1),
        guildChat: tickP99(idle1, guild1),
        zoneChat: tickP99(guild1, zone1),
      },
      targetP99Ms: TARGET_P99_MS,
      pass:
        (guildResult.p99Ms ?? Infinity) <= TARGET_P99_MS &&
        (zoneResult.p99Ms ?? Infinity) <= TARGET_P99_MS &&
        guildResult.deliveries === guildResult.expectedDeliveries &&
        zoneResult.deliveries === zoneResult.expectedDeliveries,
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await Promise.all(workers.map((w) => w.ask<"left">({ kind: "leave" })));
    await Promise.all(workers.map((w) => w.terminate()));
    for (const s of servers) {
      s.child.kill("SIGTERM");
      await s.exited;
    }
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await db.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

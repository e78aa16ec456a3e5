/**
 * HTTP benchmark against a server process (`src/main.ts`, as `npm start` runs it) on PostgreSQL
 * (when reachable) and on the embedded PGlite. Prints one JSON object. Three paths, each with its
 * own warm-up:
 * - `uncached`: GET /v1/characters/:id of the caller's own character, each connection walking
 *   `--accounts` accounts in turn (another account on every request). Nothing in the server keeps
 *   this read: each request reads its row from the database. Only the account gate (10 s per
 *   account, src/accounts/account-gate.ts) spares a query, for an account seen less than 10 s ago.
 * - `missMix`: the same reads, and one request in `--miss-every` a character list of an account
 *   never listed before (the list cache misses, and the account gate too).
 * - `cached`: GET /v1/characters with one account, answered after the first request from the
 *   30 s in-process list cache; the easy path, reported apart.
 * Accounts and characters are written straight into the database before the server starts, with
 * the project's migrations; tokens are signed with the server's JWT secret as login would sign
 * them. On PostgreSQL the index and sequential scans of `characters` and `accounts` in the bench's
 * schema are read from pg_stat_user_tables around each timed window (after waiting out the
 * statistics flush), so `db.characterScansPerRequest` shows whether every request reached the
 * table; `db.backgroundScansPerSec` is the same count taken while no request ran (leaderboard
 * refreshes and other timers). `serverCpuUsPerRequest` is the server process's CPU time (user +
 * system, /proc) over the window divided by its requests: less swayed by other load on the
 * machine than the rate. `xactCommitPerRequestDbWide` is pg_stat_database's count for the
 * whole database, which other clients of it also raise.
 *   npm run bench:http [-- --duration 10 --connections 16 --accounts 1000 --runs 3]
 *   `--targets postgres` (or `pglite`) measures one database only; `--paths uncached` one path.
 *   `--profile <dir>`: the server writes a V8 CPU profile there (node --cpu-prof) when it stops.
 *   `--log-level info`: the server writes its access log line per request (default warn: not).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { createTokenSigner } from "../src/accounts/tokens.ts";
import { openDatabase } from "../src/db/database.ts";
import { startServerProcess } from "../test/helpers/server-process.ts";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "16" },
    accounts: { type: "string", default: "1000" },
    "miss-every": { type: "string", default: "5" },
    runs: { type: "string", default: "1" },
    targets: { type: "string", default: "postgres,pglite" },
    paths: { type: "string", default: "uncached,missMix,cached" },
    profile: { type: "string" },
    "log-level": { type: "string", default: "warn" },
    postgres: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/test" },
  },
});
const duration = Number(values.duration);
const warmupSec = Number(values.warmup);
const connections = Number(values.connections);
const accountCount = Number(values.accounts);
const missEvery = Number(values["miss-every"]);
const runs = Number(values.runs);
const targets = values.targets.split(",");
const paths = values.paths.split(",");
/** Each warm account's; a cold account has one (its list is one row). */
const CHARACTERS_PER_ACCOUNT = 3;
/** PostgreSQL writes a backend's table statistics at most 10 s after it goes idle (PG 15). */
const STATS_FLUSH_WAIT_MS = 11_000;
const JWT_SECRET = randomBytes(32).toString("hex");
const signer = createTokenSigner(new TextEncoder().encode(JWT_SECRET), 3_600);

type Caller = { token: string; characterIds: string[] };

/**
 * Cold accounts (one list each in the miss mix): enough for the mix at 8,000 req/s, so that no
 * list is asked twice (the run stops with an error should they run out).
 */
function coldAccountsNeeded(): number {
  return Math.ceil((8_000 * (duration * runs + warmupSec)) / missEvery);
}

async function provision(database: { url?: string; dataDir: string }) {
  const db = await openDatabase({ ...database });
  try {
    await db.sql.ensureSchema();
    await db.migrate();
    const passwordHash = "bench: never logged in";
    const make = async (count: number, label: string, perAccount: number) => {
      const callers: Caller[] = [];
      const accounts = [];
      const characters = [];
      for (let i = 0; i < count; i++) {
        const accountId = randomUUID();
        accounts.push({ id: accountId, email: `${label}${i}@bench.example`, passwordHash });
        const characterIds: string[] = [];
        for (let j = 0; j < perAccount; j++) {
          const id = randomUUID();
          const name = `${label}${i}x${j}`;
          characterIds.push(id);
          characters.push({
            ...{ id, accountId, name, nameKey: name.toLowerCase(), race: "human" },
            ...{ job: ["warrior", "mage", "ranger"][j % 3]!, zone: "town", x: 100, y: 100 },
            ...{ hp: 100, mp: 50 },
          });
        }
        callers.push({ token: await signer.signAccess(accountId), characterIds });
      }
      for (let i = 0; i < accounts.length; i += 5_000) {
        await db.prisma.account.createMany({ data: accounts.slice(i, i + 5_000) });
      }
      for (let i = 0; i < characters.length; i += 5_000) {
        await db.prisma.character.createMany({ data: characters.slice(i, i + 5_000) });
      }
      return callers;
    };
    return {
      warm: await make(accountCount, "w", CHARACTERS_PER_ACCOUNT),
      cold: await make(coldAccountsNeeded(), "c", 1),
    };
  } finally {
    await db.close();
  }
}

type Scans = { characters: number; accounts: number; xactCommitDbWide: number; at: number };

/** Table scans in the bench's schema and commits in the whole database, after stats settle. */
async function readScans(client: pg.Client, schema: string): Promise<Scans> {
  await new Promise((r) => setTimeout(r, STATS_FLUSH_WAIT_MS));
  await client.query("SELECT pg_stat_clear_snapshot()");
  const tables = await client.query<{ relname: string; scans: string }>(
    `SELECT relname, coalesce(idx_scan, 0) + coalesce(seq_scan, 0) AS scans
       FROM pg_stat_user_tables WHERE schemaname = $1 AND relname IN ('characters', 'accounts')`,
    [schema],
  );
  const db = await client.query<{ xact_commit: string }>(
    "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
  );
  const scans = (name: string) => Number(tables.rows.find((r) => r.relname === name)?.scans ?? 0);
  return {
    characters: scans("characters"),
    accounts: scans("accounts"),
    xactCommitDbWide: Number(db.rows[0]!.xact_commit),
    at: Date.now(),
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; 10 ms ticks). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type Pick = () => { path: string; token: string };

/**
 * A fixed list is built once and walked by each connection in turn (cheap for the generator,
 * which shares the machine's two cores with the server); a `Pick` is asked for every request.
 */
type Requests = Pick | { path: string; token: string }[];

function load(url: string, seconds: number, requests: Requests) {
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: Array.isArray(requests)
      ? requests.map((r) => ({
          method: "GET" as const,
          path: r.path,
          headers: { authorization: `Bearer ${r.token}` },
        }))
      : [
          {
            setupRequest(req) {
              const next = requests();
              return {
                ...req,
                path: next.path,
                headers: { ...req.headers, authorization: `Bearer ${next.token}` },
              };
            },
          },
        ],
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function measurePath(
  url: string,
  serverPid: number,
  pick: Requests,
  counter?: { client: pg.Client; schema: string },
) {
  await load(url, warmupSec, pick); // JIT, connection pool, query plans
  const before = counter && (await readScans(counter.client, counter.schema));
  const results = [];
  for (let r = 0; r < runs; r++) {
    const cpuBefore = cpuSeconds(serverPid);
    const result = await load(url, duration, pick);
    const serverCpuSec = cpuSeconds(serverPid) - cpuBefore;
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
      throw new Error(
        `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts during the run`,
      );
    }
    results.push({ result, serverCpuSec });
  }
  const perRun = results.map(({ result: r, serverCpuSec }) => ({
    requestsPerSec: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    requests: r.requests.total,
    serverCpuUsPerRequest: Math.round((serverCpuSec / r.requests.total) * 1e6),
  }));
  const requests = perRun.reduce((n, r) => n + r.requests, 0);
  const figures: Record<string, unknown> = {
    requestsPerSec: median(perRun.map((r) => r.requestsPerSec)),
    latencyP50Ms: median(perRun.map((r) => r.latencyP50Ms)),
    latencyP99Ms: median(perRun.map((r) => r.latencyP99Ms)),
    serverCpuUsPerRequest: median(perRun.map((r) => r.serverCpuUsPerRequest)),
    runs: perRun,
  };
  if (counter && before) {
    const after = await readScans(counter.client, counter.schema);
    // The same counts over a window with no requests: what timers read on their own.
    const idle = await readScans(counter.client, counter.schema);
    const idleSec = (idle.at - after.at) / 1000;
    const per = (n: number) => Math.round((n / requests) * 1000) / 1000;
    figures.db = {
      characterScansPerRequest: per(after.characters - before.characters),
      accountScansPerRequest: per(after.accounts - before.accounts),
      xactCommitPerRequestDbWide: per(after.xactCommitDbWide - before.xactCommitDbWide),
      backgroundScansPerSec: {
        characters: Math.round(((idle.characters - after.characters) / idleSec) * 10) / 10,
        accounts: Math.round(((idle.accounts - after.accounts) / idleSec) * 10) / 10,
      },
    };
  }
  return figures;
}

async function measure(kind: "postgres" | "pglite") {
  let schema: string | undefined;
  let dataDir = ":memory:";
  let counter: { client: pg.Client; schema: string } | undefined;
  const env: Record<string, string> = {
    LOG_LEVEL: values["log-level"],
    JWT_SECRET,
    ACCESS_TOKEN_TTL_SEC: "3600",
  };
  if (kind === "postgres") {
    const client = new pg.Client({ connectionString: values.postgres });
    try {
      await client.connect();
    } catch {
      return "unreachable";
    }
    schema = `bench_${randomBytes(4).toString("hex")}`;
    env.DATABASE_URL = `${values.postgres}?schema=${schema}`;
    counter = { client, schema };
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-http-"));
  }
  env.DATA_DIR = dataDir;
  try {
    const callers = await provision({ url: env.DATABASE_URL, dataDir });
    const server = await startServerProcess(env, {
      nodeArgs: values.profile ? ["--cpu-prof", `--cpu-prof-dir=${values.profile}`] : [],
    });
    try {
      const ownReads = callers.warm.map((c) => ({
        path: `/v1/characters/${c.characterIds[0]}`,
        token: c.token,
      }));
      let i = 0;
      let cold = 0;
      const mix: Pick = () => {
        if (++i % missEvery !== 0) return ownReads[i % ownReads.length]!;
        const caller = callers.cold[cold++];
        if (!caller) throw new Error("out of cold accounts: raise coldAccountsNeeded");
        return { path: "/v1/characters", token: caller.token };
      };
      const cachedList = [{ path: "/v1/characters", token: callers.warm[0]!.token }];
      const url = `${server.url}/v1/characters`;
      const picks: Record<string, Requests> = {
        uncached: ownReads,
        missMix: mix,
        cached: cachedList,
      };
      const figures: Record<string, unknown> = {};
      for (const name of paths)
        figures[name] = await measurePath(url, server.child.pid!, picks[name]!, counter);
      return figures;
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  } finally {
    if (counter) {
      await counter.client.query(`DROP SCHEMA IF EXISTS "${counter.schema}" CASCADE`);
      await counter.client.end();
    }
    if (dataDir !== ":memory:") rmSync(dataDir, { recursive: true, force: true });
  }
}

const result: Record<string, unknown> = {
  benchmark: "http",
  paths: {
    uncached: `GET /v1/characters/:id, own character, ${accountCount} accounts in turn`,
    missMix: `uncached reads, and 1 in ${missEvery} GET /v1/characters of an account never listed`,
    cached: "GET /v1/characters, one account (30 s in-process list cache)",
  },
  durationSec: duration,
  runs,
  connections,
  accounts: accountCount,
  serverLogLevel: values["log-level"],
  node: process.version,
  loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
};
for (const kind of ["postgres", "pglite"] as const) {
  if (targets.includes(kind)) result[kind] = await measure(kind);
}
result.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
console.log(JSON.stringify(result, null, 2));

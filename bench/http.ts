/**
 * HTTP benchmark: GET /v1/characters with a valid token, against a server process on the
 * embedded PGlite and (when reachable) on PostgreSQL. Prints one JSON object.
 *   npm run bench:http [-- --duration 10 --connections 32]
 */
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import pg from "pg";
import { parseArgs } from "node:util";
import { startServerProcess } from "../test/helpers/server-process.ts";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
    postgres: { type: "string", default: "postgresql://postgres@127.0.0.1:5432/test" },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);

async function json(url: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(url, {
    ...init,
    headers: {
      "content-type": "application/json",
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
}

async function measure(env: Record<string, string>) {
  const server = await startServerProcess({ LOG_LEVEL: "warn", DATA_DIR: ":memory:", ...env });
  try {
    const session = await json(`${server.url}/v1/auth/register`, {
      method: "POST",
      body: JSON.stringify({
        email: `bench-${Date.now()}@example.com`,
        password: "benchmark password",
      }),
    });
    const token = session.accessToken as string;
    for (const [i, job] of ["warrior", "mage", "ranger"].entries()) {
      await json(`${server.url}/v1/characters`, {
        method: "POST",
        token,
        body: JSON.stringify({
          name: `Bench${i}_${randomBytes(3).toString("hex")}`,
          race: "human",
          job,
        }),
      });
    }
    const run = (seconds: number) =>
      autocannon({
        url: `${server.url}/v1/characters`,
        headers: { authorization: `Bearer ${token}` },
        connections,
        duration: seconds,
      });
    await run(2); // warm-up: JIT, connection pool, query plans
    const result = await run(duration);
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${result.non2xx} non-2xx and ${result.errors} errors during the run`);
    }
    return {
      requestsPerSec: Math.round(result.requests.average),
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      requests: result.requests.total,
    };
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
  }
}

async function postgresSchemaUrl(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const client = new pg.Client({ connectionString: values.postgres });
  try {
    await client.connect();
  } catch {
    return undefined;
  }
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  await client.end();
  return {
    url: `${values.postgres}?schema=${schema}`,
    async drop() {
      const c = new pg.Client({ connectionString: values.postgres });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

const result: Record<string, unknown> = {
  benchmark: "http GET /v1/characters",
  durationSec: duration,
  connections,
  node: process.version,
};
result.pglite = await measure({});
const target = await postgresSchemaUrl();
if (target) {
  try {
    result.postgres = await measure({ DATABASE_URL: target.url });
  } finally {
    await target.drop();
  }
} else {
  result.postgres = "unreachable";
}
console.log(JSON.stringify(result, null, 2));

import { randomBytes } from "node:crypto";
import type { Room } from "@colyseus/sdk";
import pg from "pg";
import { sleep } from "./game-server.ts";
import { freshRedisUrl } from "./redis-db.ts";
import { freePort, startServerProcess, type ServerProcess } from "./server-process.ts";
import { SERVICE_URLS } from "./services.ts";

export type TwoProcesses = {
  a: ServerProcess;
  b: ServerProcess;
  /** The PostgreSQL schema both processes use. */
  schema: string;
  /** Leaves `rooms` (never waiting on a room the server closed), stops both, drops the schema. */
  stop(rooms?: readonly Room[]): Promise<void>;
};

/**
 * Two game processes sharing a fresh Redis database and a fresh PostgreSQL schema, each with its
 * own PUBLIC_ADDRESS, as a cluster runs in production.
 */
export async function startTwoProcesses(
  schemaPrefix: string,
  env: Record<string, string> = {},
): Promise<TwoProcesses> {
  const schema = `${schemaPrefix}_${randomBytes(4).toString("hex")}`;
  const redis = await freshRedisUrl();
  const [portA, portB] = [await freePort(), await freePort()];
  const common = {
    DATABASE_URL: `${SERVICE_URLS.postgres}?schema=${schema}`,
    REDIS_URL: redis.url,
    JWT_SECRET: "cluster-secret-cluster-secret-cluster-0",
    LOG_LEVEL: "warn",
    DATA_DIR: ":memory:",
    ...env,
  };
  const start = (port: number) =>
    startServerProcess({ ...common, PORT: String(port), PUBLIC_ADDRESS: `127.0.0.1:${port}` });
  const a = await start(portA);
  const b = await start(portB).catch(async (error: unknown) => {
    a.child.kill("SIGTERM");
    await a.exited;
    throw error;
  });
  return {
    a,
    b,
    schema,
    async stop(rooms = []) {
      await Promise.all(
        rooms.map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(500)])),
      );
      for (const p of [a, b]) {
        if (p.child.exitCode === null && p.child.signalCode === null) {
          p.child.kill("SIGTERM");
          await p.exited;
        }
      }
      const client = new pg.Client({ connectionString: SERVICE_URLS.postgres });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

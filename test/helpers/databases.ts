import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { SERVICE_URLS, serviceAvailable } from "./services.ts";

export type DatabaseTarget = {
  name: "pglite" | "postgres";
  /** A fresh, empty database (a new PGlite, or a new PostgreSQL schema); `url` is for servers. */
  create(): Promise<{ url?: string; dataDir: string; drop(): Promise<void> }>;
};

/**
 * Fresh PGlite databases are copies of one initialised, empty data directory, made once per test
 * process: PGlite.create() runs initdb each time (6-11 s per database on the loaded 2-core test
 * machine, ~1 s for a copy and open). Copies live on tmpfs when there is one, so they cost no
 * more disk I/O than ":memory:", and go with the process.
 */
let pgliteTemplate: Promise<{ root: string; template: string }> | undefined;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Copies left by test processes that were killed before their exit hook ran (tmpfs is RAM). */
function removeOrphans(base: string) {
  for (const name of readdirSync(base)) {
    const pid = /^mmo-test-pglite-(\d+)-/.exec(name)?.[1];
    if (pid && !alive(Number(pid))) rmSync(path.join(base, name), { recursive: true, force: true });
  }
}

function pgliteCopies() {
  pgliteTemplate ??= (async () => {
    const base = existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
    removeOrphans(base);
    const root = mkdtempSync(path.join(base, `mmo-test-pglite-${process.pid}-`));
    process.once("exit", () => rmSync(root, { recursive: true, force: true }));
    const template = path.join(root, "template");
    // The layout src/db/open-pglite.ts opens: `<dataDir>/pglite`.
    mkdirSync(path.join(template, "pglite"), { recursive: true });
    const db = await PGlite.create(path.join(template, "pglite"));
    await db.close();
    return { root, template };
  })();
  return pgliteTemplate;
}

/**
 * A DATA_DIR holding a fresh, empty PGlite database (initialised, not migrated), for a server
 * process or `openDatabase`; removed with the test process, or earlier by the caller.
 */
export async function freshPgliteDir(): Promise<string> {
  const { root, template } = await pgliteCopies();
  const dataDir = path.join(root, randomBytes(6).toString("hex"));
  cpSync(template, dataDir, { recursive: true });
  return dataDir;
}

const pglite: DatabaseTarget = {
  name: "pglite",
  async create() {
    const dataDir = await freshPgliteDir();
    return { dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  },
};

const postgres: DatabaseTarget = {
  name: "postgres",
  async create() {
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const url = `${SERVICE_URLS.postgres}?schema=${schema}`;
    return {
      url,
      dataDir: ":memory:",
      async drop() {
        const client = new pg.Client({ connectionString: SERVICE_URLS.postgres });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

/** Every database the suite runs against: PGlite always, PostgreSQL when reachable (or CI). */
export const DATABASE_TARGETS: DatabaseTarget[] = [pglite, postgres];

/** Skips the suite for a target whose service is down (fails instead under CI=true). */
export async function skipUnlessAvailable(ctx: Mocha.Context, target: DatabaseTarget) {
  if (target.name === "postgres" && !(await serviceAvailable("postgres"))) ctx.skip();
}

/** Opens a fresh migrated database on `target`; `close` also drops it. */
export async function openTestDatabase(
  target: DatabaseTarget,
): Promise<{ db: Database; close(): Promise<void> }> {
  const fresh = await target.create();
  const db = await openDatabase({ url: fresh.url, dataDir: fresh.dataDir, poolSize: 4 });
  await db.migrate();
  return {
    db,
    async close() {
      await db.close();
      await fresh.drop();
    },
  };
}

import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/**
 * The raw SQL the migrator and health checks need, over either PostgreSQL (pg pool) or PGlite.
 * Prisma's own client is used for everything else.
 */
export type SqlDriver = {
  readonly kind: "postgres" | "pglite";
  /**
   * `prepared` names the statement on PostgreSQL: each pooled connection parses and plans it once
   * and then only binds and executes it (about half of PostgreSQL's CPU for a one-row read). For
   * a fixed text with explicit columns, run often; PGlite ignores it.
   */
  query<T extends Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    prepared?: string,
  ): Promise<T[]>;
  /** Creates the target schema when one is configured (PostgreSQL only). */
  ensureSchema(): Promise<void>;
  /** Runs `fn` holding a database-wide lock named by `key`, so concurrent processes serialise. */
  withLock<T>(key: bigint, fn: () => Promise<T>): Promise<T>;
  /** Runs a multi-statement script and `after` in one transaction. */
  execInTransaction(script: string, after: { sql: string; params: unknown[] }): Promise<void>;
  close(): Promise<void>;
};

export function createPgDriver(pool: pg.Pool, schema?: string): SqlDriver {
  return {
    kind: "postgres",
    async ensureSchema() {
      if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    },
    async query<T extends Record<string, unknown>>(
      sql: string,
      params: unknown[] = [],
      prepared?: string,
    ) {
      const result = prepared
        ? await pool.query({ name: prepared, text: sql, values: params })
        : await pool.query(sql, params);
      return result.rows as T[];
    },
    async withLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock($1)", [key.toString()]);
        try {
          return await fn();
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [key.toString()]);
        }
      } finally {
        client.release();
      }
    },
    async execInTransaction(script, after) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query(script);
        await client.query(after.sql, after.params);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

export function createPgliteDriver(db: PGlite): SqlDriver {
  return {
    kind: "pglite",
    ensureSchema: async () => undefined,
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    // PGlite lives in this process only, so an in-process queue is a complete lock.
    withLock: createQueueLock(),
    async execInTransaction(script, after) {
      await db.transaction(async (tx) => {
        await tx.exec(script);
        await tx.query(after.sql, after.params);
      });
    },
    close: () => db.close(),
  };
}

/** `withLock` for a database only this process opens: callers run one after another. */
export function createQueueLock(): SqlDriver["withLock"] {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(_key: bigint, fn: () => Promise<T>) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
  TransactionOptions,
} from "@prisma/driver-adapter-utils";
import type { PgliteWorkerClient } from "./pglite-worker-client.ts";
import { createQueueLock, type SqlDriver } from "./sql-driver.ts";

const ADAPTER_NAME = "pglite-worker";

/**
 * Prisma's driver adapter for the PGlite on a worker thread. Each method forwards to the same
 * pglite-prisma-adapter method in the worker (src/db/pglite-worker.ts), which owns PGlite's
 * locking: one transaction at a time, other statements waiting while it is open.
 */
export class PrismaPgliteWorker implements SqlDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = ADAPTER_NAME;
  readonly #client: PgliteWorkerClient;

  constructor(client: PgliteWorkerClient) {
    this.#client = client;
  }

  connect(): Promise<SqlDriverAdapter> {
    return Promise.resolve(new WorkerAdapter(this.#client));
  }
}

class WorkerAdapter implements SqlDriverAdapter {
  readonly provider = "postgres";
  readonly adapterName = ADAPTER_NAME;
  readonly #client: PgliteWorkerClient;

  constructor(client: PgliteWorkerClient) {
    this.#client = client;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.#client.call({ op: "queryRaw", query });
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.#client.call({ op: "executeRaw", query });
  }

  executeScript(script: string): Promise<void> {
    return this.#client.call({ op: "executeScript", script });
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const { txId, options } = await this.#client.call<{
      txId: number;
      options: TransactionOptions;
    }>({ op: "startTransaction", ...(isolationLevel && { isolationLevel }) });
    return new WorkerTransaction(this.#client, txId, options);
  }

  getConnectionInfo(): ConnectionInfo {
    return { supportsRelationJoins: true };
  }

  /** The worker belongs to the Database (src/db/database.ts), which closes it after Prisma. */
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

class WorkerTransaction implements Transaction {
  readonly provider = "postgres";
  readonly adapterName = ADAPTER_NAME;
  readonly options: TransactionOptions;
  readonly #client: PgliteWorkerClient;
  readonly #txId: number;

  constructor(client: PgliteWorkerClient, txId: number, options: TransactionOptions) {
    this.#client = client;
    this.#txId = txId;
    this.options = options;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.#client.call({ op: "queryRaw", query, txId: this.#txId });
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.#client.call({ op: "executeRaw", query, txId: this.#txId });
  }

  commit(): Promise<void> {
    return this.#client.call({ op: "commit", txId: this.#txId });
  }

  rollback(): Promise<void> {
    return this.#client.call({ op: "rollback", txId: this.#txId });
  }
}

/** The migrator's and health checks' SQL (see SqlDriver) over the PGlite worker. */
export function createPgliteWorkerDriver(client: PgliteWorkerClient): SqlDriver {
  return {
    kind: "pglite",
    ensureSchema: async () => undefined,
    query: (sql, params = []) => client.call({ op: "query", sql, params }),
    // PGlite lives in this process only, so an in-process queue is a complete lock.
    withLock: createQueueLock(),
    execInTransaction: (script, after) => client.call({ op: "execInTransaction", script, after }),
    close: () => client.close(),
  };
}

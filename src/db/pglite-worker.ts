/**
 * The embedded PGlite on a worker thread (src/db/pglite-worker-client.ts starts it), so that the
 * WASM Postgres's work, which runs synchronously on whichever thread calls it, leaves the game
 * loop alone. Prisma's statements go through the same pglite-prisma-adapter as in-thread, so
 * values, column types, error kinds and transaction locking are the ones PGlite always had.
 * Calls run concurrently and queue on PGlite's own locks: a statement outside a transaction waits
 * while one is open, and a statement inside one must not wait behind it.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { SqlDriverAdapter, Transaction } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { openPglite } from "./open-pglite.ts";
import { createPgliteDriver } from "./sql-driver.ts";
import {
  toWorkerError,
  type WorkerCall,
  type WorkerReply,
  type WorkerRequest,
  type WorkerStarted,
} from "./pglite-worker-protocol.ts";

const port = parentPort;
if (!port) throw new Error("pglite-worker.ts runs as a worker thread");

const { dataDir } = workerData as { dataDir: string };
let started: WorkerStarted;
let pglite: Awaited<ReturnType<typeof openPglite>> | undefined;
let adapter: SqlDriverAdapter | undefined;
try {
  pglite = await openPglite(dataDir);
  adapter = await new PrismaPGlite(pglite).connect();
  started = { started: true };
} catch (error) {
  started = { started: false, error: toWorkerError(error) };
}

if (pglite && adapter) serve(pglite, adapter);
port.postMessage(started);

function serve(db: NonNullable<typeof pglite>, prisma: SqlDriverAdapter) {
  const sql = createPgliteDriver(db);
  const transactions = new Map<number, Transaction>();
  let nextTxId = 1;

  const transaction = (txId: number) => {
    const tx = transactions.get(txId);
    if (!tx) throw new Error(`PGlite worker: transaction ${txId} is not open`);
    return tx;
  };

  async function run(call: WorkerCall): Promise<unknown> {
    switch (call.op) {
      case "queryRaw":
        return (call.txId === undefined ? prisma : transaction(call.txId)).queryRaw(call.query);
      case "executeRaw":
        return (call.txId === undefined ? prisma : transaction(call.txId)).executeRaw(call.query);
      case "executeScript":
        return prisma.executeScript(call.script);
      case "startTransaction": {
        const tx = await prisma.startTransaction(call.isolationLevel);
        const txId = nextTxId++;
        transactions.set(txId, tx);
        return { txId, options: tx.options };
      }
      case "commit":
      case "rollback": {
        const tx = transaction(call.txId);
        transactions.delete(call.txId);
        return call.op === "commit" ? tx.commit() : tx.rollback();
      }
      case "query":
        return sql.query(call.sql, call.params);
      case "execInTransaction":
        return sql.execInTransaction(call.script, call.after);
      case "close":
        await prisma.dispose();
        await sql.close();
        return undefined;
    }
  }

  function reply(message: WorkerReply) {
    try {
      port!.postMessage(message);
    } catch (error) {
      // A value that cannot be cloned must still answer the call, or it would wait forever.
      port!.postMessage({ id: message.id, ok: false, error: toWorkerError(error) });
    }
  }

  port!.on("message", (request: WorkerRequest) => {
    run(request).then(
      (value) => {
        reply({ id: request.id, ok: true, value });
        if (request.op === "close") port!.close();
      },
      (error: unknown) => reply({ id: request.id, ok: false, error: toWorkerError(error) }),
    );
  });
}

import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import type {
  WorkerCall,
  WorkerError,
  WorkerReply,
  WorkerRequest,
  WorkerStarted,
} from "./pglite-worker-protocol.ts";

/** Beside this file, with its extension: .ts under tsx (the thread inherits --import tsx), .js built. */
const WORKER_URL = new URL(
  `./pglite-worker${path.extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/**
 * The main thread's end of the PGlite worker (src/db/pglite-worker.ts): one call, one message
 * each way. If the thread dies, every call waiting on it and every later one fails with the
 * reason, rather than waiting for an answer that cannot come.
 */
export class PgliteWorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Why calls can no longer be answered: the thread died or was closed. */
  #failure: Error | undefined;
  readonly #exited: Promise<void>;
  #closing: Promise<void> | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.on("message", (reply: WorkerReply) => this.#settle(reply));
    worker.on("error", (error) => this.#fail(new Error(`PGlite worker failed: ${error.message}`)));
    worker.once("exit", (code) => this.#fail(new Error(`PGlite worker exited (code ${code})`)));
  }

  /** Starts the thread and opens PGlite in it (":memory:" or `<dataDir>/pglite`). */
  static async start(dataDir: string): Promise<PgliteWorkerClient> {
    const worker = new Worker(WORKER_URL, { workerData: { dataDir } });
    const started = await new Promise<WorkerStarted>((resolve, reject) => {
      const onError = (error: Error) => reject(new Error(`PGlite worker failed: ${error.message}`));
      const onExit = (code: number) => reject(new Error(`PGlite worker exited (code ${code})`));
      worker.once("error", onError);
      worker.once("exit", onExit);
      worker.once("message", (message: WorkerStarted) => {
        worker.off("error", onError);
        worker.off("exit", onExit);
        resolve(message);
      });
    });
    if (!started.started) {
      await worker.terminate();
      throw fromWorkerError(started.error);
    }
    // Like PGlite on this thread, an idle database does not keep the process alive.
    worker.unref();
    return new PgliteWorkerClient(worker);
  }

  call<T>(call: WorkerCall): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    const request: WorkerRequest = { id, ...call };
    return new Promise<T>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        this.#worker.postMessage(request);
      } catch (error) {
        this.#forget(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Closes PGlite after every call sent before this one, then ends the thread. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#failure) return;
    try {
      await this.call({ op: "close" });
    } catch (error) {
      await this.#worker.terminate();
      throw error;
    }
    this.#fail(new Error("PGlite worker is closed"));
    this.#worker.ref(); // until the thread is gone: its end is part of closing
    await this.#exited;
  }

  /** Stops the thread at once, as a crash would: pending and later calls fail. */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  #settle(reply: WorkerReply) {
    const pending = this.#forget(reply.id);
    if (!pending) return;
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(fromWorkerError(reply.error));
  }

  #forget(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
    return pending;
  }

  #fail(error: Error) {
    this.#failure ??= error;
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    this.#worker.unref();
    for (const pending of waiting) pending.reject(this.#failure);
  }
}

/** Rebuilds an error thrown in the worker; adapter errors keep what Prisma maps to its codes. */
function fromWorkerError(error: WorkerError): Error {
  if (error.adapterCause !== undefined) {
    return new DriverAdapterError(error.adapterCause as DriverAdapterError["cause"]);
  }
  const rebuilt = Object.assign(new Error(error.message), error.fields);
  rebuilt.name = error.name;
  return rebuilt;
}

import type { Logger } from "../logger.ts";

/**
 * Rooms queue changed characters every 250 ms; flushing as often keeps what a crash loses (queue
 * wait + flush wait + the commit) under 1 s. Both at 1 s lost up to 2 s (crash.test.ts).
 */
export const DEFAULT_FLUSH_INTERVAL_MS = 250;

/**
 * Records per save. A flush larger than this is written in slices, one transaction each, with the
 * event loop free between them: with the embedded PGlite a save runs on this thread, and one batch
 * of 200 held it for one stretch (bench/save-stall.ts).
 */
export const DEFAULT_MAX_BATCH = 50;

/**
 * Partial records (positions) per save, beside the whole ones: one narrow UPDATE row each, about a
 * third of a whole record's cost, so a save of 150 holds PGlite's event loop about as long as one
 * of 50 whole records, and hundreds of walking players are a few statements per flush
 * (bench/save-stall.ts --walking: 300 in one statement held the loop up to 324 ms).
 */
export const DEFAULT_MAX_PARTIAL_BATCH = 150;

type Entry<T> = { record: T; partial: boolean };

/** Lets timers and I/O run (a room's tick, its patches) before the next slice of a flush. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type WriteBehindOptions<T> = {
  /**
   * Persists a batch in one go; throwing keeps every record of the batch queued for a retry.
   * `partial` holds the batch's records queued as partial (see enqueue).
   */
  save(batch: T[], partial: ReadonlySet<T>): Promise<void>;
  keyOf(record: T): string;
  logger: Logger;
  /** How often queued records are written, in ms (the bound on progress loss). */
  flushIntervalMs?: number;
  maxBatch?: number;
  /** Partial records per save, on top of maxBatch whole ones (a partial write is cheaper). */
  maxPartialBatch?: number;
  maxRetryDelayMs?: number;
  onFlush?(info: { size: number; seconds: number; ok: boolean; queueDepth: number }): void;
};

/**
 * A write-behind queue: the latest record per key waits at most one interval, is written in
 * batches, and is never dropped: a failed batch goes back to the queue (unless a newer record for
 * the same key arrived meanwhile) and is retried with backoff, logged each time.
 *
 * A record may be queued as partial: only a part of it (a character's position) changed since
 * the last record of its key queued whole, so the save may write just that part. Records are
 * whole states, so a newer record carries an older one's changes; but a partial save of it would
 * not, so a record replacing (or replaced by) one still to be written whole is written whole.
 */
export class WriteBehind<T> {
  private pending = new Map<string, Entry<T>>();
  /** The one run writing batches, shared by the timer and flushAll (see drain). */
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private nextAttemptAt = 0;
  private readonly options: Required<Omit<WriteBehindOptions<T>, "onFlush">> &
    Pick<WriteBehindOptions<T>, "onFlush">;

  constructor(options: WriteBehindOptions<T>) {
    this.options = {
      flushIntervalMs: DEFAULT_FLUSH_INTERVAL_MS,
      maxBatch: DEFAULT_MAX_BATCH,
      maxPartialBatch: DEFAULT_MAX_PARTIAL_BATCH,
      maxRetryDelayMs: 10_000,
      ...options,
    };
  }

  get depth(): number {
    return this.pending.size;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flushDue(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Queues the latest state of a record, replacing any older one for the same key. `partial`:
   * only the part a partial save writes changed since the key's last record queued whole.
   */
  enqueue(record: T, options: { partial?: boolean } = {}): void {
    const key = this.options.keyOf(record);
    const older = this.pending.get(key);
    const partial = (options.partial ?? false) && (older?.partial ?? true);
    this.pending.set(key, { record, partial });
  }

  /** Writes everything queued now (ignoring backoff); resolves when it is all saved. */
  async flushAll(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.drain();
      } catch (error) {
        if (attempt >= 4) throw error;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  /** Stops the timer after writing everything queued. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flushAll();
  }

  private async flushDue(): Promise<void> {
    if (this.draining || this.pending.size === 0 || Date.now() < this.nextAttemptAt) return;
    try {
      await this.drain();
      this.failures = 0;
    } catch {
      this.failures += 1;
      const delay = Math.min(this.options.maxRetryDelayMs, 250 * 2 ** this.failures);
      this.nextAttemptAt = Date.now() + delay;
    }
  }

  /**
   * Writes batches until nothing is queued, one batch at a time, in one run every caller shares:
   * it ends only once records queued meanwhile are saved too, so flushAll never returns with a
   * batch still open (a SIGTERM lost a player's last kill that way, crash.test.ts), and two saves
   * of one character are never in flight at once (they could commit out of order). Between
   * batches it yields to the event loop, so a large flush never blocks it in one stretch.
   */
  private drain(): Promise<void> {
    if (this.draining) return this.draining;
    if (this.pending.size === 0) return Promise.resolve();
    // pending is not empty, so the loop awaits before `finally` runs: the assignment comes first.
    this.draining = (async () => {
      try {
        while (this.pending.size > 0) {
          await this.writeBatch();
          if (this.pending.size > 0) await yieldToEventLoop();
        }
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private async writeBatch(): Promise<void> {
    const { maxBatch, maxPartialBatch } = this.options;
    const batch: [string, Entry<T>][] = [];
    const partial = new Set<T>();
    let whole = 0;
    for (const [key, entry] of this.pending) {
      if (entry.partial ? partial.size >= maxPartialBatch : whole >= maxBatch) continue;
      batch.push([key, entry]);
      if (entry.partial) partial.add(entry.record);
      else whole += 1;
      if (partial.size >= maxPartialBatch && whole >= maxBatch) break;
    }
    for (const [key] of batch) this.pending.delete(key);
    const started = process.hrtime.bigint();
    try {
      await this.options.save(
        batch.map(([, entry]) => entry.record),
        partial,
      );
      this.report(batch.length, started, true);
    } catch (error) {
      for (const [key, entry] of batch) {
        const newer = this.pending.get(key);
        if (!newer) this.pending.set(key, entry);
        // The failed whole write's changes are in the newer record: it must be written whole.
        else if (!entry.partial) newer.partial = false;
      }
      this.report(batch.length, started, false);
      this.options.logger.warn(
        { err: error, batch: batch.length, queueDepth: this.pending.size },
        "write-behind save failed; will retry",
      );
      throw error;
    }
  }

  private report(size: number, started: bigint, ok: boolean): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.options.onFlush?.({ size, seconds, ok, queueDepth: this.pending.size });
  }
}

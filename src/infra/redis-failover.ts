import { ReplyError, type Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../logger.ts";

/** Where matchmaking state is read and written: shared Redis, or this process's memory. */
export type MatchmakingMode = "redis" | "local";

/**
 * Options for every matchmaking connection. Without an offline queue, and with in-flight commands
 * failed on disconnect (`maxRetriesPerRequest: 0`), a lost Redis answers in milliseconds and the
 * caller falls back to in-process state, instead of waiting ~10 s per command for ioredis' 20
 * retries. Reconnection keeps going in the background, at least once a second.
 */
export const FAILOVER_REDIS_OPTIONS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 2_000,
  connectTimeout: 2_000,
  retryStrategy: (times: number) => Math.min(times * 100, 1_000),
} satisfies RedisOptions;

/** Something holding matchmaking state that must follow the switch between Redis and memory. */
export type FailoverParticipant = {
  /** Redis was lost: start serving from memory. Synchronous, so nothing runs in between. */
  degrade(): void;
  /** Redis is connected again: write this process's state back before it serves again. */
  restore(): Promise<void>;
};

const RETRY_RESTORE_MS = 1_000;
const WARN_EVERY_MS = 10_000;

/**
 * Decides whether matchmaking runs on Redis or, while Redis is unreachable, on this process's
 * memory. Redis is used only while every connection is ready and the participants have written
 * back what this process holds (a Redis restart loses all of it); any link failure, reported by a
 * participant or seen as a connection closing, switches to memory at once.
 */
export class RedisFailover {
  private readonly clients: readonly Redis[];
  private readonly log: Logger | undefined;
  private readonly participants: FailoverParticipant[] = [];
  private readonly listeners: ((mode: MatchmakingMode) => void)[] = [];
  private current: MatchmakingMode = "local";
  /** Bumped on every loss, so a restore that overlapped one does not switch back to Redis. */
  private generation = 0;
  private restoring: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private degradedAt = Date.now();
  private everRestored = false;
  private lastWarnAt = 0;
  private stopped = false;
  private readonly evaluate = () => this.check();

  constructor(clients: readonly Redis[], logger?: Logger) {
    this.clients = clients;
    this.log = logger;
    for (const client of clients) {
      client.on("ready", this.evaluate);
      client.on("close", this.evaluate);
      client.on("end", this.evaluate);
    }
  }

  get mode(): MatchmakingMode {
    return this.current;
  }

  /** Every connection is up: writes may go to Redis even before the mode switches back. */
  get connected(): boolean {
    return this.clients.every((client) => client.status === "ready");
  }

  /** Participants restore in the order they were added. */
  add(participant: FailoverParticipant): void {
    this.participants.push(participant);
  }

  /** Called after each switch (not for the initial mode, which is "local" until connected). */
  onModeChange(listener: (mode: MatchmakingMode) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves true once on Redis, false if `timeoutMs` passes first (matchmaking stays local). */
  whenOnRedis(timeoutMs: number): Promise<boolean> {
    if (this.current === "redis") return Promise.resolve(true);
    this.check();
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        const i = this.listeners.indexOf(onChange);
        if (i !== -1) this.listeners.splice(i, 1);
        resolve(ok);
      };
      const onChange = (mode: MatchmakingMode) => mode === "redis" && done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.listeners.push(onChange);
    });
  }

  /**
   * A Redis command failed; only link failures (see `isLinkFailure`) count. When every connection
   * still looks ready (a command timed out on a hung link), they are reconnected so that the
   * switch back starts from connections known to work.
   */
  reportFailure(error: unknown): void {
    if (this.stopped || !isLinkFailure(error)) return;
    this.warn(error, "redis command failed");
    if (this.current !== "redis") return;
    this.degrade("command failed");
    if (this.connected) for (const client of this.clients) client.disconnect(true);
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    clearTimeout(this.retryTimer);
    for (const client of this.clients) {
      client.off("ready", this.evaluate);
      client.off("close", this.evaluate);
      client.off("end", this.evaluate);
    }
  }

  /** Throttled: a long outage reconnects every second on every connection. */
  warn(error: unknown, message: string): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.log?.warn({ err: error, mode: this.current }, message);
  }

  private check(): void {
    if (this.stopped) return;
    if (!this.connected) {
      this.degrade("connection lost");
      return;
    }
    if (this.current === "local" && !this.restoring) {
      this.restoring = this.restore().then((outcome) => {
        this.restoring = undefined;
        // Redis was lost during the restore, and may be back already: its "ready" came while
        // this restore still ran.
        if (outcome === "overtaken") this.check();
      });
    }
  }

  private degrade(reason: string): void {
    this.generation += 1;
    if (this.current !== "redis" || this.stopped) return;
    this.current = "local";
    this.degradedAt = Date.now();
    for (const participant of this.participants) participant.degrade();
    this.log?.warn(
      { reason },
      "redis unreachable: matchmaking, presence and character locks run on this process only",
    );
    this.emit();
  }

  private async restore(): Promise<"done" | "overtaken" | "failed"> {
    const generation = this.generation;
    const overtaken = () => generation !== this.generation || this.stopped;
    try {
      for (const participant of this.participants) {
        await participant.restore();
        if (overtaken()) return "overtaken";
      }
    } catch (error) {
      if (overtaken()) return "overtaken";
      this.warn(error, "restoring matchmaking state to redis failed; retrying");
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(this.evaluate, RETRY_RESTORE_MS);
      this.retryTimer.unref();
      return "failed";
    }
    if (overtaken() || !this.connected) return "overtaken";
    this.current = "redis";
    if (this.everRestored) {
      this.log?.info(
        { degradedMs: Date.now() - this.degradedAt },
        "redis is back: matchmaking shared again",
      );
    } else {
      this.log?.info("matchmaking on redis");
    }
    this.everRestored = true;
    this.emit();
    return "done";
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener(this.current);
  }
}

/** ioredis' own messages for a command that never got an answer. */
const NO_ANSWER = /^(Connection is closed|Stream isn't writeable|Command timed out)/;

/**
 * Whether a Redis command failed for want of a working connection (as opposed to Redis answering
 * with an error, or a bug in the caller, which must surface as they are).
 */
export function isLinkFailure(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof ReplyError) return false;
  return (
    error.name === "MaxRetriesPerRequestError" ||
    error.name === "AbortError" ||
    NO_ANSWER.test(error.message) ||
    typeof (error as NodeJS.ErrnoException).syscall === "string"
  );
}

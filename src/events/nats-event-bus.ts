import {
  connect,
  DiscardPolicy,
  nanos,
  RetentionPolicy,
  StorageType,
  type NatsConnection,
  type Subscription,
} from "nats";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { SUBJECT_PREFIX, subjectFor } from "./catalogue.ts";
import type { DomainEventName, EventBus, EventEnvelope } from "./event-bus.ts";

export type StreamOptions = {
  name: string;
  maxAgeMs: number;
  maxBytes: number;
};

export type NatsEventBusOptions = {
  url: string;
  logger: Logger;
  metrics?: Metrics;
  /** Subject prefix; `mmo` outside tests. */
  subjectPrefix?: string;
  /** The JetStream stream capturing `<prefix>.>`; false to leave JetStream alone. */
  stream?: StreamOptions | false;
  /** Events kept while the first connection is pending; beyond that they are dropped and counted. */
  maxPending?: number;
  /** How long `close()` waits for in-flight messages before closing anyway. */
  drainTimeoutMs?: number;
};

export const DEFAULT_STREAM: StreamOptions = {
  name: "MMO_EVENTS",
  maxAgeMs: 7 * 24 * 3600_000,
  maxBytes: 1024 ** 3,
};

export type NatsEventBus = EventBus & {
  /** Resolves true once connected (and the stream ensured), false after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<boolean>;
  /** A round trip to the server: subscriptions and publishes made so far have reached it. */
  flush(): Promise<void>;
};

type Handler = (payload: never) => void;
type LocalSub = { subject: string; handler: Handler; nats?: Subscription; active: boolean };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * An `EventBus` on NATS core subjects `<prefix>.<event name>` with JSON payloads stamped with `at`.
 * `publish` never throws or waits: before the first connection events queue here (bounded), while
 * reconnecting the NATS client buffers them, and failures are logged and counted. Subscriptions
 * are ordinary NATS subscriptions, so they see events from every process. When the server has
 * JetStream, a stream capturing `<prefix>.>` keeps the events for analytics consumers.
 */
export function createNatsEventBus(options: NatsEventBusOptions): NatsEventBus {
  const { logger, metrics } = options;
  const log = logger.child({ component: "nats-event-bus" });
  const prefix = options.subjectPrefix ?? SUBJECT_PREFIX;
  const maxPending = options.maxPending ?? 10_000;
  const pending: { name: DomainEventName; data: Uint8Array }[] = [];
  const subs = new Set<LocalSub>();
  let nc: NatsConnection | undefined;
  let closed = false;
  let resolveReady!: (ok: boolean) => void;
  const ready = new Promise<boolean>((resolve) => (resolveReady = resolve));

  function fail(name: DomainEventName, error: unknown): void {
    metrics?.eventPublishFailures.inc({ event: name });
    log.warn({ err: error, event: name }, "event not published");
  }

  function send(conn: NatsConnection, name: DomainEventName, data: Uint8Array): void {
    try {
      conn.publish(subjectFor(name, prefix), data);
    } catch (error) {
      fail(name, error);
    }
  }

  function attach(conn: NatsConnection, sub: LocalSub): void {
    sub.nats = conn.subscribe(sub.subject, {
      callback: (error, msg) => {
        if (error || !sub.active) return;
        try {
          sub.handler(JSON.parse(decoder.decode(msg.data)) as never);
        } catch (handlerError) {
          log.warn({ err: handlerError, subject: msg.subject }, "event handler failed");
        }
      },
    });
  }

  let wakeRetry: (() => void) | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  /** Connects, retrying in the background until it succeeds or the bus closes. */
  async function connectUntilClosed(): Promise<NatsConnection | undefined> {
    let attempts = 0;
    while (!closed) {
      try {
        return await connect({
          servers: options.url,
          name: `mmo-events-${process.pid}`,
          timeout: 2_000,
          // Once connected, reconnect forever; the client buffers publishes meanwhile.
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1_000,
        });
      } catch (error) {
        attempts += 1;
        if (attempts === 1) log.warn({ err: error }, "nats not reachable; retrying in background");
        await new Promise<void>((resolve) => {
          wakeRetry = resolve;
          retryTimer = setTimeout(resolve, Math.min(attempts * 500, 5_000));
        });
      }
    }
    return undefined;
  }

  void connectUntilClosed()
    .then(async (conn) => {
      if (!conn) return;
      if (closed) {
        await conn.close().catch(() => undefined);
        return;
      }
      nc = conn;
      log.info({ server: conn.getServer() }, "event bus connected to nats");
      void watchStatus(conn);
      for (const sub of subs) attach(conn, sub);
      for (const event of pending.splice(0)) send(conn, event.name, event.data);
      if (options.stream !== false) {
        await ensureStream(conn, options.stream ?? DEFAULT_STREAM, prefix, log);
      }
      resolveReady(true);
    })
    .catch((error: unknown) => {
      log.error({ err: error }, "event bus setup failed");
      resolveReady(false);
    });

  async function watchStatus(conn: NatsConnection): Promise<void> {
    for await (const status of conn.status()) {
      if (status.type === "disconnect" || status.type === "reconnect") {
        log.warn({ status: status.type, server: status.data }, "nats connection changed");
      }
    }
  }

  return {
    publish(name, payload) {
      if (closed) {
        fail(name, new Error("event bus closed"));
        return;
      }
      let data: Uint8Array;
      try {
        data = encoder.encode(JSON.stringify({ ...payload, at: new Date().toISOString() }));
      } catch (error) {
        fail(name, error);
        return;
      }
      if (nc) {
        send(nc, name, data);
      } else if (pending.length < maxPending) {
        pending.push({ name, data });
      } else {
        fail(name, new Error("nats not connected and the pending queue is full"));
      }
    },
    subscribe<K extends DomainEventName>(name: K, handler: (payload: EventEnvelope<K>) => void) {
      const sub: LocalSub = { subject: subjectFor(name, prefix), handler, active: true };
      subs.add(sub);
      if (nc && !nc.isClosed()) attach(nc, sub);
      return () => {
        sub.active = false;
        subs.delete(sub);
        sub.nats?.unsubscribe();
      };
    },
    whenReady(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      return Promise.race([ready, timeout]).finally(() => clearTimeout(timer));
    },
    async flush() {
      if (nc && !nc.isClosed()) await nc.flush();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const sub of subs) sub.active = false;
      subs.clear();
      const conn = nc;
      if (!conn) {
        // Still trying to connect: stop retrying; a connection opening now is closed at once.
        clearTimeout(retryTimer);
        wakeRetry?.();
        if (pending.length > 0) {
          for (const event of pending.splice(0))
            fail(event.name, new Error("closed before connecting"));
        }
        resolveReady(false);
        return;
      }
      if (conn.isClosed()) return;
      const drainMs = options.drainTimeoutMs ?? 2_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), drainMs);
      });
      const outcome = await Promise.race([
        conn.drain().then(() => "drained" as const),
        timedOut,
      ]).catch(() => "failed" as const);
      clearTimeout(timer);
      if (outcome !== "drained") {
        log.warn({ outcome }, "nats drain did not finish; closing");
        await conn.close().catch(() => undefined);
      }
    },
  };
}

/** Creates the stream or brings its subjects up to date; logs and continues without JetStream. */
async function ensureStream(
  conn: NatsConnection,
  stream: StreamOptions,
  prefix: string,
  log: Logger,
): Promise<void> {
  const subjects = [`${prefix}.>`];
  try {
    const jsm = await conn.jetstreamManager({ timeout: 2_000 });
    const existing = await jsm.streams.info(stream.name).catch(() => undefined);
    if (!existing) {
      await jsm.streams.add({
        name: stream.name,
        subjects,
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        max_age: nanos(stream.maxAgeMs),
        max_bytes: stream.maxBytes,
      });
      log.info({ stream: stream.name, subjects }, "jetstream stream created");
    } else if (existing.config.subjects?.join() !== subjects.join()) {
      await jsm.streams.update(stream.name, { ...existing.config, subjects });
      log.info({ stream: stream.name, subjects }, "jetstream stream subjects updated");
    }
  } catch (error) {
    log.warn(
      { err: error, stream: stream.name },
      "jetstream unavailable; events are not persisted",
    );
  }
}

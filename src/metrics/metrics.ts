import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type Metric,
} from "prom-client";
import type { RequestObserver } from "../http/request-context.ts";

/** Step buckets in seconds: 0.1 ms to 50 ms (a 20 Hz tick has a 50 ms budget). */
export const STEP_BUCKETS_SEC = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.035, 0.05,
];
const HTTP_BUCKETS_SEC = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const FLUSH_BUCKETS_SEC = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Every metric this module registers, by accessor; the values are the Prometheus names. */
export const METRIC_NAMES = {
  ccu: "mmo_ccu",
  rooms: "mmo_rooms",
  stepDuration: "mmo_room_step_duration_seconds",
  patchBytes: "mmo_patch_bytes_total",
  messagesReceived: "mmo_messages_received_total",
  messagesRejected: "mmo_messages_rejected_total",
  httpRequestDuration: "mmo_http_request_duration_seconds",
  dbQueryErrors: "mmo_db_query_errors_total",
  cacheHits: "mmo_cache_hits_total",
  cacheMisses: "mmo_cache_misses_total",
  cacheErrors: "mmo_cache_errors_total",
  writeBehindQueueDepth: "mmo_write_behind_queue_depth",
  writeBehindFlushDuration: "mmo_write_behind_flush_duration_seconds",
  eventPublishFailures: "mmo_event_publish_failures_total",
  matchmakingDegraded: "mmo_matchmaking_degraded",
  matchmakingDegradations: "mmo_matchmaking_degradations_total",
} as const;

export type MetricsOptions = {
  /** Process metrics (CPU, memory, event loop lag, GC); off in tests that create many registries. */
  defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ process: "game1" }`. */
  defaultLabels?: Record<string, string>;
  /** Read at scrape time: CCU and rooms by type of this process (see colyseus-sampler.ts). */
  sample?: {
    ccu?: () => number;
    roomsByType?: () => Promise<Record<string, number>>;
  };
};

let sharedProcessRegistry: Registry | undefined;

/**
 * Process metrics are per process, and each `collectDefaultMetrics` call adds GC and event-loop
 * observers: collect them once and share the metric objects with every registry.
 */
function processRegistry(): Registry {
  if (!sharedProcessRegistry) {
    sharedProcessRegistry = new Registry();
    collectDefaultMetrics({ register: sharedProcessRegistry });
  }
  return sharedProcessRegistry;
}

/**
 * Creates a dedicated registry (never prom-client's global one) with the server's metrics.
 * Label `room` is the room type (`zone`, `instance`), `cache` the backend (`redis`, `memory`).
 */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.defaultMetrics ?? true) {
    for (const metric of processRegistry().getMetricsAsArray()) {
      registry.registerMetric(metric as unknown as Metric);
    }
  }
  const registers = [registry];
  const sample = options.sample;

  const metrics = {
    registry,
    ccu: new Gauge({
      name: METRIC_NAMES.ccu,
      help: "Connected clients on this process",
      registers,
      collect: sample?.ccu
        ? function (this: Gauge) {
            this.set(sample.ccu!());
          }
        : undefined,
    }),
    rooms: new Gauge({
      name: METRIC_NAMES.rooms,
      help: "Rooms hosted by this process, by room type",
      labelNames: ["room"] as const,
      registers,
      collect: sample?.roomsByType
        ? async function (this: Gauge<"room">) {
            // With Redis down the driver query fails: keep the last counts rather than fail
            // the whole scrape (found by test/hardening/outage.test.ts).
            const counts = await sample.roomsByType!().catch(() => undefined);
            if (!counts) return;
            this.reset();
            for (const [room, count] of Object.entries(counts)) this.set({ room }, count);
          }
        : undefined,
    }),
    stepDuration: new Histogram({
      name: METRIC_NAMES.stepDuration,
      help: "Duration of one simulation step, by room type",
      labelNames: ["room"] as const,
      buckets: STEP_BUCKETS_SEC,
      registers,
    }),
    patchBytes: new Counter({
      name: METRIC_NAMES.patchBytes,
      help: "State patch bytes sent to clients, by room type",
      labelNames: ["room"] as const,
      registers,
    }),
    messagesReceived: new Counter({
      name: METRIC_NAMES.messagesReceived,
      help: "Client messages received, by message type",
      labelNames: ["type"] as const,
      registers,
    }),
    messagesRejected: new Counter({
      name: METRIC_NAMES.messagesRejected,
      help: "Client messages rejected, by message type and reason",
      labelNames: ["type", "reason"] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: METRIC_NAMES.httpRequestDuration,
      help: "HTTP request duration, by route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: HTTP_BUCKETS_SEC,
      registers,
    }),
    dbQueryErrors: new Counter({
      name: METRIC_NAMES.dbQueryErrors,
      help: "Database queries that failed",
      labelNames: ["operation"] as const,
      registers,
    }),
    cacheHits: new Counter({
      name: METRIC_NAMES.cacheHits,
      help: "Cache reads that found a value",
      labelNames: ["cache"] as const,
      registers,
    }),
    cacheMisses: new Counter({
      name: METRIC_NAMES.cacheMisses,
      help: "Cache reads that found nothing (errors included)",
      labelNames: ["cache"] as const,
      registers,
    }),
    cacheErrors: new Counter({
      name: METRIC_NAMES.cacheErrors,
      help: "Cache operations that failed, by operation",
      labelNames: ["cache", "operation"] as const,
      registers,
    }),
    writeBehindQueueDepth: new Gauge({
      name: METRIC_NAMES.writeBehindQueueDepth,
      help: "Characters waiting to be flushed to the database",
      registers,
    }),
    writeBehindFlushDuration: new Histogram({
      name: METRIC_NAMES.writeBehindFlushDuration,
      help: "Duration of one write-behind flush",
      buckets: FLUSH_BUCKETS_SEC,
      registers,
    }),
    eventPublishFailures: new Counter({
      name: METRIC_NAMES.eventPublishFailures,
      help: "Domain events that could not be published, by event name",
      labelNames: ["event"] as const,
      registers,
    }),
    matchmakingDegraded: new Gauge({
      name: METRIC_NAMES.matchmakingDegraded,
      help: "1 while Redis is unreachable and matchmaking, presence and character locks run on this process only",
      registers,
    }),
    matchmakingDegradations: new Counter({
      name: METRIC_NAMES.matchmakingDegradations,
      help: "Switches from Redis to in-process matchmaking (Redis lost)",
      registers,
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A `RequestObserver` (see src/http/request-context.ts) feeding the HTTP latency histogram. */
export function observeRequest(metrics: Metrics): RequestObserver {
  return (route, method, status, seconds) => {
    metrics.httpRequestDuration.observe({ route, method, status: String(status) }, seconds);
  };
}

/** The Prometheus text exposition of a registry and its content type. */
export async function renderMetrics(
  metrics: Metrics,
): Promise<{ contentType: string; body: string }> {
  return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
}

import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { createLocalEventBus, type EventBus } from "./event-bus.ts";
import { createNatsEventBus, type StreamOptions } from "./nats-event-bus.ts";

export type CreateEventBusOptions = {
  /** `NATS_URL`: NATS when set, the in-process emitter otherwise. */
  natsUrl?: string;
  logger: Logger;
  metrics?: Metrics;
  /** How long start-up waits for NATS before going on (events queue until it connects). */
  connectTimeoutMs?: number;
  subjectPrefix?: string;
  stream?: StreamOptions | false;
};

/**
 * The domain event bus for this process; close it on shutdown (after the rooms, which publish).
 * A down NATS never blocks start-up: the bus keeps connecting in the background.
 */
export async function createEventBus(
  options: CreateEventBusOptions,
): Promise<EventBus & { readonly kind: "nats" | "local" }> {
  const { natsUrl, logger, metrics } = options;
  if (natsUrl) {
    const bus = createNatsEventBus({
      url: natsUrl,
      logger,
      metrics,
      subjectPrefix: options.subjectPrefix,
      stream: options.stream,
    });
    const ready = await bus.whenReady(options.connectTimeoutMs ?? 3_000);
    if (ready) logger.info({ events: "nats" }, "event bus on nats");
    else logger.warn({ events: "nats" }, "nats not reachable yet; events queue until it is");
    return Object.assign(bus, { kind: "nats" as const });
  }
  logger.info({ events: "local" }, "event bus in process (no NATS_URL)");
  return Object.assign(createLocalEventBus(logger), { kind: "local" as const });
}

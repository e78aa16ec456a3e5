/**
 * OpenTelemetry tracing as the rest of the server sees it: explicit spans for HTTP routes,
 * Prisma operations, room join/leave/transfer and sampled ticks, and the trace context carried
 * from the HTTP request that reserved a seat into the room join (a `traceparent` join option).
 *
 * Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: the SDK (./tracing-sdk.ts) is then never
 * imported, and every helper here returns after one `undefined` check, allocating nothing.
 * Only the no-op @opentelemetry/api is loaded (prom-client loads it too).
 */
import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapPropagator,
  type Tracer,
} from "@opentelemetry/api";
import type { SpanExporter } from "@opentelemetry/sdk-trace";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";

export { SpanKind };

/** What ./tracing-sdk.ts provides while tracing runs. */
export type ActiveTracing = {
  readonly tracer: Tracer;
  readonly propagator: TextMapPropagator;
  /** One tick span per this many ticks of a room. */
  readonly tickEvery: number;
};

/** A running tracing pipeline; `shutdown` exports what is buffered and turns tracing off. */
export type Tracing = { shutdown(): Promise<void> };

export type TracingConfig = Pick<
  Config,
  | "OTEL_EXPORTER_OTLP_ENDPOINT"
  | "OTEL_SERVICE_NAME"
  | "TRACE_SAMPLE_RATIO"
  | "TRACE_TICK_EVERY"
  | "PUBLIC_ADDRESS"
>;

let active: ActiveTracing | undefined;

export function isTracing(): boolean {
  return active !== undefined;
}

/**
 * Starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set (or tests pass an exporter), otherwise
 * returns undefined without loading the SDK.
 */
export async function startTracing(
  config: TracingConfig,
  logger: Logger,
  testing?: { exporter: SpanExporter },
): Promise<Tracing | undefined> {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT && !testing) return undefined;
  if (active) throw new Error("tracing is already on");
  const { startTracingSdk } = await import("./tracing-sdk.ts");
  const sdk = startTracingSdk(config, logger, testing?.exporter);
  active = sdk.active;
  return {
    shutdown() {
      active = undefined;
      return sdk.shutdown();
    },
  };
}

/**
 * Runs `fn` in a new span, a child of `parent` (else of the active context); the span ends when
 * `fn` settles and records a thrown error. Off: calls `fn` alone.
 */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  parent: Context | undefined,
  fn: () => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!active) return fn();
  const from = parent ?? context.active();
  const span = active.tracer.startSpan(name, { kind, attributes }, from);
  return context.with(trace.setSpan(from, span), async () => {
    try {
      return await fn();
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** True when tracing is on and a span is active here (work here would join its trace). */
export function inTrace(): boolean {
  return active !== undefined && trace.getSpanContext(context.active()) !== undefined;
}

/**
 * Runs `fn` outside any trace. For matchmaking: a room created inside a request would run its
 * timers (tick, patches, clock) in that request's context for its whole life, hanging every span
 * they start under that request. Off: calls `fn` alone.
 */
export function outsideTrace<T>(fn: () => T): T {
  return active ? context.with(ROOT_CONTEXT, fn) : fn();
}

/** Marks `span` failed with `error` (kept as an exception event). */
export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** The W3C `traceparent` of the active span, to carry in join options; empty when off. */
export function traceOptions(): { traceparent?: string } {
  if (!active) return {};
  const carrier: { traceparent?: string } = {};
  active.propagator.inject(context.active(), carrier, defaultTextMapSetter);
  return carrier.traceparent ? { traceparent: carrier.traceparent } : {};
}

/** The context a `traceparent` (header or join option) continues; undefined when none or off. */
export function continuedFrom(traceparent: unknown): Context | undefined {
  if (!active || typeof traceparent !== "string") return undefined;
  const extracted = active.propagator.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

/** The context of the request headers' `traceparent`/`tracestate`, else undefined. */
export function contextFromHeaders(headers: Record<string, unknown>): Context | undefined {
  if (!active || typeof headers.traceparent !== "string") return undefined;
  const extracted = active.propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

/** The tracer while tracing is on (HTTP middleware, tick spans). */
export function activeTracer(): Tracer | undefined {
  return active?.tracer;
}

// A session's trace: where its join ran, so its transfer and leave join the same trace.
const sessionTraces = new WeakMap<object, Context>();

/** Remembers the active context (the join span) as the trace of `session`. */
export function rememberTrace(session: object): void {
  if (active) sessionTraces.set(session, context.active());
}

/** The trace `session` joined in; undefined when none or off. */
export function traceOf(session: object): Context | undefined {
  return active ? sessionTraces.get(session) : undefined;
}

/**
 * A root span for one of every `tickEvery` ticks of a room, else undefined. Called every tick:
 * when off or not sampled it allocates nothing.
 */
export function startTickSpan(
  room: string,
  roomId: string,
  zone: string,
  tick: number,
): Span | undefined {
  if (!active || tick % active.tickEvery !== 0) return undefined;
  return active.tracer.startSpan(
    `${room}.tick`,
    {
      root: true,
      attributes: {
        "colyseus.room.name": room,
        "colyseus.room.id": roomId,
        "mmo.zone": zone,
        "mmo.tick": tick,
      },
    },
    ROOT_CONTEXT,
  );
}

const NO_FIELDS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Pino mixin: the active span's trace and span ids on every log line written inside it. Pino's
 * default merge writes the line's fields into the returned object: see mergeTraceLogFields.
 */
export function traceLogFields(): Record<string, string> {
  if (!active) return NO_FIELDS;
  const span = trace.getSpanContext(context.active());
  if (!span) return NO_FIELDS;
  return { trace_id: span.traceId, span_id: span.spanId };
}

/** Ends a tick span with what the tick did. */
export function endTickSpan(span: Span, notices: number, stepMs: number): void {
  span.setAttribute("mmo.tick.notices", notices);
  span.setAttribute("mmo.tick.step_ms", stepMs);
  span.end();
}

/** Attributes of a room's join, leave and transfer spans. */
export function roomSpanAttributes(
  room: string,
  roomId: string,
  zone: string,
  characterId: string,
): Attributes {
  return {
    "colyseus.room.name": room,
    "colyseus.room.id": roomId,
    "mmo.zone": zone,
    "mmo.character.id": characterId,
  };
}

/** Pino mixinMergeStrategy: leaves the shared empty object alone (no allocation when off). */
export function mergeTraceLogFields(mergeObject: object, mixinObject: object): object {
  return mixinObject === NO_FIELDS ? mergeObject : Object.assign(mixinObject, mergeObject);
}

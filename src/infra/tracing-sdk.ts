/**
 * The OpenTelemetry SDK behind src/infra/tracing.ts, imported only when tracing is on: a tracer
 * provider with a parent-based ratio sampler, a batching OTLP/HTTP (protobuf) exporter, the
 * AsyncLocalStorage context manager and the W3C trace-context propagator.
 *
 * The provider is not registered as the global one: the helpers use its tracer directly, and a
 * test can start and stop tracing more than once in one process.
 */
import { context, diag, DiagLogLevel } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type SpanExporter,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { Logger } from "../logger.ts";
import type { ActiveTracing, Tracing, TracingConfig } from "./tracing.ts";

/** The OTLP/HTTP traces path under OTEL_EXPORTER_OTLP_ENDPOINT, as the specification defines. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}

/**
 * Starts the pipeline; the caller installs `active`. `exporter` replaces OTLP (tests): its spans
 * are handed over as each one ends instead of in batches.
 */
export function startTracingSdk(
  config: TracingConfig,
  logger: Logger,
  exporter?: SpanExporter,
): Tracing & { active: ActiveTracing } {
  const log = logger.child({ component: "tracing" });
  // Export failures (collector down) reach the log instead of vanishing in the no-op diag logger.
  diag.setLogger(
    {
      error: (message) => log.warn(message),
      warn: (message) => log.warn(message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  const contextManager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(contextManager)) {
    throw new Error("tracing: another context manager is already registered");
  }
  const processor = exporter
    ? new SimpleSpanProcessor({ exporter })
    : new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: tracesUrl(config.OTEL_EXPORTER_OTLP_ENDPOINT!) }),
      });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME,
      // Which process: the game processes of one deployment share the service name.
      "service.instance.id": config.PUBLIC_ADDRESS ?? `pid-${process.pid}`,
    }),
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(config.TRACE_SAMPLE_RATIO),
    }),
    spanProcessors: [processor],
  });
  log.info(
    {
      endpoint: exporter ? "in-process exporter" : tracesUrl(config.OTEL_EXPORTER_OTLP_ENDPOINT!),
      service: config.OTEL_SERVICE_NAME,
      sampleRatio: config.TRACE_SAMPLE_RATIO,
      tickEvery: config.TRACE_TICK_EVERY,
    },
    "tracing on",
  );

  let stopping: Promise<void> | undefined;
  return {
    active: {
      tracer: provider.getTracer("mmo-server"),
      propagator: new W3CTraceContextPropagator(),
      tickEvery: config.TRACE_TICK_EVERY,
    },
    shutdown() {
      stopping ??= (async () => {
        try {
          await provider.shutdown();
        } finally {
          context.disable();
          diag.disable();
        }
      })();
      return stopping;
    },
  };
}

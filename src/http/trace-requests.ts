import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import type { NextFunction, Request, Response } from "express";
import { activeTracer, contextFromHeaders, SpanKind } from "../infra/tracing.ts";

/** Probes and scrapes: a trace every few seconds per prober, telling nothing. */
const UNTRACED_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * A server span per request (probes and scrapes aside), named `<METHOD> <route pattern>` once the route is known, with the
 * status; it continues the caller's `traceparent` when one is sent. Off: passes straight through.
 */
export function traceRequests() {
  return (req: Request, res: Response, next: NextFunction) => {
    const tracer = activeTracer();
    if (!tracer || UNTRACED_PATHS.has(req.path)) return next();
    const parent = contextFromHeaders(req.headers) ?? context.active();
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": req.method,
          "url.path": req.originalUrl.split("?")[0],
        },
      },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const path: unknown = req.route?.path;
      // A router's "/" route under /v1/characters is the route /v1/characters.
      const route =
        typeof path === "string"
          ? (path === "/" && req.baseUrl) || `${req.baseUrl}${path}`
          : undefined;
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute("http.route", route);
      }
      span.setAttribute("http.response.status_code", res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    // "close" alone: the client went away before the response was sent.
    res.on("finish", end);
    res.on("close", end);
    const ctx = trace.setSpan(parent, span);
    // Body parsing resumes on the socket's events: bound listeners keep the request's context.
    context.bind(ctx, req);
    context.bind(ctx, res);
    context.with(ctx, next);
  };
}

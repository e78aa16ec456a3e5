import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logger.ts";

declare module "express-serve-static-core" {
  interface Request {
    id?: string;
    log?: Logger;
  }
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9_\-.]{1,64}$/;

/** Observes each finished request: route pattern, status and duration in seconds. */
export type RequestObserver = (
  route: string,
  method: string,
  status: number,
  seconds: number,
) => void;

/**
 * `req.log` on every request of an app (`requestPrototype` is its `app.request`): the child logger
 * with `{ reqId }` is made the first time a request logs, and kept on that request. Most requests
 * never log (no access line below `info`), and a pino child costs its bindings' serialisation
 * and an object each (bench:http, docs/performance.md).
 */
function defineLazyRequestLog(requestPrototype: object, logger: Logger): void {
  const keep = (req: Request, log: Logger | undefined) =>
    Object.defineProperty(req, "log", { value: log, writable: true, enumerable: true });
  Object.defineProperty(requestPrototype, "log", {
    configurable: true,
    get(this: Request) {
      const log = logger.child({ reqId: this.id });
      keep(this, log);
      return log;
    },
    set(this: Request, log: Logger | undefined) {
      keep(this, log);
    },
  });
}

/**
 * Gives each request an id (kept from `X-Request-Id` when sane), a child logger (`req.log`, made
 * when first used) and an access log line at `info`.
 */
export function requestContext(
  requestPrototype: object,
  logger: Logger,
  observe?: RequestObserver,
) {
  defineLazyRequestLog(requestPrototype, logger);
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers["x-request-id"];
    const id =
      typeof incoming === "string" && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader("X-Request-Id", id);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : "unmatched";
      observe?.(route, req.method, res.statusCode, seconds);
      if (!logger.isLevelEnabled("info")) return;
      req.log?.info(
        {
          method: req.method,
          url: req.originalUrl.split("?")[0],
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1e4) / 10,
        },
        "request",
      );
    });
    next();
  };
}

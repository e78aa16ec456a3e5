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

/** Gives each request an id (kept from `X-Request-Id` when sane), a child logger and an access log. */
export function requestContext(logger: Logger, observe?: RequestObserver) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers["x-request-id"];
    const id =
      typeof incoming === "string" && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    req.log = logger.child({ reqId: id });
    res.setHeader("X-Request-Id", id);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : "unmatched";
      observe?.(route, req.method, res.statusCode, seconds);
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

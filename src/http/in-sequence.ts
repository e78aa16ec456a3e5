import type { NextFunction, Request, RequestHandler, Response } from "express";

/**
 * Several app-wide middleware as one router layer, run in order with Express's contract: an error
 * passed to `next`, thrown, or a rejected promise skips the rest and goes to the error handlers.
 * Express's router re-parses the URL and re-matches the path for every layer a request passes;
 * the middleware that every request runs need none of that (bench:http, docs/performance.md).
 */
export function inSequence(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let index = 0;
    const step = (error?: unknown) => {
      if (error) {
        next(error);
        return;
      }
      const handler = handlers[index++];
      if (!handler) {
        next();
        return;
      }
      try {
        const returned: unknown = handler(req, res, step);
        if (returned instanceof Promise) {
          returned.catch((rejected: unknown) => next(rejected ?? new Error("Rejected promise")));
        }
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

import type { NextFunction, Request, Response } from "express";
import { ErrorCode, GameError } from "../errors.ts";
import type { Logger } from "../logger.ts";

/** Errors raised by body-parser carry a `type` and an HTTP status. */
type BodyParserError = Error & { type?: string; status?: number; expose?: boolean };

function toGameError(error: unknown): GameError | undefined {
  if (error instanceof GameError) return error;
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case "entity.too.large":
      return new GameError("PAYLOAD_TOO_LARGE");
    case "entity.parse.failed":
      return new GameError("INVALID_JSON");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new GameError("UNSUPPORTED_MEDIA_TYPE");
    default:
      // Other body-parser failures (a `content-encoding: gzip` body that is not gzip, an aborted
      // or mis-sized request) are untyped client errors: answer them as an unreadable body.
      if (parserError?.expose === true && parserError.status === 400) {
        return new GameError("INVALID_JSON", "The request body could not be read.");
      }
      return undefined;
  }
}

export function sendError(res: Response, error: GameError): void {
  if (error.options.retryAfterSec !== undefined) {
    res.setHeader("Retry-After", String(error.options.retryAfterSec));
  }
  res.status(error.status).json({
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    },
  });
}

/** The single error middleware: known errors keep their code; anything else is a logged 500. */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = toGameError(error);
    if (res.headersSent) {
      req.log?.error({ err: error }, "error after response started");
      return;
    }
    if (known) {
      if (known.status >= 500) (req.log ?? logger).error({ err: error }, "request failed");
      sendError(res, known);
      return;
    }
    (req.log ?? logger).error({ err: error }, "unhandled error");
    sendError(res, new GameError("INTERNAL", ErrorCode.INTERNAL.message));
  };
}

import { pino, type DestinationStream, type Logger } from "pino";
import { mergeTraceLogFields, traceLogFields } from "./infra/tracing.ts";

export type { Logger };

/** Paths that must never reach a log line. */
const REDACT = [
  "password",
  "*.password",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "token",
  "*.token",
  "req.headers.authorization",
  "req.headers.cookie",
];

/** JSON lines to stdout (or `destination`); inside a traced span they carry trace_id and span_id. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACT, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: traceLogFields,
      mixinMergeStrategy: mergeTraceLogFields,
    },
    destination,
  );
}

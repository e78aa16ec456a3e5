import { pino, type Logger } from "pino";

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

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

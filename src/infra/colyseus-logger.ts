import type { Logger } from "../logger.ts";

/**
 * The first line of what the `ws` frame parser raises when a client sends a frame it refuses:
 * larger than the transport's maxPayload, not masked, a bad opcode, bad UTF-8
 * (node_modules/ws/lib/receiver.js). Colyseus's transport hands these to its logger at error
 * level with a stack.
 */
const CLIENT_FRAME_REFUSAL =
  /^(?:Invalid WebSocket frame: |Unsupported WebSocket frame: |Max payload size exceeded$|Too many (?:buffered chunks|message fragments)$)/;

const firstLine = (value: unknown) =>
  (value instanceof Error ? value.message : String(value)).split("\n", 1)[0] ?? "";

/**
 * The logger handed to Colyseus. A frame the server refused is the client's doing, expected and
 * harmless (the socket is closed): a warn line without a stack (issue 14). Error level stays for
 * what is a bug here.
 */
export function colyseusLogger(log: Logger) {
  const pass =
    (level: "trace" | "debug" | "info" | "warn" | "error") =>
    (...args: unknown[]) =>
      (log[level] as (...a: unknown[]) => void).apply(log, args);
  const error = pass("error");
  return {
    trace: pass("trace"),
    debug: pass("debug"),
    info: pass("info"),
    warn: pass("warn"),
    error: (...args: unknown[]) => {
      const head = firstLine(args[0]);
      if (CLIENT_FRAME_REFUSAL.test(head)) {
        log.warn({ refusal: head }, "client frame refused; connection closed");
      } else {
        error(...args);
      }
    },
  };
}

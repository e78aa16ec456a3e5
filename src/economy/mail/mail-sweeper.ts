import type { Logger } from "../../logger.ts";
import type { MailService } from "./mail.service.ts";

/**
 * Sends unclaimed attachments back every `intervalMs` (every process runs one; a mail goes back
 * once whoever takes it). Returns the stop function.
 */
export function startMailSweeper(
  mail: MailService,
  intervalMs: number,
  logger: Logger,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const sweep = () => {
    running ??= mail
      .returnDue()
      .then((n) => {
        if (n > 0) logger.info({ returned: n }, "unclaimed mail returned to senders");
      })
      .catch((error: unknown) => logger.warn({ err: error }, "mail return sweep failed"))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

import { ConfigError, loadConfig } from "./config.ts";
import { loadGameData } from "./content/load-game-data.ts";
import { startTracing } from "./infra/tracing.ts";
import { startBanner } from "./infra/start-banner.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";

/** The composition root: config, content, then the server; graceful shutdown on signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  // Before anything traced is built; off (and the SDK not loaded) without an OTLP endpoint.
  const tracing = await startTracing(config, logger);
  const data = await loadGameData();
  const server = await startServer({ config, logger, data });
  logger.info(
    {
      url: server.url,
      api: `${server.url}/v1`,
      openapi: `${server.url}/v1/openapi.json`,
      health: `${server.url}/healthz`,
      database: server.db.kind,
    },
    `server listening on ${server.url}`,
  );
  if (process.stdout.isTTY) {
    const admin = config.ADMIN_USER !== undefined;
    process.stdout.write(startBanner({ url: server.url, database: server.db.kind, admin }));
  }

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "shutdown timed out; exiting");
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    server
      .stop()
      .then(() => tracing?.shutdown())
      .then(
        () => {
          logger.info("shutdown complete");
          logger.flush();
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

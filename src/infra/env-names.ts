/**
 * The environment variables src/config.ts reads (the keys of its zod schema), for deployment
 * files and their tests. test/deploy/deploy-files.test.ts checks this list against config.ts.
 */
export const CONFIG_ENV_NAMES = [
  "NODE_ENV",
  "PORT",
  "HOST",
  "DATA_DIR",
  "DATABASE_URL",
  "DATABASE_POOL_SIZE",
  "PGLITE_THREAD",
  "REDIS_URL",
  "NATS_URL",
  "JWT_SECRET",
  "ADMIN_USER",
  "ADMIN_PASSWORD",
  "PUBLIC_ADDRESS",
  "WS_TRANSPORT",
  "WS_PORT",
  "PUBLIC_WS_ADDRESS",
  "LOG_LEVEL",
  "CORS_ORIGINS",
  "TRUST_PROXY",
  "MAX_CHARACTERS_PER_ACCOUNT",
  "ACCESS_TOKEN_TTL_SEC",
  "REFRESH_TOKEN_TTL_SEC",
  "CHARACTER_LOCK_TTL_SEC",
  "SHUTDOWN_TIMEOUT_MS",
  "MAIL_RETURN_DAYS",
  "MAIL_SWEEP_INTERVAL_MS",
  "ECONOMY_TIMEOUT_MS",
  "LEADERBOARD_REFRESH_MS",
  "ZONE_PATCH_HZ",
  "ZONE_CHANNEL_CAPACITY",
  "WORLD_EVENT_SCHEDULE",
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "OTEL_SERVICE_NAME",
  "TRACE_SAMPLE_RATIO",
  "TRACE_TICK_EVERY",
] as const;

export type ConfigEnvName = (typeof CONFIG_ENV_NAMES)[number];

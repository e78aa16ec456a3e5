import { isIP } from "node:net";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(p)), {
      message: `must start with ${protocols.join(" or ")}`,
    });

/** Express's proxy presets (https://expressjs.com/en/guide/behind-proxies.html). */
const PROXY_PRESETS = new Set(["loopback", "linklocal", "uniquelocal"]);
const isProxyAddress = (entry: string) => {
  const [address, bits, extra] = entry.split("/");
  if (extra !== undefined || !address || isIP(address) === 0) return false;
  return bits === undefined || /^\d{1,3}$/.test(bits);
};

/**
 * Which proxies may set X-Forwarded-For: none (the default; the socket's address is the client),
 * a hop count, or a comma-separated list of addresses, CIDR ranges and Express's presets. A
 * proxy trusted by mistake lets any client choose its own address and so escape per-IP limits.
 */
const trustProxy = z
  .string()
  .trim()
  .default("")
  .transform((v, ctx): false | number | string[] => {
    if (v === "") return false;
    if (/^\d+$/.test(v)) return Number(v);
    const entries = v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = entries.filter((e) => !PROXY_PRESETS.has(e) && !isProxyAddress(e));
    if (bad.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `not a hop count, address, CIDR range or ${[...PROXY_PRESETS].join("/")}: ${bad.join(", ")}`,
      });
      return z.NEVER;
    }
    return entries;
  });

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(2567),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: optionalUrl(["postgres://", "postgresql://"]),
  /**
   * PostgreSQL connections per process. Every join loads a character in one transaction, so a
   * burst of joins waits on this pool (a full pool refuses after 5 s).
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Where the embedded PGlite (no DATABASE_URL) runs its WASM Postgres, which blocks the thread
   * that calls it: a worker thread, or this one (main).
   */
  PGLITE_THREAD: z.enum(["worker", "main"]).default("worker"),
  REDIS_URL: optionalUrl(["redis://", "rediss://"]),
  NATS_URL: optionalUrl(["nats://", "tls://"]),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ADMIN_USER: z.string().min(1).optional(),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  PUBLIC_ADDRESS: z.string().min(1).optional(),
  /**
   * What carries the game's WebSockets: `ws` (Node's HTTP server, one port) or `uws`
   * (uWebSockets.js on WS_PORT beside the HTTP port, which keeps REST and matchmaking). uWS does
   * a socket's framing and writes in C++: at 10 Hz patches a full zone process spends about half
   * its time in `ws`'s per-socket work (issue 13).
   */
  WS_TRANSPORT: z.enum(["ws", "uws"]).default("ws"),
  /** The uWS game-socket port (WS_TRANSPORT=uws); unset: PORT + 1, or any free port when PORT is 0. */
  WS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * `host:port` clients use to reach the uWS game sockets of this process; unset: the host of
   * PUBLIC_ADDRESS (or localhost) with WS_PORT.
   */
  PUBLIC_WS_ADDRESS: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  TRUST_PROXY: trustProxy,
  MAX_CHARACTERS_PER_ACCOUNT: z.coerce.number().int().min(1).max(100).default(8),
  ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SEC: z.coerce
    .number()
    .int()
    .min(60)
    .max(90 * 86_400)
    .default(30 * 86_400),
  /** Seconds a character stays locked after its process died without releasing it. */
  CHARACTER_LOCK_TTL_SEC: z.coerce.number().int().min(3).max(600).default(30),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Days before unclaimed mail attachments go back to the sender (fractions allowed). */
  MAIL_RETURN_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** How often each process looks for mail due back to its sender, in ms. */
  MAIL_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  /** How long an economy operation may look for its characters (locks, rooms), in ms. */
  ECONOMY_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(8_000),
  /** How often leaderboards pick up changed rows from the database, in ms. */
  LEADERBOARD_REFRESH_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /**
   * State patches per second in zone and instance rooms (the simulation runs at 20 Hz whatever
   * this is). 10 (the default since issue 13) halves what encoding and sending patches cost, and
   * a full process spends most of its time on one socket write per client per patch; clients
   * extrapolate positions (dead reckoning) between patches, and an input is echoed up to one
   * patch (50 ms) later than at 20.
   */
  ZONE_PATCH_HZ: z.coerce.number().int().min(1).max(20).default(10),
  /**
   * Players per zone channel before joins open another channel, for every open-world zone;
   * unset: each zone's maxPlayers. A channel seats a tenth more (at least one) for party and
   * guild mates (src/game/world/channel-placement.ts).
   */
  ZONE_CHANNEL_CAPACITY: z.coerce.number().int().min(1).max(5000).optional(),
  /** Scheduled world events (content/events.json) run; off: only operators start them (tests). */
  WORLD_EVENT_SCHEDULE: z.enum(["on", "off"]).default("on"),
  /** OTLP/HTTP collector base URL (spans go to <url>/v1/traces); unset: tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(["http://", "https://"]),
  OTEL_SERVICE_NAME: z.string().trim().min(1).default("mmo-server"),
  /** Fraction of new traces kept (a request carrying a sampled `traceparent` is always kept). */
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  /** A room traces one tick in this many (100 at 20 Hz: one every 5 s per room). */
  TRACE_TICK_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(100),
});

export type Config = Readonly<z.output<typeof envSchema>>;

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Parses an environment into a frozen config; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`),
    );
  }
  const config = result.data;
  if ((config.ADMIN_USER === undefined) !== (config.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(["ADMIN_USER and ADMIN_PASSWORD: set both or neither"]);
  }
  return Object.freeze({
    ...config,
    CORS_ORIGINS: Object.freeze([...config.CORS_ORIGINS]),
    TRUST_PROXY: Array.isArray(config.TRUST_PROXY)
      ? Object.freeze([...config.TRUST_PROXY])
      : config.TRUST_PROXY,
  }) as Config;
}

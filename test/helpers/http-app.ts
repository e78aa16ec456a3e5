import type { Express } from "express";
import supertest from "supertest";
import type { Cache } from "../../src/cache/cache.ts";
import { createMemoryCache } from "../../src/cache/memory-cache.ts";
import type { NewCharacterRules } from "../../src/characters/characters.service.ts";
import { loadConfig } from "../../src/config.ts";
import type { Database } from "../../src/db/database.ts";
import { createLocalEventBus } from "../../src/events/event-bus.ts";
import type { RateLimit } from "../../src/http/rate-limiter.ts";
import { createLogger } from "../../src/logger.ts";
import { buildHttpApp } from "../../src/server.ts";

export const TEST_RULES: NewCharacterRules = {
  races: ["human", "elf", "orc"],
  jobs: ["warrior", "mage", "ranger"],
  maxPerAccount: 3,
  start: { zone: "town", x: 100, y: 120 },
  startingVitals: () => ({ hp: 120, mp: 40 }),
};

const GENEROUS: RateLimit = { max: 10_000, windowMs: 60_000 };

export function createTestApp(
  db: Database,
  options: {
    limits?: { authPerIp?: RateLimit; loginPerAccount?: RateLimit };
    env?: Record<string, string>;
    cache?: Cache;
  } = {},
): Express {
  const config = loadConfig({
    DATA_DIR: ":memory:",
    JWT_SECRET: "test-secret-test-secret-test-secret-0123",
    LOG_LEVEL: "silent",
    ...options.env,
  });
  return buildHttpApp({
    config,
    logger: createLogger("silent"),
    characterRules: TEST_RULES,
    limits: { authPerIp: GENEROUS, loginPerAccount: GENEROUS, ...options.limits },
    db,
    events: createLocalEventBus(),
    cache: options.cache ?? createMemoryCache(),
  }).app;
}

let counter = 0;
/** A unique, valid email and password for one test account. */
export function newCredentials() {
  counter += 1;
  return {
    email: `player${counter}.${process.pid}.${Date.now()}@example.com`,
    password: "correct horse battery",
  };
}

/** Registers a fresh account and returns its session and credentials. */
export async function registerAccount(app: Express | string) {
  const credentials = newCredentials();
  const res = await supertest(app).post("/v1/auth/register").send(credentials).expect(201);
  return {
    ...credentials,
    accountId: res.body.accountId as string,
    accessToken: res.body.accessToken as string,
    refreshToken: res.body.refreshToken as string,
  };
}

import assert from "node:assert/strict";
import type { Express } from "express";
import supertest from "supertest";
import { createLoginSlowdown } from "../../src/accounts/login-slowdown.ts";
import { createMemoryCache } from "../../src/cache/memory-cache.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { createLocalEventBus } from "../../src/events/event-bus.ts";
import { createLogger } from "../../src/logger.ts";
import { buildHttpApp } from "../../src/server.ts";
import { DATABASE_TARGETS, openTestDatabase } from "../helpers/databases.ts";
import { createTestApp, newCredentials, registerAccount, TEST_RULES } from "../helpers/http-app.ts";

/**
 * Issue 14: trusted proxies come from TRUST_PROXY (none by default), and failed logins are
 * counted per account and source, so a stranger cannot lock an owner out.
 */
describe("login limits", () => {
  let close: () => Promise<void>;
  let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

  before(async () => {
    const opened = await openTestDatabase(DATABASE_TARGETS[0]!);
    db = opened.db;
    close = opened.close;
  });
  after(async () => close?.());

  const login = (app: Express, body: { email: string; password: string }, from?: string) => {
    const req = supertest(app).post("/v1/auth/login");
    if (from) void req.set("X-Forwarded-For", from);
    return req.send(body);
  };

  it("keeps the per-IP login limit when a client rotates X-Forwarded-For under the default config", async () => {
    const app = createTestApp(db, { limits: { authPerIp: { max: 5, windowMs: 60_000 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const res = await login(app, newCredentials(), `10.0.${i}.${i + 1}`);
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
  });

  it("believes X-Forwarded-For only from the proxies TRUST_PROXY names", async () => {
    const app = createTestApp(db, {
      env: { TRUST_PROXY: "loopback" },
      limits: { authPerIp: { max: 5, windowMs: 60_000 } },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      statuses.push((await login(app, newCredentials(), `203.0.113.${i + 1}`)).status);
    }
    // Each attempt came through the trusted proxy from a different client address.
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 401]);
  });

  it("lets the owner in from another source while a stranger is refused on its email", async () => {
    const app = createTestApp(db, {
      env: { TRUST_PROXY: "loopback" },
      limits: { loginPerAccount: { max: 3, windowMs: 60_000 } },
    });
    const owner = await registerAccount(app);
    const credentials = { email: owner.email, password: owner.password };
    const stranger = "203.0.113.66";
    const strangerStatuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await login(app, { email: owner.email, password: `guess number ${i}` }, stranger);
      strangerStatuses.push(res.status);
    }
    assert.deepEqual(strangerStatuses, [401, 401, 401, 429, 429, 429]);
    // Even the right password is refused from the stranger's source for the rest of the window.
    const refused = await login(app, credentials, stranger);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, "RATE_LIMITED");
    assert.ok(Number(refused.headers["retry-after"]) >= 1);

    const fromHome = await login(app, credentials, "198.51.100.7");
    assert.equal(fromHome.status, 200, JSON.stringify(fromHome.body));
    assert.equal(fromHome.body.accountId, owner.accountId);
  });

  it("slows down, never refuses, logins on an account failed from many sources", async () => {
    const generous = { max: 10_000, windowMs: 60_000 };
    const { app } = buildHttpApp({
      config: loadConfig({
        DATA_DIR: ":memory:",
        JWT_SECRET: "test-secret-test-secret-test-secret-0123",
        TRUST_PROXY: "loopback",
      }),
      logger: createLogger("silent"),
      characterRules: TEST_RULES,
      limits: {
        authPerIp: generous,
        loginPerAccount: { max: 2, windowMs: 60_000 },
        loginSlowdown: { freeFailures: 3, windowMs: 60_000, stepMs: 400, maxDelayMs: 800 },
      },
      db,
      events: createLocalEventBus(),
      cache: createMemoryCache(),
    });
    const owner = await registerAccount(app);
    const credentials = { email: owner.email, password: owner.password };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await login(
        app,
        { email: owner.email, password: `guess ${i}!` },
        `203.0.113.${i}`,
      );
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401], "each source stays under its limit");
    const started = Date.now();
    const res = await login(app, credentials, "198.51.100.7");
    const tookMs = Date.now() - started;
    assert.equal(res.status, 200, "the owner still gets in");
    assert.ok(tookMs >= 800, `the owner's login waited ${tookMs} ms (2 failures over, capped)`);
  });

  it("still refuses one source that keeps failing on one account under the default config", async () => {
    const app = createTestApp(db, { limits: { loginPerAccount: { max: 3, windowMs: 60_000 } } });
    const owner = await registerAccount(app);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await login(app, { email: owner.email, password: `nope ${i} nope` })).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429]);
  });
});

describe("TRUST_PROXY", () => {
  it("trusts no proxy when unset or empty", () => {
    assert.equal(loadConfig({}).TRUST_PROXY, false);
    assert.equal(loadConfig({ TRUST_PROXY: " " }).TRUST_PROXY, false);
  });

  it("parses a hop count, or addresses, CIDR ranges and presets", () => {
    assert.equal(loadConfig({ TRUST_PROXY: "2" }).TRUST_PROXY, 2);
    assert.deepEqual(loadConfig({ TRUST_PROXY: "10.0.0.0/8, loopback,::1" }).TRUST_PROXY, [
      "10.0.0.0/8",
      "loopback",
      "::1",
    ]);
  });

  it("names the entries it cannot read", () => {
    assert.throws(
      () => loadConfig({ TRUST_PROXY: "loopback, everyone, 10.0.0.0/8/1" }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((p) => p.startsWith("TRUST_PROXY:") && p.includes("everyone")),
    );
  });
});

describe("login slowdown", () => {
  it("adds a step per failure past the free ones, capped, and forgets on success or expiry", () => {
    let t = 0;
    const slowdown = createLoginSlowdown(
      { freeFailures: 2, windowMs: 1000, stepMs: 100, maxDelayMs: 250 },
      () => t,
    );
    const delays: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      delays.push(slowdown.delayMs("a@x"));
      slowdown.failed("a@x");
    }
    assert.deepEqual(delays, [0, 0, 0, 100, 200, 250]);
    assert.equal(slowdown.delayMs("b@x"), 0, "per account");
    slowdown.succeeded("a@x");
    assert.equal(slowdown.delayMs("a@x"), 0);
    for (let i = 0; i < 4; i += 1) slowdown.failed("a@x");
    assert.equal(slowdown.delayMs("a@x"), 200);
    t += 1001;
    assert.equal(slowdown.delayMs("a@x"), 0, "the window passed");
  });
});

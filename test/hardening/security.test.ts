import assert from "node:assert/strict";
import { createSecretKey, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { JWT_AUDIENCE, JWT_ISSUER } from "../../src/accounts/tokens.ts";
import { loadConfig } from "../../src/config.ts";
import { loadGameData } from "../../src/content/load-game-data.ts";
import { createLogger } from "../../src/logger.ts";
import { startServer, type RunningServer } from "../../src/server.ts";
import { freshPgliteDir } from "../helpers/databases.ts";

/**
 * OWASP API Security Top 10 checks against the whole running server, in one readable place:
 * broken object level authorization, mass assignment, brute force, broken authentication (JWT),
 * refresh token reuse, unrestricted resource consumption, and the operator surface.
 */

const SECRET = "security-secret-security-secret-0123456789";
const ADMIN = { user: "ops", password: "ops-password-123" };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("hardening: OWASP API security checks", function () {
  this.timeout(30_000);
  let server: RunningServer;
  let url: string;
  let n = 0;

  before(async () => {
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      // A copy of an initialised empty PGlite: no initdb here (test/helpers/databases.ts).
      DATA_DIR: await freshPgliteDir(),
      JWT_SECRET: SECRET,
      ADMIN_USER: ADMIN.user,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    });
    server = await startServer({
      config,
      logger: createLogger(config.LOG_LEVEL),
      data: await loadGameData(),
      // Production per-IP limits; a tighter per-account login limit so the test stays short.
      limits: { loginPerAccount: { max: 5, windowMs: 60_000 } },
    });
    url = server.url;
  });
  after(async () => server?.stop());

  async function api(
    method: string,
    path: string,
    options: {
      token?: string;
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
    } = {},
  ) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body =
      options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json: json as Record<string, never>, text };
  }

  async function account() {
    n += 1;
    const email = `sec${n}.${process.pid}.${Date.now()}@example.com`;
    const password = "correct horse battery";
    const res = await api("POST", "/v1/auth/register", { body: { email, password } });
    assert.equal(res.status, 201, res.text);
    const session = res.json as unknown as {
      accessToken: string;
      refreshToken: string;
      accountId: string;
    };
    return { email, password, ...session };
  }

  async function character(token: string) {
    const res = await api("POST", "/v1/characters", {
      token,
      body: { name: `Sec${process.pid % 1000}_${n}`, race: "human", job: "warrior" },
    });
    assert.equal(res.status, 201, res.text);
    return (res.json as unknown as { id: string }).id;
  }

  const errorCode = (res: { json: Record<string, never> }) =>
    (res.json as { error?: { code?: string } } | undefined)?.error?.code;

  describe("API1 broken object level authorization", () => {
    it("answers 404 for every route on another account's character, and changes nothing", async () => {
      const owner = await account();
      const id = await character(owner.accessToken);
      const intruder = await account();
      const t = intruder.accessToken;
      const attempts = [
        await api("GET", `/v1/characters/${id}`, { token: t }),
        await api("GET", `/v1/characters/${id}/stats`, { token: t }),
        await api("GET", `/v1/characters/${id}/inventory`, { token: t }),
        await api("GET", `/v1/characters/${id}/quests`, { token: t }),
        await api("POST", `/v1/characters/${id}/equip`, { token: t, body: { fromSlot: 0 } }),
        await api("POST", `/v1/characters/${id}/unequip`, { token: t, body: { slot: "head" } }),
        await api("POST", "/v1/world/join", { token: t, body: { characterId: id } }),
        await api("DELETE", `/v1/characters/${id}`, { token: t }),
      ];
      for (const res of attempts) {
        assert.equal(res.status, 404, res.text);
        assert.equal(errorCode(res), "CHARACTER_NOT_FOUND");
        assert.ok(!res.text.includes(owner.accountId), "never leaks the owner");
      }
      const list = await api("GET", "/v1/characters", { token: t });
      assert.deepEqual(list.json, { characters: [] });
      assert.equal(
        (await api("GET", `/v1/characters/${id}`, { token: owner.accessToken })).status,
        200,
      );
    });

    it("answers an unknown and a malformed id the same way (no existence oracle)", async () => {
      const me = await account();
      for (const id of [randomUUID(), "not-a-uuid", "..%2F..%2Fadmin"]) {
        const res = await api("GET", `/v1/characters/${id}/stats`, { token: me.accessToken });
        assert.equal(res.status, 404);
        assert.equal(errorCode(res), "CHARACTER_NOT_FOUND");
      }
    });
  });

  describe("API3 mass assignment", () => {
    it("refuses level, gold, xp, id or accountId in a new character with 400 and creates nothing", async () => {
      const me = await account();
      const other = await account();
      const base = { name: `Mass${process.pid % 1000}`, race: "human", job: "warrior" };
      const forged = [
        { level: 99 },
        { gold: 1_000_000 },
        { xp: 1e9 },
        { id: randomUUID() },
        { accountId: other.accountId },
        { hp: 99999, zone: "dungeon" },
        { stats: { str: 999 } },
      ];
      for (const extra of forged) {
        const res = await api("POST", "/v1/characters", {
          token: me.accessToken,
          body: { ...base, ...extra },
        });
        assert.equal(res.status, 400, `${JSON.stringify(extra)}: ${res.text}`);
        assert.equal(errorCode(res), "VALIDATION_FAILED");
      }
      for (const who of [me, other]) {
        const list = await api("GET", "/v1/characters", { token: who.accessToken });
        assert.deepEqual(list.json, { characters: [] }, "nothing was created");
      }
    });
  });

  describe("API4 brute force and resource consumption", () => {
    it("answers 429 with Retry-After after repeated failed logins, even with the right password", async () => {
      const victim = await account();
      const statuses: number[] = [];
      let limited: Awaited<ReturnType<typeof api>> | undefined;
      for (let i = 0; i < 10 && !limited; i++) {
        const res = await api("POST", "/v1/auth/login", {
          body: { email: victim.email, password: `wrong guess ${i}` },
        });
        statuses.push(res.status);
        if (res.status === 429) limited = res;
      }
      assert.ok(limited, `never limited: ${statuses.join(",")}`);
      assert.ok(
        statuses.slice(0, -1).every((s) => s === 401),
        statuses.join(","),
      );
      const retryAfter = Number(limited.headers.get("retry-after"));
      assert.ok(retryAfter >= 1, `Retry-After ${limited.headers.get("retry-after")}`);
      assert.equal(errorCode(limited), "RATE_LIMITED");
      const right = await api("POST", "/v1/auth/login", {
        body: { email: victim.email, password: victim.password },
      });
      assert.equal(right.status, 429, "the account stays locked for the window");
    });

    it("answers 413 to bodies over 16 KiB on every POST route", async () => {
      const me = await account();
      const id = await character(me.accessToken);
      const huge = JSON.stringify({ name: "x".repeat(17 * 1024) });
      for (const path of [
        "/v1/auth/register",
        "/v1/auth/login",
        "/v1/auth/refresh",
        "/v1/characters",
        `/v1/characters/${id}/equip`,
        "/v1/world/join",
      ]) {
        const res = await api("POST", path, { token: me.accessToken, raw: huge });
        assert.equal(res.status, 413, `${path}: ${res.text}`);
        assert.equal(errorCode(res), "PAYLOAD_TOO_LARGE");
      }
    });
  });

  describe("API2 broken authentication", () => {
    const key = (secret: string) => createSecretKey(Buffer.from(secret));
    const sign = (claims: {
      secret?: string;
      iss?: string;
      aud?: string;
      exp?: number;
      sub?: string;
    }) =>
      new SignJWT({})
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(claims.sub ?? randomUUID())
        .setIssuer(claims.iss ?? JWT_ISSUER)
        .setAudience(claims.aud ?? JWT_AUDIENCE)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
        .setJti(randomUUID())
        .sign(key(claims.secret ?? SECRET));

    it("accepts a correctly signed token (control)", async () => {
      const me = await account();
      const res = await api("GET", "/v1/characters", { token: await sign({ sub: me.accountId }) });
      assert.equal(res.status, 200);
    });

    it("answers 401 to alg none, a wrong key, an expired token, a wrong issuer or audience", async () => {
      const me = await account();
      const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        sub: me.accountId,
        iss: JWT_ISSUER,
        aud: JWT_AUDIENCE,
        iat: now,
        exp: now + 600,
        jti: randomUUID(),
      };
      const cases: [string, string][] = [
        ["alg none", `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`],
        ["alg None", `${b64({ alg: "None" })}.${b64(payload)}.`],
        [
          "wrong key",
          await sign({ sub: me.accountId, secret: "another-secret-another-secret-0123456789" }),
        ],
        ["expired", await sign({ sub: me.accountId, exp: now - 60 })],
        ["wrong issuer", await sign({ sub: me.accountId, iss: "evil" })],
        ["wrong audience", await sign({ sub: me.accountId, aud: "evil" })],
        ["garbage", "a.b.c"],
      ];
      for (const [what, token] of cases) {
        for (const path of ["/v1/characters", `/v1/characters/${randomUUID()}/stats`]) {
          const res = await api("GET", path, { token });
          assert.equal(res.status, 401, `${what} on ${path}: ${res.text}`);
          assert.match(errorCode(res) ?? "", /^(INVALID_TOKEN|UNAUTHORIZED)$/, what);
        }
      }
      const join = await api("POST", "/v1/world/join", {
        token: cases[0]![1],
        body: { characterId: randomUUID() },
      });
      assert.equal(join.status, 401);
      assert.equal((await api("GET", "/v1/characters")).status, 401, "no token at all");
    });

    it("revokes the whole family when a rotated refresh token is reused", async () => {
      const me = await account();
      const first = await api("POST", "/v1/auth/refresh", {
        body: { refreshToken: me.refreshToken },
      });
      assert.equal(first.status, 200, first.text);
      const successor = (first.json as unknown as { refreshToken: string }).refreshToken;
      assert.notEqual(successor, me.refreshToken, "rotated");

      const replay = await api("POST", "/v1/auth/refresh", {
        body: { refreshToken: me.refreshToken },
      });
      assert.equal(replay.status, 401, "the rotated token is refused");
      const afterReplay = await api("POST", "/v1/auth/refresh", {
        body: { refreshToken: successor },
      });
      assert.equal(afterReplay.status, 401, "and its successor was revoked with the family");
      // Logging in again starts a new family that works.
      const login = await api("POST", "/v1/auth/login", {
        body: { email: me.email, password: me.password },
      });
      assert.equal(login.status, 200);
      const fresh = (login.json as unknown as { refreshToken: string }).refreshToken;
      assert.equal(
        (await api("POST", "/v1/auth/refresh", { body: { refreshToken: fresh } })).status,
        200,
      );
    });
  });

  describe("API5 function level authorization: the operator surface", () => {
    const paths = ["/metrics", "/admin/monitor/", "/admin/api/rooms", "/admin/monitor/api"];

    it("answers 401 without credentials", async () => {
      for (const path of paths) {
        const res = await api("GET", path);
        assert.equal(res.status, 401, `${path}: ${res.status}`);
        assert.match(res.headers.get("www-authenticate") ?? "", /^Basic/);
      }
    });

    it("answers 401 with wrong credentials or a player's bearer token", async () => {
      const me = await account();
      const wrong = [
        basic(ADMIN.user, "wrong"),
        basic("root", ADMIN.password),
        basic("", ""),
        `Bearer ${me.accessToken}`,
      ];
      for (const path of paths) {
        for (const authorization of wrong) {
          const res = await api("GET", path, { headers: { authorization } });
          assert.equal(
            res.status,
            401,
            `${path} with ${authorization.slice(0, 12)}: ${res.status}`,
          );
        }
      }
      const post = await api("POST", "/admin/api/announcements", {
        headers: { authorization: basic(ADMIN.user, "wrong") },
        body: { message: "hi" },
      });
      assert.equal(post.status, 401);
    });

    it("serves them with the right credentials (control)", async () => {
      const res = await api("GET", "/metrics", {
        headers: { authorization: basic(ADMIN.user, ADMIN.password) },
      });
      assert.equal(res.status, 200);
      assert.match(res.text, /mmo_ccu/);
    });
  });
});

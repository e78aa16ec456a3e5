import assert from "node:assert/strict";
import type { Express } from "express";
import supertest from "supertest";
import { DATABASE_TARGETS, openTestDatabase, skipUnlessAvailable } from "../helpers/databases.ts";
import { createTestApp, newCredentials, registerAccount } from "../helpers/http-app.ts";

for (const target of DATABASE_TARGETS) {
  describe(`auth routes on ${target.name}`, function () {
    let app: Express;
    let close: () => Promise<void>;
    let db: Awaited<ReturnType<typeof openTestDatabase>>["db"];

    before(async function () {
      await skipUnlessAvailable(this, target);
      const opened = await openTestDatabase(target);
      db = opened.db;
      close = opened.close;
      app = createTestApp(db);
    });
    after(async () => close?.());

    describe("POST /v1/auth/register", () => {
      it("creates an account and returns a session when the body is valid", async () => {
        const creds = newCredentials();
        const res = await supertest(app).post("/v1/auth/register").send(creds).expect(201);
        assert.match(res.body.accountId, /^[0-9a-f-]{36}$/);
        assert.equal(res.body.expiresIn, 900);
        assert.equal(res.body.accessToken.split(".").length, 3);
        assert.ok(res.body.refreshToken.length >= 32);
        const stored = await db.prisma.account.findUnique({ where: { id: res.body.accountId } });
        assert.equal(stored?.email, creds.email.toLowerCase());
        assert.match(stored!.passwordHash, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      });

      it("refuses a second account when the email differs only in case", async () => {
        const creds = newCredentials();
        await supertest(app).post("/v1/auth/register").send(creds).expect(201);
        const res = await supertest(app)
          .post("/v1/auth/register")
          .send({ ...creds, email: creds.email.toUpperCase() })
          .expect(409);
        assert.equal(res.body.error.code, "EMAIL_TAKEN");
      });

      it("names the field when the email is invalid", async () => {
        const res = await supertest(app)
          .post("/v1/auth/register")
          .send({ email: "not-an-email", password: "long enough pw" })
          .expect(400);
        assert.equal(res.body.error.code, "VALIDATION_FAILED");
        assert.deepEqual(
          res.body.error.details.map((d: { path: string }) => d.path),
          ["email"],
        );
      });

      it("names the field when the password is too short", async () => {
        const res = await supertest(app)
          .post("/v1/auth/register")
          .send({ email: newCredentials().email, password: "short" })
          .expect(400);
        assert.equal(res.body.error.details[0].path, "password");
      });

      it("rejects unknown fields when a client tries mass assignment", async () => {
        const res = await supertest(app)
          .post("/v1/auth/register")
          .send({ ...newCredentials(), isAdmin: true })
          .expect(400);
        assert.equal(res.body.error.code, "VALIDATION_FAILED");
      });

      it("answers 400 INVALID_JSON when the body is not JSON", async () => {
        const res = await supertest(app)
          .post("/v1/auth/register")
          .set("Content-Type", "application/json")
          .send('{"email": "x@y.z", ')
          .expect(400);
        assert.equal(res.body.error.code, "INVALID_JSON");
      });

      it("answers 413 when the body exceeds 16 KiB", async () => {
        const res = await supertest(app)
          .post("/v1/auth/register")
          .send({ email: "a@b.cd", password: "x".repeat(17 * 1024) })
          .expect(413);
        assert.equal(res.body.error.code, "PAYLOAD_TOO_LARGE");
      });

      it("answers 415 when the body is not declared as JSON", async () => {
        const res = await supertest(app)
          .post("/v1/auth/register")
          .set("Content-Type", "text/plain")
          .send("email=a@b.cd")
          .expect(415);
        assert.equal(res.body.error.code, "UNSUPPORTED_MEDIA_TYPE");
      });
    });

    describe("POST /v1/auth/login", () => {
      it("returns a session when the password is right, whatever the email case", async () => {
        const account = await registerAccount(app);
        const res = await supertest(app)
          .post("/v1/auth/login")
          .send({ email: account.email.toUpperCase(), password: account.password })
          .expect(200);
        assert.equal(res.body.accountId, account.accountId);
        const stored = await db.prisma.account.findUnique({ where: { id: account.accountId } });
        assert.ok(stored?.lastLoginAt instanceof Date);
      });

      it("gives the same answer when the email is unknown as when the password is wrong", async () => {
        const account = await registerAccount(app);
        const wrong = await supertest(app)
          .post("/v1/auth/login")
          .send({ email: account.email, password: "wrong password!" })
          .expect(401);
        const unknown = await supertest(app)
          .post("/v1/auth/login")
          .send({ email: `nobody.${account.email}`, password: "wrong password!" })
          .expect(401);
        assert.deepEqual(wrong.body, unknown.body);
        assert.equal(wrong.body.error.code, "INVALID_CREDENTIALS");
      });
    });

    describe("POST /v1/auth/refresh", () => {
      it("rotates the token when it is presented once", async () => {
        const account = await registerAccount(app);
        const res = await supertest(app)
          .post("/v1/auth/refresh")
          .send({ refreshToken: account.refreshToken })
          .expect(200);
        assert.equal(res.body.accountId, account.accountId);
        assert.notEqual(res.body.refreshToken, account.refreshToken);
        assert.notEqual(res.body.accessToken, account.accessToken);
      });

      it("revokes the whole family when a rotated token is reused", async () => {
        const account = await registerAccount(app);
        const rotated = await supertest(app)
          .post("/v1/auth/refresh")
          .send({ refreshToken: account.refreshToken })
          .expect(200);
        const reuse = await supertest(app)
          .post("/v1/auth/refresh")
          .send({ refreshToken: account.refreshToken })
          .expect(401);
        assert.equal(reuse.body.error.code, "INVALID_TOKEN");
        await supertest(app)
          .post("/v1/auth/refresh")
          .send({ refreshToken: rotated.body.refreshToken })
          .expect(401);
      });

      it("refuses an unknown token", async () => {
        await supertest(app)
          .post("/v1/auth/refresh")
          .send({ refreshToken: "a".repeat(43) })
          .expect(401);
      });

      it("refuses an expired token", async () => {
        const account = await registerAccount(app);
        await db.prisma.refreshToken.updateMany({
          where: { accountId: account.accountId },
          data: { expiresAt: new Date(Date.now() - 1000) },
        });
        await supertest(app)
          .post("/v1/auth/refresh")
          .send({ refreshToken: account.refreshToken })
          .expect(401);
      });
    });

    describe("POST /v1/auth/logout", () => {
      it("revokes the refresh token so it cannot be refreshed afterwards", async () => {
        const account = await registerAccount(app);
        await supertest(app)
          .post("/v1/auth/logout")
          .send({ refreshToken: account.refreshToken })
          .expect(204);
        await supertest(app)
          .post("/v1/auth/refresh")
          .send({ refreshToken: account.refreshToken })
          .expect(401);
      });

      it("answers 400 when the token is missing", async () => {
        const res = await supertest(app).post("/v1/auth/logout").send({}).expect(400);
        assert.equal(res.body.error.details[0].path, "refreshToken");
      });
    });
  });
}

describe("auth rate limits", () => {
  let app: Express;
  let close: () => Promise<void>;

  before(async () => {
    const opened = await openTestDatabase(DATABASE_TARGETS[0]!);
    close = opened.close;
    app = createTestApp(opened.db, {
      limits: {
        authPerIp: { max: 6, windowMs: 60_000 },
        loginPerAccount: { max: 3, windowMs: 60_000 },
      },
    });
  });
  after(async () => close?.());

  it("answers 429 with Retry-After when one account gets too many login attempts", async () => {
    const account = await registerAccount(app);
    for (let i = 0; i < 3; i += 1) {
      await supertest(app)
        .post("/v1/auth/login")
        .send({ email: account.email, password: "wrong password!" })
        .expect(401);
    }
    const res = await supertest(app)
      .post("/v1/auth/login")
      .send({ email: account.email, password: account.password })
      .expect(429);
    assert.equal(res.body.error.code, "RATE_LIMITED");
    const retryAfter = Number(res.headers["retry-after"]);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  });

  it("answers 429 when one IP registers too often", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      statuses.push((await supertest(app).post("/v1/auth/register").send(newCredentials())).status);
    }
    assert.equal(statuses.at(-1), 429);
    assert.ok(statuses.slice(0, 5).every((s) => s === 201));
  });
});

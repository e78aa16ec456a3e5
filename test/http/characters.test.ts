import assert from "node:assert/strict";
import type { Express } from "express";
import { SignJWT, UnsecuredJWT } from "jose";
import supertest from "supertest";
import { JWT_AUDIENCE, JWT_ISSUER } from "../../src/accounts/tokens.ts";
import { DATABASE_TARGETS, openTestDatabase, skipUnlessAvailable } from "../helpers/databases.ts";
import { createTestApp, registerAccount } from "../helpers/http-app.ts";

const TEST_SECRET = new TextEncoder().encode("test-secret-test-secret-test-secret-0123");
let nameSeq = 0;
const uniqueName = (prefix = "Hero") => `${prefix}${process.pid % 1000}_${(nameSeq += 1)}`;

for (const target of DATABASE_TARGETS) {
  describe(`character routes on ${target.name}`, function () {
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

    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

    function createCharacter(token: string, name = uniqueName()) {
      return supertest(app)
        .post("/v1/characters")
        .set(auth(token))
        .send({ name, race: "elf", job: "mage" });
    }

    describe("authentication", () => {
      it("answers 401 when no token is sent", async () => {
        const res = await supertest(app).get("/v1/characters").expect(401);
        assert.equal(res.body.error.code, "UNAUTHORIZED");
      });

      it("answers 401 when the token is signed with another key", async () => {
        const account = await registerAccount(app);
        const forged = await new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(account.accountId)
          .setIssuer(JWT_ISSUER)
          .setAudience(JWT_AUDIENCE)
          .setIssuedAt()
          .setJti("x")
          .setExpirationTime("5m")
          .sign(new TextEncoder().encode("another-secret-another-secret-another"));
        const res = await supertest(app).get("/v1/characters").set(auth(forged)).expect(401);
        assert.equal(res.body.error.code, "INVALID_TOKEN");
      });

      it("answers 401 when the token uses alg none", async () => {
        const account = await registerAccount(app);
        const unsigned = new UnsecuredJWT({})
          .setSubject(account.accountId)
          .setIssuer(JWT_ISSUER)
          .setAudience(JWT_AUDIENCE)
          .setIssuedAt()
          .setJti("x")
          .setExpirationTime("5m")
          .encode();
        await supertest(app).get("/v1/characters").set(auth(unsigned)).expect(401);
      });

      it("answers 401 when the token has expired", async () => {
        const account = await registerAccount(app);
        const expired = await new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(account.accountId)
          .setIssuer(JWT_ISSUER)
          .setAudience(JWT_AUDIENCE)
          .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
          .setJti("x")
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(TEST_SECRET);
        await supertest(app).get("/v1/characters").set(auth(expired)).expect(401);
      });

      it("answers 401 when the audience is wrong", async () => {
        const account = await registerAccount(app);
        const token = await new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(account.accountId)
          .setIssuer(JWT_ISSUER)
          .setAudience("someone-else")
          .setIssuedAt()
          .setJti("x")
          .setExpirationTime("5m")
          .sign(TEST_SECRET);
        await supertest(app).get("/v1/characters").set(auth(token)).expect(401);
      });
    });

    describe("POST /v1/characters", () => {
      it("creates a character at the start position when the body is valid", async () => {
        const account = await registerAccount(app);
        const name = uniqueName("Mage");
        const res = await createCharacter(account.accessToken, name).expect(201);
        assert.match(res.body.id, /^[0-9a-f-]{36}$/);
        assert.deepEqual(
          { ...res.body, id: undefined, createdAt: undefined, updatedAt: undefined },
          {
            id: undefined,
            name,
            race: "elf",
            job: "mage",
            level: 1,
            xp: 0,
            zone: "town",
            x: 100,
            y: 120,
            hp: 120,
            mp: 40,
            gold: 0,
            createdAt: undefined,
            updatedAt: undefined,
          },
        );
      });

      it("names the field when the name has forbidden characters", async () => {
        const account = await registerAccount(app);
        for (const name of ["ab", "x".repeat(17), "bad name", "émile", "drop;table"]) {
          const res = await supertest(app)
            .post("/v1/characters")
            .set(auth(account.accessToken))
            .send({ name, race: "elf", job: "mage" })
            .expect(400);
          assert.equal(res.body.error.details[0].path, "name", name);
        }
      });

      it("names the field when race or job is not in the content", async () => {
        const account = await registerAccount(app);
        const race = await supertest(app)
          .post("/v1/characters")
          .set(auth(account.accessToken))
          .send({ name: uniqueName(), race: "dragon", job: "mage" })
          .expect(400);
        assert.equal(race.body.error.details[0].path, "race");
        const job = await supertest(app)
          .post("/v1/characters")
          .set(auth(account.accessToken))
          .send({ name: uniqueName(), race: "elf", job: "bard" })
          .expect(400);
        assert.equal(job.body.error.details[0].path, "job");
      });

      it("ignores nothing silently when a client sends level or gold", async () => {
        const account = await registerAccount(app);
        const res = await supertest(app)
          .post("/v1/characters")
          .set(auth(account.accessToken))
          .send({ name: uniqueName(), race: "elf", job: "mage", level: 60, gold: 1e9 })
          .expect(400);
        assert.equal(res.body.error.code, "VALIDATION_FAILED");
        const list = await supertest(app).get("/v1/characters").set(auth(account.accessToken));
        assert.equal(list.body.characters.length, 0);
      });

      it("answers 409 when the name is taken in another case", async () => {
        const a = await registerAccount(app);
        const b = await registerAccount(app);
        const name = uniqueName("Twin");
        await createCharacter(a.accessToken, name).expect(201);
        const res = await createCharacter(b.accessToken, name.toUpperCase()).expect(409);
        assert.equal(res.body.error.code, "NAME_TAKEN");
      });

      it("answers 409 when the account already has the maximum, even under concurrency", async () => {
        const account = await registerAccount(app);
        const results = await Promise.all(
          Array.from({ length: 6 }, () => createCharacter(account.accessToken)),
        );
        const statuses = results.map((r) => r.status).sort();
        assert.deepEqual(statuses, [201, 201, 201, 409, 409, 409]);
        assert.equal(
          await db.prisma.character.count({ where: { accountId: account.accountId } }),
          3,
        );
      });
    });

    describe("reading and deleting", () => {
      it("lists only the caller's characters", async () => {
        const a = await registerAccount(app);
        const b = await registerAccount(app);
        const mine = await createCharacter(a.accessToken).expect(201);
        await createCharacter(b.accessToken).expect(201);
        const res = await supertest(app).get("/v1/characters").set(auth(a.accessToken)).expect(200);
        assert.deepEqual(
          res.body.characters.map((c: { id: string }) => c.id),
          [mine.body.id],
        );
      });

      it("shows a new or deleted character at once even though lists are cached", async () => {
        const a = await registerAccount(app);
        const list = async () =>
          (await supertest(app).get("/v1/characters").set(auth(a.accessToken)).expect(200)).body
            .characters as { id: string }[];
        assert.deepEqual(await list(), []);
        const created = await createCharacter(a.accessToken).expect(201);
        assert.deepEqual(
          (await list()).map((c) => c.id),
          [created.body.id],
        );
        await supertest(app)
          .delete(`/v1/characters/${created.body.id}`)
          .set(auth(a.accessToken))
          .expect(204);
        assert.deepEqual(await list(), []);
      });

      it("serves from the database when the cache fails", async () => {
        const broken = {
          get: async () => Promise.reject(new Error("cache down")),
          set: async () => Promise.reject(new Error("cache down")),
          delete: async () => Promise.reject(new Error("cache down")),
          close: async () => undefined,
        };
        const brokenApp = createTestApp(db, { cache: broken });
        const a = await registerAccount(brokenApp);
        const created = await supertest(brokenApp)
          .post("/v1/characters")
          .set(auth(a.accessToken))
          .send({ name: uniqueName("Cacheless"), race: "orc", job: "warrior" })
          .expect(201);
        const res = await supertest(brokenApp)
          .get("/v1/characters")
          .set(auth(a.accessToken))
          .expect(200);
        assert.deepEqual(
          res.body.characters.map((c: { id: string }) => c.id),
          [created.body.id],
        );
      });

      it("returns the caller's own character by id", async () => {
        const a = await registerAccount(app);
        const created = await createCharacter(a.accessToken).expect(201);
        const res = await supertest(app)
          .get(`/v1/characters/${created.body.id}`)
          .set(auth(a.accessToken))
          .expect(200);
        assert.deepEqual(res.body, created.body);
      });

      it("answers 404 without data when the character belongs to another account", async () => {
        const a = await registerAccount(app);
        const b = await registerAccount(app);
        const theirs = await createCharacter(b.accessToken).expect(201);
        const res = await supertest(app)
          .get(`/v1/characters/${theirs.body.id}`)
          .set(auth(a.accessToken))
          .expect(404);
        assert.deepEqual(Object.keys(res.body), ["error"]);
        assert.ok(!JSON.stringify(res.body).includes(theirs.body.name));
      });

      it("answers 404 when the id is not a uuid", async () => {
        const a = await registerAccount(app);
        const res = await supertest(app)
          .get("/v1/characters/not-a-uuid")
          .set(auth(a.accessToken))
          .expect(404);
        assert.equal(res.body.error.code, "CHARACTER_NOT_FOUND");
      });

      it("keeps another account's character when it is asked to delete it", async () => {
        const a = await registerAccount(app);
        const b = await registerAccount(app);
        const theirs = await createCharacter(b.accessToken).expect(201);
        await supertest(app)
          .delete(`/v1/characters/${theirs.body.id}`)
          .set(auth(a.accessToken))
          .expect(404);
        await supertest(app)
          .get(`/v1/characters/${theirs.body.id}`)
          .set(auth(b.accessToken))
          .expect(200);
      });

      it("deletes the caller's character", async () => {
        const a = await registerAccount(app);
        const mine = await createCharacter(a.accessToken).expect(201);
        await supertest(app)
          .delete(`/v1/characters/${mine.body.id}`)
          .set(auth(a.accessToken))
          .expect(204);
        await supertest(app)
          .get(`/v1/characters/${mine.body.id}`)
          .set(auth(a.accessToken))
          .expect(404);
      });
    });
  });
}

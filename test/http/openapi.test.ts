import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import supertest from "supertest";
import { DATABASE_TARGETS, openTestDatabase } from "../helpers/databases.ts";
import { createTestApp, newCredentials, registerAccount } from "../helpers/http-app.ts";
import { startTestGame, type TestGame } from "../helpers/game-server.ts";
import { socialScenarios } from "../social/openapi-scenarios.ts";
import { worldEventScenarios } from "../world-events/openapi-scenarios.ts";
import { arenaScenarios } from "../arena/openapi-scenarios.ts";
import { accountScenarios } from "../accounts/openapi-scenarios.ts";

type Operation = {
  requestBody?: { content: { "application/json": { schema: object } } };
  responses: Record<string, { content?: { "application/json": { schema: object } } }>;
};
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: object } };

/** A running server's base URL (the whole composition: every route is mounted). */
type Target = string;
const ADMIN = { ADMIN_USER: "docs", ADMIN_PASSWORD: "docs-admin-password" };

type Scenario = {
  status: number;
  run(app: Target): Promise<supertest.Response>;
};

/** One request per documented status we exercise; every documented operation needs a success. */
async function scenarios(
  app: Target,
  admin: (path: string, body: object) => Promise<void>,
): Promise<Record<string, Scenario[]>> {
  const account = await registerAccount(app);
  const bearer = { Authorization: `Bearer ${account.accessToken}` };
  const character = await supertest(app)
    .post("/v1/characters")
    .set(bearer)
    .send({ name: `Doc${process.pid % 10000}`, race: "human", job: "warrior" })
    .expect(201);
  const spare = await supertest(app)
    .post("/v1/characters")
    .set(bearer)
    .send({ name: `Spare${process.pid % 10000}`, race: "orc", job: "ranger" })
    .expect(201);
  const other = await registerAccount(app);
  const otherBearer = { Authorization: `Bearer ${other.accessToken}` };
  const doc = `/v1/characters/${character.body.id}`;
  const p = app;
  const otherCharacter = (
    await supertest(app)
      .post("/v1/characters")
      .set(otherBearer)
      .send({ name: `Wanderer${process.pid % 1000}`, race: "elf", job: "mage" })
      .expect(201)
  ).body.id as string;
  await admin(`/admin/api/players/${character.body.id}/items`, { itemId: "rusty_sword" }); // slot 0
  await admin(`/admin/api/players/${character.body.id}/items`, { itemId: "cloth_cap" }); // slot 1
  await supertest(app).post(`${doc}/equip`).set(bearer).send({ fromSlot: 1 }).expect(200); // head
  // Mail from the other account's character to this one: pills attached, and a plain letter.
  await admin(`/admin/api/players/${otherCharacter}/items`, {
    itemId: "minor_healing_pill",
    quantity: 3,
  });
  const otherMail = `/v1/characters/${otherCharacter}/mail`;
  const pills = (
    await supertest(app)
      .post(otherMail)
      .set(otherBearer)
      .send({ to: character.body.name, subject: "Pills", items: [{ slot: 0, qty: 2 }] })
      .expect(201)
  ).body.mailId as string;
  const letter = (
    await supertest(app)
      .post(otherMail)
      .set(otherBearer)
      .send({ to: character.body.name, subject: "Hello" })
      .expect(201)
  ).body.mailId as string;
  const nowhere = "00000000-0000-4000-8000-000000000000";
  // New characters reach the leaderboards within a refresh (1 s).
  await new Promise((resolve) => setTimeout(resolve, 1200));
  return {
    "post /v1/auth/register": [
      { status: 201, run: (a) => supertest(a).post("/v1/auth/register").send(newCredentials()) },
      { status: 400, run: (a) => supertest(a).post("/v1/auth/register").send({}) },
      {
        status: 409,
        run: (a) =>
          supertest(a)
            .post("/v1/auth/register")
            .send({ email: account.email, password: "whatever123" }),
      },
    ],
    "post /v1/auth/login": [
      {
        status: 200,
        run: (a) =>
          supertest(a)
            .post("/v1/auth/login")
            .send({ email: account.email, password: account.password }),
      },
      {
        status: 401,
        run: (a) =>
          supertest(a)
            .post("/v1/auth/login")
            .send({ email: account.email, password: "not it at all" }),
      },
    ],
    "post /v1/auth/refresh": [
      {
        status: 200,
        run: (a) =>
          supertest(a).post("/v1/auth/refresh").send({ refreshToken: other.refreshToken }),
      },
      {
        status: 401,
        run: (a) =>
          supertest(a)
            .post("/v1/auth/refresh")
            .send({ refreshToken: "z".repeat(40) }),
      },
    ],
    "post /v1/auth/logout": [
      {
        status: 204,
        run: (a) =>
          supertest(a).post("/v1/auth/logout").send({ refreshToken: account.refreshToken }),
      },
    ],
    "get /v1/characters": [
      { status: 200, run: (a) => supertest(a).get("/v1/characters").set(bearer) },
      { status: 401, run: (a) => supertest(a).get("/v1/characters") },
    ],
    "post /v1/characters": [
      {
        status: 201,
        run: (a) =>
          supertest(a)
            .post("/v1/characters")
            .set(bearer)
            .send({ name: `New${process.pid % 10000}`, race: "elf", job: "mage" }),
      },
      {
        status: 409,
        run: (a) =>
          supertest(a)
            .post("/v1/characters")
            .set(bearer)
            .send({ name: character.body.name, race: "elf", job: "mage" }),
      },
    ],
    "get /v1/characters/{id}": [
      {
        status: 200,
        run: (a) => supertest(a).get(`/v1/characters/${character.body.id}`).set(bearer),
      },
      {
        status: 404,
        run: (a) =>
          supertest(a)
            .get(`/v1/characters/${character.body.id}`)
            .set({ Authorization: `Bearer ${other.accessToken}` }),
      },
    ],
    "delete /v1/characters/{id}": [
      {
        status: 204,
        run: (a) => supertest(a).delete(`/v1/characters/${spare.body.id}`).set(bearer),
      },
      {
        status: 404,
        run: (a) => supertest(a).delete(`/v1/characters/${spare.body.id}`).set(bearer),
      },
    ],
    "get /v1/characters/{id}/stats": [
      { status: 200, run: () => supertest(p).get(`${doc}/stats`).set(bearer) },
      { status: 404, run: () => supertest(p).get(`${doc}/stats`).set(otherBearer) },
    ],
    "get /v1/characters/{id}/inventory": [
      { status: 200, run: () => supertest(p).get(`${doc}/inventory`).set(bearer) },
      { status: 401, run: () => supertest(p).get(`${doc}/inventory`) },
    ],
    "get /v1/characters/{id}/quests": [
      { status: 200, run: () => supertest(p).get(`${doc}/quests`).set(bearer) },
      { status: 404, run: () => supertest(p).get(`${doc}/quests`).set(otherBearer) },
    ],
    "post /v1/characters/{id}/equip": [
      {
        status: 409,
        run: () =>
          supertest(p).post(`${doc}/equip`).set(bearer).send({ fromSlot: 0, toSlot: "head" }),
      },
      {
        status: 200,
        run: () => supertest(p).post(`${doc}/equip`).set(bearer).send({ fromSlot: 0 }),
      },
      {
        status: 400,
        run: () => supertest(p).post(`${doc}/equip`).set(bearer).send({ fromSlot: "0" }),
      },
      {
        status: 404,
        run: () => supertest(p).post(`${doc}/equip`).set(bearer).send({ fromSlot: 9 }),
      },
    ],
    "post /v1/characters/{id}/unequip": [
      {
        status: 200,
        run: () => supertest(p).post(`${doc}/unequip`).set(bearer).send({ slot: "head" }),
      },
      {
        status: 404,
        run: () => supertest(p).post(`${doc}/unequip`).set(bearer).send({ slot: "head" }),
      },
    ],
    "get /v1/characters/{id}/mail": [
      { status: 200, run: () => supertest(p).get(`${doc}/mail`).set(bearer) },
      { status: 400, run: () => supertest(p).get(`${doc}/mail?limit=0`).set(bearer) },
      { status: 401, run: () => supertest(p).get(`${doc}/mail`) },
      { status: 404, run: () => supertest(p).get(`${doc}/mail`).set(otherBearer) },
    ],
    "post /v1/characters/{id}/mail": [
      {
        status: 201,
        run: () =>
          supertest(p)
            .post(otherMail)
            .set(otherBearer)
            .send({ to: character.body.name, subject: "Hi" }),
      },
      { status: 400, run: () => supertest(p).post(otherMail).set(otherBearer).send({}) },
      {
        status: 404,
        run: () =>
          supertest(p).post(otherMail).set(otherBearer).send({ to: "Nobody_At_All", subject: "x" }),
      },
      {
        status: 409,
        run: () =>
          supertest(p)
            .post(otherMail)
            .set(otherBearer)
            .send({ to: character.body.name, subject: "x", items: [{ slot: 0, qty: 99 }] }),
      },
    ],
    "get /v1/characters/{id}/mail/{mailId}": [
      { status: 200, run: () => supertest(p).get(`${doc}/mail/${pills}`).set(bearer) },
      { status: 404, run: () => supertest(p).get(`${doc}/mail/${nowhere}`).set(bearer) },
    ],
    "delete /v1/characters/{id}/mail/{mailId}": [
      { status: 409, run: () => supertest(p).delete(`${doc}/mail/${pills}`).set(bearer) },
      { status: 204, run: () => supertest(p).delete(`${doc}/mail/${letter}`).set(bearer) },
      { status: 404, run: () => supertest(p).delete(`${doc}/mail/${letter}`).set(bearer) },
    ],
    "post /v1/characters/{id}/mail/{mailId}/claim": [
      { status: 200, run: () => supertest(p).post(`${doc}/mail/${pills}/claim`).set(bearer) },
      { status: 409, run: () => supertest(p).post(`${doc}/mail/${pills}/claim`).set(bearer) },
      { status: 404, run: () => supertest(p).post(`${doc}/mail/${nowhere}/claim`).set(bearer) },
    ],
    "get /v1/leaderboards/{board}": [
      { status: 200, run: (a) => supertest(a).get("/v1/leaderboards/level?limit=5") },
      { status: 400, run: (a) => supertest(a).get("/v1/leaderboards/level?limit=0") },
      { status: 404, run: (a) => supertest(a).get("/v1/leaderboards/richest") },
    ],
    "get /v1/leaderboards/{board}/around/{characterId}": [
      {
        status: 200,
        run: (a) => supertest(a).get(`/v1/leaderboards/level/around/${character.body.id}`),
      },
      {
        status: 400,
        run: (a) => supertest(a).get(`/v1/leaderboards/level/around/${nowhere}?limit=0`),
      },
      { status: 404, run: (a) => supertest(a).get(`/v1/leaderboards/arena/around/${nowhere}`) },
    ],
    "get /v1/world/zones": [{ status: 200, run: (a) => supertest(a).get("/v1/world/zones") }],
    "get /v1/world/zones/{id}/map": [
      { status: 200, run: (a) => supertest(a).get("/v1/world/zones/town/map") },
      { status: 404, run: (a) => supertest(a).get("/v1/world/zones/atlantis/map") },
    ],
    "post /v1/world/join": [
      {
        status: 200,
        run: (a) =>
          supertest(a)
            .post("/v1/world/join")
            .set(otherBearer)
            .send({ characterId: otherCharacter }),
      },
      {
        status: 404,
        run: (a) =>
          supertest(a)
            .post("/v1/world/join")
            .set(otherBearer)
            .send({ characterId: character.body.id }),
      },
      { status: 400, run: (a) => supertest(a).post("/v1/world/join").set(bearer).send({}) },
      {
        status: 401,
        run: (a) => supertest(a).post("/v1/world/join").send({ characterId: otherCharacter }),
      },
    ],
    "get /healthz": [{ status: 200, run: (a) => supertest(a).get("/healthz") }],
    "get /readyz": [{ status: 200, run: (a) => supertest(a).get("/readyz") }],
  };
}

describe("OpenAPI document", () => {
  let game: TestGame;
  let app: Target;
  let doc: Doc;

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!, ADMIN);
    app = game.url;
    doc = (await supertest(app).get("/v1/openapi.json").expect(200)).body;
  });
  after(async () => game?.stop());

  const admin = async (path: string, body: object) => {
    const auth = `Basic ${Buffer.from(`${ADMIN.ADMIN_USER}:${ADMIN.ADMIN_PASSWORD}`).toString("base64")}`;
    await supertest(app).post(path).set("Authorization", auth).send(body).expect(200);
  };

  it("is OpenAPI 3.1 with JSON request bodies for every POST", () => {
    assert.equal((doc as unknown as { openapi: string }).openapi, "3.1.0");
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (ops.post) assert.ok(ops.post.requestBody, `${path} documents its body`);
    }
  });

  it("matches what each route answers, status and body", async () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    ajv.addSchema({ $id: "doc", components: doc.components });
    const byOperation = {
      ...(await scenarios(app, admin)),
      ...(await socialScenarios(app, game.server.db.prisma)),
      ...worldEventScenarios(),
      ...(await arenaScenarios(app)),
      ...(await accountScenarios(app)),
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const key = `${method} ${path}`;
        const cases = byOperation[key];
        assert.ok(
          cases?.some((c) => c.status < 300),
          `${key} has a success scenario`,
        );
        for (const scenario of cases!) {
          const documented = op.responses[String(scenario.status)];
          assert.ok(documented, `${key} documents status ${scenario.status}`);
          const res = await scenario.run(app);
          assert.equal(res.status, scenario.status, `${key} answered ${res.status}: ${res.text}`);
          const schema = documented.content?.["application/json"].schema;
          if (!schema) {
            assert.equal(res.text, "", `${key} ${scenario.status} has no body`);
            continue;
          }
          const validate = ajv.compile(
            JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"doc#/components')),
          );
          assert.ok(
            validate(res.body),
            `${key} ${scenario.status}: ${ajv.errorsText(validate.errors)}`,
          );
        }
      }
    }
    for (const key of Object.keys(byOperation)) {
      const [method, path] = key.split(" ") as [string, string];
      assert.ok(doc.paths[path]?.[method], `${key} is documented`);
    }
  });
});

describe("health probes", () => {
  it("reports not ready when the database is closed, while staying alive", async () => {
    const opened = await openTestDatabase(DATABASE_TARGETS[0]!);
    const app = createTestApp(opened.db);
    await supertest(app).get("/readyz").expect(200, { status: "ok" });
    await opened.close();
    await supertest(app).get("/readyz").expect(503, { status: "unavailable" });
    await supertest(app).get("/healthz").expect(200, { status: "ok" });
  });

  it("reports not ready when migrations are missing", async () => {
    const fresh = await DATABASE_TARGETS[0]!.create();
    const { openDatabase } = await import("../../src/db/database.ts");
    const db = await openDatabase({ dataDir: fresh.dataDir });
    try {
      await supertest(createTestApp(db)).get("/readyz").expect(503);
    } finally {
      await db.close();
    }
  });
});

describe("security headers and unknown routes", () => {
  it("sets helmet headers and answers unknown routes with the JSON error shape", async () => {
    const opened = await openTestDatabase(DATABASE_TARGETS[0]!);
    try {
      const res = await supertest(createTestApp(opened.db)).get("/v1/nope").expect(404);
      assert.equal(res.headers["x-content-type-options"], "nosniff");
      assert.ok(res.headers["content-security-policy"]);
      assert.equal(res.headers["x-powered-by"], undefined);
      assert.match(res.headers["x-request-id"]!, /^[0-9a-f-]{36}$/);
      assert.deepEqual(res.body, { error: { code: "NOT_FOUND", message: "Not found." } });
    } finally {
      await opened.close();
    }
  });

  it("allows only configured CORS origins", async () => {
    const opened = await openTestDatabase(DATABASE_TARGETS[0]!);
    try {
      const app = createTestApp(opened.db, { env: { CORS_ORIGINS: "https://game.example" } });
      const ok = await supertest(app).get("/healthz").set("Origin", "https://game.example");
      assert.equal(ok.headers["access-control-allow-origin"], "https://game.example");
      const no = await supertest(app).get("/healthz").set("Origin", "https://evil.example");
      assert.equal(no.headers["access-control-allow-origin"], undefined);
    } finally {
      await opened.close();
    }
  });
});

import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { LocalDriver, LocalPresence, matchMaker, Room, type IRoomCache } from "@colyseus/core";
import express, { type Express } from "express";
import { pino } from "pino";
import supertest from "supertest";
import { adminRouter } from "../../src/admin/admin-router.ts";
import { parseBasicAuth } from "../../src/admin/require-admin.ts";
import { GameError } from "../../src/errors.ts";
import { errorHandler } from "../../src/http/error-handler.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { createMetrics, METRIC_NAMES } from "../../src/metrics/metrics.ts";

const ADMIN = { ADMIN_USER: "ops", ADMIN_PASSWORD: "correct horse battery staple" };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const GOOD = basic(ADMIN.ADMIN_USER, ADMIN.ADMIN_PASSWORD);

/** A logger whose JSON lines are kept for assertions. */
function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, sink), lines };
}

function buildApp(options: Partial<Parameters<typeof adminRouter>[0]> = {}): Express {
  const logger = options.logger ?? createLogger("silent");
  const app = express();
  app.use(
    adminRouter({
      config: ADMIN,
      metrics: createMetrics({ defaultMetrics: false }),
      logger,
      listRooms: async () => [],
      ...options,
    }),
  );
  app.use((_req, _res, next) => next(new GameError("NOT_FOUND")));
  app.use(errorHandler(logger));
  return app;
}

describe("adminRouter", () => {
  describe("GET /metrics", () => {
    it("refuses 401 with a Basic challenge when no credentials are sent", async () => {
      const res = await supertest(buildApp()).get("/metrics").expect(401);
      assert.match(String(res.headers["www-authenticate"]), /^Basic realm="mmo-admin"/);
      assert.equal(res.body.error.code, "UNAUTHORIZED");
      assert.ok(!res.text.includes("mmo_ccu"));
    });

    it("refuses 401 when the password or the user is wrong", async () => {
      const app = buildApp();
      await supertest(app)
        .get("/metrics")
        .set("Authorization", basic("ops", "wrong password!!"))
        .expect(401);
      await supertest(app)
        .get("/metrics")
        .set("Authorization", basic("root", ADMIN.ADMIN_PASSWORD))
        .expect(401);
      await supertest(app).get("/metrics").set("Authorization", "Bearer abc").expect(401);
    });

    it("serves Prometheus text with the server's metrics for the admin", async () => {
      const metrics = createMetrics({ defaultMetrics: false });
      metrics.ccu.set(3);
      const res = await supertest(buildApp({ metrics }))
        .get("/metrics")
        .set("Authorization", GOOD)
        .expect(200);
      assert.match(String(res.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
      for (const name of Object.values(METRIC_NAMES))
        assert.ok(res.text.includes(`# TYPE ${name} `), name);
      assert.ok(res.text.split("\n").includes("mmo_ccu 3"));
    });

    it("is 404 when no admin credentials are configured", async () => {
      const app = buildApp({ config: {} });
      await supertest(app).get("/metrics").set("Authorization", GOOD).expect(404);
      await supertest(app).get("/admin/monitor/").expect(404);
      await supertest(app).get("/admin/api/rooms").set("Authorization", GOOD).expect(404);
    });

    it("refuses an IP with too many failures even with the right credentials", async () => {
      const app = buildApp({ auth: { maxFailures: 2 } });
      const wrong = basic("ops", "guess-guess-guess");
      await supertest(app).get("/metrics").set("Authorization", wrong).expect(401);
      await supertest(app).get("/metrics").set("Authorization", wrong).expect(401);
      const res = await supertest(app).get("/metrics").set("Authorization", GOOD).expect(429);
      assert.ok(Number(res.headers["retry-after"]) > 0);
    });
  });

  describe("/admin/monitor", () => {
    it("refuses 401 without credentials, on the page and on its room-call API", async () => {
      const app = buildApp();
      const page = await supertest(app).get("/admin/monitor/").expect(401);
      assert.match(String(page.headers["www-authenticate"]), /^Basic /);
      await supertest(app)
        .get("/admin/monitor/api/room/call?roomId=x&method=disconnect&args=[]")
        .expect(401);
      await supertest(app).get("/admin/monitor/api").expect(401);
    });

    it("serves the monitor page and assets to the admin", async () => {
      const app = buildApp();
      const redirect = await supertest(app)
        .get("/admin/monitor")
        .set("Authorization", GOOD)
        .expect(302);
      assert.equal(redirect.headers.location, "/admin/monitor/");
      const page = await supertest(app)
        .get("/admin/monitor/")
        .set("Authorization", GOOD)
        .expect(200);
      assert.match(String(page.headers["content-type"]), /^text\/html/);
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.text)?.[1];
      assert.ok(script, "the page links its script");
      const asset = await supertest(app)
        .get(`/admin/monitor/${script}`)
        .set("Authorization", GOOD)
        .expect(200);
      assert.match(String(asset.headers["content-type"]), /javascript/);
    });
  });

  describe("GET /admin/api/rooms", () => {
    it("lists rooms for the admin and audits the action with the admin user", async () => {
      const { logger, lines } = capturingLogger();
      const room = {
        roomId: "r1",
        name: "zone",
        clients: 4,
        maxClients: 200,
        locked: false,
        private: false,
        processId: "p1",
        publicAddress: "game1:2567",
        createdAt: new Date("2026-01-01T00:00:00Z"),
        metadata: { zone: "town" },
      } as unknown as IRoomCache;
      const app = buildApp({ logger, listRooms: async () => [room] });
      await supertest(app).get("/admin/api/rooms").expect(401);
      const res = await supertest(app)
        .get("/admin/api/rooms")
        .set("Authorization", GOOD)
        .expect(200);
      assert.deepEqual(res.body.rooms, [
        {
          roomId: "r1",
          name: "zone",
          clients: 4,
          maxClients: 200,
          locked: false,
          private: false,
          processId: "p1",
          publicAddress: "game1:2567",
          createdAt: "2026-01-01T00:00:00.000Z",
          metadata: { zone: "town" },
        },
      ]);
      const audits = lines.filter((l) => l.audit === true);
      assert.equal(audits.length, 1);
      assert.equal(audits[0]!.admin, "ops");
      assert.equal(audits[0]!.path, "/admin/api/rooms");
      assert.equal(audits[0]!.level, 30);
    });
  });

  describe("with the real matchmaker", () => {
    class EchoRoom extends Room {}

    before(async () => {
      await matchMaker.setup(new LocalPresence(), new LocalDriver(), "127.0.0.1:0");
      await matchMaker.accept(true);
      matchMaker.defineRoomType("admin_test_room", EchoRoom);
      await matchMaker.createRoom("admin_test_room", {});
    });
    after(async () => {
      await matchMaker.gracefullyShutdown().catch(() => undefined);
      matchMaker.removeRoomType("admin_test_room");
    });

    it("lists rooms through matchMaker.query by default", async () => {
      const app = buildApp({ listRooms: undefined });
      const res = await supertest(app)
        .get("/admin/api/rooms")
        .set("Authorization", GOOD)
        .expect(200);
      const names = (res.body.rooms as { name: string }[]).map((r) => r.name);
      assert.deepEqual(names, ["admin_test_room"]);
    });
  });
});

describe("parseBasicAuth", () => {
  it("splits at the first colon so passwords may contain colons", () => {
    assert.deepEqual(parseBasicAuth(basic("ops", "a:b:c")), { user: "ops", password: "a:b:c" });
    assert.equal(parseBasicAuth("Basic bm9jb2xvbg=="), undefined); // "nocolon"
    assert.equal(parseBasicAuth(undefined), undefined);
  });
});

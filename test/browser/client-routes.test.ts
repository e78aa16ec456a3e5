import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import express from "express";
import supertest from "supertest";
import { loadGameData, type GameData } from "../../src/content/load-game-data.ts";
import { errorHandler } from "../../src/http/error-handler.ts";
import { isClientBuilt, publicRoutes } from "../../src/http/public-routes.ts";
import { createLogger } from "../../src/logger.ts";
import { zoneContentRoutes } from "../../src/zone/zone-content.routes.ts";

function appWith(mount: (app: express.Express) => void) {
  const app = express();
  mount(app);
  app.use((_req, res) => {
    res.status(404).json({ error: { code: "NOT_FOUND" } });
  });
  app.use(errorHandler(createLogger("silent")));
  return supertest(app);
}

describe("zoneContentRoutes", () => {
  let data: GameData;
  before(async () => {
    data = await loadGameData();
  });

  it("serves a zone's geometry, portals, NPCs and spawn when the zone exists", async () => {
    const api = appWith((app) => app.use("/v1/world", zoneContentRoutes(data)));
    const res = await api.get("/v1/world/zones/town/map").expect(200);
    const town = data.zones.get("town")!;
    assert.deepEqual(Object.keys(res.body).sort(), [
      "height",
      "id",
      "name",
      "npcs",
      "portals",
      "spawn",
      "tileSize",
      "tiles",
      "width",
    ]);
    assert.equal(res.body.width, town.width);
    assert.deepEqual(res.body.tiles, town.tiles);
    assert.deepEqual(res.body.portals, town.portals);
    assert.deepEqual(res.body.spawn, town.spawn);
    assert.match(res.headers["cache-control"] ?? "", /public, max-age=\d+/);
  });

  it("does not reveal mob spawns", async () => {
    const api = appWith((app) => app.use("/v1/world", zoneContentRoutes(data)));
    const res = await api.get("/v1/world/zones/field/map").expect(200);
    assert.equal(res.body.mobSpawns, undefined);
  });

  it("answers 404 NOT_FOUND when the zone is unknown", async () => {
    const api = appWith((app) => app.use("/v1/world", zoneContentRoutes(data)));
    const res = await api.get("/v1/world/zones/nowhere/map").expect(404);
    assert.equal(res.body.error.code, "NOT_FOUND");
  });
});

describe("publicRoutes", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "public-"));
    await writeFile(path.join(dir, "index.html"), "<!doctype html><title>x</title>");
    await writeFile(path.join(dir, ".env"), "SECRET=1");
    await mkdir(path.join(dir, "build"));
    await writeFile(path.join(dir, "build", "app.js"), "export {};");
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it("serves index.html at / with revalidation caching", async () => {
    const api = appWith((app) => app.use(publicRoutes({ dir })));
    const res = await api.get("/").expect(200);
    assert.match(res.headers["content-type"] ?? "", /text\/html/);
    assert.equal(res.headers["cache-control"], "no-cache");
    assert.ok(res.headers.etag, "ETag for cheap revalidation");
    await api.get("/").set("If-None-Match", res.headers.etag!).expect(304);
  });

  it("serves the bundle as JavaScript", async () => {
    const api = appWith((app) => app.use(publicRoutes({ dir })));
    const res = await api.get("/build/app.js").expect(200);
    assert.match(res.headers["content-type"] ?? "", /javascript/);
  });

  it("falls through to the next handler when a file is missing, and hides dotfiles", async () => {
    const api = appWith((app) => app.use(publicRoutes({ dir })));
    await api.get("/nope.js").expect(404);
    await api.get("/.env").expect(404);
    await api.get("/v1/anything").expect(404);
  });

  it("tells whether the client bundle exists", () => {
    assert.equal(isClientBuilt(dir), true);
    assert.equal(isClientBuilt(path.join(dir, "build")), false);
  });
});

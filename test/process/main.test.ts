import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freshPgliteDir } from "../helpers/databases.ts";
import { runServerToExit, startServerProcess } from "../helpers/server-process.ts";

describe("server process (src/main.ts)", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "mmo-main-"));
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  it("stops with a message naming the variable when config is invalid", async () => {
    const { code, output } = await runServerToExit({ PORT: "not-a-port", DATA_DIR: dataDir });
    assert.equal(code, 78);
    assert.match(output, /PORT: /);
  });

  it("keeps accounts and sessions across a restart when using the embedded database", async () => {
    const first = await startServerProcess({ DATA_DIR: dataDir });
    const register = await fetch(`${first.url}/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "restart@example.com", password: "persist me please" }),
    });
    assert.equal(register.status, 201);
    const session = (await register.json()) as { accessToken: string };
    first.child.kill("SIGTERM");
    assert.equal(await first.exited, 0);
    assert.match(first.output(), /shutdown complete/);

    const second = await startServerProcess({ DATA_DIR: dataDir });
    try {
      const list = await fetch(`${second.url}/v1/characters`, {
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      assert.equal(list.status, 200, "the access token signed before the restart is still valid");
      const login = await fetch(`${second.url}/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "restart@example.com", password: "persist me please" }),
      });
      assert.equal(login.status, 200);
    } finally {
      second.child.kill("SIGTERM");
      assert.equal(await second.exited, 0);
    }
  });

  it("applies the configured CORS origins to the API while Colyseus serves matchmaking", async () => {
    // An initialised empty PGlite (no initdb in the child): a blank start is the test above.
    const server = await startServerProcess({
      DATA_DIR: await freshPgliteDir(),
      CORS_ORIGINS: "https://game.example",
    });
    try {
      const evil = await fetch(`${server.url}/healthz`, {
        headers: { origin: "https://evil.example" },
      });
      assert.equal(evil.headers.get("access-control-allow-origin"), null);
      const good = await fetch(`${server.url}/healthz`, {
        headers: { origin: "https://game.example" },
      });
      assert.equal(good.headers.get("access-control-allow-origin"), "https://game.example");
      const preflight = await fetch(`${server.url}/v1/characters`, {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      });
      assert.equal(preflight.headers.get("access-control-allow-origin"), null);
      const matchmake = await fetch(`${server.url}/matchmake/joinOrCreate/no_such_room`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://game.example" },
        body: "{}",
      });
      assert.equal(matchmake.headers.get("access-control-allow-origin"), "https://game.example");
      assert.ok(matchmake.status >= 400, "an unknown room type is refused by Colyseus");
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });

  it("never writes passwords or tokens to its logs", async () => {
    const server = await startServerProcess({ DATA_DIR: await freshPgliteDir() });
    const res = await fetch(`${server.url}/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "logs@example.com", password: "secret-password-xyz" }),
    });
    const body = (await res.json()) as { accessToken: string; refreshToken: string };
    await fetch(`${server.url}/v1/characters`, {
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    server.child.kill("SIGTERM");
    await server.exited;
    const logs = server.output();
    assert.match(logs, /"route":"\/v1\/auth\/register"/);
    assert.ok(!logs.includes("secret-password-xyz"));
    assert.ok(!logs.includes(body.accessToken));
    assert.ok(!logs.includes(body.refreshToken));
  });
});

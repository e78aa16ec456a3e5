import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { Client, type Room } from "@colyseus/sdk";
import { loadConfig } from "../../src/config.ts";
import { loadGameData } from "../../src/content/load-game-data.ts";
import { createLogger } from "../../src/logger.ts";
import { startServer, type RunningServer } from "../../src/server.ts";
import { enterWorld, newPlayer, sleep, until } from "../helpers/game-server.ts";
import { freshPgliteDir } from "../helpers/databases.ts";

type LogLine = { level: number; msg: string; err?: { stack?: string }; [field: string]: unknown };

/**
 * Issue 14: what a client does wrong (a character already online, an oversized frame, a bad
 * token, an unknown message) is logged at info or warn without a stack; error is for bugs.
 */
describe("expected refusals in the logs", () => {
  let server: RunningServer;
  const lines: LogLine[] = [];
  const rooms: Room[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      // A copy of an initialised empty PGlite: no initdb here (test/helpers/databases.ts).
      DATA_DIR: await freshPgliteDir(),
      JWT_SECRET: "logs-secret-logs-secret-logs-secret-0123",
      WORLD_EVENT_SCHEDULE: "off",
    });
    server = await startServer({
      config,
      logger: createLogger("info", sink),
      data: await loadGameData(),
    });
  });
  after(async () => {
    await Promise.all(
      rooms.map((r) => Promise.race([r.leave().catch(() => undefined), sleep(500)])),
    );
    await server?.stop();
  });

  const errorsLogged = () => lines.filter((l) => l.level >= 50);

  it("logs a second join of an online character at info, without a stack", async () => {
    const p = await newPlayer(server.url);
    const joins = await Promise.allSettled([enterWorld(server.url, p), enterWorld(server.url, p)]);
    for (const j of joins) if (j.status === "fulfilled") rooms.push(j.value.room);
    const refused = joins.filter((j) => j.status === "rejected");
    assert.equal(refused.length, 1, "one of the two joins is refused");
    assert.match(String((refused[0] as PromiseRejectedResult).reason), /CHARACTER_ONLINE/);
    // Refused by the room that holds the character, or already by its seat reservation, which
    // the join request answers with 409: either way one line at info.
    const isRefusal = (l: (typeof lines)[number]) =>
      String(l.refusal ?? "").startsWith("CHARACTER_ONLINE") ||
      (l.url === "/v1/world/join" && l.status === 409);
    await until(() => lines.some(isRefusal), 3000, "the refusal's log line");
    const line = lines.find(isRefusal)!;
    assert.equal(line.level, 30);
    assert.equal(line.err, undefined);

    const client = new Client(server.url);
    client.auth.token = "not.a.token";
    await assert.rejects(client.joinOrCreate("zone", { zone: "town", characterId: p.characterId }));
    assert.deepEqual(errorsLogged(), []);
  });

  it("logs an oversized frame at warn, without a stack, and closes that connection", async () => {
    const { room } = await enterWorld(server.url, await newPlayer(server.url));
    rooms.push(room);
    let closed: number | undefined;
    room.onLeave((code) => {
      closed = code;
    });
    const ws = (room.connection as unknown as { transport: { ws: { send(b: Buffer): void } } })
      .transport.ws;
    ws.send(Buffer.alloc(9000));
    await until(() => lines.some((l) => l.refusal === "Max payload size exceeded"), 3000, "log");
    const line = lines.find((l) => l.refusal === "Max payload size exceeded")!;
    assert.equal(line.level, 40);
    assert.equal(line.err, undefined);
    assert.equal(JSON.stringify(line).includes("receiver.js"), false, "no stack");
    await until(() => closed !== undefined, 3000, "the close");
    assert.deepEqual(errorsLogged(), []);
  });
});

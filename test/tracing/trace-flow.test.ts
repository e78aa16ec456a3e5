import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { matchMaker } from "@colyseus/core";
import { Client, type Room } from "@colyseus/sdk";
import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { loadConfig } from "../../src/config.ts";
import {
  continuedFrom,
  inSpan,
  isTracing,
  startTickSpan,
  startTracing,
  traceOptions,
  type Tracing,
} from "../../src/infra/tracing.ts";
import { createLogger } from "../../src/logger.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import { nextMessage, sleep, startTestGame, until, type TestGame } from "../helpers/game-server.ts";

/** A client-side trace: every request below sends this `traceparent`. */
function clientTrace() {
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

/** Log lines a logger writes, parsed. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger("info", stream), lines };
}

const entityCount = (room: Room) =>
  (room.state as { entities?: Map<string, unknown> } | undefined)?.entities?.has(room.sessionId);

describe("tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)", () => {
  it("starts nothing, carries no trace context and samples no tick", async () => {
    const { logger, lines } = capturedLogger();
    assert.equal(await startTracing(loadConfig({}), logger), undefined);
    assert.equal(isTracing(), false);
    assert.deepEqual(traceOptions(), {});
    assert.equal(continuedFrom(clientTrace().traceparent), undefined);
    assert.equal(startTickSpan("zone", "r1", "town", 0), undefined);
    logger.info("plain line");
    assert.equal(lines.length, 1);
    assert.equal("trace_id" in lines[0]!, false);
  });
});

describe("tracing (in-memory exporter, official @colyseus/sdk client)", function () {
  this.timeout(60_000);
  const exporter = new InMemorySpanExporter();
  const TICK_EVERY = 5;
  let tracing: Tracing | undefined;
  let game: TestGame;
  const rooms: Room[] = [];

  before(async () => {
    const { logger } = capturedLogger();
    const config = loadConfig({ TRACE_TICK_EVERY: String(TICK_EVERY) });
    tracing = await startTracing(config, logger, { exporter });
    assert.ok(tracing && isTracing());
    game = await startTestGame(DATABASE_TARGETS[0]!);
  });
  afterEach(async () => {
    // A room the server already closed never answers leave(): do not wait on it.
    await Promise.all(
      rooms.splice(0).map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(1000)])),
    );
  });
  after(async () => {
    await game?.stop();
    await tracing?.shutdown();
    assert.equal(isTracing(), false);
  });

  async function post(path: string, body: unknown, headers: Record<string, string>) {
    const res = await fetch(`${game.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it("makes register, world join, room join and a portal crossing one connected trace", async () => {
    const client = clientTrace();
    const traced = { traceparent: client.traceparent };
    const n = randomBytes(3).toString("hex");
    const register = await post(
      "/v1/auth/register",
      { email: `trace.${n}@example.com`, password: "trace password 123" },
      traced,
    );
    assert.equal(register.status, 201);
    const auth = { ...traced, authorization: `Bearer ${String(register.body.accessToken)}` };
    const created = await post(
      "/v1/characters",
      { name: `Trace${n}`, race: "human", job: "warrior" },
      auth,
    );
    assert.equal(created.status, 201);
    const characterId = String(created.body.id);
    const portal = game.data.zones.get("town")!.portals.find((p) => p.targetZone === "field")!;
    await game.server.db.prisma.character.update({
      where: { id: characterId },
      data: { zone: "town", x: portal.x, y: portal.y },
    });

    const joined = await post("/v1/world/join", { characterId }, auth);
    assert.equal(joined.status, 200);
    const town = await new Client(game.url).consumeSeatReservation(
      joined.body.reservation as never,
    );
    rooms.push(town);
    await until(() => entityCount(town) === true, 5000, "own entity in town");
    // The room was created by world/join: its timers must not run inside that request's trace.
    let timerContext: unknown = "not run";
    matchMaker.getLocalRoomById(town.roomId).clock.setTimeout(() => {
      timerContext = trace.getSpanContext(context.active());
    }, 0);
    await until(() => timerContext !== "not run", 2000, "room clock timer");
    assert.equal(timerContext, undefined, "room timers run outside any trace");
    const transfer = nextMessage<{ zone: string; reservation: unknown }>(town, "transfer");
    town.send("portal", { portalId: portal.id });
    const { zone, reservation } = await transfer;
    assert.equal(zone, "field");
    const field = await new Client(game.url).consumeSeatReservation(reservation as never);
    rooms.push(field);
    await until(() => entityCount(field) === true, 5000, "own entity in field");
    await Promise.race([town.leave(true).catch(() => undefined), sleep(1000)]);

    const inTrace = () =>
      exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === client.traceId);
    await until(() => inTrace().some((s) => s.name === "zone.leave"), 5000, "town leave span");
    const spans = inTrace();
    const named = (name: string) => spans.filter((s) => s.name === name);
    const one = (name: string, zone?: string) => {
      const found = named(name).filter((s) => !zone || s.attributes["mmo.zone"] === zone);
      assert.equal(found.length, 1, `one ${name}${zone ? ` in ${zone}` : ""}: ${found.length}`);
      return found[0]!;
    };

    const registerSpan = one("POST /v1/auth/register");
    const createSpan = one("POST /v1/characters");
    const worldJoin = one("POST /v1/world/join");
    for (const span of [registerSpan, createSpan, worldJoin]) {
      assert.equal(parentOf(span), client.spanId, `${span.name} continues the client's span`);
    }
    assert.equal(registerSpan.attributes["http.route"], "/v1/auth/register");
    assert.equal(registerSpan.attributes["http.response.status_code"], 201);
    assert.equal(worldJoin.attributes["http.response.status_code"], 200);

    const auths = named("zone.auth");
    const townJoin = one("zone.join", "town");
    const transferSpan = one("zone.transfer", "town");
    const fieldJoin = one("zone.join", "field");
    const townLeave = one("zone.leave", "town");
    assert.equal(parentOf(townJoin), idOf(worldJoin), "the room join continues world/join");
    assert.equal(parentOf(transferSpan), idOf(townJoin), "the portal is in the session's trace");
    assert.equal(transferSpan.attributes["mmo.zone.target"], "field");
    assert.equal(parentOf(fieldJoin), idOf(transferSpan), "the next room's join continues it");
    assert.deepEqual(
      auths.map(parentOf).sort(),
      [idOf(worldJoin), idOf(transferSpan)].sort(),
      "each seat reservation's token check is in the trace",
    );
    assert.equal(parentOf(townLeave), idOf(townJoin));
    for (const span of [townJoin, transferSpan, fieldJoin]) {
      assert.equal(span.attributes["mmo.character.id"], characterId);
    }

    // Connected: every span's parent is in the trace, or is the client's own span.
    const ids = new Set(spans.map(idOf));
    for (const span of spans) {
      assert.ok(
        parentOf(span) === client.spanId || ids.has(parentOf(span)!),
        `${span.name} hangs off a span outside the trace`,
      );
    }
    const ancestors = (span: ReadableSpan) => {
      const chain: string[] = [];
      for (let s: ReadableSpan | undefined = span; s;) {
        const parent = parentOf(s);
        s = spans.find((p) => idOf(p) === parent);
        if (s) chain.push(idOf(s));
      }
      return chain;
    };
    const prisma = spans.filter((s) => s.attributes["db.system.name"] === "postgresql");
    const under = (owner: ReadableSpan) =>
      prisma.filter((s) => ancestors(s).includes(idOf(owner))).map((s) => s.name);
    assert.ok(under(registerSpan).includes("create Account"), under(registerSpan).join());
    assert.ok(under(createSpan).length > 0, "character creation queries");
    assert.ok(under(townJoin).length > 0, "the join loads the character");
    assert.ok(under(transferSpan).length > 0, "the transfer saves the character");
  });

  it("traces queries only inside a trace, and no health probe", async () => {
    const raw = () => exporter.getFinishedSpans().filter((s) => s.name === "$queryRawUnsafe");
    await game.server.db.prisma.$queryRawUnsafe("SELECT 1");
    assert.equal((await fetch(`${game.url}/healthz`)).status, 200);
    await inSpan("test.parent", {}, undefined, () =>
      game.server.db.prisma.$queryRawUnsafe("SELECT 2"),
    );
    const parent = exporter.getFinishedSpans().find((s) => s.name === "test.parent")!;
    assert.deepEqual(raw().map(parentOf), [idOf(parent)], "only the query inside a span");
    assert.equal(
      exporter.getFinishedSpans().some((s) => s.attributes["url.path"] === "/healthz"),
      false,
    );
  });

  it("starts a new trace for a request without traceparent", async () => {
    const res = await fetch(`${game.url}/v1/world/zones`);
    assert.equal(res.status, 200);
    await until(
      () => exporter.getFinishedSpans().some((s) => s.name === "GET /v1/world/zones"),
      5000,
      "zones span",
    );
    const span = exporter.getFinishedSpans().find((s) => s.name === "GET /v1/world/zones")!;
    assert.equal(span.parentSpanContext, undefined);
    assert.equal(span.attributes["http.route"], "/v1/world/zones");
  });

  it("traces one tick in TRACE_TICK_EVERY of a room, as a root span", async () => {
    const ticks = exporter.getFinishedSpans().filter((s) => s.name === "zone.tick");
    assert.ok(ticks.length > 0, "tick spans");
    for (const span of ticks) {
      assert.equal(span.parentSpanContext, undefined);
      assert.equal(Number(span.attributes["mmo.tick"]) % TICK_EVERY, 0);
      assert.equal(typeof span.attributes["mmo.tick.step_ms"], "number");
    }
    // Per room, consecutive sampled ticks are TICK_EVERY apart: none traced in between.
    const byRoom = new Map<string, number[]>();
    for (const span of ticks) {
      const room = String(span.attributes["colyseus.room.id"]);
      byRoom.set(room, [...(byRoom.get(room) ?? []), Number(span.attributes["mmo.tick"])]);
    }
    for (const numbers of byRoom.values()) {
      const sorted = numbers.sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i++) assert.equal(sorted[i]! - sorted[i - 1]!, TICK_EVERY);
    }
  });

  it("writes the active span's trace id into log lines", async () => {
    const client = clientTrace();
    const { logger, lines } = capturedLogger();
    await inSpan("test.work", {}, continuedFrom(client.traceparent), async () => {
      logger.info("inside");
    });
    logger.info("outside");
    assert.equal(lines[0]!.trace_id, client.traceId);
    assert.match(String(lines[0]!.span_id), /^[0-9a-f]{16}$/);
    assert.notEqual(lines[0]!.span_id, client.spanId, "the line names the new child span");
    assert.equal("trace_id" in lines[1]!, false);
  });
});

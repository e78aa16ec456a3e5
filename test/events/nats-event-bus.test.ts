import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { connect, type NatsConnection } from "nats";
import { EVENT_FIELDS, EVENT_NAMES } from "../../src/events/catalogue.ts";
import { createEventBus } from "../../src/events/create-event-bus.ts";
import type { DomainEventName, DomainEvents } from "../../src/events/event-bus.ts";
import { createNatsEventBus, DEFAULT_STREAM } from "../../src/events/nats-event-bus.ts";
import { createLogger } from "../../src/logger.ts";
import { createMetrics } from "../../src/metrics/metrics.ts";
import { freePort } from "../helpers/server-process.ts";
import { SERVICE_URLS, serviceAvailable } from "../helpers/services.ts";

const logger = createLogger("silent");
const decoder = new TextDecoder();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const SAMPLES: { [K in DomainEventName]: DomainEvents[K] } = {
  "account.registered": { accountId: "a1" },
  "account.deleted": { accountId: "a1", characterIds: ["c1"] },
  "character.created": {
    accountId: "a1",
    characterId: "c1",
    name: "Aria",
    race: "elf",
    job: "mage",
  },
  "character.deleted": { accountId: "a1", characterId: "c1" },
  "character.leveled": { characterId: "c1", level: 5, previousLevel: 4 },
  "item.looted": { characterId: "c1", itemId: "wolf_pelt", quantity: 2, zone: "forest" },
  "quest.completed": { characterId: "c1", questId: "q_wolves" },
  "player.zone_changed": { characterId: "c1", fromZone: "town", toZone: "field" },
  "player.joined": { characterId: "c1", zone: "town", roomId: "r1" },
  "player.left": { characterId: "c1", zone: "town", roomId: "r1" },
};

function waitFor<T>(what: string, get: () => T | undefined, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const value = get();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

/** Polls the stream for the last message on `subject` until it carries `questId`. */
async function storedEvent(
  nc: NatsConnection,
  streamName: string,
  subject: string,
  questId: string,
) {
  const jsm = await nc.jetstreamManager();
  for (let i = 0; i < 100; i += 1) {
    const msg = await jsm.streams
      .getMessage(streamName, { last_by_subj: subject })
      .catch(() => undefined);
    if (msg && msg.json<{ questId: string }>().questId === questId) return msg;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${subject} with questId ${questId} in ${streamName}`);
}

function metricValue(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.split(" ")[1]);
}

describe("createNatsEventBus on real NATS", function () {
  let raw: NatsConnection;
  const prefix = `test_${randomUUID().replaceAll("-", "")}`;
  const stream = { ...DEFAULT_STREAM, name: `${prefix.toUpperCase()}_EVENTS`, maxAgeMs: 60_000 };

  before(async function () {
    if (!(await serviceAvailable("nats"))) this.skip();
    raw = await connect({ servers: SERVICE_URLS.nats });
  });
  after(async () => {
    if (!raw) return;
    const jsm = await raw.jetstreamManager();
    await jsm.streams.delete(stream.name).catch(() => undefined);
    await raw.close();
  });

  it("delivers every catalogued event to a subscriber on another connection as documented", async () => {
    const received: { subject: string; body: Record<string, unknown> }[] = [];
    const sub = raw.subscribe(`${prefix}.>`, {
      callback: (_err, msg) =>
        received.push({ subject: msg.subject, body: JSON.parse(decoder.decode(msg.data)) }),
    });
    await raw.flush();
    const bus = createNatsEventBus({
      url: SERVICE_URLS.nats,
      logger,
      subjectPrefix: prefix,
      stream: false,
    });
    try {
      assert.equal(await bus.whenReady(3_000), true);
      for (const name of EVENT_NAMES) bus.publish(name, SAMPLES[name] as never);
      await waitFor("all events", () => (received.length >= EVENT_NAMES.length ? true : undefined));
      assert.deepEqual(
        received.map((r) => r.subject),
        EVENT_NAMES.map((name) => `${prefix}.${name}`),
      );
      for (const [i, name] of EVENT_NAMES.entries()) {
        const { at, ...payload } = received[i]!.body;
        assert.match(String(at), ISO);
        assert.deepEqual(payload, SAMPLES[name]);
        assert.deepEqual(Object.keys(payload).sort(), [...EVENT_FIELDS[name]].sort());
      }
    } finally {
      sub.unsubscribe();
      await bus.close();
    }
  });

  it("uses subjects mmo.<event name> by default", async () => {
    const characterId = randomUUID();
    let got: Record<string, unknown> | undefined;
    const sub = raw.subscribe("mmo.character.leveled", {
      callback: (_err, msg) => {
        const body = JSON.parse(decoder.decode(msg.data));
        if (body.characterId === characterId) got = body;
      },
    });
    await raw.flush();
    const bus = createNatsEventBus({ url: SERVICE_URLS.nats, logger, stream: false });
    try {
      assert.equal(await bus.whenReady(3_000), true);
      bus.publish("character.leveled", { characterId, level: 10, previousLevel: 9 });
      const body = await waitFor("mmo.character.leveled", () => got);
      assert.equal(body.level, 10);
      assert.equal(body.previousLevel, 9);
    } finally {
      sub.unsubscribe();
      await bus.close();
    }
  });

  it("lets a bus in one process subscribe to events another bus publishes", async () => {
    const publisher = createNatsEventBus({
      url: SERVICE_URLS.nats,
      logger,
      subjectPrefix: prefix,
      stream: false,
    });
    const listener = createNatsEventBus({
      url: SERVICE_URLS.nats,
      logger,
      subjectPrefix: prefix,
      stream: false,
    });
    try {
      const seen: DomainEvents["item.looted"][] = [];
      const unsubscribe = listener.subscribe("item.looted", (event) => {
        assert.match(event.at, ISO);
        seen.push(event);
      });
      assert.equal(await listener.whenReady(3_000), true);
      assert.equal(await publisher.whenReady(3_000), true);
      await listener.flush(); // its SUB has reached the server
      publisher.publish("item.looted", SAMPLES["item.looted"]);
      publisher.publish("quest.completed", SAMPLES["quest.completed"]);
      await waitFor("item.looted", () => seen[0]);
      unsubscribe();
      publisher.publish("item.looted", { ...SAMPLES["item.looted"], quantity: 9 });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.quantity, 2);
    } finally {
      await publisher.close();
      await listener.close();
    }
  });

  it("creates the JetStream stream idempotently and stores published events", async () => {
    const first = createNatsEventBus({
      url: SERVICE_URLS.nats,
      logger,
      subjectPrefix: prefix,
      stream,
    });
    const second = createNatsEventBus({
      url: SERVICE_URLS.nats,
      logger,
      subjectPrefix: prefix,
      stream,
    });
    try {
      assert.equal(await first.whenReady(3_000), true);
      assert.equal(await second.whenReady(3_000), true);
      const jsm = await raw.jetstreamManager();
      const info = await jsm.streams.info(stream.name);
      assert.deepEqual(info.config.subjects, [`${prefix}.>`]);
      const questId = randomUUID();
      first.publish("quest.completed", { characterId: "c9", questId });
      const stored = await storedEvent(raw, stream.name, `${prefix}.quest.completed`, questId);
      assert.equal(stored.json<{ characterId: string }>().characterId, "c9");
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("is chosen by createEventBus when a NATS URL is set", async () => {
    const bus = await createEventBus({
      natsUrl: SERVICE_URLS.nats,
      logger,
      subjectPrefix: prefix,
      stream: false,
    });
    try {
      assert.equal(bus.kind, "nats");
    } finally {
      await bus.close();
    }
    const local = await createEventBus({ logger });
    assert.equal(local.kind, "local");
    await local.close();
  });
});

/** A private nats-server this test can stop and start; undefined when the binary is missing. */
const NATS_SERVER = spawnSync("sh", ["-c", "command -v nats-server"]).stdout.toString().trim();

async function startNatsServer(port: number): Promise<ChildProcess> {
  const child = spawn(NATS_SERVER, ["-a", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const deadline = Date.now() + 5_000;
  for (;;) {
    const nc = await connect({ servers: `nats://127.0.0.1:${port}`, timeout: 200 }).catch(
      () => undefined,
    );
    if (nc) {
      await nc.close();
      return child;
    }
    if (Date.now() > deadline) throw new Error("nats-server did not start");
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("createNatsEventBus when NATS is down", function () {
  before(function () {
    if (!NATS_SERVER) this.skip();
  });

  it("queues events published before NATS is up and delivers them once it is", async () => {
    const port = await freePort();
    const bus = createNatsEventBus({ url: `nats://127.0.0.1:${port}`, logger, stream: false });
    let server: ChildProcess | undefined;
    try {
      const seen: string[] = [];
      bus.subscribe("player.joined", (event) => seen.push(event.roomId));
      const started = Date.now();
      bus.publish("player.joined", { ...SAMPLES["player.joined"], roomId: "early" });
      assert.ok(Date.now() - started < 50);
      assert.equal(await bus.whenReady(100), false);
      server = await startNatsServer(port);
      assert.equal(await bus.whenReady(5_000), true);
      await waitFor("queued event", () => seen[0]);
      assert.deepEqual(seen, ["early"]);
    } finally {
      await bus.close();
      if (server) await stop(server);
    }
  });

  it("never throws when publishing after the server went away or the bus closed, and counts failures", async () => {
    const port = await freePort();
    const server = await startNatsServer(port);
    const metrics = createMetrics({ defaultMetrics: false });
    const bus = createNatsEventBus({
      url: `nats://127.0.0.1:${port}`,
      logger,
      metrics,
      stream: false,
      drainTimeoutMs: 300,
    });
    try {
      assert.equal(await bus.whenReady(3_000), true);
      await stop(server);
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      assert.doesNotThrow(() => bus.publish("player.left", SAMPLES["player.left"]));
      assert.ok(Date.now() - started < 50);
      const closing = Date.now();
      await bus.close();
      assert.ok(Date.now() - closing < 1_500, "close is bounded by the drain timeout");
      assert.doesNotThrow(() => bus.publish("player.left", SAMPLES["player.left"]));
      const text = await metrics.registry.metrics();
      assert.ok(metricValue(text, 'mmo_event_publish_failures_total{event="player.left"}') >= 1);
    } finally {
      await stop(server);
    }
  });

  it("closes promptly while still trying to connect, counting the unsent events", async () => {
    const port = await freePort();
    const metrics = createMetrics({ defaultMetrics: false });
    const bus = createNatsEventBus({
      url: `nats://127.0.0.1:${port}`,
      logger,
      metrics,
      stream: false,
    });
    bus.publish("quest.completed", SAMPLES["quest.completed"]);
    const started = Date.now();
    await bus.close();
    assert.ok(Date.now() - started < 200);
    const text = await metrics.registry.metrics();
    assert.equal(metricValue(text, 'mmo_event_publish_failures_total{event="quest.completed"}'), 1);
  });
});

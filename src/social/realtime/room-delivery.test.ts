import { strict as assert } from "node:assert";
import { LocalPresence } from "@colyseus/core";
import { Channels } from "../../infra/channels.ts";
import { holdMessage } from "./held-messages.ts";
import { publishToPlayer } from "./realtime-message.ts";
import { RoomDelivery, type DeliverySession } from "./room-delivery.ts";

const tick = () => new Promise((resolve) => setImmediate(resolve));

function session(characterId: string, inbox: unknown[]) {
  const s = {
    characterId,
    handedOff: false,
    send: (type: string, payload: unknown) => inbox.push({ type, payload }),
  };
  return s as DeliverySession & { handedOff: boolean };
}

function room(presence: LocalPresence, roomId: string, zoneId = "town") {
  const timers: (() => void)[] = [];
  const delivery = new RoomDelivery({
    presence,
    roomId,
    zoneId,
    later: (callback) => void timers.push(callback),
  });
  return { delivery, runTimers: () => timers.splice(0).forEach((t) => t()) };
}

const texts = (inbox: unknown[]) =>
  inbox.map((m) => (m as { payload: { text: string } }).payload.text);

describe("room delivery", () => {
  it("delivers a personal message once to the room that holds the player", async () => {
    const presence = new LocalPresence();
    const a = room(presence, "A");
    const inbox: unknown[] = [];
    await a.delivery.join(session("c1", inbox));
    const message = { type: "chat", id: "m1", text: "hi" };
    await presence.publish(Channels.player("c1"), message);
    await presence.publish(Channels.player("c1"), message);
    assert.deepEqual(texts(inbox), ["hi"]);
  });

  it("parks what arrives during a portal hand-over and hands it to the landing room exactly once", async () => {
    const presence = new LocalPresence();
    const a = room(presence, "A");
    const b = room(presence, "B", "field");
    const inA: unknown[] = [];
    const inB: unknown[] = [];
    const old = session("c1", inA);
    await a.delivery.join(old);
    await publishToPlayer(presence, "c1", { type: "chat", text: "before" });
    old.handedOff = true;
    a.delivery.handingOff("c1");
    await publishToPlayer(presence, "c1", { type: "chat", text: "in transit 1" });
    await publishToPlayer(presence, "c1", { type: "chat", text: "in transit 2" });
    await tick();
    await b.delivery.join(session("c1", inB));
    await publishToPlayer(presence, "c1", { type: "chat", text: "landed" });
    a.delivery.left("c1");
    b.runTimers();
    await tick();
    await publishToPlayer(presence, "c1", { type: "chat", text: "after" });
    assert.deepEqual(texts(inA), ["before"]);
    assert.deepEqual(texts(inB), ["in transit 1", "in transit 2", "landed", "after"]);
  });

  it("catches a push that raced the first drain on the second drain, without a duplicate", async () => {
    const presence = new LocalPresence();
    const b = room(presence, "B");
    const inB: unknown[] = [];
    await b.delivery.join(session("c1", inB));
    const late = { type: "chat", id: "late", text: "late push" };
    // Published before B subscribed; the old room's push lands after B's first drain.
    await holdMessage(presence, "c1", late);
    await holdMessage(presence, "c1", late);
    b.runTimers();
    await tick();
    assert.deepEqual(texts(inB), ["late push"]);
  });

  it("subscribes a channel once per room and releases it after its last local user", async () => {
    const presence = new LocalPresence();
    const a = room(presence, "A");
    await a.delivery.join(session("c1", []));
    await a.delivery.join(session("c2", []));
    assert.equal(presence.subscriptions.listenerCount(Channels.zone("town")), 1);
    a.delivery.left("c1");
    assert.equal(presence.subscriptions.listenerCount(Channels.zone("town")), 1);
    a.delivery.left("c2");
    assert.equal(presence.subscriptions.listenerCount(Channels.zone("town")), 0);
    assert.equal(presence.subscriptions.listenerCount(Channels.player("c2")), 0);
  });

  it("drops chat from a sender the recipient blocks", async () => {
    const presence = new LocalPresence();
    const a = room(presence, "A");
    const inbox: unknown[] = [];
    await a.delivery.join(session("c1", inbox), { blocked: new Set(["bad"]) });
    await presence.publish(Channels.zone("town"), {
      type: "chat",
      id: "1",
      fromId: "bad",
      text: "x",
    });
    await presence.publish(Channels.zone("town"), {
      type: "chat",
      id: "2",
      fromId: "ok",
      text: "y",
    });
    assert.deepEqual(texts(inbox), ["y"]);
  });

  it("relays every id-less notice (blocksChanged twice is two changes)", async () => {
    const presence = new LocalPresence();
    const a = room(presence, "A");
    const inbox: { type: string }[] = [];
    await a.delivery.join(session("c1", inbox as unknown[]));
    await presence.publish(Channels.player("c1"), { type: "blocksChanged", ownerId: "c1" });
    await presence.publish(Channels.player("c1"), { type: "blocksChanged", ownerId: "c1" });
    assert.equal(inbox.filter((m) => m.type === "blocksChanged").length, 2);
  });
});

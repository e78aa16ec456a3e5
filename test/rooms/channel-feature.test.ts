import assert from "node:assert/strict";
import type { Client } from "@colyseus/core";
import { channelFeature } from "../../rooms/channel-feature.ts";
import type { FeatureHost, FeatureSession, RoomFeature } from "../../rooms/room-feature.ts";
import { channelCapacity, type ChannelLoad } from "../../src/game/world/channel-placement.ts";
import type { ZoneContent } from "../../src/game/world/zone-content.ts";
import { createLogger } from "../../src/logger.ts";
import type { ChannelDirectory } from "../../src/zone/channel-directory.ts";
import { until } from "../helpers/game-server.ts";

type Sent = { type: string; payload: { code?: string; type?: string } };

/** A town room "r1" (channel 1) beside channel 2 ("r2", one player) and a full channel 3. */
function setUp(kind: ZoneContent["kind"] = "town") {
  const combat = new Map<string, number>();
  const switched: { characterId: string; roomId: string }[] = [];
  const sent: Sent[] = [];
  const session: FeatureSession = {
    client: {} as Client,
    characterId: "c1",
    accountId: "a1",
    name: "One",
    handedOff: false,
    dropped: false,
    send: (type, payload) => void sent.push({ type, payload: payload as Sent["payload"] }),
  };
  const channels: ChannelLoad[] = [
    { channel: 1, roomId: "r1", players: 1 },
    { channel: 2, roomId: "r2", players: 1 },
    { channel: 3, roomId: "r3", players: 2 },
  ];
  const directory = {
    capacityOf: () => channelCapacity(2),
    list: async () => channels.map((c) => ({ ...c, zone: "town" })),
    matesOf: async () => ({ partyRooms: [], guildRooms: [] }),
  } as unknown as ChannelDirectory;
  const host = {
    roomId: "r1",
    roomName: "zone",
    zone: { id: "town", kind } as ZoneContent,
    sim: { combatCountOf: (id: string) => combat.get(id) ?? 0 },
    log: createLogger("silent"),
    session: () => session,
    sessions: () => [session],
    later: () => undefined,
    async switchRoom(characterId: string, roomId: string) {
      switched.push({ characterId, roomId });
    },
  } as unknown as FeatureHost;
  const feature: RoomFeature = channelFeature(directory)(host);
  feature.joined?.(session);
  const send = (payload: unknown) => feature.messages!.switchChannel!(session, payload);
  const codes = () => sent.map((s) => s.payload.code);
  return { feature, session, combat, switched, sent, send, codes };
}

// Issue 13: switchChannel refusals that need no cluster (see test/scale/channels.test.ts).
describe("channel switch feature", () => {
  it("hands the player to the target channel's room when it has a seat", async () => {
    const { send, switched, sent } = setUp();
    send({ channel: 2 });
    await until(() => switched.length === 1, 1000, "the switch");
    assert.deepEqual(switched, [{ characterId: "c1", roomId: "r2" }]);
    assert.deepEqual(sent, []);
  });

  it("refuses with IN_COMBAT while the player fought in the last few seconds", async () => {
    const { feature, send, combat, switched, codes, sent } = setUp();
    combat.set("c1", 3);
    feature.tick?.(20);
    send({ channel: 2 });
    await until(() => sent.length === 1, 1000, "the refusal");
    assert.deepEqual(codes(), ["IN_COMBAT"]);
    assert.deepEqual(sent[0]!.payload.type, "switchChannel");
    assert.deepEqual(switched, []);
  });

  it("refuses same, unknown and full channels, then too frequent requests", async () => {
    const { send, codes, switched } = setUp();
    send({ channel: 1 });
    send({ channel: 7 });
    send({ channel: 3 });
    await until(() => codes().length === 3, 1000, "three refusals");
    send({ channel: 2 });
    assert.deepEqual(codes(), ["SAME_CHANNEL", "UNKNOWN_CHANNEL", "CHANNEL_FULL", "RATE_LIMITED"]);
    assert.deepEqual(switched, []);
  });

  it("refuses malformed requests with INVALID_MESSAGE", () => {
    const { send, codes, switched } = setUp();
    send({ channel: 2.5 });
    send({ channel: 0 });
    send({ channel: 2, extra: true });
    assert.deepEqual(codes(), ["INVALID_MESSAGE", "INVALID_MESSAGE", "INVALID_MESSAGE"]);
    assert.deepEqual(switched, []);
  });

  it("adds nothing to dungeon and arena rooms", () => {
    assert.deepEqual(setUp("instance").feature.messages, undefined);
    assert.deepEqual(setUp("arena").feature.messages, undefined);
  });
});

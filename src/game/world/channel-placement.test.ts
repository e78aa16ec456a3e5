import assert from "node:assert/strict";
import fc from "fast-check";
import {
  channelCapacity,
  checkChannelSwitch,
  choosePlacement,
  lowestFreeChannel,
  type ChannelLoad,
} from "./channel-placement.ts";

const cap = channelCapacity(2); // soft 2, hard 3
const ch = (channel: number, players: number, locked = false): ChannelLoad => ({
  channel,
  roomId: `r${channel}`,
  players,
  locked,
});
const alone = { partyRooms: [], guildRooms: [] };

describe("channel placement", () => {
  it("keeps a tenth of the soft capacity, at least one seat, as headroom", () => {
    assert.deepEqual(channelCapacity(2), { soft: 2, hard: 3 });
    assert.deepEqual(channelCapacity(200), { soft: 200, hard: 220 });
    assert.deepEqual(channelCapacity(15), { soft: 15, hard: 17 });
  });

  it("numbers a new channel with the lowest free number", () => {
    assert.equal(lowestFreeChannel([]), 1);
    assert.equal(lowestFreeChannel([1, 2, 3]), 4);
    assert.equal(lowestFreeChannel([1, 3, 4]), 2);
    assert.equal(lowestFreeChannel([2, 3]), 1);
  });

  it("opens the first channel when the zone has none", () => {
    assert.deepEqual(choosePlacement([], cap, alone), { kind: "open" });
  });

  it("goes to the least-full channel under the soft capacity, the lower number on a tie", () => {
    assert.deepEqual(choosePlacement([ch(1, 1), ch(2, 0), ch(3, 0)], cap, alone), {
      kind: "join",
      roomId: "r2",
      channel: 2,
      reason: "leastFull",
    });
  });

  it("opens a channel when every channel is at the soft capacity or locked", () => {
    assert.deepEqual(choosePlacement([ch(1, 2), ch(2, 3), ch(3, 0, true)], cap, alone), {
      kind: "open",
    });
  });

  it("joins the party's channel when it is at the soft capacity but under the hard one", () => {
    const placed = choosePlacement([ch(1, 2), ch(2, 0)], cap, {
      partyRooms: ["r1"],
      guildRooms: ["r2"],
    });
    assert.deepEqual(placed, { kind: "join", roomId: "r1", channel: 1, reason: "party" });
  });

  it("goes where most of the party is, and skips a party channel at the hard capacity", () => {
    const channels = [ch(1, 1), ch(2, 2), ch(3, 3)];
    const most = choosePlacement(channels, cap, {
      partyRooms: ["r1", "r2", "r2", "r3", "r3", "r3"],
      guildRooms: [],
    });
    assert.deepEqual(most, { kind: "join", roomId: "r2", channel: 2, reason: "party" });
  });

  it("falls back to the guild's channel, then to the least full, when the party's is full", () => {
    const channels = [ch(1, 3), ch(2, 2), ch(3, 1)];
    const guild = choosePlacement(channels, cap, { partyRooms: ["r1"], guildRooms: ["r2"] });
    assert.deepEqual(guild, { kind: "join", roomId: "r2", channel: 2, reason: "guild" });
    const least = choosePlacement(channels, cap, { partyRooms: ["r1"], guildRooms: ["gone"] });
    assert.deepEqual(least, { kind: "join", roomId: "r3", channel: 3, reason: "leastFull" });
  });

  it("never places a joiner at or above the hard capacity, nor above the soft one without mates", () => {
    const load = fc.record({
      players: fc.integer({ min: 0, max: 5 }),
      locked: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(load, { maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 4 }),
        (loads, party, guild) => {
          const channels = loads.map((l, i) => ch(i + 1, l.players, l.locked));
          const mates = {
            partyRooms: party.map((i) => `r${i}`),
            guildRooms: guild.map((i) => `r${i}`),
          };
          const placed = choosePlacement(channels, cap, mates);
          if (placed.kind === "open") {
            return channels.every((c) => c.locked || c.players >= cap.soft);
          }
          const target = channels.find((c) => c.roomId === placed.roomId)!;
          const limit = placed.reason === "leastFull" ? cap.soft : cap.hard;
          return !target.locked && target.players < limit;
        },
      ),
    );
  });
});

describe("channel switch", () => {
  const channels = [ch(1, 1), ch(2, 2), ch(3, 0, true), ch(4, 1)];

  it("allows a channel with a seat under the soft capacity", () => {
    assert.deepEqual(checkChannelSwitch(channels, cap, "r1", 4, []), { ok: true, roomId: "r4" });
  });

  it("refuses an unknown channel, one's own channel, and a full or locked one", () => {
    assert.deepEqual(checkChannelSwitch(channels, cap, "r1", 9, []), {
      ok: false,
      code: "UNKNOWN_CHANNEL",
    });
    assert.deepEqual(checkChannelSwitch(channels, cap, "r1", 1, []), {
      ok: false,
      code: "SAME_CHANNEL",
    });
    assert.deepEqual(checkChannelSwitch(channels, cap, "r1", 2, []), {
      ok: false,
      code: "CHANNEL_FULL",
    });
    assert.deepEqual(checkChannelSwitch(channels, cap, "r1", 3, ["r3"]), {
      ok: false,
      code: "CHANNEL_FULL",
    });
  });

  it("lets a player join its party in a channel at the soft capacity", () => {
    assert.deepEqual(checkChannelSwitch(channels, cap, "r1", 2, ["r2"]), {
      ok: true,
      roomId: "r2",
    });
  });
});

import assert from "node:assert/strict";
import { LocalPresence } from "@colyseus/core";
import { Channels } from "../../src/infra/channels.ts";
import { createPresenceNotifiers } from "../../src/social/presence-notifier.ts";

describe("presence social notifiers", () => {
  it("publishes a guild change on the guild channel and on each alsoNotify player's channel", async () => {
    const presence = new LocalPresence();
    const heard: [string, unknown][] = [];
    for (const channel of [Channels.guild("g1"), Channels.player("c1"), Channels.player("c2")]) {
      await presence.subscribe(channel, (message: unknown) => heard.push([channel, message]));
    }
    const { guild } = createPresenceNotifiers(presence, () => 1234);
    const change = { kind: "kicked", characterId: "c1", name: "Bob", by: "c9" } as const;
    await guild.guildChanged("g1", change, ["c1", "c1"]);
    assert.equal(heard.length, 2, "one message per channel, duplicates in alsoNotify dropped");
    const [onGuild, onPlayer] = heard;
    assert.equal(onGuild![0], Channels.guild("g1"));
    assert.equal(onPlayer![0], Channels.player("c1"));
    const message = onGuild![1] as {
      type: string;
      id: string;
      guildId: string;
      change: unknown;
      at: number;
    };
    assert.deepEqual(
      { ...message, id: undefined },
      {
        type: "guild",
        id: undefined,
        guildId: "g1",
        change,
        at: 1234,
      },
    );
    assert.match(message.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(onPlayer![1], message, "the same message (same id) on both channels");
  });

  it("publishes blocksChanged on the owner's channel", async () => {
    const presence = new LocalPresence();
    const heard: unknown[] = [];
    await presence.subscribe(Channels.player("c1"), (message: unknown) => heard.push(message));
    await createPresenceNotifiers(presence).social.blocksChanged("c1");
    assert.deepEqual(heard, [{ type: "blocksChanged", ownerId: "c1" }]);
  });
});

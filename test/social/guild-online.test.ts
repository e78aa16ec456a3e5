import assert from "node:assert/strict";
import type { Room } from "@colyseus/sdk";
import supertest from "supertest";
import { GUILD_CREATION_FEE_GOLD } from "../../src/game/social/guild-rules.ts";
import { DATABASE_TARGETS } from "../helpers/databases.ts";
import {
  enterWorld,
  newPlayer,
  nextMessage,
  sleep,
  startTestGame,
  type TestGame,
} from "../helpers/game-server.ts";

/** The whole server: a founder in a zone pays from the room's purse, and hears its guild. */
describe("guilds with the founder online (whole server)", function () {
  let game: TestGame;
  const rooms: Room[] = [];

  before(async () => {
    game = await startTestGame(DATABASE_TARGETS[0]!);
  });
  after(async () => {
    // A room the server already closed never answers leave(): do not wait on it.
    await Promise.all(
      rooms.map((r) => Promise.race([r.leave(true).catch(() => undefined), sleep(1000)])),
    );
    await game?.stop();
  });

  const goldInDb = async (id: string) =>
    Number((await game.server.db.prisma.character.findUniqueOrThrow({ where: { id } })).gold);

  it("founds a guild for an online character, keeps the fee after it leaves, and relays changes", async () => {
    const founder = await newPlayer(game.url);
    await game.server.db.prisma.character.update({
      where: { id: founder.characterId },
      data: { gold: 300 },
    });
    const { room } = await enterWorld(game.url, founder);
    rooms.push(room);
    const heard = nextMessage<{ guildId: string; change: { kind: string; by: string } }>(
      room,
      "guild",
    );
    const res = await supertest(game.url)
      .post("/v1/guilds")
      .set({ Authorization: `Bearer ${founder.token}` })
      .send({ characterId: founder.characterId, name: "Online Founders", tag: "ONF" })
      .expect(201);
    const message = await heard;
    assert.equal(message.guildId, res.body.id);
    assert.deepEqual(message.change, { kind: "created", by: founder.characterId });
    assert.equal(await goldInDb(founder.characterId), 300 - GUILD_CREATION_FEE_GOLD);

    // Guild chat from the room is kept for the REST history.
    room.send("chat", { channel: "guild", text: "first words" });
    let lines: { text: string; fromId: string }[] = [];
    for (let i = 0; i < 50 && lines.length === 0; i += 1) {
      await sleep(100);
      const chat = await supertest(game.url)
        .get(`/v1/guilds/${res.body.id}/chat?characterId=${founder.characterId}`)
        .set({ Authorization: `Bearer ${founder.token}` })
        .expect(200);
      lines = chat.body.messages;
    }
    assert.deepEqual(
      lines.map((l) => [l.fromId, l.text]),
      [[founder.characterId, "first words"]],
    );

    // Leaving saves the room's copy: it must carry the fee, not the purse from before it.
    await Promise.race([room.leave(true).catch(() => undefined), sleep(2000)]);
    rooms.splice(0);
    await sleep(300);
    assert.equal(await goldInDb(founder.characterId), 300 - GUILD_CREATION_FEE_GOLD);
  });
});

import supertest from "supertest";
import { bearer, type SocialTestApp, type TestCharacter } from "./social-app.ts";

let guildSeq = 0;
/** A unique guild name and tag (letters and digits). */
export function guildName() {
  guildSeq += 1;
  const n = `${process.pid % 1000}x${guildSeq}`;
  return { name: `Order ${n}`, tag: `G${guildSeq}`.slice(0, 5) };
}

/** Guild requests as a character, on the app `app()` returns (set in a `before` hook). */
export function guildKit(app: () => SocialTestApp) {
  const post = (path: string, who: TestCharacter, body: object) =>
    supertest(app().app).post(path).set(bearer(who.token)).send(body);
  const create = (who: TestCharacter, name = guildName()) =>
    post("/v1/guilds", who, { characterId: who.id, ...name });
  const act = (guildId: string, action: string, who: TestCharacter, name?: string) =>
    post(`/v1/guilds/${guildId}/${action}`, who, {
      characterId: who.id,
      ...(name === undefined ? {} : { name }),
    });
  return {
    post,
    create,
    act,
    async goldOf(c: TestCharacter): Promise<number> {
      const res = await supertest(app().app)
        .get(`/v1/characters/${c.id}`)
        .set(bearer(c.token))
        .expect(200);
      return res.body.gold;
    },
    /** A guild led by `leader` with `members` joined (invited by the leader), in order. */
    async guildWith(leader: TestCharacter, ...members: TestCharacter[]): Promise<string> {
      const guild = (await create(leader).expect(201)).body;
      for (const m of members) {
        await act(guild.id, "invites", leader, m.name).expect(201);
        await act(guild.id, "accept", m).expect(200);
      }
      app().guildChanges.length = 0;
      return guild.id;
    },
    async rankOf(guildId: string, c: TestCharacter): Promise<string | undefined> {
      const res = await supertest(app().app).get(`/v1/guilds/${guildId}`).set(bearer(c.token));
      return res.body.members.find((m: { characterId: string }) => m.characterId === c.id)?.rank;
    },
  };
}

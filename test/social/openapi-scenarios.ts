import supertest from "supertest";
import type { PrismaClient } from "../../src/db/database.ts";
import { registerAccount } from "../helpers/http-app.ts";

type Scenario = { status: number; run(app: string): Promise<supertest.Response> };
type Who = { id: string; name: string; auth: { Authorization: string } };

let seq = 0;

/**
 * Requests for test/http/openapi.test.ts covering every social operation it documents. The
 * scenarios of one operation run in order; operations run in document order, so each works on
 * characters and guilds of its own, set up here.
 */
export async function socialScenarios(
  app: string,
  prisma: PrismaClient,
): Promise<Record<string, Scenario[]>> {
  async function character(gold = 0): Promise<Who> {
    const account = await registerAccount(app);
    seq += 1;
    const name = `Oas${process.pid % 1000}_${seq}`;
    const auth = { Authorization: `Bearer ${account.accessToken}` };
    const res = await supertest(app)
      .post("/v1/characters")
      .set(auth)
      .send({ name, race: "human", job: "warrior" })
      .expect(201);
    if (gold > 0) await prisma.character.update({ where: { id: res.body.id }, data: { gold } });
    return { id: res.body.id, name, auth };
  }
  const call = (method: "post" | "delete", path: string, who: Who, body?: object) => {
    const req = supertest(app)[method](path).set(who.auth);
    return body === undefined ? req : req.send(body);
  };
  async function guild(leader: Who, tag: string, ...members: Who[]): Promise<string> {
    const res = await call("post", "/v1/guilds", leader, {
      characterId: leader.id,
      name: `Guild ${tag} ${process.pid % 1000}`,
      tag,
    }).expect(201);
    for (const m of members) {
      await call("post", `/v1/guilds/${res.body.id}/invites`, leader, {
        characterId: leader.id,
        name: m.name,
      }).expect(201);
      await call("post", `/v1/guilds/${res.body.id}/accept`, m, { characterId: m.id }).expect(200);
    }
    return res.body.id;
  }

  const [leader, officer, member, kicked, leaver, stranger, joiner, decliner] = await Promise.all(
    Array.from({ length: 8 }, (_, i) => character(i === 0 ? 1000 : 0)),
  );
  const [founder, poor, disbander, giver, taker, friend, foe] = await Promise.all([
    character(500),
    character(10),
    character(500),
    character(500),
    character(0),
    character(0),
    character(0),
  ]);
  const g = await guild(leader!, "OA1", officer!, member!, kicked!, leaver!);
  await call("post", `/v1/guilds/${g}/promote`, leader!, {
    characterId: leader!.id,
    name: officer!.name,
  }).expect(200);
  for (const invitee of [joiner!, decliner!]) {
    await call("post", `/v1/guilds/${g}/invites`, leader!, {
      characterId: leader!.id,
      name: invitee.name,
    }).expect(201);
  }
  const doomed = await guild(disbander!, "OA2", stranger!);
  const handed = await guild(giver!, "OA3", taker!);
  await call("post", `/v1/characters/${leader!.id}/friends`, leader!, { name: friend!.name });
  await call("post", `/v1/characters/${leader!.id}/blocks`, leader!, { name: foe!.name });

  const L = leader!;
  const on = (who: Who) => `/v1/characters/${who.id}`;
  const get = (path: string, who?: Who) =>
    who ? supertest(app).get(path).set(who.auth) : supertest(app).get(path);
  const as = (who: Who, name?: string) => ({
    characterId: who.id,
    ...(name === undefined ? {} : { name }),
  });
  const post = (path: string, who: Who, body: object) => call("post", path, who, body);

  return {
    "get /v1/characters/{id}/friends": [
      { status: 200, run: () => get(`${on(L)}/friends`, L) },
      { status: 401, run: () => get(`${on(L)}/friends`) },
      { status: 404, run: () => get(`${on(L)}/friends`, member!) },
    ],
    "post /v1/characters/{id}/friends": [
      { status: 201, run: () => post(`${on(L)}/friends`, L, { name: member!.name }) },
      { status: 409, run: () => post(`${on(L)}/friends`, L, { name: member!.name }) },
      { status: 400, run: () => post(`${on(L)}/friends`, L, { name: L.name }) },
      { status: 404, run: () => post(`${on(L)}/friends`, L, { name: "Nobody_here" }) },
      {
        status: 401,
        run: () =>
          supertest(app)
            .post(`${on(L)}/friends`)
            .send({ name: "x" }),
      },
    ],
    "delete /v1/characters/{id}/friends/{name}": [
      { status: 204, run: () => call("delete", `${on(L)}/friends/${friend!.name}`, L) },
      { status: 404, run: () => call("delete", `${on(L)}/friends/${friend!.name}`, L) },
      { status: 401, run: () => supertest(app).delete(`${on(L)}/friends/${friend!.name}`) },
    ],
    "get /v1/characters/{id}/blocks": [
      { status: 200, run: () => get(`${on(L)}/blocks`, L) },
      { status: 401, run: () => get(`${on(L)}/blocks`) },
      { status: 404, run: () => get(`${on(L)}/blocks`, member!) },
    ],
    "post /v1/characters/{id}/blocks": [
      { status: 201, run: () => post(`${on(L)}/blocks`, L, { name: stranger!.name }) },
      { status: 409, run: () => post(`${on(L)}/blocks`, L, { name: stranger!.name }) },
      { status: 400, run: () => post(`${on(L)}/blocks`, L, {}) },
      { status: 404, run: () => post(`${on(L)}/blocks`, member!, { name: foe!.name }) },
      {
        status: 401,
        run: () =>
          supertest(app)
            .post(`${on(L)}/blocks`)
            .send({ name: "x" }),
      },
    ],
    "delete /v1/characters/{id}/blocks/{name}": [
      { status: 204, run: () => call("delete", `${on(L)}/blocks/${foe!.name}`, L) },
      { status: 404, run: () => call("delete", `${on(L)}/blocks/${foe!.name}`, L) },
      { status: 401, run: () => supertest(app).delete(`${on(L)}/blocks/${foe!.name}`) },
    ],
    "get /v1/characters/{id}/guild": [
      { status: 200, run: () => get(`${on(L)}/guild`, L) },
      { status: 404, run: () => get(`${on(friend!)}/guild`, friend!) },
      { status: 401, run: () => get(`${on(L)}/guild`) },
    ],
    "get /v1/characters/{id}/guild-invites": [
      { status: 200, run: () => get(`${on(joiner!)}/guild-invites`, joiner!) },
      { status: 404, run: () => get(`${on(joiner!)}/guild-invites`, L) },
      { status: 401, run: () => get(`${on(joiner!)}/guild-invites`) },
    ],
    "get /v1/guilds": [
      { status: 200, run: () => get("/v1/guilds?name=guild%20oa", L) },
      { status: 400, run: () => get("/v1/guilds?name=%25", L) },
      { status: 401, run: () => get("/v1/guilds") },
    ],
    "post /v1/guilds": [
      {
        status: 201,
        run: () => post("/v1/guilds", founder!, { ...as(founder!), name: "Founders", tag: "FND" }),
      },
      {
        status: 409,
        run: () => post("/v1/guilds", poor!, { ...as(poor!), name: "Paupers", tag: "PAU" }),
      },
      { status: 400, run: () => post("/v1/guilds", poor!, { ...as(poor!), name: "x", tag: "PA" }) },
      {
        status: 404,
        run: () => post("/v1/guilds", L, { ...as(poor!), name: "Thieves", tag: "THF" }),
      },
      { status: 401, run: () => supertest(app).post("/v1/guilds").send({}) },
    ],
    "get /v1/guilds/{id}": [
      { status: 200, run: () => get(`/v1/guilds/${g}`, stranger!) },
      { status: 404, run: () => get("/v1/guilds/00000000-0000-4000-8000-000000000000", L) },
      { status: 401, run: () => get(`/v1/guilds/${g}`) },
    ],
    "delete /v1/guilds/{id}": [
      {
        status: 403,
        run: () => call("delete", `/v1/guilds/${doomed}?characterId=${stranger!.id}`, stranger!),
      },
      { status: 400, run: () => call("delete", `/v1/guilds/${doomed}`, disbander!) },
      {
        status: 404,
        run: () => call("delete", `/v1/guilds/${doomed}`, L, as(disbander!)),
      },
      { status: 401, run: () => supertest(app).delete(`/v1/guilds/${doomed}`) },
      {
        status: 204,
        run: () => call("delete", `/v1/guilds/${doomed}`, disbander!, as(disbander!)),
      },
    ],
    "get /v1/guilds/{id}/chat": [
      { status: 200, run: () => get(`/v1/guilds/${g}/chat?characterId=${member!.id}`, member!) },
      { status: 403, run: () => get(`/v1/guilds/${g}/chat?characterId=${friend!.id}`, friend!) },
      { status: 400, run: () => get(`/v1/guilds/${g}/chat`, member!) },
      { status: 404, run: () => get(`/v1/guilds/${g}/chat?characterId=${member!.id}`, L) },
      { status: 401, run: () => get(`/v1/guilds/${g}/chat?characterId=${member!.id}`) },
    ],
    "post /v1/guilds/{id}/invites": [
      {
        status: 201,
        run: () => post(`/v1/guilds/${g}/invites`, officer!, as(officer!, friend!.name)),
      },
      { status: 409, run: () => post(`/v1/guilds/${g}/invites`, L, as(L, friend!.name)) },
      { status: 403, run: () => post(`/v1/guilds/${g}/invites`, member!, as(member!, foe!.name)) },
      { status: 404, run: () => post(`/v1/guilds/${g}/invites`, L, as(L, "Nobody_here")) },
      { status: 400, run: () => post(`/v1/guilds/${g}/invites`, L, as(L)) },
      { status: 401, run: () => supertest(app).post(`/v1/guilds/${g}/invites`).send({}) },
    ],
    "post /v1/guilds/{id}/accept": [
      { status: 200, run: () => post(`/v1/guilds/${g}/accept`, joiner!, as(joiner!)) },
      { status: 404, run: () => post(`/v1/guilds/${g}/accept`, foe!, as(foe!)) },
      { status: 400, run: () => post(`/v1/guilds/${g}/accept`, foe!, {}) },
      { status: 401, run: () => supertest(app).post(`/v1/guilds/${g}/accept`).send({}) },
    ],
    "post /v1/guilds/{id}/decline": [
      { status: 204, run: () => post(`/v1/guilds/${g}/decline`, decliner!, as(decliner!)) },
      { status: 404, run: () => post(`/v1/guilds/${g}/decline`, decliner!, as(decliner!)) },
      { status: 400, run: () => post(`/v1/guilds/${g}/decline`, decliner!, { characterId: 1 }) },
      { status: 401, run: () => supertest(app).post(`/v1/guilds/${g}/decline`).send({}) },
    ],
    "post /v1/guilds/{id}/leave": [
      { status: 409, run: () => post(`/v1/guilds/${g}/leave`, L, as(L)) },
      { status: 204, run: () => post(`/v1/guilds/${g}/leave`, leaver!, as(leaver!)) },
      { status: 403, run: () => post(`/v1/guilds/${g}/leave`, leaver!, as(leaver!)) },
      { status: 404, run: () => post(`/v1/guilds/${g}/leave`, L, as(leaver!)) },
      { status: 400, run: () => post(`/v1/guilds/${g}/leave`, L, {}) },
      { status: 401, run: () => supertest(app).post(`/v1/guilds/${g}/leave`).send({}) },
    ],
    "post /v1/guilds/{id}/kick": [
      { status: 403, run: () => post(`/v1/guilds/${g}/kick`, member!, as(member!, kicked!.name)) },
      {
        status: 200,
        run: () => post(`/v1/guilds/${g}/kick`, officer!, as(officer!, kicked!.name)),
      },
      {
        status: 404,
        run: () => post(`/v1/guilds/${g}/kick`, officer!, as(officer!, kicked!.name)),
      },
      { status: 400, run: () => post(`/v1/guilds/${g}/kick`, L, as(L)) },
      { status: 401, run: () => supertest(app).post(`/v1/guilds/${g}/kick`).send({}) },
    ],
    "post /v1/guilds/{id}/promote": [
      {
        status: 403,
        run: () => post(`/v1/guilds/${g}/promote`, officer!, as(officer!, member!.name)),
      },
      { status: 200, run: () => post(`/v1/guilds/${g}/promote`, L, as(L, member!.name)) },
      { status: 409, run: () => post(`/v1/guilds/${g}/promote`, L, as(L, member!.name)) },
      { status: 404, run: () => post(`/v1/guilds/${g}/promote`, L, as(L, foe!.name)) },
      { status: 400, run: () => post(`/v1/guilds/${g}/promote`, L, as(L, "no")) },
      { status: 401, run: () => supertest(app).post(`/v1/guilds/${g}/promote`).send({}) },
    ],
    "post /v1/guilds/{id}/demote": [
      { status: 200, run: () => post(`/v1/guilds/${g}/demote`, L, as(L, member!.name)) },
      { status: 409, run: () => post(`/v1/guilds/${g}/demote`, L, as(L, member!.name)) },
      {
        status: 403,
        run: () => post(`/v1/guilds/${g}/demote`, member!, as(member!, officer!.name)),
      },
      { status: 404, run: () => post(`/v1/guilds/${g}/demote`, L, as(L, foe!.name)) },
      { status: 400, run: () => post(`/v1/guilds/${g}/demote`, L, {}) },
      { status: 401, run: () => supertest(app).post(`/v1/guilds/${g}/demote`).send({}) },
    ],
    "post /v1/guilds/{id}/transfer": [
      {
        status: 200,
        run: () => post(`/v1/guilds/${handed}/transfer`, giver!, as(giver!, taker!.name)),
      },
      {
        status: 403,
        run: () => post(`/v1/guilds/${handed}/transfer`, giver!, as(giver!, taker!.name)),
      },
      {
        status: 404,
        run: () => post(`/v1/guilds/${handed}/transfer`, taker!, as(taker!, foe!.name)),
      },
      { status: 400, run: () => post(`/v1/guilds/${handed}/transfer`, taker!, {}) },
      { status: 401, run: () => supertest(app).post(`/v1/guilds/${handed}/transfer`).send({}) },
    ],
  };
}

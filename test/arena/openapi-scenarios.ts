import supertest from "supertest";
import { registerAccount } from "../helpers/http-app.ts";

type Scenario = { status: number; run(app: string): Promise<supertest.Response> };

let seq = 0;

/** Requests for test/http/openapi.test.ts covering every arena operation it documents. */
export async function arenaScenarios(app: string): Promise<Record<string, Scenario[]>> {
  async function character() {
    const account = await registerAccount(app);
    seq += 1;
    const auth = { Authorization: `Bearer ${account.accessToken}` };
    const res = await supertest(app)
      .post("/v1/characters")
      .set(auth)
      .send({ name: `Arn${process.pid % 1000}_${seq}`, race: "human", job: "warrior" })
      .expect(201);
    return { id: res.body.id as string, auth };
  }
  const me = await character();
  const other = await character();
  const queue = (who: typeof me, body: object) =>
    supertest(app).post("/v1/arena/queue").set(who.auth).send(body);
  return {
    "post /v1/arena/queue": [
      { status: 400, run: () => queue(me, { characterId: me.id, mode: "3v3" }) },
      { status: 401, run: () => supertest(app).post("/v1/arena/queue").send({}) },
      { status: 404, run: () => queue(other, { characterId: me.id, mode: "1v1" }) },
      { status: 409, run: () => queue(me, { characterId: me.id, mode: "2v2" }) },
      { status: 201, run: () => queue(me, { characterId: me.id, mode: "1v1" }) },
    ],
    "get /v1/arena/queue": [
      {
        status: 200,
        run: () => supertest(app).get(`/v1/arena/queue?characterId=${me.id}`).set(me.auth),
      },
      { status: 400, run: () => supertest(app).get("/v1/arena/queue?characterId=x").set(me.auth) },
      { status: 401, run: () => supertest(app).get(`/v1/arena/queue?characterId=${me.id}`) },
      {
        status: 404,
        run: () => supertest(app).get(`/v1/arena/queue?characterId=${me.id}`).set(other.auth),
      },
    ],
    "delete /v1/arena/queue": [
      { status: 400, run: () => supertest(app).delete("/v1/arena/queue").set(me.auth) },
      { status: 401, run: () => supertest(app).delete("/v1/arena/queue") },
      {
        status: 404,
        run: () => supertest(app).delete(`/v1/arena/queue?characterId=${me.id}`).set(other.auth),
      },
      {
        status: 204,
        run: () =>
          supertest(app).delete("/v1/arena/queue").set(me.auth).send({ characterId: me.id }),
      },
      {
        status: 409,
        run: () => supertest(app).delete(`/v1/arena/queue?characterId=${me.id}`).set(me.auth),
      },
    ],
    "get /v1/characters/{id}/arena": [
      { status: 200, run: () => supertest(app).get(`/v1/characters/${me.id}/arena`).set(me.auth) },
      { status: 401, run: () => supertest(app).get(`/v1/characters/${me.id}/arena`) },
      {
        status: 404,
        run: () => supertest(app).get(`/v1/characters/${me.id}/arena`).set(other.auth),
      },
    ],
  };
}

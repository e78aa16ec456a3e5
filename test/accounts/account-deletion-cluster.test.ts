import assert from "node:assert/strict";
import { Client, type Room } from "@colyseus/sdk";
import { ACCOUNT_EXISTS_TTL_MS } from "../../src/accounts/account-gate.ts";
import { newPlayer, sleep } from "../helpers/game-server.ts";
import type { ServerProcess } from "../helpers/server-process.ts";
import { serviceAvailable } from "../helpers/services.ts";
import { startTwoProcesses, type TwoProcesses } from "../helpers/two-processes.ts";

/**
 * Issue 14: an account deleted through one process is refused and disconnected on the other at
 * once (the deletion is published on the Redis presence), not after a cache expires.
 */
describe("account deletion across two processes", function () {
  let cluster: TwoProcesses | undefined;
  const rooms: Room[] = [];

  before(async function () {
    if (!(await serviceAvailable("redis")) || !(await serviceAvailable("postgres"))) this.skip();
    cluster = await startTwoProcesses("acctdel");
  });
  after(async () => cluster?.stop(rooms));

  const get = (via: ServerProcess, path: string, token: string) =>
    fetch(`${via.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it("refuses the token and kicks the character on the process that did not delete it", async () => {
    const { a, b } = cluster!;
    const p = await newPlayer(a.url);
    // Both processes have seen the account exist (and cached it).
    assert.equal((await get(a, "/v1/characters", p.token)).status, 200);
    assert.equal((await get(b, "/v1/characters", p.token)).status, 200);

    const join = await fetch(`${a.url}/v1/world/join`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` },
      body: JSON.stringify({ characterId: p.characterId }),
    });
    assert.equal(join.status, 200);
    const { reservation } = (await join.json()) as { reservation: { publicAddress?: string } };
    const room = await new Client(a.url).consumeSeatReservation(reservation as never);
    rooms.push(room);
    const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));
    await sleep(300);
    // Delete through the process that does not hold the room; check the token on the one that does.
    const owner = reservation.publicAddress ?? "";
    const [holder, deleter] = owner.endsWith(new URL(a.url).port) ? [a, b] : [b, a];

    const started = Date.now();
    const deleted = await fetch(`${deleter.url}/v1/account`, {
      method: "DELETE",
      headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` },
      body: JSON.stringify({ password: "e2e password 123" }),
    });
    assert.equal(deleted.status, 204, await deleted.text());

    const code = await Promise.race([left, sleep(5000).then(() => -1)]);
    assert.equal(code, 4002, "the room on the other process kicked the character");
    let status = 200;
    while (status === 200 && Date.now() - started < ACCOUNT_EXISTS_TTL_MS) {
      status = (await get(holder, "/v1/characters", p.token)).status;
      if (status === 200) await sleep(50);
    }
    assert.equal(status, 401);
    const elapsed = Date.now() - started;
    assert.ok(
      elapsed < 3000,
      `refused ${elapsed} ms after the deletion, not at the cache's expiry`,
    );
    const body = (await (await get(holder, "/v1/characters", p.token)).json()) as {
      error: { code: string };
    };
    assert.equal(body.error.code, "ACCOUNT_DELETED");
  });
});

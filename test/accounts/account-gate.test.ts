import assert from "node:assert/strict";
import { LocalPresence } from "@colyseus/core";
import { ACCOUNT_EXISTS_TTL_MS, createAccountGate } from "../../src/accounts/account-gate.ts";
import type { PrismaClient } from "../../src/db/database.ts";
import { sleep } from "../helpers/game-server.ts";

/** A stand-in for the accounts table that counts lookups and can fail. */
function fakeAccounts(ids: string[]) {
  const rows = new Set(ids);
  const state = { lookups: 0, down: false };
  const prisma = {
    account: {
      findUnique: async ({ where }: { where: { id: string } }) => {
        state.lookups += 1;
        if (state.down) throw new Error("database unreachable");
        return rows.has(where.id) ? { id: where.id } : null;
      },
    },
  } as unknown as PrismaClient;
  return { prisma, rows, state };
}

/** Issue 14: the account check behind every token, cheap and refused across processes. */
describe("account gate", () => {
  it("asks the database once per TTL and again after it", async () => {
    const db = fakeAccounts(["a1"]);
    let t = 0;
    const gate = createAccountGate({ prisma: db.prisma, now: () => t });
    assert.equal(await gate.exists("a1"), true);
    assert.equal(await gate.exists("a1"), true);
    assert.equal(db.state.lookups, 1);
    db.rows.delete("a1");
    t += ACCOUNT_EXISTS_TTL_MS + 1;
    assert.equal(await gate.exists("a1"), false, "a deletion it did not hear of, after the TTL");
    assert.equal(await gate.exists("nobody"), false);
  });

  it("refuses at once an account another gate on the same presence deleted", async () => {
    const presence = new LocalPresence();
    const db = fakeAccounts(["a1"]);
    const here = createAccountGate({ prisma: db.prisma, presence });
    const there = createAccountGate({ prisma: db.prisma, presence });
    assert.equal(await here.exists("a1"), true);
    db.rows.delete("a1");
    await there.deleted("a1");
    await sleep(10);
    const lookups = db.state.lookups;
    assert.equal(await here.exists("a1"), false, "well within the TTL");
    assert.equal(db.state.lookups, lookups, "without asking the database");
    await here.close();
    await there.close();
  });

  it("vouches for an account it saw while the database is out, and for no other", async () => {
    const db = fakeAccounts(["a1"]);
    let t = 0;
    const gate = createAccountGate({ prisma: db.prisma, now: () => t });
    assert.equal(await gate.exists("a1"), true);
    db.state.down = true;
    t += ACCOUNT_EXISTS_TTL_MS + 1;
    assert.equal(await gate.exists("a1"), true);
    await assert.rejects(gate.exists("a2"), /database unreachable/);
  });
});

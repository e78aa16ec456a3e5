import assert from "node:assert/strict";
import { LocalPresence } from "@colyseus/core";
import { ACCOUNT_EXISTS_TTL_MS, createAccountGate } from "../../src/accounts/account-gate.ts";
import type { SqlDriver } from "../../src/db/sql-driver.ts";
import { sleep } from "../helpers/game-server.ts";

/** A stand-in for the accounts table that counts lookups and can fail. */
function fakeAccounts(ids: string[]) {
  const rows = new Set(ids);
  const state = { lookups: 0, down: false };
  const sql = {
    query: async (text: string, params: unknown[] = []) => {
      assert.match(text, /FROM accounts WHERE id = \$1/);
      state.lookups += 1;
      if (state.down) throw new Error("database unreachable");
      const id = params[0] as string;
      return rows.has(id) ? [{ id }] : [];
    },
  } as Pick<SqlDriver, "query">;
  return { sql, rows, state };
}

/** Issue 14: the account check behind every token, cheap and refused across processes. */
describe("account gate", () => {
  it("asks the database once per TTL and again after it", async () => {
    const db = fakeAccounts(["a1"]);
    let t = 0;
    const gate = createAccountGate({ sql: db.sql, now: () => t });
    assert.equal(await gate.exists("a1"), true);
    assert.equal(await gate.exists("a1"), true);
    assert.equal(db.state.lookups, 1);
    db.rows.delete("a1");
    t += ACCOUNT_EXISTS_TTL_MS + 1;
    assert.equal(await gate.exists("a1"), false, "a deletion it did not hear of, after the TTL");
    assert.equal(await gate.exists("nobody"), false);
  });

  it("asks once for concurrent checks of one account, and again once they are answered", async () => {
    const db = fakeAccounts(["a1", "a2"]);
    let t = 0;
    const gate = createAccountGate({ sql: db.sql, now: () => t });
    const burst = await Promise.all([
      ...Array.from({ length: 16 }, () => gate.exists("a1")),
      gate.exists("a2"),
      gate.exists("gone"),
    ]);
    assert.deepEqual(burst, [...Array.from({ length: 16 }, () => true), true, false]);
    assert.equal(db.state.lookups, 3);
    t += ACCOUNT_EXISTS_TTL_MS + 1;
    db.state.down = true;
    const failing = await Promise.allSettled([gate.exists("a3"), gate.exists("a3")]);
    assert.deepEqual(
      failing.map((r) => r.status),
      ["rejected", "rejected"],
    );
    assert.equal(db.state.lookups, 4, "one lookup for both, failed");
    db.state.down = false;
    assert.equal(await gate.exists("a1"), true, "a failed lookup is not kept");
    assert.equal(db.state.lookups, 5);
  });

  it("refuses at once an account another gate on the same presence deleted", async () => {
    const presence = new LocalPresence();
    const db = fakeAccounts(["a1"]);
    const here = createAccountGate({ sql: db.sql, presence });
    const there = createAccountGate({ sql: db.sql, presence });
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
    const gate = createAccountGate({ sql: db.sql, now: () => t });
    assert.equal(await gate.exists("a1"), true);
    db.state.down = true;
    t += ACCOUNT_EXISTS_TTL_MS + 1;
    assert.equal(await gate.exists("a1"), true);
    await assert.rejects(gate.exists("a2"), /database unreachable/);
  });
});

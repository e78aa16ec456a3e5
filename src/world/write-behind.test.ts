import assert from "node:assert/strict";
import { createLogger } from "../logger.ts";
import { WriteBehind } from "./write-behind.ts";

type Rec = { id: string; v: number };
const logger = createLogger("silent");

describe("WriteBehind", () => {
  it("writes only the latest record per key when flushed", async () => {
    const saved: Rec[][] = [];
    const wb = new WriteBehind<Rec>({
      save: async (b) => void saved.push(b),
      keyOf: (r) => r.id,
      logger,
    });
    wb.enqueue({ id: "a", v: 1 });
    wb.enqueue({ id: "a", v: 2 });
    wb.enqueue({ id: "b", v: 1 });
    await wb.flushAll();
    assert.deepEqual(saved, [
      [
        { id: "a", v: 2 },
        { id: "b", v: 1 },
      ],
    ]);
    assert.equal(wb.depth, 0);
  });

  it("keeps a failed batch queued and writes it on the next flush", async () => {
    let fail = true;
    const saved: Rec[] = [];
    const wb = new WriteBehind<Rec>({
      save: async (b) => {
        if (fail) throw new Error("db down");
        saved.push(...b);
      },
      keyOf: (r) => r.id,
      logger,
    });
    wb.enqueue({ id: "a", v: 1 });
    await assert.rejects(wb.flushAll(), /db down/);
    assert.equal(wb.depth, 1);
    fail = false;
    await wb.flushAll();
    assert.deepEqual(saved, [{ id: "a", v: 1 }]);
  });

  it("does not let a retried old record overwrite a newer one", async () => {
    let calls = 0;
    const saved: Rec[] = [];
    let release: () => void = () => undefined;
    const wb = new WriteBehind<Rec>({
      save: async (b) => {
        calls += 1;
        if (calls === 1) {
          await new Promise<void>((r) => (release = r));
          throw new Error("transient");
        }
        saved.push(...b);
      },
      keyOf: (r) => r.id,
      logger,
    });
    wb.enqueue({ id: "a", v: 1 });
    const first = wb.flushAll().catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    wb.enqueue({ id: "a", v: 2 });
    release();
    await first;
    await wb.flushAll();
    assert.deepEqual(saved.at(-1), { id: "a", v: 2 });
  });

  it("flushes on its own within the interval once started", async () => {
    const saved: Rec[] = [];
    const wb = new WriteBehind<Rec>({
      save: async (b) => void saved.push(...b),
      keyOf: (r) => r.id,
      logger,
      flushIntervalMs: 20,
    });
    wb.start();
    wb.enqueue({ id: "a", v: 1 });
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(saved, [{ id: "a", v: 1 }]);
    await wb.stop();
  });
});

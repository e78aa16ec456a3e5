import assert from "node:assert/strict";
import { createLogger } from "../logger.ts";
import {
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_BATCH,
  DEFAULT_MAX_PARTIAL_BATCH,
  WriteBehind,
} from "./write-behind.ts";

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

  // Crash safety (test/hardening/crash.test.ts): a SIGTERM lost the last kill of a player. The
  // timer's flush was saving an older record when leaving queued the newer one and called
  // flushAll; the timer's loop took the newer record into a second batch, the first batch's end
  // cleared the in-flight marker, and flushAll (then stop) returned with that batch still open.
  it("resolves flushAll and stop only once a record queued during a timed flush is saved", async () => {
    const committed: Rec[] = [];
    let calls = 0;
    let releaseFirst: () => void = () => undefined;
    const wb = new WriteBehind<Rec>({
      save: async (b) => {
        calls += 1;
        if (calls === 1) await new Promise<void>((r) => (releaseFirst = r));
        else await new Promise((r) => setTimeout(r, 30));
        committed.push(...b);
      },
      keyOf: (r) => r.id,
      logger,
      flushIntervalMs: 10,
    });
    wb.start();
    wb.enqueue({ id: "a", v: 1 });
    while (calls === 0) await new Promise((r) => setTimeout(r, 5));
    wb.enqueue({ id: "a", v: 2 });
    wb.enqueue({ id: "b", v: 1 });
    const flushed = wb.flushAll();
    const stopped = wb.stop();
    releaseFirst();
    await flushed;
    assert.deepEqual(committed, [
      { id: "a", v: 1 },
      { id: "a", v: 2 },
      { id: "b", v: 1 },
    ]);
    await stopped;
    assert.equal(calls, 2, "one batch at a time, nothing written twice");
  });

  // Crash safety (test/hardening/crash.test.ts): flushing once a second on top of the rooms'
  // queueing left a SIGKILL losing progress clients had seen more than 1 s earlier.
  it("flushes within 250 ms by default, leaving room for the rooms' 250 ms queueing", async () => {
    assert.ok(DEFAULT_FLUSH_INTERVAL_MS <= 250);
    let savedAt: number | undefined;
    const wb = new WriteBehind<Rec>({
      save: async () => void (savedAt ??= Date.now()),
      keyOf: (r) => r.id,
      logger,
    });
    wb.start();
    const queuedAt = Date.now();
    wb.enqueue({ id: "a", v: 1 });
    await new Promise((r) => setTimeout(r, DEFAULT_FLUSH_INTERVAL_MS + 150));
    assert.ok(savedAt !== undefined, "saved without a flushAll");
    assert.ok(savedAt - queuedAt <= DEFAULT_FLUSH_INTERVAL_MS + 100, `${savedAt - queuedAt} ms`);
    await wb.stop();
  });

  // The embedded PGlite runs a save on the event loop, and its promises settle as microtasks: a
  // flush of 200 characters in one go held the loop for its whole length (bench/save-stall.ts).
  it("writes a large flush in slices of maxBatch, letting the event loop turn between them", async () => {
    const events: string[] = [];
    const wb = new WriteBehind<Rec>({
      // Settles without I/O, like a PGlite save.
      save: async (b) => void events.push(b.map((r) => r.id).join("")),
      keyOf: (r) => r.id,
      logger,
      maxBatch: 2,
    });
    for (const id of "abcde") wb.enqueue({ id, v: 1 });
    setImmediate(() => events.push("turn"));
    await wb.flushAll();
    assert.deepEqual(events, ["ab", "turn", "cd", "e"]);
    assert.equal(wb.depth, 0);
    assert.ok(DEFAULT_MAX_BATCH <= 50, "a default slice stays short on PGlite");
  });

  it("keeps a slice it could not write queued, and does not write the others twice", async () => {
    const saved: string[] = [];
    let down = true;
    const wb = new WriteBehind<Rec>({
      save: async (b) => {
        if (down && b.some((r) => r.id === "c")) throw new Error("db down");
        saved.push(...b.map((r) => r.id));
      },
      keyOf: (r) => r.id,
      logger,
      maxBatch: 2,
    });
    for (const id of "abcde") wb.enqueue({ id, v: 1 });
    await assert.rejects(wb.flushAll(), /db down/);
    assert.deepEqual(saved.slice(0, 2), ["a", "b"]);
    assert.ok(!saved.includes("c"));
    assert.equal(new Set(saved).size, saved.length);
    assert.equal(wb.depth, 5 - saved.length, "what is not saved is still queued");
    down = false;
    await wb.flushAll();
    assert.deepEqual(saved.sort(), ["a", "b", "c", "d", "e"]);
  });

  describe("partial records (positions, issue 14)", () => {
    /** Each save as "id:v" entries, a trailing "~" on the partial ones. */
    const recording = (saves: string[][], options: { maxBatch?: number } = {}) =>
      new WriteBehind<Rec>({
        save: async (b, partial) =>
          void saves.push(b.map((r) => `${r.id}:${r.v}${partial.has(r) ? "~" : ""}`)),
        keyOf: (r) => r.id,
        logger,
        ...options,
      });

    it("hands partial records to the save as partial, and whole ones as whole", async () => {
      const saves: string[][] = [];
      const wb = recording(saves);
      wb.enqueue({ id: "a", v: 1 }, { partial: true });
      wb.enqueue({ id: "b", v: 1 });
      wb.enqueue({ id: "c", v: 1 }, { partial: true });
      wb.enqueue({ id: "c", v: 2 }, { partial: true });
      await wb.flushAll();
      assert.deepEqual(saves, [["a:1~", "b:1", "c:2~"]]);
    });

    it("writes whole a partial record that replaced one still to be written whole", async () => {
      const saves: string[][] = [];
      const wb = recording(saves);
      wb.enqueue({ id: "a", v: 1 });
      wb.enqueue({ id: "a", v: 2 }, { partial: true });
      await wb.flushAll();
      wb.enqueue({ id: "a", v: 3 }, { partial: true });
      await wb.flushAll();
      assert.deepEqual(saves, [["a:2"], ["a:3~"]]);
    });

    it("writes whole a partial record queued while a whole one failed", async () => {
      const saves: string[][] = [];
      let release: () => void = () => undefined;
      let calls = 0;
      const wb = new WriteBehind<Rec>({
        save: async (b, partial) => {
          calls += 1;
          if (calls === 1) {
            await new Promise<void>((r) => (release = r));
            throw new Error("transient");
          }
          saves.push(b.map((r) => `${r.id}:${r.v}${partial.has(r) ? "~" : ""}`));
        },
        keyOf: (r) => r.id,
        logger,
      });
      wb.enqueue({ id: "a", v: 1 });
      const first = wb.flushAll().catch(() => undefined);
      await new Promise((r) => setImmediate(r));
      wb.enqueue({ id: "a", v: 2 }, { partial: true });
      release();
      await first;
      await wb.flushAll();
      assert.deepEqual(saves, [["a:2"]]);
    });

    it("takes up to maxPartialBatch partial records beside maxBatch whole ones per save", async () => {
      const saves: string[][] = [];
      const wb = new WriteBehind<Rec>({
        save: async (b, partial) =>
          void saves.push(b.map((r) => `${r.id}${partial.has(r) ? "~" : ""}`)),
        keyOf: (r) => r.id,
        logger,
        maxBatch: 2,
        maxPartialBatch: 3,
      });
      for (const id of "abcd") wb.enqueue({ id, v: 1 });
      for (const id of "vwxyz") wb.enqueue({ id, v: 1 }, { partial: true });
      await wb.flushAll();
      assert.deepEqual(saves, [
        ["a", "b", "v~", "w~", "x~"],
        ["c", "d", "y~", "z~"],
      ]);
      assert.ok(
        DEFAULT_MAX_PARTIAL_BATCH >= 3 * DEFAULT_MAX_BATCH,
        "a position row costs a third of a whole record's",
      );
    });
  });
});

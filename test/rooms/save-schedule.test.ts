import assert from "node:assert/strict";
import { POSITION_SAVE_MIN_UNITS, SaveSchedule, type SaveHost } from "../../rooms/save-schedule.ts";
import type { PlayerRecord } from "../../src/session/player-record.ts";

/**
 * What a zone room queues for the write-behind, tick by tick (issue 14: positions within 1 s).
 * A fake simulation moves each player as told; the fake writer records every enqueue.
 */
const TICK_RATE_HZ = 20;
const QUEUE_TICKS = TICK_RATE_HZ / 4;
const WHOLE_TICKS = TICK_RATE_HZ * 5;

type Queued = { id: string; tick: number; partial: boolean; x: number };

function room(ids: string[], options: { persisted?: (r: PlayerRecord) => PlayerRecord } = {}) {
  const at = new Map(ids.map((id) => [id, { x: 100, y: 100 }]));
  const dirty = new Set<string>();
  const queued: Queued[] = [];
  let tick = 0;
  const sessions = ids.map((characterId) => ({
    characterId,
    handedOff: false,
    lastSavedX: 100,
    lastSavedY: 100,
    movedSinceWholeSave: false,
  }));
  const recordOf = (id: string) =>
    ({ character: { id, zone: "field", ...at.get(id)! } }) as unknown as PlayerRecord;
  const host = {
    zoneId: "field",
    roomId: "r1",
    log: undefined,
    sim: {
      dirtyCharacters: () => [...dirty],
      clearDirty: (id: string) => dirty.delete(id),
      recordOf: (id: string) => (at.has(id) ? recordOf(id) : undefined),
    },
    services: {
      writer: {
        enqueue: (r: PlayerRecord, o: { partial?: boolean } = {}) =>
          queued.push({ id: r.character.id, tick, partial: o.partial ?? false, x: r.character.x }),
      },
    },
    sessions: { values: () => sessions.values() },
    persisted: options.persisted ?? ((r: PlayerRecord) => r),
  } as unknown as SaveHost;
  const schedule = new SaveSchedule(host, TICK_RATE_HZ);
  return {
    queued,
    dirty,
    /** Runs `ticks` ticks, moving `id` by `dx` units per tick (if given). */
    run(ticks: number, move?: { id: string; dx: number }) {
      for (let i = 0; i < ticks; i++) {
        if (move) at.get(move.id)!.x += move.dx;
        tick += 1;
        schedule.afterTick(tick);
      }
    },
  };
}

describe("save schedule", () => {
  it("queues nothing for a standing player, ever", () => {
    const r = room(["a"]);
    r.run(WHOLE_TICKS * 3);
    assert.deepEqual(r.queued, []);
  });

  it("queues a walking player's position every 250 ms, and the player whole every 5 s", () => {
    const r = room(["a", "b"]);
    r.run(WHOLE_TICKS * 2, { id: "a", dx: 2 }); // 40 units a second
    const a = r.queued.filter((q) => q.id === "a");
    assert.equal(a.length, (WHOLE_TICKS * 2) / QUEUE_TICKS, "every queueing");
    assert.deepEqual(
      a.filter((q) => !q.partial).map((q) => q.tick),
      [WHOLE_TICKS, WHOLE_TICKS * 2],
    );
    assert.ok(
      a.every((q, i) => q.x === 100 + 2 * QUEUE_TICKS * (i + 1)),
      "the latest position",
    );
    assert.deepEqual(
      r.queued.filter((q) => q.id === "b"),
      [],
    );
  });

  it("saves whole at the next 5 s a player who stopped after moving", () => {
    const r = room(["a"]);
    r.run(QUEUE_TICKS, { id: "a", dx: 2 });
    r.run(WHOLE_TICKS * 2);
    assert.deepEqual(
      r.queued.map((q) => [q.tick, q.partial]),
      [
        [QUEUE_TICKS, true],
        [WHOLE_TICKS, false],
      ],
    );
  });

  it(`skips moves under ${POSITION_SAVE_MIN_UNITS} units, then saves once they add up`, () => {
    const r = room(["a"]);
    const step = (POSITION_SAVE_MIN_UNITS - 0.5) / QUEUE_TICKS;
    r.run(QUEUE_TICKS, { id: "a", dx: step });
    assert.equal(r.queued.length, 0);
    r.run(QUEUE_TICKS, { id: "a", dx: step });
    assert.deepEqual(
      r.queued.map((q) => [q.tick, q.partial]),
      [[QUEUE_TICKS * 2, true]],
    );
  });

  it("queues changed progress whole within 250 ms, moving or not", () => {
    const r = room(["a"]);
    r.dirty.add("a");
    r.run(QUEUE_TICKS);
    r.run(QUEUE_TICKS, { id: "a", dx: 2 });
    r.dirty.add("a");
    r.run(QUEUE_TICKS, { id: "a", dx: 2 });
    assert.deepEqual(
      r.queued.map((q) => [q.tick, q.partial]),
      [
        [QUEUE_TICKS, false],
        [QUEUE_TICKS * 2, true],
        [QUEUE_TICKS * 3, false],
      ],
    );
  });

  it("queues no position for walks inside an instance, which saves its exit", () => {
    const exit = (rec: PlayerRecord) =>
      ({ ...rec, character: { ...rec.character, x: 100, y: 100 } }) as PlayerRecord;
    const r = room(["a"], { persisted: exit });
    r.run(WHOLE_TICKS * 2, { id: "a", dx: 2 });
    assert.deepEqual(r.queued, []);
  });
});

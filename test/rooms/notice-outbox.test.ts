import assert from "node:assert/strict";
import type { Client } from "@colyseus/core";
import { Room } from "@colyseus/sdk";
import { NoticeOutbox } from "../../rooms/notice-outbox.ts";
import { NOTICES_MESSAGE, routeNotices } from "../../schema/notices.ts";

/** A server-side client that keeps the frames it is sent. */
function fakeClient(): Client & { frames: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  return { frames, enqueueRaw: (data: Uint8Array) => void frames.push(data) } as never;
}

/** What the official SDK hands an application for one frame: [type, payload] per message. */
function sdkReceives(frame: Uint8Array): [string | number, unknown][] {
  const room = new Room("zone");
  const got: [string | number, unknown][] = [];
  room.onMessage("*", (type: string | number, payload: unknown) => void got.push([type, payload]));
  (room as unknown as { onMessageCallback(e: { data: Uint8Array }): void }).onMessageCallback({
    data: frame,
  });
  return got;
}

describe("notice outbox", () => {
  it("sends each client its notices of a tick as one `notices` message, in order", () => {
    const outbox = new NoticeOutbox();
    const near = fakeClient();
    const far = fakeClient();
    const hit = { type: "damaged", targetId: "1k", sourceId: "a", amount: 7, x: 3 };
    const death = { type: "died", id: "1k", killerId: "a", x: 3, y: 4 };
    const miss = { type: "missed", targetId: "b", sourceId: "2c", x: 900, y: 9 };
    outbox.add(near, hit);
    outbox.add(far, hit);
    outbox.add(far, miss);
    outbox.add(near, death);
    outbox.flush();

    assert.equal(near.frames.length, 1);
    assert.deepEqual(sdkReceives(near.frames[0]!), [
      [
        NOTICES_MESSAGE,
        [
          { type: "damaged", targetId: "1k", sourceId: "a", amount: 7, x: 3 },
          { type: "died", id: "1k", killerId: "a", x: 3, y: 4 },
        ],
      ],
    ]);
    assert.deepEqual(sdkReceives(far.frames[0]!), [
      [
        NOTICES_MESSAGE,
        [
          { type: "damaged", targetId: "1k", sourceId: "a", amount: 7, x: 3 },
          { type: "missed", targetId: "b", sourceId: "2c", x: 900, y: 9 },
        ],
      ],
    ]);

    outbox.flush();
    assert.equal(near.frames.length + far.frames.length, 2, "a flush sends each notice once");
  });

  it("keeps a packed notice intact while others are packed after it", () => {
    const outbox = new NoticeOutbox();
    const client = fakeClient();
    const others = fakeClient();
    outbox.add(client, { type: "healed", targetId: "a", amount: 1 });
    for (let i = 0; i < 2000; i++)
      outbox.add(others, { type: "died", id: `x${i}`, killerId: null });
    outbox.flush();
    assert.deepEqual(sdkReceives(client.frames[0]!)[0]![1], [
      { type: "healed", targetId: "a", amount: 1 },
    ]);
  });

  it("frames long batches with the wider msgpack array headers", () => {
    for (const count of [15, 16, 300, 70_000]) {
      const outbox = new NoticeOutbox();
      const client = fakeClient();
      const miss = { type: "missed", targetId: "t", sourceId: "s" };
      for (let i = 0; i < count; i++) outbox.add(client, miss);
      outbox.flush();
      const [[type, batch]] = sdkReceives(client.frames[0]!) as [[string, unknown[]]];
      assert.equal(type, NOTICES_MESSAGE);
      assert.equal(batch.length, count, `${count} notices`);
      assert.deepEqual(batch[count - 1], { type: "missed", targetId: "t", sourceId: "s" });
    }
  });

  it("routes a batch to the handlers of its notice types and skips unknown ones", () => {
    const seen: string[] = [];
    const handlers = new Map<string, (notice: never) => void>([
      ["damaged", (n: { amount: number }) => void seen.push(`hit ${n.amount}`)],
      ["died", (n: { id: string }) => void seen.push(`died ${n.id}`)],
    ]);
    routeNotices(
      [
        { type: "damaged", amount: 4 },
        { type: "fromTheFuture" },
        null,
        { type: 3 },
        { type: "died", id: "1k" },
      ],
      handlers,
    );
    routeNotices("not a batch", handlers);
    assert.deepEqual(seen, ["hit 4", "died 1k"]);
  });
});

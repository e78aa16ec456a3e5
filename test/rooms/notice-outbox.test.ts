import assert from "node:assert/strict";
import type { Client } from "@colyseus/core";
import { Room } from "@colyseus/sdk";
import { NoticeOutbox } from "../../rooms/notice-outbox.ts";
import {
  NOTICE_FIELDS,
  NOTICES_MESSAGE,
  packNotice,
  routeNotices,
  unpackNotice,
} from "../../schema/notices.ts";

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
    const hit = {
      type: "damaged",
      targetId: "1k",
      sourceId: "a",
      amount: 7,
      crit: false,
      x: 3,
      y: 4,
    };
    const death = { type: "died", id: "1k", killerId: "a", x: 3, y: 4 };
    const miss = { type: "missed", targetId: "b", sourceId: "2c", x: 900, y: 9 };
    outbox.add(near, hit);
    outbox.add(far, hit);
    outbox.add(far, miss);
    outbox.add(near, death);
    outbox.flush();

    assert.equal(near.frames.length, 1);
    assert.deepEqual(sdkReceives(near.frames[0]!), [
      [NOTICES_MESSAGE, [packNotice(hit), packNotice(death)]],
    ]);
    assert.deepEqual(sdkReceives(far.frames[0]!), [
      [NOTICES_MESSAGE, [packNotice(hit), packNotice(miss)]],
    ]);

    outbox.flush();
    assert.equal(near.frames.length + far.frames.length, 2, "a flush sends each notice once");
  });

  it("sends a notice as an array of its type code and fields, a third of the map's bytes", () => {
    const outbox = new NoticeOutbox();
    const client = fakeClient();
    const hit = {
      type: "damaged",
      targetId: "1k",
      sourceId: "Xk3J9aZq1",
      amount: 17,
      crit: true,
      x: 1200,
      y: 803,
    };
    outbox.add(client, hit);
    outbox.flush();
    const [[, batch]] = sdkReceives(client.frames[0]!) as [[string, unknown[]]];
    assert.deepEqual(batch, [[0, "1k", "Xk3J9aZq1", 17, true, 1200, 803]]);
    assert.deepEqual(unpackNotice(batch[0]), hit);
    // Issue 13: a `damaged` notice was a 74-byte map; the frame holds it in under 30 bytes.
    const header = 1 + 1 + NOTICES_MESSAGE.length + 1;
    assert.ok(client.frames[0]!.length - header < 30, `${client.frames[0]!.length} bytes`);
  });

  it("unpacks every area notice type back to the object it was packed from", () => {
    for (const [type, fields] of Object.entries(NOTICE_FIELDS)) {
      const notice: Record<string, unknown> = { type };
      fields.forEach((field, i) => (notice[field] = field === "crit" ? i % 2 === 0 : `${i}`));
      assert.deepEqual(unpackNotice(packNotice(notice as { type: string })), notice, type);
    }
    assert.equal(packNotice({ type: "looted" }), undefined, "not an area notice");
    assert.equal(unpackNotice([99, "a"]), undefined, "a code from a newer server");
    assert.equal(unpackNotice({ type: "damaged" }), undefined, "not an array");
  });

  it("keeps a packed notice intact while others are packed after it", () => {
    const outbox = new NoticeOutbox();
    const client = fakeClient();
    const others = fakeClient();
    const heal = {
      type: "healed",
      targetId: "a",
      sourceId: "b",
      amount: 1,
      crit: false,
      x: 1,
      y: 2,
    };
    outbox.add(client, heal);
    for (let i = 0; i < 2000; i++)
      outbox.add(others, { type: "died", id: `x${i}`, killerId: null, x: 0, y: 0 });
    outbox.flush();
    assert.deepEqual(sdkReceives(client.frames[0]!)[0]![1], [packNotice(heal)]);
  });

  it("frames long batches with the wider msgpack array headers", () => {
    for (const count of [15, 16, 300, 70_000]) {
      const outbox = new NoticeOutbox();
      const client = fakeClient();
      const miss = { type: "missed", targetId: "t", sourceId: "s", x: 1, y: 2 };
      for (let i = 0; i < count; i++) outbox.add(client, miss);
      outbox.flush();
      const [[type, batch]] = sdkReceives(client.frames[0]!) as [[string, unknown[]]];
      assert.equal(type, NOTICES_MESSAGE);
      assert.equal(batch.length, count, `${count} notices`);
      assert.deepEqual(unpackNotice(batch[count - 1]), miss);
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
        packNotice({ type: "damaged", targetId: "t", sourceId: "s", amount: 4 }),
        [99, "from a newer server"],
        null,
        { type: "damaged", amount: 5 },
        packNotice({ type: "missed", targetId: "t", sourceId: "s" }),
        packNotice({ type: "died", id: "1k", killerId: null }),
      ],
      handlers,
    );
    routeNotices("not a batch", handlers);
    assert.deepEqual(seen, ["hit 4", "died 1k"]);
  });
});

/**
 * Collects the area notices of the steps since the last patch per client and sends each client
 * one `notices` message (schema/notices.ts) just before the patch. A notice is packed once however
 * many clients it reaches, and a client in a crowded fight gets one frame per patch rather than
 * one per hit: both the msgpack encoding and the socket writes were paid per notice per
 * recipient before. Each notice goes out as a positional array (clients/js/notice-layout.ts),
 * a third of its size as a map.
 */
import { getMessageBytes, Protocol, type Client } from "@colyseus/core";
import { Packr } from "msgpackr";
import { NOTICES_MESSAGE, packNotice } from "../schema/notices.ts";
import type { WireNotice } from "./wire-ids.ts";

/** As @colyseus/core packs messages, so every msgpack decoder reads them. */
const packr = new Packr({ useRecords: false });

/** ROOM_DATA byte and the message type, identical for every `notices` frame. */
const HEADER = getMessageBytes.raw(Protocol.ROOM_DATA, NOTICES_MESSAGE);

/** Whoever receives frames: a Colyseus client. */
export type NoticeRecipient = Pick<Client, "enqueueRaw">;

export class NoticeOutbox {
  private readonly pending = new Map<NoticeRecipient, Uint8Array[]>();
  /** The notice packed last: callers add one notice to all its recipients in a row. */
  private lastNotice: WireNotice | undefined;
  private lastPacked: Uint8Array | undefined;

  /**
   * Queues area notice `notice` (its `type` and payload) for `client`. A notice added for several
   * clients in a row is packed once, so it must not change once added.
   */
  add(client: NoticeRecipient, notice: WireNotice): void {
    if (notice !== this.lastNotice || !this.lastPacked) {
      const wire = packNotice(notice);
      if (!wire) throw new Error(`not an area notice: ${notice.type}`);
      // Without RESET_BUFFER_MODE msgpackr never writes over a result it returned (it moves on
      // to a fresh buffer when its own is full), so queued results stay valid without a copy.
      this.lastPacked = packr.pack(wire);
      this.lastNotice = notice;
    }
    const list = this.pending.get(client);
    if (list) list.push(this.lastPacked);
    else this.pending.set(client, [this.lastPacked]);
  }

  /** Sends every client its notices of this tick, oldest first. */
  flush(): void {
    for (const [client, notices] of this.pending) client.enqueueRaw(frame(notices));
    this.pending.clear();
    this.lastNotice = undefined;
    this.lastPacked = undefined;
  }
}

/** A `notices` message: the header, then a msgpack array of the packed notices. */
export function frame(notices: readonly Uint8Array[]): Uint8Array {
  const n = notices.length;
  const arrayHeader = n < 16 ? 1 : n < 0x10000 ? 3 : 5;
  let length = HEADER.length + arrayHeader;
  for (const notice of notices) length += notice.length;
  const out = Buffer.allocUnsafe(length);
  out.set(HEADER, 0);
  let at = HEADER.length;
  if (n < 16) {
    out[at++] = 0x90 | n;
  } else if (n < 0x10000) {
    out[at++] = 0xdc;
    out.writeUInt16BE(n, at);
    at += 2;
  } else {
    out[at++] = 0xdd;
    out.writeUInt32BE(n, at);
    at += 4;
  }
  for (const notice of notices) {
    out.set(notice, at);
    at += notice.length;
  }
  return out;
}

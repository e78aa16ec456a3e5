import type { Socket } from "node:net";
import type { Client } from "@colyseus/core";

type RawSend = (data: Uint8Array, ...rest: unknown[]) => void;
type UwsSocket = { cork(write: () => void): void };

/**
 * Holds back the socket writes of every client until the returned function runs, so that a
 * tick's notices, its patch and the `self` message after it leave in one write per client.
 * Unbatched, each frame costs one system call: at three frames a tick, that was the largest
 * single cost of a full zone process (issue 13 profile).
 *
 * `ws` sockets are corked (corks nest, so `ws`'s own cork and uncork inside the window only add
 * to the batch). uWS corks one socket at a time, around a callback, so a uWS client's frames
 * are held and written in one cork each at release; held frames are copied, because a patch is
 * a view of the encoder's buffer, which the next view's encoding overwrites. They are copied
 * into one reused arena rather than a buffer each: uWS copies what it sends before `send`
 * returns, and an off-heap buffer per frame was a visible share of the garbage collector's time.
 */
export function corkClients(clients: Iterable<Client>): () => void {
  const sockets: Socket[] = [];
  const held: { client: Client; socket: UwsSocket; frames: Uint8Array[] }[] = [];
  const copies = new Map<Uint8Array, Uint8Array>();
  arena.used = 0;
  for (const client of clients) {
    const ref = (client as { ref?: { _socket?: Socket; ws?: UwsSocket } }).ref;
    const socket = ref?._socket;
    if (socket) {
      if (socket.writable && !socket.destroyed) {
        socket.cork();
        sockets.push(socket);
      }
    } else if (ref?.ws) {
      const frames: Uint8Array[] = [];
      held.push({ client, socket: ref.ws, frames });
      // An own property shadows the transport's `raw` until release.
      (client as unknown as { raw: RawSend }).raw = (data) => {
        let copy = copies.get(data);
        if (!copy) copies.set(data, (copy = arena.hold(data)));
        frames.push(copy);
      };
    }
  }
  return () => {
    for (const socket of sockets) socket.uncork();
    for (const { client, socket, frames } of held) {
      delete (client as unknown as { raw?: RawSend }).raw;
      if (frames.length === 0) continue;
      const raw = (client as unknown as { raw: RawSend }).raw.bind(client);
      socket.cork(() => {
        for (const frame of frames) raw(frame);
      });
    }
  };
}

/** Bytes held for uWS clients between a cork and its release; reused from one patch to the next. */
const arena = {
  buffer: new Uint8Array(1 << 20),
  used: 0,
  hold(data: Uint8Array): Uint8Array {
    if (this.used + data.length > this.buffer.length) {
      // Views already handed out keep the old buffer alive until they are sent.
      this.buffer = new Uint8Array(Math.max(this.buffer.length * 2, data.length));
      this.used = 0;
    }
    const view = this.buffer.subarray(this.used, this.used + data.length);
    view.set(data);
    this.used += data.length;
    return view;
  },
};

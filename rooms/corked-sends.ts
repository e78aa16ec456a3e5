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
 * a view of the encoder's buffer, which the next view's encoding overwrites.
 */
export function corkClients(clients: Iterable<Client>): () => void {
  const sockets: Socket[] = [];
  const held: { client: Client; socket: UwsSocket; frames: Uint8Array[] }[] = [];
  const copies = new Map<Uint8Array, Uint8Array>();
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
        if (!copy) copies.set(data, (copy = Uint8Array.prototype.slice.call(data)));
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

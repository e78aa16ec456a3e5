import type http from "node:http";
import { uWebSocketsTransport } from "@colyseus/uwebsockets-transport";
import {
  us_listen_socket_close,
  us_socket_local_port,
  type us_listen_socket,
  type us_socket,
} from "uWebSockets.js";

/**
 * Game WebSockets on uWebSockets.js, on a port of their own beside Node's HTTP server.
 *
 * Colyseus binds its matchmaking routes to `transport.server` when the transport has one, so
 * REST, the monitor and matchmaking stay on Node's server with Express untouched, and only the
 * room sockets (at the seat reservation's `publicAddress`) go to uWS, which frames and writes
 * them in C++. The official uWS transport alone would serve Express through a compatibility
 * layer over uWS' HTTP instead.
 */
export class UwsGameSockets extends uWebSocketsTransport {
  override server: http.Server;
  #listenSocket: us_listen_socket | undefined;

  constructor(server: http.Server, maxPayloadLength: number) {
    super({ maxPayloadLength });
    this.server = server;
  }

  /**
   * Listens for game sockets now, before the game server is built: rooms advertise this port in
   * their seat reservations, so it must be known first (port 0 picks a free one). Resolves to
   * the port.
   */
  openSockets(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.app.listen(host, port, (socket) => {
        if (!socket) {
          reject(new Error(`uWS could not listen for game sockets on ${host}:${port}`));
          return;
        }
        this.#listenSocket = socket;
        resolve(us_socket_local_port(socket as unknown as us_socket));
      });
    });
  }

  /** Colyseus' `listen` starts the HTTP server; the game sockets listen already. */
  override listen(
    port: number,
    hostname?: string,
    backlog?: number,
    listeningListener?: () => void,
  ): this {
    this.server.listen(port, hostname, backlog, () => listeningListener?.());
    return this;
  }

  /** Stops accepting game sockets; open ones close as their rooms dispose. */
  override shutdown(): void {
    if (this.#listenSocket) us_listen_socket_close(this.#listenSocket);
    this.#listenSocket = undefined;
  }
}

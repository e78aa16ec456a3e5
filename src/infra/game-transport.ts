import type http from "node:http";
import type { Transport } from "@colyseus/core";
import { WebSocketTransport } from "@colyseus/ws-transport";
import type { Config } from "../config.ts";
import { UwsGameSockets } from "./uws-game-sockets.ts";

/** Room messages are small; a larger frame is refused before it is read. */
export const MAX_SOCKET_PAYLOAD = 4 * 1024;

export type GameTransport = {
  transport: Transport;
  /** Where seat reservations send clients' room sockets (Colyseus' `publicAddress`). */
  publicAddress: string | undefined;
};

type TransportConfig = Pick<
  Config,
  "WS_TRANSPORT" | "WS_PORT" | "PORT" | "HOST" | "PUBLIC_ADDRESS" | "PUBLIC_WS_ADDRESS"
>;

/** The WebSocket transport WS_TRANSPORT names, with the address its room sockets are at. */
export async function createGameTransport(
  config: TransportConfig,
  server: http.Server,
): Promise<GameTransport> {
  if (config.WS_TRANSPORT === "ws") {
    return {
      transport: new WebSocketTransport({ server, maxPayload: MAX_SOCKET_PAYLOAD }),
      publicAddress: config.PUBLIC_ADDRESS,
    };
  }
  const sockets = new UwsGameSockets(server, MAX_SOCKET_PAYLOAD);
  const port = await sockets.openSockets(
    config.HOST,
    config.WS_PORT ?? (config.PORT === 0 ? 0 : config.PORT + 1),
  );
  return {
    transport: sockets,
    publicAddress: config.PUBLIC_WS_ADDRESS ?? `${publicHost(config)}:${port}`,
  };
}

function publicHost(config: TransportConfig): string {
  if (config.PUBLIC_ADDRESS) return new URL(`http://${config.PUBLIC_ADDRESS}`).hostname;
  return reachableHost(config.HOST);
}

/** A host a client on this machine can reach the listener on: a wildcard address is not one. */
export function reachableHost(listenHost: string): string {
  return listenHost === "0.0.0.0" || listenHost === "::" ? "localhost" : listenHost;
}

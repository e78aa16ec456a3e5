/**
 * One source for message names (clients/js/message-names.ts): the server's validators are keyed
 * by it, the simulation's notices are names it knows, and no send, listener or switch in the
 * server, the web client, the bots or the benches spells a message name as a string of its own.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import {
  AREA_NOTICE_TYPES,
  CLIENT_MESSAGE_TYPES,
  SERVER_MESSAGE_TYPES,
  type AreaNoticeType,
  type Assert,
  type ServerMessageType,
} from "../../clients/js/message-names.ts";
import { ZONE_MESSAGE_TYPES } from "../../rooms/zone-messages.ts";
import { TradeEvents, TradeMessages } from "../../src/economy/trade/trade-messages.ts";
import type { SimNotice } from "../../src/zone/sim-types.ts";

/** Every notice the simulation raises reaches clients under its own type, except the portal. */
export type _SimNoticesAreKitNames = Assert<
  [Exclude<SimNotice["type"], "portalEntered">] extends [ServerMessageType | AreaNoticeType]
    ? true
    : false
>;

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCANNED = ["client", "clients/js", "loadtest", "bench", "rooms", "src"];
const NAMES = new Set<string>([
  ...CLIENT_MESSAGE_TYPES,
  ...SERVER_MESSAGE_TYPES,
  ...AREA_NOTICE_TYPES,
]);

/** Where a message name in quotes would be a second copy of it. */
const PLACES = [
  /\.(?:send|onMessage|broadcast)\(\s*"(\w+)"/g, // room.send("move", …), room.onMessage("chat", …)
  /\bsend\(\s*[\w.]+,\s*"(\w+)"/g, // host.send(characterId, "arenaJoined", …)
  /messageHeader\([^,]+,\s*"(\w+)"/g, // the thin bots' frame headers
];
/** In clients, message handlers also compare the type. */
const CLIENT_PLACES = [/\btype === "(\w+)"/g];
/** A baseline server without Colyseus (its own JSON protocol), measured against ours. */
const OTHER_PROTOCOLS = new Set([path.join("bench", "naive-server.ts")]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "generated" ? [] : sources(full);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [full] : [];
  });
}

/** `file:line "name"` for every message name spelled in a message position of `text`. */
export function spelledNames(file: string, source: string, clientSide: boolean): string[] {
  // Comments may quote a message: blank them out, keeping the line count.
  const text = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, (c) => c.replace(/[^\n]/g, " "));
  const found: string[] = [];
  for (const pattern of clientSide ? [...PLACES, ...CLIENT_PLACES] : PLACES) {
    for (const match of text.matchAll(pattern)) {
      if (!NAMES.has(match[1]!)) continue;
      const line = text.slice(0, match.index).split("\n").length;
      found.push(`${file}:${line} "${match[1]}"`);
    }
  }
  return found;
}

describe("message names (clients/js/message-names.ts)", () => {
  it("key the server's validators: zone intents and trade messages are kit client messages", () => {
    const client = new Set<string>(CLIENT_MESSAGE_TYPES);
    for (const type of [...ZONE_MESSAGE_TYPES, ...Object.keys(TradeMessages)]) {
      assert.ok(client.has(type), `${type} is not in ClientMessage`);
    }
    const server = new Set<string>(SERVER_MESSAGE_TYPES);
    for (const type of Object.values(TradeEvents)) assert.ok(server.has(type), type);
  });

  it("are spelled once: no message name in quotes where a message is sent or handled", () => {
    const found = SCANNED.flatMap((dir) =>
      sources(path.join(ROOT, dir))
        .filter((file) => !file.endsWith(path.join("clients", "js", "message-names.ts")))
        .filter((file) => !OTHER_PROTOCOLS.has(path.relative(ROOT, file)))
        .flatMap((file) => {
          const relative = path.relative(ROOT, file);
          const clientSide = !relative.startsWith("src") && !relative.startsWith("rooms");
          return spelledNames(relative, readFileSync(file, "utf8"), clientSide);
        }),
    );
    assert.deepEqual(found, [], "use ClientMessage / ServerMessage / AreaNotice instead");
  });

  it("catches a spelled name in a send, a listener, a host send and a client type check", () => {
    const text = [
      'room.send("move", { dx: 1, dy: 0, seq: 1 });',
      'room.onMessage("chat", () => {});',
      'this.host.send(id, "arenaJoined", {});',
      'if (type === "tradeClosed") {}',
      '// room.send("move") in a comment',
      'room.onMessage("*", () => {});',
      'log.info("move")',
    ].join("\n");
    assert.deepEqual(spelledNames("x.ts", text, true), [
      'x.ts:1 "move"',
      'x.ts:2 "chat"',
      'x.ts:3 "arenaJoined"',
      'x.ts:4 "tradeClosed"',
    ]);
  });
});

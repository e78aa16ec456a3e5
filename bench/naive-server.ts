/**
 * The naive baseline for `bench/capacity.ts`: the seed 004 design ("Realtime World" of
 * ../shared/seeds/004): a plain `ws` server at /v1/world/ws, clients send `join` then `move
 * {dx, dy}`, and every tick (20 Hz here, as our rooms) the server broadcasts ONE JSON snapshot of
 * every player's authoritative position to every client. No area of interest, no deltas. It skips
 * the JWT check (a one-time cost per connection, not part of the steady state being compared).
 *
 * Run as a process: `node --import tsx bench/naive-server.ts --port 2600`. `GET /stats` returns
 * the tick-duration p99 (simulate + serialize + send) and the event-loop delay p99 since the
 * previous call, and the client count. `runNaiveBot` is its tiny bot: join, then move at 10 Hz
 * with a new direction every 2–5 s; it counts snapshots without parsing (or validating) them.
 */
import http from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { WebSocket, WebSocketServer } from "ws";
import { MsHistogram, type BotStats } from "../loadtest/bot.ts";

const TICK_HZ = 20;
const SPEED = 120; // world units per second
const SIZE = 4096;

type Player = { id: string; x: number; y: number; dx: number; dy: number; ws: WebSocket };

export function startNaiveServer(port: number): Promise<http.Server> {
  const players = new Map<WebSocket, Player>();
  const tickMs = new MsHistogram();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let tick = 0;
  const server = http.createServer((req, res) => {
    if (req.url === "/stats") {
      const body = {
        tickP50Ms: tickMs.quantile(0.5),
        tickP99Ms: tickMs.quantile(0.99),
        loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e5) / 10,
        clients: players.size,
      };
      tickMs.reset();
      loopDelay.reset();
      res.setHeader("content-type", "application/json");
      return res.end(JSON.stringify(body));
    }
    res.statusCode = 404;
    res.end();
  });
  const wss = new WebSocketServer({ server, path: "/v1/world/ws" });
  wss.on("connection", (ws) => {
    ws.on("message", (data) => {
      let msg: { type?: string; character_id?: string; dx?: number; dy?: number };
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      if (msg.type === "join" && !players.has(ws)) {
        const p = {
          id: msg.character_id ?? randomUUID(),
          x: Math.random() * SIZE,
          y: Math.random() * SIZE,
          dx: 0,
          dy: 0,
          ws,
        };
        players.set(ws, p);
        ws.send(JSON.stringify({ type: "welcome", id: p.id }));
      } else if (msg.type === "move") {
        const p = players.get(ws);
        if (!p || !Number.isFinite(msg.dx) || !Number.isFinite(msg.dy)) return;
        const len = Math.hypot(msg.dx!, msg.dy!) || 1;
        p.dx = msg.dx! / len;
        p.dy = msg.dy! / len;
      }
    });
    ws.on("close", () => players.delete(ws));
    ws.on("error", () => players.delete(ws));
  });
  const dt = 1 / TICK_HZ;
  setInterval(() => {
    const started = performance.now();
    tick += 1;
    const list: { id: string; x: number; y: number }[] = [];
    for (const p of players.values()) {
      p.x = Math.min(SIZE, Math.max(0, p.x + p.dx * SPEED * dt));
      p.y = Math.min(SIZE, Math.max(0, p.y + p.dy * SPEED * dt));
      list.push({ id: p.id, x: Math.round(p.x * 100) / 100, y: Math.round(p.y * 100) / 100 });
    }
    const snapshot = JSON.stringify({ type: "snapshot", tick, players: list });
    for (const p of players.values()) if (p.ws.readyState === WebSocket.OPEN) p.ws.send(snapshot);
    tickMs.add(performance.now() - started);
  }, 1000 / TICK_HZ);
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/** The baseline's bot: counts snapshots as patches, and their bytes. Runs until `signal` aborts. */
export async function runNaiveBot(
  url: string,
  stats: BotStats,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  // Snapshots are only counted: skipping the UTF-8 check keeps the bot from costing more than
  // the server it measures (it takes in N² bytes).
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/v1/world/ws`, {
    perMessageDeflate: false,
    skipUTF8Validation: true,
  });
  let last = 0;
  let joined = false;
  let dir = { dx: 1, dy: 0 };
  let nextTurn = 0;
  ws.on("message", (data: Buffer) => {
    stats.bytes += data.byteLength;
    const now = performance.now();
    if (!joined) {
      joined = true;
      stats.joins += 1;
      stats.connected += 1;
      stats.joinLatency.add(now - started);
      return;
    }
    stats.patches += 1;
    if (last) stats.patchGaps.add(now - last);
    last = now;
  });
  ws.on("error", (err) => {
    stats.errors += 1;
    if (stats.errorSamples.length < 20) stats.errorSamples.push(`naive: ${err.message}`);
  });
  await new Promise<void>((resolve) => {
    ws.once("open", () => resolve());
    ws.once("close", () => resolve());
  });
  if (ws.readyState !== WebSocket.OPEN) return;
  ws.send(JSON.stringify({ type: "join", character_id: randomUUID() }));
  const timer = setInterval(() => {
    const now = performance.now();
    if (now >= nextTurn) {
      nextTurn = now + 2000 + Math.random() * 3000;
      const a = Math.random() * Math.PI * 2;
      dir = { dx: Math.cos(a), dy: Math.sin(a) };
    }
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "move", ...dir }));
  }, 100);
  await new Promise<void>((resolve) => {
    signal.addEventListener("abort", () => resolve(), { once: true });
    ws.once("close", () => resolve());
  });
  clearInterval(timer);
  if (joined) stats.connected -= 1;
  ws.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { port: { type: "string", default: "2600" } } });
  await startNaiveServer(Number(values.port));
  process.stdout.write(`naive server on ${values.port}\n`);
  process.on("SIGTERM", () => process.exit(0));
}

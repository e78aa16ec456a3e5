import net from "node:net";
import { SERVICE_URLS } from "./services.ts";

/**
 * A Redis URL on a database index of its own (1..15), emptied first, so a test's presence and
 * matchmaking keys cannot meet another run's (or a killed process's) leftovers.
 */
export async function freshRedisUrl(): Promise<{ url: string; flush(): Promise<void> }> {
  const db = 1 + Math.floor(Math.random() * 15);
  const base = new URL(SERVICE_URLS.redis);
  const flush = () =>
    redisCommand(base.hostname, Number(base.port), ["SELECT", String(db)], ["FLUSHDB"]);
  await flush();
  return { url: `redis://${base.hostname}:${base.port}/${db}`, flush };
}

/** Sends RESP commands on one connection and resolves after the last reply. */
function redisCommand(host: string, port: number, ...commands: string[][]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let replies = 0;
    socket.on("data", (chunk) => {
      replies += chunk
        .toString()
        .split("\r\n")
        .filter((l) => /^[+-]/.test(l)).length;
      if (chunk.toString().startsWith("-")) reject(new Error(chunk.toString()));
      if (replies >= commands.length) {
        socket.end();
        resolve();
      }
    });
    socket.on("error", reject);
    for (const args of commands) {
      socket.write(
        `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`,
      );
    }
  });
}

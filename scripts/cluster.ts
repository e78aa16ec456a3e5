/**
 * Starts N game processes on consecutive ports for local scale-out:
 *   REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/mmo \
 *     npm run cluster -- 3
 * Every process shares the database, Redis (presence, matchmaking, cache) and the JWT secret;
 * each gets PORT = base + i and its own PUBLIC_ADDRESS; with WS_TRANSPORT=uws its game sockets
 * listen on WS_PORT = base + N + i. Ctrl-C stops them all gracefully.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

const count = Number(process.argv[2] ?? 2);
const basePort = Number(process.env.PORT ?? 2567);
const host = process.env.CLUSTER_HOST ?? "127.0.0.1";

function fail(message: string): never {
  process.stderr.write(`cluster: ${message}\n`);
  process.exit(2);
}
if (!Number.isInteger(count) || count < 1 || count > 32) fail("process count must be 1..32");
if (!process.env.REDIS_URL)
  fail("REDIS_URL is required: processes find each other's rooms through Redis");
if (!process.env.DATABASE_URL)
  fail("DATABASE_URL is required: the embedded PGlite cannot be shared");

const jwtSecret = process.env.JWT_SECRET ?? randomBytes(32).toString("hex");
const root = fileURLToPath(new URL("..", import.meta.url));
const children: ChildProcess[] = [];

for (let i = 0; i < count; i++) {
  const port = basePort + i;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      PUBLIC_ADDRESS: `${host}:${port}`,
      // PORT + 1, the single process's default, is the next process's HTTP port here.
      ...(process.env.WS_TRANSPORT === "uws" && { WS_PORT: String(basePort + count + i) }),
      JWT_SECRET: jwtSecret,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("exit", (code, signal) => {
    process.stderr.write(`cluster: process on port ${port} exited (${signal ?? code})\n`);
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(0);
  });
  children.push(child);
  process.stderr.write(`cluster: started http://${host}:${port}\n`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill("SIGTERM");
  });
}

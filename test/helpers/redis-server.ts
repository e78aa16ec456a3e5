import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";

/**
 * A redis-server child of the test, for outages: unlike the shared Redis of services.ts, it can
 * be killed and started again (empty: no persistence) on the same port.
 */
export function redisServerAvailable(): boolean {
  return spawnSync("redis-server", ["--version"]).status === 0;
}

/** Skips the suite without redis-server, except under CI=true where it is required. */
export function requireRedisServer(context: Mocha.Context): void {
  if (redisServerAvailable()) return;
  if (process.env.CI === "true") throw new Error("redis-server is required under CI=true");
  context.skip();
}

export function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 5000;
    const probe = () => {
      const s = net.connect({ host: "127.0.0.1", port });
      s.once("connect", () => {
        s.destroy();
        resolve(child);
      });
      s.once("error", () => {
        if (Date.now() > deadline) reject(new Error("redis-server did not start"));
        else setTimeout(probe, 50);
      });
    };
    probe();
  });
}

/** SIGKILL: Redis goes away at once, as in a crash. */
export function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

import net from "node:net";

/** Real services the integration tests use when reachable; under CI=true they are required. */
export const SERVICE_URLS = {
  postgres: process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test",
  redis: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  nats: process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222",
} as const;
export type ServiceName = keyof typeof SERVICE_URLS;

const reachability = new Map<ServiceName, Promise<boolean>>();

function canConnect(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Whether tests against `name` should run: true when reachable; false (skip) when not, except
 * under CI=true where an unreachable service fails the run.
 */
export async function serviceAvailable(name: ServiceName): Promise<boolean> {
  let probe = reachability.get(name);
  if (!probe) {
    probe = canConnect(SERVICE_URLS[name]);
    reachability.set(name, probe);
  }
  const ok = await probe;
  if (!ok && process.env.CI === "true") {
    throw new Error(`${name} is required under CI=true but ${SERVICE_URLS[name]} is unreachable`);
  }
  return ok;
}

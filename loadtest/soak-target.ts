/**
 * The server a soak run (`loadtest/soak.ts`) loads: one started here (`src/main.ts`, pinned to
 * core 0 with the generator on core 1, with the Node inspector on a free local port for post-GC
 * heap readings) or one given by URL (its /metrics and admin API only).
 */
import {
  freePort,
  startServerProcess,
  type ServerProcess,
} from "../test/helpers/server-process.ts";
import { Inspector } from "./soak-inspector.ts";
import type { SoakOptions } from "./soak.ts";
import { pin, type Target } from "./soak-watch.ts";

const ADMIN = { user: "soak", password: "soak-password-123456" };

export async function startTarget(
  o: SoakOptions,
): Promise<{ target: Target; server?: ServerProcess; inspector?: Inspector }> {
  let server: ServerProcess | undefined;
  let inspector: Inspector | undefined;
  let url = o.url;
  let admin = o.admin;
  let pinned = false;
  if (!url) {
    const inspectPort = o.gcEverySec > 0 || o.heapSnapshotDir ? await freePort() : undefined;
    server = await startServerProcess(
      {
        LOG_LEVEL: "warn",
        DATA_DIR: ":memory:",
        ADMIN_USER: ADMIN.user,
        ADMIN_PASSWORD: ADMIN.password,
        MAX_CHARACTERS_PER_ACCOUNT: String(Math.max(8, o.charactersPerAccount)),
        ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
      },
      { nodeArgs: inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [] },
    );
    url = server.url;
    admin = ADMIN;
    if (o.pin && server.child.pid) pinned = pin(server.child.pid, 0) && pin(process.pid, 1);
    if (inspectPort) {
      inspector = await Inspector.connect(inspectPort).catch(async (err: Error) => {
        server!.child.kill("SIGTERM");
        await server!.exited;
        throw err;
      });
    }
  }
  const auth = admin
    ? `Basic ${Buffer.from(`${admin.user}:${admin.password}`).toString("base64")}`
    : undefined;
  const get = async (path: string): Promise<string | null> => {
    if (!auth) return null;
    try {
      const res = await fetch(`${url}${path}`, { headers: { authorization: auth } });
      return res.ok ? await res.text() : null;
    } catch {
      return null;
    }
  };
  const scrape = () => get("/metrics");
  return { target: { url, pid: server?.child.pid, pinned, scrape, get }, server, inspector };
}

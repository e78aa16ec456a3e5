import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

/**
 * Opens the embedded Postgres in memory (":memory:") or under `<dataDir>/pglite`. PGlite runs on
 * the thread that calls it, so its file work blocks that thread's event loop. By default Postgres
 * fills each new 16 MB WAL segment with zeros, which stalled the commit that crossed into it for
 * 60-90 ms (bench/save-stall.ts); without it, only the segment's last byte is written (a
 * documented setting, as safe for recovery). A session setting: PGlite has one session.
 */
export async function openPglite(dataDir: string): Promise<PGlite> {
  let pglite: PGlite;
  if (dataDir === ":memory:") pglite = await PGlite.create();
  else {
    const dir = path.resolve(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create(dir);
  }
  await pglite.exec("SET wal_init_zero = off");
  return pglite;
}

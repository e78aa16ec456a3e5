/** `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or the PGlite in DATA_DIR. */
import { ConfigError, loadConfig } from "../config.ts";
import { openDatabase } from "./database.ts";

try {
  const config = loadConfig();
  const db = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    pgliteThread: config.PGLITE_THREAD,
  });
  try {
    const report = await db.migrate();
    process.stdout.write(`${JSON.stringify({ database: db.kind, ...report })}\n`);
  } finally {
    await db.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}

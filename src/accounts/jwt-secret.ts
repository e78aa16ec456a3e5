import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The JWT secret: from config when set; otherwise a random one persisted under the data
 * directory so that a restart keeps sessions valid (in memory only for ":memory:").
 */
export function resolveJwtSecret(configured: string | undefined, dataDir: string): Uint8Array {
  if (configured) return new TextEncoder().encode(configured);
  if (dataDir === ":memory:") return randomBytes(48);
  const file = path.resolve(dataDir, "jwt-secret");
  try {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 64) return Buffer.from(stored, "hex");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(48);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, secret.toString("hex"), { mode: 0o600 });
  return secret;
}

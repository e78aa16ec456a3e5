import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Bundles the client like `npm run build:client` (public/build/ is not committed). */
export async function buildClient(): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ["client/main.ts"],
    bundle: true,
    format: "esm",
    outfile: "public/build/app.js",
    minify: true,
    sourcemap: true,
    logLevel: "error",
  });
}

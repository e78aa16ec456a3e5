import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Router } from "express";

/** `public/` at the repository root (and beside `dist/src` in the container image). */
export const PUBLIC_DIR = fileURLToPath(new URL("../../public/", import.meta.url));

/** The bundle `npm run build:client` writes (`prestart` runs it before `npm start`). */
export const CLIENT_BUNDLE = "build/app.js";

/**
 * Serves the browser client: `index.html` at `/`, its stylesheet and the esbuild bundle.
 * File names are not fingerprinted, so every response is revalidated (`no-cache` with ETag and
 * Last-Modified): a deploy is picked up at once and an unchanged file costs a 304.
 * Unknown paths fall through to the next handler (the API's 404).
 */
export function publicRoutes(options: { dir?: string } = {}): Router {
  const dir = options.dir ?? PUBLIC_DIR;
  const router = express.Router();
  router.use(
    express.static(dir, {
      index: "index.html",
      dotfiles: "ignore",
      redirect: false,
      fallthrough: true,
      etag: true,
      lastModified: true,
      setHeaders(res) {
        res.setHeader("Cache-Control", "no-cache");
      },
    }),
  );
  return router;
}

/** Whether the client bundle has been built (the page is useless without it). */
export function isClientBuilt(dir: string = PUBLIC_DIR): boolean {
  return existsSync(path.join(dir, CLIENT_BUNDLE));
}

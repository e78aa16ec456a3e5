import { createHash, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Config } from "../config.ts";
import { GameError } from "../errors.ts";
import type { Logger } from "../logger.ts";

export type AdminCredentials = Pick<Config, "ADMIN_USER" | "ADMIN_PASSWORD">;

export type RequireAdminOptions = {
  logger?: Logger;
  /** Failed attempts per client IP before it is refused outright until the window ends. */
  maxFailures?: number;
  failureWindowMs?: number;
  now?: () => number;
};

const REALM = 'Basic realm="mmo-admin", charset="UTF-8"';

declare module "express-serve-static-core" {
  interface Locals {
    /** The admin user name once `requireAdmin` has let the request through. */
    adminUser?: string;
  }
}

/** Equal-time comparison of two strings of any length (compares their SHA-256 digests). */
function safeEqual(a: string, b: string): boolean {
  const da = createHash("sha256").update(a, "utf8").digest();
  const db = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(da, db);
}

/** The user and password of a `Basic` Authorization header, or undefined. */
export function parseBasicAuth(
  header: string | undefined,
): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic auth against ADMIN_USER/ADMIN_PASSWORD. Without configured credentials the admin
 * surface does not exist (404). Missing or wrong credentials get 401 with `WWW-Authenticate`;
 * an IP with too many recent failures gets 429 before its credentials are even checked.
 */
export function requireAdmin(config: AdminCredentials, options: RequireAdminOptions = {}) {
  const { ADMIN_USER: user, ADMIN_PASSWORD: password } = config;
  const maxFailures = options.maxFailures ?? 20;
  const windowMs = options.failureWindowMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, { count: number; resetAt: number }>();

  return (req: Request, res: Response, next: NextFunction) => {
    if (user === undefined || password === undefined) {
      next(new GameError("NOT_FOUND"));
      return;
    }
    const log = req.log ?? options.logger;
    const ip = req.ip ?? "unknown";
    const t = now();
    const record = failures.get(ip);
    if (record && record.resetAt <= t) failures.delete(ip);
    const current = failures.get(ip);
    if (current && current.count >= maxFailures) {
      next(
        new GameError("RATE_LIMITED", undefined, {
          retryAfterSec: Math.ceil((current.resetAt - t) / 1000),
        }),
      );
      return;
    }

    const given = parseBasicAuth(req.headers.authorization);
    // Evaluate both comparisons every time so timing does not tell which one failed.
    const userOk = safeEqual(given?.user ?? "", user);
    const passwordOk = safeEqual(given?.password ?? "", password);
    if (given && userOk && passwordOk) {
      failures.delete(ip);
      res.locals.adminUser = given.user;
      next();
      return;
    }

    if (given) {
      const entry = current ?? { count: 0, resetAt: t + windowMs };
      entry.count += 1;
      failures.set(ip, entry);
      log?.warn(
        { ip, path: req.originalUrl.split("?")[0], failures: entry.count },
        "admin authentication failed",
      );
    }
    res.setHeader("WWW-Authenticate", REALM);
    next(new GameError("UNAUTHORIZED"));
  };
}

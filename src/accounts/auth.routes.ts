import { setTimeout } from "node:timers/promises";
import { Router, type Request } from "express";
import { GameError } from "../errors.ts";
import { CredentialsBody, LoginBody, RefreshBody } from "../http/api-schemas.ts";
import type { RateLimiter } from "../http/rate-limiter.ts";
import { validate } from "../http/validate.ts";
import type { AuthService } from "./auth.service.ts";
import type { LoginSlowdown } from "./login-slowdown.ts";

/**
 * `perIp` bounds every auth call from one address; `perAccount` bounds login attempts on one
 * account from one address (issue 14): counted per account alone, a stranger failing logins on
 * someone's email would lock its owner out, while the owner, from any other address, still gets
 * in. A guesser spread over many addresses meets `perIp` at each and `slowdown` on the account.
 */
export type AuthLimiters = {
  perIp: RateLimiter;
  perAccount: RateLimiter;
  /** Failures on one account from every source slow its logins down (never refuse them). */
  slowdown?: LoginSlowdown;
};

function assertAllowed(limiter: RateLimiter, key: string): void {
  const retryAfterSec = limiter.hit(key);
  if (retryAfterSec > 0) throw new GameError("RATE_LIMITED", undefined, { retryAfterSec });
}

const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? "unknown";

export function authRoutes(auth: AuthService, limiters: AuthLimiters): Router {
  const router = Router();

  router.post("/register", async (req, res) => {
    assertAllowed(limiters.perIp, `register:${clientIp(req)}`);
    const body = validate(CredentialsBody, req.body);
    res.status(201).json(await auth.register(body.email, body.password));
  });

  router.post("/login", async (req, res) => {
    assertAllowed(limiters.perIp, `login:${clientIp(req)}`);
    const body = validate(LoginBody, req.body);
    const accountKey = `login:${body.email}|${clientIp(req)}`;
    assertAllowed(limiters.perAccount, accountKey);
    const delayMs = limiters.slowdown?.delayMs(body.email) ?? 0;
    if (delayMs > 0) await setTimeout(delayMs);
    const session = await auth.login(body.email, body.password).catch((error: unknown) => {
      if (error instanceof GameError && error.code === "INVALID_CREDENTIALS") {
        limiters.slowdown?.failed(body.email);
      }
      throw error;
    });
    limiters.perAccount.reset(accountKey);
    limiters.slowdown?.succeeded(body.email);
    res.json(session);
  });

  router.post("/refresh", async (req, res) => {
    assertAllowed(limiters.perIp, `refresh:${clientIp(req)}`);
    const body = validate(RefreshBody, req.body);
    res.json(await auth.refresh(body.refreshToken));
  });

  router.post("/logout", async (req, res) => {
    const body = validate(RefreshBody, req.body);
    await auth.logout(body.refreshToken);
    res.status(204).end();
  });

  return router;
}

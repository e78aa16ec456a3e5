import { Router } from "express";
import { z } from "zod";
import { GameError } from "../errors.ts";
import type { RateLimiter } from "../http/rate-limiter.ts";
import { accountOf, requireAuth } from "../http/require-auth.ts";
import { validate } from "../http/validate.ts";
import type { AccountDeletion } from "./account-deletion.ts";
import type { TokenSigner } from "./tokens.ts";

export const DeleteAccountBody = z.strictObject({ password: z.string().min(1).max(128) });

/** /v1/account: deleting one's own account (bearer token and the password again). */
export function accountRoutes(deps: {
  deletion: AccountDeletion;
  signer: TokenSigner;
  /** Bounds password guesses through a stolen access token (keyed by account). */
  limiter: RateLimiter;
}): Router {
  const router = Router();

  router.delete("/", requireAuth(deps.signer), async (req, res) => {
    const accountId = accountOf(req);
    const body = validate(DeleteAccountBody, req.body ?? {});
    const retryAfterSec = deps.limiter.hit(`delete-account:${accountId}`);
    if (retryAfterSec > 0) throw new GameError("RATE_LIMITED", undefined, { retryAfterSec });
    await deps.deletion.delete(accountId, body.password);
    res.status(204).end();
  });

  return router;
}

import type { NextFunction, Request, Response } from "express";
import type { TokenSigner } from "../accounts/tokens.ts";
import { GameError } from "../errors.ts";

declare module "express-serve-static-core" {
  interface Request {
    accountId?: string;
  }
}

/** Reads `Authorization: Bearer <jwt>`, verifies it and sets `req.accountId`. */
export function requireAuth(signer: TokenSigner) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header) : null;
    if (!match?.[1]) throw new GameError("UNAUTHORIZED");
    req.accountId = (await signer.verifyAccess(match[1])).accountId;
    next();
  };
}

/** The authenticated account of a request that passed `requireAuth`. */
export function accountOf(req: Request): string {
  if (!req.accountId) throw new GameError("UNAUTHORIZED");
  return req.accountId;
}

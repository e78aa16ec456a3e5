import { Router, type Request } from "express";
import type { TokenSigner } from "../../accounts/tokens.ts";
import { GameError } from "../../errors.ts";
import { CharacterId } from "../../http/api-schemas.ts";
import { accountOf, requireAuth } from "../../http/require-auth.ts";
import { validate } from "../../http/validate.ts";
import { MailListQuery, SendMailBody } from "./mail-schemas.ts";
import type { MailService } from "./mail.service.ts";

/** A malformed id cannot name something the caller owns: answer like any unknown id. */
function idOf(raw: unknown, code: "CHARACTER_NOT_FOUND" | "MAIL_NOT_FOUND"): string {
  const parsed = CharacterId.safeParse(raw);
  if (!parsed.success) throw new GameError(code);
  return parsed.data;
}

const characterOf = (req: Request) => idOf(req.params.id, "CHARACTER_NOT_FOUND");
const mailOf = (req: Request) => idOf(req.params.mailId, "MAIL_NOT_FOUND");

/**
 * Mail under /v1/characters/:id/mail: send, inbox (newest first, paged), read, claim, delete.
 * Owner only: another account's character is CHARACTER_NOT_FOUND.
 */
export function mailRoutes(service: MailService, signer: TokenSigner): Router {
  const router = Router();
  const auth = requireAuth(signer);

  router.post("/:id/mail", auth, async (req, res) => {
    const id = characterOf(req);
    const body = validate(SendMailBody, req.body);
    res.status(201).json(await service.send(accountOf(req), id, body));
  });

  router.get("/:id/mail", auth, async (req, res) => {
    const id = characterOf(req);
    const query = validate(MailListQuery, req.query);
    res.setHeader("Cache-Control", "no-store");
    res.json(await service.inbox(accountOf(req), id, query.limit, query.cursor));
  });

  router.get("/:id/mail/:mailId", auth, async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json(await service.read(accountOf(req), characterOf(req), mailOf(req)));
  });

  router.post("/:id/mail/:mailId/claim", auth, async (req, res) => {
    res.json(await service.claim(accountOf(req), characterOf(req), mailOf(req)));
  });

  router.delete("/:id/mail/:mailId", auth, async (req, res) => {
    await service.remove(accountOf(req), characterOf(req), mailOf(req));
    res.status(204).end();
  });

  return router;
}

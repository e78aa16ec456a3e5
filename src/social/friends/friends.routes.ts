import { Router, type Request } from "express";
import type { TokenSigner } from "../../accounts/tokens.ts";
import { GameError } from "../../errors.ts";
import { CharacterId } from "../../http/api-schemas.ts";
import { accountOf, requireAuth } from "../../http/require-auth.ts";
import { validate } from "../../http/validate.ts";
import { NameBody } from "../social-schemas.ts";
import type { BlocksService } from "./blocks.service.ts";
import type { FriendsService } from "./friends.service.ts";

/** A malformed id cannot name a character the caller owns: answer like any unknown id. */
function characterIdOf(req: Request): string {
  const parsed = CharacterId.safeParse(req.params.id);
  if (!parsed.success) throw new GameError("CHARACTER_NOT_FOUND");
  return parsed.data;
}

/** A name in the path: one that cannot be a character's is on no list. */
function nameOf(req: Request, missing: "FRIEND_NOT_FOUND" | "BLOCK_NOT_FOUND"): string {
  const parsed = NameBody.shape.name.safeParse(req.params.name);
  if (!parsed.success) throw new GameError(missing);
  return parsed.data;
}

/**
 * Friend and block lists under /v1/characters/:id (`/friends`, `/blocks`, `DELETE …/:name`).
 * Owner only: another account's character answers CHARACTER_NOT_FOUND.
 */
export function friendsRoutes(
  friends: FriendsService,
  blocks: BlocksService,
  signer: TokenSigner,
): Router {
  const router = Router();
  const auth = requireAuth(signer);

  router.get("/:id/friends", auth, async (req, res) => {
    res.json({ friends: await friends.list(accountOf(req), characterIdOf(req)) });
  });

  router.post("/:id/friends", auth, async (req, res) => {
    const id = characterIdOf(req);
    const { name } = validate(NameBody, req.body);
    res.status(201).json(await friends.add(accountOf(req), id, name));
  });

  router.delete("/:id/friends/:name", auth, async (req, res) => {
    const id = characterIdOf(req);
    await friends.remove(accountOf(req), id, nameOf(req, "FRIEND_NOT_FOUND"));
    res.status(204).end();
  });

  router.get("/:id/blocks", auth, async (req, res) => {
    res.json({ blocks: await blocks.list(accountOf(req), characterIdOf(req)) });
  });

  router.post("/:id/blocks", auth, async (req, res) => {
    const id = characterIdOf(req);
    const { name } = validate(NameBody, req.body);
    res.status(201).json(await blocks.add(accountOf(req), id, name));
  });

  router.delete("/:id/blocks/:name", auth, async (req, res) => {
    const id = characterIdOf(req);
    await blocks.remove(accountOf(req), id, nameOf(req, "BLOCK_NOT_FOUND"));
    res.status(204).end();
  });

  return router;
}

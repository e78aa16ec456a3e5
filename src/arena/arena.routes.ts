import { Router } from "express";
import type { TokenSigner } from "../accounts/tokens.ts";
import { GameError } from "../errors.ts";
import { CharacterId } from "../http/api-schemas.ts";
import { accountOf, requireAuth } from "../http/require-auth.ts";
import { validate } from "../http/validate.ts";
import type { ArenaQueueService } from "./arena-queue.service.ts";
import type { ArenaRatingsService } from "./arena-ratings.service.ts";
import { ArenaCharacterBody, ArenaQueueBody } from "./arena-schemas.ts";

/**
 * Mounted at /v1: the arena queue (`/arena/queue`: join, status, leave) and a character's rating
 * and match history (`/characters/:id/arena`). Every route checks the character's owner.
 */
export function arenaRoutes(deps: {
  signer: TokenSigner;
  queue: ArenaQueueService;
  ratings: ArenaRatingsService;
}): Router {
  const router = Router();
  const auth = requireAuth(deps.signer);

  router.post("/arena/queue", auth, async (req, res) => {
    const { characterId, mode } = validate(ArenaQueueBody, req.body);
    res.status(201).json(await deps.queue.enqueue(accountOf(req), characterId, mode));
  });

  router.get("/arena/queue", auth, async (req, res) => {
    const { characterId } = validate(ArenaCharacterBody, req.query);
    res.json(await deps.queue.status(accountOf(req), characterId));
  });

  router.delete("/arena/queue", auth, async (req, res) => {
    const input = req.body && Object.keys(req.body).length > 0 ? req.body : req.query;
    const { characterId } = validate(ArenaCharacterBody, input);
    await deps.queue.leave(accountOf(req), characterId);
    res.status(204).end();
  });

  router.get("/characters/:id/arena", auth, async (req, res) => {
    const id = CharacterId.safeParse(req.params.id);
    if (!id.success) throw new GameError("CHARACTER_NOT_FOUND");
    res.json(await deps.ratings.profile(accountOf(req), id.data));
  });

  return router;
}

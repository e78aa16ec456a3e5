import { Router } from "express";
import type { TokenSigner } from "../accounts/tokens.ts";
import { CharacterId, CreateCharacterBody } from "../http/api-schemas.ts";
import { accountOf, requireAuth } from "../http/require-auth.ts";
import { GameError } from "../errors.ts";
import { validate } from "../http/validate.ts";
import type { CharactersService } from "./characters.service.ts";

/** A malformed id cannot name a character the caller owns: answer like any unknown id. */
function characterIdOf(raw: string | string[] | undefined): string {
  const parsed = CharacterId.safeParse(raw);
  if (!parsed.success) throw new GameError("CHARACTER_NOT_FOUND");
  return parsed.data;
}

export function characterRoutes(characters: CharactersService, signer: TokenSigner): Router {
  const router = Router();
  router.use(requireAuth(signer));

  router.get("/", async (req, res) => {
    res.json({ characters: await characters.list(accountOf(req)) });
  });

  router.post("/", async (req, res) => {
    const body = validate(CreateCharacterBody, req.body);
    res.status(201).json(await characters.create(accountOf(req), body));
  });

  router.get("/:id", async (req, res) => {
    res.json(await characters.get(accountOf(req), characterIdOf(req.params.id)));
  });

  router.delete("/:id", async (req, res) => {
    await characters.delete(accountOf(req), characterIdOf(req.params.id));
    res.status(204).end();
  });

  return router;
}

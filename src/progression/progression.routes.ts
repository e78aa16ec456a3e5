import { Router, type Request } from "express";
import type { TokenSigner } from "../accounts/tokens.ts";
import { GameError } from "../errors.ts";
import { createCharacterStatsModel } from "../game/character/character-stats.ts";
import type { CharacterStatRules } from "../game/character/character-stats.ts";
import type { Content } from "../game/content/content.ts";
import { CharacterId, EquipBody, UnequipBody } from "../http/api-schemas.ts";
import { accountOf, requireAuth } from "../http/require-auth.ts";
import { validate } from "../http/validate.ts";
import { toInventoryView, toQuestsView, toStatsView } from "./progression-views.ts";
import type { ProgressionService } from "./progression.service.ts";

/** A malformed id cannot name a character the caller owns: answer like any unknown id. */
function characterIdOf(req: Request): string {
  const parsed = CharacterId.safeParse(req.params.id);
  if (!parsed.success) throw new GameError("CHARACTER_NOT_FOUND");
  return parsed.data;
}

/**
 * Progression API under /v1/characters: `GET /:id/stats|inventory|quests`, `POST /:id/equip`
 * and `/:id/unequip` (offline only). Owner only: others get CHARACTER_NOT_FOUND.
 */
export function progressionRoutes(
  service: ProgressionService,
  signer: TokenSigner,
  gameData: CharacterStatRules & { readonly content: Pick<Content, "quests"> },
): Router {
  const router = Router();
  const auth = requireAuth(signer);
  const stats = createCharacterStatsModel(gameData);
  const owned = (req: Request) => service.loadOwned(accountOf(req), characterIdOf(req));

  router.get("/:id/stats", auth, async (req, res) => {
    const p = await owned(req);
    const { race, job, level, zone } = p.character;
    // Offline characters carry no buffs or debuffs; rooms resolve live stats themselves.
    const computed = stats.compute({ race, job, level, zone, equipment: p.equipment, effects: [] });
    res.json(toStatsView(p, computed));
  });

  router.get("/:id/inventory", auth, async (req, res) => {
    res.json(toInventoryView(await owned(req)));
  });

  router.get("/:id/quests", auth, async (req, res) => {
    res.json(toQuestsView(await owned(req), gameData.content));
  });

  router.post("/:id/equip", auth, async (req, res) => {
    const id = characterIdOf(req);
    const body = validate(EquipBody, req.body);
    const p = await service.equipOffline(accountOf(req), id, body.fromSlot, body.toSlot);
    res.json(toInventoryView(p));
  });

  router.post("/:id/unequip", auth, async (req, res) => {
    const id = characterIdOf(req);
    const body = validate(UnequipBody, req.body);
    res.json(toInventoryView(await service.unequipOffline(accountOf(req), id, body.slot)));
  });

  return router;
}

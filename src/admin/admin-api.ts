import { Router } from "express";
import { z } from "zod";
import { sendRoomCommand } from "../../rooms/room-commands.ts";
import type { Economy } from "../economy/character-mutation.ts";
import { economyError } from "../economy/economy-errors.ts";
import { GameError } from "../errors.ts";
import { validate } from "../http/validate.ts";
import type { OnlinePlayers } from "../session/online-players.ts";

const CharacterIdParam = z.uuid();
const KickBody = z.strictObject({
  reason: z.string().min(1).max(200).default("kicked by an operator"),
});
const AnnouncementBody = z.strictObject({ message: z.string().trim().min(1).max(500) });
const GiveItemBody = z.strictObject({
  itemId: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(9999).default(1),
});

export type AdminApiDeps = {
  online: OnlinePlayers;
  /** Sends an announcement to every zone room on every process. */
  announce(message: string): Promise<void>;
  /**
   * Gifts go through the economy's ledger (source `admin`): into the room's copy of an online
   * character, straight into the database otherwise, booked either way.
   */
  economy: Pick<Economy, "grant">;
  /** Tells an online character's client (on any process) what it was given. */
  notify(characterId: string, message: { type: string; [field: string]: unknown }): Promise<void>;
};

function characterIdOf(raw: unknown): string {
  const parsed = CharacterIdParam.safeParse(raw);
  if (!parsed.success) throw new GameError("CHARACTER_NOT_FOUND");
  return parsed.data;
}

/**
 * Operator actions (mounted behind admin auth and the audit log): who is online, kick, broadcast
 * an announcement, give an item. Online characters are reached in their room on whichever
 * process hosts it; gifts go through the economy's ledger.
 */
export function adminApiRoutes(deps: AdminApiDeps): Router {
  const router = Router();

  router.get("/players", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ players: await deps.online.list() });
  });

  router.post("/players/:id/kick", async (req, res) => {
    const characterId = characterIdOf(req.params.id);
    const { reason } = validate(KickBody, req.body ?? {});
    const online = await deps.online.get(characterId);
    if (!online) throw new GameError("NOT_FOUND", "That character is not online.");
    const kicked = await sendRoomCommand(online.roomId, { type: "kick", characterId, reason });
    if (!kicked) throw new GameError("NOT_FOUND", "That character is not online.");
    res.json({ kicked: characterId });
  });

  router.post("/announcements", async (req, res) => {
    const { message } = validate(AnnouncementBody, req.body);
    await deps.announce(message);
    res.status(202).json({ message });
  });

  router.post("/players/:id/items", async (req, res) => {
    const characterId = characterIdOf(req.params.id);
    const { itemId, quantity } = validate(GiveItemBody, req.body);
    const online = await deps.online.get(characterId);
    const granted = await deps.economy.grant({
      kind: "admin_grant",
      characterId,
      items: [{ itemId, qty: quantity }],
      source: "admin",
    });
    if (!granted.ok) throw economyError(granted.code);
    if (online) await deps.notify(characterId, { type: "looted", characterId, itemId, quantity });
    res.json({ characterId, itemId, quantity, online: online !== undefined });
  });

  return router;
}

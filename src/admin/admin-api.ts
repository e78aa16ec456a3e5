import { Router } from "express";
import { z } from "zod";
import { validate } from "../http/validate.ts";
import type { OnlinePlayers } from "../session/online-players.ts";
import { auditAs } from "./audit-log.ts";
import type { OperatorActions } from "./operator-actions.ts";
import { operatorRoutes } from "./operator-routes.ts";

const AnnouncementBody = z.strictObject({ message: z.string().trim().min(1).max(500) });

export type AdminApiDeps = {
  online: OnlinePlayers;
  /** Sends an announcement to every zone room on every process. */
  announce(message: string): Promise<void>;
  /** Kick, mute, ban, teleport, gold and items (src/admin/operator-actions.ts). */
  operator: OperatorActions;
};

/**
 * Operator actions (mounted behind admin auth and the audit log): who is online, broadcast an
 * announcement, and the actions on players (operator-routes.ts). Online characters are reached
 * in their room on whichever process hosts it; gold and items go through the economy's ledger.
 */
export function adminApiRoutes(deps: AdminApiDeps): Router {
  const router = Router();

  router.get("/players", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ players: await deps.online.list() });
  });

  router.post("/announcements", async (req, res) => {
    auditAs(res, "announcement.send");
    const { message } = validate(AnnouncementBody, req.body);
    await deps.announce(message);
    res.status(202).json({ message });
  });

  router.use(operatorRoutes(deps.operator));
  return router;
}

import { Router } from "express";
import { z } from "zod";
import { GameError } from "../errors.ts";
import type { WorldEvents } from "./world-events.service.ts";

const EventIdParam = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/)
  .max(64);

/** `GET /v1/world/events` (public): every event, its phase, next start and open runs. */
export function worldEventRoutes(events: WorldEvents): Router {
  const router = Router();
  router.get("/events", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json(await events.list(Date.now()));
  });
  return router;
}

/**
 * `POST /admin/api/events/:id/start` (mounted behind the admin guard): starts a run now in the
 * fullest room of the event's zone, on whichever process hosts it.
 */
export function worldEventAdminRoutes(events: WorldEvents): Router {
  const router = Router();
  router.post("/events/:id/start", async (req, res) => {
    const parsed = EventIdParam.safeParse(req.params.id);
    if (!parsed.success) throw new GameError("EVENT_NOT_FOUND");
    res.status(201).json(await events.startNow(parsed.data));
  });
  return router;
}

/** The admin API with the world event routes added (both behind the admin guard). */
export function withWorldEventAdmin(api: Router, events: WorldEvents): Router {
  const router = Router();
  router.use(api);
  router.use(worldEventAdminRoutes(events));
  return router;
}

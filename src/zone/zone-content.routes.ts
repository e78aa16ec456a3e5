import { Router } from "express";
import type { GameData } from "../content/load-game-data.ts";
import { GameError } from "../errors.ts";
import type { ZoneContent } from "../game/world/zone-content.ts";

/** What a client needs to draw a zone: geometry, portals, NPCs and the spawn point. */
export type ZoneMap = Pick<
  ZoneContent,
  "id" | "name" | "width" | "height" | "tileSize" | "tiles" | "portals" | "npcs" | "spawn"
>;

/** Zone content is fixed for the life of the process: clients may cache it for a while. */
const MAP_MAX_AGE_SEC = 300;

export function toZoneMap(zone: ZoneContent): ZoneMap {
  const { id, name, width, height, tileSize, tiles, portals, npcs, spawn } = zone;
  return { id, name, width, height, tileSize, tiles, portals, npcs, spawn };
}

/**
 * `GET /zones/:id/map` (mounted under `/v1/world`): the static geometry of a zone for rendering
 * (tiles with `#` blocked, portals, NPCs, spawn). Public: it is game content, not player data.
 */
export function zoneContentRoutes(data: Pick<GameData, "zones">): Router {
  const maps = new Map<string, ZoneMap>();
  for (const zone of data.zones.values()) maps.set(zone.id, toZoneMap(zone));
  const router = Router();
  router.get("/zones/:id/map", (req, res) => {
    const map = maps.get(req.params.id);
    if (!map) throw new GameError("NOT_FOUND", "Unknown zone.");
    res.set("Cache-Control", `public, max-age=${MAP_MAX_AGE_SEC}`).json(map);
  });
  return router;
}

import { Router } from "express";
import { GameError } from "../errors.ts";
import { CharacterId } from "../http/api-schemas.ts";
import { validate } from "../http/validate.ts";
import { AroundQuery, BoardQuery } from "./leaderboard-schemas.ts";
import { BOARDS, type Board, type Leaderboards } from "./leaderboard.service.ts";

function boardOf(raw: unknown): Board {
  if (typeof raw === "string" && (BOARDS as readonly string[]).includes(raw)) return raw as Board;
  throw new GameError("NOT_FOUND", "No such leaderboard (level, arena, guild).");
}

const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString("base64url");

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) {
    throw new GameError("VALIDATION_FAILED", "cursor: not a cursor from this API", {
      details: [{ path: "cursor", message: "not a cursor from this API" }],
    });
  }
  return Number(match[1]);
}

/** Public leaderboards: `GET /v1/leaderboards/:board` and `/:board/around/:characterId`. */
export function leaderboardRoutes(boards: Leaderboards): Router {
  const router = Router();

  router.get("/:board", async (req, res) => {
    const board = boardOf(req.params.board);
    const query = validate(BoardQuery, req.query);
    const page = await boards.page(board, decodeCursor(query.cursor), query.limit);
    res.setHeader("Cache-Control", "public, max-age=1");
    res.json({
      board,
      entries: page.entries,
      total: page.total,
      nextCursor: page.nextOffset === null ? null : encodeCursor(page.nextOffset),
    });
  });

  router.get("/:board/around/:characterId", async (req, res) => {
    const board = boardOf(req.params.board);
    const { limit } = validate(AroundQuery, req.query);
    const id = CharacterId.safeParse(req.params.characterId);
    if (!id.success) throw new GameError("CHARACTER_NOT_FOUND");
    const around = await boards.around(board, id.data, limit);
    if (!around) throw new GameError("NOT_FOUND", "That character is not on this leaderboard.");
    res.setHeader("Cache-Control", "public, max-age=1");
    res.json({ board, ...around });
  });

  return router;
}

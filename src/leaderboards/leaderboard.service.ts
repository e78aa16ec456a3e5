import type { EventBus } from "../events/event-bus.ts";
import type { Logger } from "../logger.ts";
import {
  LEVEL_SCORE_BASE,
  type LeaderboardRepository,
  type SourceRow,
} from "./leaderboard.repository.ts";
import type { RankStore } from "./rank-store.ts";

export const Board = { LEVEL: "level", ARENA: "arena", GUILD: "guild" } as const;
export type Board = (typeof Board)[keyof typeof Board];
export const BOARDS: readonly Board[] = Object.values(Board);

export type BoardEntry = {
  rank: number;
  /** Character id (level, arena) or guild id (guild). */
  id: string;
  name: string;
  /** xp board: level and xp; arena: rating; guild: sum of members' levels. */
  score: number;
  level?: number;
  xp?: number;
};

/**
 * Rows committed at most this long before the last refresh's clock may still be missing from it
 * (a transaction's updated_at is its start time): each refresh reads back this far.
 */
const OVERLAP_MS = 5_000;

/**
 * Leaderboards: ranked in a RankStore (Redis sorted sets, or in-process), fed from the database,
 * which stays the source of truth: rebuilt in full at start, then refreshed every `refreshMs`
 * from rows changed since (characters' and arena ratings' updated_at; guild sums recomputed).
 */
export function createLeaderboards(deps: {
  repo: LeaderboardRepository;
  store: RankStore;
  events: EventBus;
  logger: Logger;
  refreshMs: number;
}) {
  const { repo, store } = deps;
  const names = new Map<string, string>();
  const guildScores = new Map<string, number>();
  let levelsSince: Date | null = null;
  let ratingsSince: Date | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const remember = (rows: readonly SourceRow[]) => {
    for (const r of rows) names.set(r.id, r.name);
    return rows.map((r) => ({ member: r.id, score: r.score }));
  };
  const back = (at: Date) => new Date(at.getTime() - OVERLAP_MS);

  async function refreshGuilds(full: boolean): Promise<void> {
    const rows = await repo.guildLevels();
    const seen = new Set(rows.map((r) => r.id));
    const changed = rows.filter((r) => full || guildScores.get(r.id) !== r.score);
    const gone = [...guildScores.keys()].filter((id) => !seen.has(id));
    if (full) await store.replace(Board.GUILD, remember(rows));
    else {
      await store.upsert(Board.GUILD, remember(changed));
      await store.remove(Board.GUILD, gone);
    }
    guildScores.clear();
    for (const r of rows) guildScores.set(r.id, r.score);
  }

  async function refresh(full: boolean): Promise<void> {
    const levels = await repo.levels(full ? null : levelsSince);
    if (full) await store.replace(Board.LEVEL, remember(levels.rows));
    else await store.upsert(Board.LEVEL, remember(levels.rows));
    levelsSince = back(levels.now);
    const ratings = await repo.ratings(full ? null : ratingsSince);
    if (full) await store.replace(Board.ARENA, remember(ratings.rows));
    else await store.upsert(Board.ARENA, remember(ratings.rows));
    ratingsSince = back(ratings.now);
    await refreshGuilds(full);
  }

  const tick = () => {
    running ??= refresh(false)
      .catch((error: unknown) => deps.logger.warn({ err: error }, "leaderboard refresh failed"))
      .finally(() => {
        running = undefined;
      });
  };

  async function entries(board: Board, offset: number, limit: number): Promise<BoardEntry[]> {
    const ranked = await store.range(board, offset, limit);
    return ranked.map((r, i) => {
      const entry: BoardEntry = {
        rank: offset + i + 1,
        id: r.member,
        name: names.get(r.member) ?? "",
        score: r.score,
      };
      if (board === Board.LEVEL) {
        entry.level = Math.floor(r.score / LEVEL_SCORE_BASE);
        entry.xp = r.score % LEVEL_SCORE_BASE;
      }
      return entry;
    });
  }

  return {
    /** Rebuilds every board from the database, then refreshes every `refreshMs`. */
    async start(): Promise<void> {
      await refresh(true);
      deps.events.subscribe("character.deleted", ({ characterId }) => {
        void store.remove(Board.LEVEL, [characterId]);
        void store.remove(Board.ARENA, [characterId]);
      });
      timer = setInterval(tick, deps.refreshMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
    /** Refreshes now (tests and tools). */
    refreshNow: () => refresh(false),

    /** A page of the board from rank `offset + 1`. */
    async page(board: Board, offset: number, limit: number) {
      const list = await entries(board, offset, limit);
      const total = await store.size(board);
      return {
        entries: list,
        total,
        nextOffset: offset + list.length < total ? offset + list.length : null,
      };
    },

    /**
     * Entries around the character (its guild on the guild board): up to `limit` with it in the
     * middle; null when it is not ranked.
     */
    async around(board: Board, characterId: string, limit: number) {
      const member = board === Board.GUILD ? await repo.guildOf(characterId) : characterId;
      const rank = member ? await store.rankOf(board, member) : null;
      if (rank === null || !member) return null;
      const offset = Math.max(0, rank - Math.floor((limit - 1) / 2));
      return { entries: await entries(board, offset, limit), rank: rank + 1, id: member };
    },
  };
}

export type Leaderboards = ReturnType<typeof createLeaderboards>;

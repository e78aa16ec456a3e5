/**
 * Rated results: one transaction writes the match, its participants and every participant's new
 * rating and win/loss/draw count, so a match is either fully rated or not at all. A match id is
 * rated once: a retry of the same match returns what was stored.
 */
import type { PrismaClient } from "../db/database.ts";
import { GameError } from "../errors.ts";
import { DEFAULT_RATING } from "../game/arena/glicko2.ts";
import {
  scoreOfTeamA,
  type ArenaEndReason,
  type ArenaMode,
  type Team,
} from "../game/arena/match-rules.ts";
import { RATING_PERIOD_MS, rateTeams, type TeamMember } from "../game/arena/team-rating.ts";
import {
  createArenaRepository,
  findMatchParticipants,
  lockRatings,
  type ParticipantRow,
  type StoredRating,
} from "./arena.repository.ts";

export const HISTORY_LENGTH = 20;

export type MatchResultInput = {
  matchId: string;
  mode: ArenaMode;
  startedAt: Date;
  endedAt: Date;
  winner: Team | null;
  reason: ArenaEndReason;
  participants: { characterId: string; team: Team; damageDealt: number }[];
};

export type RatedParticipant = Pick<
  ParticipantRow,
  "characterId" | "team" | "result" | "ratingBefore" | "ratingAfter" | "rdBefore" | "rdAfter"
>;

const resultOf = (team: Team, winner: Team | null) =>
  winner === null ? "draw" : winner === team ? "win" : "loss";

/** Rating periods since a rating last changed (none for a character that never played). */
function idlePeriods(row: StoredRating, at: Date): number {
  if (row.games === 0) return 0;
  return Math.max(0, Math.floor((at.getTime() - row.updatedAt.getTime()) / RATING_PERIOD_MS));
}

export function createArenaRatingsService(prisma: PrismaClient) {
  const repo = createArenaRepository(prisma);
  return {
    async ratingsOf(characterIds: string[]): Promise<Map<string, number>> {
      const rows = await repo.ratingsOf(characterIds);
      return new Map(rows.map((r) => [r.characterId, r.rating]));
    },

    async accountsOf(characterIds: string[]): Promise<Map<string, string>> {
      const rows = await repo.accountsOf(characterIds);
      return new Map(rows.map((r) => [r.id, r.accountId]));
    },

    /** Rates a finished match and records it, atomically. */
    async recordMatch(input: MatchResultInput): Promise<RatedParticipant[]> {
      return prisma.$transaction(async (tx) => {
        const ids = input.participants.map((p) => p.characterId);
        const rows = new Map((await lockRatings(tx, ids)).map((r) => [r.characterId, r]));
        const existing = await findMatchParticipants(tx, input.matchId);
        if (existing.length > 0) return existing;
        const side = (team: Team) => input.participants.filter((p) => p.team === team);
        const member = (id: string): TeamMember => {
          const row = rows.get(id);
          if (!row) throw new GameError("CHARACTER_NOT_FOUND");
          return { ...row, idlePeriods: idlePeriods(row, input.endedAt) };
        };
        const rated = rateTeams(
          side(0).map((p) => member(p.characterId)),
          side(1).map((p) => member(p.characterId)),
          scoreOfTeamA(input.winner),
        );
        const after = new Map<string, { rating: number; rd: number; volatility: number }>();
        side(0).forEach((p, i) => after.set(p.characterId, rated.a[i]!));
        side(1).forEach((p, i) => after.set(p.characterId, rated.b[i]!));
        await tx.arenaMatch.create({
          data: {
            id: input.matchId,
            mode: input.mode,
            startedAt: input.startedAt,
            endedAt: input.endedAt,
            winnerTeam: input.winner,
            reason: input.reason,
          },
          select: { id: true },
        });
        const out: RatedParticipant[] = [];
        for (const p of input.participants) {
          const before = rows.get(p.characterId)!;
          const next = after.get(p.characterId)!;
          const result = resultOf(p.team, input.winner);
          const row = {
            characterId: p.characterId,
            team: p.team,
            result,
            ratingBefore: before.rating,
            ratingAfter: Math.round(next.rating),
            rdBefore: before.rd,
            rdAfter: next.rd,
          };
          out.push(row);
          await tx.arenaMatchParticipant.create({
            data: { ...row, matchId: input.matchId, damageDealt: Math.round(p.damageDealt) },
            select: { matchId: true },
          });
          await tx.arenaRating.update({
            where: { characterId: p.characterId },
            data: {
              rating: row.ratingAfter,
              rd: next.rd,
              volatility: next.volatility,
              wins: { increment: result === "win" ? 1 : 0 },
              losses: { increment: result === "loss" ? 1 : 0 },
              draws: { increment: result === "draw" ? 1 : 0 },
            },
            select: { characterId: true },
          });
        }
        return out;
      });
    },

    /** `GET /v1/characters/:id/arena`: rating, record and the last matches (owner only). */
    async profile(accountId: string, characterId: string) {
      const owner = (await repo.accountsOf([characterId]))[0];
      if (owner?.accountId !== accountId) throw new GameError("CHARACTER_NOT_FOUND");
      const rating = (await repo.ratingsOf([characterId]))[0];
      const matches = await repo.history(characterId, HISTORY_LENGTH);
      const others = new Set(matches.flatMap((m) => m.participants.map((p) => p.characterId)));
      const names = new Map((await repo.namesOf([...others])).map((c) => [c.id, c.name]));
      return {
        rating: rating?.rating ?? DEFAULT_RATING.rating,
        rd: rating?.rd ?? DEFAULT_RATING.rd,
        volatility: rating?.volatility ?? DEFAULT_RATING.volatility,
        wins: rating?.wins ?? 0,
        losses: rating?.losses ?? 0,
        draws: rating?.draws ?? 0,
        history: matches.map((m) => {
          const me = m.participants.find((p) => p.characterId === characterId)!;
          const view = (p: ParticipantRow) => ({
            characterId: p.characterId,
            name: names.get(p.characterId) ?? null,
            ratingBefore: p.ratingBefore,
            ratingAfter: p.ratingAfter,
          });
          return {
            matchId: m.id,
            mode: m.mode,
            startedAt: m.startedAt.toISOString(),
            endedAt: m.endedAt.toISOString(),
            reason: m.reason,
            team: me.team,
            result: me.result,
            ratingBefore: me.ratingBefore,
            ratingAfter: me.ratingAfter,
            damageDealt: me.damageDealt,
            teammates: m.participants
              .filter((p) => p.team === me.team && p.characterId !== characterId)
              .map(view),
            opponents: m.participants.filter((p) => p.team !== me.team).map(view),
          };
        }),
      };
    },
  };
}

export type ArenaRatingsService = ReturnType<typeof createArenaRatingsService>;

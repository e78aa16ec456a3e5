-- Rated arena matches (rooms/ArenaRoom.ts, src/arena/): one row per match and one per participant
-- with the rating it had before and after. Written in the same transaction as the ratings.
-- arena_ratings itself comes from 20261203110000_economy; IF NOT EXISTS keeps this migration
-- independent of that one's order. The arena adds a draw count.

-- CreateTable
CREATE TABLE IF NOT EXISTS "arena_ratings" (
    "character_id" UUID NOT NULL,
    "rating" INTEGER NOT NULL DEFAULT 1500,
    "rd" DOUBLE PRECISION NOT NULL DEFAULT 350,
    "volatility" DOUBLE PRECISION NOT NULL DEFAULT 0.06,
    "wins" INTEGER NOT NULL DEFAULT 0,
    "losses" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "arena_ratings_pkey" PRIMARY KEY ("character_id"),
    CONSTRAINT "arena_ratings_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable
ALTER TABLE "arena_ratings" ADD COLUMN IF NOT EXISTS "draws" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE IF NOT EXISTS "arena_matches" (
    "id" UUID NOT NULL,
    "mode" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "winner_team" INTEGER,
    "reason" TEXT NOT NULL,

    CONSTRAINT "arena_matches_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "arena_matches_winner_team_check" CHECK ("winner_team" IS NULL OR "winner_team" IN (0, 1)),
    CONSTRAINT "arena_matches_reason_check" CHECK ("reason" IN ('death', 'timeout', 'leaver'))
);

-- CreateTable
CREATE TABLE IF NOT EXISTS "arena_match_participants" (
    "match_id" UUID NOT NULL,
    "character_id" UUID NOT NULL,
    "team" INTEGER NOT NULL,
    "result" TEXT NOT NULL,
    "rating_before" INTEGER NOT NULL,
    "rating_after" INTEGER NOT NULL,
    "rd_before" DOUBLE PRECISION NOT NULL,
    "rd_after" DOUBLE PRECISION NOT NULL,
    "damage_dealt" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "arena_match_participants_pkey" PRIMARY KEY ("match_id", "character_id"),
    CONSTRAINT "arena_match_participants_team_check" CHECK ("team" IN (0, 1)),
    CONSTRAINT "arena_match_participants_match_id_fkey" FOREIGN KEY ("match_id") REFERENCES "arena_matches"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "arena_match_participants_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX IF NOT EXISTS "arena_match_participants_character_id_idx" ON "arena_match_participants"("character_id");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "arena_matches_ended_at_idx" ON "arena_matches"("ended_at");

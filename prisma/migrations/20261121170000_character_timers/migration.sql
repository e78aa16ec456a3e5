-- Skill and item cooldowns and active buffs/debuffs of a character, as wall-clock expiry times, so
-- that leaving, reconnecting or crossing a portal does not reset them.

-- AlterTable
ALTER TABLE "characters" ADD COLUMN "timers" JSONB NOT NULL DEFAULT '{}';

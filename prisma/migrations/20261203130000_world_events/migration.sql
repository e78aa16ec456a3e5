-- World events: one row per run of a timed event (the room that won the election writes it when
-- the boss spawns, and closes it with the outcome), and one row per rewarded participant. A reward
-- row is written in the same transaction as the payment it records (the characters' xp, gold and
-- items and the ledger rows of op_id), and is unique per run and character: a participant is paid
-- once, however often a payout is retried or a process dies in the middle of one.

-- CreateTable
CREATE TABLE "world_event_runs" (
    "id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "outcome" TEXT,

    CONSTRAINT "world_event_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "world_event_runs_outcome_check" CHECK ("outcome" IS NULL OR "outcome" IN ('killed', 'expired', 'abandoned')),
    CONSTRAINT "world_event_runs_ended_check" CHECK (("ended_at" IS NULL) = ("outcome" IS NULL))
);

-- CreateIndex
CREATE UNIQUE INDEX "world_event_runs_event_id_started_at_key" ON "world_event_runs"("event_id", "started_at");

-- CreateTable
CREATE TABLE "world_event_rewards" (
    "run_id" UUID NOT NULL,
    "character_id" UUID NOT NULL,
    "contribution" BIGINT NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "xp" INTEGER NOT NULL,
    "gold" INTEGER NOT NULL,
    "items" JSONB NOT NULL DEFAULT '[]',
    "op_id" UUID NOT NULL,
    "paid_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "world_event_rewards_pkey" PRIMARY KEY ("run_id", "character_id"),
    CONSTRAINT "world_event_rewards_amounts_check" CHECK ("contribution" > 0 AND "xp" >= 0 AND "gold" >= 0)
);

-- CreateIndex
CREATE INDEX "world_event_rewards_character_id_idx" ON "world_event_rewards"("character_id");

-- AddForeignKey
ALTER TABLE "world_event_rewards" ADD CONSTRAINT "world_event_rewards_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "world_event_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "world_event_rewards" ADD CONSTRAINT "world_event_rewards_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

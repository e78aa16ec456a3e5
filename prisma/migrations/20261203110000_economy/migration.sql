-- Economy: the ledger of every gold and item movement, mail with attachments held in escrow, and
-- arena ratings (written by the arena; read by the arena leaderboard). An index on characters'
-- update time lets the leaderboards pick up changed characters cheaply.

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" BIGSERIAL NOT NULL,
    "op_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "character_id" UUID,
    "account" TEXT,
    "counterparty" TEXT,
    "item_id" TEXT,
    "delta" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ledger_entries_delta_check" CHECK ("delta" <> 0),
    -- A row is held either by a character or by a named account (mail escrow, source, sink).
    CONSTRAINT "ledger_entries_holder_check" CHECK (("character_id" IS NULL) <> ("account" IS NULL))
);

-- CreateIndex
CREATE INDEX "ledger_entries_op_id_idx" ON "ledger_entries"("op_id");
CREATE INDEX "ledger_entries_character_id_id_idx" ON "ledger_entries"("character_id", "id");

-- CreateTable
CREATE TABLE "mail" (
    "id" UUID NOT NULL,
    "recipient_id" UUID NOT NULL,
    "sender_id" UUID,
    "sender_name" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL DEFAULT 'player',
    "gold" BIGINT NOT NULL DEFAULT 0,
    "items" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),
    "claimed_at" TIMESTAMPTZ(3),
    "returned_at" TIMESTAMPTZ(3),
    "return_at" TIMESTAMPTZ(3),

    CONSTRAINT "mail_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "mail_gold_check" CHECK ("gold" >= 0),
    CONSTRAINT "mail_kind_check" CHECK ("kind" IN ('player', 'return', 'system'))
);

-- CreateIndex
CREATE INDEX "mail_recipient_id_created_at_id_idx" ON "mail"("recipient_id", "created_at" DESC, "id" DESC);
CREATE INDEX "mail_return_at_idx" ON "mail"("return_at") WHERE "return_at" IS NOT NULL;

-- AddForeignKey
ALTER TABLE "mail" ADD CONSTRAINT "mail_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "mail" ADD CONSTRAINT "mail_sender_id_fkey" FOREIGN KEY ("sender_id") REFERENCES "characters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "arena_ratings" (
    "character_id" UUID NOT NULL,
    "rating" INTEGER NOT NULL DEFAULT 1500,
    "rd" DOUBLE PRECISION NOT NULL DEFAULT 350,
    "volatility" DOUBLE PRECISION NOT NULL DEFAULT 0.06,
    "wins" INTEGER NOT NULL DEFAULT 0,
    "losses" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "arena_ratings_pkey" PRIMARY KEY ("character_id")
);

-- CreateIndex
CREATE INDEX "arena_ratings_updated_at_idx" ON "arena_ratings"("updated_at");

-- AddForeignKey
ALTER TABLE "arena_ratings" ADD CONSTRAINT "arena_ratings_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "characters_updated_at_idx" ON "characters"("updated_at");

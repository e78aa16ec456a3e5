-- Progression: inventory, equipment, quest progress, completed quests, and a version column on
-- characters for optimistic concurrency of progression saves.

-- AlterTable
ALTER TABLE "characters" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "inventory_items" (
    "character_id" UUID NOT NULL,
    "slot" INTEGER NOT NULL,
    "item_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "inventory_items_pkey" PRIMARY KEY ("character_id","slot"),
    CONSTRAINT "inventory_items_slot_check" CHECK ("slot" >= 0),
    CONSTRAINT "inventory_items_quantity_check" CHECK ("quantity" > 0)
);

-- CreateTable
CREATE TABLE "equipped_items" (
    "character_id" UUID NOT NULL,
    "slot" TEXT NOT NULL,
    "item_id" TEXT NOT NULL,

    CONSTRAINT "equipped_items_pkey" PRIMARY KEY ("character_id","slot"),
    CONSTRAINT "equipped_items_slot_check" CHECK ("slot" IN ('weapon', 'head', 'chest', 'legs', 'feet', 'hands', 'ring_1', 'ring_2', 'amulet'))
);

-- CreateTable
CREATE TABLE "quest_progress" (
    "character_id" UUID NOT NULL,
    "quest_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "progress" INTEGER[],
    "position" INTEGER NOT NULL,
    "accepted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "quest_progress_pkey" PRIMARY KEY ("character_id","quest_id"),
    CONSTRAINT "quest_progress_status_check" CHECK ("status" IN ('active', 'ready'))
);

-- CreateTable
CREATE TABLE "completed_quests" (
    "character_id" UUID NOT NULL,
    "quest_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "completed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "completed_quests_pkey" PRIMARY KEY ("character_id","quest_id")
);

-- AddForeignKey
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "equipped_items" ADD CONSTRAINT "equipped_items_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quest_progress" ADD CONSTRAINT "quest_progress_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "completed_quests" ADD CONSTRAINT "completed_quests_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

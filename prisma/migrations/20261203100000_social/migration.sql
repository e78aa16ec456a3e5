-- Social: friend lists and blocks (one-directional), guilds with members, invitations and the
-- last messages of their chat. Every character reference cascades on character deletion, except
-- a chat message's author (kept by name) and an invitation's inviter (kept as null).

-- CreateTable
CREATE TABLE "friendships" (
    "owner_id" UUID NOT NULL,
    "friend_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "friendships_pkey" PRIMARY KEY ("owner_id","friend_id"),
    CONSTRAINT "friendships_not_self_check" CHECK ("owner_id" <> "friend_id")
);

-- CreateTable
CREATE TABLE "blocks" (
    "owner_id" UUID NOT NULL,
    "blocked_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blocks_pkey" PRIMARY KEY ("owner_id","blocked_id"),
    CONSTRAINT "blocks_not_self_check" CHECK ("owner_id" <> "blocked_id")
);

-- CreateTable
CREATE TABLE "guilds" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "name_key" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "tag_key" TEXT NOT NULL,
    "leader_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guilds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guild_members" (
    "character_id" UUID NOT NULL,
    "guild_id" UUID NOT NULL,
    "rank" TEXT NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guild_members_pkey" PRIMARY KEY ("character_id"),
    CONSTRAINT "guild_members_rank_check" CHECK ("rank" IN ('leader', 'officer', 'member'))
);

-- CreateTable
CREATE TABLE "guild_invites" (
    "guild_id" UUID NOT NULL,
    "character_id" UUID NOT NULL,
    "invited_by" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guild_invites_pkey" PRIMARY KEY ("guild_id","character_id")
);

-- CreateTable
CREATE TABLE "guild_messages" (
    "id" BIGSERIAL NOT NULL,
    "guild_id" UUID NOT NULL,
    "from_id" UUID,
    "from_name" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "guild_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "friendships_friend_id_idx" ON "friendships"("friend_id");

-- CreateIndex
CREATE INDEX "blocks_blocked_id_idx" ON "blocks"("blocked_id");

-- CreateIndex
CREATE UNIQUE INDEX "guilds_name_key_key" ON "guilds"("name_key");

-- CreateIndex
CREATE UNIQUE INDEX "guilds_tag_key_key" ON "guilds"("tag_key");

-- CreateIndex
CREATE INDEX "guilds_leader_id_idx" ON "guilds"("leader_id");

-- CreateIndex
CREATE INDEX "guild_members_guild_id_idx" ON "guild_members"("guild_id");

-- One leader per guild (not expressible in schema.prisma; a transfer demotes before it promotes).
CREATE UNIQUE INDEX "guild_members_one_leader_key" ON "guild_members"("guild_id") WHERE "rank" = 'leader';

-- CreateIndex
CREATE INDEX "guild_invites_character_id_idx" ON "guild_invites"("character_id");

-- CreateIndex
CREATE INDEX "guild_messages_guild_id_id_idx" ON "guild_messages"("guild_id", "id");

-- AddForeignKey
ALTER TABLE "friendships" ADD CONSTRAINT "friendships_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "friendships" ADD CONSTRAINT "friendships_friend_id_fkey" FOREIGN KEY ("friend_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "blocks" ADD CONSTRAINT "blocks_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "blocks" ADD CONSTRAINT "blocks_blocked_id_fkey" FOREIGN KEY ("blocked_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey: deleting the leader's character disbands the guild (members, invites, chat follow).
ALTER TABLE "guilds" ADD CONSTRAINT "guilds_leader_id_fkey" FOREIGN KEY ("leader_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guild_members" ADD CONSTRAINT "guild_members_guild_id_fkey" FOREIGN KEY ("guild_id") REFERENCES "guilds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guild_members" ADD CONSTRAINT "guild_members_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guild_invites" ADD CONSTRAINT "guild_invites_guild_id_fkey" FOREIGN KEY ("guild_id") REFERENCES "guilds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guild_invites" ADD CONSTRAINT "guild_invites_character_id_fkey" FOREIGN KEY ("character_id") REFERENCES "characters"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guild_invites" ADD CONSTRAINT "guild_invites_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "characters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guild_messages" ADD CONSTRAINT "guild_messages_guild_id_fkey" FOREIGN KEY ("guild_id") REFERENCES "guilds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guild_messages" ADD CONSTRAINT "guild_messages_from_id_fkey" FOREIGN KEY ("from_id") REFERENCES "characters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

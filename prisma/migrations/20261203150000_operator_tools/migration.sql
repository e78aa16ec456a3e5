-- Operator tools: account sanctions (chat mutes and bans, each with a reason, who set it, an optional
-- end, and who lifted it early) and the audit log of every admin action. A sanction is in force
-- while it is neither lifted nor past its end; the rows stay as history. The audit log has no
-- foreign keys: it must outlive the accounts and characters it names.

-- CreateTable
CREATE TABLE "account_sanctions" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "lifted_at" TIMESTAMPTZ(3),
    "lifted_by" TEXT,

    CONSTRAINT "account_sanctions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "account_sanctions_kind_check" CHECK ("kind" IN ('mute', 'ban'))
);

-- CreateIndex
CREATE INDEX "account_sanctions_account_id_kind_idx" ON "account_sanctions"("account_id", "kind");

-- AddForeignKey
ALTER TABLE "account_sanctions" ADD CONSTRAINT "account_sanctions_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "admin_audit" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "admin" TEXT NOT NULL,
    "ip" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "reason" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "status" INTEGER NOT NULL,
    "result" TEXT NOT NULL,

    CONSTRAINT "admin_audit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "admin_audit_target_id_id_idx" ON "admin_audit"("target_id", "id");

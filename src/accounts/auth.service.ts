import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/database.ts";
import { Prisma } from "../db/generated/client.ts";
import { GameError } from "../errors.ts";
import type { EventBus } from "../events/event-bus.ts";
import { createAccountRepository } from "./account.repository.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { hashRefreshToken, newRefreshToken, type TokenSigner } from "./tokens.ts";

export type Session = {
  accountId: string;
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
};

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(deps: {
  prisma: PrismaClient;
  signer: TokenSigner;
  refreshTtlSec: number;
  events: EventBus;
  /** Throws when the account may not get a session (an operator's ban: src/admin/sanctions.ts). */
  assertMaySignIn?: (accountId: string) => Promise<void>;
}) {
  const { prisma, signer, refreshTtlSec, events } = deps;
  const assertMaySignIn = deps.assertMaySignIn ?? (async () => undefined);
  const accounts = createAccountRepository(prisma);

  async function issueSession(accountId: string, familyId: string): Promise<Session> {
    const refresh = newRefreshToken();
    await prisma.refreshToken.create({
      data: {
        id: randomUUID(),
        accountId,
        familyId,
        tokenHash: refresh.hash,
        expiresAt: new Date(Date.now() + refreshTtlSec * 1000),
      },
      select: { id: true },
    });
    return {
      accountId,
      accessToken: await signer.signAccess(accountId),
      refreshToken: refresh.token,
      expiresIn: signer.accessTtlSec,
    };
  }

  return {
    async register(email: string, password: string): Promise<Session> {
      const id = randomUUID();
      try {
        await accounts.create({ id, email, passwordHash: await hashPassword(password) });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
          throw new GameError("EMAIL_TAKEN");
        }
        throw error;
      }
      events.publish("account.registered", { accountId: id });
      return issueSession(id, randomUUID());
    },

    async login(email: string, password: string): Promise<Session> {
      const account = await accounts.findByEmail(email);
      const ok = await verifyPassword(account?.passwordHash, password);
      if (!account || !ok) throw new GameError("INVALID_CREDENTIALS");
      await assertMaySignIn(account.id);
      await accounts.touchLastLogin(account.id);
      return issueSession(account.id, randomUUID());
    },

    /**
     * Rotates a refresh token. Presenting a token that was already rotated or revoked means it
     * leaked: the whole family (every token descending from that login) is revoked.
     */
    async refresh(token: string): Promise<Session> {
      const tokenHash = hashRefreshToken(token);
      const outcome = await prisma.$transaction(async (tx) => {
        const row = await tx.refreshToken.findUnique({
          where: { tokenHash },
          select: { id: true, accountId: true, familyId: true, expiresAt: true },
        });
        if (!row) return { kind: "unknown" as const };
        const claimed = await tx.refreshToken.updateMany({
          where: { id: row.id, rotatedAt: null, revokedAt: null },
          data: { rotatedAt: new Date() },
        });
        if (claimed.count === 0) {
          await tx.refreshToken.updateMany({
            where: { familyId: row.familyId, revokedAt: null },
            data: { revokedAt: new Date() },
          });
          return { kind: "reused" as const };
        }
        if (row.expiresAt.getTime() <= Date.now()) return { kind: "expired" as const };
        return { kind: "ok" as const, accountId: row.accountId, familyId: row.familyId };
      });
      if (outcome.kind !== "ok") throw new GameError("INVALID_TOKEN");
      await assertMaySignIn(outcome.accountId);
      return issueSession(outcome.accountId, outcome.familyId);
    },

    /** Revokes the presented refresh token's family; unknown tokens are ignored (idempotent). */
    async logout(token: string): Promise<void> {
      const row = await prisma.refreshToken.findUnique({
        where: { tokenHash: hashRefreshToken(token) },
        select: { familyId: true },
      });
      if (!row) return;
      await prisma.refreshToken.updateMany({
        where: { familyId: row.familyId, revokedAt: null },
        data: { revokedAt: new Date() },
      });
    },
  };
}

import type { PrismaClient } from "../db/database.ts";
import { GameError } from "../errors.ts";
import type { EventBus } from "../events/event-bus.ts";
import type { Logger } from "../logger.ts";
import type { AccountGate } from "./account-gate.ts";
import { eraseAccount, type ErasedAccount } from "./account-erasure.ts";
import { verifyPassword } from "./passwords.ts";

/** Disconnects characters wherever they are online; resolves to how many were. */
export type KickCharacters = (characterIds: readonly string[], reason: string) => Promise<number>;

export const ACCOUNT_DELETED_REASON = "account deleted";

export type AccountDeletion = ReturnType<typeof createAccountDeletion>;

/**
 * `DELETE /v1/account`: the password is asked again (a stolen access token alone must not be
 * enough), then the account is erased (src/accounts/account-erasure.ts says what goes and why),
 * its tokens stop working on every process (account gate), and its characters still online are
 * disconnected wherever they are.
 */
export function createAccountDeletion(deps: {
  prisma: PrismaClient;
  gate: AccountGate;
  events: EventBus;
  logger: Logger;
  kick?: KickCharacters;
  /** Drops cached views of the account (its character list). */
  forget?: (accountId: string) => Promise<void>;
}) {
  const { prisma, gate, events, logger } = deps;
  return {
    async delete(accountId: string, password: string): Promise<ErasedAccount> {
      const account = await prisma.account.findUnique({
        where: { id: accountId },
        select: { passwordHash: true },
      });
      if (!(await verifyPassword(account?.passwordHash, password))) {
        throw new GameError(account ? "WRONG_PASSWORD" : "ACCOUNT_DELETED");
      }
      const erased = await eraseAccount(prisma, accountId);
      if (!erased) throw new GameError("ACCOUNT_DELETED");
      await gate.deleted(accountId).catch((error: unknown) => {
        logger.warn({ err: error, accountId }, "account deletion not published to other processes");
      });
      await deps.forget?.(accountId).catch(() => undefined);
      for (const characterId of erased.characterIds) {
        events.publish("character.deleted", { accountId, characterId });
      }
      events.publish("account.deleted", { accountId, characterIds: erased.characterIds });
      // After the rows are gone, so a character kicked here cannot join again in between.
      const kicked = await (deps.kick?.(erased.characterIds, ACCOUNT_DELETED_REASON) ?? 0);
      logger.info(
        {
          accountId,
          characters: erased.characterIds.length,
          kicked,
          guilds: erased.guilds,
          opId: erased.opId,
        },
        "account deleted",
      );
      return erased;
    },
  };
}

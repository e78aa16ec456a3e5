/**
 * Account sanctions set by operators: chat mutes and bans, stored in `account_sanctions` so they
 * hold across relogs, restarts and processes. Bans are read from the database at each login and
 * room join (rare); mutes are read on every chat line, so each process caches them briefly and
 * drops an account's entry when any process publishes a change on `Channels.sanctions`.
 */
import { randomUUID } from "node:crypto";
import type { Presence } from "@colyseus/core";
import type { PrismaClient } from "../db/database.ts";
import { GameError } from "../errors.ts";
import { Channels } from "../infra/channels.ts";

export const SanctionKind = { MUTE: "mute", BAN: "ban" } as const;
export type SanctionKind = (typeof SanctionKind)[keyof typeof SanctionKind];

export type Sanction = {
  id: string;
  accountId: string;
  kind: SanctionKind;
  reason: string;
  createdBy: string;
  /** ISO times; `expiresAt` null: until lifted. */
  createdAt: string;
  expiresAt: string | null;
};

/** How long a process trusts its cached mute of an account when no change notice arrives. */
const MUTE_CACHE_MS = 30_000;
/** Most sanctions one history read returns. */
const HISTORY_MAX = 100;
/** Bound on cached accounts; the oldest entries go first. */
const MUTE_CACHE_MAX = 10_000;

const SELECT = {
  id: true,
  accountId: true,
  kind: true,
  reason: true,
  createdBy: true,
  createdAt: true,
  expiresAt: true,
} as const;

type Row = {
  id: string;
  accountId: string;
  kind: string;
  reason: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
};

const toSanction = (row: Row): Sanction => ({
  id: row.id,
  accountId: row.accountId,
  kind: row.kind as SanctionKind,
  reason: row.reason,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt?.toISOString() ?? null,
});

export type SanctionsDeps = {
  prisma: PrismaClient;
  presence: Presence;
  now?: () => number;
};

export function createSanctions(deps: SanctionsDeps) {
  const { prisma, presence } = deps;
  const now = deps.now ?? Date.now;
  const mutes = new Map<string, { mute: Sanction | undefined; loadedAt: number }>();
  const forget = (accountId: string) => void mutes.delete(accountId);
  const onChange = (message: unknown) => {
    const accountId = (message as { accountId?: unknown } | null)?.accountId;
    if (typeof accountId === "string") forget(accountId);
  };
  let subscribed = false;

  const inForce = (at: Date) => ({
    liftedAt: null,
    OR: [{ expiresAt: null }, { expiresAt: { gt: at } }],
  });

  async function active(accountId: string, kind: SanctionKind): Promise<Sanction | undefined> {
    const row = await prisma.accountSanction.findFirst({
      where: { accountId, kind, ...inForce(new Date(now())) },
      orderBy: { createdAt: "desc" },
      select: SELECT,
    });
    return row ? toSanction(row) : undefined;
  }

  async function changed(accountId: string): Promise<void> {
    forget(accountId);
    await presence.publish(Channels.sanctions, { accountId });
  }

  return {
    /** Listens for other processes' changes (call once at start-up). */
    async start(): Promise<void> {
      if (subscribed) return;
      subscribed = true;
      await presence.subscribe(Channels.sanctions, onChange);
    },
    stop(): void {
      if (!subscribed) return;
      subscribed = false;
      presence.unsubscribe(Channels.sanctions, onChange);
    },

    /**
     * Puts `kind` on the account from now, for `durationSec` (none: until lifted). It replaces
     * the one in force, if any, which is recorded as lifted by `by`.
     */
    async impose(s: {
      accountId: string;
      kind: SanctionKind;
      reason: string;
      by: string;
      durationSec?: number;
    }): Promise<Sanction> {
      const at = new Date(now());
      const expiresAt =
        s.durationSec === undefined ? null : new Date(at.getTime() + s.durationSec * 1000);
      const row = await prisma.$transaction(async (tx) => {
        await tx.accountSanction.updateMany({
          where: { accountId: s.accountId, kind: s.kind, ...inForce(at) },
          data: { liftedAt: at, liftedBy: s.by },
        });
        return tx.accountSanction.create({
          data: {
            id: randomUUID(),
            accountId: s.accountId,
            kind: s.kind,
            reason: s.reason,
            createdBy: s.by,
            createdAt: at,
            expiresAt,
          },
          select: SELECT,
        });
      });
      await changed(s.accountId);
      return toSanction(row);
    },

    /** Ends the account's `kind` now; false when none was in force. */
    async lift(s: { accountId: string; kind: SanctionKind; by: string }): Promise<boolean> {
      const at = new Date(now());
      const { count } = await prisma.accountSanction.updateMany({
        where: { accountId: s.accountId, kind: s.kind, ...inForce(at) },
        data: { liftedAt: at, liftedBy: s.by },
      });
      await changed(s.accountId);
      return count > 0;
    },

    /** Every sanction of the account, newest first, with when and by whom it was lifted. */
    async history(
      accountId: string,
    ): Promise<(Sanction & { liftedAt: string | null; liftedBy: string | null })[]> {
      const rows = await prisma.accountSanction.findMany({
        where: { accountId },
        orderBy: { createdAt: "desc" },
        take: HISTORY_MAX,
        select: { ...SELECT, liftedAt: true, liftedBy: true },
      });
      return rows.map((r) => ({
        ...toSanction(r),
        liftedAt: r.liftedAt?.toISOString() ?? null,
        liftedBy: r.liftedBy,
      }));
    },

    /** The ban in force on the account, read from the database. */
    banOf(accountId: string): Promise<Sanction | undefined> {
      return active(accountId, SanctionKind.BAN);
    },

    /** Throws ACCOUNT_BANNED, with the reason and end, when a ban is in force (login, refresh). */
    async assertNotBanned(accountId: string): Promise<void> {
      const ban = await active(accountId, SanctionKind.BAN);
      if (ban)
        throw new GameError("ACCOUNT_BANNED", `This account is banned: ${describeSanction(ban)}`);
    },

    /** The mute in force on the account; cached per process (see the module comment). */
    async muteOf(accountId: string): Promise<Sanction | undefined> {
      const t = now();
      const cached = mutes.get(accountId);
      let mute: Sanction | undefined;
      if (cached && t - cached.loadedAt < MUTE_CACHE_MS) {
        mute = cached.mute;
      } else {
        mute = await active(accountId, SanctionKind.MUTE);
        if (mutes.size >= MUTE_CACHE_MAX) forget(mutes.keys().next().value!);
        mutes.set(accountId, { mute, loadedAt: t });
      }
      if (mute?.expiresAt && Date.parse(mute.expiresAt) <= t) return undefined;
      return mute;
    },

    /** Drops this process's cached mute of the account (a change notice from its room). */
    forget,
  };
}

export type Sanctions = ReturnType<typeof createSanctions>;

/** The refusal text for a sanction: its reason and until when. */
export function describeSanction(s: Sanction): string {
  const until = s.expiresAt ? `until ${s.expiresAt}` : "until lifted";
  return `${s.reason} (${until})`;
}

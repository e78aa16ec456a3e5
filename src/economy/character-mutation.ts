/**
 * The one entry point for changing characters' gold and items (trade, mail, guild fees, rewards):
 * it finds where each character is and commits there.
 * - Offline: take its character lock ("economy/<opId>") so it cannot log in meanwhile, and commit
 *   here, loading it FOR UPDATE in the transaction.
 * - Online: its room holds the truth in memory, so the operation goes to that room (on any process)
 *   which commits from its frozen copy and applies the result (see mutation-commit.ts). Offline
 *   characters of the same operation travel along as `alsoIds`, still locked by us.
 * Characters online in two different rooms cannot share one operation (CHARACTERS_APART).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.ts";
import type { CharacterLocks } from "../session/character-lock.ts";
import type { OnlinePlayers } from "../session/online-players.ts";
import { netMovements, type SlotTake } from "../game/economy/character-change.ts";
import type { ItemStack } from "../game/items/inventory.ts";
import { createLedgerRepository } from "./ledger.repository.ts";
import { LedgerAccount } from "./ledger.service.ts";
import {
  commitInRoom,
  commitOp,
  type CommitDeps,
  type EconomyOp,
  type EconomyResult,
  type HoldingsHost,
} from "./mutation-commit.ts";
import { sendToRoom, TIMED_OUT } from "./room-link.ts";
import type { PrismaClient } from "../db/database.ts";

export type EconomyDeps = CommitDeps & {
  readonly prisma: PrismaClient;
  readonly locks: CharacterLocks;
  readonly online: OnlinePlayers;
  readonly logger: Logger;
  /** How long an operation may look for its characters and wait for a room, in ms. */
  readonly timeoutMs?: number;
};

/** An operation as callers give it: the op id is made when absent. */
export type EconomyRequest = Omit<EconomyOp, "opId"> & { readonly opId?: string };

export const RoutingRefusal = {
  /** Online characters of one operation are in different rooms. */
  CHARACTERS_APART: "CHARACTERS_APART",
  /** The characters could not be reached in time (locked, crossing portals); retry later. */
  UNAVAILABLE: "UNAVAILABLE",
} as const;

const DEFAULT_TIMEOUT_MS = 8_000;
/** The built-in work booking the world's side of grants and charges. */
const WORLD_WORK = "economy.world";
/** A room must start an operation within this time of receiving it, or refuse it. */
const ROOM_START_MS = 2_000;
/** How long to wait for a room's answer (its commit included). */
const ROOM_REPLY_MS = 5_000;
/** A transaction ends (commits or times out) within this time of starting (TX_OPTIONS). */
const COMMIT_SETTLE_MS = 16_000;
const HOLDER_PREFIX = "economy/";

type Placement = { offline: string[]; rooms: Map<string, string[]>; suspect: Map<string, string> };

export type Economy = ReturnType<typeof createEconomy>;

export function createEconomy(deps: EconomyDeps) {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = deps.logger;

  /**
   * Locks every offline character (in id order) and finds the rooms of the online ones; null when
   * one is held by another economy operation (everything taken is released).
   */
  async function place(ids: readonly string[], holder: string): Promise<Placement | null> {
    const placement: Placement = { offline: [], rooms: new Map(), suspect: new Map() };
    const toRoom = (roomId: string, id: string) => {
      const list = placement.rooms.get(roomId) ?? [];
      list.push(id);
      placement.rooms.set(roomId, list);
    };
    for (const id of [...ids].sort()) {
      if (await deps.locks.acquire(id, holder)) {
        // A lock nobody holds with an online entry: a portal hand-over between release and
        // acquire, or the entry of a room that died. Ask that room; it tells which.
        const entry = await deps.online.get(id);
        if (!entry) {
          placement.offline.push(id);
          continue;
        }
        await deps.locks.release(id, holder);
        placement.suspect.set(id, entry.roomId);
        toRoom(entry.roomId, id);
        continue;
      }
      const current = await deps.locks.holderOf(id);
      if (current === null || current.startsWith(HOLDER_PREFIX)) {
        await release(placement.offline, holder);
        return null;
      }
      // Rooms hold characters as "<roomId>/<sessionId>".
      toRoom(current.split("/")[0]!, id);
    }
    return placement;
  }

  async function release(ids: readonly string[], holder: string): Promise<void> {
    await Promise.all(ids.map((id) => deps.locks.release(id, holder).catch(() => undefined)));
  }

  async function committed(opId: string): Promise<boolean> {
    return createLedgerRepository(deps.prisma).hasOp(opId);
  }

  async function committedWithin(opId: string, untilMs: number): Promise<boolean> {
    for (;;) {
      if (await committed(opId)) return true;
      if (Date.now() >= untilMs) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Committed, but the room's answer was lost: the holdings are not known here. */
  const done = (opId: string): EconomyResult => ({
    ok: true,
    opId,
    result: undefined,
    holdings: {},
  });

  /**
   * Commits `request` wherever its characters are; see the module comment. Refusals come back as
   * values (`{ ok: false, code }`: EconomyRefusal, a work's own code, or RoutingRefusal).
   */
  async function mutate(request: EconomyRequest): Promise<EconomyResult> {
    const op: EconomyOp = { ...request, opId: request.opId ?? randomUUID() };
    const holder = `${HOLDER_PREFIX}${op.opId}`;
    const ids = [...new Set(op.changes.map((c) => c.characterId))];
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const placement = await place(ids, holder);
      if (!placement) continue;
      try {
        if (placement.rooms.size === 0) {
          return (await commitOp(deps, [], placement.offline, op)).result;
        }
        if (placement.rooms.size > 1) return { ok: false, code: RoutingRefusal.CHARACTERS_APART };
        const [roomId] = [...placement.rooms.keys()] as [string];
        const startBy = Math.min(deadline, Date.now() + ROOM_START_MS);
        const reply = await sendToRoom(roomId, op, placement.offline, startBy, ROOM_REPLY_MS);
        if (reply === TIMED_OUT) {
          const routed = placement.rooms.get(roomId) ?? [];
          const stale = routed.filter((id) => placement.suspect.get(id) === roomId);
          // A room holding one of them may still be committing: a transaction ends within
          // COMMIT_SETTLE_MS. One holding none of them (a dead room's entries) commits nothing.
          const settle = stale.length < routed.length ? startBy + COMMIT_SETTLE_MS : 0;
          if (await committedWithin(op.opId, settle)) return done(op.opId);
          if (stale.length === 0) break;
          for (const id of stale) await deps.online.remove(id, roomId);
          continue;
        }
        if (reply.status === "done") return reply.result;
        if (reply.status === "absent" && placement.suspect.get(reply.characterId) === roomId) {
          await deps.online.remove(reply.characterId, roomId);
        }
      } finally {
        await release(placement.offline, holder);
      }
    }
    if (await committed(op.opId))
      return { ok: true, opId: op.opId, result: undefined, holdings: {} };
    log.warn({ opId: op.opId, kind: op.kind, characters: ids }, "economy operation gave up");
    return { ok: false, code: RoutingRefusal.UNAVAILABLE };
  }

  // Money entering or leaving the economy: the world's side of each character leg.
  deps.works.define(WORLD_WORK, async (_tx, args, ctx) => {
    const { account } = args as { account: string };
    for (const [characterId, outcome] of ctx.outcomes) {
      for (const m of netMovements(outcome)) {
        ctx.addLegs({ account, itemId: m.itemId, delta: -m.delta, counterparty: characterId });
      }
    }
    return null;
  });

  return {
    mutate,
    /**
     * Gold and items entering the economy for one character (admin grants, arena and event
     * rewards), booked against `source:<source>`. INVENTORY_FULL refuses the whole grant.
     */
    grant(g: {
      kind: string;
      characterId: string;
      gold?: number;
      items?: readonly ItemStack[];
      source: string;
      opId?: string;
    }) {
      return mutate({
        opId: g.opId,
        kind: g.kind,
        changes: [{ characterId: g.characterId, gold: g.gold ?? 0, give: g.items ?? [] }],
        work: { name: WORLD_WORK, args: { account: LedgerAccount.source(g.source) } },
      });
    },
    /**
     * Gold and items (from slots, or `items` by id from any slots) leaving the economy (guild
     * fees, vendors, admin removals), booked to `sink:<sink>`; NOT_ENOUGH_GOLD or
     * NOT_ENOUGH_ITEMS refuses it.
     */
    charge(c: {
      kind: string;
      characterId: string;
      gold?: number;
      take?: readonly SlotTake[];
      items?: readonly ItemStack[];
      sink: string;
      opId?: string;
    }) {
      const change = { characterId: c.characterId, gold: -(c.gold ?? 0), take: c.take ?? [] };
      return mutate({
        opId: c.opId,
        kind: c.kind,
        changes: [c.items ? { ...change, takeItems: c.items } : change],
        work: { name: WORLD_WORK, args: { account: LedgerAccount.sink(c.sink) } },
      });
    },
    /**
     * For room features (trade): commits `request` in this room over characters it holds.
     * Characters of the operation must all be in `sim`.
     */
    commitInRoom(sim: HoldingsHost, request: EconomyRequest, alsoIds: readonly string[] = []) {
      const op: EconomyOp = { ...request, opId: request.opId ?? randomUUID() };
      return commitInRoom(deps, sim, op, alsoIds);
    },
    rules: deps.rules,
    works: deps.works,
  };
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Pays a world event's rewards to characters a zone room holds: per participant, one transaction
 * writes its reward row (unique per run and character), its xp, level, gold and items, and the
 * ledger rows booking them against the event's source account, so a retried payout, or one
 * interrupted by a crash, never pays anyone twice. Items that do not fit the bags go by system
 * mail in the same transaction. A participant who left the room before the kill and is offline is
 * paid in the database under its character lock (so it cannot log in meanwhile); one online in
 * another room is not paid.
 *
 * Built on ProgressStore.commitWith, as the economy's commitInRoom is, rather than on it: a
 * reward carries xp, which must commit with the reward row, and commitInRoom moves gold and items
 * only. The room's copy is frozen meanwhile and takes the committed bags and gold delta after
 * (ZoneSimulation.applyCommitted); the xp is added to it the same way kills add theirs.
 */
import { randomUUID } from "node:crypto";
import { giveItems, type EconomyRules } from "../game/economy/character-change.ts";
import type { Leveling } from "../game/content/leveling.ts";
import type { RewardShare } from "../game/events/reward-split.ts";
import type { ItemStack } from "../game/items/inventory.ts";
import { addXp } from "../game/leveling/leveling.ts";
import { createMailRepository } from "../economy/mail/mail.repository.ts";
import { LedgerAccount, LedgerKind, ledger, type LedgerLeg } from "../economy/ledger.service.ts";
import type { CharacterLocks } from "../session/character-lock.ts";
import type { OnlinePlayers } from "../session/online-players.ts";
import type { CommitWork, PlayerRecord, ProgressStore } from "../session/player-record.ts";
import type { ZoneSimulation } from "../zone/zone-simulation.ts";
import { createWorldEventRepository } from "./world-event.repository.ts";

export type PayoutDeps = {
  readonly store: ProgressStore;
  readonly rules: EconomyRules;
  readonly leveling: Leveling;
  /** To pay participants who went offline before the kill; without them they are not paid. */
  readonly locks?: Pick<CharacterLocks, "acquire" | "release">;
  readonly online?: Pick<OnlinePlayers, "get">;
};

export type PayoutHost = Pick<
  ZoneSimulation,
  "has" | "recordOf" | "freezeHoldings" | "thawHoldings" | "applyCommitted" | "grantXp"
>;

export type PayoutRun = { readonly runId: string; readonly eventId: string; readonly name: string };

export const PayoutStatus = {
  PAID: "paid",
  /** The reward row exists: paid before (a retry). Nothing changed. */
  ALREADY_PAID: "alreadyPaid",
  /** Not in this room (crossing a portal, or online elsewhere) and not paid. */
  ABSENT: "absent",
  /** The payment failed (the character was deleted, the database refused); nothing changed. */
  FAILED: "failed",
  /** Another commit held the character too long; nothing changed. */
  BUSY: "busy",
} as const;
export type PayoutStatus = (typeof PayoutStatus)[keyof typeof PayoutStatus];

export type PayoutResult = {
  readonly characterId: string;
  readonly status: PayoutStatus;
  /** Paid in the database while offline (not through this room). */
  readonly offline?: boolean;
  /** Why it failed (failed only). */
  readonly error?: string;
  /** Items that did not fit and went by mail (paid only). */
  readonly mailed?: readonly ItemStack[];
};

/** How long a payout waits for another commit on the same character to finish. */
const FREEZE_WAIT_MS = 3_000;

class AlreadyPaid extends Error {}

/** Pays each share in turn (see the module comment); one participant's failure stops nobody else's. */
export async function payRewardsInRoom(
  deps: PayoutDeps,
  sim: PayoutHost,
  run: PayoutRun,
  shares: readonly RewardShare[],
): Promise<PayoutResult[]> {
  const results: PayoutResult[] = [];
  for (const share of shares) {
    try {
      results.push(await payOne(deps, sim, run, share));
    } catch (error) {
      results.push({
        characterId: share.characterId,
        status: PayoutStatus.FAILED,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return results;
}

async function payOne(
  deps: PayoutDeps,
  sim: PayoutHost,
  run: PayoutRun,
  share: RewardShare,
): Promise<PayoutResult> {
  const id = share.characterId;
  if (!(await freeze(sim, id))) {
    if (sim.has(id)) return { characterId: id, status: PayoutStatus.BUSY };
    return payOffline(deps, run, share);
  }
  try {
    const memory = sim.recordOf(id)!;
    let out: Awaited<ReturnType<typeof commitReward>>;
    try {
      out = await commitReward(deps, run, share, [memory], []);
    } catch (error) {
      if (error instanceof AlreadyPaid)
        return { characterId: id, status: PayoutStatus.ALREADY_PAID };
      throw error;
    }
    const version = out.versions.get(id);
    if (version !== undefined) sim.applyCommitted(id, out.result.save, share.gold, version);
    if (share.xp > 0) sim.grantXp(id, share.xp);
    return { characterId: id, status: PayoutStatus.PAID, mailed: out.result.mailed };
  } finally {
    sim.thawHoldings(id);
  }
}

/** Pays a participant that is not in the room, if it is offline: under its character lock. */
async function payOffline(
  deps: PayoutDeps,
  run: PayoutRun,
  share: RewardShare,
): Promise<PayoutResult> {
  const id = share.characterId;
  const absent = { characterId: id, status: PayoutStatus.ABSENT };
  if (!deps.locks) return absent;
  const holder = `world-event/${run.runId}`;
  if (!(await deps.locks.acquire(id, holder))) return absent;
  try {
    // Free lock but listed online: a portal hand-over between two rooms.
    if (await deps.online?.get(id)) return absent;
    const out = await commitReward(deps, run, share, [], [id]);
    return { characterId: id, status: PayoutStatus.PAID, offline: true, mailed: out.result.mailed };
  } catch (error) {
    if (error instanceof AlreadyPaid) return { characterId: id, status: PayoutStatus.ALREADY_PAID };
    throw error;
  } finally {
    await deps.locks.release(id, holder);
  }
}

/**
 * One participant's payment in one transaction, over the room's copy (`memory`) or the character
 * loaded FOR UPDATE (`alsoIds`); throws AlreadyPaid when its reward row exists.
 */
function commitReward(
  deps: PayoutDeps,
  run: PayoutRun,
  share: RewardShare,
  memory: readonly PlayerRecord[],
  alsoIds: readonly string[],
) {
  return deps.store.commitWith(memory, alsoIds, rewardWork(deps, run, share));
}

function rewardWork(
  deps: PayoutDeps,
  run: PayoutRun,
  share: RewardShare,
): CommitWork<{ save: PlayerRecord; mailed: ItemStack[] }> {
  const id = share.characterId;
  const opId = randomUUID();
  return async (tx, records) => {
    const record = records.get(id);
    if (!record) throw new Error(`world event payout: character ${id} not loaded`);
    const paidNow = await createWorldEventRepository(tx).insertReward({
      runId: run.runId,
      characterId: id,
      contribution: share.contribution,
      share: share.share,
      xp: share.xp,
      gold: share.gold,
      items: share.items,
      opId,
    });
    if (!paidNow) throw new AlreadyPaid();
    const given = giveItems(record.inventory, share.items, deps.rules);
    const mailed = given.ok ? [] : [...share.items];
    const leveled = addXp(
      { level: record.character.level, xp: record.character.xp },
      share.xp,
      deps.leveling,
    );
    const source = LedgerAccount.source(`world_event:${run.eventId}`);
    const legs: LedgerLeg[] = [];
    if (share.gold > 0) {
      legs.push({ characterId: id, itemId: null, delta: share.gold });
      legs.push({ account: source, itemId: null, delta: -share.gold });
    }
    const mailId = randomUUID();
    for (const s of share.items) {
      legs.push({ account: source, itemId: s.itemId, delta: -s.qty });
      legs.push(
        given.ok
          ? { characterId: id, itemId: s.itemId, delta: s.qty }
          : { account: LedgerAccount.mail(mailId), itemId: s.itemId, delta: s.qty },
      );
    }
    if (mailed.length > 0) {
      await createMailRepository(tx).insert({
        id: mailId,
        recipientId: id,
        senderId: null,
        senderName: run.name,
        subject: `${run.name}: your reward`,
        body: "Your bags were full when the reward was handed out.",
        kind: "system",
        gold: 0,
        items: mailed,
        returnAt: null,
      });
    }
    await ledger.record(tx, opId, LedgerKind.EVENT_REWARD, legs);
    const save: PlayerRecord = {
      ...record,
      character: {
        ...record.character,
        gold: record.character.gold + share.gold,
        level: leveled.level,
        xp: leveled.xp,
      },
      inventory: given.ok ? given.inventory : record.inventory,
    };
    return { save: [save], result: { save, mailed } };
  };
}

async function freeze(sim: PayoutHost, characterId: string): Promise<boolean> {
  const deadline = Date.now() + FREEZE_WAIT_MS;
  while (sim.has(characterId)) {
    if (sim.freezeHoldings(characterId)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

/**
 * Pays a world event's rewards to characters a zone room holds: per participant, one transaction
 * writes its reward row (unique per run and character), its xp, level, gold and items, and the
 * ledger rows booking them against the event's source account, so a retried payout, or one
 * interrupted by a crash, never pays anyone twice. Items that do not fit the bags go by system
 * mail in the same transaction.
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
import type { PlayerRecord, ProgressStore } from "../session/player-record.ts";
import type { ZoneSimulation } from "../zone/zone-simulation.ts";
import { createWorldEventRepository } from "./world-event.repository.ts";

export type PayoutDeps = {
  readonly store: ProgressStore;
  readonly rules: EconomyRules;
  readonly leveling: Leveling;
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
  /** Not in this room (left before the boss died, or crossing a portal). */
  ABSENT: "absent",
  /** Another commit held the character too long; nothing changed. */
  BUSY: "busy",
} as const;
export type PayoutStatus = (typeof PayoutStatus)[keyof typeof PayoutStatus];

export type PayoutResult = {
  readonly characterId: string;
  readonly status: PayoutStatus;
  /** Items that did not fit and went by mail (paid only). */
  readonly mailed?: readonly ItemStack[];
};

/** How long a payout waits for another commit on the same character to finish. */
const FREEZE_WAIT_MS = 3_000;

class AlreadyPaid extends Error {}

/** Pays each share in turn (see the module comment); never throws for one participant's refusal. */
export async function payRewardsInRoom(
  deps: PayoutDeps,
  sim: PayoutHost,
  run: PayoutRun,
  shares: readonly RewardShare[],
): Promise<PayoutResult[]> {
  const results: PayoutResult[] = [];
  for (const share of shares) results.push(await payOne(deps, sim, run, share));
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
    return { characterId: id, status: sim.has(id) ? PayoutStatus.BUSY : PayoutStatus.ABSENT };
  }
  try {
    const memory = sim.recordOf(id)!;
    const opId = randomUUID();
    let committed: { save: PlayerRecord; mailed: ItemStack[] };
    let version: number | undefined;
    try {
      const out = await deps.store.commitWith([memory], [], async (tx, records) => {
        const record = records.get(id)!;
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
      });
      committed = out.result;
      version = out.versions.get(id);
    } catch (error) {
      if (error instanceof AlreadyPaid)
        return { characterId: id, status: PayoutStatus.ALREADY_PAID };
      throw error;
    }
    if (version !== undefined) sim.applyCommitted(id, committed.save, share.gold, version);
    if (share.xp > 0) sim.grantXp(id, share.xp);
    return { characterId: id, status: PayoutStatus.PAID, mailed: committed.mailed };
  } finally {
    sim.thawHoldings(id);
  }
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

/**
 * Commits one economy operation: applies each character's change to its record, writes the
 * records in full, the ledger legs and the operation's extra work in one transaction. Runs where
 * the characters are: in the room holding the online ones (commitInRoom), or anywhere for
 * characters whose locks the caller holds (their records are loaded FOR UPDATE in the transaction).
 */
import {
  applyCharacterChange,
  netMovements,
  type ChangeOutcome,
  type CharacterChange,
  type EconomyRules,
} from "../game/economy/character-change.ts";
import type { PlayerRecord, ProgressStore } from "../session/player-record.ts";
import type { ZoneSimulation } from "../zone/zone-simulation.ts";
import { EconomyRefused, type EconomyWorks } from "./economy-works.ts";
import { ledger, type LedgerLeg } from "./ledger.service.ts";

/** One economy operation, as plain data (it may travel to another process). */
export type EconomyOp = {
  /** One per operation (a trade id, a mail claim); the ledger rows carry it. */
  readonly opId: string;
  /** Ledger kind (LedgerKind). */
  readonly kind: string;
  /** At most one change per character. */
  readonly changes: readonly CharacterChange[];
  /** Extra database work registered by name (EconomyWorks), with JSON arguments. */
  readonly work?: { readonly name: string; readonly args?: unknown };
};

export type CharacterHoldings = { gold: number; inventory: PlayerRecord["inventory"] };

export type EconomyResult =
  | {
      readonly ok: true;
      readonly opId: string;
      /** What the extra work returned. */
      readonly result: unknown;
      /** Each changed character's gold and inventory as committed. */
      readonly holdings: Readonly<Record<string, CharacterHoldings>>;
    }
  | { readonly ok: false; readonly code: string; readonly characterId?: string };

export type CommitDeps = {
  readonly store: ProgressStore;
  readonly rules: EconomyRules;
  readonly works: EconomyWorks;
};

/** The parts of the zone simulation a commit in a room uses. */
export type HoldingsHost = Pick<
  ZoneSimulation,
  "has" | "recordOf" | "freezeHoldings" | "thawHoldings" | "applyCommitted"
>;

/** How long a commit in a room waits for another commit on the same character to finish. */
const FREEZE_WAIT_MS = 3_000;

/** Refusal codes of the operation's shape (bugs in a caller more than player errors). */
export const OpRefusal = {
  /** A change names a character twice, or none. */
  BAD_OP: "BAD_OP",
  /** A character of the operation is not in this room (left, or crossing a portal). */
  ABSENT: "ABSENT",
  /** Another commit held the character longer than FREEZE_WAIT_MS. */
  BUSY: "BUSY",
} as const;

export function checkOp(op: EconomyOp): string | null {
  const ids = op.changes.map((c) => c.characterId);
  if (ids.length === 0 || new Set(ids).size !== ids.length) return OpRefusal.BAD_OP;
  return null;
}

/**
 * Commits `op` over the in-memory `memory` records (a room's frozen copies) and the characters
 * `alsoIds` (locked by the caller, loaded in the transaction). Returns the committed records and
 * versions so the room can apply them.
 */
export async function commitOp(
  deps: CommitDeps,
  memory: readonly PlayerRecord[],
  alsoIds: readonly string[],
  op: EconomyOp,
): Promise<{ result: EconomyResult; saved: PlayerRecord[]; versions: Map<string, number> }> {
  const bad = checkOp(op);
  if (bad) return { result: { ok: false, code: bad }, saved: [], versions: new Map() };
  const ids = op.changes.map((c) => c.characterId);
  try {
    const { result, versions } = await deps.store.commitWith(
      memory,
      alsoIds,
      async (tx, records) => {
        const legs: LedgerLeg[] = [];
        const outcomes = new Map<string, ChangeOutcome>();
        const save: PlayerRecord[] = [];
        for (const change of op.changes) {
          const id = change.characterId;
          const record = records.get(id);
          if (!record) throw new EconomyRefused(OpRefusal.ABSENT, id);
          const applied = applyCharacterChange(
            { gold: record.character.gold, inventory: record.inventory },
            change,
            deps.rules,
          );
          if (!applied.ok) throw new EconomyRefused(applied.code, id);
          outcomes.set(id, applied.outcome);
          save.push({
            ...record,
            character: { ...record.character, gold: applied.outcome.gold },
            inventory: applied.outcome.inventory,
          });
          const others = ids.filter((other) => other !== id);
          const counterparty = others.length > 0 ? others.join(",") : undefined;
          for (const m of netMovements(applied.outcome)) {
            legs.push({ characterId: id, itemId: m.itemId, delta: m.delta, counterparty });
          }
        }
        const ctx = {
          opId: op.opId,
          kind: op.kind,
          outcomes,
          addLegs: (...l: LedgerLeg[]) => void legs.push(...l),
        };
        const workResult = op.work
          ? await deps.works.run(op.work.name, tx, op.work.args, ctx)
          : undefined;
        await ledger.record(tx, op.opId, op.kind, legs);
        return { save, result: { workResult, save } };
      },
    );
    const holdings: Record<string, CharacterHoldings> = {};
    for (const r of result.save) {
      holdings[r.character.id] = { gold: r.character.gold, inventory: r.inventory };
    }
    return {
      result: { ok: true, opId: op.opId, result: result.workResult, holdings },
      saved: result.save,
      versions,
    };
  } catch (error) {
    if (error instanceof EconomyRefused) {
      const refusal = { ok: false as const, code: error.code, characterId: error.characterId };
      return { result: refusal, saved: [], versions: new Map() };
    }
    throw error;
  }
}

/**
 * Commits `op` in the room whose simulation is `sim`: the characters of the operation that are
 * not in `alsoIds` must be in it. Their inventory and equipment are frozen for the commit; once
 * committed, the room's copies take the committed inventory and equipment and move their gold by
 * the operation's delta (kills may have paid meanwhile). On failure nothing changes in memory.
 * Two characters of one room (a trade) commit together in one transaction.
 */
export async function commitInRoom(
  deps: CommitDeps,
  sim: HoldingsHost,
  op: EconomyOp,
  alsoIds: readonly string[] = [],
): Promise<EconomyResult> {
  const bad = checkOp(op);
  if (bad) return { ok: false, code: bad };
  const here = op.changes.map((c) => c.characterId).filter((id) => !alsoIds.includes(id));
  const frozen: string[] = [];
  try {
    for (const id of [...here].sort()) {
      if (!(await freeze(sim, id))) {
        return {
          ok: false,
          code: sim.has(id) ? OpRefusal.BUSY : OpRefusal.ABSENT,
          characterId: id,
        };
      }
      frozen.push(id);
    }
    const memory = here.map((id) => sim.recordOf(id)!);
    const { result, saved, versions } = await commitOp(deps, memory, alsoIds, op);
    for (const record of saved) {
      const id = record.character.id;
      const before = memory.find((m) => m.character.id === id);
      const version = versions.get(id);
      if (!before || version === undefined) continue;
      sim.applyCommitted(id, record, record.character.gold - before.character.gold, version);
    }
    return result;
  } finally {
    for (const id of frozen) sim.thawHoldings(id);
  }
}

async function freeze(sim: HoldingsHost, characterId: string): Promise<boolean> {
  const deadline = Date.now() + FREEZE_WAIT_MS;
  while (sim.has(characterId)) {
    if (sim.freezeHoldings(characterId)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
  return false;
}

import type { Prisma } from "../db/generated/client.ts";
import type { ChangeOutcome } from "../game/economy/character-change.ts";
import type { LedgerLeg } from "./ledger.service.ts";

/**
 * An expected refusal raised inside an economy transaction (e.g. a mail already claimed): the
 * transaction rolls back and the operation answers `{ ok: false, code }`.
 */
export class EconomyRefused extends Error {
  readonly code: string;
  readonly characterId?: string;

  constructor(code: string, characterId?: string) {
    super(`economy operation refused: ${code}`);
    this.name = "EconomyRefused";
    this.code = code;
    this.characterId = characterId;
  }
}

/** What extra work sees of the operation it runs in. */
export type WorkContext = {
  readonly opId: string;
  readonly kind: string;
  /** Each character's applied change (what was taken, given, and the gold moved). */
  readonly outcomes: ReadonlyMap<string, ChangeOutcome>;
  /** Books legs for holders other than the characters (mail escrow, sources, sinks). */
  addLegs(...legs: LedgerLeg[]): void;
};

/**
 * Extra database work of an economy operation, run in its transaction after the characters'
 * changes: insert a mail, mark one claimed, record a trade. Throw EconomyRefused to refuse.
 * Works are registered by name on every process, because an operation on an online character
 * runs in the process of the room holding it: only the name and JSON `args` travel.
 */
export type EconomyWork = (
  tx: Prisma.TransactionClient,
  args: unknown,
  ctx: WorkContext,
) => Promise<unknown>;

export type EconomyWorks = {
  define(name: string, work: EconomyWork): void;
  run(
    name: string,
    tx: Prisma.TransactionClient,
    args: unknown,
    ctx: WorkContext,
  ): Promise<unknown>;
};

export function createEconomyWorks(): EconomyWorks {
  const works = new Map<string, EconomyWork>();
  return {
    define(name, work) {
      if (works.has(name)) throw new Error(`economy work "${name}" is defined twice`);
      works.set(name, work);
    },
    run(name, tx, args, ctx) {
      const work = works.get(name);
      if (!work) throw new Error(`unknown economy work "${name}"`);
      return work(tx, args, ctx);
    },
  };
}

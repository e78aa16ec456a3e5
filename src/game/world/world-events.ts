/** Events a zone step emits for the room to broadcast, log or hand to other rules (xp, loot). */
import type { EntityKind } from "./world-types.ts";

export const RefusalReason = {
  Dead: "dead",
  UnknownPlayer: "unknownPlayer",
  BadDirection: "badDirection",
  NoTarget: "noTarget",
  NotAttackable: "notAttackable",
  UnknownPortal: "unknownPortal",
  TooFar: "tooFar",
} as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];

export type WorldEvent =
  | {
      readonly type: "damaged";
      readonly targetId: string;
      readonly sourceId: string;
      /** Hit points removed (after clamping to the remaining hp). */
      readonly amount: number;
      readonly crit: boolean;
      readonly hp: number;
      readonly hpMax: number;
    }
  | { readonly type: "missed"; readonly targetId: string; readonly sourceId: string }
  | {
      readonly type: "died";
      readonly id: string;
      readonly kind: EntityKind;
      readonly killerId: string | null;
      /** Mob template id (for xp and loot), null for players. */
      readonly templateId: string | null;
      readonly level: number;
      readonly x: number;
      readonly y: number;
    }
  | { readonly type: "spawned"; readonly id: string; readonly kind: EntityKind }
  | { readonly type: "aggro"; readonly id: string; readonly targetId: string }
  | { readonly type: "leashed"; readonly id: string }
  | {
      readonly type: "portalEntered";
      readonly playerId: string;
      readonly portalId: string;
      readonly targetZone: string;
      readonly targetX: number;
      readonly targetY: number;
    }
  | {
      readonly type: "refused";
      readonly playerId: string;
      readonly action: "move" | "stop" | "attack" | "portal";
      readonly reason: RefusalReason;
    }
  | { readonly type: "dropExpired"; readonly id: string };

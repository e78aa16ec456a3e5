/**
 * What an entity is, as `Entity.kind` carries it: one byte instead of a string, since every
 * entity entering a view sends it (~24 times a second per client with 100 in view). Pure, so the
 * browser client, bots and tests import it without the schema runtime.
 */
export const Kind = { Player: 1, Mob: 2, Drop: 3, Npc: 4 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export type KindName = "player" | "mob" | "drop" | "npc";

const BY_NAME: Record<KindName, Kind> = {
  player: Kind.Player,
  mob: Kind.Mob,
  drop: Kind.Drop,
  npc: Kind.Npc,
};
const NAMES: readonly (KindName | undefined)[] = [undefined, "player", "mob", "drop", "npc"];

export function kindCode(name: KindName): Kind {
  return BY_NAME[name];
}

/** The kind's name, or undefined for a code this version does not know. */
export function kindName(code: number | undefined): KindName | undefined {
  return code === undefined ? undefined : NAMES[code];
}

/**
 * How an area notice travels inside a `notices` message: a positional array
 * `[code, ...fields]`, the code being the notice type's place in AREA_NOTICE_TYPES and the fields
 * in the order NOTICE_FIELDS lists them (a field a notice lacks travels as null). A map spelled
 * every key of every notice: ~74 bytes for a `damaged`, against ~25 as an array (issue 13, 3 KB/s
 * per client). `packNotice` is the server's side, `unpackNotice` gives clients the object back.
 * Pure: no imports besides the kit's names, so the browser bundle and any client can take it.
 */
import {
  AREA_NOTICE_TYPES,
  type AreaNoticeType,
  type Assert,
  type SameKeys,
} from "./message-names.ts";
import type { AnyAreaNotice, AreaNotices } from "./server-messages.ts";

/** Each area notice's fields in wire order. Append a field at the end; never reorder. */
export const NOTICE_FIELDS = {
  damaged: ["targetId", "sourceId", "amount", "crit", "x", "y"],
  missed: ["targetId", "sourceId", "x", "y"],
  died: ["id", "killerId", "x", "y"],
  healed: ["targetId", "sourceId", "amount", "crit", "x", "y"],
  castStarted: ["casterId", "skillId", "targetId", "x", "y", "castTimeMs"],
  casted: ["casterId", "skillId", "targetId", "x", "y"],
  castCancelled: ["casterId", "skillId", "reason", "x", "y"],
  effectApplied: ["targetId", "sourceId", "effectId", "kind", "durationMs", "x", "y"],
  effectExpired: ["targetId", "effectId", "x", "y"],
  leveledUp: ["entityId", "level", "previousLevel"],
} as const satisfies { [K in AreaNoticeType]: readonly (keyof AreaNotices[K])[] };

/** Compiles only while every notice's layout names all of its payload's fields. */
export type _EveryNoticeField = Assert<
  SameKeys<
    { [K in AreaNoticeType]: (typeof NOTICE_FIELDS)[K][number] },
    { [K in AreaNoticeType]: keyof AreaNotices[K] }
  >
>;

/** A notice on the wire: its type's code, then its fields in NOTICE_FIELDS order. */
export type PackedNotice = [code: number, ...fields: (string | number | boolean | null)[]];

const CODE_OF: ReadonlyMap<string, number> = new Map(AREA_NOTICE_TYPES.map((t, i) => [t, i]));

/** The wire form of an area notice (`type` plus its payload); undefined for another type. */
export function packNotice(notice: {
  readonly type: string;
  readonly [field: string]: unknown;
}): PackedNotice | undefined {
  const code = CODE_OF.get(notice.type);
  if (code === undefined) return undefined;
  const fields: readonly string[] = NOTICE_FIELDS[notice.type as AreaNoticeType];
  const values = notice as Record<string, PackedNotice[1] | undefined>;
  const out: PackedNotice = [code];
  for (const field of fields) out.push(values[field] ?? null);
  return out;
}

/**
 * The notice a wire array stands for, with its `type`; undefined for what is not one (a code
 * this kit does not know: a newer server may send more). Fields a newer server appended are
 * ignored.
 */
export function unpackNotice(wire: unknown): AnyAreaNotice | undefined {
  if (!Array.isArray(wire) || typeof wire[0] !== "number") return undefined;
  const type = AREA_NOTICE_TYPES[wire[0]];
  if (type === undefined) return undefined;
  const notice: Record<string, unknown> = { type };
  const fields: readonly string[] = NOTICE_FIELDS[type];
  for (let i = 0; i < fields.length; i++) notice[fields[i]!] = wire[i + 1] ?? null;
  return notice as AnyAreaNotice;
}

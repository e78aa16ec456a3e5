import { z } from "zod";
import {
  idSchema,
  msSchema,
  nameSchema,
  positiveIntSchema,
  Rarity,
  statModSchema,
  WeaponType,
} from "./common.ts";

export const ItemType = {
  WEAPON: "weapon",
  ARMOR: "armor",
  ACCESSORY: "accessory",
  CONSUMABLE: "consumable",
  MATERIAL: "material",
} as const;
export type ItemType = (typeof ItemType)[keyof typeof ItemType];

export const ArmorSlot = {
  HEAD: "head",
  CHEST: "chest",
  LEGS: "legs",
  FEET: "feet",
  HANDS: "hands",
} as const;
export type ArmorSlot = (typeof ArmorSlot)[keyof typeof ArmorSlot];

export const AccessorySlot = { RING: "ring", AMULET: "amulet" } as const;
export type AccessorySlot = (typeof AccessorySlot)[keyof typeof AccessorySlot];

const itemBase = {
  id: idSchema,
  name: nameSchema,
  description: z.string().optional(),
  rarity: z.enum(Rarity),
  levelReq: positiveIntSchema.default(1),
  /** Jobs allowed to equip or use it; absent or empty means every job. */
  jobs: z.array(idSchema).default([]),
  /** Vendor price in gold. */
  value: z.number().int().nonnegative().default(0),
  /** Soulbound: it never changes hands (trade, mail). */
  bound: z.boolean().optional(),
};

const equipmentBase = {
  ...itemBase,
  maxStack: z.literal(1, { error: "equipment must have maxStack 1" }).default(1),
  stats: z.array(statModSchema).default([]),
};

export const itemSchema = z.discriminatedUnion("type", [
  z.strictObject({
    ...equipmentBase,
    type: z.literal(ItemType.WEAPON),
    weaponType: z.enum(WeaponType),
  }),
  z.strictObject({ ...equipmentBase, type: z.literal(ItemType.ARMOR), slot: z.enum(ArmorSlot) }),
  z.strictObject({
    ...equipmentBase,
    type: z.literal(ItemType.ACCESSORY),
    slot: z.enum(AccessorySlot),
  }),
  z.strictObject({
    ...itemBase,
    type: z.literal(ItemType.CONSUMABLE),
    maxStack: positiveIntSchema,
    /** Restored on use, in points. */
    restore: z.strictObject({
      hp: z.number().int().nonnegative().default(0),
      mp: z.number().int().nonnegative().default(0),
    }),
    cooldownMs: msSchema,
    /** Items of one group share a cooldown (all healing pills, say). */
    cooldownGroup: idSchema,
  }),
  z.strictObject({ ...itemBase, type: z.literal(ItemType.MATERIAL), maxStack: positiveIntSchema }),
]);
export type Item = z.infer<typeof itemSchema>;
export type WeaponItem = Extract<Item, { type: "weapon" }>;
export type ArmorItem = Extract<Item, { type: "armor" }>;
export type AccessoryItem = Extract<Item, { type: "accessory" }>;
export type EquipmentItem = WeaponItem | ArmorItem | AccessoryItem;
export type ConsumableItem = Extract<Item, { type: "consumable" }>;

/** content/items.json */
export const itemsFileSchema = z.strictObject({ items: z.array(itemSchema).min(1) });

/** True for weapons, armor and accessories. */
export function isEquipment(item: Item): item is EquipmentItem {
  return (
    item.type === ItemType.WEAPON ||
    item.type === ItemType.ARMOR ||
    item.type === ItemType.ACCESSORY
  );
}

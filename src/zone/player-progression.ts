/**
 * What players gain and spend in a zone: kill rewards (xp split, gold, loot drops), leveling,
 * picking loot up, consumables, and quest progress on kills, inventory changes and visits.
 */
import type { GameData } from "../content/load-game-data.ts";
import { splitXp } from "../game/combat/xp-split.ts";
import { useConsumable } from "../game/items/consumables.ts";
import { equip, unequip, type EquipResult, type EquipSlot } from "../game/items/equipment.ts";
import { addItem } from "../game/items/inventory.ts";
import { addXp } from "../game/leveling/leveling.ts";
import { PARTY_XP_RANGE, withPartyShares, type NearPartyMember } from "../game/social/party-xp.ts";
import { rollMobLoot } from "../game/loot/loot.ts";
import { progressQuests, type QuestEvent } from "../game/quests/quest-progress.ts";
import type { Rng } from "../game/rng.ts";
import type { WorldEvent } from "../game/world/world-events.ts";
import { EntityKind, type World } from "../game/world/world-types.ts";
import { addDrop, distanceBetween, entityById, removeDrop } from "../game/world/world.ts";
import type { ZoneContent } from "../game/world/zone-content.ts";
import type { SimNotice, SimPlayer } from "./sim-types.ts";

/** Loot stays on the ground this long; only its owner may take it. */
export const DROP_TTL_MS = 60_000;
/** How close (units) a player must stand to pick a drop up. */
export const PICKUP_RANGE = 96;

/** What progression needs from the simulation that owns it. */
export type ProgressionHost = {
  readonly world: World;
  readonly zone: ZoneContent;
  readonly data: GameData;
  readonly rng: Rng;
  player(id: string): SimPlayer | undefined;
  players(): Iterable<SimPlayer>;
  /** Recompute a player's stats after its level changed. */
  refreshStats(player: SimPlayer): void;
  /** The player's party id, if any: party members near a kill share its XP. */
  partyOf?(characterId: string): string | undefined;
};

export class PlayerProgression {
  private readonly host: ProgressionHost;

  constructor(host: ProgressionHost) {
    this.host = host;
  }

  rewardKill(
    event: Extract<WorldEvent, { type: "died" }>,
    damage: ReadonlyMap<string, number> | undefined,
    notices: SimNotice[],
  ): void {
    const mob = this.host.data.content.mobs.get(event.templateId!);
    if (!mob || !damage || damage.size === 0) return;
    const contributors = [...damage]
      .filter(([id]) => this.host.player(id) !== undefined)
      .map(([id, dealt]) => ({
        id,
        damage: dealt,
        level: this.host.player(id)!.record.character.level,
      }));
    if (contributors.length === 0) return;
    const sharing = this.host.partyOf
      ? withPartyShares(contributors, this.host.partyOf, this.partyMembersNear(event))
      : contributors;
    for (const share of splitXp(mob.xp, sharing, mob.level)) {
      const player = this.host.player(share.id);
      if (player && share.xp > 0) this.grantXp(player, share.xp, notices);
    }
    for (const { id } of contributors) {
      this.progressQuest(this.host.player(id)!, { type: "kill", mobId: mob.id }, notices);
    }
    const winner = this.host.player(event.killerId ?? "") ?? this.host.player(contributors[0]!.id)!;
    const loot = rollMobLoot(mob, this.host.data.content.lootTables, this.host.rng);
    if (loot.gold > 0) {
      winner.record.character.gold += loot.gold;
      winner.entity.gold = winner.record.character.gold;
      winner.dirty = true;
      notices.push({
        type: "goldGained",
        characterId: winner.record.character.id,
        amount: loot.gold,
      });
    }
    loot.drops.forEach((drop, i) => {
      const item = this.host.data.content.items.get(drop.itemId);
      const angle = (i / Math.max(1, loot.drops.length)) * Math.PI * 2;
      addDrop(this.host.world, {
        itemId: drop.itemId,
        name: item?.name ?? drop.itemId,
        quantity: drop.qty,
        ownerId: winner.record.character.id,
        x: clamp(event.x + Math.cos(angle) * 24, 0, this.host.zone.width),
        y: clamp(event.y + Math.sin(angle) * 24, 0, this.host.zone.height),
        ttlMs: DROP_TTL_MS,
      });
    });
  }

  /** Living players in a party within PARTY_XP_RANGE of (x, y). */
  private partyMembersNear(at: { x: number; y: number }): NearPartyMember[] {
    const near: NearPartyMember[] = [];
    for (const p of this.host.players()) {
      const partyId = this.host.partyOf?.(p.record.character.id);
      if (partyId === undefined || p.entity.hp <= 0) continue;
      if (distanceBetween(p.entity, at) > PARTY_XP_RANGE) continue;
      near.push({ id: p.record.character.id, level: p.record.character.level, partyId });
    }
    return near;
  }

  grantXp(player: SimPlayer, amount: number, notices: SimNotice[]): void {
    const c = player.record.character;
    const before = c.level;
    const result = addXp({ level: c.level, xp: c.xp }, amount, this.host.data.content.leveling);
    c.level = result.level;
    c.xp = result.xp;
    player.entity.xp = result.xp;
    player.dirty = true;
    notices.push({ type: "xpGained", characterId: c.id, amount });
    if (result.levelsGained > 0) {
      this.host.refreshStats(player);
      if (result.restoreHpMp) {
        player.entity.hp = player.entity.hpMax;
        player.entity.mp = player.entity.mpMax;
      }
      notices.push({ type: "leveledUp", characterId: c.id, level: c.level, previousLevel: before });
    }
  }

  /** Uses the consumable in inventory `slot`: restores hp/mp (clamped), starts its group cooldown. */
  /** Wears the item of inventory slot `fromSlot` (in `toSlot`, or the first slot that fits it). */
  equip(p: SimPlayer, fromSlot: number, toSlot: EquipSlot | undefined, notices: SimNotice[]): void {
    const c = p.record.character;
    const gear = { inventory: p.record.inventory, equipment: p.record.equipment };
    const wearer = { level: c.level, jobId: c.job };
    this.applyGear(
      p,
      "equip",
      equip(gear, fromSlot, wearer, this.host.data.content, toSlot),
      notices,
    );
  }

  /** Takes off what is worn in `slot` into the inventory. */
  unequip(p: SimPlayer, slot: EquipSlot, notices: SimNotice[]): void {
    const gear = { inventory: p.record.inventory, equipment: p.record.equipment };
    this.applyGear(p, "unequip", unequip(gear, slot, this.host.data.content.items), notices);
  }

  private applyGear(
    p: SimPlayer,
    action: "equip" | "unequip",
    result: EquipResult,
    notices: SimNotice[],
  ): void {
    const id = p.record.character.id;
    if (p.entity.dead) {
      notices.push({ type: "refused", characterId: id, action, reason: "DEAD" });
      return;
    }
    if (!result.ok) {
      notices.push({ type: "refused", characterId: id, action, reason: result.code });
      return;
    }
    p.record.inventory = result.inventory;
    p.record.equipment = result.equipment;
    p.dirty = true;
    this.host.refreshStats(p);
    notices.push({ type: "equipmentChanged", characterId: id, equipment: result.equipment });
    this.recountQuests(p, notices);
  }

  useItem(p: SimPlayer, slot: number, notices: SimNotice[]): void {
    const c = p.record.character;
    const e = p.entity;
    const refuse = (reason: string, remainingMs?: number) =>
      void notices.push({
        type: "refused",
        characterId: c.id,
        action: "useItem",
        reason,
        ...(remainingMs !== undefined ? { remainingMs } : {}),
      });
    if (e.dead) return refuse("DEAD");
    const used = useConsumable(
      p.record.inventory,
      p.itemCooldowns,
      slot,
      this.host.world.timeMs,
      { level: c.level, jobId: c.job },
      this.host.data.content.items,
    );
    if (!used.ok) return refuse(used.code, used.remainingMs);
    p.record.inventory = used.inventory;
    p.itemCooldowns = used.cooldowns;
    p.dirty = true;
    const hp = Math.min(e.hpMax, e.hp + used.restore.hp) - e.hp;
    const mp = Math.min(e.mpMax, e.mp + used.restore.mp) - e.mp;
    e.hp += hp;
    e.mp += mp;
    notices.push({ type: "itemUsed", characterId: c.id, slot, itemId: used.itemId, hp, mp });
    this.recountQuests(p, notices);
  }

  pickup(player: SimPlayer, dropId: string, notices: SimNotice[]): void {
    const id = player.record.character.id;
    const refuse = (reason: string) =>
      notices.push({ type: "refused", characterId: id, action: "pickup", reason });
    const drop = entityById(this.host.world, dropId);
    if (drop?.kind !== EntityKind.Drop) return void refuse("noTarget");
    if (player.entity.dead) return void refuse("dead");
    if (drop.ownerId !== null && drop.ownerId !== id) return void refuse("notYours");
    if (distanceBetween(drop, player.entity) > PICKUP_RANGE) return void refuse("tooFar");
    const added = addItem(
      player.record.inventory,
      drop.itemId,
      drop.quantity,
      this.host.data.content.items,
    );
    if (!added.ok) return void refuse(added.code);
    removeDrop(this.host.world, drop.id);
    player.record.inventory = added.inventory;
    player.dirty = true;
    notices.push({ type: "looted", characterId: id, itemId: drop.itemId, quantity: drop.quantity });
    this.progressQuest(player, { type: "inventoryChanged", inventory: added.inventory }, notices);
  }

  /** Collect objectives follow the inventory; visit objectives may be met where the player stands. */
  recountQuests(p: SimPlayer, notices: SimNotice[]): void {
    this.progressQuest(p, { type: "inventoryChanged", inventory: p.record.inventory }, notices);
    this.progressVisit(p, notices);
  }

  /** Completes visit objectives of this zone for players standing in their area. */
  checkVisits(notices: SimNotice[]): void {
    for (const p of this.host.players()) {
      if (p.record.quests.active.length > 0 && !p.entity.dead) this.progressVisit(p, notices);
    }
  }

  private progressVisit(p: SimPlayer, notices: SimNotice[]): void {
    const zone = this.host.zone.id;
    const pending = p.record.quests.active.some((entry) =>
      this.host.data.content.quests
        .get(entry.questId)
        ?.objectives.some(
          (o, i) => o.type === "visit" && o.zone === zone && (entry.progress[i] ?? 0) < 1,
        ),
    );
    if (!pending) return;
    const { x, y } = p.entity;
    this.progressQuest(p, { type: "visit", zone, x, y }, notices);
  }

  private progressQuest(player: SimPlayer, event: QuestEvent, notices: SimNotice[]): void {
    const { log, updates } = progressQuests(player.record.quests, event, this.host.data.content);
    if (log === player.record.quests) return;
    player.record.quests = log;
    player.dirty = true;
    for (const u of updates) {
      const status = u.type === "questProgressed" ? `${u.progress}/${u.required}` : u.type;
      notices.push({
        type: "questUpdated",
        characterId: player.record.character.id,
        questId: u.questId,
        status,
      });
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

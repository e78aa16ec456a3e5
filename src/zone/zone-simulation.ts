import type { GameData } from "../content/load-game-data.ts";
import {
  createCharacterStatsModel,
  type CharacterStatsModel,
} from "../game/character/character-stats.ts";
import { DEFAULT_COMBAT_RULES } from "../game/combat/rules.ts";
import { mobCombatStats, type CombatStats } from "../game/combat/combat-stats.ts";
import { autoAttackIntervalMs, type Cooldowns } from "../game/combat/cooldowns.ts";
import { createDamageResult, resolveDamage } from "../game/combat/damage.ts";
import { addItem } from "../game/items/inventory.ts";
import { createRng, type Rng } from "../game/rng.ts";
import { effectFromSkill, type ActiveEffect } from "../game/combat/effects.ts";
import type { Combatant } from "../game/world/damage.ts";
import type { WorldEvent } from "../game/world/world-events.ts";
import { EntityKind, type PlayerEntity, type World } from "../game/world/world-types.ts";
import {
  addMob,
  addPlayer,
  createWorld,
  entityById,
  removeMob,
  removePlayer,
  revivePlayer,
  teleportPlayer,
} from "../game/world/world.ts";
import { ZoneKind, type ZoneContent } from "../game/world/zone-content.ts";
import { stepZone, type PlayerInput, type StepHooks } from "../game/world/zone-step.ts";
import type { CharacterTimers } from "../progression/character-timers.ts";
import type { PlayerRecord } from "../session/player-record.ts";
import { PlayerProgression } from "./player-progression.ts";
import { QuestDesk } from "./quest-givers.ts";
import type { SimAction, SimNotice, SimPlayer } from "./sim-types.ts";
import { MobCombat } from "./mob-combat.ts";
import { SkillCasting } from "./skill-casting.ts";

export type { SimAction, SimNotice } from "./sim-types.ts";

/** World units per point of the move_speed stat (move_speed is clamped to 0..12 by the registry). */
export const UNITS_PER_MOVE_SPEED = 32;

export { DROP_TTL_MS, PICKUP_RANGE } from "./player-progression.ts";
/** Actions that change inventory or equipment: refused while an economy commit holds them. */
const HOLDINGS_ACTIONS: ReadonlySet<string> = new Set([
  "pickup",
  "useItem",
  "equip",
  "unequip",
  "turnInQuest",
]);

/** A dead player comes back at the zone spawn point after this long. */
export const PLAYER_RESPAWN_MS = 5_000;

/** One compiled stat registry per content set, shared by every zone's per-player caches. */
const statModels = new WeakMap<GameData, CharacterStatsModel>();
function statsModelOf(data: GameData): CharacterStatsModel {
  let model = statModels.get(data);
  if (!model) statModels.set(data, (model = createCharacterStatsModel(data)));
  return model;
}

/**
 * One zone's authoritative simulation: the pure world step plus the rules that happen around it
 * (combat numbers, xp, loot, quests, respawn). No networking: the room feeds actions in and
 * forwards the notices out.
 */
export class ZoneSimulation {
  readonly world: World;
  private readonly rng: Rng;
  private readonly players = new Map<string, SimPlayer>();
  private readonly mobStats = new Map<string, CombatStats>();
  private readonly damageByMob = new Map<string, Map<string, number>>();
  /** Party id by character id, set by the room's social feature: parties share kill XP. */
  private readonly partyOf = new Map<string, string>();
  private actions: SimAction[] = [];
  /** Characters whose inventory and equipment an economy commit holds (see freezeHoldings). */
  private readonly heldForCommit = new Set<string>();
  /** Hits and misses each present character dealt or took (see combatCountOf). */
  private readonly combatCount = new Map<string, number>();
  /** Notices raised between steps (an applied economy commit); the next step returns them. */
  private readonly betweenSteps: SimNotice[] = [];
  /** Called with every step's notices (world events watch fights through it). */
  private readonly stepObservers = new Set<(notices: readonly SimNotice[]) => void>();
  private readonly damageOut = createDamageResult();
  private readonly hooks: StepHooks;
  private readonly stats: CharacterStatsModel;
  private readonly casting: SkillCasting;
  private readonly mobs: MobCombat;
  private readonly quests: QuestDesk;
  private readonly progression: PlayerProgression;
  readonly zone: ZoneContent;
  private readonly data: GameData;

  private readonly wallClock: () => number;

  /**
   * `wallClock` (epoch ms) converts stored cooldown and effect expiries to and from game time,
   * which starts at zero in every room.
   */
  constructor(zone: ZoneContent, data: GameData, seed: number, wallClock: () => number = Date.now) {
    this.wallClock = wallClock;
    this.zone = zone;
    this.data = data;
    this.rng = createRng(seed);
    this.world = createWorld(zone, (id) => data.content.mobs.get(id), this.rng);
    for (const mob of data.content.mobs.values()) this.mobStats.set(mob.id, mobCombatStats(mob));
    this.hooks = { resolveAttack: (attacker, target) => this.resolveAttack(attacker, target) };
    this.stats = statsModelOf(data);
    this.mobs = new MobCombat({
      world: this.world,
      data,
      mobBaseStats: (templateId) => this.mobStats.get(templateId),
    });
    this.casting = new SkillCasting({
      world: this.world,
      data,
      rng: this.rng,
      mobs: this.mobs,
      player: (id) => this.players.get(id),
      players: () => this.players.values(),
      refreshStats: (p) => this.refreshStats(p),
    });
    this.progression = new PlayerProgression({
      world: this.world,
      zone,
      data,
      rng: this.rng,
      player: (id) => this.players.get(id),
      players: () => this.players.values(),
      refreshStats: (p) => this.refreshStats(p),
      partyOf: (id) => this.partyOf.get(id),
    });
    this.quests = new QuestDesk(
      {
        world: this.world,
        data,
        grantXp: (p, amount, notices) => this.progression.grantXp(p, amount, notices),
        recountQuests: (p, notices) => this.progression.recountQuests(p, notices),
      },
      zone,
    );
  }

  get playerCount(): number {
    return this.players.size;
  }

  /** Puts a loaded character into the world at its saved position (or the zone spawn). */
  join(record: PlayerRecord): { ok: true; entity: PlayerEntity } | { ok: false; reason: string } {
    const c = record.character;
    const statsCache = this.stats.createCache();
    const stats = statsCache.resolve({
      race: c.race,
      job: c.job,
      level: c.level,
      equipment: record.equipment,
      effects: [],
      zone: this.zone.id,
    }).combat;
    const hpMax = Math.max(1, Math.round(stats.hp_max));
    const mpMax = Math.max(0, Math.round(stats.mp_max));
    const added = addPlayer(this.world, {
      id: c.id,
      name: c.name,
      x: c.zone === this.zone.id ? c.x : this.zone.spawn.x,
      y: c.zone === this.zone.id ? c.y : this.zone.spawn.y,
      level: c.level,
      hp: Math.min(c.hp, hpMax),
      hpMax,
      mp: Math.min(c.mp, mpMax),
      mpMax,
      xp: c.xp,
      gold: c.gold,
      moveSpeed: stats.move_speed * UNITS_PER_MOVE_SPEED,
      attackRange: this.autoAttackOf(c.job)?.range ?? 64,
      attackCooldownMs: 1500,
      hpRegen: stats.hp_regen ?? 0,
      mpRegen: stats.mp_regen ?? 0,
    });
    if (!added.ok) return { ok: false, reason: added.reason };
    const timers = this.restoreTimers(c.timers);
    const player: SimPlayer = {
      record: { ...record, character: { ...c, zone: this.zone.id } },
      entity: added.player,
      stats,
      statsCache,
      ...timers,
      cast: null,
      respawnInMs: 0,
      dirty: false,
      transferring: false,
    };
    this.players.set(c.id, player);
    this.refreshStats(player);
    return { ok: true, entity: added.player };
  }

  /** Takes a character out of the world; returns its final record. */
  leave(characterId: string): PlayerRecord | undefined {
    const record = this.recordOf(characterId);
    const p = this.players.get(characterId);
    if (p) {
      this.casting.forgetPlayer(p, null);
      this.mobs.forgetPlayer(characterId);
    }
    removePlayer(this.world, characterId);
    this.players.delete(characterId);
    for (const damage of this.damageByMob.values()) damage.delete(characterId);
    this.combatCount.delete(characterId);
    return record;
  }

  /** The character's party (undefined: none); party members near a kill share its XP. */
  setPartyOf(characterId: string, partyId: string | undefined): void {
    if (partyId === undefined) this.partyOf.delete(characterId);
    else this.partyOf.set(characterId, partyId);
  }

  has(characterId: string): boolean {
    return this.players.has(characterId);
  }

  /** The character's current record, position and vitals included. */
  recordOf(characterId: string): PlayerRecord | undefined {
    const p = this.players.get(characterId);
    if (!p) return undefined;
    const e = p.entity;
    p.record = {
      ...p.record,
      character: {
        ...p.record.character,
        x: Math.round(e.x * 100) / 100,
        y: Math.round(e.y * 100) / 100,
        hp: e.dead ? e.hpMax : Math.round(e.hp),
        mp: Math.round(e.mp),
        timers: this.storedTimers(p),
      },
    };
    return p.record;
  }

  /** Game-time cooldowns and effects from stored wall-clock expiries (expired ones dropped). */
  private restoreTimers(
    timers: CharacterTimers,
  ): Pick<SimPlayer, "effects" | "skillCooldowns" | "itemCooldowns"> {
    const game = this.world.timeMs;
    const offset = game - this.wallClock();
    const toGame = (stored: Readonly<Record<string, number>>): Cooldowns => {
      const out: Record<string, number> = {};
      for (const key in stored) if (stored[key]! + offset > game) out[key] = stored[key]! + offset;
      return out;
    };
    const effects: ActiveEffect[] = [];
    for (const stored of timers.effects) {
      const skill = this.data.content.skills.get(stored.id);
      const expiresAtMs = stored.expiresAt + offset;
      // A skill removed or changed from content since the save: its effect lapses.
      if (!skill || (skill.kind !== "buff" && skill.kind !== "debuff") || expiresAtMs <= game) {
        continue;
      }
      effects.push({ ...effectFromSkill(skill, stored.sourceId, game), expiresAtMs });
    }
    return {
      effects,
      skillCooldowns: toGame(timers.skills),
      itemCooldowns: toGame(timers.items),
    };
  }

  /** The player's running cooldowns and effects as wall-clock expiries, for saving. */
  private storedTimers(p: SimPlayer): CharacterTimers {
    const game = this.world.timeMs;
    const offset = this.wallClock() - game;
    const toWall = (cooldowns: Cooldowns): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const key in cooldowns) {
        if (cooldowns[key]! > game) out[key] = Math.round(cooldowns[key]! + offset);
      }
      return out;
    };
    return {
      skills: toWall(p.skillCooldowns),
      items: toWall(p.itemCooldowns),
      effects: p.effects
        .filter((e) => e.expiresAtMs > game)
        .map((e) => ({
          id: e.id,
          sourceId: e.sourceId,
          expiresAt: Math.round(e.expiresAtMs + offset),
        })),
    };
  }

  /** A character's current combat stats (buffs and debuffs included). */
  combatStatsOf(characterId: string): CombatStats | undefined {
    return this.players.get(characterId)?.stats;
  }

  /** Ids of characters whose progress changed since `clearDirty`. */
  dirtyCharacters(): string[] {
    const ids: string[] = [];
    for (const [id, p] of this.players) if (p.dirty) ids.push(id);
    return ids;
  }

  clearDirty(characterId: string): void {
    const p = this.players.get(characterId);
    if (p) p.dirty = false;
  }

  /** Puts items straight into an online character's inventory (admin gifts); all or nothing. */
  giveItem(
    characterId: string,
    itemId: string,
    quantity: number,
  ): { ok: true } | { ok: false; code: string } {
    const player = this.players.get(characterId);
    if (!player) return { ok: false, code: "NOT_HERE" };
    if (this.heldForCommit.has(characterId)) return { ok: false, code: "BUSY" };
    const added = addItem(player.record.inventory, itemId, quantity, this.data.content.items);
    if (!added.ok) return { ok: false, code: added.code };
    player.record.inventory = added.inventory;
    player.dirty = true;
    return { ok: true };
  }

  /** Stops applying a character's actions (it is on its way to another zone). */
  freeze(characterId: string, frozen: boolean): void {
    const p = this.players.get(characterId);
    if (!p) return;
    p.transferring = frozen;
    if (frozen) {
      p.cast = null;
      p.entity.moveX = 0;
      p.entity.moveY = 0;
      p.entity.attackTarget = -1;
    }
  }

  /**
   * Holds a character's inventory and equipment still while an economy commit (trade, mail) is
   * written: using, equipping, picking up and turning in refuse with BUSY until thawHoldings.
   * Gold may still change (kills pay). False when the character is not here or leaving.
   */
  freezeHoldings(characterId: string): boolean {
    const p = this.players.get(characterId);
    if (!p || p.transferring || this.heldForCommit.has(characterId)) return false;
    this.heldForCommit.add(characterId);
    return true;
  }

  thawHoldings(characterId: string): void {
    this.heldForCommit.delete(characterId);
  }

  /**
   * Applies a committed economy change to a frozen character: inventory and equipment become the
   * committed ones, gold moves by `goldDelta` from what it is now, and the copy carries the
   * committed `version` (src/session/progress-store.ts). False when the character left.
   */
  applyCommitted(
    characterId: string,
    committed: Pick<PlayerRecord, "inventory" | "equipment">,
    goldDelta: number,
    version: number,
  ): boolean {
    const p = this.players.get(characterId);
    if (!p) return false;
    const c = p.record.character;
    p.record = {
      ...p.record,
      character: { ...c, gold: c.gold + goldDelta, version },
      inventory: committed.inventory,
      equipment: committed.equipment,
    };
    p.entity.gold = p.record.character.gold;
    p.dirty = true;
    this.refreshStats(p);
    this.progression.recountQuests(p, this.betweenSteps);
    return true;
  }

  queue(action: SimAction): void {
    this.actions.push(action);
  }

  /**
   * Sends a character to `targetZone` at (x, y) on the next step, as if it had stepped through a
   * portal there (the room hands it over the same way). Arenas send their players home this way.
   */
  sendOut(characterId: string, targetZone: string, x: number, y: number): void {
    const p = this.players.get(characterId);
    if (!p || p.transferring) return;
    this.freeze(characterId, true);
    this.betweenSteps.push({ type: "portalEntered", characterId, targetZone, x, y });
  }

  /**
   * Moves a present character within this zone to (x, y) at once (an operator's teleport); false
   * when it is not here, is leaving, or the spot is blocked or outside.
   */
  teleport(characterId: string, x: number, y: number): boolean {
    const p = this.players.get(characterId);
    if (!p || p.transferring || !teleportPlayer(this.world, p.entity, x, y)) return false;
    p.dirty = true;
    return true;
  }

  /** Puts a present character at (x, y), alive, with `hp` and `mp` (capped at their maxima). */
  placePlayer(characterId: string, x: number, y: number, hp: number, mp: number): void {
    const p = this.players.get(characterId);
    if (!p) return;
    revivePlayer(this.world, p.entity, x, y);
    p.respawnInMs = 0;
    p.entity.hp = Math.max(1, Math.min(p.entity.hpMax, Math.round(hp)));
    p.entity.mp = Math.max(0, Math.min(p.entity.mpMax, Math.round(mp)));
  }

  /** Advances the zone by `dtMs` and returns what happened. */
  step(dtMs: number): SimNotice[] {
    const notices: SimNotice[] = this.betweenSteps.splice(0);
    const events: WorldEvent[] = [];
    const inputs: PlayerInput[] = [];
    const actions = this.actions;
    this.actions = [];
    this.casting.tickEffects(notices);
    this.mobs.tickEffects(notices);
    for (const action of actions) {
      const player = this.players.get(action.playerId);
      if (!player || player.transferring) continue;
      this.apply(player, action, inputs, events, notices);
    }
    this.casting.tickCasts(events, notices);
    for (const event of events) this.handle(event, notices);
    const stepped = stepZone(this.world, inputs, dtMs, this.rng, this.hooks);
    for (const event of stepped.events) this.handle(event, notices);
    this.mobs.decayThreat(dtMs);
    this.progression.checkVisits(notices);
    this.respawnPlayers(dtMs);
    this.showCooldowns();
    this.countCombat(notices);
    for (const observe of this.stepObservers) observe(notices);
    return notices;
  }

  /** Calls `observer` with each step's notices once the step is done; returns the unsubscribe. */
  observeSteps(observer: (notices: readonly SimNotice[]) => void): () => void {
    this.stepObservers.add(observer);
    return () => void this.stepObservers.delete(observer);
  }

  /**
   * Adds a mob of template `templateId` homed at (x, y) units under world id `id` (an event
   * boss); false when the template is unknown or the id taken. It respawns like any mob until
   * removeMob.
   */
  spawnMob(templateId: string, id: string, x: number, y: number): boolean {
    const template = this.data.content.mobs.get(templateId);
    if (!template || this.world.handleById.has(id)) return false;
    addMob(this.world, template, id, id, x, y, this.rng);
    return true;
  }

  /** Takes mob `id` out of the world for good, dead or alive; false when it is not here. */
  removeMob(id: string): boolean {
    const mob = entityById(this.world, id);
    if (mob?.kind !== EntityKind.Mob) return false;
    this.mobs.reset(mob);
    this.damageByMob.delete(id);
    removeMob(this.world, id);
    return true;
  }

  /**
   * Adds `amount` xp to a present character between steps, leveling as kills do (notices go out
   * with the next step); false when the character is not here.
   */
  grantXp(characterId: string, amount: number): boolean {
    const p = this.players.get(characterId);
    if (!p) return false;
    this.progression.grantXp(p, amount, this.betweenSteps);
    return true;
  }

  /**
   * How many hits and misses the character has dealt or taken while here: a change means it
   * fought (trades watch it). 0 for a character not here.
   */
  combatCountOf(characterId: string): number {
    return this.combatCount.get(characterId) ?? 0;
  }

  private countCombat(notices: readonly SimNotice[]): void {
    for (const n of notices) {
      if (n.type !== "damaged" && n.type !== "missed") continue;
      this.bumpCombat(n.sourceId);
      this.bumpCombat(n.targetId);
    }
  }

  private bumpCombat(id: string): void {
    if (this.players.has(id)) this.combatCount.set(id, (this.combatCount.get(id) ?? 0) + 1);
  }

  private apply(
    p: SimPlayer,
    action: SimAction,
    inputs: PlayerInput[],
    events: WorldEvent[],
    notices: SimNotice[],
  ): void {
    if (HOLDINGS_ACTIONS.has(action.type) && this.heldForCommit.has(p.record.character.id)) {
      const id = p.record.character.id;
      notices.push({ type: "refused", characterId: id, action: action.type, reason: "BUSY" });
      return;
    }
    switch (action.type) {
      case "pickup":
        return this.progression.pickup(p, action.dropId, notices);
      case "cast":
        this.casting.cast(p, action, events, notices);
        // A cast with a cast time stops the caster: earlier moves of this tick become a stop.
        if (p.cast !== null) {
          for (let i = 0; i < inputs.length; i++) {
            const input = inputs[i]!;
            if (input.playerId === p.entity.id && input.type === "move") {
              inputs[i] = { type: "stop", playerId: input.playerId, seq: input.seq };
            }
          }
        }
        return;
      case "interact":
        return this.quests.interact(p, action.npcId, notices);
      case "acceptQuest":
        return this.quests.accept(p, action.questId, notices);
      case "turnInQuest":
        return this.quests.turnIn(p, action.questId, notices);
      case "useItem":
        return this.progression.useItem(p, action.slot, notices);
      case "equip":
        return this.progression.equip(p, action.fromSlot, action.toSlot, notices);
      case "unequip":
        return this.progression.unequip(p, action.slot, notices);
      case "move":
        if (p.cast !== null && (action.dx !== 0 || action.dy !== 0)) {
          this.casting.cancel(p, "MOVED", notices);
        }
        inputs.push(action);
        return;
      default:
        inputs.push(action);
    }
  }

  private resolveAttack(attacker: Combatant, target: Combatant) {
    const a = this.statsOf(attacker);
    const d = this.statsOf(target);
    const out = resolveDamage(
      a,
      d,
      1,
      this.rng,
      this.damageOut,
      "attack_power",
      DEFAULT_COMBAT_RULES,
    );
    return { hit: out.hit, damage: out.amount, crit: out.crit };
  }

  private statsOf(entity: Combatant): CombatStats {
    if (entity.kind === EntityKind.Player) {
      const p = this.players.get(entity.id);
      if (p) return p.stats;
    } else {
      const s = this.mobs.stats(entity);
      if (s) return s;
    }
    throw new Error(`no combat stats for ${entity.id}`);
  }

  private handle(event: WorldEvent, notices: SimNotice[]): void {
    switch (event.type) {
      case "damaged": {
        const target = entityById(this.world, event.targetId);
        if (target?.kind === EntityKind.Mob && this.players.has(event.sourceId)) {
          let byPlayer = this.damageByMob.get(target.id);
          if (!byPlayer) this.damageByMob.set(target.id, (byPlayer = new Map()));
          byPlayer.set(event.sourceId, (byPlayer.get(event.sourceId) ?? 0) + event.amount);
          this.mobs.addThreat(target, event.sourceId, event.amount);
        }
        notices.push({
          type: "damaged",
          targetId: event.targetId,
          sourceId: event.sourceId,
          amount: event.amount,
          crit: event.crit,
          x: target?.x ?? 0,
          y: target?.y ?? 0,
        });
        return;
      }
      case "missed": {
        const target = entityById(this.world, event.targetId);
        notices.push({ ...event, x: target?.x ?? 0, y: target?.y ?? 0 });
        return;
      }
      case "died":
        notices.push({
          type: "died",
          id: event.id,
          killerId: event.killerId,
          x: event.x,
          y: event.y,
        });
        if (event.kind === EntityKind.Mob) {
          const mob = entityById(this.world, event.id);
          if (mob?.kind === EntityKind.Mob) this.mobs.reset(mob);
          const damage = this.damageByMob.get(event.id);
          this.damageByMob.delete(event.id);
          if (event.templateId) this.progression.rewardKill(event, damage, notices);
        } else if (event.kind === EntityKind.Player) {
          const p = this.players.get(event.id);
          if (p) {
            // Arena deaths decide the match: the fallen stay down until it ends.
            p.respawnInMs = this.zone.kind === ZoneKind.Arena ? 0 : PLAYER_RESPAWN_MS;
            this.casting.forgetPlayer(p, notices);
            this.mobs.forgetPlayer(p.entity.id);
          }
        }
        return;
      case "leashed": {
        this.damageByMob.delete(event.id);
        const mob = entityById(this.world, event.id);
        if (mob?.kind === EntityKind.Mob) this.mobs.reset(mob);
        return;
      }
      case "refused":
        notices.push({
          type: "refused",
          characterId: event.playerId,
          action: event.action,
          reason: event.reason,
        });
        return;
      case "portalEntered": {
        const p = this.players.get(event.playerId);
        if (!p || p.transferring) return;
        this.freeze(event.playerId, true);
        notices.push({
          type: "portalEntered",
          characterId: event.playerId,
          targetZone: event.targetZone,
          x: event.targetX,
          y: event.targetY,
        });
        return;
      }
      default:
        return;
    }
  }

  /**
   * Recomputes a player's stats through its stats cache (race, job+level, equipment, effects,
   * zone, realm); the cache only resolves again when one of them changed.
   */
  private refreshStats(player: SimPlayer): void {
    const c = player.record.character;
    player.stats = player.statsCache.resolve({
      race: c.race,
      job: c.job,
      level: c.level,
      equipment: player.record.equipment,
      effects: player.effects,
      zone: this.zone.id,
    }).combat;
    const e = player.entity;
    const auto = this.autoAttackOf(c.job);
    e.level = c.level;
    e.hpMax = Math.max(1, Math.round(player.stats.hp_max));
    e.mpMax = Math.max(0, Math.round(player.stats.mp_max));
    e.hp = Math.min(e.hp, e.hpMax);
    e.mp = Math.min(e.mp, e.mpMax);
    e.moveSpeed = player.stats.move_speed * UNITS_PER_MOVE_SPEED;
    e.hpRegen = player.stats.hp_regen ?? 0;
    e.mpRegen = player.stats.mp_regen ?? 0;
    if (auto) e.attackCooldownMs = autoAttackIntervalMs(auto, player.stats);
  }

  private autoAttackOf(jobId: string) {
    const job = this.data.content.jobs.get(jobId);
    return job ? this.data.content.autoAttacks.get(job.autoAttack) : undefined;
  }

  /** Mirrors the remaining skill and item cooldowns (ms) into each player's entity. */
  private showCooldowns(): void {
    const now = this.world.timeMs;
    for (const p of this.players.values()) {
      const shown = p.entity.cooldowns;
      if (shown.size === 0 && isEmpty(p.skillCooldowns) && isEmpty(p.itemCooldowns)) continue;
      for (const key of shown.keys()) {
        const readyAt = p.skillCooldowns[key] ?? p.itemCooldowns[key] ?? 0;
        if (readyAt <= now) shown.delete(key);
      }
      for (const record of [p.skillCooldowns, p.itemCooldowns]) {
        for (const key in record) {
          const left = record[key]! - now;
          if (left > 0) shown.set(key, left);
        }
      }
    }
  }

  private respawnPlayers(dtMs: number): void {
    for (const p of this.players.values()) {
      if (!p.entity.dead || p.respawnInMs <= 0) continue;
      p.respawnInMs -= dtMs;
      if (p.respawnInMs <= 0) {
        revivePlayer(this.world, p.entity, this.zone.spawn.x, this.zone.spawn.y);
        p.entity.mp = p.entity.mpMax;
      }
    }
  }
}

function isEmpty(record: Cooldowns): boolean {
  for (const _ in record) return false;
  return true;
}

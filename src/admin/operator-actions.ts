/**
 * What operators do to players, wherever they are: an online character is reached in its room on
 * whichever process hosts it (rooms/admin-commands.ts, through presence); an offline one in the
 * database, under its character lock so it cannot log in meanwhile. Gold and items move through
 * the economy's ledger only. Every refusal is a GameError.
 */
import { randomUUID } from "node:crypto";
import { sendRoomCommand } from "../../rooms/room-commands.ts";
import type { GameData } from "../content/load-game-data.ts";
import type { PrismaClient } from "../db/database.ts";
import type { Economy } from "../economy/character-mutation.ts";
import { economyError } from "../economy/economy-errors.ts";
import { LedgerKind } from "../economy/ledger.service.ts";
import { GameError } from "../errors.ts";
import { ZoneKind } from "../game/world/zone-content.ts";
import { compileGeometry, isBlocked } from "../game/world/zone-geometry.ts";
import type { ItemStack } from "../game/items/inventory.ts";
import type { CharacterLocks } from "../session/character-lock.ts";
import type { OnlinePlayer, OnlinePlayers } from "../session/online-players.ts";
import { SanctionKind, type Sanction, type Sanctions } from "./sanctions.ts";

export type OperatorDeps = {
  prisma: PrismaClient;
  data: Pick<GameData, "zones">;
  online: OnlinePlayers;
  locks: CharacterLocks;
  sanctions: Sanctions;
  economy: Pick<Economy, "grant" | "charge">;
  /** Tells an online character's client (on any process) something happened to it. */
  notify(characterId: string, message: { type: string; [field: string]: unknown }): Promise<void>;
};

/** Where an operator sends a character. */
export type TeleportTarget = { zone?: string; x: number; y: number };

/** Attempts at reaching a character that moves between rooms or logs in or out meanwhile. */
const REACH_ATTEMPTS = 3;
const REACH_RETRY_MS = 200;
const ADMIN_SOURCE = "admin";

const NOT_ONLINE = () => new GameError("NOT_FOUND", "That character is not online.");

export function createOperatorActions(deps: OperatorDeps) {
  const { prisma, online, sanctions } = deps;
  const geometries = new Map<string, ReturnType<typeof compileGeometry>>();

  async function characterOf(characterId: string) {
    const row = await prisma.character.findUnique({
      where: { id: characterId },
      select: { id: true, accountId: true, zone: true },
    });
    if (!row) throw new GameError("CHARACTER_NOT_FOUND");
    return row;
  }

  async function assertAccount(accountId: string): Promise<void> {
    const row = await prisma.account.findUnique({ where: { id: accountId }, select: { id: true } });
    if (!row) throw new GameError("NOT_FOUND", "There is no such account.");
  }

  async function onlineOfAccount(accountId: string): Promise<OnlinePlayer[]> {
    return (await online.list()).filter((p) => p.accountId === accountId);
  }

  /** Checks the zone is an open-world one and (x, y) a free spot in it. */
  function assertTarget(zoneId: string, x: number, y: number): void {
    const zone = deps.data.zones.get(zoneId);
    if (!zone) throw new GameError("UNKNOWN_ZONE", `There is no zone "${zoneId}".`);
    if (zone.kind === ZoneKind.Instance || zone.kind === ZoneKind.Arena) {
      throw new GameError("VALIDATION_FAILED", "Characters can only be sent to towns and fields.");
    }
    let geometry = geometries.get(zoneId);
    if (!geometry) geometries.set(zoneId, (geometry = compileGeometry(zone)));
    if (isBlocked(geometry, x, y)) {
      throw new GameError("VALIDATION_FAILED", `(${x}, ${y}) is blocked or outside "${zoneId}".`);
    }
  }

  /** Tells the account's online characters of a mute change (and their processes' caches). */
  async function tellMute(accountId: string, mute: Sanction | null): Promise<string[]> {
    const told: string[] = [];
    const notice = mute && { reason: mute.reason, until: mute.expiresAt };
    for (const p of await onlineOfAccount(accountId)) {
      const command = { type: "muteChanged" as const, characterId: p.characterId, accountId };
      if (await sendRoomCommand(p.roomId, { ...command, mute: notice }).catch(() => false)) {
        told.push(p.characterId);
      }
    }
    return told;
  }

  async function kickEverywhere(accountId: string, reason: string): Promise<string[]> {
    const kicked: string[] = [];
    for (const p of await onlineOfAccount(accountId)) {
      const command = { type: "kick" as const, characterId: p.characterId, reason };
      if (await sendRoomCommand(p.roomId, command).catch(() => false)) kicked.push(p.characterId);
    }
    return kicked;
  }

  /** Moves an offline character's stored position; false when it is online (or locked) now. */
  async function moveStored(characterId: string, zone: string, x: number, y: number) {
    const holder = `admin/${randomUUID()}`;
    if (!(await deps.locks.acquire(characterId, holder))) return false;
    try {
      await prisma.character.update({
        where: { id: characterId },
        data: { zone, x, y, version: { increment: 1 } },
        select: { id: true },
      });
      return true;
    } finally {
      await deps.locks.release(characterId, holder);
    }
  }

  return {
    /** Disconnects an online character with no reconnection. */
    async kick(characterId: string, reason: string): Promise<void> {
      const entry = await online.get(characterId);
      if (!entry) throw NOT_ONLINE();
      const kicked = await sendRoomCommand(entry.roomId, { type: "kick", characterId, reason });
      if (!kicked) throw NOT_ONLINE();
    },

    /** Mutes the character's account for `durationSec`; its online characters are told. */
    async mute(m: { characterId: string; durationSec: number; reason: string; by: string }) {
      const { accountId } = await characterOf(m.characterId);
      const mute = await sanctions.impose({ accountId, kind: SanctionKind.MUTE, ...m });
      return { accountId, mute, told: await tellMute(accountId, mute) };
    },

    async unmute(u: { characterId: string; by: string }) {
      const { accountId } = await characterOf(u.characterId);
      const lifted = await sanctions.lift({ accountId, kind: SanctionKind.MUTE, by: u.by });
      return { accountId, lifted, told: await tellMute(accountId, null) };
    },

    /** The account of a character, for bans given by character. */
    async accountOf(characterId: string): Promise<string> {
      return (await characterOf(characterId)).accountId;
    },

    /** Bans the account (no duration: until lifted) and kicks its characters on every process. */
    async ban(b: { accountId: string; reason: string; durationSec?: number; by: string }) {
      await assertAccount(b.accountId);
      const ban = await sanctions.impose({ ...b, kind: SanctionKind.BAN });
      return { ban, kicked: await kickEverywhere(b.accountId, `banned: ${b.reason}`) };
    },

    /** The account's mutes and bans, newest first, lifted and ended ones included. */
    async sanctionsOf(accountId: string) {
      await assertAccount(accountId);
      return sanctions.history(accountId);
    },

    async unban(u: { accountId: string; by: string }) {
      await assertAccount(u.accountId);
      return { lifted: await sanctions.lift({ ...u, kind: SanctionKind.BAN }) };
    },

    /**
     * Sends the character to (x, y) of `zone` (default: where it is): in its room when online,
     * in its stored position otherwise.
     */
    async teleport(characterId: string, target: TeleportTarget) {
      const stored = await characterOf(characterId);
      for (let attempt = 0; attempt < REACH_ATTEMPTS; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, REACH_RETRY_MS));
        const entry = await online.get(characterId);
        const zone = target.zone ?? entry?.zone ?? stored.zone;
        assertTarget(zone, target.x, target.y);
        if (entry) {
          const { x, y } = target;
          const command = { type: "teleport" as const, characterId, zone, x, y };
          const result = await sendRoomCommand(entry.roomId, command);
          if (result) return { zone, online: true, result };
          if (zone === entry.zone && (await online.get(characterId))?.roomId === entry.roomId) {
            throw new GameError("VALIDATION_FAILED", "The character cannot be moved there now.");
          }
          continue;
        }
        if (await moveStored(characterId, zone, target.x, target.y)) {
          return { zone, online: false, result: "stored" as const };
        }
      }
      throw new GameError("UNAVAILABLE", "The character is changing rooms; try again.");
    },

    /** Gold and items entering the character's holdings, booked against `source:admin`. */
    async grant(g: { characterId: string; gold?: number; items?: ItemStack[] }) {
      await characterOf(g.characterId);
      const entry = await online.get(g.characterId);
      const granted = await deps.economy.grant({
        kind: LedgerKind.ADMIN_GRANT,
        source: ADMIN_SOURCE,
        ...g,
      });
      if (!granted.ok) throw economyError(granted.code);
      if (entry) {
        for (const { itemId, qty } of g.items ?? []) {
          const looted = { type: "looted", characterId: g.characterId, itemId, quantity: qty };
          await deps.notify(g.characterId, looted);
        }
      }
      return { online: entry !== undefined, gold: granted.holdings[g.characterId]?.gold };
    },

    /**
     * Gold and items leaving the character's holdings (items by id, from any slots), booked to
     * `sink:admin`; refused whole (NOT_ENOUGH_GOLD, NOT_ENOUGH_ITEMS) when it holds less.
     */
    async remove(r: { characterId: string; gold?: number; items?: ItemStack[] }) {
      await characterOf(r.characterId);
      const entry = await online.get(r.characterId);
      const charged = await deps.economy.charge({
        kind: LedgerKind.ADMIN_REMOVE,
        sink: ADMIN_SOURCE,
        ...r,
      });
      if (!charged.ok) {
        if (charged.code === "NOT_ENOUGH_ITEMS") {
          throw new GameError("NOT_ENOUGH_ITEMS", "The character does not hold that many.");
        }
        throw economyError(charged.code);
      }
      return { online: entry !== undefined, gold: charged.holdings[r.characterId]?.gold };
    },
  };
}

export type OperatorActions = ReturnType<typeof createOperatorActions>;

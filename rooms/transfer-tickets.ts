import { randomBytes } from "node:crypto";
import type { Presence } from "@colyseus/core";

const TICKET_TTL_SEC = 30;
const ticketKey = (ticket: string) => `mmo:ticket:${ticket}`;

/**
 * One-time tickets a room issues when it hands a character over (portal, instance): the target
 * room admits the character once, even where it would not admit a direct join (instances).
 * Kept in presence so any process can redeem them.
 */
export class TransferTickets {
  private readonly presence: Presence;

  constructor(presence: Presence) {
    this.presence = presence;
  }

  /** A ticket into `zone`; for an instance, only into the instance of `group`. */
  async issue(characterId: string, zone: string, group?: string): Promise<string> {
    const ticket = randomBytes(18).toString("base64url");
    await this.presence.setex(
      ticketKey(ticket),
      ticketValue(characterId, zone, group),
      TICKET_TTL_SEC,
    );
    return ticket;
  }

  /**
   * True once for a ticket issued for this character, zone and instance group; it is consumed
   * either way.
   */
  async redeem(
    ticket: string,
    characterId: string,
    zone: string,
    group?: string,
  ): Promise<boolean> {
    if (!/^[A-Za-z0-9_-]{24}$/.test(ticket)) return false;
    const key = ticketKey(ticket);
    const value = await this.presence.get(key);
    if (value === null || value === undefined) return false;
    this.presence.del(key);
    return value === ticketValue(characterId, zone, group);
  }
}

/** Character ids and zone ids hold no "|", so the group, last, cannot blur the fields. */
function ticketValue(characterId: string, zone: string, group: string | undefined): string {
  return group === undefined ? `${characterId}|${zone}` : `${characterId}|${zone}|${group}`;
}

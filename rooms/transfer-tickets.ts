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

  async issue(characterId: string, zone: string): Promise<string> {
    const ticket = randomBytes(18).toString("base64url");
    await this.presence.setex(ticketKey(ticket), `${characterId}|${zone}`, TICKET_TTL_SEC);
    return ticket;
  }

  /** True once for a ticket issued for this character and zone; it is consumed either way. */
  async redeem(ticket: string, characterId: string, zone: string): Promise<boolean> {
    if (!/^[A-Za-z0-9_-]{24}$/.test(ticket)) return false;
    const key = ticketKey(ticket);
    const value = await this.presence.get(key);
    if (value === null || value === undefined) return false;
    this.presence.del(key);
    return value === `${characterId}|${zone}`;
  }
}

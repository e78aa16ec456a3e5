import { CloseCode, matchMaker, type Client } from "@colyseus/core";
import { z } from "zod";
import { ZoneKind, type ZoneContent } from "../src/game/world/zone-content.ts";
import type { PlayerRecord } from "../src/session/player-record.ts";
import { ArenaMatch } from "./arena-match.ts";
import { refusal } from "./room-refusals.ts";
import { roomServices } from "./room-services.ts";
import { assertNotBanned } from "./zone-admission.ts";
import { ZoneRoom, type ZoneAuth, type ZoneJoinOptions } from "./ZoneRoom.ts";

/** The arena map every match is played on (content/zones/arena.json). */
export const ARENA_ZONE_ID = "arena";
/** Seconds a matched player has to take the seat (leave the zone room, then join). */
export const ARENA_SEAT_SEC = 30;
/** How long a joining player waits for the room it left to save it and let it go. */
const RELEASE_WAIT_MS = 10_000;
const RELEASE_POLL_MS = 50;

const AuthOptions = z.object({ characterId: z.uuid() });

/**
 * A rated arena match (see arena-match.ts): created by the arena matcher for one match plan,
 * admits that plan's participants only, runs the zone simulation with PvP teams, and never
 * saves anyone here: a player who logs out mid-match is saved where it came from.
 */
export class ArenaRoom extends ZoneRoom {
  private match!: ArenaMatch;
  private readonly characterOf = new Map<string, string>();

  protected override zoneIdFrom(): string {
    return ARENA_ZONE_ID;
  }

  protected override acceptsZone(zone: ZoneContent): boolean {
    return zone.kind === ZoneKind.Arena;
  }

  override async onCreate(options: { zone?: unknown; group?: unknown; matchId?: unknown }) {
    const arena = roomServices().arena;
    const plan =
      arena && typeof options.matchId === "string"
        ? await arena.queue.takePlan(options.matchId)
        : undefined;
    if (!arena || !plan) throw refusal("NOT_FOUND", "no such arena match");
    await super.onCreate({ zone: ARENA_ZONE_ID });
    this.maxClients = plan.teams.flat().length;
    this.seatReservationTimeout = ARENA_SEAT_SEC;
    void this.setMetadata({ zone: ARENA_ZONE_ID, kind: ZoneKind.Arena, matchId: plan.matchId });
    this.match = new ArenaMatch({
      plan,
      zone: this.zone,
      sim: this.sim,
      arena,
      log: this.log.child({ matchId: plan.matchId }),
      send: (characterId, type, payload) => this.sendTo(characterId, type, payload),
      later: (callback, ms) => void this.clock.setTimeout(callback, ms),
      every: (callback, ms) => void this.clock.setInterval(callback, ms),
    });
  }

  /**
   * The access token and the character's owner; unlike a zone, the character may still be
   * online: it is leaving its zone room for this one (onJoin waits for that room to let go).
   */
  static override async onAuth(token: string, options: ZoneJoinOptions): Promise<ZoneAuth> {
    const services = roomServices();
    let accountId: string;
    try {
      accountId = (await services.signer.verifyAccess(token ?? "")).accountId;
    } catch {
      throw refusal("INVALID_TOKEN", "invalid or expired access token");
    }
    await assertNotBanned(services, accountId);
    const parsed = AuthOptions.safeParse(options);
    if (!parsed.success) throw refusal("VALIDATION_FAILED", "characterId must be a uuid");
    const record = await services.progress.load(parsed.data.characterId);
    if (!record || record.character.accountId !== accountId) {
      throw refusal("CHARACTER_NOT_FOUND", "character not found");
    }
    return { accountId, characterId: parsed.data.characterId };
  }

  protected override admitsWithoutTicket(record: PlayerRecord): boolean {
    if (!this.match.isParticipant(record.character.id)) return false;
    this.match.rememberOrigin(record);
    return true;
  }

  protected override persisted(record: PlayerRecord): PlayerRecord {
    return this.match.persisted(record);
  }

  override async onJoin(client: Client, options: ZoneJoinOptions, auth: ZoneAuth) {
    if (!this.match.isParticipant(auth.characterId)) {
      throw refusal("FORBIDDEN", "not a participant of this match");
    }
    await this.waitUntilReleased(auth.characterId);
    await super.onJoin(client, options, auth);
    this.characterOf.set(client.sessionId, auth.characterId);
    this.match.arrived(auth.characterId);
  }

  override onDrop(client: Client, code?: number) {
    super.onDrop(client, code);
    const id = this.characterOf.get(client.sessionId);
    if (id) this.match.dropped(id);
  }

  override onReconnect(client: Client) {
    super.onReconnect(client);
    const id = this.characterOf.get(client.sessionId);
    if (id) this.match.reconnected(id);
  }

  override async onLeave(client: Client, code?: number) {
    const id = this.characterOf.get(client.sessionId);
    this.characterOf.delete(client.sessionId);
    // A server going down is nobody's fault: no one loses rating for it.
    const shuttingDown =
      code === CloseCode.SERVER_SHUTDOWN ||
      matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN;
    if (shuttingDown) this.match.abandon("server shutting down");
    else if (id) this.match.left(id);
    await super.onLeave(client);
  }

  override async onDispose() {
    if (matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN) {
      this.match?.abandon("server shutting down");
    }
    this.match?.disposed();
    await super.onDispose();
  }

  private sendTo(characterId: string, type: string, payload: unknown): void {
    for (const [sessionId, id] of this.characterOf) {
      if (id === characterId) this.clients.getById(sessionId)?.send(type, payload);
    }
  }

  /** The zone room the player left saves it, then releases its lock; wait for that. */
  private async waitUntilReleased(characterId: string): Promise<void> {
    const deadline = Date.now() + RELEASE_WAIT_MS;
    while ((await this.services.locks.holderOf(characterId)) !== null) {
      if (Date.now() > deadline) throw refusal("CHARACTER_ONLINE", "leave your zone first");
      await new Promise((resolve) => setTimeout(resolve, RELEASE_POLL_MS));
    }
  }
}

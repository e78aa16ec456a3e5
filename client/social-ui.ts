/**
 * The social side of a game session: the chat box, the party frame, mail, leaderboards and the
 * trade window, fed by the room's social messages and sending through the session.
 */
import type { Send } from "../clients/js/client-messages.ts";
import { ClientMessage, ServerMessage } from "../clients/js/message-names.ts";
import type { Api } from "./api.ts";
import { ChatBox } from "./chat.ts";
import { LeaderboardPanel } from "./leaderboards.ts";
import { MailPanel } from "./mail.ts";
import { PartyFrame } from "./party-frame.ts";
import { zoneLabel } from "./party-model.ts";
import type { GameSession } from "./session.ts";
import { SocialApi } from "./social-api.ts";
import type {
  ChatLine,
  GuildNotice,
  MailNotice,
  PartyInvite,
  PartyView,
  Refusal,
  SocialMessageType,
} from "./social-messages.ts";
import { TradeWindow } from "./trade-window.ts";

/** A guild change as a chat line; "" for changes not worth a line. */
export function guildChangeText(change: GuildNotice["change"]): string {
  const name = change.name ?? "Someone";
  switch (change.kind) {
    case "created":
      return "Your guild was founded.";
    case "invited":
      return `${name} was invited to the guild.`;
    case "declined":
      return `${name} declined the guild invitation.`;
    case "joined":
      return `${name} joined the guild.`;
    case "left":
      return `${name} left the guild.`;
    case "kicked":
      return `${name} was removed from the guild.`;
    case "rankChanged":
      return `${name} is now ${change.rank ?? "a member"}.`;
    case "leaderChanged":
      return `${change.toName ?? "Someone"} now leads the guild.`;
    case "disbanded":
      return "The guild was disbanded.";
    default:
      return "";
  }
}

export class SocialUi {
  readonly chat: ChatBox;
  readonly party: PartyFrame;
  readonly mail: MailPanel;
  readonly ranks: LeaderboardPanel;
  readonly trade: TradeWindow;
  private readonly social: SocialApi;
  private readonly api: Api;
  private session: GameSession | null = null;
  /** Zone names by id (`GET /v1/world/zones`), loaded once. */
  private readonly zoneNames = new Map<string, string>();

  constructor(api: Api, focusGame: () => void) {
    this.api = api;
    this.social = new SocialApi(api);
    const send: Send = (type, ...payload) => this.session?.sendSocial(type, ...payload);
    this.chat = new ChatBox({
      send: (message) => send(ClientMessage.chat, message),
      invite: (name) => send(ClientMessage.partyInvite, { name }),
      trade: (name) => this.trade.request(name),
      done: focusGame,
    });
    this.party = new PartyFrame({
      invite: (name) => send(ClientMessage.partyInvite, { name }),
      accept: (partyId) => send(ClientMessage.partyAccept, { partyId }),
      decline: (partyId) => send(ClientMessage.partyDecline, { partyId }),
      leave: () => send(ClientMessage.partyLeave),
      kick: (name) => send(ClientMessage.partyKick, { name }),
      promote: (name) => send(ClientMessage.partyPromote, { name }),
    });
    this.mail = new MailPanel(api, this.social, (text) => this.chat.system(text));
    this.ranks = new LeaderboardPanel(this.social);
    this.trade = new TradeWindow(api, send, (text, kind) => this.chat.system(text, kind));
  }

  /** A session begins: fresh panels, the unread mail count and the guild's recent chat. */
  start(session: GameSession): void {
    this.session = session;
    const { id, name } = session.character;
    this.chat.reset(id);
    this.party.reset(name, (zone) => this.zoneNames.get(zone) ?? zoneLabel(zone));
    this.mail.reset(id);
    this.ranks.reset(id);
    this.trade.reset(id, name);
    void this.loadGuildChat(session);
    if (this.zoneNames.size === 0) void this.loadZoneNames();
  }

  stop(): void {
    this.session = null;
    this.mail.hide();
    this.ranks.hide();
    this.trade.hide();
  }

  /** What the player menu (right-click on a player) does. */
  playerActions() {
    return {
      whisper: (name: string) => this.chat.whisperTo(name),
      invite: (name: string) => this.session?.sendSocial(ClientMessage.partyInvite, { name }),
      trade: (name: string) => this.trade.request(name),
    };
  }

  /** Closes the panels Escape closes. */
  closePanels(): void {
    this.mail.hide();
    this.ranks.hide();
  }

  receive(type: SocialMessageType, message: unknown): void {
    switch (type) {
      case ServerMessage.chat:
        return this.chat.add(message as ChatLine);
      case ServerMessage.chatError:
        return this.chat.showError(message as Refusal);
      case ServerMessage.party:
        return this.party.show(message as PartyView | null);
      case ServerMessage.partyInvited:
        return this.party.invited(message as PartyInvite);
      case ServerMessage.partyError:
        return this.party.showError(message as Refusal);
      case ServerMessage.guild: {
        const text = guildChangeText((message as GuildNotice).change ?? { kind: "" });
        if (text) this.chat.system(text);
        return;
      }
      case ServerMessage.mail:
        return this.mail.notice(message as MailNotice);
      default:
        return this.trade.receive(type, message);
    }
  }

  private async loadZoneNames(): Promise<void> {
    try {
      for (const zone of await this.api.listZones()) this.zoneNames.set(zone.id, zone.name);
      this.party.show(this.party.party);
    } catch {
      // Rows fall back to the zone id as a label.
    }
  }

  private async loadGuildChat(session: GameSession): Promise<void> {
    const id = session.character.id;
    try {
      const guildId = await this.social.guildOf(id);
      if (!guildId) return;
      const lines = await this.social.guildChat(guildId, id);
      if (this.session === session) this.chat.history(lines);
    } catch (error) {
      if (this.session === session) {
        this.chat.system(`Guild chat unavailable: ${(error as Error).message}`, "error");
      }
    }
  }
}

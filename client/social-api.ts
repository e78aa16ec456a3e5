/** REST routes behind the social panels: guild chat history, mail, leaderboards. */
import type { Api } from "./api.ts";

export type ItemStack = { itemId: string; qty: number };

export type MailSummary = {
  id: string;
  from: string;
  subject: string;
  kind: "player" | "return" | "system";
  /** Attachments still to claim. */
  gold: number;
  items: ItemStack[];
  createdAt: string;
  read: boolean;
  claimedAt: string | null;
  returnAt: string | null;
};
export type MailView = MailSummary & { body: string };
export type MailClaimed = {
  mailId: string;
  gold: number;
  items: ItemStack[];
  characterGold: number;
};
export type SendMail = {
  to: string;
  subject: string;
  body: string;
  gold: number;
  items: { slot: number; qty: number }[];
};

export const BOARDS = ["level", "arena", "guild"] as const;
export type Board = (typeof BOARDS)[number];
export type BoardEntry = {
  rank: number;
  /** Character id (level, arena) or guild id (guild). */
  id: string;
  name: string;
  score: number;
  level?: number;
  xp?: number;
};
export type BoardPage = { board: Board; entries: BoardEntry[]; total: number };
export type BoardAround = { board: Board; rank: number; id: string; entries: BoardEntry[] };

export type GuildChatLine = {
  id: string;
  fromId: string;
  fromName: string;
  text: string;
  at: string;
};

const character = (id: string) => `/v1/characters/${encodeURIComponent(id)}`;

export class SocialApi {
  private readonly api: Api;

  constructor(api: Api) {
    this.api = api;
  }

  /** The character's guild id, or null when it is in none (the route answers 404). */
  async guildOf(characterId: string): Promise<string | null> {
    try {
      const guild = await this.api.request<{ guildId: string }>(
        "GET",
        `${character(characterId)}/guild`,
      );
      return guild.guildId;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }

  async guildChat(guildId: string, characterId: string): Promise<GuildChatLine[]> {
    const path = `/v1/guilds/${encodeURIComponent(guildId)}/chat?characterId=${encodeURIComponent(characterId)}`;
    return (await this.api.request<{ messages: GuildChatLine[] }>("GET", path)).messages;
  }

  async inbox(characterId: string, limit = 50): Promise<MailSummary[]> {
    const path = `${character(characterId)}/mail?limit=${limit}`;
    return (await this.api.request<{ mail: MailSummary[] }>("GET", path)).mail;
  }

  readMail(characterId: string, mailId: string): Promise<MailView> {
    return this.api.request("GET", `${character(characterId)}/mail/${encodeURIComponent(mailId)}`);
  }

  claimMail(characterId: string, mailId: string): Promise<MailClaimed> {
    const path = `${character(characterId)}/mail/${encodeURIComponent(mailId)}/claim`;
    return this.api.request("POST", path);
  }

  deleteMail(characterId: string, mailId: string): Promise<void> {
    return this.api.request(
      "DELETE",
      `${character(characterId)}/mail/${encodeURIComponent(mailId)}`,
    );
  }

  sendMail(characterId: string, mail: SendMail): Promise<{ mailId: string }> {
    return this.api.request("POST", `${character(characterId)}/mail`, mail);
  }

  board(board: Board, limit = 20): Promise<BoardPage> {
    return this.api.publicRequest("GET", `/v1/leaderboards/${board}?limit=${limit}`);
  }

  /** The board around the character (its guild on the guild board); null when it is unranked. */
  async around(board: Board, characterId: string): Promise<BoardAround | null> {
    try {
      const path = `/v1/leaderboards/${board}/around/${encodeURIComponent(characterId)}`;
      return await this.api.publicRequest<BoardAround>("GET", path);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }
}

/** Stable error codes, each with its HTTP status and a message safe to show a client. */
export const ErrorCode = {
  VALIDATION_FAILED: { status: 400, message: "The request is invalid." },
  INVALID_JSON: { status: 400, message: "The request body is not valid JSON." },
  UNAUTHORIZED: { status: 401, message: "Authentication is required." },
  INVALID_CREDENTIALS: { status: 401, message: "Email or password is incorrect." },
  INVALID_TOKEN: { status: 401, message: "The token is invalid or expired." },
  // Issue 14: a validly signed token of a deleted account, and a wrong password on deletion.
  ACCOUNT_DELETED: { status: 401, message: "This account no longer exists." },
  WRONG_PASSWORD: { status: 403, message: "The password is incorrect." },
  FORBIDDEN: { status: 403, message: "You may not do this." },
  NOT_FOUND: { status: 404, message: "Not found." },
  CHARACTER_NOT_FOUND: { status: 404, message: "Character not found." },
  EMAIL_TAKEN: { status: 409, message: "An account with this email already exists." },
  NAME_TAKEN: { status: 409, message: "This character name is taken." },
  CHARACTER_LIMIT: { status: 409, message: "This account has reached its character limit." },
  CHARACTER_ONLINE: { status: 409, message: "The character is online." },
  ITEM_NOT_FOUND: { status: 404, message: "There is no item there." },
  ITEM_NOT_EQUIPPABLE: { status: 409, message: "This item cannot be equipped." },
  WRONG_SLOT: { status: 409, message: "This item does not fit that equipment slot." },
  LEVEL_TOO_LOW: { status: 409, message: "The character's level is too low for this item." },
  WRONG_JOB: { status: 409, message: "The character's job cannot use this item." },
  INVENTORY_FULL: { status: 409, message: "The inventory is full." },
  SAVE_CONFLICT: { status: 409, message: "The character was changed elsewhere; reload it." },
  // Social: friends, blocks, guilds (src/social).
  BLOCKED: { status: 403, message: "This player does not accept that from you." },
  ALREADY_FRIENDS: { status: 409, message: "That character is already on the friend list." },
  FRIEND_NOT_FOUND: { status: 404, message: "That character is not on the friend list." },
  FRIEND_LIST_FULL: { status: 409, message: "The friend list is full." },
  ALREADY_BLOCKED: { status: 409, message: "That character is already blocked." },
  BLOCK_NOT_FOUND: { status: 404, message: "That character is not blocked." },
  BLOCK_LIST_FULL: { status: 409, message: "The block list is full." },
  GUILD_NOT_FOUND: { status: 404, message: "Guild not found." },
  GUILD_NAME_TAKEN: { status: 409, message: "This guild name is taken." },
  GUILD_TAG_TAKEN: { status: 409, message: "This guild tag is taken." },
  ALREADY_IN_GUILD: { status: 409, message: "The character is already in a guild." },
  NOT_IN_GUILD: { status: 403, message: "The character is not in this guild." },
  NOT_GUILD_OFFICER: { status: 403, message: "Only the guild leader and officers may do this." },
  NOT_GUILD_LEADER: { status: 403, message: "Only the guild leader may do this." },
  GUILD_RANK_TOO_LOW: { status: 403, message: "Officers may only act on members." },
  GUILD_MEMBER_NOT_FOUND: { status: 404, message: "That character is not in this guild." },
  GUILD_RANK_UNCHANGED: { status: 409, message: "The member already has that rank." },
  GUILD_LEADER_MUST_TRANSFER: {
    status: 409,
    message: "The leader must transfer leadership or disband the guild first.",
  },
  GUILD_FULL: { status: 409, message: "The guild is full." },
  GUILD_ALREADY_INVITED: { status: 409, message: "That character already has an invitation." },
  GUILD_INVITE_NOT_FOUND: { status: 404, message: "There is no open invitation to this guild." },
  NOT_ENOUGH_GOLD: { status: 409, message: "The character does not have enough gold." },
  // Economy: mail, trade (src/economy).
  NOT_ENOUGH_ITEMS: { status: 409, message: "There are not that many items in that slot." },
  ITEM_BOUND: { status: 409, message: "This item is bound to its owner." },
  QUEST_ITEM: { status: 409, message: "Quest items cannot change hands." },
  ITEM_CHANGED: { status: 409, message: "That slot no longer holds the offered item." },
  RECIPIENT_NOT_FOUND: { status: 404, message: "No character has that name." },
  MAIL_NOT_FOUND: { status: 404, message: "Mail not found." },
  MAIL_ALREADY_CLAIMED: { status: 409, message: "The attachments were already taken." },
  MAIL_HAS_ATTACHMENTS: { status: 409, message: "Claim the attachments before deleting." },
  CHARACTERS_APART: { status: 409, message: "The characters are in different places." },
  // Trade between players in one room (src/economy/trade).
  TRADE_TARGET_NOT_FOUND: { status: 404, message: "That player is not here." },
  TRADE_SELF: { status: 409, message: "You cannot trade with yourself." },
  TRADE_OUT_OF_RANGE: { status: 409, message: "The other player is too far away to trade." },
  TRADE_BUSY: { status: 409, message: "One of you is already trading." },
  TRADE_NOT_FOUND: { status: 404, message: "There is no such trade or trade request." },
  TRADE_NOT_LOCKED: { status: 409, message: "Both offers must be locked before confirming." },
  TRADE_ALREADY_CONFIRMED: { status: 409, message: "You already confirmed this trade." },
  TRADE_COMMITTING: { status: 409, message: "The trade is being completed." },
  TRADE_TOO_MANY_ITEMS: { status: 409, message: "Too many items in one offer." },
  TRADE_FAILED: { status: 503, message: "The trade could not be completed; try again." },
  // Arena (src/arena).
  ARENA_BUSY: { status: 409, message: "The character is already queued or in an arena match." },
  ARENA_NOT_QUEUED: { status: 409, message: "The character is not waiting in the arena queue." },
  ARENA_PARTY_REQUIRED: { status: 409, message: "2v2 needs a party of exactly two." },
  ARENA_NOT_LEADER: { status: 409, message: "Only the party leader queues the party." },
  // World events (src/world-events).
  EVENT_NOT_FOUND: { status: 404, message: "There is no such world event." },
  EVENT_RUNNING: { status: 409, message: "That world event is already running." },
  EVENT_ZONE_EMPTY: { status: 409, message: "No room of the event's zone is open." },
  // Operator tools (src/admin): refusals at login and room join.
  ACCOUNT_BANNED: { status: 403, message: "This account is banned." },
  PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is too large." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "The request body must be JSON." },
  RATE_LIMITED: { status: 429, message: "Too many requests; retry later." },
  INTERNAL: { status: 500, message: "Internal server error." },
  UNAVAILABLE: { status: 503, message: "The service is unavailable." },
  // Zone rooms: join refusals (ServerError) and in-room `error` messages.
  UNKNOWN_ZONE: { status: 404, message: "There is no such zone." },
  CHARACTER_ELSEWHERE: { status: 409, message: "The character is in another zone." },
  ZONE_FULL: { status: 409, message: "The zone is full." },
  INVALID_MESSAGE: { status: 400, message: "The message is invalid." },
  // Zone channels (rooms/channel-feature.ts): refused `switchChannel` requests.
  UNKNOWN_CHANNEL: { status: 404, message: "There is no such channel in this zone." },
  SAME_CHANNEL: { status: 409, message: "You are already in this channel." },
  CHANNEL_FULL: { status: 409, message: "The channel is full." },
  IN_COMBAT: { status: 409, message: "You cannot do this while in combat." },
} as const;
export type ErrorCode = keyof typeof ErrorCode;

export type ErrorDetail = { path: string; message: string };

export type GameErrorOptions = { cause?: unknown; details?: ErrorDetail[]; retryAfterSec?: number };

export class GameError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly options: GameErrorOptions;

  constructor(
    code: ErrorCode,
    message: string = ErrorCode[code].message,
    options: GameErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "GameError";
    this.code = code;
    this.options = options;
    this.status = ErrorCode[code].status;
  }

  get details(): ErrorDetail[] | undefined {
    return this.options.details;
  }
}

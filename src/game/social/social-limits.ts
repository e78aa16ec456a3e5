/** Longest friend list a character may keep. */
export const FRIEND_LIST_MAX = 200;
/** Longest block list a character may keep. */
export const BLOCK_LIST_MAX = 200;
/** How long a process may answer "who does X block" from memory after a change elsewhere. */
export const BLOCK_CACHE_TTL_MS = 5_000;

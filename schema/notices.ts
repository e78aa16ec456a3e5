/**
 * Area notices: the short events everyone near a spot is told about (a hit, a death, a cast).
 * A client gets all of one tick's area notices in a single `notices` message, an array of
 * notices in the order they happened, each a positional array `[code, ...fields]`
 * (clients/js/notice-layout.ts). Messages meant for one
 * player alone (`looted`, `xpGained`, `npc`, …) keep their own message types and leave as they
 * happen, so they arrive before the `notices` of the same tick (an `xpGained` before the `died`).
 *
 * The names and the routing live in the client kit (clients/js), the one place message names are
 * spelled; the server side reads them from there through this module.
 */
export {
  AREA_NOTICE_TYPES,
  isAreaNotice,
  NOTICES_MESSAGE,
  type AreaNoticeType,
} from "../clients/js/message-names.ts";
export { routeNotices } from "../clients/js/notice-routing.ts";
export { NOTICE_FIELDS, packNotice, unpackNotice } from "../clients/js/notice-layout.ts";

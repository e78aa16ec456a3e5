import type { DomainEventName, DomainEvents } from "./event-bus.ts";

/** Subjects are `<prefix>.<event name>`; the prefix is `mmo` outside tests. */
export const SUBJECT_PREFIX = "mmo";

type FieldLists = { readonly [K in DomainEventName]: readonly (keyof DomainEvents[K] & string)[] };

/** Every domain event and its payload fields, at run time (docs/events.md is checked against it). */
export const EVENT_FIELDS = {
  "account.registered": ["accountId"],
  "account.deleted": ["accountId", "characterIds"],
  "character.created": ["accountId", "characterId", "name", "race", "job"],
  "character.deleted": ["accountId", "characterId"],
  "character.leveled": ["characterId", "level", "previousLevel"],
  "item.looted": ["characterId", "itemId", "quantity", "zone"],
  "quest.completed": ["characterId", "questId"],
  "player.zone_changed": ["characterId", "fromZone", "toZone"],
  "player.joined": ["characterId", "zone", "roomId"],
  "player.left": ["characterId", "zone", "roomId"],
} as const satisfies FieldLists;

// Fails to compile when a payload field is missing from EVENT_FIELDS.
type Unlisted = {
  [K in DomainEventName]: Exclude<keyof DomainEvents[K], (typeof EVENT_FIELDS)[K][number]>;
}[DomainEventName];
const everyFieldListed: [Unlisted] extends [never] ? true : never = true;
void everyFieldListed;

export const EVENT_NAMES = Object.keys(EVENT_FIELDS) as DomainEventName[];

/** The NATS subject of an event, e.g. `mmo.character.created`. */
export function subjectFor(name: DomainEventName, prefix: string = SUBJECT_PREFIX): string {
  return `${prefix}.${name}`;
}

import { ErrorCode, GameError } from "../errors.ts";
import { EconomyRefusal } from "../game/economy/character-change.ts";
import { RoutingRefusal } from "./character-mutation.ts";
import { OpRefusal } from "./mutation-commit.ts";

const BY_CODE: Readonly<Record<string, ErrorCode>> = {
  [EconomyRefusal.UNKNOWN_ITEM]: "VALIDATION_FAILED",
  [EconomyRefusal.INVALID_QUANTITY]: "VALIDATION_FAILED",
  [EconomyRefusal.DUPLICATE_SLOT]: "VALIDATION_FAILED",
  [RoutingRefusal.UNAVAILABLE]: "UNAVAILABLE",
  [OpRefusal.BUSY]: "UNAVAILABLE",
  [OpRefusal.ABSENT]: "UNAVAILABLE",
  [OpRefusal.BAD_OP]: "INTERNAL",
};

/**
 * The HTTP error for an economy refusal: EconomyRefusal, OpRefusal and RoutingRefusal codes, or
 * an ErrorCode a work refused with (MAIL_ALREADY_CLAIMED). Most refusal codes are ErrorCodes.
 */
export function economyError(code: string): GameError {
  const mapped = BY_CODE[code] ?? code;
  return new GameError(mapped in ErrorCode ? (mapped as ErrorCode) : "INTERNAL");
}

/** OpenAPI paths of /v1/account (merged by src/http/openapi.ts). */
import {
  bearer,
  errorResponse,
  jsonBody,
  unauthorizedResponse,
  type Json,
} from "../http/openapi-parts.ts";
import { DeleteAccountBody } from "./account.routes.ts";

export function accountOpenApi(): { paths: Json } {
  return {
    paths: {
      "/v1/account": {
        delete: {
          summary: "Delete the account, its characters and its sessions",
          description:
            "Asks for the password again. Removes the account and its characters (what they " +
            "held leaves the economy through the ledger; a guild they led passes to its " +
            "longest-serving officer, else member), revokes every refresh token, makes every " +
            "access token of the account answer 401 ACCOUNT_DELETED, and disconnects its " +
            "characters that are online, on any process.",
          security: bearer,
          requestBody: jsonBody(DeleteAccountBody),
          responses: {
            "204": { description: "Deleted" },
            "400": errorResponse("Invalid body or JSON"),
            "401": unauthorizedResponse,
            "403": errorResponse("Wrong password (WRONG_PASSWORD)"),
            "429": errorResponse("Too many attempts (see Retry-After)"),
          },
        },
      },
    },
  };
}

import { Router, type Request } from "express";
import { z } from "zod";
import type { TokenSigner } from "../../accounts/tokens.ts";
import { GameError } from "../../errors.ts";
import { CharacterId } from "../../http/api-schemas.ts";
import { accountOf, requireAuth } from "../../http/require-auth.ts";
import { validate } from "../../http/validate.ts";
import {
  ActorAndNameBody,
  ActorBody,
  ActorQuery,
  CreateGuildBody,
  GuildSearchQuery,
} from "../social-schemas.ts";
import type { GuildsService } from "./guilds.service.ts";

const GuildId = z.uuid();

/** A malformed id names no guild. */
function guildIdOf(req: Request): string {
  const parsed = GuildId.safeParse(req.params.id);
  if (!parsed.success) throw new GameError("GUILD_NOT_FOUND");
  return parsed.data;
}

function characterIdOf(req: Request): string {
  const parsed = CharacterId.safeParse(req.params.id);
  if (!parsed.success) throw new GameError("CHARACTER_NOT_FOUND");
  return parsed.data;
}

/** The acting character of a DELETE: the JSON body's `characterId`, else `?characterId=`. */
function actorOfDelete(req: Request): string {
  const body: unknown = req.body;
  if (body && typeof body === "object" && Object.keys(body).length > 0) {
    return validate(ActorBody, body).characterId;
  }
  return validate(ActorQuery, req.query).characterId;
}

/**
 * /v1/guilds: found (for gold), read, search, invite/accept/decline, leave, kick, promote,
 * demote, transfer, disband, chat history. Every change names the acting character, which must
 * be the caller's (CHARACTER_NOT_FOUND otherwise).
 */
export function guildRoutes(guilds: GuildsService, signer: TokenSigner): Router {
  const router = Router();
  router.use(requireAuth(signer));

  router.post("/", async (req, res) => {
    const body = validate(CreateGuildBody, req.body);
    res.status(201).json(await guilds.create(accountOf(req), body));
  });

  router.get("/", async (req, res) => {
    const { name } = validate(GuildSearchQuery, req.query);
    res.json({ guilds: await guilds.search(name ?? "") });
  });

  router.get("/:id", async (req, res) => {
    res.json(await guilds.get(guildIdOf(req)));
  });

  router.delete("/:id", async (req, res) => {
    const id = guildIdOf(req);
    await guilds.disband(accountOf(req), id, actorOfDelete(req));
    res.status(204).end();
  });

  router.get("/:id/chat", async (req, res) => {
    const id = guildIdOf(req);
    const { characterId } = validate(ActorQuery, req.query);
    res.json({ messages: await guilds.chatHistory(accountOf(req), id, characterId) });
  });

  router.post("/:id/invites", async (req, res) => {
    const id = guildIdOf(req);
    const { characterId, name } = validate(ActorAndNameBody, req.body);
    res.status(201).json(await guilds.invite(accountOf(req), id, characterId, name));
  });

  router.post("/:id/accept", async (req, res) => {
    const id = guildIdOf(req);
    const { characterId } = validate(ActorBody, req.body);
    res.json(await guilds.accept(accountOf(req), id, characterId));
  });

  router.post("/:id/decline", async (req, res) => {
    const id = guildIdOf(req);
    const { characterId } = validate(ActorBody, req.body);
    await guilds.decline(accountOf(req), id, characterId);
    res.status(204).end();
  });

  router.post("/:id/leave", async (req, res) => {
    const id = guildIdOf(req);
    const { characterId } = validate(ActorBody, req.body);
    await guilds.leave(accountOf(req), id, characterId);
    res.status(204).end();
  });

  for (const action of ["kick", "promote", "demote", "transfer"] as const) {
    router.post(`/:id/${action}`, async (req, res) => {
      const id = guildIdOf(req);
      const { characterId, name } = validate(ActorAndNameBody, req.body);
      res.json(await guilds[action](accountOf(req), id, characterId, name));
    });
  }

  return router;
}

/** Under /v1/characters/:id: `GET /guild` (the character's guild) and `GET /guild-invites`. */
export function characterGuildRoutes(guilds: GuildsService, signer: TokenSigner): Router {
  const router = Router();
  const auth = requireAuth(signer);

  router.get("/:id/guild", auth, async (req, res) => {
    res.json(await guilds.mine(accountOf(req), characterIdOf(req)));
  });

  router.get("/:id/guild-invites", auth, async (req, res) => {
    res.json({ invites: await guilds.invitesOf(accountOf(req), characterIdOf(req)) });
  });

  return router;
}

/**
 * The operator actions over HTTP, under /admin/api (behind admin auth and the audit log): kick,
 * mute, ban, teleport, and gold or items given or taken. Each route names its action and target
 * for the audit log before it validates, so refused requests are audited too.
 */
import { Router, type Response } from "express";
import { z } from "zod";
import { GameError } from "../errors.ts";
import { validate } from "../http/validate.ts";
import { auditAs, auditDetails } from "./audit-log.ts";
import type { OperatorActions } from "./operator-actions.ts";

/** Longest mute or timed ban: one year, in seconds. */
export const MAX_SANCTION_SEC = 365 * 24 * 3600;

const Id = z.uuid();
const Reason = z.string().trim().min(1).max(200);
const OptionalReason = { reason: Reason.optional() };
const DurationSec = z.number().int().min(1).max(MAX_SANCTION_SEC);
const Quantity = z.number().int().min(1).max(9999);
const Gold = z.number().int().min(1).max(1_000_000_000);

export const OperatorBodies = {
  kick: z.strictObject({ reason: Reason.default("kicked by an operator") }),
  mute: z.strictObject({ durationSec: DurationSec, reason: Reason }),
  ban: z.strictObject({ reason: Reason, durationSec: DurationSec.optional() }),
  lift: z.strictObject(OptionalReason),
  teleport: z.strictObject({
    zone: z.string().min(1).max(64).optional(),
    x: z.number().finite(),
    y: z.number().finite(),
    ...OptionalReason,
  }),
  items: z.strictObject({
    itemId: z.string().min(1).max(64),
    quantity: Quantity.default(1),
    ...OptionalReason,
  }),
  gold: z.strictObject({ amount: Gold, ...OptionalReason }),
} as const;

function idOf(raw: unknown, notFound: () => GameError): string {
  const parsed = Id.safeParse(raw);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

const characterIdOf = (raw: unknown) => idOf(raw, () => new GameError("CHARACTER_NOT_FOUND"));
const accountIdOf = (raw: unknown) =>
  idOf(raw, () => new GameError("NOT_FOUND", "There is no such account."));

/** Names the action and its character target, then returns the validated character id. */
function onCharacter(res: Response, action: string, raw: unknown): string {
  auditAs(res, action, { type: "character", id: String(raw) });
  return characterIdOf(raw);
}

function onAccount(res: Response, action: string, raw: unknown): string {
  auditAs(res, action, { type: "account", id: String(raw) });
  return accountIdOf(raw);
}

export function operatorRoutes(actions: OperatorActions): Router {
  const router = Router();
  const adminOf = (res: Response) => res.locals.adminUser ?? "unknown";

  router.post("/players/:id/kick", async (req, res) => {
    const characterId = onCharacter(res, "player.kick", req.params.id);
    const { reason } = validate(OperatorBodies.kick, req.body ?? {});
    await actions.kick(characterId, reason);
    res.json({ kicked: characterId });
  });

  router.post("/players/:id/mute", async (req, res) => {
    const characterId = onCharacter(res, "player.mute", req.params.id);
    const body = validate(OperatorBodies.mute, req.body);
    const muted = await actions.mute({ characterId, ...body, by: adminOf(res) });
    auditDetails(res, { accountId: muted.accountId, until: muted.mute.expiresAt });
    res.json({ characterId, accountId: muted.accountId, mute: muted.mute, told: muted.told });
  });

  router.delete("/players/:id/mute", async (req, res) => {
    const characterId = onCharacter(res, "player.unmute", req.params.id);
    validate(OperatorBodies.lift, req.body ?? {});
    const lifted = await actions.unmute({ characterId, by: adminOf(res) });
    auditDetails(res, { accountId: lifted.accountId, lifted: lifted.lifted });
    res.json({ characterId, ...lifted });
  });

  type BanBody = z.output<typeof OperatorBodies.ban>;
  const ban = async (res: Response, accountId: string, { reason, durationSec }: BanBody) => {
    const banned = await actions.ban({ accountId, reason, durationSec, by: adminOf(res) });
    auditDetails(res, { accountId, until: banned.ban.expiresAt, kicked: banned.kicked });
    res.json({ accountId, ...banned });
  };

  router.post("/accounts/:id/ban", async (req, res) => {
    const accountId = onAccount(res, "account.ban", req.params.id);
    await ban(res, accountId, validate(OperatorBodies.ban, req.body));
  });

  /** Bans the account of a character (what an operator sees in the players list or chat). */
  router.post("/players/:id/ban", async (req, res) => {
    const characterId = onCharacter(res, "account.ban", req.params.id);
    const body = validate(OperatorBodies.ban, req.body);
    const accountId = await actions.accountOf(characterId);
    // Audited as the account's, like a ban given by account id.
    auditAs(res, "account.ban", { type: "account", id: accountId });
    auditDetails(res, { characterId });
    await ban(res, accountId, body);
  });

  router.get("/accounts/:id/sanctions", async (req, res) => {
    const accountId = accountIdOf(req.params.id);
    res.setHeader("Cache-Control", "no-store");
    res.json({ accountId, sanctions: await actions.sanctionsOf(accountId) });
  });

  router.delete("/accounts/:id/ban", async (req, res) => {
    const accountId = onAccount(res, "account.unban", req.params.id);
    validate(OperatorBodies.lift, req.body ?? {});
    const { lifted } = await actions.unban({ accountId, by: adminOf(res) });
    auditDetails(res, { lifted });
    res.json({ accountId, lifted });
  });

  router.post("/players/:id/teleport", async (req, res) => {
    const characterId = onCharacter(res, "player.teleport", req.params.id);
    const { zone, x, y } = validate(OperatorBodies.teleport, req.body);
    const moved = await actions.teleport(characterId, { zone, x, y });
    auditDetails(res, { zone: moved.zone, x, y, result: moved.result });
    res.json({ characterId, x, y, ...moved });
  });

  router.post("/players/:id/items", async (req, res) => {
    const characterId = onCharacter(res, "player.items.grant", req.params.id);
    const { itemId, quantity } = validate(OperatorBodies.items, req.body);
    const given = await actions.grant({ characterId, items: [{ itemId, qty: quantity }] });
    res.json({ characterId, itemId, quantity, online: given.online });
  });

  router.post("/players/:id/items/remove", async (req, res) => {
    const characterId = onCharacter(res, "player.items.remove", req.params.id);
    const { itemId, quantity } = validate(OperatorBodies.items, req.body);
    const taken = await actions.remove({ characterId, items: [{ itemId, qty: quantity }] });
    res.json({ characterId, itemId, quantity, online: taken.online });
  });

  router.post("/players/:id/gold", async (req, res) => {
    const characterId = onCharacter(res, "player.gold.grant", req.params.id);
    const { amount } = validate(OperatorBodies.gold, req.body);
    const given = await actions.grant({ characterId, gold: amount });
    auditDetails(res, { gold: given.gold });
    res.json({ characterId, amount, ...given });
  });

  router.post("/players/:id/gold/remove", async (req, res) => {
    const characterId = onCharacter(res, "player.gold.remove", req.params.id);
    const { amount } = validate(OperatorBodies.gold, req.body);
    const taken = await actions.remove({ characterId, gold: amount });
    auditDetails(res, { gold: taken.gold });
    res.json({ characterId, amount, ...taken });
  });

  return router;
}

/**
 * The audit log of admin actions, in `admin_audit`: every request that changes something (any
 * method but GET/HEAD/OPTIONS) and passed admin auth is written once it has been answered, with
 * who, what, on which target, why, and how it ended (status and `ok` or the error code). Routes
 * name their action and target with `auditAs`; other requests (the monitor's room calls) are
 * recorded by method and path.
 */
import type { NextFunction, Request, Response } from "express";
import { z } from "zod";
import type { PrismaClient } from "../db/database.ts";
import { GameError } from "../errors.ts";
import type { Logger } from "../logger.ts";

export type AuditTarget = { type: string; id: string };

/** What a route tells the audit log about the action it runs. */
export type AuditMark = {
  action: string;
  target?: AuditTarget;
  /** Outcome details worth keeping (e.g. a sanction's end, a teleport's destination). */
  details?: Record<string, unknown>;
};

declare module "express-serve-static-core" {
  interface Locals {
    audit?: AuditMark;
    /** The error code the request ended with, kept for the audit log. */
    auditErrorCode?: string;
  }
}

export type AuditEntry = {
  /** Increasing; the cursor of the next page. */
  id: string;
  /** ISO time. */
  at: string;
  admin: string;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  details: unknown;
  status: number;
  /** `ok`, or the error code answered. */
  result: string;
};

export type AuditQuery = { limit: number; cursor?: string; targetId?: string; action?: string };

/** GET /admin/api/audit's query: a page size, the previous page's `nextCursor`, filters. */
export const AuditQueryParams = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,18}$/)
    .optional(),
  /** Entries about this character or account id. */
  target: z.string().min(1).max(100).optional(),
  action: z.string().min(1).max(100).optional(),
});

/** Request bodies kept in an entry up to this size (JSON characters). */
const MAX_BODY_CHARS = 2_000;
const UNCHANGING = new Set(["GET", "HEAD", "OPTIONS"]);

export function createAuditLog(prisma: PrismaClient) {
  return {
    async record(entry: Omit<AuditEntry, "id" | "at">): Promise<void> {
      await prisma.adminAuditEntry.create({
        data: {
          admin: entry.admin,
          ip: entry.ip,
          action: entry.action,
          targetType: entry.targetType,
          targetId: entry.targetId,
          reason: entry.reason,
          details: (entry.details ?? {}) as object,
          status: entry.status,
          result: entry.result,
        },
        select: { id: true },
      });
    },

    /** Newest first; `cursor` is the last id of the previous page. */
    async list(query: AuditQuery): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
      const rows = await prisma.adminAuditEntry.findMany({
        where: {
          ...(query.cursor !== undefined && { id: { lt: BigInt(query.cursor) } }),
          ...(query.targetId !== undefined && { targetId: query.targetId }),
          ...(query.action !== undefined && { action: query.action }),
        },
        orderBy: { id: "desc" },
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const entries = page.map((r) => ({ ...r, id: r.id.toString(), at: r.at.toISOString() }));
      const nextCursor = rows.length > query.limit ? entries.at(-1)!.id : null;
      return { entries, nextCursor };
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;

/** Names the action a route runs and its target, for the audit log (call before validating). */
export function auditAs(res: Response, action: string, target?: AuditTarget): void {
  res.locals.audit = { action, ...(target && { target }) };
}

/** Adds outcome details to the request's audit entry. */
export function auditDetails(res: Response, details: Record<string, unknown>): void {
  const mark = res.locals.audit ?? { action: "" };
  res.locals.audit = { ...mark, details: { ...mark.details, ...details } };
}

function bodyOf(req: Request): unknown {
  if (req.body === undefined) return undefined;
  const text = JSON.stringify(req.body);
  return text.length <= MAX_BODY_CHARS ? req.body : { truncated: text.length };
}

/**
 * Writes the audit entry of a changing request once it is answered (mount after the admin
 * guard). A failed write is logged, never surfaced: the action already happened.
 */
export function persistAudit(auditLog: AuditLog, logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (UNCHANGING.has(req.method)) {
      next();
      return;
    }
    res.once("finish", () => {
      const mark = res.locals.audit;
      const body = bodyOf(req);
      const reason = (body as { reason?: unknown } | undefined)?.reason;
      const ok = res.statusCode < 400;
      void auditLog
        .record({
          admin: res.locals.adminUser ?? "unknown",
          ip: req.ip ?? null,
          action: mark?.action || `${req.method} ${req.originalUrl.split("?")[0]}`,
          targetType: mark?.target?.type ?? null,
          targetId: mark?.target?.id ?? null,
          reason: typeof reason === "string" ? reason : null,
          details: { ...(body !== undefined && { request: body }), ...mark?.details },
          status: res.statusCode,
          result: ok ? "ok" : (res.locals.auditErrorCode ?? String(res.statusCode)),
        })
        .catch((err: unknown) => (req.log ?? logger).error({ err }, "audit entry not written"));
    });
    next();
  };
}

/** Error middleware that notes the error code for the audit entry and passes the error on. */
export function noteAuditError(error: unknown, _req: Request, res: Response, next: NextFunction) {
  if (error instanceof GameError) res.locals.auditErrorCode = error.code;
  next(error);
}

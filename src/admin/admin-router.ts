import { matchMaker, type IRoomCache } from "@colyseus/core";
import { monitor } from "@colyseus/monitor";
import path from "node:path";
import { Router, type NextFunction, type Request, type Response } from "express";
import { GameError } from "../errors.ts";
import { PUBLIC_DIR } from "../http/public-routes.ts";
import type { Logger } from "../logger.ts";
import { renderMetrics, type Metrics } from "../metrics/metrics.ts";
import { validate } from "../http/validate.ts";
import { AuditQueryParams, noteAuditError, persistAudit, type AuditLog } from "./audit-log.ts";
import { requireAdmin, type AdminCredentials, type RequireAdminOptions } from "./require-admin.ts";

export type AdminRouterOptions = {
  config: AdminCredentials;
  metrics: Metrics;
  logger: Logger;
  /** Lists rooms on every process; `matchMaker.query({})` unless a test swaps it. */
  listRooms?: () => Promise<IRoomCache[]>;
  /** Operator actions mounted at /admin/api (behind the guard and the audit log). */
  api?: Router;
  /** Persists every changing admin request and serves GET /admin/api/audit. */
  auditLog?: AuditLog;
  /** Mount `@colyseus/monitor` at /admin/monitor (default true). */
  monitor?: boolean;
  auth?: RequireAdminOptions;
};

/** The operator page (public/admin): served only behind the guard, by path. */
const ADMIN_UI_DIR = path.join(PUBLIC_DIR, "admin");
const ADMIN_PAGES: ReadonlyMap<string, string> = new Map([
  ["/admin/players", "players.html"],
  ["/admin/players.js", "players.js"],
  ["/admin/players.css", "players.css"],
]);
/** What the operator page polls every few seconds. */
const POLLED = new Set(["/admin/api/players", "/admin/api/audit"]);

/** Reads repeated many times a minute (scrapes, monitor polling, assets): audited at debug. */
function isRoutineRead(req: Request): boolean {
  if (req.method !== "GET") return false;
  const path = req.originalUrl.split("?")[0]!;
  if (path === "/metrics" || POLLED.has(path) || ADMIN_PAGES.has(path)) return true;
  return path.startsWith("/admin/monitor") && !path.startsWith("/admin/monitor/api/room");
}

/** Logs every request that passed admin auth with the admin user: the audit trail. */
function audit(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const entry = {
      audit: true,
      admin: res.locals.adminUser,
      ip: req.ip,
      method: req.method,
      path: req.originalUrl.split("?")[0],
      ...(Object.keys(req.query).length > 0 ? { query: req.query } : {}),
    };
    const log = req.log ?? logger;
    if (isRoutineRead(req)) log.debug(entry, "admin action");
    else log.info(entry, "admin action");
    next();
  };
}

/** The room fields the admin API shows. */
function toRoomView(room: IRoomCache) {
  return {
    roomId: room.roomId,
    name: room.name,
    clients: room.clients,
    maxClients: room.maxClients,
    locked: room.locked ?? false,
    private: room.private ?? false,
    processId: room.processId,
    publicAddress: room.publicAddress,
    createdAt: room.createdAt,
    metadata: room.metadata,
  };
}

/**
 * The operator surface, all behind `requireAdmin` (404 when no admin credentials are configured):
 * `GET /metrics` (Prometheus text), `/admin/monitor` (Colyseus monitor), `GET /admin/api/rooms`,
 * the operator API and audit log when given, and the players page at `/admin/players`.
 * Mount it at the app root after the API routes and before the 404 handler.
 */
export function adminRouter(options: AdminRouterOptions): Router {
  const { metrics, logger } = options;
  const listRooms = options.listRooms ?? (() => matchMaker.query({}));
  const auditLog = options.auditLog;
  const guard = [
    requireAdmin(options.config, { logger, ...options.auth }),
    audit(logger),
    ...(auditLog ? [persistAudit(auditLog, logger)] : []),
  ];
  const router = Router();

  router.get("/metrics", ...guard, async (_req, res) => {
    const { contentType, body } = await renderMetrics(metrics);
    res.setHeader("Cache-Control", "no-store");
    res.type(contentType).send(body);
  });

  router.get("/admin/api/rooms", ...guard, async (_req, res) => {
    const rooms = await listRooms();
    res.setHeader("Cache-Control", "no-store");
    res.json({ rooms: rooms.map(toRoomView) });
  });

  if (auditLog) {
    router.get("/admin/api/audit", ...guard, async (req, res) => {
      const { limit, cursor, target, action } = validate(AuditQueryParams, req.query);
      res.setHeader("Cache-Control", "no-store");
      res.json(await auditLog.list({ limit, cursor, targetId: target, action }));
    });
  }

  if (options.api) router.use("/admin/api", ...guard, options.api);

  if (options.monitor ?? true) {
    // The monitor can call any room method: it never runs without the guard (DESIGN.md).
    router.use("/admin/monitor", ...guard, monitor());
  }
  // Every other GET under /admin needs the credentials too, so the public static files never
  // serve the operator page (it lives in public/admin) to anyone else.
  router.get("/admin/{*rest}", ...guard, (req, res, next) => {
    const file = ADMIN_PAGES.get(req.path);
    if (!file) {
      next(new GameError("NOT_FOUND"));
      return;
    }
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(file, { root: ADMIN_UI_DIR });
  });
  if (auditLog) router.use(noteAuditError);
  return router;
}

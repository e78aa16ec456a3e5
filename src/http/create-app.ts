import cors from "cors";
import express, { type Express } from "express";
import type { HelmetOptions } from "helmet";
import type { AccountDeletion } from "../accounts/account-deletion.ts";
import { accountRoutes } from "../accounts/account.routes.ts";
import { authRoutes, type AuthLimiters } from "../accounts/auth.routes.ts";
import type { AuthService } from "../accounts/auth.service.ts";
import type { TokenSigner } from "../accounts/tokens.ts";
import { characterRoutes } from "../characters/characters.routes.ts";
import type { CharactersService } from "../characters/characters.service.ts";
import type { GameData } from "../content/load-game-data.ts";
import { progressionRoutes } from "../progression/progression.routes.ts";
import type { ProgressionService } from "../progression/progression.service.ts";
import { GameError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { errorHandler } from "./error-handler.ts";
import { inSequence } from "./in-sequence.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { requestContext, type RequestObserver } from "./request-context.ts";
import { securityHeaders } from "./security-headers.ts";
import { weakETag } from "./weak-etag.ts";
import { traceRequests } from "./trace-requests.ts";

export const BODY_LIMIT = "16kb";

/** helmet's defaults, with a CSP for the browser client. */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      // The browser client calls the API and opens the room WebSocket on this origin.
      "connect-src": ["'self'"],
      // Plain-http deployments (LAN, a Docker host IP) would otherwise be rewritten to https.
      "upgrade-insecure-requests": null,
    },
  },
} as const satisfies HelmetOptions;

export type AppDeps = {
  logger: Logger;
  corsOrigins: readonly string[];
  /** Proxies allowed to set X-Forwarded-For (config TRUST_PROXY); none by default. */
  trustProxy?: false | number | readonly string[];
  signer: TokenSigner;
  auth: AuthService;
  characters: CharactersService;
  limiters: AuthLimiters;
  /** DELETE /v1/account. */
  accountDeletion?: AccountDeletion;
  isReady: () => Promise<boolean>;
  observeRequest?: RequestObserver;
  /** Progression routes under /v1/characters/:id (stats, inventory, quests, equip, unequip). */
  progression?: { service: ProgressionService; gameData: GameData };
  /** Mounts more routers (world, admin, static client) after the core API. */
  extend?: (app: Express) => void;
};

/** Builds the Express app: security headers, CORS, JSON parsing, the /v1 API and health probes. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", weakETag);
  // Issue 14: trusting every private range let any client on a private network pick its own
  // address (X-Forwarded-For) and escape the per-IP limits; only configured proxies count.
  const trusted = deps.trustProxy ?? false;
  app.set("trust proxy", Array.isArray(trusted) ? [...trusted] : trusted);
  // What every request passes, as one router layer (in-sequence.ts says why). Tracing first, so
  // the access log line written when the response finishes carries the trace id.
  app.use(
    inSequence(
      traceRequests(),
      requestContext(app.request, deps.logger, deps.observeRequest),
      securityHeaders(HELMET_OPTIONS),
      cors({
        origin: deps.corsOrigins.includes("*") ? true : [...deps.corsOrigins],
        // traceparent/tracestate: a traced client's requests join its trace (src/infra/tracing.ts).
        allowedHeaders: [
          "Content-Type",
          "Authorization",
          "X-Request-Id",
          "traceparent",
          "tracestate",
        ],
        exposedHeaders: ["X-Request-Id", "Retry-After"],
      }),
      (req, _res, next) => {
        const hasBody =
          Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"];
        if (hasBody && req.method !== "GET" && !req.is("application/json")) {
          throw new GameError("UNSUPPORTED_MEDIA_TYPE");
        }
        next();
      },
      express.json({ limit: BODY_LIMIT, strict: true }),
    ),
  );

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const ready = await deps.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? "ok" : "unavailable" });
  });

  const openapi = buildOpenApiDocument();
  app.get("/v1/openapi.json", (_req, res) => {
    res.json(openapi);
  });
  app.use("/v1/auth", authRoutes(deps.auth, deps.limiters));
  if (deps.accountDeletion) {
    app.use(
      "/v1/account",
      accountRoutes({
        deletion: deps.accountDeletion,
        signer: deps.signer,
        limiter: deps.limiters.perAccount,
      }),
    );
  }
  app.use("/v1/characters", characterRoutes(deps.characters, deps.signer));
  if (deps.progression)
    app.use(
      "/v1/characters",
      progressionRoutes(deps.progression.service, deps.signer, deps.progression.gameData),
    );
  deps.extend?.(app);

  app.use((_req, _res, next) => next(new GameError("NOT_FOUND")));
  app.use(errorHandler(deps.logger));
  return app;
}

import assert from "node:assert/strict";
import express, { type RequestHandler } from "express";
import helmet from "helmet";
import supertest from "supertest";
import { HELMET_OPTIONS } from "../../src/http/create-app.ts";
import { securityHeaders } from "../../src/http/security-headers.ts";

/** The headers a one-route app answers with, minus the ones that change per response. */
async function headersWith(middleware: RequestHandler) {
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader("X-Powered-By", "set before");
    next();
  });
  app.use(middleware);
  app.get("/", (_req, res) => {
    res.json({ ok: true });
  });
  const res = await supertest(app).get("/").expect(200);
  const { date: _date, etag: _etag, ...rest } = res.headers;
  return rest;
}

describe("securityHeaders", () => {
  it("answers with exactly helmet's headers and values when given the app's options", async () => {
    const replayed = await headersWith(securityHeaders(HELMET_OPTIONS));
    assert.deepEqual(replayed, await headersWith(helmet(HELMET_OPTIONS)));
    assert.equal(replayed["x-powered-by"], undefined);
    assert.match(String(replayed["content-security-policy"]), /connect-src 'self'/);
  });

  it("refuses at startup options whose headers depend on the request", () => {
    assert.throws(
      () =>
        securityHeaders({
          contentSecurityPolicy: {
            directives: { "script-src": [(req) => `'nonce-${String(req.headers)}'`] },
          },
        }),
      /depend on the request/,
    );
  });
});

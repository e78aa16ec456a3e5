import assert from "node:assert/strict";
import { Writable } from "node:stream";
import express from "express";
import supertest from "supertest";
import { requestContext } from "../../src/http/request-context.ts";
import { createLogger } from "../../src/logger.ts";

function appLoggingAt(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger(level, sink);
  const app = express();
  app.use(requestContext(app.request, logger));
  app.get("/quiet", (_req, res) => {
    res.json({ ok: true });
  });
  app.get("/fails", (req, res) => {
    req.log?.error({ step: "route" }, "route failed");
    res.status(500).json({ ok: false });
  });
  app.get("/replaced", (req, res) => {
    req.log = logger.child({ replaced: true });
    req.log.warn("from the replacement");
    res.json({ ok: true });
  });
  return { app, lines };
}

describe("requestContext", () => {
  it("writes the access line with the request id when info is on", async () => {
    const { app, lines } = appLoggingAt("info");
    await supertest(app).get("/quiet").set("X-Request-Id", "abc-1").expect(200);
    const access = lines.find((l) => l.msg === "request");
    assert.equal(access?.reqId, "abc-1");
    assert.equal(access?.status, 200);
  });

  it("writes no access line below info, and a route's error still carries its request id", async () => {
    const { app, lines } = appLoggingAt("warn");
    await supertest(app).get("/quiet").expect(200);
    const res = await supertest(app).get("/fails").expect(500);
    assert.deepEqual(
      lines.map((l) => l.msg),
      ["route failed"],
    );
    assert.equal(lines[0]!.reqId, res.headers["x-request-id"]);
  });

  it("keeps a logger a request was given in place of its own", async () => {
    const { app, lines } = appLoggingAt("warn");
    await supertest(app).get("/replaced").expect(200);
    assert.equal(lines[0]!.replaced, true);
    assert.equal(lines[0]!.reqId, undefined);
  });
});

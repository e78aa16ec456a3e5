import assert from "node:assert/strict";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import supertest from "supertest";
import { inSequence } from "../../src/http/in-sequence.ts";

function appWith(...handlers: RequestHandler[]) {
  const seen: string[] = [];
  const app = express();
  app.use((_req, _res, next) => {
    seen.length = 0;
    next();
  });
  app.use(
    inSequence(
      ...handlers.map(
        (h, i) =>
          ((req, res, next) => {
            seen.push(`h${i}`);
            return h(req, res, next);
          }) as RequestHandler,
      ),
    ),
  );
  app.get("/", (_req, res) => {
    seen.push("route");
    res.json({ ok: true });
  });
  const onError: ErrorRequestHandler = (error: Error, _req, res, _next) => {
    seen.push(`error:${error.message}`);
    res.status(500).json({ error: error.message });
  };
  app.use(onError);
  return { app, seen };
}

const pass: RequestHandler = (_req, _res, next) => next();

describe("inSequence", () => {
  it("runs each handler in order, then the routes", async () => {
    const { app, seen } = appWith(pass, (_req, _res, next) => setImmediate(next), pass);
    await supertest(app).get("/").expect(200);
    assert.deepEqual(seen, ["h0", "h1", "h2", "route"]);
  });

  it("skips the rest for the error handler when a handler throws, rejects or passes an error", async () => {
    const failures: RequestHandler[] = [
      () => {
        throw new Error("thrown");
      },
      async () => {
        await Promise.resolve();
        throw new Error("rejected");
      },
      (_req, _res, next) => next(new Error("passed")),
    ];
    for (const [i, fail] of failures.entries()) {
      const { app, seen } = appWith(pass, fail, pass);
      const res = await supertest(app).get("/").expect(500);
      const message = ["thrown", "rejected", "passed"][i]!;
      assert.equal(res.body.error, message);
      assert.deepEqual(seen, ["h0", "h1", `error:${message}`]);
    }
  });

  it("stops when a handler answers", async () => {
    const { app, seen } = appWith(pass, (_req, res) => void res.status(204).end(), pass);
    await supertest(app).get("/").expect(204);
    assert.deepEqual(seen, ["h0", "h1"]);
  });
});

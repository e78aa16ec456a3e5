import assert from "node:assert/strict";
import { startBanner } from "../../src/infra/start-banner.ts";

/** Issue 14: a plain line with the URLs at start (printed by src/main.ts on a terminal). */
describe("startBanner", () => {
  it("names the API, WebSocket and monitor URLs", () => {
    const text = startBanner({ url: "http://localhost:2567", database: "pglite", admin: true });
    assert.match(text, /database: pglite/);
    assert.match(text, /API {10}http:\/\/localhost:2567\/v1 /);
    assert.match(text, /WebSocket {4}ws:\/\/localhost:2567\n/);
    assert.match(text, /Monitor {6}http:\/\/localhost:2567\/admin\/monitor /);
    assert.equal(text.includes("{"), false, "plain text, not JSON");
  });

  it("says how to turn the monitor on when there are no admin credentials", () => {
    const text = startBanner({ url: "https://game.example", database: "postgresql", admin: false });
    assert.match(text, /WebSocket {4}wss:\/\/game\.example\n/);
    assert.match(text, /Monitor {6}off \(set ADMIN_USER and ADMIN_PASSWORD\)/);
  });
});

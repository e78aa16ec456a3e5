import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("uses the embedded defaults when the environment is empty", () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 2567);
    assert.equal(config.HOST, "0.0.0.0");
    assert.equal(config.DATA_DIR, "./data");
    assert.equal(config.DATABASE_URL, undefined);
    assert.equal(config.REDIS_URL, undefined);
    assert.equal(config.NATS_URL, undefined);
    assert.equal(config.LOG_LEVEL, "info");
    assert.deepEqual(config.CORS_ORIGINS, []);
    assert.equal(config.MAX_CHARACTERS_PER_ACCOUNT, 8);
    assert.ok(Object.isFrozen(config));
  });

  it("parses every variable when all are set", () => {
    const config = loadConfig({
      PORT: "3000",
      HOST: "127.0.0.1",
      DATA_DIR: "/tmp/x",
      DATABASE_URL: "postgresql://u@h:5432/db",
      REDIS_URL: "redis://h:6379",
      NATS_URL: "nats://h:4222",
      JWT_SECRET: "s".repeat(32),
      ADMIN_USER: "admin",
      ADMIN_PASSWORD: "long-admin-password",
      PUBLIC_ADDRESS: "game1.example:3000",
      LOG_LEVEL: "debug",
      CORS_ORIGINS: "https://a.example, https://b.example",
    });
    assert.equal(config.PORT, 3000);
    assert.equal(config.DATABASE_URL, "postgresql://u@h:5432/db");
    assert.deepEqual(config.CORS_ORIGINS, ["https://a.example", "https://b.example"]);
    assert.equal(config.PUBLIC_ADDRESS, "game1.example:3000");
  });

  it("names every bad variable when several are wrong", () => {
    assert.throws(
      () =>
        loadConfig({
          PORT: "99999",
          DATABASE_URL: "mysql://x",
          LOG_LEVEL: "loud",
          JWT_SECRET: "short",
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const names = error.problems.map((p) => p.split(":")[0]).sort();
        assert.deepEqual(names, ["DATABASE_URL", "JWT_SECRET", "LOG_LEVEL", "PORT"]);
        return true;
      },
    );
  });

  it("refuses an admin user without a password", () => {
    assert.throws(() => loadConfig({ ADMIN_USER: "admin" }), /ADMIN_USER and ADMIN_PASSWORD/);
  });
});

import assert from "node:assert/strict";
import { createHmac, createSecretKey } from "node:crypto";
import fc from "fast-check";
import { jwtVerify, SignJWT, UnsecuredJWT, type JWTPayload } from "jose";
import { TokenRejected, verifyHs256Jwt } from "./hs256-verify.ts";
import { createTokenSigner, JWT_AUDIENCE, JWT_ISSUER } from "./tokens.ts";

const SECRET = new TextEncoder().encode("hs256-test-secret-hs256-test-secret-0123");
const KEY = createSecretKey(SECRET);
const OTHER = new TextEncoder().encode("another-secret-another-secret-another-0");
const ACCOUNT = "7b0c3c55-5a57-4a43-9a31-2c7d54b1f7d1";
const nowSec = () => Math.floor(Date.now() / 1000);

type Claims = { iss?: unknown; aud?: unknown; sub?: unknown; jti?: unknown; [k: string]: unknown };

/** A token with the given header and claims, signed (HS*) with `secret`. */
function signed(claims: Claims, header: Record<string, unknown> = {}, secret = SECRET): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const head = enc({ alg: "HS256", typ: "JWT", ...header });
  const body = enc(claims);
  const hash = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }[String(header.alg ?? "HS256")];
  const mac = createHmac(hash ?? "sha256", secret)
    .update(`${head}.${body}`)
    .digest("base64url");
  return `${head}.${body}.${mac}`;
}

function valid(overrides: Claims = {}): Claims {
  return {
    sub: ACCOUNT,
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    iat: nowSec(),
    exp: nowSec() + 600,
    jti: "j-1",
    ...overrides,
  };
}

/** jose's verdict with the options tokens.ts used before the synchronous verifier. */
async function joseAccepts(token: string): Promise<boolean> {
  try {
    await jwtVerify(token, SECRET, {
      algorithms: ["HS256"],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      requiredClaims: ["sub", "exp", "iat", "jti"],
    });
    return true;
  } catch {
    return false;
  }
}

function oursAccepts(token: string): boolean {
  try {
    verifyHs256Jwt(token, KEY, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, nowSec: nowSec() });
    return true;
  } catch (error) {
    assert.ok(error instanceof TokenRejected, String(error));
    return false;
  }
}

const without = (claim: string): Claims => {
  const claims = valid();
  delete claims[claim];
  return claims;
};

describe("verifyHs256Jwt", () => {
  it("returns the claims of a token the signer made", async () => {
    const signer = createTokenSigner(SECRET, 900);
    const token = await signer.signAccess(ACCOUNT);
    const claims = verifyHs256Jwt(token, KEY, {
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      nowSec: nowSec(),
    });
    assert.equal(claims.sub, ACCOUNT);
    assert.match(claims.jti, /^[0-9a-f-]{36}$/);
    assert.ok(claims.exp - claims.iat === 900);
    assert.deepEqual(await signer.verifyAccess(token), {
      accountId: ACCOUNT,
      jti: claims.jti,
      expiresAt: claims.exp,
    });
  });

  it("accepts and refuses the same tokens as jose's jwtVerify", async () => {
    const future = nowSec() + 3600;
    const cases: [string, string][] = [
      ["valid", signed(valid())],
      ["aud in an array", signed(valid({ aud: ["x", JWT_AUDIENCE] }))],
      ["nbf in the past", signed(valid({ nbf: nowSec() - 5 }))],
      ["other key", signed(valid(), {}, OTHER)],
      ["HS384", signed(valid(), { alg: "HS384" })],
      ["HS512", signed(valid(), { alg: "HS512" })],
      ["alg none", new UnsecuredJWT(valid() as JWTPayload).encode()],
      ["expired", signed(valid({ iat: nowSec() - 3600, exp: nowSec() - 60 }))],
      ["nbf in the future", signed(valid({ nbf: future }))],
      ["nbf not a number", signed(valid({ nbf: "soon" }))],
      ["wrong issuer", signed(valid({ iss: "someone" }))],
      ["wrong audience", signed(valid({ aud: "someone" }))],
      ["audience array without ours", signed(valid({ aud: ["a", "b"] }))],
      ["iat a string", signed(valid({ iat: "today" }))],
      ["exp a string", signed(valid({ exp: String(future) }))],
      ...["sub", "exp", "iat", "jti", "iss", "aud"].map((c): [string, string] => [
        `no ${c}`,
        signed(without(c)),
      ]),
      ["two parts", signed(valid()).split(".").slice(0, 2).join(".")],
      ["four parts", `${signed(valid())}.x`],
      ["empty signature", `${signed(valid()).split(".").slice(0, 2).join(".")}.`],
      ["header not JSON", `bm90IGpzb24.${signed(valid()).split(".").slice(1).join(".")}`],
      ["claims an array", signed([] as unknown as Claims)],
      ["not a token", "hello"],
    ];
    for (const [what, token] of cases) {
      assert.equal(oursAccepts(token), await joseAccepts(token), what);
    }
    assert.ok(oursAccepts(signed(valid())), "control");
  });

  it("agrees with jose on every one-character change of a valid token", async () => {
    const token = signed(valid());
    const alphabet = "ABCXYZabcxyz0189-_.=+/ ";
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...alphabet),
        async (at, char) => {
          const changed = token.slice(0, at) + char + token.slice(at + 1);
          assert.equal(oursAccepts(changed), await joseAccepts(changed), changed);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("expires at exp exactly, as jose does", () => {
    const exp = 2_000_000_000;
    const token = signed(valid({ iat: exp - 900, exp }));
    const at = (nowSec: number) =>
      verifyHs256Jwt(token, KEY, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, nowSec });
    assert.equal(at(exp - 1).exp, exp);
    assert.throws(() => at(exp), /expired/);
  });

  it("refuses what our signer never makes: crit or b64 headers, non-string sub or jti", async () => {
    for (const token of [
      signed(valid(), { crit: ["b64"], b64: true }),
      signed(valid(), { crit: ["exp"] }),
      signed(valid({ sub: 42 })),
      signed(valid({ jti: { id: 1 } })),
    ]) {
      assert.equal(oursAccepts(token), false, token);
    }
  });

  it("turns a refused token into INVALID_TOKEN in the signer", async () => {
    const signer = createTokenSigner(SECRET, 900);
    await assert.rejects(signer.verifyAccess(signed(valid(), {}, OTHER)), {
      code: "INVALID_TOKEN",
    });
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(ACCOUNT)
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt()
      .setJti("x")
      .setExpirationTime("5m")
      .sign(OTHER);
    await assert.rejects(signer.verifyAccess(forged), { code: "INVALID_TOKEN" });
  });
});

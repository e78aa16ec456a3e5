import { createHash, createSecretKey, randomBytes, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { GameError } from "../errors.ts";
import { TokenRejected, verifyHs256Jwt } from "./hs256-verify.ts";

export const JWT_ISSUER = "mmo-server";
export const JWT_AUDIENCE = "mmo-client";

export type AccessClaims = { accountId: string; jti: string; expiresAt: number };

export type TokenSigner = {
  readonly accessTtlSec: number;
  signAccess(accountId: string): Promise<string>;
  /** Verifies signature, algorithm, issuer, audience and expiry; throws INVALID_TOKEN. */
  verifyAccess(token: string): Promise<AccessClaims>;
};

export function createTokenSigner(secretBytes: Uint8Array, accessTtlSec: number): TokenSigner {
  // A KeyObject made once: passing raw bytes would re-import the key on every sign and verify.
  const secret = createSecretKey(secretBytes);
  return {
    accessTtlSec,
    signAccess(accountId) {
      return new SignJWT({})
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(accountId)
        .setIssuer(JWT_ISSUER)
        .setAudience(JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${accessTtlSec}s`)
        .setJti(randomUUID())
        .sign(secret);
    },
    // Every authenticated request verifies a token: synchronously (src/accounts/hs256-verify.ts).
    async verifyAccess(token) {
      try {
        const claims = verifyHs256Jwt(token, secret, {
          issuer: JWT_ISSUER,
          audience: JWT_AUDIENCE,
          nowSec: Math.floor(Date.now() / 1000),
        });
        return { accountId: claims.sub, jti: claims.jti, expiresAt: claims.exp };
      } catch (error) {
        if (error instanceof TokenRejected) {
          throw new GameError("INVALID_TOKEN", undefined, { cause: error });
        }
        throw error;
      }
    },
  };
}

/** An opaque refresh token: 256 random bits, stored only as its SHA-256. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

import { hash } from "node:crypto";

/**
 * Express's default ETag (`etag` setting "weak": W/"<length in hex>-<27 chars of base64 SHA-1>"),
 * the same value computed with node:crypto's one-shot `hash`, without a Hash object per response
 * (bench:http, docs/performance.md). Set as the app's `etag` function.
 */
export function weakETag(body: Buffer | string, encoding?: BufferEncoding): string {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, encoding);
  if (bytes.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `W/"${bytes.length.toString(16)}-${hash("sha1", bytes, "base64").substring(0, 27)}"`;
}

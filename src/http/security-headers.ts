import type { NextFunction, Request, Response } from "express";
import helmet, { type HelmetOptions } from "helmet";

type HeaderStep = { name: string; value?: string | number | readonly string[] };

/**
 * helmet's headers, worked out once: helmet is run at startup against a recording response, and
 * each request replays what it set and removed. helmet otherwise rebuilds its dozen headers
 * through a chain of a dozen middleware calls per response (bench:http, docs/performance.md).
 * Only for options whose headers do not depend on the request (no CSP nonce functions): helmet
 * must answer without reading the request and call `next` at once, or startup fails.
 */
export function securityHeaders(options: HelmetOptions) {
  const steps: HeaderStep[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      steps.push({ name, value });
    },
    removeHeader(name: string) {
      steps.push({ name });
    },
  };
  const noRequest = new Proxy({} as Request, {
    get(_target, key) {
      throw new Error(`security headers depend on the request (req.${String(key)})`);
    },
  });
  let passed = false;
  helmet(options)(noRequest, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    passed = true;
  });
  if (!passed) throw new Error("helmet did not pass the request on at once");

  return (_req: Request, res: Response, next: NextFunction) => {
    for (const { name, value } of steps) {
      if (value === undefined) res.removeHeader(name);
      else res.setHeader(name, value);
    }
    next();
  };
}

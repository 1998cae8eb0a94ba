import express, { type RequestHandler } from "express";
import helmet from "helmet";
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { API_SECURITY_HEADERS, fixedHeaders, PORTAL_SECURITY_HEADERS } from "./security-headers.ts";
import { closeServer, listenLocal } from "./testing/servers.ts";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

/** The headers of GET / from an app whose only middleware is `mw`. */
async function headersFrom(mw: RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.use(mw);
  app.get("/", (_req, res) => void res.send("ok"));
  const server = createServer(app);
  servers.push(server);
  const res = await fetch(await listenLocal(server));
  const headers = Object.fromEntries(res.headers);
  // Set by Node or express on every response, not by the middleware.
  for (const name of ["date", "connection", "keep-alive", "content-length", "content-type", "etag"])
    delete headers[name];
  return headers;
}

describe("fixedHeaders", () => {
  it("sets exactly what helmet sets, for the portal's and the API's settings", async () => {
    const portal = helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], upgradeInsecureRequests: null } },
      crossOriginResourcePolicy: { policy: "cross-origin" },
    });
    const replay = fixedHeaders(portal);
    const expected = await headersFrom(portal);
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    expect(await headersFrom((_req, res, next) => (replay(res), next()))).toEqual(expected);
    // x-powered-by, which express sets, is removed as helmet removes it.
    expect(expected["x-powered-by"]).toBeUndefined();
  });

  it("gives the API a short set and the portal helmet's full set", async () => {
    const api = await headersFrom((_req, res, next) => (API_SECURITY_HEADERS(res), next()));
    expect(Object.keys(api).sort()).toEqual([
      "content-security-policy",
      "cross-origin-resource-policy",
      "strict-transport-security",
      "x-content-type-options",
      "x-frame-options",
    ]);
    const portal = await headersFrom((_req, res, next) => (PORTAL_SECURITY_HEADERS(res), next()));
    expect(portal["content-security-policy"]).toContain("script-src 'self'");
    expect(portal["referrer-policy"]).toBe("no-referrer");
    expect(Object.keys(portal).length).toBeGreaterThan(10);
  });

  it("refuses a middleware whose headers depend on the request, or that does not call next()", () => {
    const perRequest: RequestHandler = (req, res, next) => {
      res.setHeader("X-Host", String(req.headers.host));
      next();
    };
    expect(() => fixedHeaders(perRequest)).toThrow(/req\.headers/);
    const nonce = helmet({
      contentSecurityPolicy: {
        directives: {
          scriptSrc: [
            "'self'",
            (_req, res) => `'nonce-${String((res as unknown as { locals: unknown }).locals)}'`,
          ],
        },
      },
    });
    expect(() => fixedHeaders(nonce)).toThrow(/res\.locals/);
    expect(() => fixedHeaders(() => {})).toThrow(/did not call next/);
    expect(() => fixedHeaders((_req, _res, next) => next(new Error("bad")))).toThrow("bad");
  });
});

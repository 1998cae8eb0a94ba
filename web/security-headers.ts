import type { Request, RequestHandler, Response } from "express";
import helmet from "helmet";

/**
 * The security headers, from helmet. Our helmet settings set the same headers on every response (no
 * nonces, nothing read from the request), so each set is worked out once, at start, and copied onto each
 * response: one function call and a few setHeader calls instead of helmet's chain of a dozen middleware
 * functions on every request, the API's included.
 */

/** Sets the headers that `middleware` sets, on any response, without running it again. */
export type HeaderSetter = (res: Response) => void;

/**
 * Runs a header-only middleware once against a recording response and returns what it did, to replay.
 * Throws if the middleware reads the request or the response (its headers would then depend on them),
 * does anything but set or remove headers, or does not call next() at once without an error.
 */
export function fixedHeaders(middleware: RequestHandler): HeaderSetter {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const refuse = (what: string): never => {
    throw new Error(`fixedHeaders: the middleware used ${what}; its headers may vary per request`);
  };
  const req = new Proxy({}, { get: (_t, key) => refuse(`req.${String(key)}`) });
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.push([name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  const res = new Proxy(recorder, {
    get: (target, key) => (key in target ? target[key as keyof typeof target] : refuse(`res.${String(key)}`)),
  });
  let finished = false;
  middleware(req as Request, res as unknown as Response, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
    finished = true;
  });
  if (!finished) throw new Error("fixedHeaders: the middleware did not call next() at once");
  return (response) => {
    for (const name of removed) response.removeHeader(name);
    for (const [name, value] of set) response.setHeader(name, value);
  };
}

/**
 * Pages, the widget, the admin area: helmet's defaults with a policy that the portal and widget satisfy.
 * `imageOrigins` are the map tile servers' origins, the only images loaded from elsewhere.
 */
export function portalSecurityHeaders(imageOrigins: readonly string[] = []): HeaderSetter {
  return fixedHeaders(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:", ...imageOrigins],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          // Served over plain HTTP on a LAN or localhost too; HTTPS is the reverse proxy's job.
          upgradeInsecureRequests: null,
        },
      },
      // widget.js and the API are meant to be used from other sites (within WIDGET_ORIGINS).
      crossOriginResourcePolicy: { policy: "cross-origin" },
    }),
  );
}

/** The portal's headers without a map tile server. */
export const PORTAL_SECURITY_HEADERS = portalSecurityHeaders();

/**
 * The JSON API: no content may load or frame a response, no sniffing, HTTPS remembered. The headers that
 * only protect a rendered HTML document are left out (each costs a little on every request).
 */
export const API_SECURITY_HEADERS = fixedHeaders(
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    crossOriginResourcePolicy: { policy: "cross-origin" },
    xFrameOptions: { action: "deny" },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  }),
);

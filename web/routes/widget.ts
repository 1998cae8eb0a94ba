import { build } from "esbuild";
import { Router, type Request, type Response } from "express";
import { createHash } from "node:crypto";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { AppDeps } from "../app.ts";
import { errorBody } from "../errors.ts";

const WIDGET_ENTRY = path.join(import.meta.dirname, "..", "widget", "widget.ts");

/** Bundles web/widget/widget.ts into one minified script (an IIFE) for `<script src=".../widget.js">`. */
export async function bundleWidget(): Promise<string> {
  const result = await build({
    entryPoints: [WIDGET_ENTRY],
    tsconfig: path.join(path.dirname(WIDGET_ENTRY), "tsconfig.json"),
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    charset: "utf8",
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no output for the widget");
  return file.text;
}

/** The bundled script in both encodings, with their validators; made once per app. */
type Bundle = { plain: Buffer; gzip: Buffer; etag: string; gzipEtag: string };

/**
 * Serves `GET /widget.js` (built on first request, then served from memory, gzipped when the client accepts
 * it) and `GET /widget-demo`, a bare host page that embeds the widget for manual checks. `bundle` is the
 * build step, replaceable in tests.
 */
export function widgetRouter(deps: AppDeps, bundle: () => Promise<string> = bundleWidget): Router {
  const router = Router();
  // The promise is cached, not just the result: concurrent first requests share one build, and a failed
  // build is logged once and then answered with a 500 until the process restarts.
  let built: Promise<Bundle | undefined> | undefined;

  function getBundle(): Promise<Bundle | undefined> {
    built ??= bundle().then(
      (code) => {
        const plain = Buffer.from(code, "utf8");
        const hash = createHash("sha256").update(plain).digest("base64url").slice(0, 22);
        return { plain, gzip: gzipSync(plain, { level: 9 }), etag: `"${hash}"`, gzipEtag: `"${hash}-gz"` };
      },
      (err: unknown) => {
        deps.log.error({ err }, "widget: the bundle could not be built; /widget.js answers 500");
        return undefined;
      },
    );
    return built;
  }

  router.get("/widget.js", async (req: Request, res: Response) => {
    const js = await getBundle();
    if (!js) {
      res.status(500).json(errorBody("internal:widget", "the widget is not available"));
      return;
    }
    const gzip = req.acceptsEncodings("gzip", "identity") === "gzip";
    const etag = gzip ? js.gzipEtag : js.etag;
    res.setHeader("Content-Type", "application/javascript; charset=utf-8");
    res.setHeader("Cache-Control", "public, max-age=300");
    res.setHeader("Vary", "Accept-Encoding");
    res.setHeader("ETag", etag);
    if (matches(req.headers["if-none-match"], etag)) {
      res.status(304).end();
      return;
    }
    const body = gzip ? js.gzip : js.plain;
    if (gzip) res.setHeader("Content-Encoding", "gzip");
    res.setHeader("Content-Length", String(body.length));
    res.status(200).end(req.method === "HEAD" ? undefined : body);
  });

  router.get("/widget-demo", (req: Request, res: Response) => {
    const lang = req.query.lang === "en" ? "en" : "vi";
    res
      .type("html")
      .setHeader("Cache-Control", "no-cache")
      .send(
        `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
          `<meta name="viewport" content="width=device-width, initial-scale=1">` +
          `<link rel="icon" href="data:,"><title>Widget demo</title></head><body><main>` +
          `<h1>Châu Đốc widget demo</h1>` +
          `<p>This page embeds the widget with one tag (<a href="/widget-demo?lang=vi">vi</a>, ` +
          `<a href="/widget-demo?lang=en">en</a>):</p>` +
          `<pre><code>&lt;script src="/widget.js" data-lang="${lang}" async&gt;&lt;/script&gt;</code></pre>` +
          `</main><script src="/widget.js" data-lang="${lang}" async></script></body></html>`,
      );
  });

  return router;
}

/** Whether an If-None-Match header names this ETag (or is "*"); weak comparison, as for GET. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === etag);
}

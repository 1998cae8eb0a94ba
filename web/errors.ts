import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError } from "../indexer/index.ts";
import type { Logger } from "../bot/index.ts";

/** HTTP status of an AppError code: the part before ":" names the kind ("bad_request:ask" → 400). */
const STATUS: Record<string, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

/** The status an error maps to; anything unknown is a 500. */
export function statusOf(err: unknown): number {
  if (err instanceof AppError) return STATUS[err.code.split(":")[0] as string] ?? 500;
  // body-parser's errors carry a status and a type; their messages are safe to summarise, not to show.
  const e = err as { status?: number; type?: string };
  if (e?.type === "entity.too.large") return 413;
  if (e?.type === "entity.parse.failed" || e?.type === "encoding.unsupported") return 400;
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) return e.status;
  return 500;
}

/** The JSON error body every API route uses: `{ "error": { "code", "message" } }`. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** 404 for anything no route answered. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError("not_found", `nothing at ${req.method} ${req.path}`, { expose: true }));
};

/**
 * The one error sink of the HTTP side: JSON for the API, a short page otherwise. Internals (stack
 * traces, causes) go to the log, never to the client.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const status = statusOf(err);
    const code =
      err instanceof AppError
        ? err.code
        : status === 413
          ? "payload_too_large"
          : status === 400
            ? "bad_request"
            : status === 500
              ? "internal"
              : `http_${status}`;
    const message =
      err instanceof AppError && err.expose
        ? err.message
        : status === 413
          ? "the request body is too large"
          : status === 400
            ? "the request body is not valid JSON"
            : status === 500
              ? "something went wrong on our side"
              : "the request was refused";
    if (status >= 500) log.error({ err, path: req.path }, "request failed");
    if (res.headersSent) return res.end();
    res.status(status);
    const wantsHtml = !req.path.startsWith("/api") && req.accepts(["json", "html"]) === "html";
    if (!wantsHtml) return res.json(errorBody(code, message));
    res
      .type("html")
      .send(
        `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${status}</title>` +
          `<link rel="stylesheet" href="/static/portal.css"></head><body><main class="error"><h1>${status}</h1>` +
          `<p>${status === 404 ? "Không tìm thấy trang. / Page not found." : "Đã có lỗi. / Something went wrong."}</p>` +
          `<p><a href="/">Trang chủ / Home</a></p></main></body></html>`,
      );
  };
}

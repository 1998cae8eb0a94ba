import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError } from "../indexer/index.ts";
import type { Logger } from "../bot/index.ts";
import { escapeHtml } from "./views/html.ts";

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

/**
 * What express and body-parser raise themselves (not AppErrors), by the `type` they carry: each refusal
 * says what was wrong with the request. Their own messages are not shown (they may quote the input).
 */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  "entity.too.large": { status: 413, code: "payload_too_large", message: "the request body is too large" },
  "parameters.too.many": {
    status: 413,
    code: "payload_too_large:fields",
    message: "the form has too many fields",
  },
  "entity.parse.failed": {
    status: 400,
    code: "bad_request:body",
    message: "the request body could not be read",
  },
  "request.aborted": { status: 400, code: "bad_request:aborted", message: "the request body was cut off" },
  "request.size.invalid": {
    status: 400,
    code: "bad_request:length",
    message: "the request body does not have the length its Content-Length says",
  },
  "charset.unsupported": {
    status: 415,
    code: "unsupported_media_type",
    message: "the charset of the request body is not supported; send UTF-8",
  },
  "encoding.unsupported": {
    status: 415,
    code: "unsupported_media_type",
    message: "the content encoding of the request body is not supported; send it uncompressed",
  },
};

/** A malformed percent-escape in the path: express's router throws a URIError with status 400. */
const BAD_URL = {
  status: 400,
  code: "bad_request:url",
  message: "the URL has a malformed percent-escape (%..)",
};

/** The status, code and user-facing message of any error reaching the sink; anything unknown is a 500. */
export function describeError(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof AppError) {
    const status = STATUS[err.code.split(":")[0] as string] ?? 500;
    return { status, code: err.code, message: err.expose ? err.message : genericMessage(status) };
  }
  const e = err as { status?: unknown; type?: unknown };
  const known = typeof e?.type === "string" ? FRAMEWORK_ERRORS[e.type] : undefined;
  if (known) return known;
  if (err instanceof URIError && e.status === 400) return BAD_URL;
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500)
    return { status: e.status, code: `http_${e.status}`, message: genericMessage(e.status) };
  return { status: 500, code: "internal", message: genericMessage(500) };
}

function genericMessage(status: number): string {
  if (status === 500) return "something went wrong on our side";
  return status === 413 ? "the request body is too large" : "the request was refused";
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
    const { status, code, message } = describeError(err);
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
          `<p>${pageText(status, message)}</p>` +
          `<p><a href="/">Trang chủ / Home</a></p></main></body></html>`,
      );
  };
}

/** The sentence of the short error page: what went wrong, and for a refused request why (escaped). */
function pageText(status: number, message: string): string {
  if (status === 404) return "Không tìm thấy trang. / Page not found.";
  if (status >= 500) return "Đã có lỗi. / Something went wrong.";
  return `Yêu cầu không hợp lệ. / The request was refused: ${escapeHtml(message)}.`;
}

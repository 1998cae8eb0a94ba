import busboy from "busboy";
import { Router, type Express, type Request, type RequestHandler } from "express";
import { z } from "zod";
import { isoOf, localToday, type Question } from "../../bot/index.ts";
import {
  caseFigures,
  parseCaseCodeStrict,
  PhotoTooLarge,
  type Office,
  type PhotoStore,
  type Reports,
} from "../../bot/reports/index.ts";
import { AppError, LANGS, type Lang } from "../../indexer/index.ts";
import type { AuditLog } from "../admin/types.ts";
import type { AppDeps } from "../app.ts";
import { localPath, type PageContext } from "../views/context.ts";
import { caseStatusPage, figuresPage } from "../views/reports.ts";

/**
 * Tourist reports on the web: the widget's photo upload (the report's photo step), a case's status for
 * the holder of its link (JSON for the widget, a page for the link), and the published figures page.
 */

/** What the web needs of reports (built in web/main.ts). */
export type ReportsWeb = {
  reports: Reports;
  office: Office;
  photos: PhotoStore;
  /** Largest photo accepted, in bytes. */
  maxPhotoBytes: number;
  /** The admin area's audit log: a case read through its secret link is recorded there too. */
  audit?: AuditLog;
};

/** A case read by the holder of its link (the reporter), in the audit log beside the staff's reads. */
async function auditLinkRead(web: ReportsWeb, code: string, where: "page" | "api"): Promise<void> {
  await web.audit?.record({ user: "(case link)", action: "case.view-by-link", target: code, detail: where });
}

const TOKEN = /^[A-Za-z0-9_-]+$/;
const CASE_TOKEN = /^[A-Za-z0-9_-]{22}$/;

const photoFields = z.object({
  conversationId: z.string().min(1).max(100).regex(TOKEN, "only letters, digits, _ and -"),
  lang: z.enum(LANGS).optional(),
  caption: z.string().max(1000).optional(),
});

type PhotoForm = { fields: Record<string, string>; file?: { bytes: Buffer; truncated: boolean } };

/** Reads a multipart form with one `photo` file, keeping at most `max` + 1 bytes of it. */
function receivePhoto(req: Request, max: number): Promise<PhotoForm> {
  const length = Number(req.headers["content-length"] ?? 0);
  if (length > max * 2 + 64 * 1024)
    return Promise.reject(
      new AppError("payload_too_large:photo", "the photo is too large", { expose: true }),
    );
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 5, fieldSize: 4096, fileSize: max + 1, parts: 8 },
      });
    } catch {
      reject(new AppError("bad_request:photo", "expected a multipart/form-data body", { expose: true }));
      return;
    }
    const fields: Record<string, string> = {};
    let file: PhotoForm["file"];
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("file", (name, stream) => {
      if (name !== "photo") {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        file = {
          bytes: Buffer.concat(chunks),
          truncated: (stream as { truncated?: boolean }).truncated === true,
        };
      });
    });
    parser.on("error", () =>
      reject(new AppError("bad_request:photo", "the multipart body could not be read", { expose: true })),
    );
    parser.on("close", () => resolve({ fields, ...(file ? { file } : {}) }));
    req.pipe(parser);
  });
}

/** POST /api/reports/photo and GET /api/reports/:code, before the API's JSON body parser. */
export function mountReportsApi(
  app: Express,
  deps: AppDeps,
  entry: RequestHandler,
  limiter: RequestHandler,
): void {
  const web = deps.reports;
  app.post("/api/reports/photo", entry, limiter, async (req, res) => {
    if (!web) throw new AppError("not_found", "reports are not enabled", { expose: true });
    if (!/^multipart\/form-data/i.test(req.headers["content-type"] ?? ""))
      throw new AppError("unsupported_media_type:photo", "send the photo as multipart/form-data", {
        expose: true,
      });
    const form = await receivePhoto(req, web.maxPhotoBytes);
    const parsed = photoFields.safeParse(form.fields);
    if (!parsed.success)
      throw new AppError(
        "bad_request:photo",
        parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        {
          expose: true,
        },
      );
    if (!form.file || form.file.bytes.length === 0)
      throw new AppError("bad_request:photo", "photo: a file is required", { expose: true });
    const { bytes, truncated } = form.file;
    const body = parsed.data;
    const question: Question = {
      text: (body.caption ?? "").normalize("NFC"),
      channel: "web",
      conversationId: body.conversationId,
      userId: body.conversationId,
      ...(body.lang ? { lang: body.lang } : {}),
      photo: {
        async load(max) {
          if (truncated || bytes.length > max) throw new PhotoTooLarge(bytes.length);
          return bytes;
        },
      },
    };
    res.json(await deps.live().assistant.ask(question));
  });

  app.get("/api/reports/:code", entry, limiter, async (req, res) => {
    const code = parseCaseCodeStrict(String(req.params.code));
    const token = typeof req.query.token === "string" ? req.query.token : "";
    const c = web && code && CASE_TOKEN.test(token) ? await web.reports.caseForToken(code, token) : undefined;
    res.set("Cache-Control", "no-store");
    // A wrong code and a wrong token look the same.
    if (!c) throw new AppError("not_found:case", "no such report", { expose: true });
    if (web) await auditLinkRead(web, c.code, "api");
    res.json({
      code: c.code,
      status: c.status,
      category: c.category,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      ...(c.status === "rejected" && c.reason ? { reason: c.reason } : {}),
    });
  });
}

/** The status page of a case link and the figures page, in both languages. */
export function reportPagesRouter(deps: AppDeps): Router {
  const router = Router();
  const base = deps.options.publicUrl?.replace(/\/+$/, "");
  const ctxOf = (lang: Lang, path: string): PageContext => ({
    lang,
    ...(base !== undefined ? { base } : {}),
    path,
    canonicalQuery: "",
    query: "",
    today: isoOf(localToday(deps.clock.now())),
    map: deps.options.map,
  });
  for (const lang of LANGS) {
    router.get(localPath(lang, "/bao-cao/:code"), async (req, res) => {
      const code = parseCaseCodeStrict(String(req.params.code));
      const token = typeof req.query.t === "string" ? req.query.t : "";
      const web = deps.reports;
      const c =
        web && code && CASE_TOKEN.test(token) ? await web.reports.caseForToken(code, token) : undefined;
      if (web && c) await auditLinkRead(web, c.code, "page");
      res
        .status(c ? 200 : 404)
        .set({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" })
        .type("html")
        .send(caseStatusPage(ctxOf(lang, `/bao-cao/${code ?? ""}`), c));
    });
    router.get(localPath(lang, "/phan-anh"), async (_req, res) => {
      const cases = deps.reports ? await deps.store.listCases({ limit: Number.MAX_SAFE_INTEGER }) : [];
      res
        .set("Cache-Control", "public, max-age=300")
        .type("html")
        .send(figuresPage(ctxOf(lang, "/phan-anh"), caseFigures(cases, deps.clock.now())));
    });
  }
  return router;
}

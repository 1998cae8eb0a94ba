import express, { Router } from "express";
import { createRequire } from "node:module";
import path from "node:path";
import { auditRouter } from "./audit-page.ts";
import { dashboardRouter } from "./dashboard.ts";
import { editorRouter } from "./editor.ts";
import { handoffsRouter } from "./handoffs.ts";
import { publishRouter } from "./publish-page.ts";
import { reportsAdminRouter } from "./reports.ts";
import type { AdminDeps } from "./types.ts";

export type {
  AdminAuth,
  AdminDeps,
  AdminRole,
  AdminUser,
  AuditLog,
  Publisher,
  PublishOptions,
  PublishResult,
} from "./types.ts";
export { openAdminDb, type AdminDb } from "./accounts.ts";
export { openPostgresAdminDb } from "./accounts-postgres.ts";
export type { ReportsAdminDeps } from "./reports.ts";
export { createAdminAuth, createAuditLog, ensureFirstAdmin } from "./auth.ts";
export { buildInThread, buildInWorker, type IndexBuilder } from "./index-builder.ts";
export { createSharedFiles, type SharedFiles } from "./shared-files.ts";
export {
  createPublisher,
  startRetention,
  type ContentPublisher,
  type PublisherDeps,
  type PublishRecord,
} from "./publisher.ts";

/** Chart.js's UMD build, served from node_modules (no CDN: the CSP allows only this site). */
function chartJsFile(): string {
  const main = createRequire(import.meta.url).resolve("chart.js"); // .../chart.js/dist/chart.cjs
  return path.join(path.dirname(main), "chart.umd.min.js");
}
const STATIC_DIR = path.join(import.meta.dirname, "static");

/**
 * The admin area at /admin: login (auth), the dashboard of visitors' questions, the content editor,
 * publishing and the audit log. Forms are urlencoded; uploads are multipart, read by auth's guard along
 * with their CSRF token and handed to the editor.
 */
export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: "256kb" }));
  router.get("/static/chart.umd.min.js", (_req, res) => {
    res.sendFile(chartJsFile(), { maxAge: "1d" });
  });
  router.use("/static", express.static(STATIC_DIR, { maxAge: "1h", index: false }));
  router.use(deps.auth.router);
  router.use(dashboardRouter(deps));
  if (deps.reports) router.use(reportsAdminRouter(deps, deps.reports));
  if (deps.handoffs) router.use(handoffsRouter(deps, deps.handoffs));
  router.use(editorRouter(deps));
  router.use(publishRouter(deps));
  router.use(auditRouter(deps));
  return router;
}

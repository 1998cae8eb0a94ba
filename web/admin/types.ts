import type { RequestHandler, Router } from "express";
import type { Logger, Store } from "../../bot/index.ts";
import type { Clock } from "../../bot/assistant/index.ts";
import type { HandoffDesk } from "../../bot/handoff/index.ts";
import type { Live } from "../app.ts";
import type { ReportsAdminDeps } from "./reports.ts";

/**
 * The contracts between the parts of the admin area (/admin): accounts and sessions (auth.ts), the
 * content editor (editor.ts), publishing (publisher.ts) and the dashboard (dashboard.ts). Each part is
 * built from AdminDeps and mounted by adminRouter (index.ts).
 */

export type AdminRole = "editor" | "viewer";
export type AdminUser = { name: string; role: AdminRole };

/**
 * Sessions, roles and CSRF. After `require(...)`, handlers find `res.locals.adminUser: AdminUser` and
 * `res.locals.csrfToken: string` (to put in every form as `<input type="hidden" name="_csrf">`, or in
 * the `x-csrf-token` header of a fetch), and for a multipart request the form it read to find the token,
 * `res.locals.multipart: ReceivedForm` (uploads.ts): routes never read a multipart body themselves.
 */
export interface AdminAuth {
  /** Login and logout pages and the session cookie: GET/POST /admin/login, POST /admin/logout. */
  readonly router: Router;
  /**
   * No valid session: a redirect to /admin/login (303) for pages, 401 JSON for `Accept: application/json`.
   * A viewer on an editor route: 403. Also refuses any request but GET/HEAD without a valid CSRF token
   * (403), whatever its content type.
   */
  require(role: AdminRole): RequestHandler;
}

/** Who changed what and when; read back on the audit page. */
export interface AuditLog {
  record(entry: { user: string; action: string; target?: string; detail?: string }): Promise<void>;
  list(options?: {
    limit?: number;
  }): Promise<{ at: string; user: string; action: string; target?: string; detail?: string }[]>;
}

/** The outcome of one rebuild of the index. */
export type PublishResult =
  | { ok: true; version: string; entries: number; ms: number }
  | {
      ok: false;
      error: string;
      problems: string[];
      ms: number;
      /** The AppError code of the refusal (content_invalid, content_missing, content_shrink …), when known. */
      code?: string;
      /** content_shrink: the live entries, the entries of the refused build, and how many it would drop. */
      shrink?: { live: number; next: number; dropped: number };
    };

/** How a publish may go. */
export type PublishOptions = {
  /** Confirms a build that drops more than half of the live entries (refused as content_shrink without). */
  allowShrink?: boolean;
};

/** Publishing: rebuilds the index from content/ and switches it in atomically only when the build succeeds. */
export interface Publisher {
  /**
   * Rebuilds now (a second call while one runs waits for a fresh build after it; never two at once; the
   * follow-up build is confirmed when any of the calls it serves was).
   */
  publish(reason: string, options?: PublishOptions): Promise<PublishResult>;
  /** The last result and whether a build is running, for the admin pages. */
  status(): { running: boolean; last?: PublishResult & { at: string; reason: string } };
}

export type AdminDeps = {
  /** The inbox of tourist reports at /admin/reports, when reports are enabled. */
  reports?: ReportsAdminDeps;
  contentDir: string;
  /** Where uploaded images go (served at /media). */
  uploadsDir: string;
  /** Called after an image was stored (several replicas: it goes to the others at once). */
  onUploaded?: () => void;
  live: () => Live;
  store: Store;
  auth: AdminAuth;
  audit: AuditLog;
  publisher: Publisher;
  log: Logger;
  clock: Clock;
  /** Talking to visitors (/admin/handoffs), when the app has a handoff desk. */
  handoffs?: HandoffDesk;
};

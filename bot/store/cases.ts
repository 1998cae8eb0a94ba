import { AppError } from "../../indexer/index.ts";

/**
 * Tourist reports ("phản ánh") as the store keeps them: the case, its history, and the outbound webhook
 * queue. Plain values and ISO timestamps only, so that a PostgreSQL store can implement the same methods
 * (a counter row per year for the codes, a table per kind, JSON for the rest).
 */

export const CASE_CATEGORIES = [
  "prices",
  "safety",
  "cleanliness",
  "infrastructure",
  "lodging",
  "lost",
  "other",
] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];

export const CASE_STATUSES = ["received", "in_progress", "resolved", "rejected"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Where it happened: a place of the knowledge base, a shared location, or the reporter's words. */
export type CasePlace = { entryId?: string; name?: string; lat?: number; lng?: number; text?: string };

/** One line of the report's conversation, as the reporter and the assistant wrote it. */
export type CaseLine = { from: "user" | "bot"; text: string; at: string };

/** What a new case holds; the store gives it its code. */
export type NewCase = {
  createdAt: string;
  /** sha256 of the secret token given to the reporter (the token itself is never stored). */
  tokenHash: string;
  channel: string;
  /** The reporter, hashed (see hashId): who may see the case from the chat. */
  reporterHash: string;
  /** The raw chat id to deliver the office's reply to; removed RETENTION_DAYS after the case closes. */
  conversationId?: string;
  lang: "vi" | "en";
  category: CaseCategory;
  place?: CasePlace;
  when?: string;
  description: string;
  /** The stored photo's file name (under the uploads' private reports/ folder), never served publicly. */
  photo?: string;
  /** When the office should have handled it (from the category's deadline). */
  dueAt: string;
  transcript: CaseLine[];
};

export type CaseRecord = NewCase & {
  /** CD-2026-000123 */
  code: string;
  status: CaseStatus;
  /** Why a case was rejected. */
  reason?: string;
  /** The staff account the case is assigned to. */
  assignee?: string;
  updatedAt: string;
  /** When it was resolved or rejected. */
  closedAt?: string;
};

/** What staff may change on a case. `null` clears a field. */
export type CasePatch = {
  status?: CaseStatus;
  reason?: string | null;
  assignee?: string | null;
  closedAt?: string | null;
  updatedAt: string;
};

/** One entry of a case's history: a status change, an assignment, an internal note, a staff reply. */
export type CaseEvent = {
  code: string;
  at: string;
  kind: "created" | "status" | "assign" | "note" | "reply";
  /** The staff account, or "reporter" / "system". */
  by: string;
  text?: string;
  /** A reply's delivery key (see the outbox), or the status a change set. */
  detail?: string;
};

/** Filters of listCases; `since` inclusive, `until` exclusive (by creation), newest first. */
export type ListCasesOptions = {
  status?: CaseStatus;
  category?: CaseCategory;
  /** Cases whose place (name, entry id or free text) contains this, case-insensitively. */
  place?: string;
  since?: string;
  until?: string;
  limit?: number;
};

/** One outbound webhook call waiting to be delivered (or delivered), by its idempotency key. */
export type QueuedWebhook = {
  key: string;
  body: string;
  attempts: number;
  /** When it may be tried next. */
  nextAt: string;
  deliveredAt?: string;
  lastError?: string;
};

/** What a Store keeps of reports. */
export interface CaseStore {
  /** Stores a new case and gives it the next code of its creation year (CD-YYYY-NNNNNN), unique. */
  createCase(input: NewCase): Promise<CaseRecord>;
  getCase(code: string): Promise<CaseRecord | undefined>;
  /** Newest first; limit default 100. */
  listCases(options?: ListCasesOptions): Promise<CaseRecord[]>;
  /** The case after the change; undefined for an unknown code. */
  updateCase(code: string, patch: CasePatch): Promise<CaseRecord | undefined>;
  /** Appends a line to a case's conversation (a staff reply, the reporter's answer). */
  appendCaseLine(code: string, line: CaseLine): Promise<void>;
  addCaseEvent(event: CaseEvent): Promise<void>;
  /** The case's history, oldest first. */
  listCaseEvents(code: string): Promise<CaseEvent[]>;
  /** How many cases a reporter created at or after `since` (the per-day limit). */
  countCasesSince(reporterHash: string, since: string): Promise<number>;
  /** Removes the chat ids of cases closed before `iso` (they were kept for the reply only); returns how many. */
  forgetReporters(closedBefore: string): Promise<number>;
  /** Queues a webhook call; a key already queued is left as it is (idempotent). Returns false then. */
  enqueueWebhook(call: { key: string; body: string; nextAt: string }): Promise<boolean>;
  /** Undelivered calls due at `now`, oldest first. */
  dueWebhooks(now: string, limit: number): Promise<QueuedWebhook[]>;
  /** Records an attempt: delivered, or failed and when to try again. */
  settleWebhook(
    key: string,
    outcome: { deliveredAt: string } | { nextAt: string; error: string },
  ): Promise<void>;
  getWebhook(key: string): Promise<QueuedWebhook | undefined>;
}

/** The code of the n-th case of a year: CD-2026-000123. */
export function caseCode(year: number, seq: number): string {
  return `CD-${year}-${String(seq).padStart(6, "0")}`;
}

/** A case code in any case and spacing ("cd-2026-123", "CD 2026 000123") as the stored form; else undefined. */
export function parseCaseCode(text: string): string | undefined {
  const m = /\bcd[\s-]?(\d{4})[\s-]?(\d{1,9})\b/i.exec(text);
  if (!m) return undefined;
  const seq = Number(m[2]);
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > 999_999) return undefined;
  return caseCode(Number(m[1]), seq);
}

/** A case code exactly as issued (CD-2026-000123), for URLs; undefined otherwise. */
export function parseCaseCodeStrict(text: string): string | undefined {
  return /^CD-\d{4}-\d{6}$/.test(text) ? text : undefined;
}

/** The year of an ISO timestamp, in UTC (validated). */
export function yearOf(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms))
    throw new AppError("store_bad_timestamp", `createdAt is not an ISO timestamp: ${iso}`);
  return new Date(ms).getUTCFullYear();
}

/** True when a case matches the list filters other than the time window. */
export function caseMatches(c: CaseRecord, o: ListCasesOptions): boolean {
  if (o.status && c.status !== o.status) return false;
  if (o.category && c.category !== o.category) return false;
  if (o.place) {
    const needle = o.place.toLowerCase();
    const hay = [c.place?.name, c.place?.entryId, c.place?.text].filter(Boolean).join(" ").toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

/** A case with a patch applied (null clears). */
export function patched(c: CaseRecord, patch: CasePatch): CaseRecord {
  const out: CaseRecord = { ...c, updatedAt: patch.updatedAt };
  if (patch.status) out.status = patch.status;
  for (const field of ["reason", "assignee", "closedAt"] as const) {
    const v = patch[field];
    if (v === null) delete out[field];
    else if (v !== undefined) out[field] = v;
  }
  return out;
}

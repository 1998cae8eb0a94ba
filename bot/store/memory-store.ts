import { AppError } from "../../indexer/index.ts";
import {
  listLimit,
  listWindow,
  localLocks,
  toEpochMs,
  type Feedback,
  type InteractionRecord,
  type ListFeedbackOptions,
  type ListInteractionsOptions,
  type Store,
  type StoredInteraction,
} from "./store.ts";
import {
  caseCode,
  caseMatches,
  patched,
  yearOf,
  type CaseEvent,
  type CaseRecord,
  type QueuedWebhook,
} from "./cases.ts";
import { createMemoryConversations } from "./memory-conversations.ts";

type Row = { seq: number; atMs: number; record: InteractionRecord; feedback?: Omit<Feedback, "answerId"> };

/** A Store that keeps everything in memory: for tests, and as a fallback when no database file is configured. */
export function createMemoryStore(): Store {
  const rows = new Map<string, Row>();
  const updates = new Map<string, number>();
  const state = new Map<string, string>();
  let seq = 0;
  let closed = false;
  const cases = new Map<string, CaseRecord>();
  const caseEvents: CaseEvent[] = [];
  const counters = new Map<number, number>();
  const webhooks = new Map<string, QueuedWebhook>();

  function assertOpen(): void {
    if (closed) throw new AppError("store_closed", "the memory store is closed");
  }

  const conversations = createMemoryConversations(assertOpen);
  const { purge: purgeConversations, ...conversationMethods } = conversations;

  // Records are copied in and out so that a caller mutating its objects cannot change what is stored.
  return {
    ...conversationMethods,
    async recordInteraction(record) {
      assertOpen();
      const atMs = toEpochMs(record.at, "at");
      if (rows.has(record.answerId)) {
        throw new AppError(
          "store_duplicate_answer",
          `an interaction with answerId ${record.answerId} exists`,
        );
      }
      rows.set(record.answerId, { seq: seq++, atMs, record: structuredClone(record) });
    },

    async recordFeedback({ answerId, ...feedback }) {
      assertOpen();
      const row = rows.get(answerId);
      if (!row) return "unknown_answer";
      row.feedback = structuredClone(feedback);
      return "ok";
    },

    async getInteraction(answerId) {
      assertOpen();
      const row = rows.get(answerId);
      if (!row) return undefined;
      const out: StoredInteraction = structuredClone(row.record);
      if (row.feedback) out.feedback = structuredClone(row.feedback);
      return out;
    },

    async listInteractions(options: ListInteractionsOptions = {}) {
      assertOpen();
      const { since, until, limit } = listWindow(options);
      return [...rows.values()]
        .filter(
          (r) =>
            (since === undefined || r.atMs >= since) &&
            (until === undefined || r.atMs < until) &&
            (options.channel === undefined || r.record.channel === options.channel),
        )
        .sort((a, b) => b.atMs - a.atMs || b.seq - a.seq)
        .slice(0, limit)
        .map((r) => structuredClone(r.record));
    },

    async listFeedback(options: ListFeedbackOptions = {}) {
      assertOpen();
      const { since, until, limit } = listWindow(options);
      return [...rows.values()]
        .filter(
          (r): r is Row & { feedback: Omit<Feedback, "answerId"> } =>
            r.feedback !== undefined &&
            (options.helpful === undefined || r.feedback.helpful === options.helpful) &&
            (since === undefined || r.atMs >= since) &&
            (until === undefined || r.atMs < until) &&
            (options.channel === undefined || r.record.channel === options.channel),
        )
        .sort((a, b) => b.atMs - a.atMs || b.seq - a.seq)
        .slice(0, limit)
        .map((r) => ({ answerId: r.record.answerId, ...structuredClone(r.feedback) }));
    },

    async claimUpdate(channel, updateId, at) {
      assertOpen();
      const key = `${channel}\u0000${updateId}`;
      if (updates.has(key)) return false;
      updates.set(key, toEpochMs(at, "at"));
      return true;
    },

    async getState(key) {
      assertOpen();
      return state.get(key);
    },

    async setState(key, value) {
      assertOpen();
      state.set(key, value);
    },

    async purgeBefore(iso) {
      assertOpen();
      const before = toEpochMs(iso, "purgeBefore");
      for (const [key, atMs] of updates) if (atMs < before) updates.delete(key);
      purgeConversations(before);
      let deleted = 0;
      for (const [id, row] of rows) {
        if (row.atMs < before) {
          rows.delete(id);
          deleted++;
        }
      }
      return deleted;
    },

    async createCase(input) {
      assertOpen();
      const year = yearOf(input.createdAt);
      const n = (counters.get(year) ?? 0) + 1;
      counters.set(year, n);
      const record: CaseRecord = {
        ...structuredClone(input),
        code: caseCode(year, n),
        status: "received",
        updatedAt: input.createdAt,
      };
      cases.set(record.code, record);
      return structuredClone(record);
    },

    async getCase(code) {
      assertOpen();
      const c = cases.get(code);
      return c ? structuredClone(c) : undefined;
    },

    async listCases(options = {}) {
      assertOpen();
      const since = options.since === undefined ? undefined : toEpochMs(options.since, "since");
      const until = options.until === undefined ? undefined : toEpochMs(options.until, "until");
      return [...cases.values()]
        .filter((c) => {
          const at = Date.parse(c.createdAt);
          return (
            (since === undefined || at >= since) &&
            (until === undefined || at < until) &&
            caseMatches(c, options)
          );
        })
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.code < b.code ? 1 : -1))
        .slice(0, listLimit(options.limit))
        .map((c) => structuredClone(c));
    },

    async updateCase(code, patch) {
      assertOpen();
      const c = cases.get(code);
      if (!c) return undefined;
      const next = patched(c, structuredClone(patch));
      cases.set(code, next);
      return structuredClone(next);
    },

    async appendCaseLine(code, line) {
      assertOpen();
      cases.get(code)?.transcript.push(structuredClone(line));
    },

    async addCaseEvent(event) {
      assertOpen();
      caseEvents.push(structuredClone(event));
    },

    async listCaseEvents(code) {
      assertOpen();
      return caseEvents
        .filter((e) => e.code === code)
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
        .map((e) => structuredClone(e));
    },

    async countCasesSince(reporterHash, since) {
      assertOpen();
      const from = toEpochMs(since, "since");
      return [...cases.values()].filter(
        (c) => c.reporterHash === reporterHash && Date.parse(c.createdAt) >= from,
      ).length;
    },

    async forgetReporters(closedBefore) {
      assertOpen();
      const before = toEpochMs(closedBefore, "closedBefore");
      let n = 0;
      for (const c of cases.values()) {
        if (c.closedAt && Date.parse(c.closedAt) < before && c.conversationId !== undefined) {
          delete c.conversationId;
          n++;
        }
      }
      return n;
    },

    async enqueueWebhook(call) {
      assertOpen();
      if (webhooks.has(call.key)) return false;
      webhooks.set(call.key, { ...call, attempts: 0 });
      return true;
    },

    async dueWebhooks(now, limit) {
      assertOpen();
      const at = toEpochMs(now, "now");
      return [...webhooks.values()]
        .filter((w) => !w.deliveredAt && Date.parse(w.nextAt) <= at)
        .sort((a, b) => Date.parse(a.nextAt) - Date.parse(b.nextAt))
        .slice(0, limit)
        .map((w) => ({ ...w }));
    },

    async settleWebhook(key, outcome) {
      assertOpen();
      const w = webhooks.get(key);
      if (!w) return;
      w.attempts++;
      if ("deliveredAt" in outcome) {
        w.deliveredAt = outcome.deliveredAt;
        delete w.lastError;
      } else {
        w.nextAt = outcome.nextAt;
        w.lastError = outcome.error;
      }
    },

    async getWebhook(key) {
      assertOpen();
      const w = webhooks.get(key);
      return w ? { ...w } : undefined;
    },

    lock: localLocks(),

    async close() {
      closed = true;
    },
  };
}

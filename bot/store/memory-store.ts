import { AppError } from "../../indexer/index.ts";
import {
  listWindow,
  toEpochMs,
  type Feedback,
  type InteractionRecord,
  type ListFeedbackOptions,
  type ListInteractionsOptions,
  type Store,
  type StoredInteraction,
} from "./store.ts";
import { createMemoryConversations } from "./memory-conversations.ts";

type Row = { seq: number; atMs: number; record: InteractionRecord; feedback?: Omit<Feedback, "answerId"> };

/** A Store that keeps everything in memory: for tests, and as a fallback when no database file is configured. */
export function createMemoryStore(): Store {
  const rows = new Map<string, Row>();
  const updates = new Map<string, number>();
  const state = new Map<string, string>();
  let seq = 0;
  let closed = false;

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

    async close() {
      closed = true;
    },
  };
}

import { createHash } from "node:crypto";
import { AppError } from "../../indexer/index.ts";
import type { FrameCoverage, Intent } from "../assistant/types.ts";
import type { CaseStore } from "./cases.ts";
import type { ConversationStore } from "./conversations.ts";

/** One question and its answer, as the assistant recorded it. Raw user ids never reach the store. */
export type InteractionRecord = {
  /** Random id made by the assistant (e.g. crypto.randomUUID()); feedback attaches to it. */
  answerId: string;
  /** ISO-8601 UTC timestamp. */
  at: string;
  /** "web" | "telegram" | "zalo-oa" | "cli" | ... */
  channel: string;
  /** Already hashed by the caller (see hashId). */
  conversationHash?: string;
  /** Already hashed by the caller (see hashId). */
  userHash?: string;
  question: string;
  language: "vi" | "en";
  intent: Intent;
  /** 0..1 */
  confidence: number;
  /** What the answer covered per thing asked (absent in records made before it was recorded). */
  coverage?: FrameCoverage[];
  /** Entry ids, in order. */
  sources: string[];
  answer: string;
  composer: "extractive" | "model";
  latencyMs: number;
};

/** A user's verdict on one answer. The comment length is capped by callers, not here. */
export type Feedback = { answerId: string; helpful: boolean; comment?: string; at: string };

/** An interaction with the feedback attached to it, if any. */
export type StoredInteraction = InteractionRecord & { feedback?: Omit<Feedback, "answerId"> };

/** Filters for listInteractions; `since` is inclusive, `until` exclusive, both ISO timestamps. */
export type ListInteractionsOptions = { since?: string; until?: string; limit?: number; channel?: string };

/**
 * Filters for listFeedback. `since` (inclusive), `until` (exclusive) and `channel` select by the interaction
 * the feedback is about, not by when the feedback came, so that feedback lines up with listInteractions
 * over the same period; `helpful` selects the verdict.
 */
export type ListFeedbackOptions = {
  since?: string;
  until?: string;
  channel?: string;
  helpful?: boolean;
  limit?: number;
};

/**
 * Where the assistant keeps interactions and feedback (SQLite in production, memory in tests), and what
 * the channels share across replicas: update claims, channel state, and (ConversationStore) reply
 * windows, the outbox and handoffs; and (CaseStore) tourist reports and their webhook queue.
 */
export interface Store extends ConversationStore, CaseStore {
  /** Throws an AppError `store_duplicate_answer` when an interaction with the same answerId exists. */
  recordInteraction(record: InteractionRecord): Promise<void>;
  /** "unknown_answer" when no interaction has that id (nothing is written). A second feedback for the same answer replaces the first. */
  recordFeedback(feedback: Feedback): Promise<"ok" | "unknown_answer">;
  getInteraction(answerId: string): Promise<StoredInteraction | undefined>;
  /** Newest first; `since`/`until` are ISO timestamps (inclusive / exclusive), limit default 100. */
  listInteractions(options?: ListInteractionsOptions): Promise<InteractionRecord[]>;
  /** Feedback, newest interaction first (the order of listInteractions); limit default 100. */
  listFeedback(options?: ListFeedbackOptions): Promise<Feedback[]>;
  /**
   * Deletes interactions (and their feedback) older than the ISO timestamp; returns how many interactions
   * were deleted. Update claims older than it go too, and so do handoffs closed before it (with their
   * transcripts) and sent or failed deliveries created before it.
   */
  purgeBefore(iso: string): Promise<number>;
  /**
   * Claims a platform update (Telegram update_id, Zalo msg_id) for processing: true the first time, false
   * when it was already claimed, so a redelivered webhook is answered once, across restarts. `at` is when
   * the update was received (purgeBefore counts from it), not the platform's own timestamp.
   */
  claimUpdate(channel: string, updateId: string, at: string): Promise<boolean>;
  /** A small persistent value of a channel (a Zalo token pair, a polling offset); undefined when unset. */
  getState(key: string): Promise<string | undefined>;
  setState(key: string, value: string): Promise<void>;
  /**
   * Runs `work` holding the lock `name`: calls with the same name run one after another, on this store
   * (memory, SQLite: in this process) or across every replica on the database (PostgreSQL), so that what
   * must happen once (a single-use token refresh) does.
   */
  lock<T>(name: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The listInteractions limit when none is given. */
export const DEFAULT_LIST_LIMIT = 100;

/** Hashes a user or conversation id before it reaches the store: sha256(salt + ":" + id), 32 hex chars. */
export function hashId(id: string, salt: string): string {
  const key = `${salt}:${id}`;
  let hash = recentHashes.get(key);
  if (hash === undefined) {
    hash = createHash("sha256").update(key, "utf8").digest("hex").slice(0, 32);
    // Each conversation asks several questions (and the web uses its id as the user's too).
    if (recentHashes.size >= 10_000) recentHashes.clear();
    recentHashes.set(key, hash);
  }
  return hash;
}

const recentHashes = new Map<string, string>();

/**
 * Milliseconds since the epoch for an ISO timestamp. Both stores compare instants, not strings, so that
 * "…T00:00:00Z", "…T00:00:00.000Z" and "…T07:00:00+07:00" are the same moment.
 */
export function toEpochMs(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new AppError("store_bad_timestamp", `${field} is not an ISO timestamp: ${JSON.stringify(iso)}`);
  }
  return ms;
}

/** The effective list limit: a whole number >= 0, DEFAULT_LIST_LIMIT when missing or not a number. */
/**
 * The selection both stores apply for listInteractions and listFeedback: the instants of `since` and
 * `until` (validated), the channel, and the limit. Absent filters are absent, not undefined.
 */
export function listWindow(options: ListInteractionsOptions): {
  since?: number;
  until?: number;
  channel?: string;
  limit: number;
} {
  return {
    limit: listLimit(options.limit),
    ...(options.since !== undefined ? { since: toEpochMs(options.since, "since") } : {}),
    ...(options.until !== undefined ? { until: toEpochMs(options.until, "until") } : {}),
    ...(options.channel !== undefined ? { channel: options.channel } : {}),
  };
}

export function listLimit(limit: number | undefined): number {
  if (limit === undefined || Number.isNaN(limit)) return DEFAULT_LIST_LIMIT;
  // Infinity has no SQLite LIMIT; the largest safe integer means the same.
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor(limit)));
}

/**
 * Named mutexes within one process, for the stores whose data only one process opens (memory, SQLite):
 * each call with a name waits for the calls before it with that name to settle.
 */
export function localLocks(): <T>(name: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (name, work) => {
    const before = tails.get(name) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => {});
    tails.set(name, tail);
    // The map forgets a name once its last call settled.
    void tail.then(() => {
      if (tails.get(name) === tail) tails.delete(name);
    });
    return run;
  };
}

import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { AppError } from "../../indexer/index.ts";
import { isSqliteError, openMigratedDatabase } from "./sqlite.ts";
import { CONVERSATIONS_MIGRATION, sqliteConversations } from "./sqlite-conversations.ts";
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

/**
 * Schema migrations; migration i brings the database to `PRAGMA user_version` i + 1. Append, never edit:
 * a database already at version n only runs the migrations after n.
 *
 * `at_ms` (the instant of `at`) is what filters, sorts and purges compare, so that timestamps written
 * with different precisions or offsets still order correctly; `at` keeps the text exactly as given.
 * `intent` has no CHECK so that the assistant can add intents without a migration.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    answer_id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    channel TEXT NOT NULL,
    conversation_hash TEXT,
    user_hash TEXT,
    question TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('vi', 'en')),
    intent TEXT NOT NULL,
    confidence REAL NOT NULL,
    sources_json TEXT NOT NULL,
    answer TEXT NOT NULL,
    composer TEXT NOT NULL CHECK (composer IN ('extractive', 'model')),
    latency_ms REAL NOT NULL
  );
  CREATE INDEX interactions_at ON interactions (at_ms);
  CREATE INDEX interactions_channel_at ON interactions (channel, at_ms);
  CREATE TABLE feedback (
    answer_id TEXT PRIMARY KEY REFERENCES interactions (answer_id) ON DELETE CASCADE,
    helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    comment TEXT,
    at TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE processed_updates (
    channel TEXT NOT NULL,
    update_id TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (channel, update_id)
  );
  CREATE INDEX processed_updates_at ON processed_updates (at_ms);
  CREATE TABLE channel_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // What each answer covered, per thing asked (JSON; NULL in rows recorded before it was kept).
  `ALTER TABLE interactions ADD COLUMN coverage_json TEXT;`,
  // Reply windows, the outbox (and the widget's mailbox), handoffs to staff (sqlite-conversations.ts).
  CONVERSATIONS_MIGRATION,
  // Tourist reports: the fields filters and retention read as columns, the rest as JSON.
  `
  CREATE TABLE case_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
  CREATE TABLE cases (
    code TEXT PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    status TEXT NOT NULL,
    category TEXT NOT NULL,
    reporter_hash TEXT NOT NULL,
    closed_ms INTEGER,
    data_json TEXT NOT NULL
  );
  CREATE INDEX cases_created ON cases (created_ms);
  CREATE INDEX cases_reporter ON cases (reporter_hash, created_ms);
  CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL REFERENCES cases (code) ON DELETE CASCADE,
    at_ms INTEGER NOT NULL,
    data_json TEXT NOT NULL
  );
  CREATE INDEX case_events_code ON case_events (code, at_ms);
  CREATE TABLE outbound_webhooks (
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    next_at TEXT NOT NULL,
    delivered_at TEXT,
    last_error TEXT
  );
  CREATE INDEX outbound_webhooks_due ON outbound_webhooks (delivered_at, next_ms);
  `,
];

/** The `PRAGMA user_version` of a database this code has fully migrated. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

type InteractionRow = {
  answer_id: string;
  at: string;
  channel: string;
  conversation_hash: string | null;
  user_hash: string | null;
  question: string;
  language: InteractionRecord["language"];
  intent: InteractionRecord["intent"];
  confidence: number;
  sources_json: string;
  coverage_json: string | null;
  answer: string;
  composer: InteractionRecord["composer"];
  latency_ms: number;
};
type FeedbackRow = { helpful: number; comment: string | null; at: string };

/** The writer thread; a plain .mjs file beside this one (also when the server runs from its bundle). */
const WRITER_ENTRY = new URL("./interaction-writer.mjs", import.meta.url);
/** How long a connection waits for the other one's write lock (the writer thread's, or this thread's). */
const BUSY_TIMEOUT_MS = 5000;

/** An insert's error as the writer thread reports it. */
type WriteError = { code: string | null; message: string };

const COLUMNS = `answer_id, at, channel, conversation_hash, user_hash, question, language, intent, confidence,
  sources_json, coverage_json, answer, composer, latency_ms`;

export type SqliteStoreOptions = {
  /**
   * Where interactions are inserted: "thread" (default) hands them to a writer thread; "here" writes on
   * the calling thread. An in-memory database is always written here.
   */
  writer?: "thread" | "here";
  /** The writer thread's script (tests use one that fails, to check that rows are then written here). */
  writerEntry?: URL;
};

/** Opens (creating when missing, with its parent directory) a SQLite store; data survives reopening. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  const db = openMigratedDatabase(file, {
    migrations: MIGRATIONS,
    role: { label: "store", code: "store" },
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    // Questions visitors typed (sometimes with names or phone numbers in them): owner only.
    ownerOnly: true,
  });

  const insertInteraction = db.prepare<[InteractionRow & { at_ms: number }]>(
    `INSERT INTO interactions (${COLUMNS}, at_ms) VALUES (:answer_id, :at, :channel, :conversation_hash,
      :user_hash, :question, :language, :intent, :confidence, :sources_json, :coverage_json, :answer, :composer, :latency_ms,
      :at_ms)`,
  );
  const interactionExists = db
    .prepare<[string], number>("SELECT 1 FROM interactions WHERE answer_id = ?")
    .pluck();
  const upsertFeedback = db.prepare<
    [{ answer_id: string; helpful: number; comment: string | null; at: string }]
  >(
    `INSERT INTO feedback (answer_id, helpful, comment, at) VALUES (:answer_id, :helpful, :comment, :at)
     ON CONFLICT (answer_id) DO UPDATE SET helpful = excluded.helpful, comment = excluded.comment, at = excluded.at`,
  );
  const selectInteraction = db.prepare<[string], InteractionRow>(
    `SELECT ${COLUMNS} FROM interactions WHERE answer_id = ?`,
  );
  const selectFeedback = db.prepare<[string], FeedbackRow>(
    "SELECT helpful, comment, at FROM feedback WHERE answer_id = ?",
  );
  const deleteBefore = db.prepare<[number]>("DELETE FROM interactions WHERE at_ms < ?");

  // One statement per combination of filters (at most sixteen), each prepared once on first use, so that
  // SQLite can pick the index that fits instead of one statement full of "? IS NULL OR ..." branches.
  type ListParams = { since?: number; until?: number; channel?: string; limit: number };
  /** The conditions of listWindow's filters on the interactions table (named `table` in the query). */
  const windowConditions = (p: ListParams, table: string) => [
    ...(p.since !== undefined ? [`${table}at_ms >= :since`] : []),
    ...(p.until !== undefined ? [`${table}at_ms < :until`] : []),
    ...(p.channel !== undefined ? [`${table}channel = :channel`] : []),
  ];
  const listStatement = statementPerFilters<ListParams, InteractionRow>(
    (p) => windowConditions(p, ""),
    (where) => `SELECT ${COLUMNS} FROM interactions ${where} ORDER BY at_ms DESC, id DESC LIMIT :limit`,
  );

  // Feedback is selected by its interaction's instant and channel (indexed), hence the join.
  type FeedbackParams = ListParams & { helpful?: number };
  const feedbackStatement = statementPerFilters<FeedbackParams, FeedbackRow & { answer_id: string }>(
    (p) => [...windowConditions(p, "i."), ...(p.helpful !== undefined ? ["f.helpful = :helpful"] : [])],
    (where) => `SELECT f.answer_id, f.helpful, f.comment, f.at FROM feedback f
         JOIN interactions i ON i.answer_id = f.answer_id ${where}
         ORDER BY i.at_ms DESC, i.id DESC LIMIT :limit`,
  );

  /** A statement for each set of conditions `conditions` gives, prepared on first use and then reused. */
  function statementPerFilters<P, R>(
    conditions: (params: P) => string[],
    sql: (where: string) => string,
  ): (params: P) => Database.Statement<[P], R> {
    const cache = new Map<string, Database.Statement<[P], R>>();
    return (params) => {
      const key = conditions(params).join(" AND ");
      let statement = cache.get(key);
      if (!statement) {
        statement = db.prepare<[P], R>(sql(key ? `WHERE ${key}` : ""));
        cache.set(key, statement);
      }
      return statement;
    };
  }

  const recordFeedback = db.transaction(
    (row: { answer_id: string; helpful: number; comment: string | null; at: string }) => {
      if (interactionExists.get(row.answer_id) === undefined) return "unknown_answer" as const;
      upsertFeedback.run(row);
      return "ok" as const;
    },
  );
  const deleteUpdatesBefore = db.prepare<[number]>("DELETE FROM processed_updates WHERE at_ms < ?");
  const conversations = sqliteConversations(db, () => ready());
  const { purge: purgeConversations, ...conversationMethods } = conversations;
  const purge = db.transaction((beforeMs: number) => {
    deleteUpdatesBefore.run(beforeMs);
    purgeConversations(beforeMs);
    return deleteBefore.run(beforeMs).changes;
  });
  const insertUpdate = db.prepare<[string, string, number]>(
    "INSERT OR IGNORE INTO processed_updates (channel, update_id, at_ms) VALUES (?, ?, ?)",
  );
  const selectState = db.prepare<[string], { value: string }>(
    "SELECT value FROM channel_state WHERE key = ?",
  );
  const upsertState = db.prepare<[string, string, string]>(
    "INSERT INTO channel_state (key, value, updated_at) VALUES (?, ?, ?) " +
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
  );

  function assertOpen(): void {
    if (!db.open) throw new AppError("store_closed", `the store ${file} is closed`);
  }

  // Interactions are written in batches: recordInteraction queues its row and resolves once the batch
  // that holds it is committed. The queue is handed over at the end of the event loop's current turn to
  // a writer thread with its own connection (interaction-writer.mjs), so that under load one transaction
  // holds many answers and neither the inserts nor SQLite's checkpoints run on the server's thread. Every
  // other call waits for the queue to be committed first, so a read sees every interaction whose
  // recordInteraction was called before it. An in-memory database, or a writer thread that fails, is
  // written on this thread instead.
  type Row = InteractionRow & { at_ms: number };
  type Pending = { row: Row; resolve: () => void; reject: (e: Error) => void };
  let pending: Pending[] = [];
  /** The batch the writer thread is writing (one at a time; see flush). */
  let inFlight: Pending[] | undefined;
  let whenDrained: (() => void)[] = [];
  const insertBatch = db.transaction((rows: Pending[]) => {
    for (const p of rows) insertInteraction.run(p.row);
  });
  let writer = file === ":memory:" || options.writer === "here" ? undefined : startWriter();

  function startWriter(): Worker {
    const worker = new Worker(options.writerEntry ?? WRITER_ENTRY, {
      workerData: { file, sql: insertInteraction.source, busyTimeoutMs: BUSY_TIMEOUT_MS },
    });
    // An idle store does not keep the process alive; a batch in flight does (see flush and drainedCheck).
    worker.unref();
    worker.on("message", ({ errors }: { errors: (WriteError | null)[] | null }) => {
      const batch = inFlight ?? [];
      inFlight = undefined;
      batch.forEach((p, i) => {
        const error = errors?.[i];
        if (error) p.reject(insertError(Object.assign(new Error(error.message), error), p.row.answer_id));
        else p.resolve();
      });
      // What queued up while this batch was written goes next, as one batch.
      flush();
      drainedCheck();
    });
    const fail = () => {
      if (writer !== worker) return;
      writer = undefined;
      // Whatever the thread had not confirmed is written here; a row it did commit is then a duplicate.
      if (inFlight) writeHere(inFlight, { duplicateIsWritten: true });
      inFlight = undefined;
      flush();
      drainedCheck();
    };
    worker.on("error", fail);
    worker.on("exit", fail);
    return worker;
  }

  function writeHere(batch: Pending[], { duplicateIsWritten = false } = {}): void {
    try {
      insertBatch(batch);
      for (const p of batch) p.resolve();
    } catch {
      for (const p of batch) {
        try {
          insertInteraction.run(p.row);
          p.resolve();
        } catch (error) {
          const duplicate = isSqliteError(error) && error.code === "SQLITE_CONSTRAINT_UNIQUE";
          if (duplicate && duplicateIsWritten) p.resolve();
          else p.reject(insertError(error, p.row.answer_id));
        }
      }
    }
  }

  function flush(): void {
    if (pending.length === 0 || !db.open) return;
    // One batch in flight at a time (group commit): under load each transaction takes whatever queued
    // while the one before was written, so there are fewer, larger transactions and messages.
    if (writer && inFlight) return;
    const batch = pending;
    pending = [];
    if (!writer) return writeHere(batch);
    writer.ref();
    inFlight = batch;
    writer.postMessage({ rows: batch.map((p) => p.row) });
  }

  function drainedCheck(): void {
    if (inFlight) return;
    writer?.unref();
    const waiting = whenDrained;
    whenDrained = [];
    for (const resolve of waiting) resolve();
  }

  // ---------------------------------------------------------------- cases
  const nextSeq = db
    .prepare<[number], number>(
      `INSERT INTO case_counters (year, last) VALUES (?, 1)
     ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last`,
    )
    .pluck();
  const insertCase = db.prepare<
    [
      {
        code: string;
        created_ms: number;
        status: string;
        category: string;
        reporter_hash: string;
        data_json: string;
      },
    ]
  >(
    `INSERT INTO cases (code, created_ms, status, category, reporter_hash, closed_ms, data_json)
     VALUES (:code, :created_ms, :status, :category, :reporter_hash, NULL, :data_json)`,
  );
  const createCaseTx = db.transaction((record: Omit<CaseRecord, "code">): CaseRecord => {
    const year = yearOf(record.createdAt);
    const full = { ...record, code: caseCode(year, nextSeq.get(year) as number) } as CaseRecord;
    insertCase.run({
      code: full.code,
      created_ms: toEpochMs(full.createdAt, "createdAt"),
      status: full.status,
      category: full.category,
      reporter_hash: full.reporterHash,
      data_json: JSON.stringify(full),
    });
    return full;
  });
  const selectCase = db.prepare<[string], string>("SELECT data_json FROM cases WHERE code = ?").pluck();
  const selectCases = db
    .prepare<[{ since: number; until: number; status: string | null; category: string | null }], string>(
      `SELECT data_json FROM cases WHERE created_ms >= :since AND created_ms < :until
       AND (:status IS NULL OR status = :status) AND (:category IS NULL OR category = :category)
       ORDER BY created_ms DESC, code DESC`,
    )
    .pluck();
  const writeCase = db.prepare<
    [{ code: string; status: string; closed_ms: number | null; data_json: string }]
  >("UPDATE cases SET status = :status, closed_ms = :closed_ms, data_json = :data_json WHERE code = :code");
  const saveCase = (c: CaseRecord) =>
    writeCase.run({
      code: c.code,
      status: c.status,
      closed_ms: c.closedAt ? toEpochMs(c.closedAt, "closedAt") : null,
      data_json: JSON.stringify(c),
    });
  const updateCaseTx = db.transaction((code: string, change: (c: CaseRecord) => CaseRecord) => {
    const json = selectCase.get(code);
    if (json === undefined) return undefined;
    const next = change(JSON.parse(json) as CaseRecord);
    saveCase(next);
    return next;
  });
  const insertEvent = db.prepare<[string, number, string]>(
    "INSERT INTO case_events (code, at_ms, data_json) VALUES (?, ?, ?)",
  );
  const selectEvents = db
    .prepare<[string], string>("SELECT data_json FROM case_events WHERE code = ? ORDER BY at_ms, id")
    .pluck();
  const countSince = db
    .prepare<[string, number], number>(
      "SELECT COUNT(*) FROM cases WHERE reporter_hash = ? AND created_ms >= ?",
    )
    .pluck();
  const closedBefore = db
    .prepare<[number], string>("SELECT data_json FROM cases WHERE closed_ms IS NOT NULL AND closed_ms < ?")
    .pluck();
  const forgetTx = db.transaction((beforeMs: number) => {
    let n = 0;
    for (const json of closedBefore.all(beforeMs)) {
      const c = JSON.parse(json) as CaseRecord;
      if (c.conversationId === undefined) continue;
      delete c.conversationId;
      saveCase(c);
      n++;
    }
    return n;
  });
  type WebhookRow = {
    key: string;
    body: string;
    attempts: number;
    next_at: string;
    delivered_at: string | null;
    last_error: string | null;
  };
  const webhookOf = (r: WebhookRow): QueuedWebhook => ({
    key: r.key,
    body: r.body,
    attempts: r.attempts,
    nextAt: r.next_at,
    ...(r.delivered_at !== null ? { deliveredAt: r.delivered_at } : {}),
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
  });
  const insertWebhook = db.prepare<[string, string, number, string]>(
    "INSERT OR IGNORE INTO outbound_webhooks (key, body, next_ms, next_at) VALUES (?, ?, ?, ?)",
  );
  const selectDue = db.prepare<[number, number], WebhookRow>(
    `SELECT key, body, attempts, next_at, delivered_at, last_error FROM outbound_webhooks
     WHERE delivered_at IS NULL AND next_ms <= ? ORDER BY next_ms, key LIMIT ?`,
  );
  const selectWebhook = db.prepare<[string], WebhookRow>(
    "SELECT key, body, attempts, next_at, delivered_at, last_error FROM outbound_webhooks WHERE key = ?",
  );
  const markDelivered = db.prepare<[string, string]>(
    "UPDATE outbound_webhooks SET attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE key = ?",
  );
  const markFailed = db.prepare<[number, string, string, string]>(
    "UPDATE outbound_webhooks SET attempts = attempts + 1, next_ms = ?, next_at = ?, last_error = ? WHERE key = ?",
  );

  /** Every interaction queued so far committed. */
  async function drain(): Promise<void> {
    flush();
    if (inFlight) await new Promise<void>((resolve) => whenDrained.push(resolve));
  }

  /** Open, with every queued interaction committed. */
  async function ready(): Promise<void> {
    assertOpen();
    await drain();
    assertOpen();
  }

  return {
    ...conversationMethods,
    async recordInteraction(record) {
      assertOpen();
      // Copied now: the caller may change its record after the call.
      const row = { ...toRow(record), at_ms: toEpochMs(record.at, "at") };
      return new Promise<void>((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ row, resolve, reject });
      });
    },

    async recordFeedback(feedback) {
      await ready();
      return recordFeedback({
        answer_id: feedback.answerId,
        helpful: feedback.helpful ? 1 : 0,
        comment: feedback.comment ?? null,
        at: feedback.at,
      });
    },

    async getInteraction(answerId) {
      await ready();
      const row = selectInteraction.get(answerId);
      if (!row) return undefined;
      const out: StoredInteraction = fromRow(row);
      const feedback = selectFeedback.get(answerId);
      if (feedback) {
        out.feedback = { helpful: feedback.helpful === 1, at: feedback.at };
        if (feedback.comment !== null) out.feedback.comment = feedback.comment;
      }
      return out;
    },

    async listInteractions(options: ListInteractionsOptions = {}) {
      await ready();
      const params: ListParams = listWindow(options);
      return listStatement(params).all(params).map(fromRow);
    },

    async listFeedback(options: ListFeedbackOptions = {}) {
      await ready();
      const params: FeedbackParams = listWindow(options);
      if (options.helpful !== undefined) params.helpful = options.helpful ? 1 : 0;
      return feedbackStatement(params)
        .all(params)
        .map((row) => {
          const feedback: Feedback = { answerId: row.answer_id, helpful: row.helpful === 1, at: row.at };
          if (row.comment !== null) feedback.comment = row.comment;
          return feedback;
        });
    },

    async purgeBefore(iso) {
      await ready();
      return purge(toEpochMs(iso, "purgeBefore"));
    },

    async claimUpdate(channel, updateId, at) {
      await ready();
      return insertUpdate.run(channel, updateId, toEpochMs(at, "at")).changes === 1;
    },

    async getState(key) {
      await ready();
      return selectState.get(key)?.value;
    },

    async setState(key, value) {
      await ready();
      upsertState.run(key, value, new Date().toISOString());
    },

    async createCase(input) {
      await ready();
      return createCaseTx({ ...structuredClone(input), status: "received", updatedAt: input.createdAt });
    },

    async getCase(code) {
      await ready();
      const json = selectCase.get(code);
      return json === undefined ? undefined : (JSON.parse(json) as CaseRecord);
    },

    async listCases(options = {}) {
      await ready();
      const since = options.since === undefined ? Number.MIN_SAFE_INTEGER : toEpochMs(options.since, "since");
      const until = options.until === undefined ? Number.MAX_SAFE_INTEGER : toEpochMs(options.until, "until");
      return selectCases
        .all({ since, until, status: options.status ?? null, category: options.category ?? null })
        .map((json) => JSON.parse(json) as CaseRecord)
        .filter((c) => caseMatches(c, options))
        .slice(0, listLimit(options.limit));
    },

    async updateCase(code, patch) {
      await ready();
      return updateCaseTx(code, (c) => patched(c, patch));
    },

    async appendCaseLine(code, line) {
      await ready();
      updateCaseTx(code, (c) => ({ ...c, transcript: [...c.transcript, line] }));
    },

    async addCaseEvent(event: CaseEvent) {
      await ready();
      insertEvent.run(event.code, toEpochMs(event.at, "at"), JSON.stringify(event));
    },

    async listCaseEvents(code) {
      await ready();
      return selectEvents.all(code).map((json) => JSON.parse(json) as CaseEvent);
    },

    async countCasesSince(reporterHash, since) {
      await ready();
      return countSince.get(reporterHash, toEpochMs(since, "since")) as number;
    },

    async forgetReporters(before) {
      await ready();
      return forgetTx(toEpochMs(before, "closedBefore"));
    },

    async enqueueWebhook(call) {
      await ready();
      return (
        insertWebhook.run(call.key, call.body, toEpochMs(call.nextAt, "nextAt"), call.nextAt).changes === 1
      );
    },

    async dueWebhooks(now, limit) {
      await ready();
      return selectDue.all(toEpochMs(now, "now"), listLimit(limit)).map(webhookOf);
    },

    async settleWebhook(key, outcome) {
      await ready();
      if ("deliveredAt" in outcome) markDelivered.run(outcome.deliveredAt, key);
      else
        markFailed.run(toEpochMs(outcome.nextAt, "nextAt"), outcome.nextAt, outcome.error.slice(0, 500), key);
    },

    async getWebhook(key) {
      await ready();
      const row = selectWebhook.get(key);
      return row ? webhookOf(row) : undefined;
    },

    // One process opens a SQLite store (the database file is local), so a lock in this process suffices.
    lock: localLocks(),

    async close() {
      if (!db.open) return;
      await drain();
      const closing = writer;
      writer = undefined;
      if (closing) {
        const exited = new Promise((resolve) => closing.once("exit", resolve));
        // Held until the thread has closed its connection, so that close() settles before the process ends.
        closing.ref();
        closing.postMessage({ type: "close" });
        await exited;
      }
      if (db.open) db.close();
    },
  };
}

function insertError(error: unknown, answerId: string): Error {
  if (isSqliteError(error) && error.code === "SQLITE_CONSTRAINT_UNIQUE")
    return new AppError("store_duplicate_answer", `an interaction with answerId ${answerId} exists`, {
      cause: error,
    });
  return error instanceof Error ? error : new Error(String(error));
}

function toRow(record: InteractionRecord): InteractionRow {
  return {
    answer_id: record.answerId,
    at: record.at,
    channel: record.channel,
    conversation_hash: record.conversationHash ?? null,
    user_hash: record.userHash ?? null,
    question: record.question,
    language: record.language,
    intent: record.intent,
    confidence: record.confidence,
    sources_json: JSON.stringify(record.sources),
    coverage_json: record.coverage ? JSON.stringify(record.coverage) : null,
    answer: record.answer,
    composer: record.composer,
    latency_ms: record.latencyMs,
  };
}

function fromRow(row: InteractionRow): InteractionRecord {
  const record: InteractionRecord = {
    answerId: row.answer_id,
    at: row.at,
    channel: row.channel,
    question: row.question,
    language: row.language,
    intent: row.intent,
    confidence: row.confidence,
    sources: JSON.parse(row.sources_json) as string[],
    answer: row.answer,
    composer: row.composer,
    latencyMs: row.latency_ms,
  };
  if (row.coverage_json !== null)
    record.coverage = JSON.parse(row.coverage_json) as InteractionRecord["coverage"];
  if (row.conversation_hash !== null) record.conversationHash = row.conversation_hash;
  if (row.user_hash !== null) record.userHash = row.user_hash;
  return record;
}

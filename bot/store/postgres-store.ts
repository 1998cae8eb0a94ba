/**
 * The Store on PostgreSQL (DATABASE_URL), shared by every replica: the same semantics as the SQLite store,
 * with what must happen once across replicas done by the database (claims by INSERT … ON CONFLICT DO
 * NOTHING, compare-and-set UPDATEs, one open handoff per conversation by a partial unique index, case
 * codes from a counter row updated atomically). Instants are BIGINT epoch milliseconds, read back as numbers.
 */
import type pg from "pg";
import { AppError } from "../../indexer/index.ts";
import { inTransaction, isUniqueViolation, migratePostgres, withPostgresLock } from "./postgres.ts";
import {
  listLimit,
  listWindow,
  toEpochMs,
  type Feedback,
  type InteractionRecord,
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
import type { DeliveryRow, DeliveryStatus, HandoffLine, HandoffRow } from "./conversations.ts";

/** Migrations of the "store" component (append, never edit). */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE interactions (
    id BIGSERIAL PRIMARY KEY,
    answer_id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    channel TEXT NOT NULL,
    conversation_hash TEXT,
    user_hash TEXT,
    question TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('vi', 'en')),
    intent TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    sources_json TEXT NOT NULL,
    coverage_json TEXT,
    answer TEXT NOT NULL,
    composer TEXT NOT NULL CHECK (composer IN ('extractive', 'model')),
    latency_ms DOUBLE PRECISION NOT NULL
  );
  CREATE INDEX interactions_at ON interactions (at_ms);
  CREATE INDEX interactions_channel_at ON interactions (channel, at_ms);
  CREATE TABLE feedback (
    answer_id TEXT PRIMARY KEY REFERENCES interactions (answer_id) ON DELETE CASCADE,
    helpful BOOLEAN NOT NULL,
    comment TEXT,
    at TEXT NOT NULL
  );
  CREATE TABLE processed_updates (
    channel TEXT NOT NULL,
    update_id TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (channel, update_id)
  );
  CREATE INDEX processed_updates_at ON processed_updates (at_ms);
  CREATE TABLE channel_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
  CREATE TABLE conversation_activity (
    channel TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    last_user_at_ms BIGINT NOT NULL,
    sent_since_user INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, conversation_id)
  );
  CREATE TABLE deliveries (
    seq BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'held', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL,
    reason TEXT,
    created_ms BIGINT NOT NULL,
    sent_ms BIGINT
  );
  CREATE INDEX deliveries_due ON deliveries (status, next_attempt_ms);
  CREATE INDEX deliveries_conversation ON deliveries (channel, conversation_id, seq);
  CREATE TABLE handoffs (
    id TEXT PRIMARY KEY,
    n BIGSERIAL,
    channel TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    lang TEXT NOT NULL CHECK (lang IN ('vi', 'en')),
    started_ms BIGINT NOT NULL,
    last_user_ms BIGINT,
    last_staff_ms BIGINT,
    closed_ms BIGINT,
    closed_by TEXT
  );
  CREATE UNIQUE INDEX handoffs_one_open ON handoffs (channel, conversation_id) WHERE status = 'open';
  CREATE INDEX handoffs_started ON handoffs (started_ms);
  CREATE TABLE handoff_lines (
    seq BIGSERIAL PRIMARY KEY,
    handoff_id TEXT NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
    at_ms BIGINT NOT NULL,
    author TEXT NOT NULL CHECK (author IN ('user', 'staff', 'bot')),
    staff_name TEXT,
    text TEXT NOT NULL,
    delivery_key TEXT
  );
  CREATE INDEX handoff_lines_handoff ON handoff_lines (handoff_id, seq);
  CREATE TABLE case_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
  CREATE TABLE cases (
    code TEXT PRIMARY KEY,
    created_ms BIGINT NOT NULL,
    status TEXT NOT NULL,
    category TEXT NOT NULL,
    reporter_hash TEXT NOT NULL,
    closed_ms BIGINT,
    data_json TEXT NOT NULL
  );
  CREATE INDEX cases_created ON cases (created_ms);
  CREATE INDEX cases_reporter ON cases (reporter_hash, created_ms);
  CREATE TABLE case_events (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL REFERENCES cases (code) ON DELETE CASCADE,
    at_ms BIGINT NOT NULL,
    data_json TEXT NOT NULL
  );
  CREATE INDEX case_events_code ON case_events (code, at_ms);
  CREATE TABLE outbound_webhooks (
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms BIGINT NOT NULL,
    next_at TEXT NOT NULL,
    delivered_at TEXT,
    last_error TEXT
  );
  CREATE INDEX outbound_webhooks_due ON outbound_webhooks (delivered_at, next_ms);
  `,
];

/** The schema version of the "store" component this code migrates to. */
export const STORE_PG_SCHEMA_VERSION = MIGRATIONS.length;

const COLUMNS = `answer_id, at, channel, conversation_hash, user_hash, question, language, intent, confidence,
  sources_json, coverage_json, answer, composer, latency_ms`;

type Row = Record<string, unknown>;

/**
 * PostgreSQL TEXT cannot hold NUL, which interactions may carry (a visitor's text, an answer id): their
 * text columns are stored with NUL as "\\0" and a backslash doubled. One-to-one, so equality still works.
 */
const enc = (s: string): string => s.replace(/\\/g, "\\\\").replace(/\0/g, "\\0");
const encN = (s: string | undefined): string | null => (s === undefined ? null : enc(s));
const dec = (v: unknown): string =>
  (v as string).replace(/\\(\\|0)/g, (_, c: string) => (c === "0" ? "\0" : "\\"));
/** A BIGINT column (node-postgres reads it as text) as a number; undefined for NULL. */
const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

/** Opens the Store on a pool, migrating its tables; close() leaves the pool to its owner. */
export async function openPostgresStore(pool: pg.Pool): Promise<Store> {
  await migratePostgres(pool, "store", MIGRATIONS);
  let closed = false;
  const q = async (sql: string, params: unknown[] = []): Promise<pg.QueryResult<Row>> => {
    if (closed) throw new AppError("store_closed", "the PostgreSQL store is closed");
    return pool.query<Row>(sql, params);
  };
  const saveCase = (client: pg.PoolClient, c: CaseRecord) =>
    client.query("UPDATE cases SET status = $2, closed_ms = $3, data_json = $4 WHERE code = $1", [
      c.code,
      c.status,
      c.closedAt ? toEpochMs(c.closedAt, "closedAt") : null,
      JSON.stringify(c),
    ]);
  /** Read-modify-write of a case's JSON under a row lock, so that two replicas' changes do not overwrite each other. */
  const changeCase = async (code: string, change: (c: CaseRecord) => CaseRecord) => {
    if (closed) throw new AppError("store_closed", "the PostgreSQL store is closed");
    return inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ data_json: string }>(
        "SELECT data_json FROM cases WHERE code = $1 FOR UPDATE",
        [code],
      );
      if (!rows[0]) return undefined;
      const next = change(JSON.parse(rows[0].data_json) as CaseRecord);
      await saveCase(client, next);
      return next;
    });
  };

  return {
    async recordInteraction(r) {
      const atMs = toEpochMs(r.at, "at");
      try {
        await q(
          `INSERT INTO interactions (${COLUMNS}, at_ms) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
          [
            enc(r.answerId),
            enc(r.at),
            enc(r.channel),
            encN(r.conversationHash),
            encN(r.userHash),
            enc(r.question),
            r.language,
            r.intent,
            r.confidence,
            JSON.stringify(r.sources),
            r.coverage ? JSON.stringify(r.coverage) : null,
            enc(r.answer),
            r.composer,
            r.latencyMs,
            atMs,
          ],
        );
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError("store_duplicate_answer", `an interaction with answerId ${r.answerId} exists`, {
            cause: err,
          });
        throw err;
      }
    },

    async recordFeedback(f) {
      // One statement: the feedback is written only when its interaction exists.
      const { rowCount } = await q(
        `INSERT INTO feedback (answer_id, helpful, comment, at)
         SELECT answer_id, $2, $3, $4 FROM interactions WHERE answer_id = $1
         ON CONFLICT (answer_id) DO UPDATE SET helpful = excluded.helpful, comment = excluded.comment, at = excluded.at`,
        [enc(f.answerId), f.helpful, encN(f.comment), enc(f.at)],
      );
      return rowCount === 1 ? "ok" : "unknown_answer";
    },

    async getInteraction(answerId) {
      const { rows } = await q(`SELECT ${COLUMNS} FROM interactions WHERE answer_id = $1`, [enc(answerId)]);
      if (!rows[0]) return undefined;
      const out: StoredInteraction = fromRow(rows[0]);
      const feedback = await q("SELECT helpful, comment, at FROM feedback WHERE answer_id = $1", [
        enc(answerId),
      ]);
      const f = feedback.rows[0];
      if (f) {
        out.feedback = { helpful: f.helpful as boolean, at: dec(f.at) };
        if (f.comment !== null) out.feedback.comment = dec(f.comment);
      }
      return out;
    },

    async listInteractions(options = {}) {
      const w = listWindow(options);
      const { rows } = await q(
        `SELECT ${COLUMNS} FROM interactions WHERE ($1::bigint IS NULL OR at_ms >= $1)
         AND ($2::bigint IS NULL OR at_ms < $2) AND ($3::text IS NULL OR channel = $3)
         ORDER BY at_ms DESC, id DESC LIMIT $4`,
        [w.since ?? null, w.until ?? null, encN(w.channel), w.limit],
      );
      return rows.map(fromRow);
    },

    async listFeedback(options = {}) {
      const w = listWindow(options);
      const { rows } = await q(
        `SELECT f.answer_id, f.helpful, f.comment, f.at FROM feedback f
         JOIN interactions i ON i.answer_id = f.answer_id
         WHERE ($1::bigint IS NULL OR i.at_ms >= $1) AND ($2::bigint IS NULL OR i.at_ms < $2)
         AND ($3::text IS NULL OR i.channel = $3) AND ($4::boolean IS NULL OR f.helpful = $4)
         ORDER BY i.at_ms DESC, i.id DESC LIMIT $5`,
        [w.since ?? null, w.until ?? null, encN(w.channel), options.helpful ?? null, w.limit],
      );
      return rows.map((r) => {
        const f: Feedback = {
          answerId: dec(r.answer_id),
          helpful: r.helpful as boolean,
          at: dec(r.at),
        };
        if (r.comment !== null) f.comment = dec(r.comment);
        return f;
      });
    },

    async purgeBefore(iso) {
      const before = toEpochMs(iso, "purgeBefore");
      if (closed) throw new AppError("store_closed", "the PostgreSQL store is closed");
      return inTransaction(pool, async (c) => {
        await c.query("DELETE FROM processed_updates WHERE at_ms < $1", [before]);
        await c.query("DELETE FROM deliveries WHERE status IN ('sent', 'failed') AND created_ms < $1", [
          before,
        ]);
        await c.query("DELETE FROM handoffs WHERE status = 'closed' AND closed_ms < $1", [before]);
        return (await c.query("DELETE FROM interactions WHERE at_ms < $1", [before])).rowCount ?? 0;
      });
    },

    async claimUpdate(channel, updateId, at) {
      const atMs = toEpochMs(at, "at");
      const { rowCount } = await q(
        "INSERT INTO processed_updates (channel, update_id, at_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        [channel, updateId, atMs],
      );
      return rowCount === 1;
    },

    async getState(key) {
      const { rows } = await q("SELECT value FROM channel_state WHERE key = $1", [key]);
      return rows[0]?.value as string | undefined;
    },

    async setState(key, value) {
      await q(
        `INSERT INTO channel_state (key, value, updated_at) VALUES ($1, $2, now())
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [key, value],
      );
    },

    // ------------------------------------------------------------ conversations
    async noteUserMessage(channel, conversationId, at) {
      await q(
        `INSERT INTO conversation_activity (channel, conversation_id, last_user_at_ms, sent_since_user)
         VALUES ($1, $2, $3, 0) ON CONFLICT (channel, conversation_id) DO UPDATE SET
         last_user_at_ms = greatest(conversation_activity.last_user_at_ms, excluded.last_user_at_ms),
         sent_since_user = 0`,
        [channel, conversationId, at],
      );
    },
    async noteSent(channel, conversationId) {
      await q(
        "UPDATE conversation_activity SET sent_since_user = sent_since_user + 1 WHERE channel = $1 AND conversation_id = $2",
        [channel, conversationId],
      );
    },
    async conversationActivity(channel, conversationId) {
      const { rows } = await q(
        "SELECT last_user_at_ms, sent_since_user FROM conversation_activity WHERE channel = $1 AND conversation_id = $2",
        [channel, conversationId],
      );
      const r = rows[0];
      return r
        ? { lastUserAt: Number(r.last_user_at_ms), sentSinceUser: Number(r.sent_since_user) }
        : undefined;
    },

    async insertDelivery(row) {
      const { rowCount } = await q(
        `INSERT INTO deliveries (key, channel, conversation_id, message_json, status, attempts,
           next_attempt_ms, reason, created_ms, sent_ms) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
         ON CONFLICT (key) DO NOTHING`,
        [
          row.key,
          row.channel,
          row.conversationId,
          row.message,
          row.status,
          row.attempts,
          row.nextAttemptAt,
          row.reason ?? null,
          row.createdAt,
          row.sentAt ?? null,
        ],
      );
      return rowCount === 1;
    },
    async getDelivery(key) {
      const { rows } = await q("SELECT * FROM deliveries WHERE key = $1", [key]);
      return rows[0] ? fromD(rows[0]) : undefined;
    },
    async updateDelivery(key, patch, ifStatus, ifAttempts) {
      const column = {
        status: "status",
        attempts: "attempts",
        nextAttemptAt: "next_attempt_ms",
        reason: "reason",
        sentAt: "sent_ms",
      } as const;
      const params: unknown[] = [key];
      const sets: string[] = [];
      for (const [field, name] of Object.entries(column)) {
        const value = patch[field as keyof typeof patch];
        if (value === undefined) continue;
        params.push(value);
        sets.push(`${name} = $${params.length}`);
      }
      if (!sets.length) return false;
      let where = "key = $1";
      if (ifStatus) {
        params.push(ifStatus);
        where += ` AND status = $${params.length}`;
      }
      if (ifAttempts !== undefined) {
        params.push(ifAttempts);
        where += ` AND attempts = $${params.length}`;
      }
      // One UPDATE with the compare in its WHERE: of two replicas claiming the same try, one changes the row.
      const { rowCount } = await q(`UPDATE deliveries SET ${sets.join(", ")} WHERE ${where}`, params);
      return rowCount === 1;
    },
    async listDeliveries(f) {
      const { rows } = await q(
        `SELECT * FROM deliveries WHERE ($1::text[] IS NULL OR status = ANY($1))
         AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR conversation_id = $3)
         AND ($4::bigint IS NULL OR next_attempt_ms <= $4) AND ($5::bigint IS NULL OR seq > $5)
         ORDER BY seq LIMIT $6`,
        [
          f.status ?? null,
          f.channel ?? null,
          f.conversationId ?? null,
          f.dueBy ?? null,
          f.afterSeq ?? null,
          f.limit ?? 100,
        ],
      );
      return rows.map(fromD);
    },

    async openHandoff(row) {
      // The partial unique index makes the insert a no-op when one is open, also when two replicas race.
      for (;;) {
        const inserted = await q(
          `INSERT INTO handoffs (id, channel, conversation_id, status, lang, started_ms, last_user_ms, last_staff_ms)
           VALUES ($1, $2, $3, 'open', $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING *`,
          [
            row.id,
            row.channel,
            row.conversationId,
            row.lang,
            row.startedAt,
            row.lastUserAt ?? null,
            row.lastStaffAt ?? null,
          ],
        );
        if (inserted.rows[0]) return { handoff: fromH(inserted.rows[0]), created: true };
        const { rows } = await q(
          "SELECT * FROM handoffs WHERE channel = $1 AND conversation_id = $2 AND status = 'open'",
          [row.channel, row.conversationId],
        );
        if (rows[0]) return { handoff: fromH(rows[0]), created: false };
        // The conflict was on the id, or the open one closed in between: an id taken answers as SQLite does.
        const byId = await q("SELECT * FROM handoffs WHERE id = $1", [row.id]);
        if (byId.rows[0]) return { handoff: fromH(byId.rows[0]), created: false };
      }
    },
    async getHandoff(id) {
      const { rows } = await q("SELECT * FROM handoffs WHERE id = $1", [id]);
      return rows[0] ? fromH(rows[0]) : undefined;
    },
    async findOpenHandoff(channel, conversationId) {
      const { rows } = await q(
        "SELECT * FROM handoffs WHERE channel = $1 AND conversation_id = $2 AND status = 'open'",
        [channel, conversationId],
      );
      return rows[0] ? fromH(rows[0]) : undefined;
    },
    async listHandoffs(options = {}) {
      const { rows } = await q(
        `SELECT * FROM handoffs WHERE ($1::text IS NULL OR status = $1) ORDER BY started_ms DESC, n DESC LIMIT $2`,
        [options.status ?? null, options.limit ?? 100],
      );
      return rows.map(fromH);
    },
    async touchHandoff(id, patch) {
      await q(
        `UPDATE handoffs SET last_user_ms = coalesce($2, last_user_ms), last_staff_ms = coalesce($3, last_staff_ms)
         WHERE id = $1 AND status = 'open'`,
        [id, patch.lastUserAt ?? null, patch.lastStaffAt ?? null],
      );
    },
    async closeHandoff(id, at, by) {
      const { rowCount } = await q(
        "UPDATE handoffs SET status = 'closed', closed_ms = $2, closed_by = $3 WHERE id = $1 AND status = 'open'",
        [id, at, by],
      );
      return rowCount === 1;
    },
    async appendHandoffLine(line) {
      const { rows } = await q(
        `INSERT INTO handoff_lines (handoff_id, at_ms, author, staff_name, text, delivery_key)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq`,
        [line.handoffId, line.at, line.author, line.staffName ?? null, line.text, line.deliveryKey ?? null],
      );
      return Number(rows[0]?.seq);
    },
    async handoffLines(id, afterSeq) {
      const { rows } = await q(
        "SELECT * FROM handoff_lines WHERE handoff_id = $1 AND seq > $2 ORDER BY seq",
        [id, afterSeq ?? 0],
      );
      return rows.map(fromL);
    },

    // ------------------------------------------------------------ cases
    async createCase(input) {
      const record: Omit<CaseRecord, "code"> = {
        ...structuredClone(input),
        status: "received",
        updatedAt: input.createdAt,
      };
      const year = yearOf(record.createdAt);
      const createdMs = toEpochMs(record.createdAt, "createdAt");
      if (closed) throw new AppError("store_closed", "the PostgreSQL store is closed");
      return inTransaction(pool, async (c) => {
        // The counter row is locked by the upsert until commit: replicas get distinct codes, in order.
        const { rows } = await c.query<{ last: number }>(
          `INSERT INTO case_counters (year, last) VALUES ($1, 1)
           ON CONFLICT (year) DO UPDATE SET last = case_counters.last + 1 RETURNING last`,
          [year],
        );
        const full = { ...record, code: caseCode(year, Number(rows[0]?.last)) } as CaseRecord;
        await c.query(
          `INSERT INTO cases (code, created_ms, status, category, reporter_hash, closed_ms, data_json)
           VALUES ($1, $2, $3, $4, $5, NULL, $6)`,
          [full.code, createdMs, full.status, full.category, full.reporterHash, JSON.stringify(full)],
        );
        return full;
      });
    },
    async getCase(code) {
      const { rows } = await q("SELECT data_json FROM cases WHERE code = $1", [code]);
      return rows[0] ? (JSON.parse(rows[0].data_json as string) as CaseRecord) : undefined;
    },
    async listCases(options = {}) {
      const since = options.since === undefined ? null : toEpochMs(options.since, "since");
      const until = options.until === undefined ? null : toEpochMs(options.until, "until");
      const { rows } = await q(
        `SELECT data_json FROM cases WHERE ($1::bigint IS NULL OR created_ms >= $1)
         AND ($2::bigint IS NULL OR created_ms < $2) AND ($3::text IS NULL OR status = $3)
         AND ($4::text IS NULL OR category = $4) ORDER BY created_ms DESC, code COLLATE "C" DESC`,
        [since, until, options.status ?? null, options.category ?? null],
      );
      return rows
        .map((r) => JSON.parse(r.data_json as string) as CaseRecord)
        .filter((c) => caseMatches(c, options))
        .slice(0, listLimit(options.limit));
    },
    async updateCase(code, patch) {
      return changeCase(code, (c) => patched(c, patch));
    },
    async appendCaseLine(code, line) {
      await changeCase(code, (c) => ({ ...c, transcript: [...c.transcript, line] }));
    },
    async addCaseEvent(event: CaseEvent) {
      await q("INSERT INTO case_events (code, at_ms, data_json) VALUES ($1, $2, $3)", [
        event.code,
        toEpochMs(event.at, "at"),
        JSON.stringify(event),
      ]);
    },
    async listCaseEvents(code) {
      const { rows } = await q("SELECT data_json FROM case_events WHERE code = $1 ORDER BY at_ms, id", [
        code,
      ]);
      return rows.map((r) => JSON.parse(r.data_json as string) as CaseEvent);
    },
    async countCasesSince(reporterHash, since) {
      const { rows } = await q(
        "SELECT count(*) AS n FROM cases WHERE reporter_hash = $1 AND created_ms >= $2",
        [reporterHash, toEpochMs(since, "since")],
      );
      return Number(rows[0]?.n ?? 0);
    },
    async forgetReporters(closedBefore) {
      const before = toEpochMs(closedBefore, "closedBefore");
      if (closed) throw new AppError("store_closed", "the PostgreSQL store is closed");
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ data_json: string }>(
          "SELECT data_json FROM cases WHERE closed_ms IS NOT NULL AND closed_ms < $1 FOR UPDATE",
          [before],
        );
        let n = 0;
        for (const r of rows) {
          const c = JSON.parse(r.data_json) as CaseRecord;
          if (c.conversationId === undefined) continue;
          delete c.conversationId;
          await saveCase(client, c);
          n++;
        }
        return n;
      });
    },
    async enqueueWebhook(call) {
      const { rowCount } = await q(
        "INSERT INTO outbound_webhooks (key, body, next_ms, next_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        [call.key, call.body, toEpochMs(call.nextAt, "nextAt"), call.nextAt],
      );
      return rowCount === 1;
    },
    async dueWebhooks(now, limit) {
      const { rows } = await q(
        `SELECT key, body, attempts, next_at, delivered_at, last_error FROM outbound_webhooks
         WHERE delivered_at IS NULL AND next_ms <= $1 ORDER BY next_ms, key COLLATE "C" LIMIT $2`,
        [toEpochMs(now, "now"), listLimit(limit)],
      );
      return rows.map(webhookOf);
    },
    async settleWebhook(key, outcome) {
      if ("deliveredAt" in outcome)
        await q(
          "UPDATE outbound_webhooks SET attempts = attempts + 1, delivered_at = $2, last_error = NULL WHERE key = $1",
          [key, outcome.deliveredAt],
        );
      else
        await q(
          "UPDATE outbound_webhooks SET attempts = attempts + 1, next_ms = $2, next_at = $3, last_error = $4 WHERE key = $1",
          [key, toEpochMs(outcome.nextAt, "nextAt"), outcome.nextAt, outcome.error.slice(0, 500)],
        );
    },
    async getWebhook(key) {
      const { rows } = await q(
        "SELECT key, body, attempts, next_at, delivered_at, last_error FROM outbound_webhooks WHERE key = $1",
        [key],
      );
      return rows[0] ? webhookOf(rows[0]) : undefined;
    },

    async lock(name, work) {
      if (closed) throw new AppError("store_closed", "the PostgreSQL store is closed");
      return withPostgresLock(pool, `store:${name}`, work);
    },

    async close() {
      // The pool belongs to whoever opened it (other stores share it).
      closed = true;
    },
  };
}

function fromRow(row: Row): InteractionRecord {
  const record: InteractionRecord = {
    answerId: dec(row.answer_id),
    at: dec(row.at),
    channel: dec(row.channel),
    question: dec(row.question),
    language: row.language as InteractionRecord["language"],
    intent: row.intent as InteractionRecord["intent"],
    confidence: Number(row.confidence),
    sources: JSON.parse(row.sources_json as string) as string[],
    answer: dec(row.answer),
    composer: row.composer as InteractionRecord["composer"],
    latencyMs: Number(row.latency_ms),
  };
  if (row.coverage_json !== null)
    record.coverage = JSON.parse(row.coverage_json as string) as InteractionRecord["coverage"];
  if (row.conversation_hash !== null) record.conversationHash = dec(row.conversation_hash);
  if (row.user_hash !== null) record.userHash = dec(row.user_hash);
  return record;
}

function webhookOf(r: Row): QueuedWebhook {
  return {
    key: r.key as string,
    body: r.body as string,
    attempts: Number(r.attempts),
    nextAt: r.next_at as string,
    ...(r.delivered_at !== null ? { deliveredAt: r.delivered_at as string } : {}),
    ...(r.last_error !== null ? { lastError: r.last_error as string } : {}),
  };
}

function fromD(r: Row): DeliveryRow {
  return {
    seq: Number(r.seq),
    key: r.key as string,
    channel: r.channel as string,
    conversationId: r.conversation_id as string,
    message: r.message_json as string,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_ms),
    ...(r.reason !== null ? { reason: r.reason as string } : {}),
    createdAt: Number(r.created_ms),
    ...(r.sent_ms !== null ? { sentAt: Number(r.sent_ms) } : {}),
  };
}

function fromH(r: Row): HandoffRow {
  const optional = (name: keyof HandoffRow, v: unknown) => (v === null ? {} : { [name]: v });
  return {
    id: r.id as string,
    channel: r.channel as string,
    conversationId: r.conversation_id as string,
    status: r.status as HandoffRow["status"],
    lang: r.lang as HandoffRow["lang"],
    startedAt: Number(r.started_ms),
    ...optional("lastUserAt", num(r.last_user_ms) ?? null),
    ...optional("lastStaffAt", num(r.last_staff_ms) ?? null),
    ...optional("closedAt", num(r.closed_ms) ?? null),
    ...optional("closedBy", r.closed_by),
  } as HandoffRow;
}

function fromL(r: Row): HandoffLine {
  return {
    seq: Number(r.seq),
    handoffId: r.handoff_id as string,
    at: Number(r.at_ms),
    author: r.author as HandoffLine["author"],
    ...(r.staff_name !== null ? { staffName: r.staff_name as string } : {}),
    text: r.text as string,
    ...(r.delivery_key !== null ? { deliveryKey: r.delivery_key as string } : {}),
  };
}

import type Database from "better-sqlite3";
import type {
  ConversationStore,
  DeliveryFilter,
  DeliveryRow,
  DeliveryStatus,
  HandoffLine,
  HandoffRow,
} from "./conversations.ts";

/**
 * The tables of ConversationStore, as one migration of sqlite-store.ts. One open handoff per conversation
 * is a partial unique index, so two replicas opening at once still make one.
 */
export const CONVERSATIONS_MIGRATION = `
  CREATE TABLE conversation_activity (
    channel TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    last_user_at_ms INTEGER NOT NULL,
    sent_since_user INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, conversation_id)
  );
  CREATE TABLE deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'held', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    reason TEXT,
    created_ms INTEGER NOT NULL,
    sent_ms INTEGER
  );
  CREATE INDEX deliveries_due ON deliveries (status, next_attempt_ms);
  CREATE INDEX deliveries_conversation ON deliveries (channel, conversation_id, seq);
  CREATE TABLE handoffs (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    lang TEXT NOT NULL CHECK (lang IN ('vi', 'en')),
    started_ms INTEGER NOT NULL,
    last_user_ms INTEGER,
    last_staff_ms INTEGER,
    closed_ms INTEGER,
    closed_by TEXT
  );
  CREATE UNIQUE INDEX handoffs_one_open ON handoffs (channel, conversation_id) WHERE status = 'open';
  CREATE INDEX handoffs_started ON handoffs (started_ms);
  CREATE TABLE handoff_lines (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    handoff_id TEXT NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
    at_ms INTEGER NOT NULL,
    author TEXT NOT NULL CHECK (author IN ('user', 'staff', 'bot')),
    staff_name TEXT,
    text TEXT NOT NULL,
    delivery_key TEXT
  );
  CREATE INDEX handoff_lines_handoff ON handoff_lines (handoff_id, seq);
`;

type DRow = {
  seq: number;
  key: string;
  channel: string;
  conversation_id: string;
  message_json: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_ms: number;
  reason: string | null;
  created_ms: number;
  sent_ms: number | null;
};
type HRow = {
  id: string;
  channel: string;
  conversation_id: string;
  status: HandoffRow["status"];
  lang: HandoffRow["lang"];
  started_ms: number;
  last_user_ms: number | null;
  last_staff_ms: number | null;
  closed_ms: number | null;
  closed_by: string | null;
};
type LRow = {
  seq: number;
  handoff_id: string;
  at_ms: number;
  author: HandoffLine["author"];
  staff_name: string | null;
  text: string;
  delivery_key: string | null;
};

/** The ConversationStore methods over an open, migrated database; `ready` runs before each call. */
export function sqliteConversations(
  db: Database.Database,
  ready: () => Promise<void>,
): ConversationStore & { purge(beforeMs: number): void } {
  const upsertActivity = db.prepare<[string, string, number]>(
    `INSERT INTO conversation_activity (channel, conversation_id, last_user_at_ms, sent_since_user)
     VALUES (?, ?, ?, 0) ON CONFLICT (channel, conversation_id) DO UPDATE SET
     last_user_at_ms = max(last_user_at_ms, excluded.last_user_at_ms), sent_since_user = 0`,
  );
  const bumpSent = db.prepare<[string, string]>(
    "UPDATE conversation_activity SET sent_since_user = sent_since_user + 1 WHERE channel = ? AND conversation_id = ?",
  );
  const selectActivity = db.prepare<[string, string], { last_user_at_ms: number; sent_since_user: number }>(
    "SELECT last_user_at_ms, sent_since_user FROM conversation_activity WHERE channel = ? AND conversation_id = ?",
  );
  const insertDelivery = db.prepare(
    `INSERT OR IGNORE INTO deliveries (key, channel, conversation_id, message_json, status, attempts,
       next_attempt_ms, reason, created_ms, sent_ms)
     VALUES (:key, :channel, :conversation_id, :message_json, :status, :attempts, :next_attempt_ms, :reason,
       :created_ms, :sent_ms)`,
  );
  const selectDelivery = db.prepare<[string], DRow>("SELECT * FROM deliveries WHERE key = ?");
  const insertHandoff = db.prepare(
    `INSERT OR IGNORE INTO handoffs (id, channel, conversation_id, status, lang, started_ms, last_user_ms,
       last_staff_ms) VALUES (:id, :channel, :conversation_id, 'open', :lang, :started_ms, :last_user_ms,
       :last_staff_ms)`,
  );
  const selectHandoff = db.prepare<[string], HRow>("SELECT * FROM handoffs WHERE id = ?");
  const selectOpen = db.prepare<[string, string], HRow>(
    "SELECT * FROM handoffs WHERE channel = ? AND conversation_id = ? AND status = 'open'",
  );
  const closeOpen = db.prepare<[number, string, string]>(
    "UPDATE handoffs SET status = 'closed', closed_ms = ?, closed_by = ? WHERE id = ? AND status = 'open'",
  );
  const insertLine = db.prepare(
    `INSERT INTO handoff_lines (handoff_id, at_ms, author, staff_name, text, delivery_key)
     VALUES (:handoff_id, :at_ms, :author, :staff_name, :text, :delivery_key)`,
  );
  const selectLines = db.prepare<[string, number], LRow>(
    "SELECT * FROM handoff_lines WHERE handoff_id = ? AND seq > ? ORDER BY seq",
  );
  const purgeDeliveries = db.prepare<[number]>(
    "DELETE FROM deliveries WHERE status IN ('sent', 'failed') AND created_ms < ?",
  );
  const purgeHandoffs = db.prepare<[number]>(
    "DELETE FROM handoffs WHERE status = 'closed' AND closed_ms < ?",
  );
  const openTx = db.transaction((row: Omit<HandoffRow, "status">) => {
    const existing = selectOpen.get(row.channel, row.conversationId);
    if (existing) return { handoff: fromH(existing), created: false };
    insertHandoff.run({
      id: row.id,
      channel: row.channel,
      conversation_id: row.conversationId,
      lang: row.lang,
      started_ms: row.startedAt,
      last_user_ms: row.lastUserAt ?? null,
      last_staff_ms: row.lastStaffAt ?? null,
    });
    return { handoff: fromH(selectHandoff.get(row.id) as HRow), created: true };
  });

  return {
    async noteUserMessage(channel, conversationId, at) {
      await ready();
      upsertActivity.run(channel, conversationId, at);
    },
    async noteSent(channel, conversationId) {
      await ready();
      bumpSent.run(channel, conversationId);
    },
    async conversationActivity(channel, conversationId) {
      await ready();
      const r = selectActivity.get(channel, conversationId);
      return r ? { lastUserAt: r.last_user_at_ms, sentSinceUser: r.sent_since_user } : undefined;
    },

    async insertDelivery(row) {
      await ready();
      return (
        insertDelivery.run({
          key: row.key,
          channel: row.channel,
          conversation_id: row.conversationId,
          message_json: row.message,
          status: row.status,
          attempts: row.attempts,
          next_attempt_ms: row.nextAttemptAt,
          reason: row.reason ?? null,
          created_ms: row.createdAt,
          sent_ms: row.sentAt ?? null,
        }).changes === 1
      );
    },
    async getDelivery(key) {
      await ready();
      const r = selectDelivery.get(key);
      return r ? fromD(r) : undefined;
    },
    async updateDelivery(key, patch, ifStatus, ifAttempts) {
      await ready();
      const sets: string[] = [];
      const params: Record<string, unknown> = { key };
      const column = {
        status: "status",
        attempts: "attempts",
        nextAttemptAt: "next_attempt_ms",
        reason: "reason",
        sentAt: "sent_ms",
      } as const;
      for (const [field, name] of Object.entries(column)) {
        const value = patch[field as keyof typeof patch];
        if (value === undefined) continue;
        sets.push(`${name} = :${name}`);
        params[name] = value;
      }
      if (!sets.length) return false;
      if (ifStatus) params.if_status = ifStatus;
      if (ifAttempts !== undefined) params.if_attempts = ifAttempts;
      const sql =
        `UPDATE deliveries SET ${sets.join(", ")} WHERE key = :key` +
        (ifStatus ? " AND status = :if_status" : "") +
        (ifAttempts !== undefined ? " AND attempts = :if_attempts" : "");
      return db.prepare(sql).run(params).changes === 1;
    },
    async listDeliveries(f: DeliveryFilter) {
      await ready();
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: f.limit ?? 100 };
      if (f.status) {
        f.status.forEach((s, i) => {
          params[`s${i}`] = s;
        });
        where.push(`status IN (${f.status.map((_, i) => `:s${i}`).join(", ") || "NULL"})`);
      }
      const add = (condition: string, name: string, value: unknown) => {
        if (value === undefined) return;
        where.push(condition);
        params[name] = value;
      };
      add("channel = :channel", "channel", f.channel);
      add("conversation_id = :conversation_id", "conversation_id", f.conversationId);
      add("next_attempt_ms <= :due", "due", f.dueBy);
      add("seq > :after", "after", f.afterSeq);
      const sql = `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq LIMIT :limit`;
      return db.prepare<[Record<string, unknown>], DRow>(sql).all(params).map(fromD);
    },

    async openHandoff(row) {
      await ready();
      return openTx(row);
    },
    async getHandoff(id) {
      await ready();
      const r = selectHandoff.get(id);
      return r ? fromH(r) : undefined;
    },
    async findOpenHandoff(channel, conversationId) {
      await ready();
      const r = selectOpen.get(channel, conversationId);
      return r ? fromH(r) : undefined;
    },
    async listHandoffs(options = {}) {
      await ready();
      const sql = `SELECT * FROM handoffs ${options.status ? "WHERE status = :status" : ""}
        ORDER BY started_ms DESC, rowid DESC LIMIT :limit`;
      return db
        .prepare<[Record<string, unknown>], HRow>(sql)
        .all({ limit: options.limit ?? 100, ...(options.status ? { status: options.status } : {}) })
        .map(fromH);
    },
    async touchHandoff(id, patch) {
      await ready();
      if (patch.lastUserAt !== undefined)
        db.prepare("UPDATE handoffs SET last_user_ms = ? WHERE id = ? AND status = 'open'").run(
          patch.lastUserAt,
          id,
        );
      if (patch.lastStaffAt !== undefined)
        db.prepare("UPDATE handoffs SET last_staff_ms = ? WHERE id = ? AND status = 'open'").run(
          patch.lastStaffAt,
          id,
        );
    },
    async closeHandoff(id, at, by) {
      await ready();
      return closeOpen.run(at, by, id).changes === 1;
    },
    async appendHandoffLine(line) {
      await ready();
      return Number(
        insertLine.run({
          handoff_id: line.handoffId,
          at_ms: line.at,
          author: line.author,
          staff_name: line.staffName ?? null,
          text: line.text,
          delivery_key: line.deliveryKey ?? null,
        }).lastInsertRowid,
      );
    },
    async handoffLines(id, afterSeq) {
      await ready();
      return selectLines.all(id, afterSeq ?? 0).map(fromL);
    },

    purge(beforeMs) {
      purgeDeliveries.run(beforeMs);
      purgeHandoffs.run(beforeMs);
    },
  };
}

function fromD(r: DRow): DeliveryRow {
  return {
    seq: r.seq,
    key: r.key,
    channel: r.channel,
    conversationId: r.conversation_id,
    message: r.message_json,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_ms,
    ...(r.reason !== null ? { reason: r.reason } : {}),
    createdAt: r.created_ms,
    ...(r.sent_ms !== null ? { sentAt: r.sent_ms } : {}),
  };
}

function fromH(r: HRow): HandoffRow {
  return {
    id: r.id,
    channel: r.channel,
    conversationId: r.conversation_id,
    status: r.status,
    lang: r.lang,
    startedAt: r.started_ms,
    ...(r.last_user_ms !== null ? { lastUserAt: r.last_user_ms } : {}),
    ...(r.last_staff_ms !== null ? { lastStaffAt: r.last_staff_ms } : {}),
    ...(r.closed_ms !== null ? { closedAt: r.closed_ms } : {}),
    ...(r.closed_by !== null ? { closedBy: r.closed_by } : {}),
  };
}

function fromL(r: LRow): HandoffLine {
  return {
    seq: r.seq,
    handoffId: r.handoff_id,
    at: r.at_ms,
    author: r.author,
    ...(r.staff_name !== null ? { staffName: r.staff_name } : {}),
    text: r.text,
    ...(r.delivery_key !== null ? { deliveryKey: r.delivery_key } : {}),
  };
}

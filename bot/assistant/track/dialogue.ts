import type pg from "pg";
import { createHash } from "node:crypto";
import { migratePostgres } from "../../store/postgres.ts";
import { ConversationMemory } from "./memory.ts";
import type { DialogueState } from "./state.ts";

/**
 * Where the assistant keeps each conversation's dialogue state between turns: in this process
 * (memoryDialogue, the default: one machine) or in PostgreSQL (openPostgresDialogue: several replicas,
 * so that a chat whose turns land on different replicas keeps its follow-ups). The assistant reads a
 * state once per turn and writes it once; a store that fails makes the turn a new conversation.
 */
export type DialogueStore = {
  /** The conversation's state, unless it was never kept or is older than the store's TTL. */
  get(conversationId: string): Promise<DialogueState | undefined>;
  /** Keeps the conversation's state for the store's TTL from now. */
  set(conversationId: string, state: DialogueState): Promise<void>;
};

export type MemoryDialogueOptions = { ttlMs: number; maxConversations: number; now: () => number };

/** States in this process: forgotten after `ttlMs`, or when full (least recently used first). */
export function memoryDialogue(options: MemoryDialogueOptions): DialogueStore {
  const memory = new ConversationMemory(options);
  return {
    get: (id) => Promise.resolve(memory.get(id)),
    set(id, state) {
      memory.set(id, state);
      return Promise.resolve();
    },
  };
}

export const DIALOGUE_TABLE = "dialogue_states";

const MIGRATIONS = [
  `CREATE TABLE ${DIALOGUE_TABLE} (
    conversation BYTEA PRIMARY KEY,
    state JSONB NOT NULL,
    expires_at BIGINT NOT NULL
  )`,
  `CREATE INDEX ${DIALOGUE_TABLE}_expires ON ${DIALOGUE_TABLE} (expires_at)`,
];

export type PostgresDialogueOptions = {
  /** How long a state is kept after its last turn. Default 30 min (the assistant's memoryTtlMs). */
  ttlMs?: number;
  /** A query slower than this fails (the turn is then a new conversation). Default 500 ms. */
  timeoutMs?: number;
  /** How often expired rows are deleted. Default 5 min. */
  purgeEveryMs?: number;
  /** The clock, in epoch milliseconds (tests move it). */
  now?: () => number;
};

export type PostgresDialogue = DialogueStore & {
  /** Deletes the expired states now; resolves with how many. */
  purge(): Promise<number>;
  /** Stops the purge timer (unref'd: it never holds the process open). The pool stays its owner's. */
  close(): void;
};

/**
 * States shared by the replicas in `dialogue_states`, migrated here under the shared migration lock.
 * A row is keyed by the SHA-256 digest of the conversation id, so raw ids (chat and user ids of the
 * platforms) never reach the database; the state is JSONB, with its expiry in epoch ms. An expired row
 * is never read, and is deleted by the next purge (every `purgeEveryMs`).
 */
export async function openPostgresDialogue(
  pool: pg.Pool,
  options: PostgresDialogueOptions = {},
): Promise<PostgresDialogue> {
  await migratePostgres(pool, "dialogue", MIGRATIONS, { label: "dialogue store", code: "dialogue" });
  const ttlMs = options.ttlMs ?? 30 * 60_000;
  const timeoutMs = options.timeoutMs ?? 500;
  const now = options.now ?? Date.now;
  // query_timeout ends a query the server is slow to answer; the race also covers waiting for a
  // connection (a silent server accepts none for connectionTimeoutMillis).
  const query = <R extends pg.QueryResultRow>(text: string, values: unknown[]) =>
    withTimeout(pool.query<R>({ text, values, query_timeout: timeoutMs } as pg.QueryConfig), timeoutMs);
  const purge = async () =>
    (await query(`DELETE FROM ${DIALOGUE_TABLE} WHERE expires_at <= $1`, [now()])).rowCount ?? 0;
  const timer = setInterval(() => void purge().catch(() => {}), options.purgeEveryMs ?? 5 * 60_000);
  timer.unref();
  return {
    async get(id) {
      const { rows } = await query<{ state: DialogueState }>(
        `SELECT state FROM ${DIALOGUE_TABLE} WHERE conversation = $1 AND expires_at > $2`,
        [digest(id), now()],
      );
      return rows[0]?.state;
    },
    async set(id, state) {
      await query(
        `INSERT INTO ${DIALOGUE_TABLE} (conversation, state, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (conversation) DO UPDATE SET state = EXCLUDED.state, expires_at = EXCLUDED.expires_at`,
        [digest(id), JSON.stringify(state), now() + ttlMs],
      );
    },
    purge,
    close: () => clearInterval(timer),
  };
}

/** The key of a conversation in the database: the SHA-256 digest of its id. */
export function dialogueDigest(conversationId: string): Buffer {
  return digest(conversationId);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`dialogue store: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function digest(id: string): Buffer {
  return createHash("sha256").update(id).digest();
}

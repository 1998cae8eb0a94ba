import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFromEntries, loadContent, type KnowledgeIndex } from "../../../indexer/index.ts";
import { openPostgresPool, postgresSchemaVersion } from "../../store/postgres.ts";
import { testDatabase, type TestDatabase } from "../../store/testing/postgres.ts";
import { tcpProxy } from "../../store/testing/tcp-proxy.ts";
import { createAssistant, type Clock } from "../assistant.ts";
import type { Answer } from "../types.ts";
import { dialogueDigest, memoryDialogue, openPostgresDialogue, type DialogueStore } from "./dialogue.ts";
import { INITIAL_STATE, type DialogueState } from "./state.ts";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/content");
const CLOCK: Clock = { now: () => new Date("2026-11-22T09:00:00+07:00") };
const state = (question: string, turns: number): DialogueState => ({ ...INITIAL_STATE, question, turns });

let db: TestDatabase;
const pools: pg.Pool[] = [];
const pool = () => {
  const p = openPostgresPool(db.url, { max: 2 });
  pools.push(p);
  return p;
};
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
  await db.drop();
});

describe("openPostgresDialogue", () => {
  it("keeps a state per conversation, under the digest of its id, until its TTL", async () => {
    const clock = { t: 1_000_000 };
    const opened = await Promise.all(
      [pool(), pool(), pool()].map((p) => openPostgresDialogue(p, { ttlMs: 60_000, now: () => clock.t })),
    );
    const [a, b] = opened;
    expect(await postgresSchemaVersion(pools[0]!, "dialogue")).toBe(2);
    expect(await a!.get("telegram:42")).toBeUndefined();
    await a!.set("telegram:42", state("Chùa Ngọc Lan ở đâu?", 1));
    await a!.set("telegram:43", state("hello", 1));
    // Another replica reads it; a second set replaces it.
    expect(await b!.get("telegram:42")).toEqual(state("Chùa Ngọc Lan ở đâu?", 1));
    await b!.set("telegram:42", state("giờ mở cửa?", 2));
    expect(await a!.get("telegram:42")).toEqual(state("giờ mở cửa?", 2));

    // The raw id never reaches the database: the key is its SHA-256.
    const { rows } = await pools[0]!.query("SELECT conversation, state::text AS state FROM dialogue_states");
    expect(rows).toHaveLength(2);
    expect(rows.map((r: { conversation: Buffer }) => r.conversation.toString("hex")).sort()).toEqual(
      ["telegram:42", "telegram:43"].map((id) => dialogueDigest(id).toString("hex")).sort(),
    );
    expect(JSON.stringify(rows)).not.toContain("telegram:4");

    // Expired: never read, then purged; a state kept later lives on.
    clock.t += 30_000;
    await a!.set("telegram:43", state("hello", 2));
    clock.t += 30_000;
    expect(await a!.get("telegram:42")).toBeUndefined();
    expect(await a!.get("telegram:43")).toEqual(state("hello", 2));
    expect(await a!.purge()).toBe(1);
    const left = await pools[0]!.query("SELECT count(*)::int AS n FROM dialogue_states");
    expect(left.rows[0].n).toBe(1);
    for (const d of opened) d.close();
  });
});

describe("the assistant's dialogue store", () => {
  let index: KnowledgeIndex;
  beforeAll(async () => {
    const { entries } = await loadContent(FIXTURE, { today: "2026-11-22" });
    ({ index } = await buildFromEntries(entries, "0".repeat(64)));
  });
  const strip = ({ answerId: _, ...a }: Answer) => a;
  const CHAT = [
    "Khách nước ngoài đến lúc 22h thì khai báo tạm trú trước mấy giờ?",
    "còn khách Việt Nam thì sao?",
    "When is the Ngoc Lan Lantern Festival?",
    "2028?",
    "Chùa Ngọc Lan ở đâu?",
    "What are the opening hours?",
  ];

  it("answers a chat spread over two replicas on one PostgreSQL as one assistant does", async () => {
    const one = createAssistant({ index, clock: CLOCK });
    const replicas = await Promise.all(
      [pool(), pool()].map(async (p) =>
        createAssistant({ index, clock: CLOCK, dialogue: await openPostgresDialogue(p) }),
      ),
    );
    // Without a shared store the second replica would answer the follow-up as a new conversation.
    const alone = createAssistant({ index, clock: CLOCK });
    const followUpAlone = await alone.ask({ text: CHAT[1]!, conversationId: "fresh" });
    for (const [i, text] of CHAT.entries()) {
      const expected = await one.ask({ text, conversationId: "chat-1" });
      const got = await replicas[i % 2]!.ask({ text, conversationId: "telegram:chat-1" });
      expect(strip(got), `turn ${i + 1}: ${text}`).toEqual(strip(expected));
      if (i === 1) expect(strip(got)).not.toEqual(strip(followUpAlone));
    }
  });

  it("answers as a new conversation, and logs it, when the dialogue store fails", async () => {
    const warnings: string[] = [];
    const log = { info() {}, warn: (_: object, msg?: string) => void warnings.push(msg ?? ""), error() {} };
    const failing: DialogueStore = {
      get: () => Promise.reject(new Error("connection refused")),
      set: () => Promise.reject(new Error("connection refused")),
    };
    const broken = createAssistant({ index, clock: CLOCK, log, dialogue: failing });
    const fresh = createAssistant({ index, clock: CLOCK });
    for (const text of CHAT.slice(0, 2)) {
      const got = await broken.ask({ text, conversationId: "c" });
      // Every turn as the first of a conversation of its own.
      const expected = await fresh.ask({ text, conversationId: `new-${text}` });
      expect(strip(got)).toEqual(strip(expected));
    }
    expect(warnings).toContain("dialogue store: could not read the state; answered as a new conversation");
    expect(warnings).toContain("dialogue store: could not keep the state");

    // A database that stops answering mid-chat: the next turns are new conversations, not a hang.
    const proxy = await tcpProxy(db.url);
    const p = openPostgresPool(proxy.url, { max: 2 });
    const silenced = createAssistant({
      index,
      clock: CLOCK,
      log,
      dialogue: await openPostgresDialogue(p, { timeoutMs: 100 }),
    });
    await silenced.ask({ text: CHAT[0]!, conversationId: "s" });
    proxy.silence();
    const got = await silenced.ask({ text: CHAT[1]!, conversationId: "s" });
    expect(strip(got)).toEqual(strip(await fresh.ask({ text: CHAT[1]!, conversationId: "new-s" })));
    await proxy.close();
    await p.end();

    // The memory default, for comparison, does keep the follow-up.
    const kept = memoryDialogue({ ttlMs: 60_000, maxConversations: 10, now: () => 0 });
    await kept.set("x", state("q", 1));
    expect(await kept.get("x")).toEqual(state("q", 1));
  });
});

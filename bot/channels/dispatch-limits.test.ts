import type pg from "pg";
import { describe, expect, it } from "vitest";
import type { Assistant } from "../assistant/index.ts";
import { memoryLimits, postgresLimits, type RateLimits } from "../limits.ts";
import { createMemoryStore } from "../store/memory-store.ts";
import { openPostgresPool } from "../store/postgres.ts";
import { testDatabase, type TestDatabase } from "../store/testing/postgres.ts";
import { createDispatcher, type Dispatcher } from "./dispatch.ts";
import type { ChannelLimits, Incoming } from "./types.ts";

const LIMITS: ChannelLimits = { maxText: 4096, maxButtons: 3, maxButtonLabel: 40, nativeLocation: false };
const quiet = { info() {}, warn() {}, error() {} };
const clock = { now: () => new Date() };
// A sticker: answered without the assistant, after the per-user limit.
const UNSUPPORTED = "Sorry, I can only read text and locations.";
const SLOW_DOWN = "You are sending messages a little fast.";

function dispatcher(rateLimits?: RateLimits): Dispatcher {
  return createDispatcher({
    assistant: {} as Assistant,
    store: createMemoryStore(),
    log: quiet,
    clock,
    perUserPerMinute: 5,
    ...(rateLimits ? { rateLimits } : {}),
  });
}

/** `n` stickers of one user, in turn through `replicas`; the start of each reply. */
async function send(replicas: Dispatcher[], userId: string, n: number): Promise<string[]> {
  const replies: string[] = [];
  for (let i = 0; i < n; i++) {
    const incoming: Incoming = {
      channel: "telegram",
      updateId: `${userId}-${i}`,
      conversationId: userId,
      userId,
      languageHint: "en",
      receivedAt: Date.now(),
      event: { kind: "unsupported", what: "sticker" },
    };
    const [reply] = await replicas[i % replicas.length]!.handle(incoming, LIMITS);
    const text = reply && "text" in reply ? String(reply.text) : "";
    replies.push(text.startsWith(SLOW_DOWN) ? SLOW_DOWN : text.startsWith(UNSUPPORTED) ? UNSUPPORTED : text);
  }
  return replies;
}

const FIVE_THEN_SLOW = [...Array<string>(5).fill(UNSUPPORTED), SLOW_DOWN, SLOW_DOWN];

describe("the dispatcher's per-user limit", () => {
  it("asks a user to slow down after perUserPerMinute messages (in memory by default)", async () => {
    const one = dispatcher();
    expect(await send([one], "u1", 7)).toEqual(FIVE_THEN_SLOW);
    // Another user is not limited.
    expect(await send([one], "u2", 1)).toEqual([UNSUPPORTED]);
  });

  it("is per replica in memory, and shared by the replicas on one PostgreSQL", async () => {
    // In memory each replica counts alone: 7 messages over two are 4 and 3, none limited.
    const own = memoryLimits();
    expect(await send([dispatcher(own), dispatcher(memoryLimits())], "u3", 7)).toEqual(
      Array<string>(7).fill(UNSUPPORTED),
    );

    const db: TestDatabase = await testDatabase();
    const pools: pg.Pool[] = [openPostgresPool(db.url, { max: 2 }), openPostgresPool(db.url, { max: 2 })];
    try {
      const [a, b] = await Promise.all(pools.map((p) => postgresLimits(p)));
      expect(await send([dispatcher(a), dispatcher(b)], "u4", 7)).toEqual(FIVE_THEN_SLOW);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await db.drop();
    }
  });
});

import { once } from "node:events";
import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../assistant/index.ts";
import { openSqliteStore, type CaseRecord, type Store } from "../store/index.ts";
import { createWebhookQueue } from "./webhook.ts";

/**
 * The outbound webhook against a local HTTP server on 127.0.0.1 that fails the first N calls: retried
 * with back-off, signed, idempotent by key, and still queued after a "restart" (a new queue over the
 * same SQLite file).
 */

const SILENT: Logger = { info() {}, warn() {}, error() {} };
const SECRET = "ioc-shared-secret";

type Received = { headers: IncomingHttpHeaders; body: string };

let dir: string;
let store: Store;
let server: Server;
let url: string;
let failFirst = 0;
let received: Received[];
let t = Date.parse("2026-11-22T02:00:00Z");
const clock = { now: () => new Date(t) };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "chau-doc-webhook-"));
  store = openSqliteStore(path.join(dir, "store.db"), { writer: "here" });
  received = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (received.length <= failFirst) {
        res.writeHead(503).end("busy");
      } else {
        res.writeHead(200).end("ok");
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ioc/hooks`;
});

afterEach(async () => {
  server.closeAllConnections();
  server.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function aCase(): Promise<CaseRecord> {
  return store.createCase({
    createdAt: new Date(t).toISOString(),
    tokenHash: "a".repeat(64),
    channel: "telegram",
    reporterHash: "r",
    conversationId: "telegram:4242",
    lang: "vi",
    category: "prices",
    description: "Bị chặt chém",
    dueAt: new Date(t + 3 * 86_400_000).toISOString(),
    transcript: [{ from: "user", text: "bí mật riêng", at: new Date(t).toISOString() }],
  });
}

describe("reports webhook", () => {
  it("retries a failing endpoint with back-off, signs the raw body, keeps one key, and survives a restart", async () => {
    failFirst = 2;
    const c = await aCase();
    const queue = createWebhookQueue({ store, url, secret: SECRET, clock, log: SILENT, retryBaseMs: 1000 });
    await queue.enqueue("case.created", c);
    expect(received).toHaveLength(1);
    const key = `${c.code}:case.created:${c.updatedAt}`;
    expect(await store.getWebhook(key)).toMatchObject({ attempts: 1, lastError: "HTTP 503" });
    // Not due yet: nothing is sent.
    await queue.retryDue();
    expect(received).toHaveLength(1);

    // A restart: a new queue over the same file finds the call and tries it when due (after 1 s, then 2 s).
    await store.close();
    store = openSqliteStore(path.join(dir, "store.db"), { writer: "here" });
    const again = createWebhookQueue({ store, url, secret: SECRET, clock, log: SILENT, retryBaseMs: 1000 });
    t += 1000;
    await again.retryDue();
    expect(received).toHaveLength(2);
    t += 1000;
    await again.retryDue();
    expect(received).toHaveLength(2);
    t += 1000;
    await again.retryDue();
    expect(received).toHaveLength(3);
    expect(await store.getWebhook(key)).toMatchObject({ attempts: 3 });
    expect((await store.getWebhook(key))?.deliveredAt).toBeDefined();

    for (const r of received) {
      expect(r.headers["idempotency-key"]).toBe(key);
      expect(r.headers["x-event"]).toBe("case.created");
      const expected = `sha256=${createHmac("sha256", SECRET).update(r.body).digest("hex")}`;
      expect(r.headers["x-signature-256"]).toBe(expected);
    }
    const body = JSON.parse(received[2]?.body ?? "{}") as Record<string, unknown>;
    expect(body).toMatchObject({
      event: "case.created",
      code: c.code,
      status: "received",
      category: "prices",
    });
    // No personal data: no chat id, no reporter hash, no conversation.
    expect(received[2]?.body).not.toContain("4242");
    expect(received[2]?.body).not.toContain("bí mật");
    expect(body).not.toHaveProperty("reporterHash");

    // The same event again is not sent again.
    await again.enqueue("case.created", c);
    t += 3_600_000;
    await again.retryDue();
    expect(received).toHaveLength(3);
  });

  it("a status change is its own call; an unreachable endpoint is kept for later", async () => {
    failFirst = 0;
    const c = await aCase();
    const dead = createWebhookQueue({
      store,
      url: "http://127.0.0.1:9/none",
      clock,
      log: SILENT,
      retryBaseMs: 50,
    });
    const moved = (await store.updateCase(c.code, {
      status: "in_progress",
      updatedAt: new Date(t + 5).toISOString(),
    })) as CaseRecord;
    await dead.enqueue("case.status", moved);
    const key = `${c.code}:case.status:${moved.updatedAt}`;
    expect((await store.getWebhook(key))?.lastError).toBeDefined();
    expect((await store.getWebhook(key))?.deliveredAt).toBeUndefined();
    expect(await store.dueWebhooks(new Date(t + 10_000).toISOString(), 10)).toHaveLength(1);
  });
});

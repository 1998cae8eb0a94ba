import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import express, { Router, type RequestHandler } from "express";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutbox } from "../../bot/channels/index.ts";
import {
  createHandoffDesk,
  DEFAULT_STAFF_HOURS,
  parseStaffHours,
  type HandoffDesk,
} from "../../bot/handoff/index.ts";
import { openSqliteStore, type Store } from "../../bot/index.ts";
import { errorHandler } from "../errors.ts";
import { closeServer, listenLocal } from "../testing/servers.ts";
import { handoffsRouter } from "./handoffs.ts";
import type { AdminAuth, AdminDeps, AdminRole, AuditLog } from "./types.ts";

/**
 * The handoff pages in a small express app on an ephemeral port, over a real SQLite store, the real
 * outbox and desk, with a fake auth (a fixed user; CSRF and sessions are auth.ts's, tested there and in
 * the browser test). A Zalo OA visitor who has not written within the window: the staff reply is held,
 * and the page says it waits for the visitor's next message.
 */

const NOW = new Date("2026-11-23T09:00:00+07:00");
const SILENT = { info() {}, warn() {}, error() {} };

let dir: string;
let store: Store;
let desk: HandoffDesk;
let server: Server | undefined;
const audited: Parameters<AuditLog["record"]>[0][] = [];

function fakeAuth(role: AdminRole): AdminAuth {
  return {
    router: Router(),
    require: (needed) => {
      const handler: RequestHandler = (_req, res, next) => {
        if (needed === "editor" && role !== "editor") return void res.status(403).send("forbidden");
        res.locals.adminUser = { name: "lan", role };
        res.locals.csrfToken = "csrf-token";
        next();
      };
      return handler;
    },
  };
}

async function serve(role: AdminRole): Promise<string> {
  const deps = {
    auth: fakeAuth(role),
    audit: { record: async (e: (typeof audited)[number]) => void audited.push(e), list: async () => [] },
  } as unknown as AdminDeps;
  const app = express();
  app.use("/admin", express.urlencoded({ extended: false }), handoffsRouter(deps, desk));
  app.use(errorHandler(SILENT));
  server = createServer(app);
  return listenLocal(server);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "admin-handoffs-"));
  store = openSqliteStore(path.join(dir, "store.db"), { writer: "here" });
  const clock = { now: () => NOW };
  const outbox = createOutbox({ store, channels: () => [], log: SILENT, clock });
  desk = createHandoffDesk({
    store,
    outbox,
    clock,
    log: SILENT,
    hours: parseStaffHours(DEFAULT_STAFF_HOURS),
  });
  audited.length = 0;
});
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
  redirect: "manual" as const,
});

describe("/admin/handoffs", () => {
  it("lists open handoffs, and shows a reply held for the Zalo OA window as waiting", async () => {
    await desk.intercept({
      channel: "zalo-oa",
      conversationId: "8437264519384756123",
      text: "gặp nhân viên",
    });
    const base = await serve("editor");
    const list = (await (await fetch(`${base}/admin/handoffs.json`)).json()) as {
      open: { url: string; channel: string }[];
    };
    expect(list.open).toHaveLength(1);
    expect(list.open[0]?.channel).toBe("Zalo OA");
    const url = `${base}${list.open[0]!.url}`;

    const sent = await fetch(`${url}/reply`, form({ text: "Chào bạn <b>Lan</b>", nonce: "nonce-abc-123" }));
    expect(sent.status).toBe(303);
    expect(audited).toEqual([
      {
        user: "lan",
        action: "handoff.reply",
        target: list.open[0]!.url.split("/").at(-1),
        detail: "zalo-oa: held",
      },
    ]);
    const html = await (await fetch(url)).text();
    expect(html).toContain("Đang chờ: Zalo chỉ cho trả lời trong 48 giờ");
    // The staff's text is escaped, never markup.
    expect(html).toContain("Chào bạn &lt;b&gt;Lan&lt;/b&gt;");
    const json = (await (await fetch(`${url}.json`)).json()) as {
      lines: { who: string; deliveryStatus: string }[];
    };
    expect(json.lines.find((l) => l.who === "staff")?.deliveryStatus).toBe("held");
  });

  it("refuses malformed requests with 4xx", async () => {
    await desk.intercept({ channel: "web", conversationId: "w0123456789abcdef0123", text: "gặp nhân viên" });
    const [h] = await desk.list({ status: "open" });
    const base = await serve("editor");
    const url = `${base}/admin/handoffs/${h!.id}`;
    expect((await fetch(`${base}/admin/handoffs/../../etc`)).status).toBe(404);
    expect((await fetch(`${base}/admin/handoffs/not-an-id`)).status).toBe(404);
    expect((await fetch(`${base}/admin/handoffs/00000000-0000-4000-8000-000000000000.json`)).status).toBe(
      404,
    );
    const empty = await fetch(`${url}/reply`, form({ text: "", nonce: "nonce-abc-123" }));
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Hãy viết câu trả lời.");
    expect(
      (await fetch(`${url}/reply`, form({ text: "x".repeat(2001), nonce: "nonce-abc-123" }))).status,
    ).toBe(400);
    expect((await fetch(`${url}/reply`, form({ text: "không có nonce" }))).status).toBe(400);
    expect((await fetch(`${url}/end`, form({}))).status).toBe(303);
    expect((await fetch(`${url}/reply`, form({ text: "muộn", nonce: "nonce-late-12" }))).status).toBe(409);
    expect(audited.map((a) => a.action)).toEqual(["handoff.end"]);
  });

  it("lets a viewer read but not reply or end", async () => {
    await desk.intercept({ channel: "web", conversationId: "w0123456789abcdef0123", text: "gặp nhân viên" });
    const [h] = await desk.list({ status: "open" });
    const base = await serve("viewer");
    const page = await fetch(`${base}/admin/handoffs/${h!.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Chỉ tài khoản biên tập mới trả lời được.");
    expect((await fetch(`${base}/admin/handoffs/${h!.id}/end`, form({}))).status).toBe(403);
    expect((await desk.get(h!.id))?.status).toBe("open");
  });
});

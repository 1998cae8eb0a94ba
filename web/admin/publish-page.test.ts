import { once } from "node:events";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import express, { Router } from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryStore, type Clock } from "../../bot/index.ts";
import { buildFromEntries, loadContent, type KnowledgeIndex } from "../../indexer/index.ts";
import type { Live } from "../app.ts";
import { publishRouter } from "./publish-page.ts";
import type {
  AdminAuth,
  AdminDeps,
  AdminRole,
  AuditLog,
  Publisher,
  PublishOptions,
  PublishResult,
} from "./types.ts";
import { closeServer } from "../testing/servers.ts";

/** The publish page and its routes, on a fake publisher (no builds) and a fake auth. */

const FIXTURES = path.resolve(import.meta.dirname, "../../bot/assistant/fixtures/content");
const CLOCK: Clock = { now: () => new Date("2026-11-22T09:00:00+07:00") };
const SILENT = pino({ level: "silent" });

let index: KnowledgeIndex;
const servers: http.Server[] = [];
beforeAll(async () => {
  const { entries } = await loadContent(FIXTURES);
  index = (await buildFromEntries(entries, "f".repeat(64))).index;
});
afterAll(() => Promise.all(servers.map(closeServer)));

/** Lets requests through with the role from the x-role header; refuses editor routes to viewers. */
const fakeAuth: AdminAuth = {
  router: Router(),
  require: (needed: AdminRole) => (req, res, next) => {
    const role = (req.headers["x-role"] as AdminRole | undefined) ?? "editor";
    if (needed === "editor" && role !== "editor") return void res.status(403).send("forbidden");
    res.locals.adminUser = { name: `${role}1`, role };
    res.locals.csrfToken = "csrf-<token>";
    next();
  },
};

async function serve(status: ReturnType<Publisher["status"]>) {
  const calls: string[] = [];
  const options: (PublishOptions | undefined)[] = [];
  const audited: Parameters<AuditLog["record"]>[0][] = [];
  const publisher: Publisher = {
    publish: async (reason, given) => {
      calls.push(reason);
      options.push(given);
      return { ok: true, version: "v2", entries: 9, ms: 1 };
    },
    status: () => status,
  };
  const live: Live = { index, assistant: { ask: async () => ({}) as never, stream: async function* () {} } };
  const deps: AdminDeps = {
    contentDir: FIXTURES,
    uploadsDir: "/nonexistent",
    live: () => live,
    store: createMemoryStore(),
    auth: fakeAuth,
    audit: { record: async (e) => void audited.push(e), list: async () => [] },
    publisher,
    log: SILENT,
    clock: CLOCK,
  };
  // As adminRouter: forms are urlencoded.
  const app = express()
    .use(express.urlencoded({ extended: false }))
    .use("/admin", publishRouter(deps));
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await once(server, "listening");
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, options, audited };
}

const failed: PublishResult & { at: string; reason: string } = {
  ok: false,
  error: "content is invalid (2 problems)",
  problems: [
    "attractions/nui-sam.md:12 place.tickets: expected object, received number",
    "events/x.md:3 title.vi: <script>alert(1)</script>",
  ],
  ms: 1234,
  at: "2026-11-22T02:00:00.000Z",
  reason: "manual reindex",
};

describe("publish page", () => {
  it("shows the live index, the failed build with each problem (escaped) and the button", async () => {
    const { base } = await serve({ running: false, last: failed });
    const res = await fetch(`${base}/admin/publish`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(index.manifest.version);
    expect(page).toContain("<dd>9</dd>");
    expect(page).toContain("manual reindex");
    expect(page).toContain("1.2 giây");
    expect(page).toContain("Nội dung có 2 lỗi.");
    expect(page).toContain("attractions/nui-sam.md:12 place.tickets: expected object, received number");
    expect(page).toContain("title.vi: &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).toMatch(/<form method="post" action="\/admin\/reindex"/);
    expect(page).toContain('value="csrf-&lt;token&gt;"');
    expect(page).toContain("Xuất bản lại");
    expect(page).not.toMatch(/<script>|style="/);
    expect(page).toContain('data-running="false"');
  });

  it("shows the error of a failed build without content problems", async () => {
    const { base } = await serve({
      running: false,
      last: {
        ok: false,
        error: "could not write the index to /data/index",
        problems: [],
        ms: 5,
        at: failed.at,
        reason: "x",
      },
    });
    const page = await (await fetch(`${base}/admin/publish`)).text();
    expect(page).toContain("could not write the index to /data/index");
    expect(page).not.toContain("Lỗi trong nội dung");
  });

  it("after a build refused for dropping more than half of the entries, asks editors to confirm it", async () => {
    const shrunk: PublishResult & { at: string; reason: string } = {
      ok: false,
      error: "this build would drop 7 of the 9 entries of the live index (more than half); …",
      problems: [],
      ms: 40,
      code: "content_shrink",
      shrink: { live: 9, next: 2, dropped: 7 },
      at: failed.at,
      reason: "content changed on disk",
    };
    const { base } = await serve({ running: false, last: shrunk });
    const page = await (await fetch(`${base}/admin/publish`)).text();
    const confirm = /<form method="post" action="\/admin\/reindex" class="publish-confirm">[\s\S]*?<\/form>/
      .exec(page)?.[0]
      ?.replace(/\s+/g, " ");
    expect(confirm).toBeDefined();
    expect(confirm).toContain('name="confirm" value="shrink"');
    expect(confirm).toContain('name="_csrf" value="csrf-&lt;token&gt;"');
    expect(confirm).toMatch(/bỏ 7 trong 9 mục/);
    expect(confirm).toMatch(/còn 2 mục/);
    // A viewer sees why, not the button; a build refused for another reason asks nothing.
    const viewer = await (await fetch(`${base}/admin/publish`, { headers: { "x-role": "viewer" } })).text();
    expect(viewer.replace(/\s+/g, " ")).toContain("bỏ 7 trong 9 mục");
    expect(viewer).not.toContain("publish-confirm");
    const other = await serve({ running: false, last: failed });
    expect(await (await fetch(`${other.base}/admin/publish`)).text()).not.toContain("publish-confirm");
  });

  it("says a build is running, and hides the button from viewers", async () => {
    const { base } = await serve({ running: true });
    const page = await (await fetch(`${base}/admin/publish`, { headers: { "x-role": "viewer" } })).text();
    expect(page).toContain('data-running="true"');
    expect(page).toContain("Đang xây dựng lại chỉ mục");
    expect(page).not.toContain("Xuất bản lại</button>");
  });

  it("gives the status as JSON", async () => {
    const { base } = await serve({ running: true, last: failed });
    const res = await fetch(`${base}/admin/publish.json`, { headers: { "x-role": "viewer" } });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({
      running: true,
      live: {
        version: index.manifest.version,
        entries: 9,
        builtAt: index.manifest.builtAt,
      },
      last: failed,
    });
  });
});

describe("POST /admin/reindex", () => {
  it("starts a publish, audits it and redirects a form to the publish page", async () => {
    const { base, calls, audited } = await serve({ running: false });
    const res = await fetch(`${base}/admin/reindex`, { method: "POST", redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/publish");
    expect(calls).toEqual(["manual reindex"]);
    expect(audited).toEqual([{ user: "editor1", action: "reindex" }]);
  });

  it("publishes with the confirmation when the form says confirm=shrink, and audits it", async () => {
    const { base, calls, options, audited } = await serve({ running: false });
    const res = await fetch(`${base}/admin/reindex`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "_csrf=x&confirm=shrink",
    });
    expect(res.status).toBe(303);
    expect(calls).toEqual(["manual reindex, confirmed: drops more than half of the entries"]);
    expect(options).toEqual([{ allowShrink: true }]);
    expect(audited).toEqual([
      { user: "editor1", action: "reindex", detail: "confirmed: drops more than half of the entries" },
    ]);
    // Without it, no confirmation is passed on.
    await fetch(`${base}/admin/reindex`, { method: "POST", redirect: "manual" });
    expect(options[1]).toEqual({});
  });

  it("answers 202 to a fetch that wants JSON", async () => {
    const { base, calls } = await serve({ running: false });
    const res = await fetch(`${base}/admin/reindex`, {
      method: "POST",
      headers: { accept: "application/json" },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "started" });
    expect(calls).toEqual(["manual reindex"]);
  });

  it("is for editors only", async () => {
    const { base, calls, audited } = await serve({ running: false });
    const res = await fetch(`${base}/admin/reindex`, { method: "POST", headers: { "x-role": "viewer" } });
    expect(res.status).toBe(403);
    expect(calls).toEqual([]);
    expect(audited).toEqual([]);
  });
});

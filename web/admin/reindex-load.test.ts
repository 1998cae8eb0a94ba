import { once } from "node:events";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Router } from "express";
import { pino } from "pino";
import { afterAll, expect, it } from "vitest";
import { createAssistant, createMemoryStore, type Answer, type Clock } from "../../bot/index.ts";
import { buildIndex, type KnowledgeIndex } from "../../indexer/index.ts";
import { createApp, DEFAULT_APP_OPTIONS, type Live } from "../app.ts";
import { buildInWorker } from "./index-builder.ts";
import { createPublisher } from "./publisher.ts";
import type { AdminAuth, AuditLog } from "./types.ts";
import { closeServer } from "../testing/servers.ts";

/**
 * Reindex under load: visitors keep asking while an editor republishes. Every question gets a 200 with
 * an answer (old pair or new pair, never a half-built one), and afterwards the new index is live.
 */

const CONTENT = path.resolve(import.meta.dirname, "../../content");
const CLOCK: Clock = { now: () => new Date("2026-11-22T09:00:00+07:00") };
const SILENT = pino({ level: "silent" });
const QUESTIONS = [
  "Miếu Bà Chúa Xứ mấy giờ mở cửa?",
  "Lễ hội Vía Bà Chúa Xứ năm 2027 vào ngày nào?",
  "How do I register a foreign guest's stay?",
  "Đặc sản Châu Đốc là gì?",
];
const LOOPS = 4;
/** Pause between one loop's questions: a steady load that does not starve the build of CPU. */
const PAUSE_MS = 10;

/** Lets every request through as an editor: this test is about publishing, not sessions. */
const letThrough: AdminAuth = {
  router: Router(),
  require: () => (_req, res, next) => {
    res.locals.adminUser = { name: "editor1", role: "editor" };
    res.locals.csrfToken = "test-token";
    next();
  },
};

let server: http.Server | undefined;
let dir: string | undefined;
afterAll(async () => {
  if (server) await closeServer(server);
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("answers every question while POST /admin/reindex rebuilds, then serves the new index", async () => {
  dir = await mkdtemp(path.join(tmpdir(), "chau-doc-reindex-"));
  const contentDir = path.join(dir, "content");
  const indexDir = path.join(dir, "index");
  await cp(CONTENT, contentDir, { recursive: true });
  const store = createMemoryStore();
  const makeAssistant = (index: KnowledgeIndex) => createAssistant({ index, store, clock: CLOCK });
  const { index } = await buildIndex(contentDir, indexDir);
  const live: { current: Live } = { current: { index, assistant: makeAssistant(index) } };
  // As web/main.ts publishes: the build runs in a worker thread.
  const publisher = createPublisher({
    contentDir,
    indexDir,
    live,
    makeAssistant,
    log: SILENT,
    clock: CLOCK,
    builder: buildInWorker,
  });
  const audited: Parameters<AuditLog["record"]>[0][] = [];
  const audit: AuditLog = {
    record: async (entry) => void audited.push(entry),
    list: async () => [],
  };
  const app = createApp({
    live: () => live.current,
    store,
    log: SILENT,
    clock: CLOCK,
    options: { ...DEFAULT_APP_OPTIONS, rateLimitPerMinute: 100_000 },
    admin: {
      contentDir,
      uploadsDir: path.join(dir, "uploads"),
      live: () => live.current,
      store,
      auth: letThrough,
      audit,
      publisher,
      log: SILENT,
      clock: CLOCK,
    },
  });
  server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const readyVersion = async () =>
    ((await (await fetch(`${base}/readyz`)).json()) as { index: { version: string } }).index.version;

  const versionBefore = await readyVersion();
  expect(versionBefore).toBe(index.manifest.version);
  // The edit the rebuild publishes, so that answers show which pair served them.
  const mieu = path.join(contentDir, "attractions/mieu-ba-chua-xu.md");
  const text = await readFile(mieu, "utf8");
  const edited = text.replace(
    /^ {2}openingHours: null$/m,
    '  openingHours:\n    vi: "Mở cửa từ 5 giờ 15 đến 21 giờ 45 hằng ngày"\n    en: "Open 5:15 am to 9:45 pm daily"',
  );
  expect(edited).not.toBe(text);
  await writeFile(mieu, edited);

  type Asked = { status: number; answer: string; question: string; duringBuild: boolean; afterSwap: boolean };
  const asked: Asked[] = [];
  let stopAsking = false;
  let swapped = false;
  const loop = async (n: number) => {
    for (let i = n; !stopAsking; i++) {
      const question = QUESTIONS[i % QUESTIONS.length] as string;
      const duringBuild = publisher.status().running;
      const afterSwap = swapped;
      const res = await fetch(`${base}/api/ask`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ message: question }),
      });
      const body = (await res.json()) as Partial<Answer>;
      asked.push({ status: res.status, answer: String(body.answer ?? ""), question, duringBuild, afterSwap });
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
  };
  const loops = Array.from({ length: LOOPS }, (_, n) => loop(n));
  await new Promise((r) => setTimeout(r, 200)); // some answers from the old pair first

  const started = performance.now();
  const reindex = await fetch(`${base}/admin/reindex`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    body: "_csrf=test-token",
  });
  expect(reindex.status).toBe(202);
  expect(await reindex.json()).toEqual({ status: "started" });
  expect(publisher.status().running).toBe(true);
  while (publisher.status().running) await new Promise((r) => setTimeout(r, 20));
  const publishMs = performance.now() - started;
  swapped = true;
  await new Promise((r) => setTimeout(r, 300)); // and some from the new pair
  stopAsking = true;
  await Promise.all(loops);

  expect(asked.filter((a) => a.afterSwap).length).toBeGreaterThan(0);
  expect(asked.filter((a) => a.duringBuild).length).toBeGreaterThan(0);
  for (const a of asked) {
    expect(a.status).toBe(200);
    expect(a.answer.length).toBeGreaterThan(0);
  }
  const hours = asked.filter((a) => a.question === QUESTIONS[0]);
  expect(hours.some((a) => !a.answer.includes("5 giờ 15"))).toBe(true); // the old pair answered
  const hoursAfter = hours.filter((a) => a.afterSwap);
  expect(hoursAfter.length).toBeGreaterThan(0);
  for (const a of hoursAfter) expect(a.answer).toContain("5 giờ 15"); // only the new pair answers now

  const status = (await (await fetch(`${base}/admin/publish.json`)).json()) as {
    running: boolean;
    live: { version: string };
    last: { ok: boolean; version: string; reason: string };
  };
  expect(status).toMatchObject({ running: false, last: { ok: true, reason: "manual reindex" } });
  const versionAfter = await readyVersion();
  expect(versionAfter).not.toBe(versionBefore);
  expect(versionAfter).toBe(status.last.version);
  expect(status.live.version).toBe(versionAfter);
  expect(audited).toEqual([{ user: "editor1", action: "reindex" }]);
  expect(publishMs).toBeLessThan(20_000);
});

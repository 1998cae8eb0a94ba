import { cp, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createAssistant, createMemoryStore, type Clock, type Logger } from "../../bot/index.ts";
import { buildIndex, type KnowledgeIndex } from "../../indexer/index.ts";
import { keepFourFixtureEntries } from "../../indexer/testing/fixture-content.ts";
import type { Live } from "../app.ts";
import { buildInThread, buildInWorker } from "./index-builder.ts";
import { createPublisher, startRetention, type PublisherDeps, type PublishRecord } from "./publisher.ts";

/**
 * The publisher on temporary copies of the content (the real one for answers, the small fixture set for
 * coalescing and watching) with temporary index folders.
 */

const REAL_CONTENT = path.resolve(import.meta.dirname, "../../content");
const FIXTURE_CONTENT = path.resolve(import.meta.dirname, "../../bot/assistant/fixtures/content");
const CLOCK: Clock = { now: () => new Date("2026-11-22T09:00:00+07:00") };
const HOURS_QUESTION = { text: "Miếu Bà Chúa Xứ mấy giờ mở cửa?" };
const MIEU = "attractions/mieu-ba-chua-xu.md";

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

/** A logger that keeps the messages, so tests can count builds and see their order. */
function captureLog(): Logger & { messages: string[] } {
  const messages: string[] = [];
  const keep = (_obj: object, msg?: string) => void messages.push(msg ?? "");
  return { messages, info: keep, warn: keep, error: keep };
}

const makeAssistant = (index: KnowledgeIndex) =>
  createAssistant({ index, store: createMemoryStore(), clock: CLOCK });

/** A temporary copy of a content folder, an index built from it, and the live pair on that index. */
async function setup(source: string) {
  const dir = await mkdtemp(path.join(tmpdir(), "chau-doc-publish-"));
  temps.push(dir);
  const contentDir = path.join(dir, "content");
  const indexDir = path.join(dir, "index");
  await cp(source, contentDir, { recursive: true });
  const { index } = await buildIndex(contentDir, indexDir);
  const live: { current: Live } = { current: { index, assistant: makeAssistant(index) } };
  return { contentDir, indexDir, live };
}

/** Replaces text in a content file, failing when the text is not there (so the edit really happens). */
async function edit(contentDir: string, rel: string, from: string | RegExp, to: string): Promise<void> {
  const file = path.join(contentDir, rel);
  const before = await readFile(file, "utf8");
  const after = before.replace(from, to);
  expect(after).not.toBe(before);
  await writeFile(file, after);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** Runs `work` and reports the longest the event loop went without running a 10 ms timer meanwhile. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await work();
    return { result, stallMs: Math.max(stallMs, performance.now() - last) };
  } finally {
    clearInterval(timer);
  }
}

describe.each([
  ["on this thread", buildInThread],
  ["in a worker thread", buildInWorker],
])("publish on the real content, building %s", (_how, builder) => {
  let env: Awaited<ReturnType<typeof setup>>;
  let log: ReturnType<typeof captureLog>;
  let publisher: ReturnType<typeof createPublisher>;

  beforeAll(async () => {
    env = await setup(REAL_CONTENT);
    log = captureLog();
    publisher = createPublisher({ ...env, makeAssistant, log, clock: CLOCK, builder });
  });

  it("swaps the live index and assistant: the new pair answers with the edited opening hours", async () => {
    const old = env.live.current;
    const oldAnswer = await old.assistant.ask(HOURS_QUESTION);
    expect(oldAnswer.answer).not.toContain("5 giờ 15");
    await edit(
      env.contentDir,
      MIEU,
      /^ {2}openingHours: null$/m,
      '  openingHours:\n    vi: "Mở cửa từ 5 giờ 15 đến 21 giờ 45 hằng ngày"\n    en: "Open 5:15 am to 9:45 pm daily"',
    );

    const result = await publisher.publish("edited the temple's hours");

    expect(result).toMatchObject({ ok: true, entries: old.index.manifest.counts.entries });
    expect(env.live.current).not.toBe(old);
    expect(env.live.current.index.manifest.version).not.toBe(old.index.manifest.version);
    if (result.ok) expect(env.live.current.index.manifest.version).toBe(result.version);
    expect((await env.live.current.assistant.ask(HOURS_QUESTION)).answer).toContain("5 giờ 15");
    // A request that took the old pair before the swap still gets a whole answer from it.
    expect((await old.assistant.ask(HOURS_QUESTION)).answer).not.toContain("5 giờ 15");
    expect(publisher.status()).toMatchObject({
      running: false,
      last: { ok: true, reason: "edited the temple's hours", at: CLOCK.now().toISOString() },
    });
  });

  it("keeps the old pair live when the content is invalid, and reports path:line field: reason", async () => {
    const before = env.live.current;
    const answerBefore = (await before.assistant.ask(HOURS_QUESTION)).answer;
    const currentBefore = await readFile(path.join(env.indexDir, "CURRENT"), "utf8");
    await edit(env.contentDir, MIEU, /^ {2}distanceFromCentreKm: .*$/m, "  distanceFromCentreKm: 42");

    const result = await publisher.publish("broken edit");

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/content is invalid/);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(
      /^attractions\/mieu-ba-chua-xu\.md:\d+ place\.distanceFromCentreKm: .+/,
    );
    expect(env.live.current).toBe(before);
    expect((await env.live.current.assistant.ask(HOURS_QUESTION)).answer).toBe(answerBefore);
    expect(await readFile(path.join(env.indexDir, "CURRENT"), "utf8")).toBe(currentBefore);
    expect(publisher.status().last).toMatchObject({ ok: false, reason: "broken edit" });
    expect(log.messages).toContain("publish: build failed; the previous index stays live");
  });
});

describe("building in a worker thread", () => {
  it("keeps the server's event loop free: its longest stall is a fraction of the same build on-thread", async () => {
    const env = await setup(REAL_CONTENT);
    await edit(
      env.contentDir,
      MIEU,
      /^ {2}distanceFromCentreKm: (.*)$/m,
      "  distanceFromCentreKm: $1 # republished",
    );
    const publish = (builder: typeof buildInThread) =>
      longestStall(() =>
        createPublisher({ ...env, makeAssistant, log: captureLog(), clock: CLOCK, builder }).publish("stall"),
      );
    const inThread = await publish(buildInThread);
    const inWorker = await publish(buildInWorker);
    expect(inThread.result.ok && inWorker.result.ok).toBe(true);
    expect(inWorker.stallMs).toBeLessThan(inThread.stallMs / 2);
  });
});

describe("publish on the fixture content", () => {
  it("coalesces: five calls during a build give one follow-up build, never two at once", async () => {
    const env = await setup(FIXTURE_CONTENT);
    const log = captureLog();
    const publisher = createPublisher({ ...env, makeAssistant, log, clock: CLOCK });

    const calls = [1, 2, 3, 4, 5].map((i) => publisher.publish(`call ${i}`));
    expect(publisher.status().running).toBe(true);
    await publisher.idle();
    expect(publisher.status().running).toBe(false);
    expect(log.messages.filter((m) => m === "publish: new index is live")).toHaveLength(2);
    const results = await Promise.all(calls);

    const builds = log.messages.filter((m) => m === "publish: building the index");
    expect(builds).toHaveLength(2);
    // Each build finished before the next one started.
    expect(log.messages).toEqual([
      "publish: building the index",
      "publish: new index is live",
      "publish: building the index",
      "publish: new index is live",
    ]);
    const versions = results.map((r) => (r.ok ? r.version : "failed"));
    expect(versions[0]).not.toBe(versions[1]);
    expect(new Set(versions.slice(1)).size).toBe(1);
    expect(env.live.current.index.manifest.version).toBe(versions[1]);
    expect(publisher.status()).toMatchObject({
      running: false,
      last: { ok: true, reason: "call 2, call 3, call 4, call 5" },
    });
  });

  it("reports any other failure without swapping (here: the assistant cannot be made)", async () => {
    const env = await setup(FIXTURE_CONTENT);
    const before = env.live.current;
    const failing = createPublisher({
      ...env,
      log: captureLog(),
      clock: CLOCK,
      makeAssistant: () => {
        throw new Error("catalog exploded");
      },
    });
    const result = await failing.publish("test");
    expect(result).toMatchObject({ ok: false, error: "catalog exploded", problems: [] });
    expect(env.live.current).toBe(before);
  });

  describe("watch", () => {
    let stop: (() => void) | undefined;
    afterEach(() => stop?.());

    it("republishes after the debounce when a .md file changes, ignoring temp files and no-op writes", async () => {
      const env = await setup(FIXTURE_CONTENT);
      const published: PublishRecord[] = [];
      const log = captureLog();
      const unchanged = () =>
        log.messages.filter((m) => m === "publish: the live index already has this content");
      const deps: PublisherDeps = {
        ...env,
        makeAssistant,
        log,
        clock: CLOCK,
        onPublished: (r) => published.push(r),
      };
      const publisher = createPublisher(deps);
      const versionBefore = env.live.current.index.manifest.version;
      stop = publisher.watch(100);
      await sleep(200); // the recursive watcher walks the folders first

      const rel = "attractions/dinh-loc-tho.md";
      await writeFile(path.join(env.contentDir, "attractions", ".dinh-loc-tho.md.swp"), "x");
      await writeFile(path.join(env.contentDir, "attractions", "dinh-loc-tho.md~"), "x");
      await writeFile(path.join(env.contentDir, "attractions", "dinh-loc-tho.md.tmp"), "x");
      await sleep(400);
      expect(unchanged()).toEqual([]); // temp files never even start the debounce timer
      const same = await readFile(path.join(env.contentDir, rel), "utf8");
      await writeFile(path.join(env.contentDir, rel), same);
      await waitFor(() => unchanged().length > 0, 5000);
      expect(unchanged()).toHaveLength(1); // one check after the debounce, however many events
      expect(published).toEqual([]);

      await edit(env.contentDir, rel, /\n# English\n/, "\nĐình mở cửa cả ngày.\n\n# English\n");
      await waitFor(() => published.length > 0, 10_000);
      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({ ok: true, reason: "content changed on disk" });
      expect(env.live.current.index.manifest.version).not.toBe(versionBefore);

      stop();
      stop = undefined;
      await edit(env.contentDir, rel, "Đình mở cửa cả ngày.", "Đình mở cửa cả ngày, kể cả ngày lễ.");
      await sleep(600);
      expect(published).toHaveLength(1);
    });
  });
});

describe.each([
  ["on this thread", buildInThread],
  ["in a worker thread", buildInWorker],
])("publish when the content folder is gone or shrunk, building %s", (_how, builder) => {
  it("refuses a missing content folder (content_missing) and keeps the live index", async () => {
    const env = await setup(FIXTURE_CONTENT);
    const before = env.live.current;
    const publisher = createPublisher({ ...env, makeAssistant, log: captureLog(), clock: CLOCK, builder });
    await rename(env.contentDir, `${env.contentDir}.old`);
    const result = await publisher.publish("content changed on disk");
    expect(result).toMatchObject({ ok: false, code: "content_missing", problems: [] });
    if (!result.ok) expect(result.error).toMatch(/content folder .* is missing/);
    expect(env.live.current).toBe(before);
    expect(env.live.current.index.manifest.counts.entries).toBe(9);
  });

  it("refuses a build that drops more than half of the entries until it is confirmed", async () => {
    const env = await setup(FIXTURE_CONTENT);
    const before = env.live.current;
    const publisher = createPublisher({ ...env, makeAssistant, log: captureLog(), clock: CLOCK, builder });
    await keepFourFixtureEntries(env.contentDir);
    const refused = await publisher.publish("manual reindex");
    expect(refused).toMatchObject({
      ok: false,
      code: "content_shrink",
      shrink: { live: 9, next: 4, dropped: 5 },
    });
    expect(env.live.current).toBe(before);
    const confirmed = await publisher.publish("manual reindex (confirmed)", { allowShrink: true });
    expect(confirmed).toMatchObject({ ok: true, entries: 4 });
    expect(env.live.current.index.manifest.counts.entries).toBe(4);
  });
});

describe("watching a content folder that is removed and re-created", () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it("keeps the live index while it is gone, and picks up edits in the folder that comes back", async () => {
    const env = await setup(FIXTURE_CONTENT);
    const published: PublishRecord[] = [];
    const log = captureLog();
    const publisher = createPublisher({
      ...env,
      makeAssistant,
      log,
      clock: CLOCK,
      onPublished: (r) => published.push(r),
    });
    const before = env.live.current;
    stop = publisher.watch(100, 100);
    await sleep(200);

    // A deploy that swaps folders: the old one moves away, and for a while there is none.
    await rename(env.contentDir, `${env.contentDir}.old`);
    await sleep(500);
    expect(env.live.current).toBe(before);
    expect(published.filter((r) => r.ok)).toEqual([]);

    // The new folder arrives (another inode); the watcher follows it, and edits in it are published.
    await cp(`${env.contentDir}.old`, env.contentDir, { recursive: true });
    await sleep(400);
    await edit(
      env.contentDir,
      "attractions/dinh-loc-tho.md",
      /\n# English\n/,
      "\nĐình mở cửa cả ngày.\n\n# English\n",
    );
    await waitFor(() => published.some((r) => r.ok), 10_000);
    expect(env.live.current).not.toBe(before);
    expect(env.live.current.index.get("dinh-loc-tho")?.body.vi).toContain("Đình mở cửa cả ngày.");
    // And the old folder, moved away, is not watched any more.
    const count = published.length;
    await edit(
      `${env.contentDir}.old`,
      "attractions/dinh-loc-tho.md",
      /\n# English\n/,
      "\nCũ.\n\n# English\n",
    );
    await sleep(600);
    expect(published).toHaveLength(count);
  });
});

describe("startRetention", () => {
  afterEach(() => vi.useRealTimers());

  it("purges interactions older than the retention at start and then every 24 hours", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let now = new Date("2026-11-22T02:00:00Z");
    const purgeBefore = vi.fn(async (_iso: string) => 3);
    const forgetReporters = vi.fn(async (_iso: string) => 1);
    const log = captureLog();
    const stopRetention = startRetention({
      store: { purgeBefore, forgetReporters },
      days: 180,
      clock: { now: () => now },
      log,
    });

    expect(purgeBefore.mock.calls).toEqual([["2026-05-26T02:00:00.000Z"]]);
    now = new Date("2026-11-23T02:00:00Z");
    vi.advanceTimersByTime(24 * 60 * 60 * 1000);
    expect(purgeBefore.mock.calls).toEqual([["2026-05-26T02:00:00.000Z"], ["2026-05-27T02:00:00.000Z"]]);

    stopRetention();
    vi.advanceTimersByTime(3 * 24 * 60 * 60 * 1000);
    expect(purgeBefore).toHaveBeenCalledTimes(2);
    await Promise.resolve();
    expect(log.messages).toContain("retention: old interactions purged");
    // Closed reports' chat ids go after the same number of days.
    expect(forgetReporters.mock.calls[0]).toEqual(["2026-05-26T02:00:00.000Z"]);
  });

  it("logs a failed purge instead of throwing", async () => {
    const purgeBefore = vi.fn(async () => {
      throw new Error("disk full");
    });
    const log = captureLog();
    const stopRetention = startRetention({
      store: { purgeBefore, forgetReporters: async () => 0 },
      days: 30,
      clock: CLOCK,
      log,
    });
    stopRetention();
    await waitFor(() => log.messages.includes("retention: purge failed"), 1000);
    expect(purgeBefore).toHaveBeenCalledWith("2026-10-23T02:00:00.000Z");
  });
});

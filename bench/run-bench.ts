/**
 * `npm run bench [-- --sizes 1000,10000,50000|none] [--skip-http] [--http-seconds 10] [--http-rounds 3] [--json]`: index build time, search latency (p50/p99)
 * and peak memory, on the real content and on generated knowledge bases of 1k, 10k and 50k entries.
 *
 * Each dataset runs in its own child process (this file with `--child <dataset>`), because maxRSS is a
 * high-water mark of the whole process: measured in one process, every size would report the peak of the
 * largest one run so far. The parent only spawns, collects the JSON each child prints, and reports.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildFromEntries, buildIndex, type BuildStep } from "../indexer/build.ts";
import { formatProblem, loadContent } from "../indexer/content/load.ts";
import { TYPE_FOLDERS } from "../indexer/content/schema.ts";
import type { KnowledgeIndex } from "../indexer/knowledge-index.ts";
import { openIndex } from "../indexer/open.ts";
import { loadQuestions } from "../eval/run-eval.ts";
import { loadAnswerCases, DEFAULT_NOW } from "../eval/answer-eval.ts";
import { loadChats, loadSingleQuestions } from "../eval/dialogue-eval.ts";
import { createAssistant } from "../bot/assistant/index.ts";
import { openAiToolModel } from "../bot/langchain.ts";
import { startFakeOpenAi, type ChatRequestBody, type FakeReply } from "../bot/assistant/model/fake-openai.ts";
import { openSqliteStore, type Store } from "../bot/store/index.ts";
import {
  HTTP_TARGETS,
  runHttpBench,
  SERVER_NODE_FLAGS,
  type HttpBenchResult,
  type LoadResult,
} from "./http-bench.ts";
import { buildCorpus, entryToMarkdown, generateEntries, generateQueries } from "./generate.ts";
import { runLimiterBench } from "./limiter-bench.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CONTENT_DIR = path.join(ROOT, "content");
const QUESTIONS_FILE = path.join(ROOT, "eval", "questions.jsonl");

const DEFAULT_SIZES = [1000, 10000, 50000];
const REAL_BUILD_RUNS = 3;
const MEASURED_QUERIES = 2000;
const WARMUP_QUERIES = 200;
const SEARCH = { k: 5, mode: "hybrid" } as const;
/** Sizes up to this one are also written to disk as Markdown and rebuilt with buildIndex, then opened. */
const DISK_ROUNDTRIP_MAX = 10000;

const TARGETS = { p99At10kMs: 5, realBuildMs: 3000, answerP99Ms: 10 } as const;
const ANSWERS_FILE = path.join(ROOT, "eval", "answers.jsonl");

/** Latency summary of one run of queries, in milliseconds. */
export type LatencyStats = {
  queries: number;
  warmup: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
};

/** What one child measures for one dataset. */
export type DatasetResult = {
  dataset: string;
  entries: number;
  passages: number;
  terms: number;
  /** How "buildMs" was measured: the full on-disk build (real content) or the in-memory build. */
  buildKind: "buildIndex" | "buildFromEntries";
  buildMs: number;
  buildRunsMs: number[];
  /**
   * Generated: time from the first to the last progress report of each build step; "embed" includes LSI
   * training, which ends at the first embedded batch ("lsiTraining"); "other" is chunking and serialising.
   */
  buildStepsMs?: Partial<Record<BuildStep | "lsiTraining" | "other", number>>;
  search: LatencyStats;
  /** process.resourceUsage().maxRSS after build and search, before the optional disk round trip. */
  peakRssMb: number;
  generateMs?: number;
  /** Real content only: whole answers without a model (assistant.ask), and sequential answers per second. */
  answers?: {
    plain: LatencyStats & { perSecond: number };
    withSqliteStore: LatencyStats & { perSecond: number };
  };
  /**
   * Real content: a three-part question answered by the tool-calling loop against a local fake model that
   * answers at once (2 model calls, 3 tool calls), next to the same question answered without a model.
   */
  toolLoop?: {
    withFakeModel: LatencyStats;
    extractive: LatencyStats;
    overheadP50Ms: number;
    overheadP99Ms: number;
  };
  /** Real content: opening the built index from disk. Generated: the Markdown → buildIndex → open round trip. */
  disk?: { writeMarkdownMs?: number; buildIndexMs?: number; openMs: number; peakRssMb: number };
};

type Failure = { dataset: string; error: string };

/** Nearest-rank percentile of ascending samples: the smallest sample with at least q of all at or below it. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Median of a few samples (upper median for an even count, which is fine for 3 runs). */
export function median(samples: number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    0.5,
  );
}

/** Times each query separately (after an untimed warm-up, so the JIT and the lazy typo index are ready). */
export async function measureSearch(
  index: KnowledgeIndex,
  warmup: string[],
  queries: string[],
): Promise<LatencyStats> {
  for (const q of warmup) await index.search(q, SEARCH);
  const samples = new Array<number>(queries.length);
  for (let i = 0; i < queries.length; i++) {
    const started = performance.now();
    await index.search(queries[i] as string, SEARCH);
    samples[i] = performance.now() - started;
  }
  return latencyStats(samples, warmup.length);
}

/** Nearest-rank p50/p99, mean and max of per-call timings (ms); sorts `samples` in place. */
function latencyStats(samples: number[], warmup: number): LatencyStats {
  samples.sort((a, b) => a - b);
  return {
    queries: samples.length,
    warmup,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    max: samples[samples.length - 1] as number,
  };
}

/**
 * Whole answers without a model, as a channel asks for them: routing, retrieval, composition and (when
 * given) recording in the store. Every question is asked in its own conversation, 5 rounds after a
 * warm-up round, with the plan cache off, so that every answer is routed afresh (the worst case; the
 * HTTP test measures the server with its cache); "perSecond" is sequential throughput on one core.
 */
async function measureAnswers(
  index: KnowledgeIndex,
  questions: string[],
  store?: Store,
): Promise<LatencyStats & { perSecond: number }> {
  const now = new Date(DEFAULT_NOW);
  const assistant = createAssistant({
    index,
    clock: { now: () => now },
    ...(store ? { store } : {}),
    options: { planCacheSize: 0 },
  });
  for (const [i, text] of questions.entries()) await assistant.ask({ text, conversationId: `w${i}` });
  const rounds = 5;
  const samples: number[] = [];
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const [i, text] of questions.entries()) {
      const t = performance.now();
      await assistant.ask({ text, conversationId: `r${r}-${i}`, userId: `u${i}`, channel: "bench" });
      samples.push(performance.now() - t);
    }
  }
  const total = performance.now() - started;
  return { ...latencyStats(samples, questions.length), perSecond: (samples.length / total) * 1000 };
}

const TOOL_QUESTION =
  "We arrive Friday night at 23:00 with two Korean guests: when must the homestay declare them, " +
  "what is on that weekend, and how far is Tra Su?";
const TOOL_SCRIPT: FakeReply[] = [
  {
    kind: "tool_calls",
    calls: [
      { name: "lodging_deadline", arguments: { guest: "foreign", arrival: "23:00" } },
      { name: "events_between", arguments: { from: "2026-11-27", to: "2026-11-29" } },
      { name: "get_entry", arguments: { id: "rung-tram-tra-su" } },
    ],
  },
  {
    kind: "text",
    text:
      "Declare foreign guests at check-in online, or on paper before 11:00 the next day [khai-bao-tam-tru-nguoi-nuoc-ngoai]. " +
      "That weekend falls in the flood season [mua-nuoc-noi]. Trà Sư is about 30 km away [rung-tram-tra-su].",
  },
];

/**
 * The tool-calling loop's own overhead: the same question answered through the loop with a local fake
 * model that answers at once (so what is measured is LangChain, the HTTP round trips on 127.0.0.1, the
 * tools and the checks) and without a model; plan cache off in both.
 */
async function measureToolLoop(index: KnowledgeIndex): Promise<NonNullable<DatasetResult["toolLoop"]>> {
  const fake = await startFakeOpenAi(({ body }) => {
    const step = (body as ChatRequestBody).messages.filter((m) => m.role === "assistant").length;
    return TOOL_SCRIPT[Math.min(step, TOOL_SCRIPT.length - 1)] as FakeReply;
  });
  try {
    const now = new Date(DEFAULT_NOW);
    const common = { index, clock: { now: () => now }, options: { planCacheSize: 0 } };
    const withTools = createAssistant({
      ...common,
      toolModel: openAiToolModel({ model: "fake", apiKey: "bench", baseURL: fake.baseURL }),
    });
    const plain = createAssistant(common);
    const run = async (assistant: typeof plain, composer: "model" | "extractive") => {
      const samples: number[] = [];
      for (let i = 0; i < 250; i++) {
        const t = performance.now();
        const answer = await assistant.ask({ text: TOOL_QUESTION, conversationId: `t${i}` });
        if (i >= 50) samples.push(performance.now() - t);
        if (answer.composer !== composer) throw new Error(`tool loop bench: a ${answer.composer} answer`);
      }
      return latencyStats(samples, 50);
    };
    const withFakeModel = await run(withTools, "model");
    const extractive = await run(plain, "extractive");
    return {
      withFakeModel,
      extractive,
      overheadP50Ms: withFakeModel.p50 - extractive.p50,
      overheadP99Ms: withFakeModel.p99 - extractive.p99,
    };
  } finally {
    await fake.close();
  }
}

/** maxRSS is reported in kilobytes. */
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

async function loadRealEntries() {
  const { entries, problems } = await loadContent(CONTENT_DIR);
  if (problems.length > 0) throw new Error(`content/ is invalid:\n${problems.map(formatProblem).join("\n")}`);
  return entries;
}

async function tempDir(label: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `chau-doc-bench-${label}-`));
}

/** Real content: full builds (load, validate, build, write) into fresh folders, then search the opened index. */
async function benchReal(): Promise<DatasetResult> {
  const questions = (await loadQuestions(QUESTIONS_FILE)).map((q) => q.q);
  const runs: number[] = [];
  const dirs: string[] = [];
  try {
    let lastDir = "";
    for (let r = 0; r < REAL_BUILD_RUNS; r++) {
      const dir = await tempDir("real");
      dirs.push(dir);
      const started = performance.now();
      await buildIndex(CONTENT_DIR, dir);
      runs.push(performance.now() - started);
      lastDir = dir;
    }
    const openStarted = performance.now();
    // Searched as the assistant serves it: opened from the files the build wrote.
    const index = await openIndex(lastDir);
    const openMs = performance.now() - openStarted;
    const repeated = Array.from(
      { length: Math.ceil(MEASURED_QUERIES / questions.length) },
      () => questions,
    ).flat();
    const warmup = Array.from(
      { length: WARMUP_QUERIES },
      (_, i) => questions[i % questions.length] as string,
    );
    log(`real: built ${runs.map((r) => r.toFixed(0)).join(", ")} ms; searching ${repeated.length} queries`);
    const search = await measureSearch(index, warmup, repeated);
    // The public questions and answer cases, and the blind sets' questions and chat turns (multi-part
    // questions and long turns cost the most).
    const answerQuestions = [
      ...questions,
      ...(await loadAnswerCases(ANSWERS_FILE)).flatMap((c) => c.turns ?? [c.q ?? ""]),
      ...(await loadSingleQuestions(path.join(ROOT, "eval", "blind", "questions.jsonl"))).map((q) => q.q),
      ...(await loadChats(path.join(ROOT, "eval", "blind", "chats.jsonl"))).flatMap((c) =>
        c.turns.map((t) => t.say),
      ),
    ].filter(Boolean);
    log(`real: answering ${answerQuestions.length} questions, without and with the SQLite store`);
    const plain = await measureAnswers(index, answerQuestions);
    const storeDir = await tempDir("store");
    dirs.push(storeDir);
    const store = openSqliteStore(path.join(storeDir, "bench.sqlite"));
    const withSqliteStore = await measureAnswers(index, answerQuestions, store);
    await store.close();
    log("real: the tool-calling loop with a local fake model");
    const toolLoop = await measureToolLoop(index);
    const m = index.manifest;
    const peak = peakRssMb();
    return {
      dataset: "real",
      entries: m.counts.entries,
      passages: m.counts.chunks,
      terms: m.counts.terms,
      buildKind: "buildIndex",
      buildMs: median(runs),
      buildRunsMs: runs,
      search,
      answers: { plain, withSqliteStore },
      toolLoop,
      peakRssMb: peak,
      disk: { openMs, peakRssMb: peak },
    };
  } finally {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}

/** Where the build time goes, from the progress reports buildFromEntries makes anyway. */
function stepTimer() {
  const spans = new Map<BuildStep, { first: number; last: number }>();
  let lsiTraining: number | undefined;
  return {
    onProgress(step: BuildStep, done: number): void {
      const now = performance.now();
      const span = spans.get(step);
      if (!span) spans.set(step, { first: now, last: now });
      else {
        // The first batch report after "embed 0" comes after the latent space is learned.
        if (step === "embed" && lsiTraining === undefined && done > 0) lsiTraining = now - span.first;
        span.last = now;
      }
    },
    result(totalMs: number): NonNullable<DatasetResult["buildStepsMs"]> {
      const out: NonNullable<DatasetResult["buildStepsMs"]> = {};
      for (const [step, { first, last }] of spans) out[step] = last - first;
      if (lsiTraining !== undefined) out.lsiTraining = lsiTraining;
      out.other = totalMs - [...spans.values()].reduce((a, s) => a + s.last - s.first, 0);
      return out;
    },
  };
}

function formatSteps(steps: NonNullable<DatasetResult["buildStepsMs"]>): string {
  return Object.entries(steps)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(", ");
}

/** Writes generated entries as Markdown under a temporary content root, then builds and opens from disk. */
async function diskRoundTrip(
  entries: Awaited<ReturnType<typeof loadRealEntries>>,
): Promise<NonNullable<DatasetResult["disk"]>> {
  const contentDir = await tempDir("content");
  const indexDir = await tempDir("index");
  try {
    const writeStarted = performance.now();
    await Promise.all(Object.values(TYPE_FOLDERS).map((f) => mkdir(path.join(contentDir, f))));
    for (let i = 0; i < entries.length; i += 256) {
      await Promise.all(
        entries.slice(i, i + 256).map((e) => writeFile(path.join(contentDir, e.file), entryToMarkdown(e))),
      );
    }
    const writeMarkdownMs = performance.now() - writeStarted;
    const buildStarted = performance.now();
    const built = await buildIndex(contentDir, indexDir);
    const buildIndexMs = performance.now() - buildStarted;
    if (built.manifest.counts.entries !== entries.length) {
      throw new Error(`round trip lost entries: ${built.manifest.counts.entries} of ${entries.length}`);
    }
    const openStarted = performance.now();
    await openIndex(indexDir);
    const openMs = performance.now() - openStarted;
    return { writeMarkdownMs, buildIndexMs, openMs, peakRssMb: peakRssMb() };
  } finally {
    await rm(contentDir, { recursive: true, force: true });
    await rm(indexDir, { recursive: true, force: true });
  }
}

/** Generated content of `size` entries: in-memory build, search, and for small sizes the disk round trip. */
async function benchGenerated(size: number): Promise<DatasetResult> {
  const real = await loadRealEntries();
  const questions = (await loadQuestions(QUESTIONS_FILE)).map((q) => q.q);
  const genStarted = performance.now();
  const entries = generateEntries(buildCorpus(real), size);
  const generateMs = performance.now() - genStarted;
  log(`${size}: generated in ${generateMs.toFixed(0)} ms; building`);

  const timer = stepTimer();
  const buildStarted = performance.now();
  // A fixed hash: the in-memory build only puts it in the manifest.
  const built = await buildFromEntries(entries, "0".repeat(64), { onProgress: timer.onProgress });
  const buildMs = performance.now() - buildStarted;
  const buildStepsMs = timer.result(buildMs);
  const m = built.manifest;
  log(
    `${size}: ${m.counts.chunks} passages, built in ${buildMs.toFixed(0)} ms (${formatSteps(buildStepsMs)}); searching`,
  );

  const queries = generateQueries(entries, questions, WARMUP_QUERIES + MEASURED_QUERIES);
  const search = await measureSearch(
    built.index,
    queries.slice(0, WARMUP_QUERIES),
    queries.slice(WARMUP_QUERIES),
  );
  const result: DatasetResult = {
    dataset: `generated-${size}`,
    entries: m.counts.entries,
    passages: m.counts.chunks,
    terms: m.counts.terms,
    buildKind: "buildFromEntries",
    buildMs,
    buildRunsMs: [buildMs],
    buildStepsMs,
    search,
    peakRssMb: peakRssMb(),
    generateMs,
  };
  if (size <= DISK_ROUNDTRIP_MAX) {
    log(`${size}: writing Markdown, buildIndex, openIndex`);
    result.disk = await diskRoundTrip(entries);
  }
  return result;
}

/** Runs one dataset in a child process and parses the JSON line it prints. */
function runChild(dataset: string): Promise<DatasetResult | Failure> {
  // tsx's loader by absolute URL, so the child resolves it whatever its working directory.
  const args = [
    // `npm start`'s Node flags (package.json), so that search runs as in the server. BENCH_NODE_FLAGS=""
    // measures Node's defaults instead.
    ...(process.env.BENCH_NODE_FLAGS ?? SERVER_NODE_FLAGS).split(" ").filter(Boolean),
    "--import",
    import.meta.resolve("tsx"),
    import.meta.filename,
    "--child",
    dataset,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", (e) => resolve({ dataset, error: String(e) }));
    child.on("close", (code, signal) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code === 0 && last.startsWith("{")) resolve(JSON.parse(last) as DatasetResult);
      else resolve({ dataset, error: `child exited with ${signal ?? `code ${code}`}` });
    });
  });
}

const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : "-");

function table(rows: (DatasetResult | Failure)[]): string {
  const head = [
    "dataset",
    "entries",
    "passages",
    "build ms",
    "search p50 ms",
    "search p99 ms",
    "peak RSS MB",
  ];
  const body = rows.map((r) =>
    "error" in r
      ? [r.dataset, "FAILED", r.error, "", "", "", ""]
      : [
          r.dataset,
          String(r.entries),
          String(r.passages),
          fmt(r.buildMs),
          fmt(r.search.p50, 3),
          fmt(r.search.p99, 3),
          fmt(r.peakRssMb),
        ],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...body.map(line)].join("\n");
}

type TargetCheck = { target: string; value: number | null; pass: boolean | null };

function checkTargets(rows: (DatasetResult | Failure)[]): TargetCheck[] {
  const find = (name: string) => rows.find((r): r is DatasetResult => r.dataset === name && !("error" in r));
  const at10k = find("generated-10000");
  const real = find("real");
  return [
    {
      target: `search p99 < ${TARGETS.p99At10kMs} ms at 10k entries`,
      value: at10k?.search.p99 ?? null,
      pass: at10k ? at10k.search.p99 < TARGETS.p99At10kMs : null,
    },
    {
      target: `real-content build < ${TARGETS.realBuildMs / 1000} s`,
      value: real?.buildMs ?? null,
      pass: real ? real.buildMs < TARGETS.realBuildMs : null,
    },
    {
      target: `answer p99 without a model < ${TARGETS.answerP99Ms} ms on the real content`,
      value: real?.answers?.plain.p99 ?? null,
      pass: real?.answers ? real.answers.plain.p99 < TARGETS.answerP99Ms : null,
    },
  ];
}

function httpTargets(http: HttpBenchResult | { error: string } | undefined): TargetCheck[] {
  const ok = http && !("error" in http) ? http : undefined;
  const failed = http !== undefined && ok === undefined;
  const check = (target: string, value: number | undefined, pass: (v: number) => boolean): TargetCheck => ({
    target,
    value: value ?? null,
    pass: value === undefined ? (failed ? false : null) : pass(value),
  });
  return [
    check(`ask throughput >= ${HTTP_TARGETS.ratio} x bare route`, ok?.ratio, (v) => v >= HTTP_TARGETS.ratio),
    check(`ask p99 < ${HTTP_TARGETS.p99Ms} ms at 50 connections`, ok?.ask.p99, (v) => v < HTTP_TARGETS.p99Ms),
    check(`server peak RSS < ${HTTP_TARGETS.rssMb} MB`, ok?.serverPeakRssMb, (v) => v < HTTP_TARGETS.rssMb),
    // A throughput made of errors or 429s would be no throughput at all.
    check(
      "no errors or non-2xx responses in the measured runs",
      ok ? ok.ask.errors + ok.ask.non2xx + ok.bare.errors + ok.bare.non2xx : undefined,
      (v) => v === 0,
    ),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string" },
      json: { type: "boolean", default: false },
      child: { type: "string" },
      "skip-http": { type: "boolean", default: false },
      "http-seconds": { type: "string", default: "10" },
      "http-rounds": { type: "string", default: "3" },
    },
  });
  if (values.child !== undefined) {
    const result = values.child === "real" ? await benchReal() : await benchGenerated(Number(values.child));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }

  // "--sizes none": the real content (and the HTTP test) only.
  const sizes =
    values.sizes === "none"
      ? []
      : values.sizes
        ? values.sizes.split(",").map((s) => Number(s.trim()))
        : DEFAULT_SIZES;
  if (sizes.some((s) => !Number.isInteger(s) || s <= 0))
    throw new Error(`--sizes wants positive integers: ${values.sizes}`);
  const started = performance.now();
  const rows: (DatasetResult | Failure)[] = [];
  for (const dataset of ["real", ...sizes.map(String)]) rows.push(await runChild(dataset));
  let http: HttpBenchResult | { error: string } | undefined;
  if (!values["skip-http"]) {
    log(
      `http: autocannon, 50 connections, ${values["http-rounds"]} alternating rounds of ${values["http-seconds"]} s per route`,
    );
    http = await runHttpBench(Number(values["http-seconds"]), 50, Number(values["http-rounds"])).catch(
      (err: Error) => ({ error: err.message }),
    );
  }
  log(
    "rate limiter: hand-written baseline, rate-limiter-flexible in memory and PostgreSQL, 20 000 calls of the middleware each",
  );
  const limiters = await runLimiterBench().catch((err: Error) => ({ error: err.message }));
  const totalMs = performance.now() - started;
  const targets = [...checkTargets(rows), ...httpTargets(http)];
  // A failed target or a crashed dataset fails the command, so CI can gate on it.
  if (targets.some((t) => t.pass === false) || rows.some((r) => "error" in r)) process.exitCode = 1;

  if (values.json) {
    console.log(
      JSON.stringify({ node: process.version, totalMs, results: rows, http, limiters, targets }, null, 2),
    );
    return;
  }
  console.log(table(rows));
  console.log(
    `\nbuild ms: real = median of ${REAL_BUILD_RUNS} full buildIndex runs (load, validate, build, write); ` +
      `generated = buildFromEntries in memory (1 run).`,
  );
  console.log(
    `search: hybrid, k=${SEARCH.k}, per-query performance.now(), nearest-rank percentiles, ` +
      `after ${WARMUP_QUERIES} warm-up queries; peak RSS = maxRSS of the dataset's own process after build + search.`,
  );
  for (const r of rows) {
    if ("error" in r) continue;
    if (r.answers) {
      const a = (label: string, x: LatencyStats & { perSecond: number }) =>
        `  real: answers ${label}: p50 ${fmt(x.p50, 3)} ms, p99 ${fmt(x.p99, 3)} ms, max ${fmt(x.max, 1)} ms, ` +
        `${fmt(x.perSecond)} answers/s on one core (${x.queries} answers, plan cache off)`;
      console.log(a("without a model", r.answers.plain));
      console.log(a("without a model + SQLite store", r.answers.withSqliteStore));
    }
    if (r.toolLoop) {
      const t = r.toolLoop;
      console.log(
        `  real: tool-calling loop, fake model on 127.0.0.1 (2 model calls, 3 tool calls): p50 ${fmt(t.withFakeModel.p50, 2)} ms, ` +
          `p99 ${fmt(t.withFakeModel.p99, 2)} ms; the same question without a model p50 ${fmt(t.extractive.p50, 2)} ms; ` +
          `loop overhead p50 ${fmt(t.overheadP50Ms, 2)} ms, p99 ${fmt(t.overheadP99Ms, 2)} ms`,
      );
    }
    if (r.buildStepsMs) console.log(`  ${r.dataset}: build steps ms: ${formatSteps(r.buildStepsMs)}`);
    if (!r.disk) continue;
    const d = r.disk;
    console.log(
      r.dataset === "real"
        ? `  real: open from disk ${fmt(d.openMs)} ms; build runs ${r.buildRunsMs.map((x) => fmt(x)).join(", ")} ms`
        : `  ${r.dataset}: write Markdown ${fmt(d.writeMarkdownMs ?? NaN)} ms, buildIndex from disk ` +
            `${fmt(d.buildIndexMs ?? NaN)} ms, open ${fmt(d.openMs)} ms (peak RSS incl. round trip ${fmt(d.peakRssMb)} MB)`,
    );
  }
  if (http && "error" in http) console.log(`\nhttp: FAILED: ${http.error}`);
  else if (http) {
    const r = (x: LoadResult) =>
      `${fmt(x.requestsPerSec)} req/s, p50 ${fmt(x.p50)} ms, p99 ${fmt(x.p99)} ms, errors ${x.errors}, non-2xx ${x.non2xx}`;
    console.log(
      `\nhttp (autocannon, ${http.connections} connections, a server process per route, run as npm start runs;\n` +
        `  medians of ${http.rounds} alternating rounds of ${http.durationS} s per route):\n` +
        `  POST /api/ask (no model, real content, SQLite store): ${r(http.ask)}\n` +
        `  bare express route (fixed JSON):                      ${r(http.bare)}\n` +
        `  ratio ask/bare ${http.ratio.toFixed(2)}; server peak RSS ${fmt(http.serverPeakRssMb)} MB; ` +
        `CPU per request (all threads) ask ${fmt(http.cpuUsPerRequest.ask)} µs, bare ${fmt(http.cpuUsPerRequest.bare)} µs\n` +
        http.runs
          .map(
            (run, k) =>
              `  round ${k + 1}: bare ${fmt(run.bare.requestsPerSec)} req/s (p99 ${fmt(run.bare.p99)} ms), ` +
              `ask ${fmt(run.ask.requestsPerSec)} req/s (p99 ${fmt(run.ask.p99)} ms), ratio ${run.ratio.toFixed(2)}\n`,
          )
          .join("") +
        `  POST /api/ask, plan cache off (every question routed): ${r(http.askUncached)}, ` +
        `ratio ${(http.askUncached.requestsPerSec / http.bare.requestsPerSec).toFixed(2)}, ` +
        `peak RSS ${fmt(http.askUncached.serverPeakRssMb)} MB (not a target)`,
    );
  }
  if ("error" in limiters) console.log(`\nrate limiter: FAILED: ${limiters.error}`);
  else {
    const l = limiters;
    console.log(
      `\nrate limiter per request (middleware called directly, 500 clients, 20 in flight):\n` +
        `  hand-written, in-process (the former limiter, baseline): ${fmt(l.handWritten.usPerRequest, 2)} µs, ${fmt(l.handWritten.perSecond)} requests/s\n` +
        `  rate-limiter-flexible in memory (one machine): ${fmt(l.memory.usPerRequest, 2)} µs, ${fmt(l.memory.perSecond)} requests/s\n` +
        ("skipped" in l.postgres
          ? `  PostgreSQL: not measured (${l.postgres.skipped})`
          : `  PostgreSQL, rate-limiter-flexible (replicas): ${fmt(l.postgres.usPerRequest, 2)} µs, ` +
            `${fmt(l.postgres.perSecond)} requests/s (local throwaway server, no fsync)`),
    );
  }
  const verdict = (t: TargetCheck) =>
    t.pass === null ? "n/a (not run)" : `${valueText(t)} ${t.pass ? "PASS" : "FAIL"}`;
  const valueText = (t: TargetCheck) =>
    t.target.includes("x bare")
      ? `${fmt(t.value ?? NaN, 2)}x`
      : t.target.includes("RSS")
        ? `${fmt(t.value ?? NaN)} MB`
        : t.target.includes("non-2xx")
          ? `${t.value ?? "?"}`
          : `${fmt(t.value ?? NaN, t.target.includes("p99") ? 3 : 0)} ms`;
  console.log(`\ntargets:\n${targets.map((t) => `  ${t.target}: ${verdict(t)}`).join("\n")}`);
  console.log(`total ${(totalMs / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) await main();

import autocannon from "autocannon";
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { loadQuestions } from "../eval/run-eval.ts";
import { buildIndex } from "../indexer/index.ts";
import { bundleServer, ROOT } from "../scripts/bundle-server.ts";

/**
 * HTTP load test: POST /api/ask without a model (real content, the whole middleware stack, the SQLite
 * store) beside a bare express route answering a fixed JSON, each served by its own child process,
 * measured in the same run with autocannon (50 connections). Targets: ask at least half the bare throughput, p99 under
 * 50 ms, server peak RSS under 200 MB.
 *
 * The child runs as `npm start` runs the server: bundled by esbuild, started by Node with SERVER_NODE_FLAGS.
 * The questions are the evaluation's 208, in turn, from 500 conversations, so most carry a remembered turn.
 *
 * Both servers are warmed up alike (3 s at 50 connections), then measured in alternating rounds (bare,
 * ask, bare, ask …): this machine's speed drifts by a third from minute to minute, and alternating keeps
 * a slow minute from landing on one route only. Each route's figures are the medians over the rounds,
 * the ratio is the median of the rounds' ratios, and every round is reported.
 *
 * A third child with the assistant's plan cache turned off measures every question routed afresh (the
 * cost of questions never asked before); it is reported beside the targets, not checked against them.
 */
export type LoadResult = { requestsPerSec: number; p50: number; p99: number; errors: number; non2xx: number };

export type HttpBenchResult = {
  connections: number;
  /** Length of each measured run, in seconds. */
  durationS: number;
  rounds: number;
  /** Medians over the rounds (errors and non-2xx summed). */
  ask: LoadResult;
  bare: LoadResult;
  /** Median over the rounds of ask/bare requests per second. */
  ratio: number;
  runs: { bare: LoadResult; ask: LoadResult; ratio: number }[];
  serverPeakRssMb: number;
  /** CPU time (all threads) of each server process per request, over the measured rounds. */
  cpuUsPerRequest: { ask: number; bare: number };
  /** The ask route with the plan cache off, in its own server process (one run). */
  askUncached: LoadResult & { serverPeakRssMb: number };
};

/** V8 and Node flags of `npm start` (package.json): the benchmark servers run with the same. */
export const SERVER_NODE_FLAGS = "--enable-source-maps --heap-growing-percent=20";

export const HTTP_TARGETS = { ratio: 0.5, p99Ms: 50, rssMb: 200 } as const;

const WARM_UP_S = 3;

/** Runs the load tests against fresh server processes and returns the numbers. */
export async function runHttpBench(durationS = 10, connections = 50, rounds = 3): Promise<HttpBenchResult> {
  const questions = (await loadQuestions(path.join(ROOT, "eval", "questions.jsonl"))).map((q) => q.q);
  const indexDir = await mkdtemp(path.join(os.tmpdir(), "chau-doc-http-index-"));
  const bundle = path.join(ROOT, "dist", "bench-http-server.mjs");
  try {
    await buildIndex(path.join(ROOT, "content"), indexDir);
    await bundleServer(path.join(ROOT, "bench", "http-server.ts"), bundle);
    let i = 0;
    const askBody = () =>
      JSON.stringify({ message: questions[i++ % questions.length], conversationId: `bench-${i % 500}` });
    const load = (url: string, body: () => string, seconds = durationS) =>
      autocannon({
        url,
        connections,
        duration: seconds,
        method: "POST",
        headers: { "content-type": "application/json" },
        requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
      }).then(summarize);

    // Each route in its own process, so that each peak RSS is that server's own; both stay up (the one
    // not being measured is idle) so that the rounds can alternate.
    const bareServer = await startServer(bundle, { BENCH_SERVER: "bare" }, "/bare");
    const app = await startServer(bundle, { BENCH_SERVER: "app", BENCH_INDEX_DIR: indexDir }, "/api/ask");
    const runs: HttpBenchResult["runs"] = [];
    let cpu: HttpBenchResult["cpuUsPerRequest"];
    let peakRssMb: number;
    try {
      await load(bareServer.url, () => "{}", WARM_UP_S);
      await load(app.url, askBody, WARM_UP_S);
      bareServer.startCounting();
      app.startCounting();
      for (let round = 0; round < rounds; round++) {
        const bare = await load(bareServer.url, () => "{}");
        const ask = await load(app.url, askBody);
        runs.push({ bare, ask, ratio: ask.requestsPerSec / bare.requestsPerSec });
      }
    } finally {
      const bareEnd = await bareServer.stop();
      const appEnd = await app.stop();
      cpu = { ask: appEnd.cpuUsPerRequest, bare: bareEnd.cpuUsPerRequest };
      peakRssMb = appEnd.peakRssMb;
    }

    i = 0;
    const uncachedServer = await startServer(
      bundle,
      { BENCH_SERVER: "app", BENCH_INDEX_DIR: indexDir, BENCH_PLAN_CACHE_SIZE: "0" },
      "/api/ask",
    );
    await load(uncachedServer.url, askBody, WARM_UP_S);
    const uncached = await load(uncachedServer.url, askBody);
    const uncachedRss = await uncachedServer.stop();
    return {
      connections,
      durationS,
      rounds,
      ask: medianLoad(runs.map((r) => r.ask)),
      bare: medianLoad(runs.map((r) => r.bare)),
      ratio: median(runs.map((r) => r.ratio)),
      runs,
      serverPeakRssMb: peakRssMb,
      cpuUsPerRequest: cpu,
      askUncached: { ...uncached, serverPeakRssMb: uncachedRss.peakRssMb },
    };
  } finally {
    await rm(indexDir, { recursive: true, force: true });
    await rm(bundle, { force: true });
    await rm(`${bundle}.map`, { force: true });
  }
}

/** The median of a non-empty list (the mean of the middle two for an even length). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function medianLoad(results: LoadResult[]): LoadResult {
  return {
    requestsPerSec: median(results.map((r) => r.requestsPerSec)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    errors: results.reduce((n, r) => n + r.errors, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
  };
}

function summarize(r: autocannon.Result): LoadResult {
  return {
    requestsPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

/** Starts bench/http-server.ts's bundle; resolves with the route's URL and a stop() that reports peak RSS. */
async function startServer(bundle: string, env: Record<string, string>, route: string) {
  const flags = (process.env.BENCH_NODE_FLAGS ?? SERVER_NODE_FLAGS).split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...flags, bundle], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Lines the child printed, handed out in order; "close" (after its stdout has ended) fails the waiters.
  const lines: string[] = [];
  const waiters: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(line);
    else lines.push(line);
  });
  child.on("close", (code) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`benchmark server exited (${code})`));
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const line = lines.shift();
      if (line !== undefined) resolve(line);
      else if (child.exitCode !== null) reject(new Error(`benchmark server exited (${child.exitCode})`));
      else waiters.push({ resolve, reject });
    });
  const { port } = JSON.parse(await next()) as { port: number };
  return {
    url: `http://127.0.0.1:${port}${route}`,
    /** From now on the server counts requests and CPU time (after the warm-up). */
    startCounting() {
      child.kill("SIGUSR2");
    },
    async stop() {
      const end = next();
      child.kill("SIGTERM");
      return JSON.parse(await end) as { peakRssMb: number; cpuUsPerRequest: number };
    },
  };
}

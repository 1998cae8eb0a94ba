/**
 * `npm start`: the composition root. Reads the configuration once (a bad value stops here, naming the
 * variable), builds the index when it is missing or older than content/, opens the store, and serves the
 * portal, the widget and the API, and starts the chat channels whose variables are set. SIGTERM and SIGINT stop accepting connections, let requests in flight
 * finish (10 s at most), close the store and exit.
 */
import type { Server } from "node:http";
import { pino } from "pino";
import { createAssistant } from "../bot/index.ts";
import { createChannels, createDispatcher } from "../bot/channels/index.ts";
import { openSqliteStore } from "../bot/store/index.ts";
import { loadDotEnv, openFreshIndex } from "../indexer/index.ts";
import { createApp, DEFAULT_APP_OPTIONS } from "./app.ts";
import { readWebConfig, type WebConfig } from "./config.ts";

loadDotEnv();
let config: WebConfig;
try {
  config = readWebConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const log = pino({ level: config.logLevel });
const index = await openFreshIndex(config);
const store = openSqliteStore(config.storeFile);
const clock = { now: () => new Date() };
const assistant = createAssistant({
  index,
  store,
  clock,
  log,
  ...(config.chatModel ? { chatModel: config.chatModel } : {}),
  options: { modelTimeoutMs: config.modelTimeoutMs, hashSalt: config.hashSalt },
});
const live = { index, assistant };
const dispatcher = createDispatcher({
  assistant: { ask: (q) => live.assistant.ask(q), stream: (q) => live.assistant.stream(q) },
  store,
  log,
  clock,
  ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
});
const channels = createChannels(
  { ...config.channels, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) },
  { dispatcher, store, log },
);
const app = createApp({
  channels,
  live: () => live,
  store,
  log,
  clock,
  options: {
    ...DEFAULT_APP_OPTIONS,
    widgetOrigins: config.widgetOrigins,
    rateLimitPerMinute: config.rateLimitPerMinute,
    trustProxy: config.trustProxy,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
  },
});

const server: Server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const shown = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  log.info(
    { index: index.manifest.version, model: config.chatModel?.id ?? "none" },
    `Châu Đốc assistant listening on http://${shown}:${port}`,
  );
  console.log(
    `\n  Portal: http://${shown}:${port}/\n  Widget: <script src="http://${shown}:${port}/widget.js" data-lang="vi" async></script>\n`,
  );
});
for (const channel of channels) {
  channel.start().then(
    () => log.info({ channel: channel.name }, `${channel.name} started`),
    (err: unknown) => log.error({ err, channel: channel.name }, `${channel.name} could not start`),
  );
}
server.on("error", (err) => {
  log.fatal({ err }, "could not start the server");
  process.exit(1);
});

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "draining: no new connections, finishing requests in flight");
  const force = setTimeout(() => {
    log.warn("drain timed out after 10 s; closing the remaining connections");
    server.closeAllConnections();
  }, 10_000);
  force.unref();
  server.close(async () => {
    // A channel stuck on an unreachable platform must not hold the exit: 5 s at most.
    const channelsStopped = Promise.allSettled(channels.map((c) => c.stop()));
    await Promise.race([channelsStopped, new Promise((r) => setTimeout(r, 5_000).unref())]);
    await store.close();
    log.info("stopped");
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

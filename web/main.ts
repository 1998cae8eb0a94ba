/**
 * `npm start`: the composition root. Reads the configuration once (a bad value stops here, naming the
 * variable), builds the index when it is missing or older than content/, opens the store and the admin
 * database, serves the portal, the widget, the API and the admin area, and starts the chat channels whose
 * variables are set. Publishing (from the admin, or when content/ changes on disk) swaps the live index
 * and assistant together. SIGTERM and SIGINT stop accepting connections, let requests in flight and a
 * running build finish (10 s at most), close the databases and exit.
 */
import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import path from "node:path";
import { pino } from "pino";
import { createAssistant, type Assistant } from "../bot/index.ts";
import { postgresLimits } from "../bot/limits.ts";
import { openPostgresDialogue } from "../bot/assistant/track/dialogue.ts";
import {
  createChannels,
  createDispatcher,
  createOutbox,
  createStaffNotifier,
  type ChannelAdapter,
} from "../bot/channels/index.ts";
import { openPostgresStore, openSqliteStore, type CasePlace } from "../bot/store/index.ts";
import { openPostgresPool } from "../bot/store/postgres.ts";
import {
  caseEventSink,
  createOffice,
  createReports,
  createWebhookQueue,
  folderPhotoStore,
  placeFinder,
  postgresPhotoStore,
  type CaseEventSink,
  type WebhookQueue,
} from "../bot/reports/index.ts";
import { createHandoffDesk } from "../bot/handoff/index.ts";
import { loadDotEnv, openFreshIndex, type KnowledgeIndex } from "../indexer/index.ts";
import {
  buildInWorker,
  createAdminAuth,
  createAuditLog,
  createPublisher,
  createSharedFiles,
  ensureFirstAdmin,
  openAdminDb,
  openPostgresAdminDb,
  startRetention,
} from "./admin/index.ts";
import { createApp, DEFAULT_APP_OPTIONS, type Live } from "./app.ts";
import { modelId } from "../bot/config.ts";
import { readWebConfig, type WebConfig } from "./config.ts";
import { imageFileResolver } from "./image-files.ts";
import { startupFailure } from "./startup-failure.ts";

/**
 * Runs one step of the start-up. A failure it can explain (a folder it cannot write, a full disk, an
 * index it cannot open) ends the process with one line and exit 1, as a bad configuration does; a
 * programming error is thrown on, with its stack trace.
 */
async function startupStep<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const line = startupFailure(err);
    if (line === undefined) throw err;
    console.error(line);
    process.exit(1);
  }
}

loadDotEnv();
let config: WebConfig;
try {
  config = readWebConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const log = pino({ level: config.logLevel });
// With DATABASE_URL every store is in PostgreSQL, shared by the replicas; without it, SQLite and memory.
const pool = config.database
  ? openPostgresPool(config.database.url, {
      max: config.database.poolMax,
      onIdleError: (err) => log.warn({ err }, "postgres: an idle connection failed"),
    })
  : undefined;
// Content and uploads published by another replica come first, so the index is built from them.
let onSharedContent: () => void = () => {};
const shared = pool
  ? createSharedFiles({
      pool,
      folders: { content: config.contentDir, uploads: config.uploadsDir },
      log,
      onContentChanged: (folders) => {
        if (folders.includes("content")) onSharedContent();
      },
    })
  : undefined;
if (shared) await startupStep(() => shared.init());
const index = await startupStep(() => openFreshIndex(config));
const store = await startupStep(() => (pool ? openPostgresStore(pool) : openSqliteStore(config.storeFile)));
const clock = { now: () => new Date() };
// With replicas a client's rate limits and a chat's dialogue state are in PostgreSQL; without, in memory.
const rateLimits = pool ? await startupStep(() => postgresLimits(pool)) : undefined;
const dialogue = pool ? await startupStep(() => openPostgresDialogue(pool)) : undefined;
// Tourist reports: a hook before the assistant's answering; new cases and status changes go to the
// IOC's webhook (when configured) and new cases to the staff chat.
const reportPhotos = pool
  ? await startupStep(() => postgresPhotoStore(pool))
  : folderPhotoStore(config.reports.photoDir);
let findPlace: (text: string) => CasePlace | undefined = () => undefined;
const onCaseEvent: CaseEventSink = (event, c) =>
  caseEventSink({
    staff,
    log,
    ...(webhookQueue ? { webhook: webhookQueue } : {}),
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
  })(event, c);
const reports = createReports({
  store,
  photos: reportPhotos,
  clock,
  log,
  findPlace: (text) => findPlace(text),
  onEvent: onCaseEvent,
  // The audit log is made further down with the admin database; reads come only after start.
  onRead: (code, channel) =>
    audit.record({ user: `(reporter, ${channel})`, action: "case.view-by-reporter", target: code }),
  options: {
    perDay: config.reports.perDay,
    maxDescription: config.reports.maxDescription,
    maxPhotoBytes: config.reports.maxPhotoBytes,
    deadlines: config.reports.deadlines,
    hashSalt: config.hashSalt,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
  },
});
/** A new index needs a new assistant: its catalog is built from the index. */
const makeAssistant = (index: KnowledgeIndex): Assistant => {
  findPlace = placeFinder(index);
  return createAssistant({
    index,
    store,
    clock,
    log,
    beforeAnswer: reports.hook,
    ...(dialogue ? { dialogue } : {}),
    ...(config.chatModel ? { chatModel: config.chatModel } : {}),
    ...(config.toolModel ? { toolModel: config.toolModel } : {}),
    ...(config.toolModel ? { toolModel: config.toolModel } : {}),
    options: {
      modelTimeoutMs: config.modelTimeoutMs,
      maxModelSteps: config.maxModelSteps,
      hashSalt: config.hashSalt,
    },
  });
};
/** The live pair; the publisher replaces it in one assignment, and every request reads it once. */
const live: { current: Live } = { current: { index, assistant: makeAssistant(index) } };
const publisher = createPublisher({
  // Builds run in a worker thread: visitors' requests go on being answered during a publish.
  builder: buildInWorker,
  contentDir: config.contentDir,
  indexDir: config.indexDir,
  ...(config.embedder ? { embedder: config.embedder } : {}),
  live,
  makeAssistant,
  log,
  clock,
  // What a publish made live here goes to the other replicas.
  ...(shared
    ? {
        onPublished: (result) => {
          if (result.ok)
            void shared
              .push(result.reason)
              .catch((err: unknown) => log.error({ err }, "shared files: push failed"));
        },
      }
    : {}),
});
onSharedContent = () => void publisher.refresh("published on another replica");

const adminDb = await startupStep(() => (pool ? openPostgresAdminDb(pool) : openAdminDb(config.adminDbFile)));
try {
  await ensureFirstAdmin(adminDb, config.adminPassword, log, clock);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const audit = createAuditLog(adminDb, clock);
const auth = createAdminAuth({ db: adminDb, log, clock, secureCookies: config.cookieSecure, audit });
await startupStep(() => mkdir(config.uploadsDir, { recursive: true }));

// Proactive delivery (staff replies, notices): rows of the store, sent through the channels below.
let channels: ChannelAdapter[] = [];
const outbox = createOutbox({
  store,
  channels: () => channels,
  log,
  clock,
  // Not for a staff notice itself: a staff chat that refuses would otherwise be told so forever.
  onFailed: (row, reason) => {
    if (!row.key.startsWith("staff:"))
      void staff.notify(`Không gửi được tin nhắn tới ${row.channel}: ${reason}`);
  },
});
const staff = createStaffNotifier({
  outbox,
  chatId: config.channels.telegram ? config.staffChatId : undefined,
  log,
});
const webhookQueue: WebhookQueue | undefined = config.reports.webhook
  ? createWebhookQueue({
      store,
      url: config.reports.webhook.url,
      ...(config.reports.webhook.secret ? { secret: config.reports.webhook.secret } : {}),
      clock,
      log,
    })
  : undefined;
const office = createOffice({ store, clock, log, delivery: outbox, onEvent: onCaseEvent });
if (config.staffChatId && !config.channels.telegram)
  log.warn({}, "TELEGRAM_STAFF_CHAT_ID is set but TELEGRAM_BOT_TOKEN is not: staff notices are not sent");
const handoff = createHandoffDesk({
  store,
  outbox,
  notifier: staff,
  clock,
  log,
  quietMs: config.handoffQuietMinutes * 60_000,
  hours: config.staffHours,
  ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
});
const dispatcher = createDispatcher({
  assistant: {
    ask: (q) => live.current.assistant.ask(q),
    stream: (q) => live.current.assistant.stream(q),
  },
  store,
  log,
  clock,
  outbox,
  ...(rateLimits ? { rateLimits } : {}),
  acceptPhotos: true,
  handoff,
  ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
});
channels = createChannels(
  { ...config.channels, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) },
  {
    dispatcher,
    store,
    log,
    photoFile: imageFileResolver({
      contentImagesDir: path.join(config.contentDir, "images"),
      uploadsDir: config.uploadsDir,
    }),
  },
);
const app = createApp({
  channels,
  handoff,
  ...(pool ? { pool } : {}),
  ...(rateLimits ? { rateLimits } : {}),
  live: () => live.current,
  store,
  log,
  clock,
  reports: { reports, office, photos: reportPhotos, maxPhotoBytes: config.reports.maxPhotoBytes, audit },
  admin: {
    contentDir: config.contentDir,
    uploadsDir: config.uploadsDir,
    ...(shared
      ? {
          onUploaded: () =>
            void shared
              .push("image uploaded")
              .catch((err: unknown) => log.error({ err }, "shared files: push failed")),
        }
      : {}),
    live: () => live.current,
    store,
    auth,
    audit,
    publisher,
    log,
    clock,
    reports: {
      web: { reports, office, photos: reportPhotos, maxPhotoBytes: config.reports.maxPhotoBytes },
      staff: async () => (await adminDb.listUsers()).map((u) => u.name),
      map: config.map,
    },
    handoffs: handoff,
  },
  options: {
    ...DEFAULT_APP_OPTIONS,
    widgetOrigins: config.widgetOrigins,
    rateLimitPerMinute: config.rateLimitPerMinute,
    trustProxy: config.trustProxy,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    contentImagesDir: path.join(config.contentDir, "images"),
    map: config.map,
  },
});

const server: Server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const shown = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  log.info(
    { index: live.current.index.manifest.version, model: modelId(config) },
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
outbox.start();
webhookQueue?.start();
void shared?.start();
handoff.start();
// Content changed outside the admin (a git pull) is published too; invalid content keeps the live index.
const stopWatching = config.watchContent ? publisher.watch() : () => {};
const stopRetention = startRetention({ store, days: config.retentionDays, clock, log });
server.on("error", (err) => {
  log.fatal({ err }, "could not start the server");
  // The port in use or not allowed: one line on stderr, as for the other start-up failures.
  console.error(`cannot start: ${err.message}`);
  process.exit(1);
});

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "draining: no new connections, finishing requests in flight");
  stopWatching();
  stopRetention();
  handoff.stop();
  void shared?.stop();
  const force = setTimeout(() => {
    log.warn("drain timed out after 10 s; closing the remaining connections");
    server.closeAllConnections();
  }, 10_000);
  force.unref();
  server.close(async () => {
    // A channel stuck on an unreachable platform must not hold the exit: 5 s at most.
    const channelsStopped = Promise.allSettled(channels.map((c) => c.stop()));
    await Promise.race([
      Promise.all([channelsStopped, outbox.stop(), webhookQueue?.stop()]),
      new Promise((r) => setTimeout(r, 5_000).unref()),
    ]);
    // A build cut off halfway leaves a temporary folder behind; the live index is safe either way.
    await Promise.race([publisher.idle(), new Promise((r) => setTimeout(r, 5_000).unref())]);
    await store.close();
    await adminDb.close();
    dialogue?.close();
    await pool?.end();
    log.info("stopped");
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

import { Router, type Express, type RequestHandler, type Response } from "express";
import { z } from "zod";
import {
  computeDeadlines,
  computeFine,
  deadlineText,
  entryUrl,
  isoOf,
  localToday,
  type Assistant,
  type Logger,
  type Question,
} from "../../bot/index.ts";
import type { OutgoingMessage } from "../../bot/channels/index.ts";
import { AppError, detectLanguage, ENTRY_TYPES, GUEST_KINDS, LANGS } from "../../indexer/index.ts";
import type { AppDeps } from "../app.ts";
import { errorBody } from "../errors.ts";
import { jsonBody } from "../json-body.ts";
import { memoryLimits } from "../../bot/limits.ts";
import { rateLimit } from "../rate-limit.ts";
import { buildOpenApiDocument } from "../openapi.ts";
import { mountReportsApi } from "./reports.ts";

/**
 * The JSON API under /api: ask (JSON or server-sent events), search, entries, events, lodging deadlines,
 * feedback and the OpenAPI document. Every input is parsed with zod; every error goes to the app's error
 * sink as an AppError whose code prefix sets the status (web/errors.ts).
 */

/** Largest JSON body the API reads; a 1000-character question with escapes fits several times. */
const API_BODY_LIMIT_BYTES = 16 * 1024;
/** The same, as the OpenAPI document states it. */
const API_BODY_LIMIT = `${API_BODY_LIMIT_BYTES / 1024}kb`;
/** Longest span /api/events answers for, in years. */
export const MAX_EVENT_SPAN_YEARS = 3;
/** Days /api/events covers when `to` is not given. */
export const DEFAULT_EVENT_DAYS = 365;

const ENTRY_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const TOKEN = /^[A-Za-z0-9_-]+$/;

const askBody = z.object({
  message: z.string().refine((s) => s.trim().length > 0, "must not be empty"),
  conversationId: z.string().min(1).max(100).regex(TOKEN, "only letters, digits, _ and -").optional(),
  lang: z.enum(LANGS).optional(),
  /** A location the visitor shared (the widget's "share location", a report's "where"). */
  location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).optional(),
});

const searchQuery = z.object({
  q: z.string().trim().min(1).max(500),
  k: z
    .string()
    .regex(/^\d{1,2}$/, "must be a whole number from 1 to 20")
    .transform(Number)
    .pipe(z.number().int().min(1).max(20))
    .default(5),
  type: z.enum(ENTRY_TYPES).optional(),
  lang: z.enum(LANGS).optional(),
});

const entryParams = z.object({
  id: z.string().max(100).regex(ENTRY_ID, "must be a lowercase kebab-case entry id"),
});

// The lunar calendar is exact for 1800–2199; a window may start in the year before `from`.
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD")
  .refine(isRealDate, "is not a real calendar date")
  .refine((s) => s >= "1901-01-01" && s <= "2199-12-31", "must be between 1901 and 2199");

const eventsQuery = z.object({ from: calendarDate.optional(), to: calendarDate.optional() });

const deadlineQuery = z.object({
  guest: z.enum(GUEST_KINDS, { error: 'must be "vn" or "foreign"' }),
  arrival: z
    .string({ error: "is required: an ISO-8601 date-time such as 2026-11-22T23:30:00+07:00" })
    .max(40)
    .transform((s, ctx) => {
      const arrival = parseArrival(s);
      // Both the year written and the day it is in Vietnam: a far offset moves 2199-12-31 into 2200, and
      // a year past 9999 has no ISO form.
      const written = /^\s*(\d{4})-/.exec(s)?.[1];
      if ((written && !inDeadlineYears(`${written}-06-01`)) || (arrival && !inDeadlineYears(arrival.date))) {
        ctx.addIssue({ code: "custom", message: "must be between 1901 and 2199 (in Vietnam time)" });
        return z.NEVER;
      }
      if (!arrival) {
        ctx.addIssue({
          code: "custom",
          message:
            "must be an ISO-8601 date-time such as 2026-11-22T23:30:00+07:00 (no offset = Vietnam time)",
        });
        return z.NEVER;
      }
      return arrival;
    }),
  remote: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .transform((v) => v === "true")
    .default(false),
  method: z.enum(["paper", "electronic"], { error: 'must be "paper" or "electronic"' }).optional(),
});

const fineQuery = z.object({
  guest: z.enum(GUEST_KINDS, { error: 'must be "vn" or "foreign"' }),
  guests: z
    .string()
    .regex(/^\d{1,4}$/, "must be a whole number of guests, 1 to 9999")
    .transform(Number)
    .refine((n) => n >= 1, "must be at least 1")
    .optional(),
  payer: z
    .enum(["individual", "organisation"], { error: 'must be "individual" or "organisation"' })
    .default("individual"),
});

/** A widget conversation's id (the widget makes 128 random bits): it is also what lets it read its mailbox. */
const MAILBOX_ID_MIN = 16;
const mailboxParams = z.object({
  id: z.string().min(MAILBOX_ID_MIN).max(100).regex(TOKEN, "is not a conversation id"),
});
const mailboxQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,15}$/, "must be a whole number")
    .transform(Number)
    .default(0),
});

const feedbackBody = z.object({
  answerId: z.string().min(1).max(64).regex(TOKEN, "is not an answer id"),
  helpful: z.boolean(),
  comment: z.string().max(1000).optional(),
});

/**
 * Mounts the JSON API on the app. `entry` (the API's security headers and CORS) runs first on every API
 * request. POST /api/ask, which takes most of the traffic, is a route of the app itself, with its own
 * limiter: a request for it passes no router mount on the way (each costs a little). Everything else,
 * any other method on /ask included, is the router at /api, behind the API's limiter. Its limiters count
 * in `deps.rateLimits` (shared by the replicas on PostgreSQL), or in memory of their own by default.
 */
export function mountApi(app: Express, deps: AppDeps, entry: RequestHandler): void {
  const { options } = deps;
  const perMinute = {
    windowSeconds: 60,
    trustProxy: options.trustProxy !== false,
    limits: deps.rateLimits ?? memoryLimits(),
  };
  const askLimiter = rateLimit({ name: "ask", limit: options.rateLimitPerMinute, ...perMinute });
  const apiLimiter = rateLimit({ name: "api", limit: options.rateLimitPerMinute * 4, ...perMinute });
  const readBody = jsonBody(API_BODY_LIMIT_BYTES);
  app.post("/api/ask", entry, askLimiter, readBody, askHandler(deps));
  // Multipart, so before the JSON body parser of the router.
  mountReportsApi(app, deps, entry, askLimiter);
  app.use("/api", entry, apiLimiter, readBody, apiRouter(deps));
}

/** POST /api/ask: the answer as JSON, or as server-sent events when the client asks for them. */
function askHandler(deps: AppDeps): RequestHandler {
  const { options } = deps;
  return async (req, res) => {
    const body = parse(askBody, req.body ?? {}, "bad_request:ask", "body");
    const message = body.message.normalize("NFC");
    // Counted in characters (code points); a string no longer in UTF-16 units cannot be longer.
    if (message.length > options.maxMessageLength && [...message].length > options.maxMessageLength)
      throw new AppError(
        "payload_too_large:message",
        `message is longer than ${options.maxMessageLength} characters`,
        { expose: true },
      );
    const question: Question = {
      text: message,
      channel: "web",
      // Nothing personal is derived (no IP, no user agent): the conversation id stands for the user.
      ...(body.conversationId ? { conversationId: body.conversationId, userId: body.conversationId } : {}),
      ...(body.lang ? { lang: body.lang } : {}),
      ...(body.location ? { location: body.location } : {}),
    };
    const accept = req.headers.accept;
    const wantsStream =
      accept?.includes("text/event-stream") &&
      req.accepts(["application/json", "text/event-stream"]) === "text/event-stream";
    // A chat with staff: the desk answers (or stays quiet) instead of the assistant.
    // Only for a conversation id long enough to be a secret (the widget makes 128 random bits): it is
    // what reads the mailbox the staff's replies go to.
    if (deps.handoff && body.conversationId && body.conversationId.length >= MAILBOX_ID_MIN) {
      const detected = detectLanguage(message);
      const lang = body.lang ?? (detected === "unknown" ? undefined : detected);
      const caught = await deps.handoff.intercept({
        channel: "web",
        conversationId: body.conversationId,
        text: message,
        ...(lang ? { lang } : {}),
      });
      if (caught && !caught.answer) {
        const reply = handoffReply(
          caught.reply,
          caught.handoff?.lang ?? lang ?? "vi",
          caught.handoff !== undefined,
        );
        if (!wantsStream) return sendAnswerJson(res, reply);
        res.status(200).setHeader("Content-Type", "text/event-stream").setHeader("Cache-Control", "no-cache");
        return void res.end(`event: answer\ndata: ${JSON.stringify(reply)}\n\n`);
      }
    }
    const { assistant } = deps.live();
    // Negotiate only when the client mentions event streams at all (most ask for JSON or anything).
    if (wantsStream) return streamAnswer(assistant, question, res, deps.log);
    sendAnswerJson(res, await assistant.ask(question));
  };
}

/**
 * What the handoff desk said, in the shape of an Answer (the widget reads it as one), with `handoff.open`
 * telling the widget to poll its mailbox for the staff's messages. No answerId: there is nothing to rate.
 */
function handoffReply(messages: OutgoingMessage[], language: "vi" | "en", open: boolean) {
  return {
    answer: messages.map((m) => m.text).join("\n\n"),
    language,
    intent: "help",
    confidence: 1,
    sources: [],
    suggestions: messages.flatMap((m) =>
      m.buttons.filter((b) => b.kind === "suggestion").map((b) => b.label),
    ),
    coverage: [],
    composer: "extractive",
    handoff: { open },
  };
}

/** The API's other routes, under /api (see mountApi). */
function apiRouter(deps: AppDeps): Router {
  const router = Router();
  const openApi = buildOpenApiDocument({ ...deps.options, bodyLimit: API_BODY_LIMIT });

  router.get("/search", async (req, res) => {
    const q = parse(searchQuery, req.query, "bad_request:search", "query");
    const hits = await deps.live().index.search(q.q, {
      k: q.k,
      ...(q.lang ? { lang: q.lang } : {}),
      ...(q.type ? { type: q.type } : {}),
    });
    res.json({
      results: hits.map((h) => ({
        id: h.id,
        type: h.type,
        title: h.title,
        score: h.score,
        passage: h.passage,
        url: entryUrl(h.type, h.id),
      })),
    });
  });

  router.get("/entries/:id", (req, res) => {
    const { id } = parse(entryParams, req.params, "bad_request:entry", "path");
    const entry = deps.live().index.get(id);
    if (!entry) throw new AppError("not_found:entry", `no entry with id ${id}`, { expose: true });
    const fields: Partial<typeof entry> = { ...entry };
    // The file path is the editor's business, not the public's.
    delete fields.file;
    res.json({ ...fields, url: entryUrl(entry.type, entry.id) });
  });

  router.get("/events", (req, res) => {
    const q = parse(eventsQuery, req.query, "bad_request:events", "query");
    const from = q.from ?? isoOf(localToday(deps.clock.now()));
    const to = q.to ?? addDays(from, DEFAULT_EVENT_DAYS);
    if (to < from)
      throw new AppError("bad_request:events", `to (${to}) is before from (${from})`, { expose: true });
    if (to > addYears(from, MAX_EVENT_SPAN_YEARS))
      throw new AppError(
        "bad_request:events",
        `from and to are more than ${MAX_EVENT_SPAN_YEARS} years apart`,
        {
          expose: true,
        },
      );
    const occurrences = deps
      .live()
      .index.eventsBetween(from, to)
      .map((o) => ({ ...o, url: entryUrl("event", o.eventId) }));
    res.json({ from, to, occurrences });
  });

  router.get("/lodging/deadline", (req, res) => {
    const q = parse(deadlineQuery, req.query, "bad_request:deadline", "query");
    const { arrival } = q;
    const computed = computeDeadlines(deps.live().index.list("lodging-rule"), {
      guest: q.guest,
      arrival: arrival.minutes,
      remote: q.remote,
      ...(q.method ? { method: q.method } : {}),
    });
    res.json({
      guest: q.guest,
      arrival: arrival.iso,
      remote: q.remote,
      ...(q.method ? { method: q.method } : {}),
      deadlines: computed.map((d) => ({
        entryId: d.entryId,
        method: d.method,
        due: d.due,
        ...(d.at ? { dueAt: `${addDays(arrival.date, d.at.dayOffset)}T${d.at.time}:00+07:00` } : {}),
        text: { vi: deadlineText(d, "vi"), en: deadlineText(d, "en") },
        basis: d.basis,
        url: entryUrl("lodging-rule", d.entryId),
      })),
    });
  });

  router.get("/lodging/fine", (req, res) => {
    const q = parse(fineQuery, req.query, "bad_request:fine", "query");
    const fine = computeFine(deps.live().index.list("lodging-rule"), {
      guest: q.guest,
      payer: q.payer,
      ...(q.guests !== undefined ? { guests: q.guests } : {}),
    });
    if (!fine)
      throw new AppError("not_found:fine", "the knowledge base has no fines for this case", { expose: true });
    const entry = deps.live().index.get(fine.entryId);
    res.json({
      guest: fine.guest,
      payer: fine.payer,
      ...(fine.guests !== undefined ? { guests: fine.guests } : {}),
      offence: fine.offence,
      ...(fine.bracket ? { bracket: fine.bracket } : {}),
      brackets: fine.brackets,
      // Where to check before acting on it (the ward police): always given with a fine.
      verifyNote: entry?.type === "lodging-rule" ? entry.lodging.verifyNote : undefined,
      entryId: fine.entryId,
      url: entryUrl("lodging-rule", fine.entryId),
    });
  });

  router.post("/feedback", async (req, res) => {
    const body = parse(feedbackBody, req.body ?? {}, "bad_request:feedback", "body");
    const comment = body.comment?.trim();
    const result = await deps.store.recordFeedback({
      answerId: body.answerId,
      helpful: body.helpful,
      ...(comment ? { comment } : {}),
      at: deps.clock.now().toISOString(),
    });
    if (result === "unknown_answer")
      throw new AppError("not_found:answer", "no answer with that answerId", { expose: true });
    res.json({ ok: true });
  });

  // The widget's mailbox: staff messages (and the bot's notices) the outbox put there for this
  // conversation, after a seq. The id is the conversation's own random id, as /api/ask uses it; an
  // unknown id has an empty mailbox, the same answer as a conversation with no messages.
  router.get("/conversations/:id/messages", async (req, res) => {
    const { id } = parse(mailboxParams, req.params, "bad_request:mailbox", "path");
    const { after } = parse(mailboxQuery, req.query, "bad_request:mailbox", "query");
    const rows = await deps.store.listDeliveries({
      channel: "web",
      conversationId: id,
      status: ["sent"],
      afterSeq: after,
      limit: 50,
    });
    const handoff = await deps.store.findOpenHandoff("web", id);
    res.set("Cache-Control", "no-store").json({
      messages: rows.map((row) => {
        const message = JSON.parse(row.message) as OutgoingMessage;
        return {
          seq: row.seq,
          at: new Date(row.sentAt ?? row.createdAt).toISOString(),
          from: message.from ?? "bot",
          text: message.text,
          suggestions: message.buttons.filter((b) => b.kind === "suggestion").map((b) => b.label),
        };
      }),
      handoff: handoff ? { open: true, since: new Date(handoff.startedAt).toISOString() } : { open: false },
    });
  });

  router.get("/openapi.json", (_req, res) => {
    res.json(openApi);
  });

  // Answer here rather than fall through to the portal, which mounts after the API.
  router.use((req, _res, next) => {
    next(new AppError("not_found", `nothing at ${req.method} ${req.baseUrl}${req.path}`, { expose: true }));
  });
  return router;
}

/**
 * Writes an answer as JSON. res.json() would also hash the body for an ETag, which nothing can use on
 * the answer to a POST; this is the hot path of the API.
 */
function sendAnswerJson(res: Response, body: unknown): void {
  const json = JSON.stringify(body);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(json));
  res.end(json);
}

/** Server-sent events: `delta` for each piece of text, then `answer`, or `error` if the assistant fails. */
async function streamAnswer(assistant: Assistant, question: Question, res: Response, log: Logger) {
  res.status(200);
  res.setHeader("Content-Type", "text/event-stream");
  res.setHeader("Cache-Control", "no-cache");
  res.setHeader("X-Accel-Buffering", "no");
  res.flushHeaders();
  let closed = false;
  res.on("close", () => {
    closed = true;
  });
  const send = (event: string, data: unknown) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  let answered = false;
  try {
    // Leaving the loop early (client gone) returns the generator, which stops the work at its next step.
    for await (const ev of assistant.stream(question)) {
      if (closed) break;
      if (ev.type === "delta") send("delta", { text: ev.text });
      else {
        send("answer", ev.answer);
        answered = true;
      }
    }
    if (!answered && !closed) throw new Error("the stream ended without an answer");
  } catch (err) {
    log.error({ err }, "ask: streaming the answer failed");
    if (!closed) send("error", errorBody("internal", "something went wrong on our side"));
  }
  res.end();
}

/** Parses input with a schema; a failure is a 400 whose message names each bad field. */
function parse<S extends z.ZodType>(schema: S, input: unknown, code: string, where: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (i) => `${i.path.length ? i.path.join(".") : where}: ${i.message}`,
  );
  throw new AppError(code, problems.join("; "), { expose: true });
}

type Arrival = { date: string; minutes: number; iso: string };

const ARRIVAL =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

/**
 * An ISO-8601 date-time as Vietnam local time (UTC+7 all year). Without an offset it is read as local
 * time. A "+" left unencoded in a query string arrives as a space; it is read as "+".
 */
function parseArrival(text: string): Arrival | undefined {
  const m = ARRIVAL.exec(text.trim().replace(/ (\d{2}:?\d{2})$/, "+$1"));
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as number[];
  if (!isRealDate(`${m[1]}-${m[2]}-${m[3]}`) || h! > 23 || mi! > 59 || s! > 59) return undefined;
  let offsetMinutes = 7 * 60;
  if (m[7]) offsetMinutes = 0;
  else if (m[8]) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 14 || om > 59) return undefined;
    offsetMinutes = (m[8] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const utc = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - offsetMinutes * 60_000;
  const local = new Date(utc + 7 * 3_600_000);
  const date = local.toISOString().slice(0, 10);
  const time = local.toISOString().slice(11, 19);
  return {
    date,
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
    iso: `${date}T${time}+07:00`,
  };
}

/** The years deadlines are computed for, as for the events calendar. */
function inDeadlineYears(isoDate: string): boolean {
  return isoDate >= "1901-01-01" && isoDate <= "2199-12-31";
}

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function addDays(iso: string, days: number): string {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** The same day `years` later; 29 February becomes 1 March. */
function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

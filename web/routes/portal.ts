import { Router, type NextFunction, type Request, type Response } from "express";
import { computeDeadlines, computeFine, isoOf, localToday } from "../../bot/index.ts";
import {
  AppError,
  LANGS,
  PRACTICAL_TOPICS,
  type ContentEntry,
  type EntryType,
  type KnowledgeIndex,
  type Lang,
} from "../../indexer/index.ts";
import type { AppDeps } from "../app.ts";
import { addDays, addMonths } from "../views/calendar.ts";
import { localPath, type PageContext } from "../views/context.ts";
import { eventPage, eventsPage } from "../views/events.ts";
import { homePage, searchPage } from "../views/home.ts";
import {
  lodgingPage,
  lodgingRulePage,
  type CalculatorState,
  type FineCalculatorState,
} from "../views/lodging.ts";
import { attractionPage, attractionsPage, filterTags, sameTag } from "../views/places.ts";
import { itinerariesPage, itineraryPage } from "../views/itineraries.ts";
import { practicalListPage, practicalPage } from "../views/practical.ts";
import { notFoundPage } from "../views/not-found.ts";

/**
 * The server-rendered portal: Vietnamese at the root, English under /en, the same paths in both.
 * Pages need no client JavaScript (forms are GET forms) and carry no inline script or style, so the
 * strict CSP of app.ts holds.
 */

const CACHE_CONTROL = "public, max-age=300";
/** Longest search query used; longer ones are cut (search cost grows with the query). */
const MAX_QUERY = 200;

type Entry<T extends EntryType> = Extract<ContentEntry, { type: T }>;

/** The portal pages in Vietnamese and English. */
export function portalRouter(deps: AppDeps): Router {
  const router = Router();

  // Pages are sent with Cache-Control: public, so nothing in them may come from the request's Host header
  // (a shared cache would hand a page with an attacker's host in its links to everyone).
  const base = deps.options.publicUrl?.replace(/\/+$/, "");

  /** What every page needs: language, absolute base URL (when configured), the path and the queries to keep. */
  function contextOf(req: Request, lang: Lang, path: string, keep: Record<string, string> = {}): PageContext {
    const canonical = new URLSearchParams(Object.entries(keep).filter(([, v]) => v !== "")).toString();
    return {
      lang,
      ...(base !== undefined ? { base } : {}),
      path,
      canonicalQuery: canonical ? `?${canonical}` : "",
      query: queryOf(req),
      today: isoOf(localToday(deps.clock.now())),
      map: deps.options.map,
    };
  }

  const index = (): KnowledgeIndex => deps.live().index;

  for (const lang of LANGS) {
    const at = (path: string) => localPath(lang, path);

    router.get(at("/"), (req, res) => {
      const ctx = contextOf(req, lang, "/");
      const idx = index();
      send(
        res,
        homePage(ctx, {
          attractions: idx.list("attraction"),
          upcoming: idx.eventsBetween(ctx.today, addDays(ctx.today, 90)),
          nextFestival: idx.eventsBetween(ctx.today, addDays(addMonths(ctx.today, 12), -1))[0],
          lodging: idx.list("lodging-rule"),
          practical: practicalEntries(idx),
          itineraries: idx.list("itinerary"),
        }),
      );
    });

    router.get(at("/itineraries"), (req, res) => {
      send(res, itinerariesPage(contextOf(req, lang, "/itineraries"), index().list("itinerary")));
    });

    router.get(at("/itineraries/:id"), (req, res) => {
      const idx = index();
      const entry = entryOf(idx, "itinerary", req.params.id);
      const ctx = contextOf(req, lang, `/itineraries/${entry.id}`);
      send(res, itineraryPage(ctx, { entry, get: (id) => idx.get(id) }));
    });

    router.get(at("/search"), async (req, res) => {
      const given = param(req, "q")?.replace(/\s+/g, " ").trim() ?? "";
      const query = given.slice(0, MAX_QUERY);
      const ctx = contextOf(req, lang, "/search", { q: query });
      const hits = query ? await index().search(query, { k: 10, lang }) : undefined;
      send(res, searchPage(ctx, { query, ...(hits ? { hits } : {}), tooLong: given.length > MAX_QUERY }));
    });

    router.get(at("/attractions"), (req, res) => {
      const tag = param(req, "tag")?.trim().slice(0, 100) || undefined;
      const ctx = contextOf(req, lang, "/attractions", tag ? { tag } : {});
      const all = index().list("attraction") as Entry<"attraction">[];
      const tags = filterTags(all, lang, tag);
      const places = tag ? all.filter((e) => e.tags.some((tg) => sameTag(tg, tag))) : all;
      send(res, attractionsPage(ctx, { places, tags, ...(tag ? { tag } : {}) }));
    });

    router.get(at("/attractions/:id"), (req, res) => {
      const idx = index();
      const entry = entryOf(idx, "attraction", req.params.id);
      const ctx = contextOf(req, lang, `/attractions/${entry.id}`);
      const events = idx
        .eventsBetween(ctx.today, addDays(addMonths(ctx.today, 12), -1))
        .filter((o) => (idx.get(o.eventId) as Entry<"event"> | undefined)?.event.venues.includes(entry.id));
      send(res, attractionPage(ctx, { entry, events, get: (id) => idx.get(id) }));
    });

    router.get(at("/events"), (req, res) => {
      const idx = index();
      const ctx = contextOf(req, lang, "/events");
      const to = addDays(addMonths(ctx.today, 12), -1);
      const announced = (idx.list("event") as Entry<"event">[]).filter((e) => e.event.announcedYearly);
      send(
        res,
        eventsPage(ctx, {
          from: ctx.today,
          to,
          occurrences: idx.eventsBetween(ctx.today, to),
          announced,
          get: (id) => idx.get(id),
        }),
      );
    });

    router.get(at("/events/:id"), (req, res) => {
      const idx = index();
      const entry = entryOf(idx, "event", req.params.id);
      const ctx = contextOf(req, lang, `/events/${entry.id}`);
      const upcoming = idx
        .eventsBetween(ctx.today, addDays(addMonths(ctx.today, 36), -1))
        .filter((o) => o.eventId === entry.id);
      send(res, eventPage(ctx, { entry, upcoming, get: (id) => idx.get(id) }));
    });

    router.get(at("/lodging"), (req, res) => {
      const idx = index();
      const ctx = contextOf(req, lang, "/lodging");
      send(
        res,
        lodgingPage(ctx, {
          rules: idx.list("lodging-rule") as Entry<"lodging-rule">[],
          calculator: readCalculator(req, idx),
          fine: readFineCalculator(req, idx),
        }),
      );
    });

    router.get(at("/lodging/:id"), (req, res) => {
      const idx = index();
      const entry = entryOf(idx, "lodging-rule", req.params.id);
      const ctx = contextOf(req, lang, `/lodging/${entry.id}`);
      send(res, lodgingRulePage(ctx, { entry, get: (id) => idx.get(id) }));
    });

    router.get(at("/practical"), (req, res) => {
      const ctx = contextOf(req, lang, "/practical");
      send(res, practicalListPage(ctx, practicalEntries(index())));
    });

    router.get(at("/practical/:id"), (req, res) => {
      const idx = index();
      const entry = entryOf(idx, "practical", req.params.id);
      const ctx = contextOf(req, lang, `/practical/${entry.id}`);
      send(
        res,
        practicalPage(ctx, entry, (id) => idx.get(id)),
      );
    });
  }

  /**
   * A page the portal does not have, or an entry that does not exist, is answered with the 404 page in
   * the site's layout, in the language of its path. The API, the admin area and the webhooks keep their
   * own errors (web/errors.ts), and so does a client that prefers JSON.
   */
  const wantsPortal404 = (req: Request) =>
    (req.method === "GET" || req.method === "HEAD") &&
    !/^\/(?:api|admin|webhooks)(?:\/|$)/.test(req.path) &&
    req.accepts(["json", "html"]) === "html";
  const send404 = (req: Request, res: Response) => {
    const lang: Lang = /^\/en(?:\/|$)/.test(req.path) ? "en" : "vi";
    const path = lang === "en" ? req.path.slice(3) || "/" : req.path;
    res
      .status(404)
      .type("html")
      .send(notFoundPage(contextOf(req, lang, path)));
  };
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (!wantsPortal404(req)) return next();
    send404(req, res);
  });
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof AppError && err.code === "not_found" && wantsPortal404(req)) || res.headersSent)
      return next(err);
    send404(req, res);
  });

  return router;
}

function send(res: Response, page: string): void {
  res.set("Cache-Control", CACHE_CONTROL).type("html").send(page);
}

/** The entry of a type, or a 404 (rendered as the portal's 404 page at the end of the router). */
function entryOf<T extends EntryType>(index: KnowledgeIndex, type: T, id: unknown): Entry<T> {
  const entry = typeof id === "string" ? index.get(id) : undefined;
  if (!entry || entry.type !== type) throw new AppError("not_found", "page not found", { expose: true });
  return entry as Entry<T>;
}

/** Practical entries in the order of the topics (getting there first, "other" last). */
function practicalEntries(index: KnowledgeIndex): Entry<"practical">[] {
  const rank = (e: Entry<"practical">) => PRACTICAL_TOPICS.indexOf(e.practical.topic);
  return (index.list("practical") as Entry<"practical">[]).sort((a, b) => rank(a) - rank(b));
}

/** The first value of a query parameter, when it is a string. */
function param(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first : undefined;
}

/** The request's query string, re-encoded ("?q=%3Cscript%3E"), or "". */
function queryOf(req: Request): string {
  try {
    const search = new URL(req.originalUrl, "http://portal.invalid").search;
    return search.length > 1 ? search : "";
  } catch {
    return "";
  }
}

/** "23:30", "9:05", "23:30:00", "22h", "22h30" → minutes after midnight; undefined when not a time. */
export function parseClock(text: string): number | undefined {
  const m = /^\s*(\d{1,2})\s*(?::\s*(\d{2})(?::\d{2})?|[hg]\s*(\d{2})?)\s*$/i.exec(text);
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2] ?? m[3] ?? 0);
  if (hour > 23 || minute > 59) return undefined;
  return hour * 60 + minute;
}

function hhmm(total: number): string {
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

/** Reads the fine form's fields (fguest, fguests, fpayer) and computes the fine when they are valid. */
function readFineCalculator(req: Request, index: KnowledgeIndex): FineCalculatorState {
  const one = (name: string) =>
    typeof req.query[name] === "string" ? (req.query[name] as string) : undefined;
  const guest = one("fguest");
  const guests = one("fguests")?.trim();
  const payer = one("fpayer");
  const values = { guest: guest ?? "", guests: guests ?? "", payer: payer ?? "individual" };
  const submitted = [guest, guests, payer].some((v) => v !== undefined);
  if (!submitted) return { submitted, values, errors: {} };
  const errors: FineCalculatorState["errors"] = {};
  if (!guest) errors.guest = "missing";
  else if (guest !== "vn" && guest !== "foreign") errors.guest = "invalid";
  if (guests && !/^\d{1,4}$/.test(guests)) errors.guests = "invalid";
  else if (guests && Number(guests) < 1) errors.guests = "invalid";
  if (payer && payer !== "individual" && payer !== "organisation") errors.payer = "invalid";
  if (Object.keys(errors).length > 0) return { submitted, values, errors };
  const result = computeFine(index.list("lodging-rule"), {
    guest: guest as "vn" | "foreign",
    payer: payer === "organisation" ? "organisation" : "individual",
    ...(guests ? { guests: Number(guests) } : {}),
  });
  return { submitted, values, errors, ...(result ? { result } : {}) };
}

/**
 * The deadline form's inputs. Nothing but a kind of guest, a clock time and two options is read, and
 * nothing is stored: the page is computed from the query and forgotten.
 */
function readCalculator(req: Request, index: KnowledgeIndex): CalculatorState {
  const guest = param(req, "guest")?.trim().slice(0, 20);
  const time = param(req, "time")?.trim().slice(0, 20);
  const method = param(req, "method")?.trim().slice(0, 20);
  const remoteText = param(req, "remote");
  const remote = remoteText === "on" || remoteText === "true" || remoteText === "1";
  const values = { guest: guest ?? "", time: time ?? "", remote, method: method ?? "" };
  const submitted = [guest, time, method, remoteText].some((v) => v !== undefined);
  if (!submitted) return { submitted, values, errors: {} };

  const errors: CalculatorState["errors"] = {};
  if (!guest) errors.guest = "missing";
  else if (guest !== "vn" && guest !== "foreign") errors.guest = "invalid";
  const arrival = time ? parseClock(time) : undefined;
  if (!time) errors.time = "missing";
  else if (arrival === undefined) errors.time = "invalid";
  if (method && method !== "paper" && method !== "electronic") errors.method = "invalid";
  if (Object.keys(errors).length > 0 || arrival === undefined) return { submitted, values, errors };

  const guestKind = guest as "vn" | "foreign";
  const deadlines = computeDeadlines(index.list("lodging-rule"), {
    guest: guestKind,
    arrival,
    remote,
    ...(method === "paper" || method === "electronic" ? { method } : {}),
  });
  return {
    submitted,
    values,
    errors,
    result: { guest: guestKind, arrival: hhmm(arrival), remote, deadlines },
  };
}

import { tool, type StructuredToolInterface } from "@langchain/core/tools";
import { z } from "zod";
import {
  AppError,
  ENTRY_TYPES,
  GUEST_KINDS,
  portalPath,
  type ContentEntry,
  type KnowledgeIndex,
  type Lang,
} from "../../../indexer/index.ts";
import { deadlineText, nearbyDraft } from "../compose/index.ts";
import { computeDeadlines, computeFine } from "../find/index.ts";

/**
 * The knowledge base as LangChain tools, each with a zod schema: search_knowledge, get_entry,
 * events_between, lodging_deadline, lodging_fine and nearby_places. They run the same index, calendar
 * and calculators as the assistant, so a LangChain agent and our own model path get the same facts.
 *
 * Every tool answers with JSON for the model and, as the LangChain artifact, the ids of the entries its
 * answer comes from (`{ sources }`): what an answer may cite. Entries are cited by id, as "[chua-tay-an]".
 */

/** The artifact of every knowledge tool: the entries the result states facts of. */
export type ToolSources = { sources: string[] };

export type KnowledgeToolsOptions = {
  index: KnowledgeIndex;
  /** The language of titles and texts when a call does not say. Default "vi". */
  lang?: Lang;
  /** The portal's public base URL, for absolute links (relative "/attractions/…" without it). */
  baseUrl?: string;
};

/** Longest period events_between answers for (as GET /api/events). */
const MAX_EVENT_SPAN_DAYS = 2 * 366;
/** Passage and body texts are cut here: enough to quote, short enough for a small model's context. */
const MAX_TEXT = 1200;

const langArg = z.enum(["vi", "en"]).optional().describe("language of titles and texts: vi or en");
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date written YYYY-MM-DD")
  .describe("a date, YYYY-MM-DD");
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a 24-hour time HH:MM")
  .describe("a local time, HH:MM (24 h)");

export const searchKnowledgeSchema = z.object({
  query: z.string().min(1).max(500).describe("what to look for, in Vietnamese or English"),
  type: z.enum(ENTRY_TYPES).optional().describe("only entries of this type"),
  k: z.number().int().min(1).max(8).optional().describe("how many entries (default 4)"),
  lang: langArg,
});

export const getEntrySchema = z.object({
  id: z.string().min(1).max(100).describe("an entry id, as search_knowledge returns it"),
  lang: langArg,
});

export const eventsBetweenSchema = z.object({
  from: isoDay.describe("first day, YYYY-MM-DD"),
  to: isoDay.describe("last day (inclusive), YYYY-MM-DD"),
  lang: langArg,
});

export const lodgingDeadlineSchema = z.object({
  guest: z.enum(GUEST_KINDS).describe("vn: Vietnamese guests; foreign: foreign guests"),
  arrival: clockTime.optional().describe("the guests' arrival time, HH:MM (24 h)"),
  remote: z.boolean().optional().describe("the lodging is in a remote area (vùng sâu, vùng xa)"),
  method: z.enum(["paper", "electronic"]).optional().describe("how the lodging declares"),
  lang: langArg,
});

export const lodgingFineSchema = z.object({
  guest: z.enum(GUEST_KINDS).describe("vn: a stay not reported; foreign: a foreigner not declared"),
  guests: z.number().int().min(1).max(10_000).optional().describe("how many guests were not declared"),
  payer: z.enum(["individual", "organisation"]).optional().describe("who runs the lodging"),
  lang: langArg,
});

export const nearbyPlacesSchema = z
  .object({
    near: z.string().min(1).max(100).optional().describe("an entry id of a place: what is near it"),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    k: z.number().int().min(1).max(10).optional().describe("how many places (default 5)"),
    lang: langArg,
  })
  .refine((a) => a.near !== undefined || (a.lat !== undefined && a.lng !== undefined), {
    message: "give near (an entry id) or both lat and lng",
  });

/** The six knowledge tools over one index. */
export function createKnowledgeTools(options: KnowledgeToolsOptions): StructuredToolInterface[] {
  const { index } = options;
  const fallbackLang = options.lang ?? "vi";
  const base = options.baseUrl?.replace(/\/+$/, "") ?? "";
  const url = (e: Pick<ContentEntry, "type" | "id">) => `${base}${portalPath(e.type, e.id)}`;
  const result = (body: unknown, sources: string[]): [string, ToolSources] => [
    JSON.stringify(body),
    { sources: [...new Set(sources)] },
  ];

  const searchKnowledge = tool(
    async ({ query, type, k, lang }) => {
      const l = lang ?? fallbackLang;
      const hits = await index.search(query, { k: k ?? 4, lang: l, ...(type ? { type } : {}) });
      return result(
        {
          entries: hits.map((h) => ({
            id: h.id,
            type: h.type,
            title: h.title,
            url: url(h),
            passage: cut(h.passage.text),
          })),
        },
        hits.map((h) => h.id),
      );
    },
    {
      name: "search_knowledge",
      description:
        "Searches the Châu Đốc tourism knowledge base (places, festivals, lodging rules, practical " +
        "information, itineraries). Returns the best entries with their id and a matching passage.",
      schema: searchKnowledgeSchema,
      responseFormat: "content_and_artifact",
    },
  );

  const getEntry = tool(
    ({ id, lang }) => {
      const entry = index.get(id);
      if (!entry) return result({ found: false, message: `no entry with id ${id}` }, []);
      return result({ found: true, ...entryFacts(entry, lang ?? fallbackLang, url(entry)) }, [entry.id]);
    },
    {
      name: "get_entry",
      description:
        "One entry of the knowledge base by id: its facts (address, opening hours, tickets, distance " +
        "from the centre of Châu Đốc, dates, deadlines, fines, contacts) and its text.",
      schema: getEntrySchema,
      responseFormat: "content_and_artifact",
    },
  );

  const eventsBetween = tool(
    ({ from, to, lang }) => {
      const l = lang ?? fallbackLang;
      if (to < from) throw new AppError("bad_request:events", `to (${to}) is before from (${from})`);
      if (daysBetween(from, to) > MAX_EVENT_SPAN_DAYS)
        throw new AppError("bad_request:events", `from and to are more than two years apart`);
      const occurrences = index.eventsBetween(from, to);
      return result(
        {
          from,
          to,
          occurrences: occurrences.map((o) => ({
            id: o.eventId,
            title: o.title[l],
            start: o.start,
            end: o.end,
            ...(o.main ? { main: o.main } : {}),
            ...(o.lunar ? { lunar: o.lunar } : {}),
            calendar: o.calendar,
            // computed by the lunar/solar calendar, known from a source, or the usual window only
            status: o.status,
            approximate: o.approximate,
            announcedYearly: o.announcedYearly,
            url: url({ type: "event", id: o.eventId }),
          })),
        },
        occurrences.map((o) => o.eventId),
      );
    },
    {
      name: "events_between",
      description:
        "Festivals and events in Châu Đốc between two dates (inclusive), with Gregorian dates computed " +
        "from the Vietnamese lunar calendar where the event follows it.",
      schema: eventsBetweenSchema,
      responseFormat: "content_and_artifact",
    },
  );

  const lodgingDeadline = tool(
    ({ guest, arrival, remote, method, lang }) => {
      const l = lang ?? fallbackLang;
      const computed = computeDeadlines(index.list("lodging-rule"), {
        guest,
        ...(arrival ? { arrival: minutes(arrival) } : {}),
        ...(remote !== undefined ? { remote } : {}),
        ...(method ? { method } : {}),
      });
      return result(
        {
          guest,
          ...(arrival ? { arrival } : {}),
          deadlines: computed.map((d) => ({
            entryId: d.entryId,
            method: d.method,
            ...(d.remote !== undefined ? { remote: d.remote } : {}),
            // dayOffset: days after the arrival day
            ...(d.at ? { dueAt: d.at } : {}),
            text: deadlineText(d, l),
            basis: d.basis,
            url: url({ type: "lodging-rule", id: d.entryId }),
          })),
        },
        computed.map((d) => d.entryId),
      );
    },
    {
      name: "lodging_deadline",
      description:
        "When a lodging (hotel, guesthouse, homestay) must report its guests to the police, computed " +
        "from the rules in the knowledge base for a kind of guest and an arrival time.",
      schema: lodgingDeadlineSchema,
      responseFormat: "content_and_artifact",
    },
  );

  const lodgingFine = tool(
    ({ guest, guests, payer, lang }) => {
      const l = lang ?? fallbackLang;
      const fine = computeFine(index.list("lodging-rule"), {
        guest,
        ...(guests !== undefined ? { guests } : {}),
        ...(payer ? { payer } : {}),
      });
      if (!fine) return result({ found: false, message: "the knowledge base has no fine for this case" }, []);
      const entry = index.get(fine.entryId);
      return result(
        {
          found: true,
          entryId: fine.entryId,
          offence: fine.offence,
          payer: fine.payer,
          ...(fine.guests !== undefined ? { guests: fine.guests } : {}),
          ...(fine.bracket ? { bracket: fine.bracket } : {}),
          brackets: fine.brackets,
          currency: "VND",
          ...(entry?.type === "lodging-rule" ? { verifyNote: entry.lodging.verifyNote[l] } : {}),
          url: url({ type: "lodging-rule", id: fine.entryId }),
        },
        [fine.entryId],
      );
    },
    {
      name: "lodging_fine",
      description:
        "The fine (VND) for a lodging that does not report Vietnamese guests or declare foreign guests, " +
        "by number of guests and by who runs the lodging (organisations pay double).",
      schema: lodgingFineSchema,
      responseFormat: "content_and_artifact",
    },
  );

  const nearbyPlaces = tool(
    ({ near, lat, lng, k, lang }) => {
      const l = lang ?? fallbackLang;
      let from: { lat: number; lng: number } | undefined;
      if (near !== undefined) {
        const e = index.get(near);
        if (e?.type !== "attraction" || !e.place.coordinates)
          return result({ found: false, message: `no place with coordinates has id ${near}` }, []);
        from = e.place.coordinates;
      } else from = { lat: lat as number, lng: lng as number };
      const places = (nearbyDraft(index.list("attraction"), from, l, (k ?? 5) + 1).places ?? [])
        .filter((p) => p.id !== near)
        .slice(0, k ?? 5);
      return result(
        {
          ...(near ? { near } : { from }),
          places: places.map((p) => ({
            id: p.id,
            title: p.name,
            distanceKm: p.distanceKm,
            straightLine: true,
            approximate: p.approximate,
            mapUrl: p.mapUrl,
            url: url({ type: "attraction", id: p.id }),
          })),
        },
        places.map((p) => p.id),
      );
    },
    {
      name: "nearby_places",
      description:
        "The places of the knowledge base closest to a place (its entry id) or to a point (lat, lng), " +
        "with straight-line distances in km.",
      schema: nearbyPlacesSchema,
      responseFormat: "content_and_artifact",
    },
  );

  return [searchKnowledge, getEntry, eventsBetween, lodgingDeadline, lodgingFine, nearbyPlaces];
}

/** An entry's facts for a model: structured fields of its type, the summary and the body text. */
function entryFacts(e: ContentEntry, lang: Lang, url: string): Record<string, unknown> {
  const common = {
    id: e.id,
    type: e.type,
    title: e.title[lang],
    url,
    lastVerified: e.lastVerified,
    summary: e.summary[lang],
  };
  const text = cut(e.body[lang]);
  switch (e.type) {
    case "attraction": {
      const p = e.place;
      return {
        ...common,
        address: p.address[lang],
        ...(p.formerNames.length ? { formerNames: p.formerNames } : {}),
        ...(p.coordinates ? { coordinates: p.coordinates } : {}),
        distanceFromCentreKm: p.distanceFromCentreKm ?? "unknown",
        openingHours: p.openingHours?.[lang] ?? "unknown",
        tickets: p.tickets?.[lang] ?? "unknown",
        gettingThere: p.gettingThere?.[lang] ?? "unknown",
        text,
      };
    }
    case "event": {
      const v = e.event;
      return {
        ...common,
        calendar: v.calendar,
        ...(v.lunar ? { lunarDays: v.lunar } : {}),
        ...(v.solar ? { solarDays: v.solar } : {}),
        approximate: v.approximate,
        announcedYearly: v.announcedYearly,
        knownDates: v.knownDates.map((k) => ({
          start: k.start,
          end: k.end,
          ...(k.main ? { main: k.main } : {}),
        })),
        where: v.where[lang],
        note: "use events_between for the dates of a given year",
        text,
      };
    }
    case "lodging-rule": {
      const l = e.lodging;
      return {
        ...common,
        appliesTo: l.appliesTo,
        deadlines: l.deadlines.map((d) => ({ guest: d.guest, method: d.method, due: d.due, basis: d.basis })),
        ...(l.thresholdDays ? { thresholdDays: l.thresholdDays } : {}),
        channels: l.channels.map((c) => ({ name: c.name[lang], ...(c.url ? { url: c.url } : {}) })),
        ...(l.guestDetails ? { guestDetails: l.guestDetails[lang] } : {}),
        legalBasis: l.legalBasis.map((b) => ({
          document: b.document,
          ...(b.article ? { article: b.article } : {}),
          status: b.status,
        })),
        verifyNote: l.verifyNote[lang],
        text,
      };
    }
    case "practical":
      return {
        ...common,
        contacts: e.practical.contacts.map((c) => ({ label: c.label[lang], phone: c.phone })),
        facts: e.practical.facts.map((f) => ({ label: f.label[lang], value: f.value[lang] })),
        text,
      };
    case "itinerary":
      return {
        ...common,
        days: e.itinerary.days,
        stops: e.itinerary.stops.map((s) => ({
          day: s.day,
          time: s.time[lang],
          ...(s.place ? { place: s.place } : {}),
          ...(s.name ? { name: s.name[lang] } : {}),
          what: s.what[lang],
        })),
        text,
      };
  }
}

function cut(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}…`;
}

/** "23:30" → 1410. */
function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

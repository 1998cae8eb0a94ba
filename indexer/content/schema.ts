import { z } from "zod";

/**
 * The content model. One Markdown file per entry: YAML front matter validated by these schemas, then a
 * body with a "# Tiếng Việt" section and a "# English" section. Structured facts (coordinates, dates,
 * deadlines, numbers) live once in the front matter; only prose is written twice.
 */

export const LANGS = ["vi", "en"] as const;
export type Lang = (typeof LANGS)[number];

export const ENTRY_TYPES = ["attraction", "event", "lodging-rule", "practical", "itinerary"] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** Folder under content/ that holds each type, so a file's place tells its type. */
export const TYPE_FOLDERS: Record<EntryType, string> = {
  attraction: "attractions",
  event: "events",
  "lodging-rule": "lodging",
  practical: "practical",
  itinerary: "itineraries",
};

/**
 * The area the knowledge base covers: Châu Đốc and the places around it that visitors reach in a day
 * (Núi Cấm, Trà Sư, Tri Tôn, An Phú). Coordinates outside this box are almost always a typo or a
 * swapped lat/lng.
 */
export const REGION = { minLat: 10.2, maxLat: 11.1, minLng: 104.7, maxLng: 105.5 } as const;

const text = z.string().trim().min(1, "must not be empty");
const bilingual = z.strictObject({ vi: text, en: text });
const bilingualList = z.strictObject({ vi: z.array(text), en: z.array(text) });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD")
  .refine(isRealDate, "is not a real calendar date");

const monthDay = z
  .string()
  .regex(/^\d{2}-\d{2}$/, "must be written MM-DD")
  .refine((s) => isRealDate(`2024-${s}`), "is not a real day of the year");

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a 24-hour time HH:MM");

const lunarDay = z.strictObject({
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(30),
});

/**
 * A note visitors read beside a source or a date, so it is written in both languages; what editors note
 * for themselves goes in the entry's staffNote.
 */
const publicNote = z.strictObject(
  { vi: text, en: text },
  { error: "a note is shown to visitors: write it in both languages as { vi, en } (notes for editors go in staffNote)" },
);

const source = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) link" }),
  title: text.optional(),
  /** What this source supports, in both languages. */
  note: publicNote.optional(),
});

/**
 * A picture of the entry with its credit: a file under content/images/ or an image uploaded in the admin
 * (/media/...). Ship no picture whose licence you have not read; every field of the credit is required.
 */
const entryImage = z.strictObject({
  file: z
    .string()
    .regex(
      /^(?:images\/[a-z0-9][a-z0-9._-]*\.(?:jpe?g|png|webp)|\/media\/[A-Za-z0-9][A-Za-z0-9._-]*\.(?:jpe?g|png|webp))$/,
      "must be images/<name>.jpg (png, webp) under content/, or /media/<name> of an uploaded image",
    ),
  alt: bilingual,
  author: text,
  /** The licence as its source names it, e.g. "CC BY-SA 4.0". */
  licence: text,
  /** The page the picture and its licence were read from. */
  sourceUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) link" }),
});

const coordinates = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  /** True when the point is not from a surveyed source (good to a few hundred metres): check on a map. */
  approximate: z.boolean(),
});

const distanceKm = z
  .strictObject({ min: z.number().positive(), max: z.number().positive() })
  .refine((d) => d.min <= d.max, "min must not exceed max");

/**
 * The area a place is in, for grouping the list of places: Núi Sam and its sites, the town and the river,
 * or further out (Trà Sư, Núi Cấm, Tri Tôn, An Phú).
 */
export const AREAS = ["nui-sam", "town-river", "further-out"] as const;
export type Area = (typeof AREAS)[number];

export const attractionFields = z.strictObject({
  /** Where the place is, for grouping (optional: a place without one is listed after the others). */
  area: z.enum(AREAS).optional(),
  /** null means unknown: the assistant says so instead of guessing. */
  coordinates: coordinates.nullable(),
  /** Address with the administrative names in force since 1 July 2025. */
  address: bilingual,
  /** Older names people still search for (phường Núi Sam, TP. Châu Đốc, huyện Tịnh Biên ...). */
  formerNames: z.array(text).default([]),
  /** Distance from the centre of Châu Đốc; a range where sources differ; null when unknown. */
  distanceFromCentreKm: distanceKm.nullable(),
  openingHours: bilingual.nullable(),
  tickets: bilingual.nullable(),
  gettingThere: bilingual.nullable(),
});

const knownDate = z
  .strictObject({
    start: isoDate,
    end: isoDate,
    main: isoDate.optional(),
    note: publicNote.optional(),
    source: z.url({ protocol: /^https?$/, error: "must be an http(s) link" }),
  })
  .refine((d) => d.start <= d.end, { message: "start must not be after end", path: ["end"] });

export const CALENDARS = ["lunar-vn", "solar", "khmer", "islamic"] as const;
export type CalendarKind = (typeof CALENDARS)[number];

export const eventFields = z
  .strictObject({
    calendar: z.enum(CALENDARS),
    recurrence: z.enum(["yearly"]),
    /** Vietnamese lunar calendar: days of the lunar year, converted by indexer/calendar. */
    lunar: z.strictObject({ start: lunarDay, end: lunarDay, main: lunarDay.optional() }).optional(),
    /** Gregorian calendar, or the usual Gregorian window of a Khmer event. */
    solar: z.strictObject({ start: monthDay, end: monthDay, main: monthDay.optional() }).optional(),
    /** The window is approximate (a season, or a usual window that moves a little). */
    approximate: z.boolean().default(false),
    /** Dates the project cannot compute are announced each year by the organisers. */
    announcedYearly: z.boolean().default(false),
    knownDates: z.array(knownDate).default([]),
    where: bilingual,
    venues: z.array(text).default([]),
  })
  .superRefine((e, ctx) => {
    const need = (ok: boolean, path: string, message: string) => {
      if (!ok) ctx.addIssue({ code: "custom", path: [path], message });
    };
    if (e.calendar === "lunar-vn") {
      need(e.lunar !== undefined, "lunar", "a lunar-vn event needs lunar start and end days");
      need(e.solar === undefined, "solar", "a lunar-vn event gives lunar days, not solar ones");
    }
    if (e.calendar === "solar") {
      need(e.solar !== undefined, "solar", "a solar event needs solar start and end days (MM-DD)");
      need(e.lunar === undefined, "lunar", "a solar event gives solar days, not lunar ones");
    }
    if (e.calendar === "khmer" || e.calendar === "islamic") {
      need(e.lunar === undefined, "lunar", `${e.calendar} dates cannot be converted with the Vietnamese calendar`);
      need(e.announcedYearly, "announcedYearly", `${e.calendar} dates are announced each year: set true`);
      if (e.solar) need(e.approximate, "approximate", "a usual window for a khmer/islamic event is approximate");
    }
  });

const deadlineRule = z.discriminatedUnion("kind", [
  /** Before a clock time on the day of arrival. */
  z.strictObject({ kind: z.literal("same-day"), before: clockTime }),
  /** Before a clock time on the day after arrival. */
  z.strictObject({ kind: z.literal("next-day"), before: clockTime }),
  /** Within a number of hours of arrival. */
  z.strictObject({ kind: z.literal("hours-after-arrival"), hours: z.number().int().positive().max(72) }),
  /** At check-in itself. */
  z.strictObject({ kind: z.literal("on-arrival") }),
]);

export const GUEST_KINDS = ["vn", "foreign"] as const;
export type GuestKind = (typeof GUEST_KINDS)[number];

const deadline = z.strictObject({
  guest: z.enum(GUEST_KINDS),
  /** How the declaration is made; "any" when the rule does not depend on it. */
  method: z.enum(["any", "paper", "electronic"]).default("any"),
  /** Arrival window (local time, from inclusive, to exclusive) the rule applies to; omitted = any time. */
  arrival: z.strictObject({ from: clockTime, to: clockTime.or(z.literal("24:00")) }).optional(),
  /** Remote and deep areas (vùng sâu, vùng xa); omitted = the rule does not depend on it. */
  remote: z.boolean().optional(),
  due: deadlineRule,
  basis: text,
  /** How the rule is read where the law's words leave room (shown with the computed deadline). */
  note: bilingual.optional(),
});

const legalBasis = z.strictObject({
  document: text,
  article: text.optional(),
  issued: isoDate.optional(),
  /** Date in force; null when our sources do not give it (the note says where to check). */
  inForce: isoDate.nullable(),
  status: z.enum(["in-force", "amended", "replaced", "reported-change-unconfirmed"]),
  note: bilingual.optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
});

const penalty = z
  .strictObject({
    violation: bilingual,
    minVnd: z.number().int().nonnegative(),
    maxVnd: z.number().int().positive(),
    /** Who pays this amount; organisations pay double the individual amount. */
    payer: z.enum(["individual", "organisation"]).default("individual"),
    /**
     * What the fine is for, so that the fine calculator can pick it: a stay not reported (`stay-not-reported`),
     * a foreigner not declared (`foreigner-not-declared`), the general residence-rule violation of a
     * person or household that runs no lodging business (`residence-general`: a private home that does
     * not report a relative's stay, a temporary residence not registered), or `other` (a guest's own).
     */
    offence: z
      .enum(["stay-not-reported", "foreigner-not-declared", "residence-general", "other"])
      .default("other"),
    /** The number of guests the amount applies to (`max` absent: that many or more). */
    guests: z
      .strictObject({ min: z.number().int().positive(), max: z.number().int().positive().optional() })
      .optional(),
    basis: text,
    /** false when the sources do not confirm the clause or the amount: shown with a caveat. */
    confirmed: z.boolean(),
  })
  .refine((p) => p.minVnd <= p.maxVnd, { message: "minVnd must not exceed maxVnd", path: ["maxVnd"] });

const CHANNEL_KINDS = [
  "vneid",
  "national-public-service-portal",
  "mps-public-service-portal",
  "residence-portal",
  "immigration-page",
  "in-person",
  "phone-email",
  "paper-form",
] as const;

export const lodgingFields = z.strictObject({
  appliesTo: z
    .array(z.enum(["vietnamese-guests", "foreign-guests", "stays-30-days-or-more", "lodging-operators"]))
    .min(1),
  deadlines: z.array(deadline).default([]),
  /** Length of stay from which the rule applies, in days (temporary-residence registration). */
  thresholdDays: z.number().int().positive().optional(),
  channels: z
    .array(z.strictObject({ kind: z.enum(CHANNEL_KINDS), name: bilingual, url: z.url().optional() }))
    .default([]),
  guestDetails: bilingualList.optional(),
  legalBasis: z.array(legalBasis).min(1, "a lodging rule must quote its legal basis"),
  penalties: z.array(penalty).default([]),
  /** Always shown: rules change, the ward police have the last word. */
  verifyNote: bilingual,
});

export const PRACTICAL_TOPICS = [
  "getting-there",
  "border-crossing",
  "emergency",
  "seasons",
  "food",
  "administration",
  "safety",
  "other",
] as const;

export const practicalFields = z.strictObject({
  topic: z.enum(PRACTICAL_TOPICS),
  contacts: z
    .array(z.strictObject({ label: bilingual, phone: z.string().regex(/^[0-9 +]{3,20}$/, "digits only") }))
    .default([]),
  facts: z.array(z.strictObject({ label: bilingual, value: bilingual })).default([]),
});

/** One stop of an itinerary, in visiting order. */
const itineraryStop = z
  .strictObject({
    /** Day of the trip, from 1. */
    day: z.number().int().min(1).max(7).default(1),
    /** When to be there, as a visitor reads it ("Sáng sớm, khoảng 6:00" / "Early morning, about 06:00"). */
    time: bilingual,
    /** The attraction visited (its id), which gives the stop its name, page and map point. */
    place: z.string().optional(),
    /** The stop's name when it is not an attraction of the content (a landing, a market street). */
    name: bilingual.optional(),
    /** How long to stay. */
    duration: bilingual,
    /** How to get here from the previous stop (omitted for the first stop). */
    travel: bilingual.optional(),
    /** What to do or see there, in a sentence or two. */
    what: bilingual,
  })
  .refine((s) => s.place !== undefined || s.name !== undefined, {
    message: "a stop needs a place (an attraction id) or a name",
    path: ["place"],
  });

export const itineraryFields = z.strictObject({
  /** Length of the trip in days. */
  days: z.number().int().min(1).max(7),
  stops: z.array(itineraryStop).min(2, "an itinerary has at least two stops"),
});

const FEATURED_RANK = "must be a whole number from 1 to 99";

const common = {
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lowercase kebab-case (a-z, 0-9, -)"),
  title: bilingual,
  summary: bilingual,
  /** Other names people type: English renderings, old names, names without the generic word. */
  aliases: z.strictObject({ vi: z.array(text).default([]), en: z.array(text).default([]) }).optional(),
  tags: z.array(text).min(1, "give at least one tag"),
  sources: z.array(source).min(1, "every entry names at least one source"),
  lastVerified: isoDate,
  related: z.array(z.string()).default([]),
  /**
   * Rank among the entries the portal puts first (1 first, then 2, …): the home page leads with the ranked
   * attractions, and lists sort ranked entries before the others. Optional; most entries have none.
   */
  featured: z
    .number({ error: FEATURED_RANK })
    .int(FEATURED_RANK)
    .min(1, FEATURED_RANK)
    .max(99, FEATURED_RANK)
    .optional(),
  /** Pictures with their credits; the first is the page's hero image. */
  images: z.array(entryImage).default([]),
  /**
   * What editors note for themselves (what to recheck, where a claim came from): shown in the admin area
   * only, never on public pages, in the index or in answers. Any language.
   */
  staffNote: text.optional(),
};

export const frontMatterSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ ...common, type: z.literal("attraction"), place: attractionFields }),
    z.strictObject({ ...common, type: z.literal("event"), event: eventFields }),
    z.strictObject({ ...common, type: z.literal("lodging-rule"), lodging: lodgingFields }),
    z.strictObject({ ...common, type: z.literal("practical"), practical: practicalFields }),
    z.strictObject({ ...common, type: z.literal("itinerary"), itinerary: itineraryFields }),
  ],
  { error: `must be one of: ${ENTRY_TYPES.join(", ")}` },
);

export type FrontMatter = z.infer<typeof frontMatterSchema>;
export type AttractionFields = z.infer<typeof attractionFields>;
export type EventFields = z.infer<typeof eventFields>;
export type LodgingFields = z.infer<typeof lodgingFields>;
export type PracticalFields = z.infer<typeof practicalFields>;
export type ItineraryFields = z.infer<typeof itineraryFields>;
export type DeadlineRule = z.infer<typeof deadline>;
export type EntryImage = z.infer<typeof entryImage>;

/**
 * Where the portal serves an entry image: a content image (images/<name>) at /content-images/<name>, an
 * upload (/media/<name>) where the admin put it. The portal's pages and the chat channels' photos use it.
 */
export function imageUrl(image: Pick<EntryImage, "file">): string {
  return image.file.startsWith("images/")
    ? `/content-images/${image.file.slice("images/".length)}`
    : image.file;
}

/** A validated entry: front matter plus the body text of each language. */
export type ContentEntry = FrontMatter & {
  body: Record<Lang, string>;
  /** Path relative to the content root, for messages and the admin editor. */
  file: string;
};

function isRealDate(s: string): boolean {
  const [y, m, d] = s.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

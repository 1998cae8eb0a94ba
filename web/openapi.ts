import { INTENTS } from "../bot/index.ts";
import { CALENDARS, ENTRY_TYPES, GUEST_KINDS, LANGS } from "../indexer/index.ts";
import type { AppOptions } from "./app.ts";

/**
 * The OpenAPI 3.1 description of /api (served at GET /api/openapi.json) and of /healthz and /readyz.
 * Written by hand beside web/routes/api.ts; the API tests check that every route is listed here.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const json = (schema: object) => ({ "application/json": { schema } });
const str = (description?: string, extra: object = {}) => ({
  type: "string",
  ...(description ? { description } : {}),
  ...extra,
});
const bilingual = { type: "object", required: ["vi", "en"], properties: { vi: str(), en: str() } };
const queryParam = (name: string, schema: object, description: string, required = false) => ({
  name,
  in: "query",
  required,
  description,
  schema,
});

/** Builds the document for the limits the app runs with. */
export function buildOpenApiDocument(
  options: Pick<AppOptions, "maxMessageLength" | "rateLimitPerMinute"> & { bodyLimit: string },
) {
  const errors = {
    "400": response("BadRequest"),
    "429": response("RateLimited"),
    "500": response("Internal"),
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "Châu Đốc tourism assistant API",
      version: "1.0.0",
      description:
        "Answers about Châu Đốc (An Giang, Vietnam) from a sourced knowledge base, in Vietnamese and English: " +
        "attractions, festivals (Gregorian dates with the lunar dates beside them) and lodging-registration " +
        `deadlines. Rate limits per IP: ${options.rateLimitPerMinute} questions a minute on /api/ask, ` +
        `${options.rateLimitPerMinute * 4} requests a minute on the other /api routes. Browsers may call the ` +
        "API only from the origins in WIDGET_ORIGINS; any other origin gets 403 on POST. Errors are always " +
        '`{ "error": { "code", "message" } }`.',
      license: { name: "MIT", identifier: "MIT" },
    },
    paths: {
      "/api/ask": {
        post: {
          operationId: "ask",
          summary: "Ask the assistant a question",
          description:
            "Returns the Answer as JSON. With `Accept: text/event-stream` the answer is streamed as " +
            'server-sent events: `event: delta` with `data: {"text": "…"}` for each piece of text, then ' +
            "`event: answer` with the full Answer (its text is authoritative and may replace the deltas), " +
            'then the stream ends; if the assistant fails, `event: error` with `data: {"error": {"code": ' +
            '"internal", "message": "…"}}`.',
          requestBody: { required: true, content: json(ref("AskRequest")) },
          responses: {
            "200": {
              description: "The answer",
              content: {
                ...json(ref("Answer")),
                "text/event-stream": {
                  schema: str("Events `delta` ({text}), then `answer` (Answer) or `error` (Error)"),
                },
              },
            },
            ...errors,
            "403": response("Forbidden"),
            "413": response("PayloadTooLarge"),
            "415": response("UnsupportedMediaType"),
          },
        },
      },
      "/api/search": {
        get: {
          operationId: "search",
          summary: "Search the knowledge base",
          parameters: [
            queryParam("q", str(undefined, { minLength: 1, maxLength: 500 }), "The query", true),
            queryParam("k", { type: "integer", minimum: 1, maximum: 20, default: 5 }, "How many results"),
            queryParam("type", { type: "string", enum: [...ENTRY_TYPES] }, "Only entries of this type"),
            queryParam(
              "lang",
              { type: "string", enum: [...LANGS] },
              "Language of titles and passages; detected from the query when omitted",
            ),
          ],
          responses: {
            "200": {
              description: "Best entries first",
              content: json({
                type: "object",
                required: ["results"],
                properties: { results: { type: "array", items: ref("SearchResult") } },
              }),
            },
            ...errors,
          },
        },
      },
      "/api/entries/{id}": {
        get: {
          operationId: "getEntry",
          summary: "One entry of the knowledge base",
          parameters: [
            {
              name: "id",
              in: "path",
              required: true,
              schema: { type: "string", pattern: "^[a-z0-9]+(-[a-z0-9]+)*$", maxLength: 100 },
            },
          ],
          responses: {
            "200": { description: "The entry", content: json(ref("Entry")) },
            "404": response("NotFound"),
            ...errors,
          },
        },
      },
      "/api/events": {
        get: {
          operationId: "listEvents",
          summary: "Event occurrences between two dates",
          description:
            "Occurrences that overlap [from, to] (inclusive), sorted by start date. Dates from 1901 to " +
            "2199, to not before from, at most 3 years apart.",
          parameters: [
            queryParam(
              "from",
              { type: "string", format: "date" },
              "YYYY-MM-DD; default: today in Asia/Ho_Chi_Minh",
            ),
            queryParam("to", { type: "string", format: "date" }, "YYYY-MM-DD; default: from + 365 days"),
          ],
          responses: {
            "200": {
              description: "The occurrences",
              content: json({
                type: "object",
                required: ["from", "to", "occurrences"],
                properties: {
                  from: str(undefined, { format: "date" }),
                  to: str(undefined, { format: "date" }),
                  occurrences: { type: "array", items: ref("Occurrence") },
                },
              }),
            },
            ...errors,
          },
        },
      },
      "/api/lodging/deadline": {
        get: {
          operationId: "lodgingDeadline",
          summary: "When a lodging must register a guest's stay with the police",
          description:
            "Computes the deadlines from the rules in the knowledge base. Only a kind of guest and an " +
            "arrival time are accepted; no personal data is asked for or stored.",
          parameters: [
            queryParam(
              "guest",
              { type: "string", enum: [...GUEST_KINDS] },
              "Vietnamese or foreign guest",
              true,
            ),
            queryParam(
              "arrival",
              str(undefined, { examples: ["2026-11-22T23:30:00+07:00", "2026-11-22T16:30:00Z"] }),
              "ISO-8601 date-time of the arrival; without an offset it is Vietnam time. Encode + as %2B " +
                "(an unencoded + arrives as a space and is read as +). Years 1901 to 2199, in Vietnam time.",
              true,
            ),
            queryParam(
              "remote",
              { type: "string", enum: ["true", "false"], default: "false" },
              "The lodging is in a remote area (vùng sâu, vùng xa)",
            ),
            queryParam(
              "method",
              { type: "string", enum: ["paper", "electronic"] },
              "How the declaration is made; every method when omitted",
            ),
          ],
          responses: {
            "200": { description: "The deadlines that apply", content: json(ref("DeadlineResponse")) },
            ...errors,
          },
        },
      },
      "/api/lodging/fine": {
        get: {
          operationId: "lodgingFine",
          summary: "The fine a lodging risks for not reporting (Vietnamese) or declaring (foreign) guests",
          description:
            "Picks the bracket from the fines in the knowledge base by the kind of guest, the number of " +
            "guests and who runs the lodging (organisations pay double). Each bracket carries its legal " +
            "basis and whether its clause is confirmed.",
          parameters: [
            queryParam(
              "guest",
              { type: "string", enum: [...GUEST_KINDS] },
              "Vietnamese or foreign guests",
              true,
            ),
            queryParam(
              "guests",
              { type: "string", pattern: "^[0-9]{1,4}$" },
              "How many guests were not reported; every bracket when omitted",
            ),
            queryParam(
              "payer",
              { type: "string", enum: ["individual", "organisation"], default: "individual" },
              "Who runs the lodging: an individual or household business, or an organisation (a company)",
            ),
          ],
          responses: {
            "200": { description: "The fine that applies", content: json(ref("FineResponse")) },
            "404": response("NotFound"),
            ...errors,
          },
        },
      },
      "/api/feedback": {
        post: {
          operationId: "feedback",
          summary: "Say whether an answer helped",
          requestBody: { required: true, content: json(ref("FeedbackRequest")) },
          responses: {
            "200": {
              description: "Recorded (a second feedback for the same answer replaces the first)",
              content: json({
                type: "object",
                required: ["ok"],
                properties: { ok: { type: "boolean", const: true } },
              }),
            },
            "403": response("Forbidden"),
            "404": response("NotFound"),
            "413": response("PayloadTooLarge"),
            "415": response("UnsupportedMediaType"),
            ...errors,
          },
        },
      },
      "/api/conversations/{id}/messages": {
        get: {
          operationId: "mailbox",
          summary: "A widget conversation's mailbox: staff messages and notices after a seq",
          description:
            "The widget has no push: while a chat is with staff it polls here. The id is the conversation's own random id (as sent to /api/ask), which is what lets it read its messages.",
          parameters: [
            {
              name: "id",
              in: "path",
              required: true,
              schema: { type: "string", minLength: 16, maxLength: 100, pattern: "^[A-Za-z0-9_-]+$" },
            },
            { name: "after", in: "query", required: false, schema: { type: "integer", minimum: 0 } },
          ],
          responses: {
            "200": {
              description: "Messages after `after`, oldest first, and whether a staff member has the chat",
              content: json({
                type: "object",
                required: ["messages", "handoff"],
                properties: {
                  messages: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["seq", "at", "from", "text", "suggestions"],
                      properties: {
                        seq: { type: "integer" },
                        at: { type: "string", format: "date-time" },
                        from: { enum: ["staff", "bot"] },
                        text: { type: "string" },
                        suggestions: { type: "array", items: { type: "string" } },
                      },
                    },
                  },
                  handoff: {
                    type: "object",
                    required: ["open"],
                    properties: { open: { type: "boolean" }, since: { type: "string", format: "date-time" } },
                  },
                },
              }),
            },
            ...errors,
          },
        },
      },
      "/api/reports/photo": {
        post: {
          operationId: "reportPhoto",
          summary: "A tourist report's photo, sent at the report's photo step",
          description:
            "Multipart form: `conversationId` (the widget's id, as sent to /api/ask), optional `lang` and `caption`, and the file `photo` (JPEG, PNG or WebP, checked by its bytes). The answer is the report's next step (or why the photo was refused) as an Answer. Outside a report the answer says photos are for reports.",
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["conversationId", "photo"],
                  properties: {
                    conversationId: { type: "string", maxLength: 100, pattern: "^[A-Za-z0-9_-]+$" },
                    lang: { type: "string", enum: [...LANGS] },
                    caption: { type: "string", maxLength: 1000 },
                    photo: { type: "string", format: "binary" },
                  },
                },
              },
            },
          },
          responses: {
            "200": { description: "The report's next step", content: json(ref("Answer")) },
            "404": response("NotFound"),
            "413": response("PayloadTooLarge"),
            "415": { description: "Not multipart/form-data", content: json(ref("Error")) },
            ...errors,
          },
        },
      },
      "/api/reports/{code}": {
        get: {
          operationId: "reportStatus",
          summary: "A tourist report's status, for the holder of its link token",
          description:
            "A wrong code, a wrong token and an unknown case all answer 404 alike. No personal data is returned.",
          parameters: [
            {
              name: "code",
              in: "path",
              required: true,
              schema: { type: "string", pattern: "^CD-\\d{4}-\\d{6}$" },
            },
            {
              name: "token",
              in: "query",
              required: true,
              schema: { type: "string", pattern: "^[A-Za-z0-9_-]{22}$" },
            },
          ],
          responses: {
            "200": {
              description: "The case's status",
              content: json({
                type: "object",
                required: ["code", "status", "category", "createdAt", "updatedAt"],
                properties: {
                  code: { type: "string" },
                  status: { enum: ["received", "in_progress", "resolved", "rejected"] },
                  category: {
                    enum: ["prices", "safety", "cleanliness", "infrastructure", "lodging", "lost", "other"],
                  },
                  createdAt: { type: "string", format: "date-time" },
                  updatedAt: { type: "string", format: "date-time" },
                  reason: { type: "string" },
                },
              }),
            },
            "404": response("NotFound"),
            "429": response("RateLimited"),
          },
        },
      },
      "/api/openapi.json": {
        get: {
          operationId: "openapi",
          summary: "This document",
          responses: {
            "200": { description: "OpenAPI 3.1 document", content: json({ type: "object" }) },
            "429": response("RateLimited"),
          },
        },
      },
      "/healthz": {
        get: {
          operationId: "health",
          summary: "Liveness: the process answers",
          responses: {
            "200": {
              description: "Alive",
              content: json({
                type: "object",
                required: ["status"],
                properties: { status: { const: "ok" } },
              }),
            },
          },
        },
      },
      "/readyz": {
        get: {
          operationId: "ready",
          summary: "Readiness: the index is open",
          responses: {
            "200": {
              description: "Ready, with the index version being served",
              content: json({
                type: "object",
                required: ["status", "index"],
                properties: {
                  status: { const: "ready" },
                  index: {
                    type: "object",
                    required: ["version", "entries"],
                    properties: { version: str(), entries: { type: "integer" } },
                  },
                },
              }),
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: str("Kind of failure; the part before ':' sets the status", {
                  examples: ["bad_request:ask", "not_found:answer", "payload_too_large:message"],
                }),
                message: str("Safe to show; never a stack trace"),
              },
            },
          },
        },
        AskRequest: {
          type: "object",
          required: ["message"],
          properties: {
            message: str(`The question; 1 to ${options.maxMessageLength} characters (413 above)`, {
              minLength: 1,
              maxLength: options.maxMessageLength,
            }),
            conversationId: str("Groups follow-up questions; choose a random value per conversation", {
              maxLength: 100,
              pattern: "^[A-Za-z0-9_-]+$",
            }),
            lang: { type: "string", enum: [...LANGS], description: "Answer language; detected when omitted" },
            location: {
              type: "object",
              description: "A location the visitor shared (nearby places; a report's place)",
              required: ["lat", "lng"],
              properties: {
                lat: { type: "number", minimum: -90, maximum: 90 },
                lng: { type: "number", minimum: -180, maximum: 180 },
              },
            },
          },
        },
        Bilingual: bilingual,
        AnswerSource: {
          type: "object",
          required: ["id", "type", "title", "url"],
          properties: {
            id: str(),
            type: { type: "string", enum: [...ENTRY_TYPES] },
            title: str(),
            url: str("Portal page of the entry"),
          },
        },
        Place: {
          type: "object",
          required: ["id", "name", "lat", "lng", "mapUrl", "pageUrl", "approximate"],
          properties: {
            id: str(),
            name: str(),
            lat: { type: "number" },
            lng: { type: "number" },
            mapUrl: str("Google Maps"),
            pageUrl: str("The place's page on the portal, at its map"),
            approximate: { type: "boolean" },
          },
        },
        Answer: {
          type: "object",
          required: [
            "answer",
            "language",
            "intent",
            "confidence",
            "sources",
            "suggestions",
            "coverage",
            "composer",
          ],
          properties: {
            answerId: str("Present when the answer was recorded; send it with feedback"),
            handoff: {
              type: "object",
              description:
                "Present when the handoff desk answered instead of the assistant (the conversation asked for a person, or is with staff): poll /api/conversations/{id}/messages while open",
              required: ["open"],
              properties: { open: { type: "boolean" } },
            },
            answer: str("Plain text with line breaks and • bullets (empty while staff have the chat)"),
            language: { type: "string", enum: [...LANGS] },
            intent: { type: "string", enum: [...INTENTS] },
            confidence: { type: "number", minimum: 0, maximum: 1 },
            sources: { type: "array", items: ref("AnswerSource") },
            suggestions: { type: "array", items: str(), maxItems: 3 },
            place: ref("Place"),
            image: {
              type: "object",
              description: "The first picture of the entry the answer is about, with its credit",
              required: ["url", "alt", "author", "licence", "sourceUrl"],
              properties: {
                url: str("Portal path of the picture (/content-images/… or /media/…)"),
                alt: str("Alt text in the answer's language"),
                author: str(),
                licence: str(),
                sourceUrl: str("Where the picture and its licence were read"),
              },
            },
            places: {
              type: "array",
              items: {
                allOf: [
                  ref("Place"),
                  {
                    type: "object",
                    required: ["distanceKm"],
                    properties: { distanceKm: { type: "number" } },
                  },
                ],
              },
            },
            missing: { type: "array", items: { type: "string", enum: ["guest", "arrival", "guests"] } },
            coverage: {
              type: "array",
              description:
                "What the answer covered, one item per thing asked; unknown and not-understood parts are content gaps",
              items: {
                type: "object",
                required: ["status"],
                properties: {
                  subject: str("Entry id"),
                  attribute: str("What was asked of it: hours, price, fine, dates …"),
                  status: { type: "string", enum: ["answered", "unknown", "not-understood"] },
                },
              },
            },
            composer: { type: "string", enum: ["extractive", "model"] },
          },
        },
        SearchResult: {
          type: "object",
          required: ["id", "type", "title", "score", "passage", "url"],
          properties: {
            id: str(),
            type: { type: "string", enum: [...ENTRY_TYPES] },
            title: str(),
            score: { type: "number", description: "Higher is better" },
            passage: {
              type: "object",
              required: ["heading", "text", "lang"],
              properties: { heading: str(), text: str(), lang: { type: "string", enum: [...LANGS] } },
            },
            url: str(),
          },
        },
        Entry: {
          type: "object",
          description:
            "The entry's front matter (content/README.md documents every field) with its body text and " +
            "portal URL. Exactly one of place, event, lodging or practical is present, by type.",
          required: [
            "id",
            "type",
            "title",
            "summary",
            "tags",
            "sources",
            "lastVerified",
            "related",
            "body",
            "url",
          ],
          properties: {
            id: str(),
            type: { type: "string", enum: [...ENTRY_TYPES] },
            title: ref("Bilingual"),
            summary: ref("Bilingual"),
            aliases: {
              type: "object",
              properties: { vi: { type: "array", items: str() }, en: { type: "array", items: str() } },
            },
            tags: { type: "array", items: str() },
            sources: {
              type: "array",
              items: {
                type: "object",
                required: ["url"],
                properties: { url: str(), title: str(), note: str() },
              },
            },
            lastVerified: str(undefined, { format: "date" }),
            related: { type: "array", items: str() },
            body: ref("Bilingual"),
            url: str("Portal page of the entry"),
            place: { type: "object", description: "Attractions: address, coordinates, hours, tickets…" },
            event: { type: "object", description: "Events: calendar, lunar or solar days, venues…" },
            lodging: {
              type: "object",
              description: "Lodging rules: deadlines, channels, legal basis, fines…",
            },
            practical: { type: "object", description: "Practical information: topic, contacts, facts" },
          },
        },
        LunarDate: {
          type: "object",
          required: ["year", "month", "day", "leap"],
          properties: {
            year: { type: "integer" },
            month: { type: "integer", minimum: 1, maximum: 12 },
            day: { type: "integer", minimum: 1, maximum: 30 },
            leap: { type: "boolean" },
          },
        },
        Occurrence: {
          type: "object",
          required: [
            "eventId",
            "title",
            "calendar",
            "start",
            "end",
            "status",
            "approximate",
            "announcedYearly",
            "url",
          ],
          properties: {
            eventId: str(),
            title: ref("Bilingual"),
            calendar: { type: "string", enum: [...CALENDARS] },
            start: str(undefined, { format: "date" }),
            end: str(undefined, { format: "date" }),
            main: str("The main day, when there is one", { format: "date" }),
            lunar: {
              type: "object",
              description: "Lunar dates of a lunar-vn event",
              required: ["start", "end"],
              properties: { start: ref("LunarDate"), end: ref("LunarDate"), main: ref("LunarDate") },
            },
            status: {
              type: "string",
              enum: ["computed", "known", "usual-window"],
              description:
                "computed by the project's calendar; known: a past date from a source; usual-window: the " +
                "usual window of an event whose dates are announced each year",
            },
            approximate: { type: "boolean" },
            announcedYearly: { type: "boolean" },
            url: str("Portal page of the event"),
          },
        },
        DeadlineRule: {
          oneOf: [
            {
              type: "object",
              required: ["kind", "before"],
              properties: { kind: { enum: ["same-day", "next-day"] }, before: str("HH:MM local time") },
            },
            {
              type: "object",
              required: ["kind", "hours"],
              properties: { kind: { const: "hours-after-arrival" }, hours: { type: "integer" } },
            },
            { type: "object", required: ["kind"], properties: { kind: { const: "on-arrival" } } },
          ],
        },
        Deadline: {
          type: "object",
          required: ["entryId", "method", "due", "text", "basis", "url"],
          properties: {
            entryId: str("The lodging rule the deadline comes from"),
            method: { type: "string", enum: ["any", "paper", "electronic"] },
            due: ref("DeadlineRule"),
            dueAt: str("Vietnam local time with +07:00; absent for on-arrival", {
              format: "date-time",
              examples: ["2026-11-23T08:00:00+07:00"],
            }),
            text: ref("Bilingual"),
            basis: str("Legal basis"),
            url: str("Portal page of the rule"),
          },
        },
        DeadlineResponse: {
          type: "object",
          required: ["guest", "arrival", "remote", "deadlines"],
          properties: {
            guest: { type: "string", enum: [...GUEST_KINDS] },
            arrival: str("The arrival in Vietnam local time", { format: "date-time" }),
            remote: { type: "boolean" },
            method: { type: "string", enum: ["paper", "electronic"], description: "Echoed when given" },
            deadlines: { type: "array", items: ref("Deadline") },
          },
        },
        FineBracket: {
          type: "object",
          required: ["guestsMin", "minVnd", "maxVnd", "doubled", "basis", "confirmed"],
          properties: {
            guestsMin: { type: "integer" },
            guestsMax: { type: "integer", description: "Absent: that many guests or more" },
            minVnd: { type: "integer" },
            maxVnd: { type: "integer" },
            doubled: { type: "boolean", description: "Doubled from the individual's amount (organisations)" },
            basis: str("Decree and article"),
            confirmed: { type: "boolean", description: "false: the clause is not confirmed by the sources" },
          },
        },
        FineResponse: {
          type: "object",
          required: ["guest", "payer", "offence", "brackets", "entryId", "url"],
          properties: {
            guest: { type: "string", enum: [...GUEST_KINDS] },
            payer: { type: "string", enum: ["individual", "organisation"] },
            guests: { type: "integer" },
            offence: { type: "string", enum: ["stay-not-reported", "foreigner-not-declared"] },
            bracket: { ...ref("FineBracket"), description: "The bracket for `guests`, when one covers it" },
            brackets: { type: "array", items: ref("FineBracket") },
            verifyNote: {
              type: "object",
              properties: { vi: { type: "string" }, en: { type: "string" } },
              description: "Where to check before relying on it",
            },
            entryId: { type: "string" },
            url: { type: "string" },
          },
        },
        FeedbackRequest: {
          type: "object",
          required: ["answerId", "helpful"],
          properties: {
            answerId: str("answerId of an Answer", { maxLength: 64, pattern: "^[A-Za-z0-9_-]+$" }),
            helpful: { type: "boolean" },
            comment: str(undefined, { maxLength: 1000 }),
          },
        },
      },
      responses: {
        BadRequest: {
          description: "Invalid input (the message names each bad field) or malformed JSON",
          content: json(ref("Error")),
        },
        Forbidden: { description: "A browser origin outside WIDGET_ORIGINS", content: json(ref("Error")) },
        NotFound: { description: "No such entry, answer or route", content: json(ref("Error")) },
        PayloadTooLarge: {
          description: `A message over ${options.maxMessageLength} characters, or a body over ${options.bodyLimit}`,
          content: json(ref("Error")),
        },
        UnsupportedMediaType: {
          description: "A JSON body in a charset other than UTF-8, or compressed (Content-Encoding)",
          content: json(ref("Error")),
        },
        RateLimited: {
          description: "Too many requests from this IP in the last minute",
          headers: {
            RateLimit: { schema: str(), description: "IETF RateLimit header (draft 8): remaining and reset" },
            "RateLimit-Policy": { schema: str(), description: "Quota and window" },
            "Retry-After": { schema: { type: "integer" }, description: "Seconds to wait" },
          },
          content: json(ref("Error")),
        },
        Internal: { description: "Something went wrong on the server", content: json(ref("Error")) },
      },
    },
  };
}

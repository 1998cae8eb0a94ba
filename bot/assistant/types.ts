import type { EntryType, Lang } from "../../indexer/index.ts";

/** What the assistant recognised the question as; decided from the content's structured data first. */
export const INTENTS = [
  "event",
  "lodging_deadline",
  "lodging_fine",
  "place",
  "nearby",
  "emergency",
  "greeting",
  "help",
  "info",
  "out_of_scope",
  /** A turn of a tourist report's dialogue (bot/reports/). */
  "report",
] as const;
export type Intent = (typeof INTENTS)[number];

/** A channel-neutral question: the web widget, Telegram and Zalo all translate to this. */
export type Question = {
  text: string;
  /** Follow-ups and the language choice are remembered per conversation. */
  conversationId?: string;
  /** Hashed before it is stored; never stored as given. */
  userId?: string;
  /** An explicit language wins over detection and over the conversation's earlier choice. */
  lang?: Lang;
  /** A location the user shared (Telegram and Zalo can send one). */
  location?: { lat: number; lng: number };
  /** Where the question came from, for the statistics: "web", "telegram", "zalo-oa", "cli", ... */
  channel?: string;
  /** A photo the user sent (a report's picture); read only when a report asks for one. */
  photo?: QuestionPhoto;
};

/** A photo sent with a turn: its bytes are fetched on demand, at most `maxBytes` of them. */
export type QuestionPhoto = { load(maxBytes: number): Promise<Uint8Array> };

/** An entry the answer is based on; the portal serves it at `url`. */
export type AnswerSource = { id: string; type: EntryType; title: string; url: string };

/** A point on the map. */
export type AnswerPlace = {
  id: string;
  name: string;
  lat: number;
  lng: number;
  mapUrl: string;
  /** The place's page on the portal, at its map (relative to the portal: "/attractions/…#place-map"). */
  pageUrl: string;
  approximate: boolean;
};

/** The picture of the entry an answer is about, with the credit its licence asks for. */
export type AnswerImage = {
  /** Where the portal serves it (relative: "/content-images/…" or "/media/…"). */
  url: string;
  alt: string;
  author: string;
  licence: string;
  sourceUrl: string;
};

/** What one asked thing (a frame) got: its subject, the attribute asked, and whether it was answered. */
export type FrameCoverage = {
  subject?: string;
  attribute?: string;
  status: "answered" | "unknown" | "not-understood";
};

/** The assistant's answer, rendered by each channel. `answer` is plain text (line breaks and "• " bullets). */
export type Answer = {
  /** Set when the answer was recorded; feedback attaches to it. */
  answerId?: string;
  answer: string;
  language: Lang;
  intent: Intent;
  /** 0..1: how sure retrieval is that the sources answer the question. */
  confidence: number;
  sources: AnswerSource[];
  /** Two or three follow-up questions, in the answer's language. */
  suggestions: string[];
  /** The place the answer is about, when there is one with known coordinates. */
  place?: AnswerPlace;
  /** The first picture of the entry the answer is about (its place, or its first source), when it has one. */
  image?: AnswerImage;
  /** Nearby answers: the closest places, nearest first. */
  places?: (AnswerPlace & { distanceKm: number })[];
  /** Details the assistant needs before it can answer (the lodging-deadline calculator asks for them). */
  missing?: ("guest" | "arrival" | "guests")[];
  /**
   * What the answer covered, one item per thing asked: `answered`, `unknown` (the content lacks it: a
   * content gap, with the attribute that was missing) or `not-understood` (out of scope, or not read).
   */
  coverage: FrameCoverage[];
  /** "extractive" without a model, "model" when an OpenAI-compatible model wrote the text. */
  composer: "extractive" | "model";
};

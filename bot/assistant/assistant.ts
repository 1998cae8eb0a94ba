import { randomUUID } from "node:crypto";
import {
  fold,
  type ContentEntry,
  type KnowledgeIndex,
  type Lang,
  type SearchHit,
} from "../../indexer/index.ts";
import { hashId, type Store } from "../store/index.ts";
import { buildCatalog, entryText, type Catalog } from "./find/catalog.ts";
import type { ChatModel } from "./model/chat-model.ts";
import { isoOf, localToday, resolveDateRange } from "./understand/dates.ts";
import {
  askLocationDraft,
  deadlineDraft,
  emergencyDraft,
  eventDraft,
  eventsInRangeDraft,
  greetingDraft,
  infoDraft,
  nearbyDraft,
  outOfScopeDraft,
  placeDraft,
  sourceOf,
  suggestionFor,
  unsureDraft,
  type Aspect,
  type Draft,
} from "./compose/drafts.ts";
import { buildMessages, CitationFilter, leaksRules, type Passage } from "./model/grounded.ts";
import {
  AREA,
  aspectsOf,
  asksEvent,
  asksNearby,
  asksDetails,
  asksPenalty,
  DOMAIN,
  greetingKind,
  isEmergency,
  isOffTopicTask,
  OTHER_DESTINATIONS,
  soundsLikeFollowUp,
} from "./understand/cues.ts";
import { chooseLanguage } from "./understand/language.ts";
import {
  computeDeadlines,
  DEADLINE_ASK,
  LODGING_TOPIC,
  parseDeadlineQuery,
  type DeadlineQuery,
} from "./find/lodging-deadline.ts";
import { ConversationMemory, type Turn } from "./track/memory.ts";
import { foldedPhrases, normalize } from "./understand/phrases.ts";
import type { Answer, Question } from "./types.ts";

/** The injected clock; answers about "this weekend" are resolved against it in Asia/Ho_Chi_Minh. */
export type Clock = { now(): Date };

/** A pino-compatible logger; the default is silent. */
export type Logger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export type AssistantOptions = {
  /** Longest wait for the model before the extractive answer is used. Default 15 s. */
  modelTimeoutMs?: number;
  /** How long a conversation's last turn is remembered. Default 30 min. */
  memoryTtlMs?: number;
  maxConversations?: number;
  /** Salt of the user-id hash (keep it secret and stable). */
  hashSalt?: string;
  /** Retrieval share of a question below which the assistant says it is not sure. Default 0.55. */
  minCoverage?: number;
  /** Routed questions kept for reuse (see PlanCache); 0 turns the cache off. Default 2000. */
  planCacheSize?: number;
};

export type AssistantDeps = {
  index: KnowledgeIndex;
  chatModel?: ChatModel;
  store?: Store;
  clock?: Clock;
  log?: Logger;
  options?: AssistantOptions;
};

/** What `stream` yields: text deltas, then the final Answer (whose text replaces the deltas). */
export type AnswerEvent = { type: "delta"; text: string } | { type: "answer"; answer: Answer };

export interface Assistant {
  /** Answers one question. Never throws for a model or store failure: those fall back and are logged. */
  ask(question: Question): Promise<Answer>;
  /** The same answer as text deltas followed by the final Answer. */
  stream(question: Question): AsyncIterable<AnswerEvent>;
}

const SILENT: Logger = { info() {}, warn() {}, error() {} };
const MAX_QUESTION = 2000;

/** What the routing decided: the extractive draft, and what a model may rewrite (when one is configured). */
type Plan = {
  lang: Lang;
  other: boolean;
  draft: Draft;
  /** The answer's follow-up questions (the draft's own, or ones drawn from its first source). */
  suggestions: string[];
  /** Present when a model may write the answer from these passages. */
  grounding?: { passages: Passage[]; facts: string };
  turn: Omit<Turn, "at">;
};

/** What the router decides; the suggestions are added after (see routePlan in createAssistant). */
type RoutedPlan = Omit<Plan, "suggestions">;

/** Creates the assistant. Builds its catalog from the index once (a few ms for the real content). */
export function createAssistant(deps: AssistantDeps): Assistant {
  const { index, chatModel, store } = deps;
  const clock = deps.clock ?? { now: () => new Date() };
  const log = deps.log ?? SILENT;
  const opts = {
    modelTimeoutMs: deps.options?.modelTimeoutMs ?? 15_000,
    memoryTtlMs: deps.options?.memoryTtlMs ?? 30 * 60_000,
    maxConversations: deps.options?.maxConversations ?? 10_000,
    hashSalt: deps.options?.hashSalt ?? "chau-doc",
    minCoverage: deps.options?.minCoverage ?? 0.55,
    planCacheSize: deps.options?.planCacheSize ?? 2000,
  };
  const catalog = buildCatalog(index);
  const memory = new ConversationMemory({
    ttlMs: opts.memoryTtlMs,
    maxConversations: opts.maxConversations,
    now: () => clock.now().getTime(),
  });
  const allText = fold(catalog.entries.map(entryText).join("\n"));
  const elsewhere = foldedPhrases(
    OTHER_DESTINATIONS.filter((d) => !new RegExp(`\\b${fold(d)}\\b`).test(allText)),
  );
  const router = createRouter({ index, catalog, clock, elsewhere, minCoverage: opts.minCoverage });
  const plans = new PlanCache(opts.planCacheSize);

  /** Routes a question and picks its suggestions (which depend on the plan and the date only). */
  async function routePlan(question: Question, previous: Turn | undefined): Promise<Plan> {
    const routed = await router(question, previous);
    const suggestions = routed.draft.suggestions.length
      ? routed.draft.suggestions
      : suggestionsFor(routed, catalog, clock.now());
    return { ...routed, suggestions: suggestions.slice(0, 3) };
  }

  /** The routed plan, from the cache when the same question was routed today in the same situation. */
  async function planFor(question: Question, previous: Turn | undefined): Promise<Plan> {
    // A shared location makes a question unique ("near me"); such plans are not kept.
    if (question.location || plans.capacity === 0) return routePlan(question, previous);
    const key = planKey(question, clock.now());
    const cached = plans.get(key, previous);
    if (cached) return cached;
    const { view, reads } = watchTurn(previous);
    const plan = deepFreeze(await routePlan(question, view));
    plans.set(key, { hadTurn: previous !== undefined, reads: [...reads], plan });
    return plan;
  }

  async function finish(
    question: Question,
    plan: Plan,
    text: string,
    composer: Answer["composer"],
    sources: Answer["sources"],
    started: number,
  ): Promise<Answer> {
    const answerId = randomUUID();
    const answer: Answer = {
      ...plan.draft,
      answerId,
      answer: plan.other ? `${OTHER_LANGUAGE_NOTE}\n${text}` : text,
      language: plan.lang,
      sources,
      suggestions: plan.suggestions,
      composer,
    };
    memory.set(question.conversationId, plan.turn);
    if (store) {
      try {
        await store.recordInteraction({
          answerId,
          at: clock.now().toISOString(),
          channel: question.channel ?? "unknown",
          ...(question.conversationId
            ? { conversationHash: hashId(question.conversationId, opts.hashSalt) }
            : {}),
          ...(question.userId ? { userHash: hashId(question.userId, opts.hashSalt) } : {}),
          question: question.text.slice(0, MAX_QUESTION),
          language: answer.language,
          intent: answer.intent,
          confidence: answer.confidence,
          sources: answer.sources.map((s) => s.id),
          answer: answer.answer,
          composer,
          latencyMs: Math.round(performance.now() - started),
        });
      } catch (err) {
        // The user still gets the answer; the record is lost and the log says so.
        log.error({ err, answerId }, "store: could not record the interaction");
        delete answer.answerId;
      }
    }
    return answer;
  }

  function messagesFor(question: Question, plan: Plan, previous: Turn | undefined) {
    const g = plan.grounding as NonNullable<Plan["grounding"]>;
    return buildMessages({
      question: question.text.slice(0, MAX_QUESTION),
      ...(previous ? { previous: previous.question } : {}),
      lang: plan.lang,
      facts: g.facts,
      passages: g.passages,
    });
  }

  function citedSources(plan: Plan, cited: number[]): Answer["sources"] | undefined {
    const ids = [
      ...new Set(cited.map((n) => plan.grounding?.passages[n - 1]?.id).filter((id): id is string => !!id)),
    ];
    const sources = ids.map((id) => catalog.get(id)).filter((e): e is ContentEntry => !!e);
    if (sources.length === 0) return undefined;
    return sources.map((e) => sourceOf(e, plan.lang));
  }

  return {
    async ask(question) {
      const started = performance.now();
      const previous = memory.get(question.conversationId);
      const plan = await planFor(question, previous);
      if (chatModel && plan.grounding) {
        const signal = AbortSignal.timeout(opts.modelTimeoutMs);
        try {
          const reply = await chatModel.complete(messagesFor(question, plan, previous), {
            signal,
            maxTokens: 400,
          });
          const filter = new CitationFilter(plan.grounding.passages.length);
          const text = (filter.push(reply) + filter.flush()).trim();
          const sources = citedSources(plan, filter.cited);
          if (text && sources && !leaksRules(reply))
            return finish(question, plan, text, "model", sources, started);
          log.warn(
            { model: chatModel.id },
            "model reply without citations or quoting its rules: extractive answer used",
          );
        } catch (err) {
          log.warn({ err: errorSummary(err), model: chatModel.id }, "model failed: extractive answer used");
        }
      }
      return finish(question, plan, plan.draft.answer, "extractive", plan.draft.sources, started);
    },

    async *stream(question) {
      const started = performance.now();
      const previous = memory.get(question.conversationId);
      const plan = await planFor(question, previous);
      if (chatModel && plan.grounding) {
        const filter = new CitationFilter(plan.grounding.passages.length);
        let text = "";
        let raw = "";
        try {
          const signal = AbortSignal.timeout(opts.modelTimeoutMs);
          if (plan.other) yield { type: "delta", text: `${OTHER_LANGUAGE_NOTE}\n` };
          for await (const delta of chatModel.stream(messagesFor(question, plan, previous), {
            signal,
            maxTokens: 400,
          })) {
            raw += delta;
            if (leaksRules(raw)) throw new Error("reply quotes the rules");
            const shown = filter.push(delta);
            text += shown;
            if (shown) yield { type: "delta", text: shown };
          }
          const rest = filter.flush();
          text += rest;
          if (rest) yield { type: "delta", text: rest };
          const sources = citedSources(plan, filter.cited);
          if (text.trim() && sources) {
            yield {
              type: "answer",
              answer: await finish(question, plan, text.trim(), "model", sources, started),
            };
            return;
          }
          log.warn({ model: chatModel.id }, "streamed reply without citations: extractive answer used");
        } catch (err) {
          log.warn(
            { err: errorSummary(err), model: chatModel.id },
            "model stream failed: extractive answer used",
          );
        }
        // The final Answer replaces whatever was streamed.
        yield {
          type: "answer",
          answer: await finish(question, plan, plan.draft.answer, "extractive", plan.draft.sources, started),
        };
        return;
      }
      const answer = await finish(
        question,
        plan,
        plan.draft.answer,
        "extractive",
        plan.draft.sources,
        started,
      );
      for (const line of answer.answer.split(/(?<=\n)/)) yield { type: "delta", text: line };
      yield { type: "answer", answer };
    },
  };
}

/**
 * Routed plans of recent questions, least recently used dropped first. Visitors ask the same few things
 * (the temple's hours, the festival's dates, the registration deadline) over and over, and routing is
 * most of the work of an answer without a model. A plan is a pure function of the question's text and
 * language, the date in Vietnam (the only thing of the clock that routing reads), the index, and the
 * fields of the conversation's remembered turn that routing read. The key holds the first three; each
 * plan is kept with the turn fields it read and their values, and serves a later question only when its
 * turn has the same values there (a question that names its subject reads little of the turn, so it is
 * shared across conversations; "còn năm 2028?" reads the turn's entry, so it is not).
 *
 * Each assistant has its own cache, and a republished index makes a new assistant, so a plan never
 * outlives the content it was made from. Cached plans are frozen: an answer built from one cannot change
 * it for the next visitor.
 */
export class PlanCache {
  private readonly items = new Map<string, CachedPlan[]>();

  constructor(
    readonly capacity: number,
    /** Plans kept per key, for different remembered turns. */
    private readonly variants = 8,
  ) {}

  get(key: string, turn: Turn | undefined): Plan | undefined {
    const list = this.items.get(key);
    const found = list?.find(
      (c) =>
        c.hadTurn === (turn !== undefined) &&
        c.reads.every(([field, value]) => fieldValue(turn, field) === value),
    );
    if (!list || !found) return undefined;
    // Most recently used at the end of the Map's insertion order.
    this.items.delete(key);
    this.items.set(key, list);
    return found.plan;
  }

  set(key: string, cached: CachedPlan): void {
    if (this.capacity <= 0) return;
    const list = this.items.get(key) ?? [];
    this.items.delete(key);
    this.items.set(key, [cached, ...list].slice(0, this.variants));
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value as string);
  }

  get size(): number {
    return this.items.size;
  }
}

/** A plan, whether there was a remembered turn, and the turn's fields that routing read, with their values. */
type CachedPlan = { hadTurn: boolean; reads: [string, string][]; plan: Plan };

function fieldValue(turn: Turn | undefined, field: string): string {
  return JSON.stringify((turn as Record<string, unknown> | undefined)?.[field]) ?? "undefined";
}

/** The question's part of a plan's key: the date in Vietnam, the language asked for and the text. */
function planKey(question: Question, now: Date): string {
  return `${isoOf(localToday(now))}\u0000${question.lang ?? ""}\u0000${question.text}`;
}

/** A view of the remembered turn that notes each field read, with the value it had. */
function watchTurn(turn: Turn | undefined): { view: Turn | undefined; reads: Map<string, string> } {
  const reads = new Map<string, string>();
  if (!turn) return { view: undefined, reads };
  const view = new Proxy(turn, {
    get(target, field, receiver) {
      if (typeof field === "string") reads.set(field, fieldValue(target, field));
      return Reflect.get(target, field, receiver);
    },
  });
  return { view, reads };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const OTHER_LANGUAGE_NOTE = "(I answer in Vietnamese and English; here is my answer in English.)";

function errorSummary(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function suggestionsFor(plan: RoutedPlan, catalog: Catalog, now: Date): string[] {
  const first = plan.draft.sources[0];
  const entry = first ? catalog.get(first.id) : undefined;
  if (!entry) return [];
  const year = localToday(now).year + 1;
  const related = entry.related
    .map((id) => catalog.get(id))
    .filter((e): e is ContentEntry => !!e)
    .map((e) => suggestionFor(e, plan.lang, e.type === "event" ? year : undefined));
  const own: string[] = [];
  if (entry.type === "attraction") {
    const asked = new Set(plan.turn.aspects ?? []);
    if (!asked.has("hours")) own.push(plan.lang === "vi" ? "Mấy giờ mở cửa?" : "What are the opening hours?");
    if (!asked.has("getting-there"))
      own.push(plan.lang === "vi" ? "Đi đến đó như thế nào?" : "How do I get there?");
  }
  return [...own, ...related].slice(0, 3);
}

// ---------------------------------------------------------------- routing

type RouterDeps = {
  index: KnowledgeIndex;
  catalog: Catalog;
  clock: Clock;
  elsewhere: ReturnType<typeof foldedPhrases>;
  minCoverage: number;
};

/** Question → Plan: language, intent and the extractive answer, decided from structured data first. */
function createRouter(d: RouterDeps) {
  const { index, catalog } = d;
  const emergencyEntry = catalog.entries.find(
    (e) => e.type === "practical" && e.practical.topic === "emergency",
  );

  return async function route(question: Question, previous: Turn | undefined): Promise<RoutedPlan> {
    const text = question.text.normalize("NFC").trim().slice(0, MAX_QUESTION);
    // Routing reads the remembered turn only where it needs to (see PlanCache): each field read makes
    // the plan specific to turns with that value.
    const choice = chooseLanguage(text, question.lang, () => previous?.lang);
    const lang = choice.lang;
    const n = normalize(text);
    const plan = (
      draft: Draft,
      turn: Partial<Omit<Turn, "at">> = {},
      grounding?: Plan["grounding"],
    ): RoutedPlan => ({
      lang,
      other: choice.other,
      draft,
      ...(grounding ? { grounding } : {}),
      turn: { lang, question: text, intent: draft.intent, ...turn },
    });

    if (isEmergency(n))
      return plan(emergencyDraft(emergencyEntry?.type === "practical" ? emergencyEntry : undefined, lang));
    const greeting = greetingKind(n);
    if (question.location && (text === "" || asksNearby(n) || greeting))
      return plan(nearbyDraft(catalog.entries, question.location, lang));
    if (greeting) return plan(greetingDraft(lang, greeting));
    const nameMatches = catalog.namedEntries(n.folded);
    if (asksNearby(n) && nameMatches.length === 0) return plan(askLocationDraft(lang));

    // Lodging deadline: asked directly, or details for the previous deadline question ("còn khách Việt Nam?").
    const details = parseDeadlineQuery(n);
    const deadlineWords = DEADLINE_ASK.test(n.folded) || details.arrival !== undefined;
    const asksDeadline = (LODGING_TOPIC.test(n.folded) || details.guest !== undefined) && deadlineWords;
    const hasDetails =
      details.guest !== undefined ||
      details.arrival !== undefined ||
      details.method !== undefined ||
      details.remote !== undefined;
    const last = hasDetails && previous?.intent === "lodging_deadline" ? previous.deadline : undefined;
    const continuesDeadline = last !== undefined;
    if (asksDeadline || continuesDeadline) {
      const q: DeadlineQuery = { ...(continuesDeadline ? last : {}), ...details };
      const computed = q.guest ? computeDeadlines(catalog.entries, { ...q, guest: q.guest }) : [];
      const draft = deadlineDraft(catalog.entries, q, computed, lang);
      return plan(draft, { deadline: q });
    }

    const today = isoOf(localToday(d.clock.now()));
    const range = resolveDateRange(text, d.clock.now());
    const dayRange = range !== undefined && ["day", "weekend", "week"].includes(range.kind);
    if (isOffTopicTask(n, dayRange)) return plan(outOfScopeDraft(lang));
    const named = nameMatches.map((m) => catalog.get(m.id)).filter((e): e is ContentEntry => !!e);
    const eventWords = asksEvent(n);
    const eventAsk = eventWords || range !== undefined;
    const aspects = aspectsOf(n);
    const followUp =
      !named.length &&
      previous?.entryId !== undefined &&
      (soundsLikeFollowUp(n) || aspects.length > 0 || (range !== undefined && previous.intent === "event"));
    const previousEntry = followUp && previous?.entryId ? catalog.get(previous.entryId) : undefined;

    // Events: a named event (or the one of the previous turn), or what is on in a period.
    const namedEvent =
      named.find((e) => e.type === "event") ?? (previousEntry?.type === "event" ? previousEntry : undefined);
    const namedOther = named.find((e) => e.type !== "event");
    if (
      namedEvent?.type === "event" &&
      (eventAsk || (!namedOther && onlyNames(n.folded, nameMatches, catalog)))
    ) {
      const from = range && range.kind !== "upcoming" ? range.from : today;
      const to = range && range.kind !== "upcoming" ? range.to : addDays(today, 400);
      const all = index.eventsBetween(from, to).filter((o) => o.eventId === namedEvent.id);
      const shown = range && range.kind !== "upcoming" ? all : all.slice(0, 1);
      const draft = eventDraft(namedEvent, shown, lang, {
        ...(range ? { label: range.label[lang] } : {}),
        today,
      });
      return plan(draft, { entryId: namedEvent.id }, groundingFor(namedEvent, draft, [], lang));
    }
    if (range && !namedOther && eventWords) {
      const occurrences = index.eventsBetween(range.from, range.to);
      const next = occurrences.length
        ? []
        : index.eventsBetween(range.to, addDays(range.to, 365)).slice(0, 3);
      return plan(eventsInRangeDraft(range.label[lang], occurrences, next, catalog.get, lang), {});
    }

    // Everything else: retrieval, then the entry's structured fields.
    const query = previousEntry && !named.length ? `${previousEntry.title[lang]} ${text}` : text;
    const hits = query.trim() ? await index.search(query, { k: 5, lang }) : [];
    // Several entries may share a name ("mắm thái": the market and the food): the better-ranked one wins.
    const subject =
      hits.map((h) => named.find((e) => e.id === h.id)).find((e) => e) ?? named[0] ?? previousEntry;
    const carriedAspects =
      !aspects.length && named.length && soundsLikeFollowUp(n) && previous?.aspects?.length
        ? (previous.aspects as Aspect[])
        : aspects;
    const terms = catalog.questionTerms(text);
    const coverage = (id: string) => catalog.coverage(terms, id);
    const best = hits.reduce((m, h) => Math.max(m, coverage(h.id)), 0);
    const inArea = AREA.test(n.folded) || named.length > 0;

    if (!subject) {
      if (d.elsewhere.test(n.folded) && !inArea) return plan(outOfScopeDraft(lang));
      if (best < d.minCoverage) {
        const domain = DOMAIN.test(n.folded) || inArea;
        if (!domain && best < 0.34) return plan(outOfScopeDraft(lang));
        const candidates = hits
          .slice(0, 3)
          .map((h) => catalog.get(h.id))
          .filter((e): e is ContentEntry => !!e);
        return plan(unsureDraft(domain ? candidates : [], lang), {
          ...(candidates[0] ? { entryId: candidates[0].id } : {}),
        });
      }
    }
    const entry = subject ?? catalog.get((hits[0] as SearchHit).id);
    if (!entry) return plan(outOfScopeDraft(lang));
    const hit = hits.find((h) => h.id === entry.id);
    const confidence = subject ? 0.9 : Math.min(0.95, best);
    let draft: Draft;
    if (entry.type === "attraction") draft = placeDraft(entry, carriedAspects, lang, question.location);
    else if (entry.type === "event") {
      const next = index
        .eventsBetween(today, addDays(today, 400))
        .filter((o) => o.eventId === entry.id)
        .slice(0, 1);
      draft = eventDraft(entry, next, lang, { today });
    } else draft = infoDraft(entry, hit, lang, { penalties: asksPenalty(n), details: asksDetails(n) });
    draft = { ...draft, confidence };
    const others = hits.filter((h) => h.id !== entry.id && coverage(h.id) >= d.minCoverage).slice(0, 2);
    return plan(
      draft,
      { entryId: entry.id, aspects: carriedAspects },
      groundingFor(entry, draft, others, lang),
    );
  };

  function groundingFor(
    entry: ContentEntry,
    draft: Draft,
    others: SearchHit[],
    lang: Lang,
  ): Plan["grounding"] {
    const passages: Passage[] = [
      { id: entry.id, title: entry.title[lang], text: `${draft.answer}\n${entry.body[lang]}` },
      ...others.map((h) => ({ id: h.id, title: h.title, text: h.passage.text })),
    ];
    return { passages, facts: draft.answer };
  }
}

/** True when the question is little more than an entry's name ("Tết Khmer?", "Ok Om Bok"). */
function onlyNames(folded: string, matches: { name: string }[], catalog: Catalog): boolean {
  let rest = folded;
  for (const m of matches) rest = rest.replace(m.name, " ");
  return catalog.questionTerms(rest).length <= 1;
}

function addDays(iso: string, days: number): string {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

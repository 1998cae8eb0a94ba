import { randomUUID } from "node:crypto";
import { fold, imageUrl, type ContentEntry, type KnowledgeIndex, type Lang } from "../../indexer/index.ts";
import { hashId, type Store } from "../store/index.ts";
import {
  askLocationDraft,
  composeFindings,
  emergencyDraft,
  greetingDraft,
  nearbyDraft,
  outOfScopeDraft,
  sourceOf,
  suggestionFor,
  type Draft,
} from "./compose/index.ts";
import {
  buildCatalog,
  buildFactIndex,
  createFinder,
  entryText,
  hhmm,
  type Catalog,
  type Finding,
} from "./find/index.ts";
import type { ChatModel } from "./model/chat-model.ts";
import { buildMessages, CitationFilter, leaksRules, type Passage } from "./model/grounded.ts";
import type * as ToolLoopModule from "./model/tool-loop.ts";
import type { LazyToolModel, ToolCallingModel, ToolLoop, ToolLoopInput } from "./model/tool-loop.ts";
import {
  framesFor,
  memoryDialogue,
  type DialogueStore,
  INITIAL_STATE,
  reduce,
  type DialogueState,
  type Frame,
  type TrackedTurn,
} from "./track/index.ts";
import type { Answer, AnswerImage, FrameCoverage, Question } from "./types.ts";
import {
  foldedPhrases,
  isoOf,
  localToday,
  MAX_QUESTION,
  OTHER_DESTINATIONS,
  understandTurn,
  type Reading,
  type SmallTalk,
} from "./understand/index.ts";

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
  /** Model calls per answer on the tool-calling path, the answering one included. Default 4. */
  maxModelSteps?: number;
};

export type AssistantDeps = {
  index: KnowledgeIndex;
  chatModel?: ChatModel;
  /**
   * A LangChain chat model that calls tools (ChatOpenAI), or one made on first use: when given, it
   * answers instead of chatModel (see model/tool-loop.ts).
   */
  toolModel?: ToolCallingModel | LazyToolModel;
  store?: Store;
  clock?: Clock;
  log?: Logger;
  options?: AssistantOptions;
  /** Turns handled before the normal answering (tourist reports, bot/reports/). */
  beforeAnswer?: TurnHook;
  /**
   * Where each conversation's dialogue state is kept between turns: openPostgresDialogue(pool) with
   * replicas; in this process by default (memoryTtlMs, maxConversations).
   */
  dialogue?: DialogueStore;
};

/**
 * A turn handled before the normal answering: undefined lets the assistant answer it; otherwise the
 * answer and the turn as the dialogue state records it (with its report events). `answer` is the normal
 * answering, for a hook that answers first and adds to it (an emergency in the middle of a report).
 */
export type TurnHook = (turn: {
  question: Question;
  state: DialogueState;
  answer(question: Question): Promise<Answer>;
}) => Promise<{ answer: Answer; turn?: TrackedTurn } | undefined>;

/** What `stream` yields: text deltas, then the final Answer (whose text replaces the deltas). */
export type AnswerEvent = { type: "delta"; text: string } | { type: "answer"; answer: Answer };

export interface Assistant {
  /** Answers one question. Never throws for a model or store failure: those fall back and are logged. */
  ask(question: Question): Promise<Answer>;
  /** The same answer as text deltas followed by the final Answer. */
  stream(question: Question): AsyncIterable<AnswerEvent>;
}

const SILENT: Logger = { info() {}, warn() {}, error() {} };

/**
 * What answering a turn decided: the extractive draft, what a model may rewrite (when one is configured),
 * and the turn as the dialogue state records it.
 */
type Plan = {
  lang: Lang;
  other: boolean;
  draft: Draft & { coverage: FrameCoverage[] };
  /** The answer's follow-up questions (the draft's own, or ones drawn from its first source). */
  suggestions: string[];
  /** Present when a model may write the answer from these passages. */
  grounding?: { passages: Passage[]; facts: string };
  turn: TrackedTurn;
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
    maxModelSteps: deps.options?.maxModelSteps ?? 4,
  };
  const catalog = buildCatalog(index);
  const dialogue =
    deps.dialogue ??
    memoryDialogue({
      ttlMs: opts.memoryTtlMs,
      maxConversations: opts.maxConversations,
      now: () => clock.now().getTime(),
    });
  /** Each turn's state as read at its start: read once per turn, written once (in finish). */
  const turnStates = new WeakMap<Question, DialogueState | undefined>();

  /**
   * The state a question is answered against, read from the dialogue store once per question. A store
   * that fails makes the turn a new conversation (logged), never an error.
   */
  async function stateOf(question: Question): Promise<DialogueState | undefined> {
    if (turnStates.has(question)) return turnStates.get(question);
    let state: DialogueState | undefined;
    if (question.conversationId) {
      try {
        state = await dialogue.get(question.conversationId);
      } catch (err) {
        log.warn({ err }, "dialogue store: could not read the state; answered as a new conversation");
      }
    }
    turnStates.set(question, state);
    return state;
  }

  /** Keeps a conversation's new state (a store that fails loses it: logged, the answer still goes). */
  async function keepState(question: Question, state: DialogueState): Promise<void> {
    turnStates.set(question, state);
    if (!question.conversationId) return;
    try {
      await dialogue.set(question.conversationId, state);
    } catch (err) {
      log.warn({ err }, "dialogue store: could not keep the state");
    }
  }
  const allText = fold(catalog.entries.map(entryText).join("\n"));
  const elsewhere = foldedPhrases(
    OTHER_DESTINATIONS.filter((d) => !new RegExp(`\\b${fold(d)}\\b`).test(allText)),
  );
  const facts = buildFactIndex(catalog.entries);
  const today = () => isoOf(localToday(clock.now()));
  const destinations = foldedPhrases(OTHER_DESTINATIONS);
  const finder = createFinder({
    index,
    catalog,
    facts,
    elsewhere,
    destinations,
    minCoverage: opts.minCoverage,
    today,
  });
  const router = createRouter({ catalog, clock, finder, today });
  const plans = new PlanCache(opts.planCacheSize);
  const tools = deps.toolModel ? toolPath(deps.toolModel, opts.maxModelSteps) : undefined;
  let toolsReady: Promise<ToolPath> | undefined;

  /** Routes a question and picks its suggestions (which depend on the plan and the date only). */
  async function routePlan(question: Question, previous: DialogueState | undefined): Promise<Plan> {
    const routed = await router(question, previous);
    const suggestions = routed.draft.suggestions.length
      ? routed.draft.suggestions
      : suggestionsFor(routed, catalog, clock.now());
    return { ...routed, suggestions: suggestions.slice(0, 3) };
  }

  /** The routed plan, from the cache when the same question was routed today in the same situation. */
  async function planFor(question: Question, previous: DialogueState | undefined): Promise<Plan> {
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
    const image = imageOf(plan, sources);
    const answer: Answer = {
      ...plan.draft,
      answerId,
      answer: plan.other ? `${OTHER_LANGUAGE_NOTE}\n${text}` : text,
      language: plan.lang,
      sources,
      suggestions: plan.suggestions,
      ...(image ? { image } : {}),
      composer,
    };
    await keepState(question, reduce(previousState(question) ?? INITIAL_STATE, plan.turn));
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
          coverage: answer.coverage,
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

  /**
   * The picture of the entry an answer is about: its place, or the first source of an answer about one
   * place, event or topic (not of a list of nearby places, a greeting or a lodging calculation).
   */
  function imageOf(plan: Plan, sources: Answer["sources"]): AnswerImage | undefined {
    if (!["place", "event", "info"].includes(plan.draft.intent)) return undefined;
    const id = plan.draft.place?.id ?? sources[0]?.id;
    const image = id === undefined ? undefined : catalog.get(id)?.images[0];
    if (!image) return undefined;
    return {
      url: imageUrl(image),
      alt: image.alt[plan.lang],
      author: image.author,
      licence: image.licence,
      sourceUrl: image.sourceUrl,
    };
  }

  /** The state a question was answered against (as read at the start of its turn). */
  function previousState(question: Question): DialogueState | undefined {
    return turnStates.get(question);
  }

  function messagesFor(question: Question, plan: Plan, previous: DialogueState | undefined) {
    const g = plan.grounding as NonNullable<Plan["grounding"]>;
    const before = previous?.question;
    return buildMessages({
      question: question.text.slice(0, MAX_QUESTION),
      ...(before ? { previous: before } : {}),
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

  // ---------------------------------------------------------------- the tool-calling model path

  /**
   * The loops of each answer language, and the loop's helpers, loaded on first use: an assistant
   * without a tool model never loads LangChain.
   */
  function toolPath(model: ToolCallingModel | LazyToolModel, maxSteps: number): () => Promise<ToolPath> {
    return () =>
      (toolsReady ??= (async () => {
        const loop = await import("./model/tool-loop.ts");
        const chat = "load" in model ? await model.load() : model;
        return { ...loop, loops: loop.createToolLoops(chat, index, { maxSteps }) };
      })());
  }

  /** The tool path, or undefined (logged) when it cannot be loaded: the extractive answer is sent. */
  async function readyTools(): Promise<ToolPath | undefined> {
    try {
      return await tools?.();
    } catch (err) {
      toolsReady = undefined;
      log.error({ err: errorSummary(err) }, "tool-calling model could not be loaded: extractive answer used");
      return undefined;
    }
  }

  /** Questions in scope that the content answers at least in part; refusals and small talk never. */
  function usesTools(plan: Plan): boolean {
    return (plan.turn.act === "question" || plan.turn.act === "correction") && plan.draft.sources.length > 0;
  }

  /** The loop's seed: the question, the dialogue state after this turn, and the extractive draft. */
  function toolInputFor(question: Question, plan: Plan, previous: DialogueState | undefined): ToolLoopInput {
    const state = reduce(previous ?? INITIAL_STATE, plan.turn);
    const subject = state.subject ? catalog.get(state.subject) : undefined;
    const { arrival, ...lodging } = state.lodging;
    const iso = today();
    return {
      question: question.text.slice(0, MAX_QUESTION),
      lang: plan.lang,
      today: { iso, weekday: new Date(`${iso}T12:00:00Z`).toLocaleDateString("en", { weekday: "long" }) },
      state: {
        ...(previous?.question ? { previousQuestion: previous.question } : {}),
        ...(subject ? { subject: { id: subject.id, title: subject.title[plan.lang] } } : {}),
        lodging: {
          ...lodging,
          ...(arrival !== undefined ? { arrival: `${hhmm(arrival)} (HH:MM)` } : {}),
        },
      },
      draft: { text: plan.draft.answer, entries: plan.draft.sources.map((s) => s.id) },
    };
  }

  function sourcesOf(ids: string[], lang: Lang): Answer["sources"] {
    return ids
      .map((id) => catalog.get(id))
      .filter((e): e is ContentEntry => !!e)
      .map((e) => sourceOf(e, lang));
  }

  // ---------------------------------------------------------------- answers

  /** The hook's answer to a turn, with its turn reduced into the conversation's state; else undefined. */
  async function hooked(question: Question): Promise<Answer | undefined> {
    if (!deps.beforeAnswer) return undefined;
    const state = await stateOf(question);
    let answered: Question | undefined;
    const reply = await deps.beforeAnswer({
      question,
      state: state ?? INITIAL_STATE,
      answer: (q) => {
        answered = q;
        return answerQuestion(q);
      },
    });
    if (!reply) return undefined;
    // `answer` may have recorded a turn of its own meanwhile: the state it kept is the one to extend.
    if (reply.turn) {
      const latest =
        answered !== undefined && answered.conversationId === question.conversationId
          ? turnStates.get(answered)
          : state;
      await keepState(question, reduce(latest ?? INITIAL_STATE, reply.turn));
    }
    return reply.answer;
  }

  async function answerQuestion(question: Question): Promise<Answer> {
    {
      const started = performance.now();
      const previous = await stateOf(question);
      const plan = await planFor(question, previous);
      const t = tools && usesTools(plan) ? await readyTools() : undefined;
      if (t) {
        const result = await t.drain(
          t.answerWithTools(t.loops[plan.lang], toolInputFor(question, plan, previous), {
            timeoutMs: opts.modelTimeoutMs,
            stream: false,
            log,
          }),
        );
        if (result)
          return finish(question, plan, result.text, "model", sourcesOf(result.cited, plan.lang), started);
        return finish(question, plan, plan.draft.answer, "extractive", plan.draft.sources, started);
      }
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
    }
  }

  return {
    async ask(question) {
      // A new turn (a caller may ask with the same object again): its state is read afresh.
      turnStates.delete(question);
      return (await hooked(question)) ?? answerQuestion(question);
    },

    async *stream(question) {
      turnStates.delete(question);
      const own = await hooked(question);
      if (own) {
        for (const line of own.answer.split(/(?<=\n)/)) yield { type: "delta", text: line };
        yield { type: "answer", answer: own };
        return;
      }
      const started = performance.now();
      const previous = await stateOf(question);
      const plan = await planFor(question, previous);
      const t = tools && usesTools(plan) ? await readyTools() : undefined;
      if (t) {
        if (plan.other) yield { type: "delta", text: `${OTHER_LANGUAGE_NOTE}\n` };
        const run = t.answerWithTools(t.loops[plan.lang], toolInputFor(question, plan, previous), {
          timeoutMs: opts.modelTimeoutMs,
          stream: true,
          log,
        });
        let step = await run.next();
        for (; !step.done; step = await run.next()) yield { type: "delta", text: step.value };
        const result = step.value;
        // The final Answer replaces whatever was streamed.
        yield {
          type: "answer",
          answer: result
            ? await finish(question, plan, result.text, "model", sourcesOf(result.cited, plan.lang), started)
            : await finish(question, plan, plan.draft.answer, "extractive", plan.draft.sources, started),
        };
        return;
      }
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

  get(key: string, turn: DialogueState | undefined): Plan | undefined {
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

/** The tool-calling path once loaded: the loops of each language and the loop module's helpers. */
type ToolPath = typeof ToolLoopModule & { loops: Record<Lang, ToolLoop> };

/** A plan, whether there was a remembered turn, and the turn's fields that routing read, with their values. */
type CachedPlan = { hadTurn: boolean; reads: [string, string][]; plan: Plan };

function fieldValue(turn: DialogueState | undefined, field: string): string {
  return JSON.stringify((turn as Record<string, unknown> | undefined)?.[field]) ?? "undefined";
}

/** The question's part of a plan's key: the date in Vietnam, the language asked for and the text. */
function planKey(question: Question, now: Date): string {
  return `${isoOf(localToday(now))}\u0000${question.lang ?? ""}\u0000${question.text}`;
}

/** A view of the remembered turn that notes each field read, with the value it had. */
function watchTurn(turn: DialogueState | undefined): {
  view: DialogueState | undefined;
  reads: Map<string, string>;
} {
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
  const asked = new Set(plan.turn.answered.flatMap((f) => f.attributes));
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
    if (!asked.has("hours")) own.push(plan.lang === "vi" ? "Mấy giờ mở cửa?" : "What are the opening hours?");
    if (!asked.has("getting-there") && !asked.has("distance"))
      own.push(plan.lang === "vi" ? "Đi đến đó như thế nào?" : "How do I get there?");
  }
  return [...own, ...related].slice(0, 3);
}

// ---------------------------------------------------------------- routing

type RouterDeps = {
  catalog: Catalog;
  clock: Clock;
  finder: ReturnType<typeof createFinder>;
  today: () => string;
};

/**
 * A turn → its plan: understand the text, resolve its frames against the dialogue state, find the facts
 * of each frame, compose. Reads the state only through `framesFor` and the language (see PlanCache).
 */
function createRouter(d: RouterDeps) {
  const { catalog } = d;
  const emergencyEntry = catalog.entries.find(
    (e) => e.type === "practical" && e.practical.topic === "emergency",
  );

  return async function route(question: Question, state: DialogueState | undefined): Promise<RoutedPlan> {
    const reading = understandTurn(question.text, {
      now: d.clock.now(),
      lexicon: catalog,
      ...(question.lang ? { lang: question.lang } : {}),
      remembered: () => state?.lang,
      hasLocation: question.location !== undefined,
    });
    const lang = reading.language.lang;
    const plan = (draft: Draft, answered: Frame[] = [], coverage: FrameCoverage[] = []): RoutedPlan => ({
      lang,
      other: reading.language.other,
      draft: {
        ...draft,
        coverage: "coverage" in draft ? (draft as { coverage: FrameCoverage[] }).coverage : coverage,
      },
      turn: { act: reading.act, lang, text: reading.text, answered },
    });

    switch (reading.act) {
      case "emergency":
        return plan(
          emergencyDraft(emergencyEntry?.type === "practical" ? emergencyEntry : undefined, lang),
          [],
          [
            {
              ...(emergencyEntry ? { subject: emergencyEntry.id } : {}),
              attribute: "contact",
              status: "answered",
            },
          ],
        );
      case "nearby":
        return question.location
          ? plan(
              nearbyDraft(catalog.entries, question.location, lang),
              [],
              [{ attribute: "where", status: "answered" }],
            )
          : plan(askLocationDraft(lang), [], [{ attribute: "where", status: "not-understood" }]);
      case "greeting":
      case "help":
        return plan(greetingDraft(lang, reading.act));
      case "thanks":
        return plan(thanksDraft(lang, state, catalog));
      case "smalltalk":
        return plan(smallTalkDraft(lang, reading.smallTalk ?? "reaction", state, catalog));
      case "out-of-scope":
        return plan(outOfScopeDraft(lang), [], [{ status: "not-understood" }]);
      default:
        break;
    }
    const frames = framesFor(state ?? INITIAL_STATE, reading);
    // Frames are found in order: a clause that names nothing after one whose subject search found
    // ("did the rules change with law 118? what's different?") leans on that subject, as find confirms.
    const findings: Finding[] = [];
    for (const [i, f] of frames.entries()) {
      const previous = frames[i - 1];
      const before = previous ? entryFoundFor(previous, findings) : undefined;
      // So does one that would lean on the conversation's subject: the turn's own comes first.
      const fromConversation =
        f.subjectSource === "weak" ||
        f.subjectSource === "conversation" ||
        // The subject of the clause before, which itself came from the conversation.
        (f.subjectSource === "turn" && previous?.subjectSource !== "named");
      // The clause before was placed by search, or find moved it off the subject it was given.
      const searched =
        i > 0 &&
        (previous?.subjectSource === undefined || (before !== undefined && before !== previous.subject));
      const leans = before && (!f.subject || (fromConversation && searched && f.subject !== before));
      const frame: Frame = leans
        ? {
            ...f,
            subject: before,
            subjectSource: f.subjectSource === "conversation" ? "conversation" : "weak",
          }
        : // A topic page named after a place ("Trà Sư …, best season đi là khi nào?"): find may ask it of
          // the place (the subject before, as for a season named as a time).
          before && f.subjectSource === "named" && f.subject !== before
          ? { ...f, previousSubject: before }
          : f;
      frames[i] = frame;
      findings.push(...(await d.finder(frame, reading, lang)));
    }
    const draft = composeFindings(findings, {
      lang,
      get: catalog.get,
      entries: catalog.entries,
      today: d.today(),
      ...(question.location ? { location: question.location } : {}),
    });
    const answered = frames.map((f) => settled(f, findings));
    const routed = plan(draft, answered.some((f) => f.subject || f.attributes.length) ? answered : []);
    const grounding = groundingFor(findings, draft, lang);
    return grounding ? { ...routed, grounding } : routed;
  };

  /** The frame with the subject find settled on (a searched subject becomes the conversation's). */
  function settled(frame: Frame, findings: Finding[]): Frame {
    const own = findings.filter((f) => f.frame === frame);
    const entryId = entryFoundFor(frame, own);
    // What was answered: a "khi nào?" read as a deadline is a deadline question from now on.
    const answeredAs = own.flatMap((f): Frame["attributes"] =>
      f.kind === "deadline"
        ? ["deadline"]
        : f.kind === "fine"
          ? ["fine"]
          : f.kind === "lodging-field"
            ? [f.attribute]
            : [],
    );
    const lodgingTopic =
      answeredAs.length > 0 || (entryId !== undefined && catalog.get(entryId)?.type === "lodging-rule");
    const attributes = answeredAs.length
      ? [...new Set([...answeredAs, ...frame.attributes.filter((a) => a !== "dates" && a !== "hours")])]
      : frame.attributes;
    const base = { ...frame, attributes, ...(lodgingTopic ? { lodgingTopic } : {}) };
    if (entryId) return { ...base, subject: entryId };
    if (!own.some((f) => f.kind === "out-of-scope")) return base;
    // A refused part leaves the conversation's subject as it was.
    const rest = { ...base };
    delete rest.subject;
    return rest;
  }

  /** The entry a finding is about (a computed deadline or fine: the rule it applies). */
  /** The entry find settled on for a frame: the first of its findings that has one. */
  function entryFoundFor(frame: Frame, findings: Finding[]): string | undefined {
    return findings
      .filter((f) => f.frame === frame)
      .map(entryOf)
      .find((id) => id);
  }

  function entryOf(f: Finding): string | undefined {
    if ("entryId" in f && f.entryId) return f.entryId;
    if (f.kind === "deadline") return f.computed[0]?.entryId;
    if (f.kind === "fine") return f.fine?.entryId ?? f.both?.[0]?.entryId;
    return undefined;
  }

  /**
   * What a model may write the answer from: the entries the findings come from, and a few related ones.
   * Computed answers (deadlines, fines, calendars of a period) and gaps are never rewritten.
   */
  function groundingFor(findings: Finding[], draft: Draft, lang: Lang): Plan["grounding"] {
    const computed = new Set(["deadline", "fine", "lodging-field", "events-list", "out-of-scope"]);
    if (findings.some((f) => computed.has(f.kind))) return undefined;
    if (findings.every((f) => f.kind === "unknown")) return undefined;
    const own = draft.sources.map((s) => s.id);
    if (own.length === 0) return undefined;
    const related = own
      .flatMap((id) => catalog.get(id)?.related ?? [])
      .filter((id) => !own.includes(id))
      .slice(0, 2);
    const ids = [...own, ...related];
    const passages: Passage[] = ids
      .map((id) => catalog.get(id))
      .filter((e): e is ContentEntry => !!e)
      .map((e, i) => ({
        id: e.id,
        title: e.title[lang],
        text: i === 0 ? `${draft.answer}\n${e.body[lang]}` : e.body[lang],
      }));
    return { passages, facts: draft.answer };
  }
}

/** Thanks: a short reply that keeps the conversation's subject. */
function thanksDraft(lang: Lang, state: DialogueState | undefined, catalog: Catalog): Draft {
  return shortReply(lang === "vi" ? "Không có gì!" : "You're welcome!", lang, state, catalog, true);
}

const SMALL_TALK_REPLY: Record<SmallTalk, Record<Lang, string>> = {
  "about-me": {
    vi: "Tôi là trợ lý du lịch Châu Đốc, một chương trình tự động, không phải người thật. Tôi trả lời từ nội dung do văn phòng du lịch kiểm tra: điểm tham quan, lễ hội, thông tin đi lại và quy định lưu trú.",
    en: "I am the Châu Đốc tourism assistant, an automated program, not a person. I answer from content checked by the tourism office: attractions, festivals, practical information and the rules for registering guests.",
  },
  "how-are-you": { vi: "Cảm ơn bạn, tôi vẫn ổn!", en: "I'm doing well, thank you!" },
  reaction: { vi: "😊", en: "😊" },
  compliment: { vi: "Cảm ơn bạn đã khen!", en: "Thank you, glad it helped!" },
  bye: {
    vi: "Tạm biệt, chúc bạn có chuyến đi vui ở Châu Đốc!",
    en: "Goodbye, and enjoy your time in Châu Đốc!",
  },
};

/** Small talk: a short reply of its kind that keeps the conversation's subject (see thanksDraft). */
function smallTalkDraft(
  lang: Lang,
  kind: SmallTalk,
  state: DialogueState | undefined,
  catalog: Catalog,
): Draft {
  return shortReply(SMALL_TALK_REPLY[kind][lang], lang, state, catalog, kind !== "bye");
}

/** A reply of small talk or thanks, then "anything else about …?" unless it ends the chat. */
function shortReply(
  reply: string,
  lang: Lang,
  state: DialogueState | undefined,
  catalog: Catalog,
  more: boolean,
): Draft {
  const subject = state?.subject ? catalog.get(state.subject) : undefined;
  return {
    answer: more ? `${reply} ${moreAbout(lang, subject)}` : reply,
    intent: "greeting",
    confidence: 1,
    sources: [],
    suggestions: subject ? [suggestionFor(subject, lang)] : [],
  };
}

/** "Anything else about …?": the conversation's subject when it has one. */
function moreAbout(lang: Lang, subject: ContentEntry | undefined): string {
  return subject
    ? lang === "vi"
      ? `Bạn cần hỏi thêm gì về ${subject.title.vi} không?`
      : `Anything else about ${subject.title.en}?`
    : lang === "vi"
      ? "Bạn cần hỏi thêm gì về Châu Đốc không?"
      : "Anything else about Châu Đốc?";
}

export type { Reading };

import {
  fold,
  isStopword,
  type ContentEntry,
  type KnowledgeIndex,
  type Lang,
  type Occurrence,
  type SearchHit,
} from "../../../indexer/index.ts";
import type { Frame } from "../track/index.ts";
import {
  DOMAIN,
  LODGING_ATTRIBUTES,
  LODGING_TOPIC,
  normalize,
  type Attribute,
  type DeadlineQuery,
  type PhraseSet,
  type Reading,
} from "../understand/index.ts";
import { contentPair, type Catalog } from "./catalog.ts";
import { overlap, rankStating, unitsMatching, unitsStating, type FactIndex, type FactUnit } from "./facts.ts";
import { computeDeadlines, type ComputedDeadline } from "./lodging-deadline.ts";
import { computeFine, type FineMissing, type FineResult } from "./lodging-fine.ts";

/**
 * Finding the facts of a frame: the fact units of its subject that state what it asks, or what a
 * calculator computes (event dates from the calendars, lodging deadlines and fines). Reads the index;
 * decides no wording (compose/ does).
 */
export type Finding =
  /** Sentences or fields of an entry that state the attribute asked (or match the question's words). */
  | { kind: "facts"; frame: Frame; entryId: string; attribute?: Attribute; units: FactUnit[] }
  /** What an entry says in general: asked by name, nothing specific. */
  | { kind: "card"; frame: Frame; entryId: string; units?: FactUnit[] }
  /** "What is there to see in Châu Đốc?": the entries the office ranks first, each in short. */
  | { kind: "overview"; frame: Frame; entryIds: string[] }
  /** An event's dates in the years or period asked (or the next ones). */
  | {
      kind: "event-dates";
      frame: Frame;
      entryId: string;
      occurrences: Occurrence[];
      /** Years asked and whether each had an occurrence. */
      years: number[];
      /** This year's occurrence is over ("năm nay" in December for a June festival). */
      past?: Occurrence;
      /** The dates are announced yearly and the content has none for the time asked: a gap. */
      undated?: boolean;
      /** What the entry says of the years asked when it has no date for them (estimates, news). */
      said?: FactUnit[];
      period?: { vi: string; en: string };
    }
  /** What is on in a period. */
  | {
      kind: "events-list";
      frame: Frame;
      label: { vi: string; en: string };
      occurrences: Occurrence[];
      next: Occurrence[];
    }
  | {
      kind: "deadline";
      frame: Frame;
      query: DeadlineQuery;
      computed: ComputedDeadline[];
      /** Given beside what was asked ("how do I declare?" also says by when): not what the answer is. */
      supplement?: boolean;
    }
  | { kind: "fine"; frame: Frame; fine?: FineResult; both?: FineResult[]; missing: FineMissing[] }
  /** The lodging rule's details or channels. */
  | {
      kind: "lodging-field";
      frame: Frame;
      entryId: string;
      /** "fine": the rule's general fines (a private home, a temporary residence not registered). */
      attribute: "documents" | "how-to-register" | "legal-basis" | "fine";
    }
  /** An itinerary: its stops in order. */
  | { kind: "itinerary"; frame: Frame; entryId: string }
  /** The content has nothing for this; `entryId` is the subject when there was one. */
  | {
      kind: "unknown";
      frame: Frame;
      entryId?: string;
      attribute?: Attribute;
      candidates: string[];
      /** What the entry says of the gap ("the hotline number has not been found; call 113 …"). */
      said?: FactUnit[];
      /** Why it is not known: the assistant names no hotel, guesthouse or restaurant to choose. */
      reason?: "recommendation";
    }
  | { kind: "out-of-scope"; frame: Frame };

/** The coverage of a finding: answered, or a gap for the dashboard. */
export function statusOf(f: Finding): "answered" | "unknown" | "not-understood" {
  if (f.kind === "unknown") return "unknown";
  if (f.kind === "out-of-scope") return "not-understood";
  if (f.kind === "fine" && !f.fine && !f.both) return "unknown";
  if (f.kind === "event-dates" && f.undated) return "unknown";
  return "answered";
}

export type FinderDeps = {
  index: KnowledgeIndex;
  catalog: Catalog;
  facts: FactIndex;
  /** Other destinations the content does not mention (a question about them alone is out of scope). */
  elsewhere: PhraseSet;
  /**
   * Every other destination, also those the content mentions in passing (Hà Tiên at the end of a canal):
   * a plan or the sights of one are out of scope all the same.
   */
  destinations?: PhraseSet;
  minCoverage: number;
  today: () => string;
};

export type Finder = (frame: Frame, reading: Reading, lang: Lang) => Promise<Finding[]>;

const VEHICLE =
  /\b(?:taxi|grab|xe om|xe buyt|xe bus|bus|xe khach|coach|boat|tau|thuyen|xuong|cap treo|cable car|ferry|pha|xe may|motorbike)\b/;

/** Creates the finder over one index (a republished index makes a new one). */
export function createFinder(d: FinderDeps): Finder {
  const { index, catalog, facts } = d;
  // The words of the events' titles, folded once: a clause naming one asks for that event, not a list.
  const eventTitleWords = new Set(
    catalog.entries.filter((e) => e.type === "event").flatMap((e) => fold(e.title.vi).split(/\s+/)),
  );

  // The entries the office ranks first (featured), for an overview of the area.
  const overview = catalog.entries
    .filter((e) => e.featured !== undefined)
    .sort((a, b) => (a.featured as number) - (b.featured as number))
    .slice(0, OVERVIEW_SIZE)
    .map((e) => e.id);

  // The lodging rules, the fines entry (the one listing the most penalties) first.
  const rulesByPenalties = catalog.entries
    .filter((e): e is Extract<ContentEntry, { type: "lodging-rule" }> => e.type === "lodging-rule")
    .sort((a, b) => b.lodging.penalties.length - a.lodging.penalties.length);

  return async function find(frame, reading, lang) {
    const folded = ` ${reading.normalized.folded} `;
    let subject = frame.subject ? catalog.get(frame.subject) : undefined;
    const lodgingContext =
      subject?.type === "lodging-rule" ||
      LODGING_TOPIC.test(normalize(frame.text).folded) ||
      ((frame.subjectSource !== "named" || subject?.type === "practical") &&
        frame.lodging.guest !== undefined &&
        hasLodgingAttribute(frame.attributes));
    // Lodging words that also mean something else ("bao lâu" is a travel time too) need the lodging topic;
    // in it, "khi nào", "mấy giờ", "how long" ask for the deadline.
    let attributes = frame.attributes.filter(
      (a) => !LODGING_ATTRIBUTES.has(a) || lodgingContext || a === "fine",
    );
    // A guest's kind or arrival makes a lodging question of one that names a practical entry
    // ("nhà nghỉ khai báo khách nước ngoài trước mấy giờ?" names where-to-stay).
    const guestGiven = frame.lodging.guest !== undefined || frame.lodging.arrival !== undefined;
    const lodgingSubject =
      !subject ||
      subject.type === "lodging-rule" ||
      (subject.type === "practical" && guestGiven && lodgingContext);
    // "Tạm trú tối đa bao lâu?" of the temporary-residence rule is not a deadline: it has none.
    const hasDeadlines = !subject || subject.type !== "lodging-rule" || subject.lodging.deadlines.length > 0;
    const supplements = new Set<Attribute>();
    // "Báo cho công an", "gọi điện được không": reporting a stay is the declaration, not a hotline.
    if (lodgingContext && lodgingSubject && attributes.includes("contact")) {
      const other = attributes.some((a) => a !== "contact" && LODGING_ATTRIBUTES.has(a));
      attributes = [
        ...new Set(
          attributes.flatMap((a) => (a !== "contact" ? [a] : other ? [] : ["how-to-register" as const])),
        ),
      ];
    }
    if (lodgingContext && lodgingSubject && hasDeadlines) {
      const when: Attribute[] = attributes.filter(
        (a) => a === "dates" || a === "hours" || a === "travel-time",
      );
      if (when.length && !attributes.includes("deadline") && !attributes.includes("fine"))
        attributes = [...attributes.filter((a) => !when.includes(a)), "deadline"];
      // "How do I declare?" is answered whole: the channels, what to send, and by when (once the kind
      // of guest is known: both kinds' deadlines would bury the answer).
      if (attributes.length === 1 && attributes[0] === "how-to-register") {
        attributes = ["how-to-register", "documents"];
        if (frame.lodging.guest) supplements.add("deadline");
      }
    }
    // A Vietnamese staying a month or more registers temporary residence: the rule whose threshold the
    // stay reaches, unless the clause names another subject.
    const longStay = longStayRule(frame);
    if (longStay && (!subject || subject.type === "lodging-rule" || frame.subjectSource !== "named"))
      subject = longStay;
    // After the fines, a question about declaring that does not ask a fine is about the guest's rule
    // ("khai online thì cần gì?" of a foreign guest: the declaration, not the fines again).
    if (
      subject?.type === "lodging-rule" &&
      subject.lodging.deadlines.length === 0 &&
      subject.lodging.channels.length === 0 &&
      !attributes.includes("fine") &&
      frame.subjectSource !== "named" &&
      !longStay &&
      frame.lodging.guest
    )
      subject = lodgingRuleFor(undefined, frame.lodging.guest) ?? subject;
    // A rule without deadlines ("tạm trú tối đa bao lâu?") is not asked for one: its own words answer.
    if (subject?.type === "lodging-rule" && subject.lodging.deadlines.length === 0)
      attributes = attributes.filter((a) => a !== "deadline");
    if (subject && frame.alternatives?.length) subject = bestNamed(subject, frame, attributes, lang);
    // A season or festival named beside an attribute it cannot have ("mùa nước nổi hồ rộng cỡ nào?")
    // is a time for the place the conversation is about, when that place states the attribute.
    const before = frame.previousSubject ? catalog.get(frame.previousSubject) : undefined;
    const beforeStates = (as: Attribute[]) =>
      before !== undefined && as.every((a) => facts.of(before.id, lang).some((u) => u.own.has(a)));
    if (
      subject?.type === "event" &&
      before &&
      before.type !== "event" &&
      attributes.length > 0 &&
      attributes.every((a) => !EVENT_ATTRIBUTES.has(a)) &&
      beforeStates(attributes)
    )
      subject = before;
    // The page of the topic asked, named by its generic words ("mùa nào đẹp", "best season") after a
    // place: asked of that place when the place states it.
    const topicPage = subject?.type === "practical" ? subject.practical.topic : undefined;
    // "When" of the seasons page is its season.
    const topicAsked = [
      ...new Set(
        attributes.flatMap((a) => (a !== "dates" ? [a] : topicPage === "seasons" ? ["season" as const] : [])),
      ),
    ];
    if (
      topicPage &&
      before &&
      before.type !== "practical" &&
      topicAsked.length > 0 &&
      topicAsked.every((a) => TOPIC_OF[a] === topicPage) &&
      beforeStates(topicAsked)
    ) {
      subject = before;
      attributes = topicAsked;
    }

    // A subject the clause's own words may have left: search decides, and when it finds nothing the
    // conversation's subject stands ("what religion are they?" after the Cham village).
    let left: ContentEntry | undefined;
    if (subject && frame.subjectSource === "weak" && !(await keepsSubject(subject, frame, lang))) {
      left = subject;
      subject = undefined;
    }

    // "My hotel asked for my passport at check-in, is that normal?": a guest's papers at a lodging,
    // asked of nothing else, are the rule of that kind of guest.
    if (!subject && attributes.length === 0 && frame.lodging.guest && LODGING_PLACE.test(folded))
      subject = lodgingRuleFor(undefined, frame.lodging.guest);

    // "Nghị định phạt mới có hiệu lực từ ngày nào?": the fine rule's legal basis, not the fines, unless
    // the question gives guests to fine; the date asked is the one the legal basis shows.
    if (attributes.includes("legal-basis") && (subject?.type === "lodging-rule" || lodgingContext)) {
      attributes = attributes.filter((a) => a !== "dates");
      if (attributes.includes("fine") && frame.lodging.guests === undefined && !frame.lodging.guest) {
        attributes = attributes.filter((a) => a !== "fine");
        const fines = rulesByPenalties[0];
        if (fines) subject = fines;
      }
    }
    const out: Finding[] = [];
    const lodgingAsked = attributes.filter((a) => LODGING_ATTRIBUTES.has(a));
    if (lodgingAsked.length && (lodgingSubject || frame.subjectSource !== "named")) {
      for (const a of lodgingAsked) out.push(lodgingFinding(a, frame, subject));
      for (const a of supplements) {
        const f = lodgingFinding(a, frame, subject);
        out.push(f.kind === "deadline" ? { ...f, supplement: true } : f);
      }
      const rest = attributes.filter((a) => !LODGING_ATTRIBUTES.has(a) && a !== "price" && a !== "dates");
      if (!rest.length || !subject || subject.type === "lodging-rule") return out;
      return [...out, ...entryFindings(subject, rest, frame, lang)];
    }

    // "Plan day 3 in Hà Tiên" during a chat about Châu Đốc: another destination is out of scope even
    // with a subject from the conversation, unless the question is about getting between them.
    const travel = attributes.some((a) => a === "getting-there" || a === "distance" || a === "travel-time");
    if (
      subject &&
      frame.subjectSource !== "named" &&
      d.elsewhere.test(` ${normalize(frame.text).folded} `) &&
      !reading.inArea &&
      !travel
    )
      return [{ kind: "out-of-scope", frame }];
    const namesUnknown =
      subject &&
      (aboutAnUnknownName(subject, frame, attributes, lang) ??
        (reading.language.other ? undefined : aboutAnUnknownThing(subject, frame)));
    if (namesUnknown) return [namesUnknown];

    // "Một ngày ở Châu Đốc đi những đâu?", "2 days: a plan?": the itinerary that fits (or the one named).
    // Another destination, and nothing of the area: out of scope, whatever is asked of it.
    if (!subject && d.elsewhere.test(folded) && !reading.inArea) return [{ kind: "out-of-scope", frame }];
    // "Plan day 3 in Hà Tiên", "what to see in Phú Quốc": another destination's plan or sights, even
    // one the content mentions in passing, and even with the conversation's subject.
    if (
      frame.subjectSource !== "named" &&
      attributes.length > 0 &&
      attributes.every((a) => a === "itinerary" || a === "what-to-see") &&
      d.destinations?.test(` ${folded} `)
    )
      return [{ kind: "out-of-scope", frame }];
    const planLike = attributes.every((a) =>
      ["itinerary", "where", "what-to-see", "getting-there"].includes(a),
    );
    if (attributes.includes("itinerary") && planLike && subject?.type !== "itinerary") {
      const plan = itineraryFor(frame, subject);
      if (plan) return [{ kind: "itinerary", frame, entryId: plan.id }];
    }
    if (subject?.type === "itinerary") {
      // "And if I have two days?" after the one-day plan: the plan with that many days.
      const days = daysAsked(frame);
      const other =
        frame.subjectSource !== "named" && days !== undefined && days !== subject.itinerary.days
          ? itineraryFor(frame, undefined)
          : undefined;
      return [{ kind: "itinerary", frame, entryId: (other ?? subject).id }];
    }

    // "What's special about Châu Đốc?", "Châu Đốc có gì chơi?": the area as a whole, nothing else named.
    if (
      !subject &&
      attributes.length > 0 &&
      attributes.every((a) => a === "what-to-see") &&
      frame.topicTerms.every((w) => OVERVIEW_WORDS.has(w))
    ) {
      if (overview.length) return [{ kind: "overview", frame, entryIds: overview }];
    }
    if (!subject) {
      const range = frame.range;
      if (
        attributes.includes("events-list") ||
        (range &&
          (attributes.includes("dates") || /\b(?:le|hoi|tet|festival|event)\b/.test(folded)) &&
          !frame.topicTerms.some(isEventName))
      ) {
        if (range) return [eventsInRange(frame, range)];
        return [eventsInRange(frame, upcoming(d.today()))];
      }
      const found = await searchSubject(frame, reading, lang);
      // A pick of a place to eat the search does not place: the food page says what there is instead.
      const eating =
        RECOMMENDATION.test(folded) && EATING.test(folded)
          ? catalog.entries.find((e) => e.type === "practical" && e.practical.topic === "food")
          : undefined;
      const topical =
        found.kind === "none" && found.finding.kind === "unknown"
          ? (topicEntry(attributes, frame) ?? eating)
          : undefined;
      const stays =
        found.kind === "none" && found.finding.kind === "unknown" && !topical && left && fitsLeft(left, frame)
          ? left
          : undefined;
      if (found.kind !== "subject" && !topical && !stays) return [found.finding];
      subject = found.kind === "subject" ? found.entry : (stays ?? (topical as ContentEntry));
      const searchedUnknown = aboutAnUnknownName(subject, frame, attributes, lang);
      if (searchedUnknown) return [searchedUnknown];
    }
    // "Gợi ý khách sạn gần chợ", "best restaurant?": no business is named; what the page says instead.
    if (subject.type === "practical" && RECOMMENDATION.test(folded) && BUSINESS.test(folded)) {
      const said = facts
        .of(subject.id, lang)
        .filter((u) => !u.field)
        .slice(0, 2);
      return [
        { kind: "unknown", frame, entryId: subject.id, candidates: [], said, reason: "recommendation" },
      ];
    }
    return entryFindings(subject, attributes, frame, lang);
  };

  /**
   * A clause that search places nowhere still asks of the subject it seemed to leave when it has few words
   * of its own ("what religion are they?") or the subject holds a good part of them; not when it is about
   * something else the content lacks ("quán bún cá Hồng Nga chủ nhật có mở không").
   */
  function fitsLeft(left: ContentEntry, frame: Frame): boolean {
    if (frame.topicTerms.length <= 2) return true;
    return catalog.coverage(catalog.questionTerms(frame.text), left.id) >= LEFT_SUBJECT_HELD;
  }

  /**
   * "I don't have that" for a clause that asks nothing but whether a thing the content never mentions is
   * there ("wifi ở Miếu Bà có không?"): every word of its own is unknown to the whole content.
   */
  function aboutAnUnknownThing(subject: ContentEntry, frame: Frame): Finding | undefined {
    if (frame.attributes.length > 0 || subject.type === "lodging-rule") return undefined;
    const own = frame.topicTerms.filter((w) => w.length >= 3 && !/\d/.test(w));
    if (own.length === 0 || own.some((w) => catalog.knows(w))) return undefined;
    return { kind: "unknown", frame, entryId: subject.id, candidates: [] };
  }

  /** "I don't have that" for a clause about a name the content does not know (see unknownNames). */
  function aboutAnUnknownName(
    subject: ContentEntry,
    frame: Frame,
    attributes: Attribute[],
    lang: Lang,
  ): Finding | undefined {
    if (subject.type === "lodging-rule" || unknownNames(frame.text, subject, lang).length === 0)
      return undefined;
    return {
      kind: "unknown",
      frame,
      entryId: subject.id,
      ...(attributes[0] ? { attribute: attributes[0] } : {}),
      candidates: [],
    };
  }

  /**
   * Names in a clause that the content does not know ("Quán Út Hiệp", "app ASM"): the question is about
   * something else than the entry it resembles, so the answer is "I don't have that", not the entry.
   * A capitalised word counts unless it starts a sentence, is a stopword, or occurs in the content.
   */
  function unknownNames(text: string, subject: ContentEntry, lang: Lang): string[] {
    const out: string[] = [];
    for (const sentence of text.normalize("NFC").split(/[.!?,;:]+/)) {
      const words = sentence.match(/[\p{L}\p{N}]+/gu) ?? [];
      for (const [i, w] of words.entries()) {
        if (i === 0 || w.length < 2 || !/^\p{Lu}/u.test(w)) continue;
        const f = fold(w);
        if (isStopword(f) || catalog.knows(f)) continue;
        if (facts.of(subject.id, lang).some((u) => u.words.has(f))) continue;
        out.push(w);
      }
    }
    return out;
  }

  /**
   * True when the conversation's subject still fits a clause that has words of its own: the subject
   * states what the clause asks, and no other entry covers the clause's words clearly better.
   */
  async function keepsSubject(subject: ContentEntry, frame: Frame, lang: Lang): Promise<boolean> {
    const units = facts.of(subject.id, lang);
    // Pairs with a question word ("có cáp") say how the question is put, not what it is about.
    const terms = catalog.questionTerms(frame.text).filter((t) => !t.pair || contentPair(t.term));
    const own = catalog.coverage(terms, subject.id);
    // A rule is left by a clause without lodging words, unless the rule itself holds most of its words
    // ("cơ quan nào tiếp nhận?" after the rule on reporting a stay).
    if (
      subject.type === "lodging-rule" &&
      !hasLodgingAttribute(frame.attributes) &&
      !LODGING_TOPIC.test(normalize(frame.text).folded) &&
      own < LEFT_SUBJECT_HELD
    )
      return false;
    // A short clause that asks nothing named and whose words the subject mostly holds stays with it.
    if (frame.attributes.length === 0 && frame.topicTerms.length <= 4 && own >= SHORT_CLAUSE_HELD)
      return true;
    const asked = frame.attributes
      .filter((a) => !LODGING_ATTRIBUTES.has(a))
      .map((a) => (subject.type === "attraction" && a === "dates" ? "history" : a));
    const hits = await index.search(frame.text, { k: 3, lang });
    const best = hits[0];
    if (!best || best.id === subject.id) return true;
    // The subject states nothing of what is asked and search points elsewhere: a new topic.
    if (asked.length && !asked.some((a) => units.some((u) => u.own.has(a)))) return false;
    const other = catalog.coverage(terms, best.id);
    return own + 0.15 >= other;
  }

  /**
   * The practical entry of an attribute's topic, for a clause that names no subject and that search
   * does not place ("what do people eat here?" → food; "best month to come?" → seasons).
   */
  function topicEntry(attributes: Attribute[], frame: Frame): ContentEntry | undefined {
    for (const a of attributes) {
      // A travel time is asked of the getting-there entry too (TOPIC_OF keeps it apart elsewhere).
      const t = TOPIC_OF[a] ?? (a === "travel-time" ? "getting-there" : undefined);
      if (!t) continue;
      const e = catalog.entries.find((x) => x.type === "practical" && x.practical.topic === t);
      if (e && (frame.topicTerms.length <= 3 || a !== "contact")) return e;
    }
    return undefined;
  }

  /**
   * The itinerary for a clause: one with the number of days asked ("2 ngày", "two days"), that visits the
   * place named, or that a festival or the river points to; the shortest one otherwise.
   */
  function itineraryFor(frame: Frame, subject: ContentEntry | undefined): ContentEntry | undefined {
    const plans = catalog.entries.filter((e) => e.type === "itinerary");
    if (plans.length === 0) return undefined;
    const f = ` ${normalize(frame.text).folded} `;
    const days = daysAsked(frame);
    const score = (e: ContentEntry) => {
      if (e.type !== "itinerary") return -1;
      let s = 0;
      if (days !== undefined && e.itinerary.days === days) s += 2;
      if (subject && e.itinerary.stops.some((st) => st.place === subject.id)) s += 1;
      if (subject && e.related.includes(subject.id)) s += 0.5;
      const words = normalize(`${e.title.vi} ${e.title.en} ${e.tags.join(" ")}`).folded;
      for (const t of frame.topicTerms) if (t.length > 2 && words.includes(` ${t} `)) s += 0.5;
      if (/\b(?:via|hanh huong|pilgrim\w*|festival|le hoi)\b/.test(f) && /hanh huong|pilgrim/.test(words))
        s += 1.5;
      if (/\b(?:song|river|lang be|floating|lang cham|boat|thuyen)\b/.test(f) && /song|river/.test(words))
        s += 1.5;
      return s - e.itinerary.days * 0.01;
    };
    return [...plans].sort((a, b) => score(b) - score(a))[0];
  }

  /** How many days a plan is asked for ("2 ngày", "one day", "a day trip"). */
  function daysAsked(frame: Frame): number | undefined {
    const f = ` ${normalize(frame.text).folded} `;
    return /\b(?:2|hai|two) (?:ngay|days?)\b/.test(f)
      ? 2
      : /\b(?:1|mot|one|a) (?:ngay|day)\b|trong ngay|day trip/.test(f)
        ? 1
        : undefined;
  }

  /** Among entries sharing the clause's name, the one whose sentences state what is asked. */
  function bestNamed(subject: ContentEntry, frame: Frame, attributes: Attribute[], lang: Lang): ContentEntry {
    const ids = [subject.id, ...(frame.alternatives ?? [])];
    let best = subject;
    let bestScore = -1;
    for (const id of ids) {
      const e = catalog.get(id);
      if (!e) continue;
      const units = facts.of(id, lang);
      // The entry that says most about what is asked is the one the name means here; an event for its
      // dates, a practical entry for its own topic ("mắm thái làm từ gì?" → the food entry).
      const topical =
        e.type === "practical" && attributes.some((a) => TOPIC_OF[a] === e.practical.topic) ? 10 : 0;
      const dated = e.type === "event" && (attributes.includes("dates") || frame.years.length > 0) ? 20 : 0;
      const score =
        topical +
        dated +
        attributes.reduce((n, a) => n + Math.min(5, unitsStating(units, a, frame).length), 0);
      if (score > bestScore) [best, bestScore] = [e, score];
    }
    return best;
  }

  type Searched = { kind: "subject"; entry: ContentEntry } | { kind: "none"; finding: Finding };

  /** A subject for a clause that names none: the best search hit, when it covers the question. */
  async function searchSubject(frame: Frame, reading: Reading, lang: Lang): Promise<Searched> {
    const text = frame.text.trim() || reading.text;
    const typed: SearchHit[] = text ? await index.search(text, { k: 5, lang }) : [];
    // The clause's own words alone, too: in a long question the common words ("từ Châu Đốc đi … đường")
    // can push the entry of its one rare word ("Phnom Penh") out of the first five.
    const own = frame.topicTerms.join(" ");
    const extra = own && own !== fold(text) ? await index.search(own, { k: 3, lang }) : [];
    // Such a hit must hold most of the clause's own words.
    const ownTerms = catalog.questionTerms(own);
    const hits = [
      ...typed,
      ...extra.filter(
        (h) => !typed.some((t) => t.id === h.id) && catalog.coverage(ownTerms, h.id) >= OWN_WORDS_HELD,
      ),
    ];
    const terms = catalog.questionTerms(text);
    const coverage = (id: string) => catalog.coverage(terms, id);
    const folded = ` ${reading.normalized.folded} `;
    const inArea = reading.inArea;
    if (d.elsewhere.test(folded) && !inArea)
      return { kind: "none", finding: { kind: "out-of-scope", frame } };
    // The hit that covers the question's words best, a little ahead when it states what is asked (or is
    // search's first): "mua mắm ở đâu" is the market's address, not the seasons' entry.
    const states = (id: string) => frame.attributes.some((a) => facts.of(id, lang).some((u) => u.own.has(a)));
    // The practical entry whose topic is the attribute asked ("ăn gì?" → the food entry).
    const topical = (id: string) => {
      const e = catalog.get(id);
      return (
        e?.type === "practical" &&
        frame.attributes.some((a) => a !== "getting-there" && TOPIC_OF[a] === e.practical.topic)
      );
    };
    let best: SearchHit | undefined;
    let bestCoverage = 0;
    let bestScore = -1;
    for (const [i, h] of hits.entries()) {
      const c = coverage(h.id);
      const score = c + (states(h.id) ? 0.15 : 0) + (topical(h.id) ? 0.3 : 0) + (i === 0 ? 0.05 : 0);
      if (score > bestScore + 1e-9) [best, bestCoverage, bestScore] = [h, c, score];
    }
    const acceptable = (id: string) =>
      bestCoverage >= d.minCoverage ||
      (bestCoverage >= 0.4 && states(id)) ||
      (bestCoverage >= 0.15 && topical(id));
    if (best && acceptable(best.id)) {
      const entry = catalog.get(best.id);
      if (entry) return { kind: "subject", entry };
    }
    // Within a conversation, a question that names nothing is at worst not known, never out of scope.
    const domain = DOMAIN.test(folded) || inArea || frame.subject !== undefined;
    if (!domain && bestCoverage < 0.34) return { kind: "none", finding: { kind: "out-of-scope", frame } };
    const candidates = hits.slice(0, 3).map((h) => h.id);
    return {
      kind: "none",
      finding: {
        kind: "unknown",
        frame,
        ...(frame.attributes[0] ? { attribute: frame.attributes[0] } : {}),
        candidates: domain ? candidates : [],
      },
    };
  }

  /** The findings of a subject for the attributes asked (or its card, or the sentences matching the words). */
  function entryFindings(entry: ContentEntry, attributes: Attribute[], frame: Frame, lang: Lang): Finding[] {
    const units = facts.of(entry.id, lang);
    if (entry.type === "event") {
      const dateish =
        attributes.length === 0 ||
        attributes.includes("dates") ||
        frame.years.length > 0 ||
        frame.range !== undefined;
      const other = attributes.filter((a) => a !== "dates" && a !== "events-list");
      const out: Finding[] = [];
      // "Được UNESCO công nhận năm nào?": a date inside the festival's story, not its next dates.
      const onlyWhen = attributes.every((a) => a === "dates" || a === "events-list");
      const aboutSomethingElse =
        onlyWhen &&
        frame.years.length === 0 &&
        !frame.range &&
        frame.topicTerms.length > 0 &&
        specific(units, frame);
      if (aboutSomethingElse) return specificOrCard(entry, frame, units);
      if (dateish) out.push(eventDates(entry, frame, units));
      for (const a of other) out.push(attributeFinding(entry, a === "hours" ? "rite-time" : a, frame, units));
      if (!out.length) out.push(...specificOrCard(entry, frame, units));
      return out;
    }
    if (attributes.includes("dates") && entry.type === "attraction") {
      // "When is the festival at the temple?": the event held there; "năm nào?" of a place: its history.
      const event = catalog.entries.find((e) => e.type === "event" && e.event.venues.includes(entry.id));
      if (!event || !FESTIVAL_WORDS.test(normalize(frame.text).folded))
        attributes = [...new Set(attributes.map((a) => (a === "dates" ? "history" : a)))];
      else {
        return [
          eventDates(event, frame, facts.of(event.id, lang)),
          ...attributes.filter((a) => a !== "dates").map((a) => attributeFinding(entry, a, frame, units)),
        ];
      }
    }
    if (attributes.length === 0) return specificOrCard(entry, frame, units);
    // An entry that is about what is asked ("nên đi mùa nào?" → the seasons entry) answers as a whole.
    if (
      entry.type === "practical" &&
      attributes.every((a) => a === "what-to-see" || TOPIC_OF[a] === entry.practical.topic)
    ) {
      const stating = attributes.flatMap((a) =>
        unitsStating(units, a, frame)
          .filter((u) => !u.field)
          .slice(0, 2),
      );
      const value = attributes.find((a) => VALUE_ATTRIBUTES.has(a));
      const top = stating[0];
      if (value && top && saysNotKnown(top))
        return [{ kind: "unknown", frame, entryId: entry.id, attribute: value, candidates: [], said: [top] }];
      return [{ kind: "card", frame, entryId: entry.id, units: stating }];
    }
    // A route has a duration, not a size: "how long is the boat?" asks how long it takes.
    if (
      entry.type === "practical" &&
      (entry.practical.topic === "getting-there" || entry.practical.topic === "border-crossing")
    )
      attributes = attributes.map((a) => (a === "size" ? "travel-time" : a));
    let asked = attributes.filter((a) => a !== "events-list");
    // "giá taxi đi Trà Sư": a price of getting there, not the entry ticket.
    const vehicle = VEHICLE.exec(fold(frame.text))?.[0];
    if (asked.includes("price") && asked.includes("getting-there") && vehicle) {
      // The fare of that vehicle: a boat tour's price is not a taxi fare.
      const kin = VEHICLE_KIN.find((k) => k.test(vehicle)) ?? new RegExp(`\\b${vehicle}\\b`);
      const both = units.filter(
        (u) =>
          u.attributes.has("price") &&
          u.attributes.has("getting-there") &&
          kin.test(fold(u.text).toLowerCase()),
      );
      asked = asked.filter((a) => a !== "price" && a !== "getting-there");
      const f: Finding = both.length
        ? { kind: "facts", frame, entryId: entry.id, attribute: "price", units: both.slice(0, 2) }
        : { kind: "unknown", frame, entryId: entry.id, attribute: "price", candidates: [] };
      return [f, ...asked.map((a) => attributeFinding(entry, a, frame, units))];
    }
    // "distance" and "getting-there" are often asked together; "where" with a distance is one answer.
    return dedupeUnits(asked.map((a) => attributeFinding(entry, a, frame, units)));
  }

  function specific(units: readonly FactUnit[], frame: Frame): boolean {
    return unitsMatching(units, frame.topicTerms, 1.5).length > 0;
  }

  /** Sentences that match the question's own words, or the entry's card when none do. */
  function specificOrCard(entry: ContentEntry, frame: Frame, units: readonly FactUnit[]): Finding[] {
    const terms = frame.topicTerms;
    const min = terms.length >= 3 ? 1.5 : 1;
    const matching = unitsMatching(
      units.filter((u) => !u.field || u.field === "facts"),
      terms,
      min,
    );
    if (matching.length && terms.length > 0) {
      const top = matching.slice(0, 2);
      // An entry about a topic leads with its summary; a place's specific sentence stands alone.
      if (entry.type === "practical" || entry.type === "lodging-rule")
        return [{ kind: "card", frame, entryId: entry.id, units: top }];
      return [{ kind: "facts", frame, entryId: entry.id, units: top }];
    }
    if (entry.type === "event") return [eventDates(entry, frame, units)];
    return [{ kind: "card", frame, entryId: entry.id }];
  }

  function attributeFinding(
    entry: ContentEntry,
    attribute: Attribute,
    frame: Frame,
    units: readonly FactUnit[],
  ): Finding {
    if (attribute === "dates" && entry.type === "event") return eventDates(entry, frame, units);
    // A rule's legal basis is data: the documents, articles and whether each is in force.
    if (attribute === "legal-basis" && entry.type === "lodging-rule")
      return { kind: "lodging-field", frame, entryId: entry.id, attribute };
    // A place whose hours or tickets no source gives: unknown, unless a sentence states a figure.
    const nullField =
      entry.type === "attraction" &&
      ((attribute === "hours" && !entry.place.openingHours) ||
        (attribute === "price" && !entry.place.tickets));
    if (nullField) {
      const stated = unitsStating(units, attribute, frame).filter(
        (u) => u.own.has(attribute) && /\d/.test(u.text),
      );
      if (stated.length === 0)
        return { kind: "unknown", frame, entryId: entry.id, attribute, candidates: [] };
      return { kind: "facts", frame, entryId: entry.id, attribute, units: stated.slice(0, 2) };
    }
    let ranked = rankStating(units, attribute, frame);
    if (attribute === "where" && ranked.length === 0) ranked = rankStating(units, "distance", frame);
    if (ranked.length === 0) return { kind: "unknown", frame, entryId: entry.id, attribute, candidates: [] };
    // Sentences far behind the best one answer something else.
    const best = ranked[0]?.score ?? 0;
    const stating = ranked.filter((x) => x.score >= best - 1).map((x) => x.u);
    // A value asked (hours, a price, a number to call) that the entry says it does not have: an unknown,
    // said plainly, with the entry's own words on it.
    const top = stating[0] as FactUnit;
    if (VALUE_ATTRIBUTES.has(attribute) && saysNotKnown(top)) {
      const said = stating.filter((u) => saysNotKnown(u) || hasValue(u, attribute)).slice(0, 2);
      return { kind: "unknown", frame, entryId: entry.id, attribute, candidates: [], said };
    }
    const limit = 3;
    // A structured field answers its attribute alone unless the question's words point at a sentence.
    const first = stating[0] as FactUnit;
    const picked =
      first.field &&
      first.field !== "facts" &&
      (attribute === "hours" || attribute === "where" || attribute === "distance")
        ? [
            first,
            ...stating
              .slice(1)
              .filter((u) => u.attributes.has(attribute) && !u.field && mentionsNumber(u))
              .slice(0, 1),
          ]
        : stating.slice(0, limit);
    return { kind: "facts", frame, entryId: entry.id, attribute, units: withCaveats(picked, units) };
  }

  function lodgingFinding(attribute: Attribute, frame: Frame, subject: ContentEntry | undefined): Finding {
    const l = frame.lodging;
    // A private home, or a stay of a month or more: the general fine of the residence rules, not a
    // lodging business's brackets.
    const longStay = attribute === "fine" && l.guest !== "foreign" ? longStayRule(frame) : undefined;
    if (attribute === "fine" && l.guest !== "foreign" && (l.household || longStay)) {
      const rule = longStay ?? generalFineRule();
      if (rule) return { kind: "lodging-field", frame, entryId: rule.id, attribute: "fine" };
    }
    if (attribute === "fine") {
      const missing: FineMissing[] = [];
      if (!l.guest) missing.push("guest");
      if (l.guests === undefined) missing.push("guests");
      const q = {
        ...(l.guests !== undefined ? { guests: l.guests } : {}),
        ...(l.payer ? { payer: l.payer } : {}),
      };
      if (l.guest) {
        const fine = computeFine(catalog.entries, { ...q, guest: l.guest });
        return { kind: "fine", frame, ...(fine ? { fine } : {}), missing };
      }
      const both = (["vn", "foreign"] as const)
        .map((guest) => computeFine(catalog.entries, { ...q, guest }))
        .filter((f): f is FineResult => f !== undefined);
      return { kind: "fine", frame, ...(both.length ? { both } : {}), missing };
    }
    if (attribute === "deadline") {
      const q: DeadlineQuery = {
        ...(l.guest ? { guest: l.guest } : {}),
        ...(l.arrival !== undefined ? { arrival: l.arrival } : {}),
        ...(l.remote !== undefined ? { remote: l.remote } : {}),
        ...(l.method ? { method: l.method } : {}),
      };
      // The arrival without the guest's kind: the deadline of each kind (compose asks which applies).
      const computed = q.guest
        ? computeDeadlines(catalog.entries, { ...q, guest: q.guest })
        : q.arrival !== undefined
          ? (["vn", "foreign"] as const).flatMap((guest) =>
              computeDeadlines(catalog.entries, { ...q, guest }),
            )
          : [];
      return { kind: "deadline", frame, query: q, computed };
    }
    const a = attribute as "documents" | "how-to-register";
    const rule = lodgingRuleFor(subject, l.guest);
    if (!rule) return { kind: "unknown", frame, attribute, candidates: [] };
    return { kind: "lodging-field", frame, entryId: rule.id, attribute: a };
  }

  /** The rule with the general fine of a person or household that runs no lodging business. */
  function generalFineRule(): ContentEntry | undefined {
    // The fines entry before a rule that has one of its own.
    return rulesByPenalties.find((e) => e.lodging.penalties.some((p) => p.offence === "residence-general"));
  }

  /** The rule for a stay as long as the frame's, for a guest who is not foreign (see thresholdDays). */
  function longStayRule(frame: Frame): ContentEntry | undefined {
    const days = frame.lodging.stayDays;
    if (days === undefined || frame.lodging.guest === "foreign") return undefined;
    return catalog.entries
      .filter(
        (e): e is Extract<ContentEntry, { type: "lodging-rule" }> =>
          e.type === "lodging-rule" &&
          e.lodging.thresholdDays !== undefined &&
          e.lodging.thresholdDays <= days,
      )
      .sort((a, b) => (b.lodging.thresholdDays ?? 0) - (a.lodging.thresholdDays ?? 0))[0];
  }

  /** The lodging rule a question is about: the subject, else by the guest (foreign → declaration). */
  function lodgingRuleFor(
    subject: ContentEntry | undefined,
    guest: "vn" | "foreign" | undefined,
  ): ContentEntry | undefined {
    if (subject?.type === "lodging-rule" && subject.lodging.deadlines.length) return subject;
    const wanted = guest === "foreign" ? "foreign-guests" : "vietnamese-guests";
    return catalog.entries.find(
      (e) =>
        e.type === "lodging-rule" && e.lodging.appliesTo.includes(wanted) && e.lodging.deadlines.length > 0,
    );
  }

  /**
   * An event's dates; when they are announced yearly and the content has none for the time asked, also
   * what the entry says of those years ("2026: expected to start on 18 or 19 February …"), with its doubt.
   */
  function eventDates(entry: ContentEntry, frame: Frame, units: readonly FactUnit[]): Finding {
    const f = eventDatesOf(entry, frame);
    if (f.kind !== "event-dates") return f;
    if (!f.undated) {
      // "Năm 2024 lễ khai hội lúc nào?", "2024 tổ chức ở đâu?": the sentences of the year asked that say
      // the part asked, beside the dates.
      const words = frame.topicTerms.filter((w) => !EVENT_WORDS.has(w));
      if (!frame.years.length || !words.length) return f;
      const said = sentencesOf(units, frame.years).filter((u) => overlap(u, words) >= 1);
      return said.length ? { ...f, said: said.slice(0, 2) } : f;
    }
    const thisYear = Number(d.today().slice(0, 4));
    const said = sentencesOf(units, f.years.length ? f.years : [thisYear, thisYear + 1]);
    return said.length ? { ...f, said: withCaveats(said.slice(0, 2), units) } : f;
  }

  /** The body's sentences that name one of the years. */
  function sentencesOf(units: readonly FactUnit[], years: readonly number[]): FactUnit[] {
    const named = years.map((y) => new RegExp(`\\b${y}\\b`));
    return units.filter((u) => !u.field && named.some((re) => re.test(u.text)));
  }

  function eventDatesOf(entry: ContentEntry, frame: Frame): Finding {
    const today = d.today();
    const announced = entry.type === "event" && entry.event.announcedYearly;
    const all = (from: string, to: string) =>
      index.eventsBetween(from, to).filter((o) => o.eventId === entry.id);
    if (frame.years.length) {
      const occurrences = frame.years.flatMap((y) => {
        const found = all(`${y}-01-01`, `${y}-12-31`).filter((o) => o.start.startsWith(String(y)));
        // A known past date beats a computed one for the same year.
        const known = found.filter((o) => o.status === "known");
        return known.length ? known : found;
      });
      return {
        kind: "event-dates",
        frame,
        entryId: entry.id,
        occurrences,
        years: frame.years,
        ...(announced &&
        frame.years.some(
          (y) => !occurrences.some((o) => o.status === "known" && o.start.startsWith(String(y))),
        )
          ? { undated: true }
          : {}),
      };
    }
    const r = frame.range;
    if (r && r.kind !== "upcoming" && r.kind !== "year") {
      const occurrences = all(r.from, r.to).filter((o) => o.status !== "known");
      const next = occurrences.length
        ? []
        : all(r.to, addDays(r.to, 400))
            .filter((o) => o.status !== "known")
            .slice(0, 1);
      return {
        kind: "event-dates",
        frame,
        entryId: entry.id,
        occurrences: [...occurrences, ...next],
        years: [],
        period: r.label,
      };
    }
    // The next occurrence (or the one under way); "năm nay" also says when this year's was.
    const year = today.slice(0, 4);
    const upcomingOnes = all(today, addDays(today, 400)).filter(
      (o) => o.status !== "known" && o.end >= today,
    );
    const next = upcomingOnes.slice(0, 1);
    let past: Occurrence | undefined;
    if (r?.kind === "year" || (next[0] && !next[0].start.startsWith(year))) {
      const thisYear = all(`${year}-01-01`, `${year}-12-31`).filter((o) => o.end < today);
      past = thisYear.find((o) => o.status === "known") ?? thisYear[thisYear.length - 1];
    }
    return {
      kind: "event-dates",
      frame,
      entryId: entry.id,
      occurrences: next,
      years: [],
      ...(past && r?.kind === "year" ? { past } : {}),
      ...(announced && !next.some((o) => o.status === "known") && !(past?.status === "known")
        ? { undated: true }
        : {}),
    };
  }

  function eventsInRange(
    frame: Frame,
    range: { from: string; to: string; label: { vi: string; en: string } },
  ): Finding {
    const occurrences = index.eventsBetween(range.from, range.to).filter((o) => o.status !== "known");
    const next = occurrences.length
      ? []
      : index
          .eventsBetween(range.to, addDays(range.to, 365))
          .filter((o) => o.status !== "known")
          .slice(0, 3);
    return { kind: "events-list", frame, label: range.label, occurrences, next };
  }

  function isEventName(term: string): boolean {
    return eventTitleWords.has(term);
  }
}

/** Attributes asked for a value: a time, an amount, a number to call, a duration. */
/** Asking for a pick ("gợi ý", "recommend", "ngon nhất") … of a business ("khách sạn", "quán", "restaurant"). */
const RECOMMENDATION =
  /\b(?:goi y|gioi thieu|recommend\w*|suggest\w*|nen o dau|nen o|nen an|ngon nhat|tot nhat|re nhat|dep nhat|best|cheapest|good)\b/;
const BUSINESS =
  /\b(?:khach san|nha nghi|homestay|hotel|hotels|guesthouse|hostel|resort|quan an|quan|nha hang|restaurant|restaurants|cafe|ca phe|place to stay|place to eat)\b/;

/** Where a guest stays, or who runs it ("check in" at a hotel, "the owner" of a homestay). */
const LODGING_PLACE =
  /\b(?:khach san|ks|nha nghi|homestay|hotel|guesthouse|hostel|resort|nha tro|check in|checkin|nhan phong|chu nha|owner|host|reception|le tan)\b/;

const EATING = /\b(?:quan an|quan|nha hang|restaurant|restaurants|cafe|ca phe|place to eat|an o dau|an gi)\b/;

/** Words that ask about the area as a whole ('có gì chơi', 'things to do', 'must see'). */
const OVERVIEW_WORDS: ReadonlySet<string> = new Set(
  "choi vui dep hay thu vi nhat things thing do see places place best top must nice beautiful interesting visit".split(
    " ",
  ),
);

/** How many of the ranked entries an overview of the area lists. */
const OVERVIEW_SIZE = 7;

/** Words of any festival's question ("lễ hội năm 2024"): they do not say which part of it is asked. */
const EVENT_WORDS: ReadonlySet<string> = new Set(
  "le hoi tet festival event celebration ngay nam year dien ra to chuc held khi nao bao gio".split(" "),
);

/** The share of a clause's words the subject it seemed to leave must hold to keep it (see fitsLeft). */
const LEFT_SUBJECT_HELD = 0.25;
/** The share of a short clause.s words (four syllables or words at most) that keeps the conversation's subject (keepsSubject). */
const SHORT_CLAUSE_HELD = 0.5;

/** The share of a clause's own words an entry found by them alone must hold (see searchSubject). */
const OWN_WORDS_HELD = 0.6;

const VALUE_ATTRIBUTES: ReadonlySet<Attribute> = new Set<Attribute>([
  "hours",
  "price",
  "contact",
  "travel-time",
]);

/** A sentence that says the content lacks something. */
const NOT_KNOWN =
  /\b(?:chua (?:duoc )?xac nhan|chua co (?:nguon|thong tin|gio chinh thuc|so)|khong co (?:nguon|thong tin)|chua tim thay|khong tim thay|chua tim duoc|khong tim duoc|chua co gio|not (?:been )?confirmed|unconfirmed|have not found|has not been found|not found|no official|no source|we do not have|we don t have)\b/;

function saysNotKnown(u: FactUnit): boolean {
  return NOT_KNOWN.test(normalize(u.text).folded);
}

/** True when a sentence gives the kind of value an attribute asks (a time, an amount, a phone number). */
function hasValue(u: FactUnit, attribute: Attribute): boolean {
  const s = normalize(u.text).folded;
  if (attribute === "hours") return /\b\d{1,2}(?::\d{2}|h\d{0,2}|\s*gio|\s*(?:am|pm))\b/.test(s);
  if (attribute === "price")
    return /\d{1,3}(?:[.,]\d{3})+|\d+\s*(?:dong|vnd|usd|k\b|nghin|trieu)|\$\s*\d/.test(s);
  if (attribute === "contact") return /\b(?:0\d{2,3}[ .]?\d{3}[ .]?\d{3,4}|11[345])\b/.test(s);
  return /\d/.test(s);
}

/** A sentence that says a claim is unconfirmed, disputed or may have changed. */
const HEDGE =
  /\b(?:chua (?:duoc )?xac nhan|chua (?:duoc )?kiem chung|co the da thay doi|cac nguon khac nhau|nguon khac nhau|khong tim thay nguon|chua tim thay nguon|unconfirmed|not (?:been )?confirmed|may have changed|sources differ|not verified|found no source|cannot say)\b/;

/**
 * The picked sentences, and the caveat of their section when another sentence of it carries one
 * ("… but this is unconfirmed"): a fact is not quoted without the doubt its section states.
 */
function withCaveats(picked: FactUnit[], units: readonly FactUnit[]): FactUnit[] {
  if (picked.some((u) => HEDGE.test(normalize(u.text).folded))) return picked;
  const headings = new Set(picked.filter((u) => !u.field && u.heading).map((u) => u.heading));
  const caveat = units.find(
    (u) => !u.field && headings.has(u.heading) && !picked.includes(u) && HEDGE.test(normalize(u.text).folded),
  );
  if (!caveat) return picked;
  // A caveat that introduces a list ("For later years the date is unconfirmed:") goes before it.
  return caveat.text.trimEnd().endsWith(":") ? [caveat, ...picked] : [...picked, caveat];
}

/** Vehicles by kind, in both languages: a fare asked of one is stated under any name of it. */
const VEHICLE_KIN: RegExp[] = [
  /\b(?:cap treo|cable car)\b/,
  /\b(?:tau|thuyen|xuong|boat|boats|ferry|pha)\b/,
  /\b(?:xe buyt|xe bus|bus|buses|xe khach|coach)\b/,
  /\b(?:taxi|grab)\b/,
  /\b(?:xe om|motorbike taxi|xe may|motorbike)\b/,
];

/** What a festival or season itself can be asked. */
const EVENT_ATTRIBUTES: ReadonlySet<Attribute> = new Set<Attribute>([
  "dates",
  "rite-time",
  "events-list",
  "where",
  "what-to-see",
  "history",
  "season",
  "itinerary",
]);

/** Words of a festival: "khi nào?" of a temple with them asks the festival's dates. */
const FESTIVAL_WORDS = /\b(?:le hoi|festival|via|hoi|le|tet|event)\b/;

/** The practical topic an attribute belongs to, when there is one. */
const TOPIC_OF: Partial<Record<Attribute, string>> = {
  "getting-there": "getting-there",
  "made-of": "food",
  season: "seasons",
  contact: "safety",
};

function upcoming(today: string) {
  return { from: today, to: addDays(today, 30), label: { vi: "sắp tới", en: "coming up" } };
}

function hasLodgingAttribute(attributes: Attribute[]): boolean {
  return attributes.some((a) => LODGING_ATTRIBUTES.has(a));
}

function mentionsNumber(u: FactUnit): boolean {
  return /\d/.test(u.text);
}

/** Two findings quoting the same unit: the second keeps only its other units. */
function dedupeUnits(findings: Finding[]): Finding[] {
  const seen = new Set<FactUnit>();
  return findings.map((f) => {
    if (f.kind !== "facts") return f;
    const units = f.units.filter((u) => !seen.has(u));
    for (const u of f.units) seen.add(u);
    return units.length ? { ...f, units } : f;
  });
}

function addDays(iso: string, days: number): string {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

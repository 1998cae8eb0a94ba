import type { Lang } from "../../../indexer/index.ts";
import {
  LODGING_ATTRIBUTES,
  type Act,
  type Attribute,
  type Clause,
  type DateRange,
  type LodgingDetails,
  type Reading,
} from "../understand/index.ts";
import { reduceReport, type ReportEvent, type ReportProgress } from "./report.ts";

/**
 * The dialogue state: what a conversation is about after each turn, as a pure reduction over its turns
 * (`reduce(state, turn) → state`), so that it can be re-created by replaying them (as Rasa's tracker)
 * and stored anywhere. A turn that names its own subject starts a new topic; a turn with only an
 * attribute, a year, a guest detail or a pronoun applies to the current subject; a correction changes a
 * constraint of the last frames and re-answers them; small talk changes nothing.
 */

/** Where a frame's subject came from. */
export type SubjectSource =
  /** The clause named it. */
  | "named"
  /** An earlier clause of the same turn named it ("Núi Cấm cao bao nhiêu, có cáp treo không?"). */
  | "turn"
  /** The conversation's current subject, and the clause leans on it ("mấy giờ mở cửa?", "còn 2029?"). */
  | "conversation"
  /** The conversation's current subject, but the clause has words of its own: find decides (see find). */
  | "weak";

/** One thing to answer: a subject (or none: found by search), what is asked of it, and its constraints. */
export type Frame = {
  subject?: string;
  /** The conversation's subject before a clause that names another one (find may keep it; see find). */
  previousSubject?: string;
  /** Other entries the clause names by the same name ("mắm thái": the market and the food); find picks. */
  alternatives?: string[];
  subjectSource?: SubjectSource;
  attributes: Attribute[];
  years: number[];
  range?: DateRange;
  /** The clause as typed (search and fact ranking read it). */
  text: string;
  topicTerms: string[];
  cueTerms?: string[];
  families?: string[];
  wantsNumber?: boolean;
  lodging: LodgingDetails;
  /**
   * The words of the conversation's topic, for a clause that leans on its subject: after "the cable car
   * of Núi Cấm", "how long is the line?" asks of the cable car (find ranks with them, at a lower weight).
   */
  contextTerms?: string[];
  /** The frame was about registering guests (set once answered): its lodging details carry over. */
  lodgingTopic?: boolean;
};

export type DialogueState = {
  lang?: Lang;
  /** The entry the conversation is about. */
  subject?: string;
  /** The frames of the last answered question (a correction or "còn 2029?" re-answers them). */
  frames: Frame[];
  /** The lodging details given so far in the current lodging topic (guest, arrival, count, payer). */
  lodging: LodgingDetails;
  /** The last question asked, as typed (a model sees it as context). */
  question?: string;
  /** The topic's own words so far (the latest last), kept while the subject stays: see Frame.contextTerms. */
  topic?: string[];
  /** A tourist report in progress (see report.ts and bot/reports/). */
  report?: ReportProgress;
  turns: number;
};

/** One turn as the tracker records it: what was read and the frames that were answered. */
export type TrackedTurn = {
  /** What the turn was; "report" for a turn of a tourist report's dialogue (see bot/reports/). */
  act: Act | "report";
  lang: Lang;
  /** The turn's text, as typed. */
  text: string;
  /** The frames answered, with the subjects find settled on (empty for small talk and refusals). */
  answered: Frame[];
  /** What happened to the report in progress in this turn, in order. */
  report?: ReportEvent[];
};

export const INITIAL_STATE: DialogueState = Object.freeze({
  frames: [],
  lodging: {},
  turns: 0,
}) as DialogueState;

/** The state after a turn. Pure. */
export function reduce(state: DialogueState, turn: TrackedTurn): DialogueState {
  const base: DialogueState = { ...state, lang: turn.lang, question: turn.text, turns: state.turns + 1 };
  if (turn.report?.length) {
    const report = turn.report.reduce(reduceReport, state.report);
    if (report) base.report = report;
    else delete base.report;
  }
  if (turn.answered.length === 0) {
    // Small talk, greetings and refusals keep the subject; an emergency or a refusal keeps it too.
    return base;
  }
  const subject = [...turn.answered].reverse().find((f) => f.subject)?.subject;
  // Lodging details (guest, arrival, count, payer) carry over while the conversation stays on lodging.
  const lodgingFrame = turn.answered.find((f) => f.lodgingTopic || isLodgingFrame(f));
  // The topic's words: the last frames', after the earlier ones while the subject stays.
  const own = turn.answered.flatMap((f) => f.topicTerms);
  const kept = subject && subject === state.subject ? (state.topic ?? []) : [];
  const topic = [...new Set([...kept.filter((w) => !own.includes(w)), ...own])].slice(-TOPIC_WORDS);
  return {
    ...base,
    ...(subject ? { subject } : {}),
    topic,
    frames: [...turn.answered],
    lodging: lodgingFrame ? { ...state.lodging, ...lodgingFrame.lodging } : {},
  };
}

/** Words that give a lodging detail or a year, not a topic ("khách Việt", "5 guests", "công ty"). */
const DETAIL_WORDS: ReadonlySet<string> = new Set(
  (
    "khach guest guests viet vietnamese nuoc ngoai foreign foreigner foreigners tay han quoc nhat korean " +
    "japanese chinese cong ty company ca nhan individual ho kinh doanh nguoi dem night toi sang chieu khuya luc " +
    "arrive arrives arriving arrival year nam sau next last ngay thang " +
    "french german american british australian dutch canadian cambodian thai phap duc my uc anh campuchia " +
    "paper form forms phieu giay online truc tuyen dien tu electronic electronically remote vung sau xa use dung " +
    "ks hotel homestay guesthouse nha nghi san owned owner run runs person one business kinh doanh ten phai chu same"
  ).split(" "),
);

/** How many of the topic's words the state keeps. */
const TOPIC_WORDS = 8;

/** Replays turns from the initial state. */
export function replay(turns: readonly TrackedTurn[]): DialogueState {
  return turns.reduce(reduce, INITIAL_STATE);
}

/** A clause with a pronoun and this many words of its own is checked against the subject (framesFor). */
const POINTS_BACK_OWN_WORDS = 4;

/** True for a frame about registering guests (a deadline, a fine, documents, how to declare). */
export function isLodgingFrame(f: Frame): boolean {
  return f.attributes.some((a) => LODGING_ATTRIBUTES.has(a));
}

/**
 * The frames of a turn, resolved against the state: each clause's subject (named, from an earlier clause,
 * or the conversation's), its attributes (carried from the last frames when the clause only leans back:
 * "còn 2029?", "còn chùa Hang thì sao?") and its lodging details (carried within a lodging topic).
 */
export function framesFor(state: DialogueState, reading: Reading): Frame[] {
  if (reading.act === "correction" && state.frames.length) return corrected(state, reading);
  const frames: Frame[] = [];
  // The state is read only where a clause needs it, so that a plan made from it can be shared by every
  // conversation whose state agrees on what was read (see PlanCache).
  for (const [i, clause] of reading.clauses.entries()) {
    const previous = frames[i - 1];
    const frame = frameOf(clause, reading.lodging);
    if (clause.named[0]) {
      frame.subject = clause.named[0];
      frame.subjectSource = "named";
      if (clause.named.length > 1) frame.alternatives = clause.named.slice(1);
      // "Mùa nước nổi hồ rộng cỡ nào?" after the lake: a season named as a time, find decides.
      if (!previous && clause.pointsBack === false && state.subject && state.subject !== clause.named[0])
        frame.previousSubject = state.subject;
    } else if (previous?.subject) {
      frame.subject = previous.subject;
      frame.subjectSource = "turn";
    } else if (!state.subject && clause.origins[0]) {
      // Only a starting point named, and nothing before: the question is about that place.
      frame.subject = clause.origins[0];
      frame.subjectSource = "named";
    } else if (state.subject) {
      // A pronoun leans back unless the clause has many words of its own ("my hotel asked for my
      // passport at check in, is that normal?"): then find checks the subject still fits them.
      const leans =
        (clause.pointsBack && clause.topicTerms.length < POINTS_BACK_OWN_WORDS) ||
        clause.topicTerms.length === 0 ||
        (clause.attributes.length === 0 &&
          (clause.years.length > 0 ||
            // A guest's detail leans back on a lodging question, not on a festival's.
            (hasLodgingDetail(reading.lodging) && state.frames.some(isLodgingFrame))));
      frame.subject = state.subject;
      frame.subjectSource = leans ? "conversation" : "weak";
      const context = (state.topic ?? []).filter((w) => !clause.topicTerms.includes(w));
      if (context.length) frame.contextTerms = context;
    }
    if (frame.attributes.length === 0) {
      // "còn 2029?", "còn khách Việt Nam thì sao?", "and Chùa Hang?": the attributes asked just before.
      // A clause with words of its own besides the detail ("khai online thì cần chụp gì của passport")
      // asks something new: it does not take the last question's attributes.
      const ownWords = clause.topicTerms.filter((w) => !DETAIL_WORDS.has(w)).length;
      const leansBack =
        clause.pointsBack ||
        (previous !== undefined && clause.named.length > 0 && ownWords <= 1) ||
        (clause.named.length === 0 &&
          ownWords <= 2 &&
          (clause.years.length > 0 || hasLodgingDetail(reading.lodging)));
      const carried = !leansBack
        ? []
        : previous?.attributes.length
          ? previous.attributes
          : (state.frames[0]?.attributes ?? []);
      if (carried.length) frame.attributes = [...carried];
      if (clause.years.length === 0 && !clause.range && previous && leansBack) {
        if (previous.range) frame.range = previous.range;
      }
    }
    // "Ai xây? Năm nào?": the year of what was just asked about, not an event's date.
    if (
      previous?.attributes.includes("history") &&
      frame.attributes.length === 1 &&
      frame.attributes[0] === "dates"
    )
      frame.attributes = ["history"];
    if (isLodgingFrame(frame) || (frame.attributes.length === 0 && hasLodgingDetail(reading.lodging))) {
      // Lodging details carry over within a lodging topic: "còn khách Việt Nam?" keeps the arrival time.
      const carry = state.frames.some((f) => f.lodgingTopic || isLodgingFrame(f)) ? state.lodging : {};
      frame.lodging = { ...carry, ...reading.lodging };
    }
    frames.push(frame);
  }
  return frames;
}

function frameOf(clause: Clause, lodging: LodgingDetails): Frame {
  return {
    attributes: [...clause.attributes],
    years: [...clause.years],
    ...(clause.range ? { range: clause.range } : {}),
    text: clause.text,
    topicTerms: [...clause.topicTerms],
    cueTerms: [...clause.cueTerms],
    families: [...clause.families],
    wantsNumber: clause.wantsNumber,
    lodging: { ...lodging },
  };
}

function hasLodgingDetail(d: LodgingDetails): boolean {
  return (
    d.guest !== undefined ||
    d.arrival !== undefined ||
    d.guests !== undefined ||
    d.payer !== undefined ||
    d.stayDays !== undefined ||
    d.household !== undefined
  );
}

/**
 * A correction ("no, I mean foreign guests", "à không, năm 2028", "sorry, Chùa Hang"): the last frames
 * again, with what the correction gives in place of what they had.
 */
function corrected(state: DialogueState, reading: Reading): Frame[] {
  const named = reading.clauses.flatMap((c) => c.named);
  const years = [...new Set(reading.clauses.flatMap((c) => c.years))];
  const range = reading.clauses.find((c) => c.range)?.range;
  const attributes = [...new Set(reading.clauses.flatMap((c) => c.attributes))];
  return state.frames.map((f) => {
    const out: Frame = { ...f, lodging: { ...state.lodging, ...f.lodging, ...reading.lodging } };
    if (named[0]) {
      out.subject = named[0];
      out.subjectSource = "named";
    }
    if (years.length) {
      out.years = years;
      delete out.range;
    }
    if (range && !years.length) out.range = range;
    if (attributes.length && !isLodgingFrame(f)) out.attributes = attributes;
    return out;
  });
}

import { describe, expect, it } from "vitest";
import { understandTurn, type Lexicon } from "../understand/index.ts";
import {
  framesFor,
  INITIAL_STATE,
  reduce,
  replay,
  type DialogueState,
  type Frame,
  type TrackedTurn,
} from "./state.ts";

/**
 * The dialogue state, turn by turn: what a turn's frames are about given the state, and the state after
 * it. A turn is recorded with the frames as answered (find settles searched subjects), so these tests
 * settle them by hand, as the assistant does.
 */

const lexicon: Lexicon = {
  namedEntries(folded) {
    const names: [string, string][] = [
      ["mieu ba chua xu", "mieu-ba-chua-xu"],
      ["chua hang", "chua-hang"],
      ["tet", "tet-nguyen-dan"],
      ["chol chnam thmay", "chol-chnam-thmay"],
    ];
    return names.filter(([n]) => folded.includes(n)).map(([name, id]) => ({ id, name }));
  },
};
const NOW = new Date("2026-12-01T10:00:00+07:00");

/** One turn: its frames against the state, settled on `subjects` (by position), and the state after. */
function turn(state: DialogueState, text: string, subjects: (string | undefined)[] = []) {
  const reading = understandTurn(text, { now: NOW, lexicon });
  const frames = framesFor(state, reading).map((f, i) => (subjects[i] ? { ...f, subject: subjects[i] } : f));
  const answered: Frame[] = reading.act === "question" || reading.act === "correction" ? frames : [];
  const tracked: TrackedTurn = {
    act: reading.act,
    lang: reading.language.lang,
    text: reading.text,
    answered,
  };
  return { frames, tracked, state: reduce(state, tracked) };
}

describe("dialogue state", () => {
  it("applies an attribute-only turn to the current subject", () => {
    const t1 = turn(INITIAL_STATE, "Miếu Bà Chúa Xứ ở đâu?");
    expect(t1.state.subject).toBe("mieu-ba-chua-xu");
    const t2 = turn(t1.state, "mấy giờ mở cửa?");
    expect(t2.frames[0]).toMatchObject({ subject: "mieu-ba-chua-xu", subjectSource: "conversation" });
    expect(t2.frames[0]?.attributes).toEqual(["hours"]);
  });

  it("starts a new topic when a turn names its own subject, keeping the attribute asked before", () => {
    const t1 = turn(INITIAL_STATE, "Chùa Hang mấy giờ mở cửa?");
    const t2 = turn(t1.state, "còn Miếu Bà Chúa Xứ thì sao?");
    expect(t2.frames[0]).toMatchObject({ subject: "mieu-ba-chua-xu", subjectSource: "named" });
    expect(t2.frames[0]?.attributes).toEqual(["hours"]);
  });

  it("reads 'and Tết in 2028?' after Khmer New Year as Tết, not as the Khmer New Year of 2028", () => {
    const t1 = turn(INITIAL_STATE, "Tết Chôl Chnăm Thmây năm 2027 ngày nào?");
    const t2 = turn(t1.state, "and Tết in 2028?");
    expect(t2.frames[0]).toMatchObject({ subject: "tet-nguyen-dan", years: [2028] });
  });

  it("lets find decide when a turn has topic words of its own (a weak subject)", () => {
    const t1 = turn(INITIAL_STATE, "Miếu Bà Chúa Xứ ở đâu?");
    const t2 = turn(t1.state, "what should I eat for dinner");
    expect(t2.frames[0]?.subjectSource).toBe("weak");
  });

  it("checks a pronoun against the subject when the clause has many words of its own", () => {
    const t1 = turn(INITIAL_STATE, "Miếu Bà Chúa Xứ ở đâu?");
    expect(turn(t1.state, "what is it made of").frames[0]?.subjectSource).toBe("conversation");
    const t2 = turn(t1.state, "my hotel asked for my passport at check in, is that normal");
    expect(t2.frames[0]?.subjectSource).toBe("weak");
  });

  it("leans a guest's detail back on a lodging question only", () => {
    const lodging = turn(INITIAL_STATE, "khách Việt Nam đến lúc 22h thì báo lưu trú trước mấy giờ?", [
      "thong-bao-luu-tru",
    ]);
    expect(turn(lodging.state, "khách nước ngoài ở homestay").frames[0]?.subjectSource).toBe("conversation");
    const festival = turn(INITIAL_STATE, "Miếu Bà Chúa Xứ ở đâu?");
    expect(turn(festival.state, "khách nước ngoài ở homestay").frames[0]?.subjectSource).toBe("weak");
  });

  it("re-answers the last frames with the corrected detail", () => {
    const t1 = turn(INITIAL_STATE, "khách Việt Nam đến lúc 22h thì báo lưu trú trước mấy giờ?", [
      "thong-bao-luu-tru",
    ]);
    expect(t1.frames[0]?.lodging).toMatchObject({ guest: "vn", arrival: 22 * 60 });
    const t2 = turn(t1.state, "à không, khách là người Hàn Quốc");
    expect(t2.tracked.act).toBe("correction");
    expect(t2.frames).toHaveLength(1);
    expect(t2.frames[0]?.lodging).toMatchObject({ guest: "foreign", arrival: 22 * 60 });
    expect(t2.frames[0]?.attributes).toEqual(t1.frames[0]?.attributes);
  });

  it("keeps the subject across small talk", () => {
    const t1 = turn(INITIAL_STATE, "Chùa Hang ở đâu?");
    const t2 = turn(t1.state, "ok cảm ơn nha");
    expect(t2.tracked.act).toBe("thanks");
    expect(t2.state.subject).toBe("chua-hang");
    expect(turn(t2.state, "mấy giờ mở cửa?").frames[0]?.subject).toBe("chua-hang");
  });

  it("carries lodging details within a lodging topic and drops them after another topic", () => {
    const t1 = turn(INITIAL_STATE, "6 khách Việt đến lúc 23h thì báo trước mấy giờ", ["thong-bao-luu-tru"]);
    const lodging1 = {
      ...t1.tracked,
      answered: t1.tracked.answered.map((f) => ({ ...f, lodgingTopic: true })),
    };
    const s1 = reduce(INITIAL_STATE, lodging1);
    const t2 = turn(s1, "quên báo thì phạt bao nhiêu?");
    expect(t2.frames[0]?.lodging).toMatchObject({ guest: "vn", guests: 6 });
    const t3 = turn(t2.state, "Chùa Hang ở đâu?");
    expect(t3.state.lodging).toEqual({});
  });

  it("is a pure reduction: replaying the turns gives the same state, and no state is changed in place", () => {
    const frozen = Object.freeze({ ...INITIAL_STATE });
    const t1 = turn(frozen, "Chùa Hang ở đâu?");
    const t2 = turn(t1.state, "mấy giờ mở cửa?");
    const t3 = turn(t2.state, "còn Miếu Bà Chúa Xứ thì sao?");
    expect(replay([t1.tracked, t2.tracked, t3.tracked])).toEqual(t3.state);
    expect(frozen).toEqual(INITIAL_STATE);
    expect(t1.state.subject).toBe("chua-hang");
    // A state survives a trip through JSON (any store can keep it).
    expect(JSON.parse(JSON.stringify(t3.state))).toEqual(t3.state);
  });

  it("carries the last attributes to a turn that only gives a detail, not to one with words of its own", () => {
    const t1 = turn(INITIAL_STATE, "quên báo 2 khách thì bị phạt bao nhiêu", ["muc-phat-luu-tru"]);
    expect(t1.frames[0]?.attributes).toEqual(["fine"]);
    // A detail: the fine again, for the new count.
    const t2 = turn(t1.state, "còn 10 khách thì sao");
    expect(t2.frames[0]?.attributes).toEqual(["fine"]);
    // A new question about the same topic, with its own words: not the fine again.
    const t3 = turn(t1.state, "khai online thì cần chụp gì của passport");
    expect(t3.frames[0]?.attributes).not.toContain("fine");
  });

  it("keeps the topic's words while the subject stays, and drops them with a new subject", () => {
    const t1 = turn(INITIAL_STATE, "Miếu Bà Chúa Xứ có lễ tắm tượng không");
    const t2 = turn(t1.state, "mấy giờ");
    expect(t2.frames[0]?.contextTerms).toContain("tuong");
    const t3 = turn(t2.state, "chùa Hang ở đâu");
    expect(t3.state.topic).not.toContain("tuong");
  });
});

import { describe, expect, it } from "vitest";
import { reduceReport, type ReportEvent, type ReportProgress } from "./report.ts";
import { INITIAL_STATE, replay, type TrackedTurn } from "./state.ts";

/** The report in progress as a pure reduction: each event's effect, and the same state from a replay. */

const line = (text: string): ReportEvent => ({
  kind: "line",
  line: { from: "user", text, at: "2026-11-22T02:00:00Z" },
});
const turn = (report: ReportEvent[]): TrackedTurn => ({
  act: "report",
  lang: "vi",
  text: "",
  answered: [],
  report,
});

describe("reduceReport", () => {
  it("starts at the category, answers move to the next step, skips skip, and end drops it", () => {
    let r: ReportProgress | undefined = reduceReport(undefined, { kind: "start" });
    expect(r).toEqual({ step: "category", draft: { lines: [] } });
    r = reduceReport(r, { kind: "answer", value: { step: "category", category: "prices" } });
    expect(r?.step).toBe("where");
    r = reduceReport(r, { kind: "skip" });
    expect(r?.step).toBe("when");
    // An answer for another step than the current one changes nothing.
    expect(reduceReport(r, { kind: "answer", value: { step: "photo", photo: "x.jpg" } })).toBe(r);
    r = reduceReport(r, { kind: "answer", value: { step: "when", when: "sáng nay" } });
    r = reduceReport(r, { kind: "skip" });
    expect(r).toMatchObject({ step: "description", draft: { category: "prices", when: "sáng nay" } });
    r = reduceReport(r, { kind: "interrupt" });
    expect(r?.asking).toBe("restart");
    r = reduceReport(r, { kind: "resume" });
    expect(r).not.toHaveProperty("asking");
    expect(reduceReport(r, { kind: "end" })).toBeUndefined();
    // A photo sent early is kept, and the photo step is passed over.
    let early = reduceReport(reduceReport(undefined, { kind: "start" }), { kind: "attach", photo: "p.jpg" });
    expect(early).toMatchObject({ step: "category", draft: { photo: "p.jpg" } });
    early = reduceReport(early, { kind: "answer", value: { step: "category", category: "other" } });
    early = reduceReport(early, { kind: "skip" });
    early = reduceReport(early, { kind: "skip" });
    expect(early?.step).toBe("description");
    // Nothing but a start opens a report.
    expect(reduceReport(undefined, { kind: "skip" })).toBeUndefined();
  });

  it("is part of the dialogue state: replaying the turns re-creates it, other turns keep it", () => {
    const turns = [
      turn([{ kind: "start" }, line("tôi muốn phản ánh")]),
      turn([{ kind: "answer", value: { step: "category", category: "safety" } }, line("2")]),
      { act: "question" as const, lang: "vi" as const, text: "Miếu Bà ở đâu?", answered: [] },
      turn([{ kind: "answer", value: { step: "where", place: { text: "bến đò" } } }, line("bến đò")]),
    ];
    const state = replay(turns);
    expect(state.report).toMatchObject({
      step: "when",
      draft: { category: "safety", place: { text: "bến đò" } },
    });
    expect(state.report?.draft.lines.map((l) => l.text)).toEqual(["tôi muốn phản ánh", "2", "bến đò"]);
    expect(replay([...turns, turn([{ kind: "end" }])]).report).toBeUndefined();
    expect(INITIAL_STATE.report).toBeUndefined();
  });
});

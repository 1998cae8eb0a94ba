import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../indexer/index.ts";
import type { CaseRecord, NewCase } from "./cases.ts";
import type { Feedback, InteractionRecord, Store } from "./store.ts";
import type { DeliveryRow } from "./conversations.ts";

/** A complete record with every optional field set; `overrides` changes any of them. */
export function sampleInteraction(overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  return {
    answerId: "a-1",
    at: "2025-02-12T03:04:05.678Z",
    channel: "web",
    conversationHash: "c0ffee00c0ffee00c0ffee00c0ffee00",
    userHash: "deadbeefdeadbeefdeadbeefdeadbeef",
    question: "When is the Bà Chúa Xứ festival?",
    language: "en",
    intent: "event",
    confidence: 0.8125,
    sources: ["festival-ba-chua-xu", "temple-ba-chua-xu", "sam-mountain"],
    coverage: [
      { subject: "festival-ba-chua-xu", attribute: "dates", status: "answered" },
      { subject: "temple-ba-chua-xu", attribute: "hours", status: "unknown" },
    ],
    answer: "From the 22nd to the 27th day of the 4th lunar month.",
    composer: "model",
    latencyMs: 123.5,
    ...overrides,
  };
}

/**
 * The behaviour every Store must have. `open` returns a fresh, empty store and how to dispose of it;
 * each test gets its own.
 */
export function storeContract(
  name: string,
  open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>,
) {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await cleanup();
    });

    it("runs lock calls with the same name one after another, and others alongside", async () => {
      await expectLocksInTurn(store, store);
      // A failing holder releases the lock.
      await expect(store.lock("l", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      expect(await store.lock("l", async () => "after")).toBe("after");
    });

    it("round-trips every field of an interaction", async () => {
      const record = sampleInteraction();
      await store.recordInteraction(record);
      const got = await store.getInteraction("a-1");
      expect(got).toStrictEqual(record);
    });

    it("round-trips an interaction without the optional hashes and with no sources", async () => {
      const record = sampleInteraction({
        answerId: "bare",
        sources: [],
        composer: "extractive",
        confidence: 0,
      });
      delete record.conversationHash;
      delete record.userHash;
      await store.recordInteraction(record);
      const got = await store.getInteraction("bare");
      expect(got).toStrictEqual(record);
      expect(got).not.toHaveProperty("userHash");
      expect(got).not.toHaveProperty("feedback");
    });

    it("keeps the order of sources", async () => {
      await store.recordInteraction(sampleInteraction({ sources: ["z", "a", "m", "a"] }));
      expect((await store.getInteraction("a-1"))?.sources).toEqual(["z", "a", "m", "a"]);
    });

    it("returns undefined for an unknown answer id", async () => {
      await store.recordInteraction(sampleInteraction());
      expect(await store.getInteraction("nope")).toBeUndefined();
    });

    it("is not changed by a caller mutating its objects afterwards", async () => {
      const record = sampleInteraction();
      await store.recordInteraction(record);
      record.sources.push("late");
      record.question = "changed";
      const got = await store.getInteraction("a-1");
      expect(got?.question).toBe("When is the Bà Chúa Xứ festival?");
      expect(got?.sources).toEqual(["festival-ba-chua-xu", "temple-ba-chua-xu", "sam-mountain"]);
      got?.sources.push("mutated");
      expect((await store.getInteraction("a-1"))?.sources).toHaveLength(3);
    });

    it("rejects a second interaction with the same answer id and keeps the first", async () => {
      await store.recordInteraction(sampleInteraction());
      const error = await store
        .recordInteraction(sampleInteraction({ question: "other" }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("store_duplicate_answer");
      expect((await store.getInteraction("a-1"))?.question).toBe("When is the Bà Chúa Xứ festival?");
    });

    it("attaches feedback to its answer", async () => {
      await store.recordInteraction(sampleInteraction());
      const result = await store.recordFeedback({
        answerId: "a-1",
        helpful: false,
        comment: "wrong dates",
        at: "2025-02-12T03:05:00.000Z",
      });
      expect(result).toBe("ok");
      expect((await store.getInteraction("a-1"))?.feedback).toStrictEqual({
        helpful: false,
        comment: "wrong dates",
        at: "2025-02-12T03:05:00.000Z",
      });
    });

    it("answers unknown_answer for feedback on an unknown id and writes nothing", async () => {
      await store.recordInteraction(sampleInteraction());
      const result = await store.recordFeedback({
        answerId: "ghost",
        helpful: true,
        at: "2025-02-12T03:05:00Z",
      });
      expect(result).toBe("unknown_answer");
      expect(await store.getInteraction("ghost")).toBeUndefined();
      expect((await store.getInteraction("a-1"))?.feedback).toBeUndefined();
      // An interaction recorded later under that id must not find the rejected feedback waiting for it.
      await store.recordInteraction(sampleInteraction({ answerId: "ghost" }));
      expect((await store.getInteraction("ghost"))?.feedback).toBeUndefined();
    });

    it("replaces the first feedback with a second one for the same answer", async () => {
      await store.recordInteraction(sampleInteraction());
      await store.recordFeedback({
        answerId: "a-1",
        helpful: false,
        comment: "meh",
        at: "2025-02-12T03:05:00Z",
      });
      expect(await store.recordFeedback({ answerId: "a-1", helpful: true, at: "2025-02-12T03:06:00Z" })).toBe(
        "ok",
      );
      expect((await store.getInteraction("a-1"))?.feedback).toStrictEqual({
        helpful: true,
        at: "2025-02-12T03:06:00Z",
      });
    });

    it("keeps feedback of one answer away from another", async () => {
      await store.recordInteraction(sampleInteraction({ answerId: "x" }));
      await store.recordInteraction(sampleInteraction({ answerId: "y" }));
      await store.recordFeedback({ answerId: "y", helpful: true, at: "2025-02-12T03:06:00Z" });
      expect((await store.getInteraction("x"))?.feedback).toBeUndefined();
      expect((await store.getInteraction("y"))?.feedback?.helpful).toBe(true);
    });

    describe("listInteractions", () => {
      // Recorded out of order on purpose, two channels.
      const times: [string, string, string][] = [
        ["b", "2025-03-02T10:00:00.000Z", "telegram"],
        ["d", "2025-03-04T10:00:00.000Z", "web"],
        ["a", "2025-03-01T10:00:00.000Z", "web"],
        ["c", "2025-03-03T10:00:00.000Z", "web"],
        ["e", "2025-03-05T10:00:00.000Z", "telegram"],
      ];
      beforeEach(async () => {
        for (const [answerId, at, channel] of times) {
          await store.recordInteraction(sampleInteraction({ answerId, at, channel }));
        }
      });
      const ids = (records: InteractionRecord[]) => records.map((r) => r.answerId);

      it("lists newest first", async () => {
        expect(ids(await store.listInteractions())).toEqual(["e", "d", "c", "b", "a"]);
      });

      it("returns full records", async () => {
        const [first] = await store.listInteractions({ limit: 1 });
        expect(first).toStrictEqual(
          sampleInteraction({ answerId: "e", at: "2025-03-05T10:00:00.000Z", channel: "telegram" }),
        );
      });

      it("treats since as inclusive and until as exclusive", async () => {
        const got = await store.listInteractions({
          since: "2025-03-02T10:00:00.000Z",
          until: "2025-03-04T10:00:00.000Z",
        });
        expect(ids(got)).toEqual(["c", "b"]);
      });

      it("compares instants, not strings", async () => {
        // The same instants as "b" and "d", written without milliseconds and with a +07:00 offset.
        const got = await store.listInteractions({
          since: "2025-03-02T10:00:00Z",
          until: "2025-03-04T17:00:00+07:00",
        });
        expect(ids(got)).toEqual(["c", "b"]);
      });

      it("filters by channel", async () => {
        expect(ids(await store.listInteractions({ channel: "telegram" }))).toEqual(["e", "b"]);
        expect(ids(await store.listInteractions({ channel: "web", since: "2025-03-03T00:00:00Z" }))).toEqual([
          "d",
          "c",
        ]);
        expect(await store.listInteractions({ channel: "zalo-oa" })).toEqual([]);
      });

      it("applies the limit after ordering", async () => {
        expect(ids(await store.listInteractions({ limit: 2 }))).toEqual(["e", "d"]);
        expect(ids(await store.listInteractions({ limit: 2, channel: "web" }))).toEqual(["d", "c"]);
        expect(await store.listInteractions({ limit: 0 })).toEqual([]);
      });

      it("limits to 100 by default", async () => {
        for (let i = 0; i < 101; i++) {
          const at = new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString();
          await store.recordInteraction(sampleInteraction({ answerId: `bulk-${i}`, at }));
        }
        const got = await store.listInteractions();
        expect(got).toHaveLength(100);
        expect(got[0]?.answerId).toBe("e");
        expect((await store.listInteractions({ limit: 1000 })).length).toBe(106);
      });

      it("orders interactions at the same instant newest recorded first", async () => {
        await store.recordInteraction(
          sampleInteraction({ answerId: "same-1", at: "2025-03-06T00:00:00.000Z" }),
        );
        await store.recordInteraction(
          sampleInteraction({ answerId: "same-2", at: "2025-03-06T00:00:00.000Z" }),
        );
        expect(ids(await store.listInteractions({ limit: 2 }))).toEqual(["same-2", "same-1"]);
      });

      it("rejects a since that is not a timestamp", async () => {
        await expect(store.listInteractions({ since: "yesterday-ish" })).rejects.toMatchObject({
          code: "store_bad_timestamp",
        });
      });
    });

    describe("listFeedback", () => {
      // Interactions on four days and two channels; feedback arrives days later, in another order.
      beforeEach(async () => {
        const seed: [string, string, string][] = [
          ["m1", "2025-03-01T10:00:00.000Z", "web"],
          ["m2", "2025-03-02T10:00:00.000Z", "telegram"],
          ["m3", "2025-03-03T10:00:00.000Z", "web"],
          ["m4", "2025-03-04T10:00:00.000Z", "web"],
          ["silent", "2025-03-03T12:00:00.000Z", "web"],
        ];
        for (const [answerId, at, channel] of seed) {
          await store.recordInteraction(sampleInteraction({ answerId, at, channel }));
        }
        await store.recordFeedback({
          answerId: "m3",
          helpful: false,
          comment: "sai giờ",
          at: "2025-04-01T00:00:00Z",
        });
        await store.recordFeedback({ answerId: "m1", helpful: true, at: "2025-04-02T00:00:00Z" });
        await store.recordFeedback({ answerId: "m2", helpful: false, at: "2025-04-03T00:00:00Z" });
        await store.recordFeedback({
          answerId: "m4",
          helpful: true,
          comment: "ok",
          at: "2025-04-04T00:00:00Z",
        });
      });
      const ids = (feedback: Feedback[]) => feedback.map((f) => f.answerId);

      it("lists every feedback, newest interaction first, as recorded", async () => {
        const got = await store.listFeedback();
        expect(ids(got)).toEqual(["m4", "m3", "m2", "m1"]);
        expect(got[1]).toStrictEqual({
          answerId: "m3",
          helpful: false,
          comment: "sai giờ",
          at: "2025-04-01T00:00:00Z",
        });
        expect(got[3]).toStrictEqual({ answerId: "m1", helpful: true, at: "2025-04-02T00:00:00Z" });
        expect(got[3]).not.toHaveProperty("comment");
      });

      it("filters by verdict", async () => {
        expect(ids(await store.listFeedback({ helpful: false }))).toEqual(["m3", "m2"]);
        expect(ids(await store.listFeedback({ helpful: true }))).toEqual(["m4", "m1"]);
      });

      it("selects by the interaction's time and channel, not the feedback's", async () => {
        // Every feedback came in April; the interactions are in March.
        expect(
          await store.listFeedback({ since: "2025-04-01T00:00:00Z", until: "2025-05-01T00:00:00Z" }),
        ).toEqual([]);
        const got = await store.listFeedback({
          since: "2025-03-02T10:00:00.000Z",
          until: "2025-03-04T17:00:00+07:00",
        });
        expect(ids(got)).toEqual(["m3", "m2"]);
        expect(ids(await store.listFeedback({ channel: "web", helpful: false }))).toEqual(["m3"]);
        expect(ids(await store.listFeedback({ channel: "telegram" }))).toEqual(["m2"]);
      });

      it("applies the limit after ordering, and sees a replaced verdict once", async () => {
        expect(ids(await store.listFeedback({ limit: 2 }))).toEqual(["m4", "m3"]);
        await store.recordFeedback({ answerId: "m3", helpful: true, at: "2025-04-05T00:00:00Z" });
        expect(ids(await store.listFeedback({ helpful: false }))).toEqual(["m2"]);
        expect(ids(await store.listFeedback())).toEqual(["m4", "m3", "m2", "m1"]);
      });

      it("forgets the feedback of purged interactions", async () => {
        await store.purgeBefore("2025-03-03T00:00:00Z");
        expect(ids(await store.listFeedback())).toEqual(["m4", "m3"]);
      });

      it("rejects an until that is not a timestamp", async () => {
        await expect(store.listFeedback({ until: "tomorrow" })).rejects.toMatchObject({
          code: "store_bad_timestamp",
        });
      });
    });

    describe("purgeBefore", () => {
      beforeEach(async () => {
        await store.recordInteraction(
          sampleInteraction({ answerId: "old-1", at: "2024-01-01T00:00:00.000Z" }),
        );
        await store.recordInteraction(
          sampleInteraction({ answerId: "old-2", at: "2024-06-30T23:59:59.999Z" }),
        );
        await store.recordInteraction(
          sampleInteraction({ answerId: "edge", at: "2024-07-01T00:00:00.000Z" }),
        );
        await store.recordInteraction(sampleInteraction({ answerId: "new", at: "2025-01-01T00:00:00.000Z" }));
        await store.recordFeedback({
          answerId: "old-1",
          helpful: false,
          comment: "stale",
          at: "2024-01-02T00:00:00Z",
        });
        await store.recordFeedback({ answerId: "new", helpful: true, at: "2025-01-02T00:00:00Z" });
      });

      it("deletes only interactions strictly older than the timestamp and counts them", async () => {
        expect(await store.purgeBefore("2024-07-01T00:00:00.000Z")).toBe(2);
        expect(await store.getInteraction("old-1")).toBeUndefined();
        expect(await store.getInteraction("old-2")).toBeUndefined();
        expect(await store.getInteraction("edge")).toBeDefined();
        expect((await store.getInteraction("new"))?.feedback?.helpful).toBe(true);
        expect((await store.listInteractions()).map((r) => r.answerId)).toEqual(["new", "edge"]);
      });

      it("deletes their feedback too", async () => {
        await store.purgeBefore("2024-07-01T00:00:00.000Z");
        // Recording the same id again must start without the purged feedback.
        await store.recordInteraction(
          sampleInteraction({ answerId: "old-1", at: "2025-02-01T00:00:00.000Z" }),
        );
        expect((await store.getInteraction("old-1"))?.feedback).toBeUndefined();
        expect(
          await store.recordFeedback({ answerId: "old-2", helpful: true, at: "2025-02-01T00:00:00Z" }),
        ).toBe("unknown_answer");
      });

      it("returns 0 when nothing is older, and purging again deletes nothing", async () => {
        expect(await store.purgeBefore("2023-01-01T00:00:00Z")).toBe(0);
        expect(await store.purgeBefore("2030-01-01T00:00:00Z")).toBe(4);
        expect(await store.purgeBefore("2030-01-01T00:00:00Z")).toBe(0);
        expect(await store.listInteractions()).toEqual([]);
      });
    });

    describe("text", () => {
      it("round-trips Vietnamese, in both Unicode normal forms, byte for byte", async () => {
        const nfc = "Miếu Bà Chúa Xứ Núi Sam mở cửa mấy giờ? Đường đi Tịnh Biên, Châu Đốc".normalize("NFC");
        const nfd = "Lăng Thoại Ngọc Hầu ở đâu?".normalize("NFD");
        expect(nfd).not.toBe(nfd.normalize("NFC"));
        const record = sampleInteraction({
          question: nfc,
          answer: `${nfd}\n• Núi Sam 🏔️\n• Chợ Châu Đốc`,
          language: "vi",
          channel: "zalo-oa",
          sources: ["miếu-bà-chúa-xứ", nfd],
        });
        await store.recordInteraction(record);
        await store.recordFeedback({
          answerId: "a-1",
          helpful: true,
          comment: `Cảm ơn nhiều! ${nfd} 🙏`,
          at: record.at,
        });
        const got = await store.getInteraction("a-1");
        expect(got?.question).toBe(nfc);
        expect(got?.answer).toBe(record.answer);
        expect(got?.sources).toEqual(["miếu-bà-chúa-xứ", nfd]);
        expect(got?.feedback?.comment).toBe(`Cảm ơn nhiều! ${nfd} 🙏`);
        expect(got?.feedback?.comment?.normalize("NFC")).not.toBe(got?.feedback?.comment);
      });

      it("stores long texts whole", async () => {
        const long = "Châu Đốc có gì vui? ".repeat(5000);
        await store.recordInteraction(sampleInteraction({ question: long, answer: long }));
        await store.recordFeedback({
          answerId: "a-1",
          helpful: false,
          comment: long,
          at: "2025-02-12T03:05:00Z",
        });
        const got = await store.getInteraction("a-1");
        expect(got?.question).toBe(long);
        expect(got?.answer.length).toBe(long.length);
        expect(got?.feedback?.comment).toBe(long);
      });

      it("stores quotes, SQL-looking text, line breaks and NUL characters as given", async () => {
        const odd = `'; DROP TABLE interactions; --\n"quoted"\r\n\ttab\u0000after-nul`;
        await store.recordInteraction(sampleInteraction({ answerId: odd, question: odd, channel: odd }));
        const got = await store.getInteraction(odd);
        expect(got?.question).toBe(odd);
        expect(got?.channel).toBe(odd);
        expect(ids(await store.listInteractions({ channel: odd }))).toEqual([odd]);
      });

      const ids = (records: InteractionRecord[]) => records.map((r) => r.answerId);
    });

    it("rejects calls after close, and closing twice is harmless", async () => {
      await store.recordInteraction(sampleInteraction());
      await store.close();
      await store.close();
      await expect(store.getInteraction("a-1")).rejects.toMatchObject({ code: "store_closed" });
      await expect(store.recordInteraction(sampleInteraction({ answerId: "late" }))).rejects.toBeInstanceOf(
        AppError,
      );
    });
    it("claims an update once per channel, and purging forgets old claims", async () => {
      expect(await store.claimUpdate("telegram", "1001", "2026-01-01T00:00:00Z")).toBe(true);
      expect(await store.claimUpdate("telegram", "1001", "2026-01-01T00:00:05Z")).toBe(false);
      expect(await store.claimUpdate("zalo-oa", "1001", "2026-01-01T00:00:00Z")).toBe(true);
      expect(await store.claimUpdate("telegram", "1002", "2026-03-01T00:00:00Z")).toBe(true);
      await store.purgeBefore("2026-02-01T00:00:00Z");
      expect(await store.claimUpdate("telegram", "1001", "2026-03-02T00:00:00Z")).toBe(true);
      expect(await store.claimUpdate("telegram", "1002", "2026-03-02T00:00:00Z")).toBe(false);
    });

    it("keeps channel state by key, and a second write replaces the first", async () => {
      expect(await store.getState("zalo-oa:tokens")).toBeUndefined();
      await store.setState("zalo-oa:tokens", '{"access":"a1","refresh":"r1"}');
      await store.setState("telegram:offset", "42");
      await store.setState("zalo-oa:tokens", '{"access":"a2","refresh":"r2"}');
      expect(await store.getState("zalo-oa:tokens")).toBe('{"access":"a2","refresh":"r2"}');
      expect(await store.getState("telegram:offset")).toBe("42");
    });

    describe("cases", () => {
      const newCase = (overrides: Partial<NewCase> = {}): NewCase => ({
        createdAt: "2026-03-01T02:00:00.000Z",
        tokenHash: "t".repeat(64),
        channel: "telegram",
        reporterHash: "r1",
        conversationId: "4242",
        lang: "vi",
        category: "prices",
        place: { entryId: "sam-mountain", name: "Núi Sam" },
        when: "sáng nay",
        description: "Bị chặt chém giá nước",
        dueAt: "2026-03-04T02:00:00.000Z",
        transcript: [{ from: "user", text: "tôi muốn phản ánh", at: "2026-03-01T01:59:00.000Z" }],
        ...overrides,
      });

      it("gives each case the next code of its year, zero-padded, and round-trips it", async () => {
        const a = await store.createCase(newCase());
        const b = await store.createCase(newCase({ reporterHash: "r2" }));
        const c = await store.createCase(newCase({ createdAt: "2027-01-01T00:00:00Z" }));
        expect([a.code, b.code, c.code]).toEqual(["CD-2026-000001", "CD-2026-000002", "CD-2027-000001"]);
        expect(a.status).toBe("received");
        expect(await store.getCase("CD-2026-000001")).toStrictEqual(a);
        expect(await store.getCase("CD-2026-000009")).toBeUndefined();
      });

      it("lists newest first with filters on status, category, place and creation time", async () => {
        await store.createCase(newCase());
        await store.createCase(
          newCase({ createdAt: "2026-03-02T00:00:00Z", category: "safety", place: { text: "bến đò" } }),
        );
        await store.createCase(newCase({ createdAt: "2026-03-03T00:00:00Z" }));
        await store.updateCase("CD-2026-000003", { status: "resolved", updatedAt: "2026-03-03T05:00:00Z" });
        const codes = (list: CaseRecord[]) => list.map((c) => c.code);
        expect(codes(await store.listCases())).toEqual([
          "CD-2026-000003",
          "CD-2026-000002",
          "CD-2026-000001",
        ]);
        expect(codes(await store.listCases({ status: "received" }))).toEqual([
          "CD-2026-000002",
          "CD-2026-000001",
        ]);
        expect(codes(await store.listCases({ category: "safety" }))).toEqual(["CD-2026-000002"]);
        expect(codes(await store.listCases({ place: "BẾN" }))).toEqual(["CD-2026-000002"]);
        expect(codes(await store.listCases({ place: "núi sam", limit: 1 }))).toEqual(["CD-2026-000003"]);
        expect(
          codes(await store.listCases({ since: "2026-03-02T00:00:00Z", until: "2026-03-03T00:00:00Z" })),
        ).toEqual(["CD-2026-000002"]);
      });

      it("applies patches (null clears), appends lines and keeps events in order", async () => {
        const { code } = await store.createCase(newCase());
        await store.updateCase(code, { assignee: "an", reason: "x", updatedAt: "2026-03-01T03:00:00Z" });
        const got = await store.updateCase(code, {
          status: "rejected",
          reason: null,
          closedAt: "2026-03-01T04:00:00Z",
          updatedAt: "2026-03-01T04:00:00Z",
        });
        expect(got).toMatchObject({ status: "rejected", assignee: "an", closedAt: "2026-03-01T04:00:00Z" });
        expect(got).not.toHaveProperty("reason");
        expect(
          await store.updateCase("CD-2026-999999", { updatedAt: "2026-03-01T04:00:00Z" }),
        ).toBeUndefined();
        await store.appendCaseLine(code, { from: "bot", text: "Đã nhận", at: "2026-03-01T05:00:00Z" });
        expect((await store.getCase(code))?.transcript.map((l) => l.text)).toEqual([
          "tôi muốn phản ánh",
          "Đã nhận",
        ]);
        await store.addCaseEvent({
          code,
          at: "2026-03-01T04:00:00Z",
          kind: "status",
          by: "an",
          detail: "rejected",
        });
        await store.addCaseEvent({
          code,
          at: "2026-03-01T03:00:00Z",
          kind: "assign",
          by: "an",
          detail: "an",
        });
        expect((await store.listCaseEvents(code)).map((e) => e.kind)).toEqual(["assign", "status"]);
        expect(await store.listCaseEvents("CD-2026-000042")).toEqual([]);
      });

      it("counts a reporter's cases since a time, and forgets chat ids of long-closed cases only", async () => {
        const a = await store.createCase(newCase());
        const b = await store.createCase(newCase({ createdAt: "2026-03-05T00:00:00Z" }));
        await store.createCase(newCase({ reporterHash: "other" }));
        expect(await store.countCasesSince("r1", "2026-03-01T00:00:00Z")).toBe(2);
        expect(await store.countCasesSince("r1", "2026-03-02T00:00:00Z")).toBe(1);
        await store.updateCase(a.code, {
          status: "resolved",
          closedAt: "2026-03-02T00:00:00Z",
          updatedAt: "2026-03-02T00:00:00Z",
        });
        await store.updateCase(b.code, {
          status: "resolved",
          closedAt: "2026-06-01T00:00:00Z",
          updatedAt: "2026-06-01T00:00:00Z",
        });
        expect(await store.forgetReporters("2026-04-01T00:00:00Z")).toBe(1);
        expect(await store.forgetReporters("2026-04-01T00:00:00Z")).toBe(0);
        expect(await store.getCase(a.code)).not.toHaveProperty("conversationId");
        expect((await store.getCase(b.code))?.conversationId).toBe("4242");
      });

      it("queues webhooks once per key and settles attempts", async () => {
        expect(await store.enqueueWebhook({ key: "k1", body: "{}", nextAt: "2026-03-01T00:00:00Z" })).toBe(
          true,
        );
        expect(await store.enqueueWebhook({ key: "k1", body: "{2}", nextAt: "2026-03-01T00:00:00Z" })).toBe(
          false,
        );
        await store.enqueueWebhook({ key: "k2", body: "[]", nextAt: "2026-03-01T00:10:00Z" });
        expect((await store.dueWebhooks("2026-03-01T00:05:00Z", 10)).map((w) => w.key)).toEqual(["k1"]);
        await store.settleWebhook("k1", { nextAt: "2026-03-01T00:20:00Z", error: "HTTP 500" });
        expect((await store.dueWebhooks("2026-03-01T00:15:00Z", 10)).map((w) => w.key)).toEqual(["k2"]);
        expect(await store.getWebhook("k1")).toMatchObject({
          attempts: 1,
          lastError: "HTTP 500",
          body: "{}",
        });
        await store.settleWebhook("k1", { deliveredAt: "2026-03-01T00:21:00Z" });
        expect(await store.getWebhook("k1")).toStrictEqual({
          key: "k1",
          body: "{}",
          attempts: 2,
          nextAt: "2026-03-01T00:20:00Z",
          deliveredAt: "2026-03-01T00:21:00Z",
        });
        expect((await store.dueWebhooks("2026-03-02T00:00:00Z", 10)).map((w) => w.key)).toEqual(["k2"]);
      });
    });

    describe("conversations (reply windows, outbox, handoffs)", () => {
      const delivery = (key: string, over: Partial<Omit<DeliveryRow, "seq">> = {}) => ({
        key,
        channel: "zalo-oa",
        conversationId: "u1",
        message: '{"text":"Chào bạn","buttons":[]}',
        status: "pending" as const,
        attempts: 0,
        nextAttemptAt: 1000,
        createdAt: 1000,
        ...over,
      });

      it("keeps when a user last wrote and counts messages sent since", async () => {
        expect(await store.conversationActivity("zalo-oa", "u1")).toBeUndefined();
        await store.noteUserMessage("zalo-oa", "u1", 5000);
        await store.noteSent("zalo-oa", "u1");
        await store.noteSent("zalo-oa", "u1");
        expect(await store.conversationActivity("zalo-oa", "u1")).toEqual({
          lastUserAt: 5000,
          sentSinceUser: 2,
        });
        await store.noteUserMessage("zalo-oa", "u1", 9000);
        expect(await store.conversationActivity("zalo-oa", "u1")).toEqual({
          lastUserAt: 9000,
          sentSinceUser: 0,
        });
        expect(await store.conversationActivity("telegram", "u1")).toBeUndefined();
      });

      it("inserts a delivery once per key and updates it by compare-and-set", async () => {
        expect(await store.insertDelivery(delivery("k1"))).toBe(true);
        expect(await store.insertDelivery(delivery("k1", { conversationId: "other" }))).toBe(false);
        expect((await store.getDelivery("k1"))?.conversationId).toBe("u1");
        expect(await store.updateDelivery("k1", { status: "sent", sentAt: 2000 }, "held")).toBe(false);
        // A claim of the first try: one of two claimants wins.
        expect(await store.updateDelivery("k1", { attempts: 1 }, "pending", 0)).toBe(true);
        expect(await store.updateDelivery("k1", { attempts: 1 }, "pending", 0)).toBe(false);
        expect(await store.updateDelivery("k1", { status: "held", reason: "outside" }, "pending")).toBe(true);
        expect(await store.getDelivery("k1")).toMatchObject({ status: "held", reason: "outside" });
        expect(await store.updateDelivery("k1", { status: "sent", sentAt: 2000, reason: null })).toBe(true);
        const got = await store.getDelivery("k1");
        expect(got).toMatchObject({ status: "sent", sentAt: 2000 });
        expect(got).not.toHaveProperty("reason");
      });

      it("lists deliveries in order by status, conversation, due time and seq", async () => {
        await store.insertDelivery(delivery("a", { nextAttemptAt: 100 }));
        await store.insertDelivery(delivery("b", { status: "held", nextAttemptAt: 100 }));
        await store.insertDelivery(delivery("c", { nextAttemptAt: 900, conversationId: "u2" }));
        expect((await store.listDeliveries({ status: ["pending"], dueBy: 500 })).map((d) => d.key)).toEqual([
          "a",
        ]);
        expect((await store.listDeliveries({ conversationId: "u1" })).map((d) => d.key)).toEqual(["a", "b"]);
        const all = await store.listDeliveries({});
        expect(all.map((d) => d.key)).toEqual(["a", "b", "c"]);
        const after = await store.listDeliveries({ afterSeq: (all[0] as DeliveryRow).seq });
        expect(after.map((d) => d.key)).toEqual(["b", "c"]);
      });

      it("opens one handoff per conversation, keeps its transcript, and closes it once", async () => {
        const first = await store.openHandoff({
          id: "h1",
          channel: "telegram",
          conversationId: "42",
          lang: "vi",
          startedAt: 1000,
        });
        expect(first.created).toBe(true);
        const again = await store.openHandoff({
          id: "h2",
          channel: "telegram",
          conversationId: "42",
          lang: "en",
          startedAt: 2000,
        });
        expect(again).toMatchObject({ created: false, handoff: { id: "h1", status: "open" } });
        await store.appendHandoffLine({ handoffId: "h1", at: 1100, author: "user", text: "gặp nhân viên" });
        const seq = await store.appendHandoffLine({
          handoffId: "h1",
          at: 1200,
          author: "staff",
          staffName: "lan",
          text: "Chào anh",
          deliveryKey: "d1",
        });
        expect((await store.handoffLines("h1")).map((l) => l.text)).toEqual(["gặp nhân viên", "Chào anh"]);
        expect(await store.handoffLines("h1", seq)).toEqual([]);
        await store.touchHandoff("h1", { lastStaffAt: 1200 });
        expect((await store.findOpenHandoff("telegram", "42"))?.lastStaffAt).toBe(1200);
        expect(await store.closeHandoff("h1", 3000, "user")).toBe(true);
        expect(await store.closeHandoff("h1", 3001, "quiet")).toBe(false);
        expect(await store.getHandoff("h1")).toMatchObject({
          status: "closed",
          closedAt: 3000,
          closedBy: "user",
        });
        expect(await store.findOpenHandoff("telegram", "42")).toBeUndefined();
        expect(
          (
            await store.openHandoff({
              id: "h3",
              channel: "telegram",
              conversationId: "42",
              lang: "vi",
              startedAt: 4000,
            })
          ).created,
        ).toBe(true);
        expect((await store.listHandoffs({ status: "open" })).map((h) => h.id)).toEqual(["h3"]);
        expect((await store.listHandoffs()).map((h) => h.id)).toEqual(["h3", "h1"]);
      });

      it("purges old closed handoffs and finished deliveries, never open or pending ones", async () => {
        const old = Date.parse("2026-01-01T00:00:00Z");
        await store.insertDelivery(delivery("sent", { status: "sent", createdAt: old }));
        await store.insertDelivery(delivery("held", { status: "held", createdAt: old }));
        await store.openHandoff({
          id: "closed",
          channel: "web",
          conversationId: "w1",
          lang: "vi",
          startedAt: old,
        });
        await store.appendHandoffLine({ handoffId: "closed", at: old, author: "user", text: "x" });
        await store.closeHandoff("closed", old, "quiet");
        await store.openHandoff({
          id: "open",
          channel: "web",
          conversationId: "w2",
          lang: "vi",
          startedAt: old,
        });
        await store.purgeBefore("2026-02-01T00:00:00Z");
        expect(await store.getDelivery("sent")).toBeUndefined();
        expect(await store.getDelivery("held")).toBeDefined();
        expect(await store.getHandoff("closed")).toBeUndefined();
        expect(await store.handoffLines("closed")).toEqual([]);
        expect(await store.getHandoff("open")).toBeDefined();
      });
    });
  });
}

/**
 * Two lock calls with one name, the second made on `other` while the first holds it on `holder`, run one
 * after the other; a name of its own goes through on `other` meanwhile. `holder` and `other` are one
 * store, or two replicas' stores on one database.
 */
export async function expectLocksInTurn(holder: Store, other: Store): Promise<void> {
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const first = holder.lock("l", async () => {
    events.push("first in");
    entered();
    await gate;
    events.push("first out");
    return 1;
  });
  await inside;
  const second = other.lock("l", async () => {
    events.push("second in");
    return 2;
  });
  // Another name is not held up by "l".
  expect(await other.lock("other", async () => "free")).toBe("free");
  release();
  expect(await Promise.all([first, second])).toEqual([1, 2]);
  expect(events).toEqual(["first in", "first out", "second in"]);
}

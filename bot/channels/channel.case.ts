import { afterEach, describe, expect, it } from "vitest";
import type { Answer, Assistant, Question } from "../assistant/index.ts";
import { createMemoryStore, type Store } from "../store/index.ts";
import type { ChannelLimits } from "./types.ts";

/**
 * The contract every chat channel adapter meets (Telegram, Zalo OA, Zalo Bot), run by each adapter's
 * test with a harness that drives the adapter through its real entry point (a webhook request or
 * bot.handleUpdate) and captures what it sends (a fake platform server or an API transformer).
 */
export type ChannelHarness = {
  limits: ChannelLimits;
  /** Delivers a text message from a user as the platform would (a fresh update id unless given). */
  sendText(text: string, options?: { updateId?: string; userId?: string }): Promise<void>;
  /** Delivers a shared location. */
  sendLocation(lat: number, lng: number): Promise<void>;
  /** Delivers something the assistant cannot read (a sticker, photo or voice message). */
  sendUnsupported(): Promise<void>;
  /** Delivers the last update again, with the same update id (a platform retry). */
  redeliverLast(): Promise<void>;
  /** Waits until background processing of everything delivered so far has finished. */
  settle(): Promise<void>;
  /** Texts sent to users so far, in order. */
  sentTexts(): string[];
  /** Buttons of each sent message (labels), in order. */
  sentButtons(): string[][];
  close(): Promise<void>;
};

/** What a harness is built from: the assistant and the store the adapter's dispatcher uses. */
export type HarnessDeps = { assistant: Assistant; store: Store };

/** An assistant whose answer is whatever the test sets (for long answers and failures). */
export function scriptedAssistant(
  answerFor: (q: Question) => Partial<Answer> | Error,
): Assistant & { asked: Question[] } {
  const asked: Question[] = [];
  const make = (q: Question): Answer => {
    asked.push(q);
    const a = answerFor(q);
    if (a instanceof Error) throw a;
    return {
      answer: "ok",
      language: "vi",
      intent: "info",
      confidence: 0.9,
      sources: [],
      suggestions: [],
      coverage: [],
      composer: "extractive",
      answerId: `a-${asked.length}`,
      ...a,
    };
  };
  return {
    asked,
    async ask(q) {
      return make(q);
    },
    async *stream(q) {
      const answer = make(q);
      yield { type: "delta", text: answer.answer };
      yield { type: "answer", answer };
    },
  };
}

/** Runs the shared channel contract against one adapter. */
export function channelContract(
  name: string,
  makeHarness: (deps: HarnessDeps) => Promise<ChannelHarness>,
): void {
  describe(`channel contract: ${name}`, () => {
    let harness: ChannelHarness | undefined;
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    it("answers a question with the assistant's text and sources, as one message within the limit", async () => {
      const assistant = scriptedAssistant((q) => ({
        answer: `Trả lời cho: ${q.text}`,
        sources: [
          {
            id: "mieu-ba-chua-xu",
            type: "attraction",
            title: "Miếu Bà Chúa Xứ",
            url: "/attractions/mieu-ba-chua-xu",
          },
        ],
      }));
      harness = await makeHarness({ assistant, store: createMemoryStore() });
      await harness.sendText("Miếu Bà Chúa Xứ ở đâu?");
      await harness.settle();
      expect(assistant.asked.map((q) => q.text)).toEqual(["Miếu Bà Chúa Xứ ở đâu?"]);
      const texts = harness.sentTexts();
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain("Trả lời cho: Miếu Bà Chúa Xứ ở đâu?");
      expect(texts[0]).toContain("Miếu Bà Chúa Xứ");
      expect(texts[0]).toContain("/attractions/mieu-ba-chua-xu");
    });

    it("splits a long answer into several messages, each within the channel's limit, losing nothing", async () => {
      const paragraphs = Array.from({ length: 40 }, (_, i) => `Đoạn ${i + 1}: ${"chữ ".repeat(60).trim()}.`);
      const assistant = scriptedAssistant(() => ({ answer: paragraphs.join("\n\n") }));
      harness = await makeHarness({ assistant, store: createMemoryStore() });
      await harness.sendText("kể hết đi");
      await harness.settle();
      const texts = harness.sentTexts();
      expect(texts.length).toBeGreaterThan(1);
      for (const t of texts) expect([...t].length).toBeLessThanOrEqual(harness.limits.maxText);
      const joined = texts.join("\n");
      for (const p of paragraphs) expect(joined).toContain(p.slice(0, 12));
    });

    it("answers a redelivered update once", async () => {
      const assistant = scriptedAssistant(() => ({ answer: "một lần" }));
      harness = await makeHarness({ assistant, store: createMemoryStore() });
      await harness.sendText("xin chào");
      await harness.settle();
      await harness.redeliverLast();
      await harness.settle();
      expect(assistant.asked).toHaveLength(1);
      expect(harness.sentTexts()).toEqual(["một lần"]);
    });

    it("turns a shared location into a nearby question with the coordinates", async () => {
      const assistant = scriptedAssistant(() => ({ answer: "gần bạn", intent: "nearby" }));
      harness = await makeHarness({ assistant, store: createMemoryStore() });
      await harness.sendLocation(10.6787, 105.0806);
      await harness.settle();
      expect(assistant.asked[0]?.location).toEqual({ lat: 10.6787, lng: 105.0806 });
      expect(harness.sentTexts()).toEqual(["gần bạn"]);
    });

    it("replies kindly to something it cannot read, without asking the assistant", async () => {
      const assistant = scriptedAssistant(() => ({ answer: "x" }));
      harness = await makeHarness({ assistant, store: createMemoryStore() });
      await harness.sendUnsupported();
      await harness.settle();
      expect(assistant.asked).toHaveLength(0);
      expect(harness.sentTexts()).toHaveLength(1);
      expect(harness.sentTexts()[0]).toMatch(/chỉ đọc được|can only read/);
    });

    it("shows suggestions as buttons, within the channel's button limit", async () => {
      const assistant = scriptedAssistant(() => ({
        answer: "có gợi ý",
        suggestions: ["Mấy giờ mở cửa?", "Đi đến đó như thế nào?", "Lễ hội năm sau ngày nào?"],
      }));
      harness = await makeHarness({ assistant, store: createMemoryStore() });
      await harness.sendText("chùa");
      await harness.settle();
      const buttons = harness.sentButtons().flat();
      expect(buttons).toContain("Mấy giờ mở cửa?");
      expect(buttons.length).toBeLessThanOrEqual(harness.limits.maxButtons);
    });

    it("keeps serving after a failing update: the user gets an apology, the next question an answer", async () => {
      let fail = true;
      const assistant = scriptedAssistant((q) => (fail ? new Error("boom") : { answer: `ok: ${q.text}` }));
      harness = await makeHarness({ assistant, store: createMemoryStore() });
      await harness.sendText("câu một");
      await harness.settle();
      fail = false;
      await harness.sendText("câu hai");
      await harness.settle();
      const texts = harness.sentTexts();
      expect(texts[0]).toMatch(/sự cố|went wrong/);
      expect(texts.at(-1)).toBe("ok: câu hai");
      expect(texts.join("\n")).not.toContain("boom");
    });
  });
}

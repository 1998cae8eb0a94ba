import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIndex } from "../build.ts";
import { openIndex } from "../open.ts";
import { fold } from "../text/normalize.ts";
import { embedderContract } from "./embedder.case.ts";
import { lsiEmbedder, orthonormalize, trainLsi } from "./lsi.ts";
import { openAiEmbedder } from "./openai.ts";

/**
 * A local stand-in for an OpenAI-compatible /v1/embeddings endpoint: a bag of folded words hashed into
 * 32 dimensions, returned in shuffled order (the API gives an index per item). `failing` makes it 500.
 */
function fakeEmbeddingsServer() {
  const state = { failing: false, requests: 0, lastAuth: "" };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      state.requests++;
      state.lastAuth = req.headers.authorization ?? "";
      if (req.url !== "/v1/embeddings" || state.failing) {
        res.writeHead(state.failing ? 500 : 404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "boom", type: "server_error" } }));
        return;
      }
      const { input, model } = JSON.parse(body) as { input: string[]; model: string };
      const data = input.map((text, index) => {
        const v = new Array<number>(32).fill(0);
        for (const w of fold(text)
          .split(/[^a-z0-9]+/)
          .filter(Boolean)) {
          let h = 0;
          for (const ch of w) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
          v[h % 32] = (v[h % 32] ?? 0) + 1;
        }
        return { object: "embedding", index, embedding: v };
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "list",
          model,
          data: data.reverse(),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }),
      );
    });
  });
  return { server, state };
}

const fake = fakeEmbeddingsServer();
let baseURL = "";
let tmp = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/v1`;
  tmp = await mkdtemp(path.join(os.tmpdir(), "embedders-"));
});
afterAll(async () => {
  await new Promise((resolve) => (fake.server as Server).close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

const corpus = [
  "Miếu Bà Chúa Xứ ở chân núi Sam. The Lady Chua Xu Temple at the foot of Sam Mountain.",
  "Lễ hội Vía Bà từ 22 đến 27 tháng 4 âm lịch. The festival runs from the 22nd to the 27th of the 4th lunar month.",
  "Khách nước ngoài khai báo tạm trú. Foreign guests declare temporary residence.",
  "Mắm thái ở chợ Châu Đốc. Fermented fish at Châu Đốc market.",
  "Núi Sam có pháo đài cũ. Sam Mountain has an old fort.",
];
embedderContract("lsi", () => lsiEmbedder(trainLsi(corpus, { dimensions: 4 })));
embedderContract("openai-compatible (local fake)", () =>
  openAiEmbedder({ baseURL, model: "fake-embed", apiKey: "sk-test" }),
);

describe("lsi", () => {
  it("places a question near the bilingual document that answers it, across languages", async () => {
    const e = lsiEmbedder(trainLsi(corpus, { dimensions: 4 }));
    const [q, ...docs] = await e.embed(["foreign guests declare", ...corpus]);
    const sims = docs.map((d) => d.reduce((s, x, i) => s + x * q![i]!, 0));
    expect(sims.indexOf(Math.max(...sims))).toBe(2);
  });
});

describe("index with an OpenAI-compatible embedder", () => {
  const contentDir = path.resolve(import.meta.dirname, "../../content");

  it("builds with the endpoint, records it in the manifest, and opens with it", async () => {
    const embedder = openAiEmbedder({ baseURL, model: "fake-embed", apiKey: "sk-test" });
    const dir = path.join(tmp, "openai");
    const { manifest } = await buildIndex(contentDir, dir, { embedder });
    expect(manifest.embedder).toEqual({ id: "openai:fake-embed", dimensions: 32 });
    expect(fake.state.lastAuth).toBe("Bearer sk-test");

    const index = await openIndex(dir, { embedder });
    const hits = await index.search("mieu ba chua xu", { mode: "vector", k: 3 });
    expect(hits.length).toBeGreaterThan(0);

    const warnings: string[] = [];
    const lexicalOnly = await openIndex(dir, { log: { warn: (m) => warnings.push(m) } });
    expect(warnings.join()).toMatch(/lexical search only/);
    expect(await lexicalOnly.search("mieu ba chua xu", { mode: "vector" })).toEqual([]);
    expect((await lexicalOnly.search("mieu ba chua xu", { k: 1 }))[0]?.id).toBe("mieu-ba-chua-xu");
  });

  it("falls back to the built-in LSI when the endpoint fails during a build", async () => {
    fake.state.failing = true;
    try {
      const warnings: string[] = [];
      const embedder = openAiEmbedder({ baseURL, model: "fake-embed", maxRetries: 0 });
      const { manifest } = await buildIndex(contentDir, path.join(tmp, "fallback"), {
        embedder,
        log: { warn: (m) => warnings.push(m) },
      });
      expect(manifest.embedder.id).toMatch(/^lsi-/);
      expect(warnings.join()).toMatch(/openai:fake-embed failed/);
    } finally {
      fake.state.failing = false;
    }
  });
});

describe("orthonormalize (blocked modified Gram-Schmidt)", () => {
  /** The textbook loop, one column at a time, with separate passes for each dot product. */
  function textbook(cols: Float64Array, length: number, count: number): void {
    const dot = (a: number, b: number) => {
      let s = 0;
      for (let r = 0; r < length; r++) s += cols[a + r]! * cols[b + r]!;
      return s;
    };
    for (let j = 0; j < count; j++) {
      const v = j * length;
      for (let i = 0; i < j; i++) {
        const u = i * length;
        const d = dot(u, v);
        for (let r = 0; r < length; r++) cols[v + r] = cols[v + r]! - d * cols[u + r]!;
      }
      const n = Math.sqrt(dot(v, v));
      if (n > 1e-10) for (let r = 0; r < length; r++) cols[v + r] = cols[v + r]! / n;
      else cols.fill(0, v, v + length);
    }
  }

  it.each([
    [37, 11],
    [50, 8],
    [9, 3],
    [64, 1],
  ])("gives exactly the textbook result (length %i, %i columns)", (length, count) => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const cols = Float64Array.from({ length: length * count }, random);
    // A column that repeats an earlier one collapses to zero.
    if (count > 5) cols.copyWithin(5 * length, 2 * length, 3 * length);
    const expected = cols.slice();
    textbook(expected, length, count);
    orthonormalize(cols, length, count);
    expect(cols).toEqual(expected);
    if (count > 5) expect(cols.subarray(5 * length, 6 * length).every((x) => x === 0)).toBe(true);
  });

  it("trains a basis with orthonormal columns", () => {
    const model = trainLsi(corpus, { dimensions: 4 });
    const { basis, dimensions: k, terms } = model;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let r = 0; r < terms.length; r++) s += basis[r * k + a]! * basis[r * k + b]!;
        expect(s).toBeCloseTo(a === b ? 1 : 0, 4);
      }
    }
  });
});

import path from "node:path";
import type { ToolMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildFromEntries,
  loadContent,
  lunarToSolar,
  type KnowledgeIndex,
  type LunarDate,
} from "../../../indexer/index.ts";
import { createKnowledgeTools, type ToolSources } from "./knowledge-tools.ts";

let index: KnowledgeIndex;
let tools: Map<string, StructuredToolInterface>;

beforeAll(async () => {
  const { entries, problems } = await loadContent(path.resolve(import.meta.dirname, "../../../content"));
  expect(problems).toEqual([]);
  ({ index } = await buildFromEntries(entries, "0".repeat(64)));
  tools = new Map(createKnowledgeTools({ index, lang: "en" }).map((t) => [t.name, t]));
});

/** Calls a tool as an agent does (with a tool call), returning the parsed content and the artifact. */
async function call(name: string, args: Record<string, unknown>) {
  const t = tools.get(name);
  if (!t) throw new Error(`no tool ${name}`);
  const message = (await t.invoke({ name, args, id: "call-1", type: "tool_call" })) as ToolMessage;
  expect(message.tool_call_id).toBe("call-1");
  return {
    content: JSON.parse(message.content as string) as Record<string, unknown>,
    sources: (message.artifact as ToolSources).sources,
  };
}

describe("the knowledge tools", () => {
  it("are six, each with a name, a description and a JSON-schema-able zod schema", () => {
    expect([...tools.keys()]).toEqual([
      "search_knowledge",
      "get_entry",
      "events_between",
      "lodging_deadline",
      "lodging_fine",
      "nearby_places",
    ]);
    for (const t of tools.values()) expect(t.description.length).toBeGreaterThan(40);
  });

  it("search_knowledge: entries with id, title, URL and passage; the ids are the sources", async () => {
    const { content, sources } = await call("search_knowledge", { query: "Tay An pagoda", k: 2 });
    const entries = content.entries as { id: string; url: string; title: string; passage: string }[];
    expect(entries[0]).toMatchObject({ id: "chua-tay-an", url: "/attractions/chua-tay-an" });
    expect(entries[0]?.title).toBe(index.get("chua-tay-an")?.title.en);
    expect(sources).toEqual(entries.map((e) => e.id));
  });

  it("get_entry: the facts of the entry; an unknown id is no source", async () => {
    const { content, sources } = await call("get_entry", { id: "rung-tram-tra-su" });
    const e = index.get("rung-tram-tra-su");
    if (e?.type !== "attraction") throw new Error("Trà Sư is an attraction");
    expect(content).toMatchObject({
      found: true,
      id: "rung-tram-tra-su",
      address: e.place.address.en,
      distanceFromCentreKm: e.place.distanceFromCentreKm,
      lastVerified: e.lastVerified,
    });
    expect(sources).toEqual(["rung-tram-tra-su"]);
    const missing = await call("get_entry", { id: "khong-co" });
    expect(missing.content.found).toBe(false);
    expect(missing.sources).toEqual([]);
  });

  it("events_between: the lunar festival of 2026 on its computed Gregorian dates", async () => {
    const { content, sources } = await call("events_between", { from: "2026-06-01", to: "2026-06-30" });
    const via = (
      content.occurrences as { id: string; start: string; main?: string; lunar?: { main?: LunarDate } }[]
    ).find((o) => o.id === "via-ba-chua-xu");
    // The main day is given in both calendars, and they agree (23/4 lunar 2026 is 8 June 2026).
    const main = via?.lunar?.main;
    if (!main || !via.main) throw new Error("no main day");
    expect(main.month).toBe(4);
    const solar = lunarToSolar(main);
    expect(via.main).toBe(
      `${solar?.year}-${String(solar?.month).padStart(2, "0")}-${String(solar?.day).padStart(2, "0")}`,
    );
    expect(via.start <= "2026-06-08" && "2026-06-08" <= via.main).toBe(true);
    expect(sources).toContain("via-ba-chua-xu");
  });

  it("events_between throws on a period the API would refuse", async () => {
    await expect(call("events_between", { from: "2026-06-30", to: "2026-06-01" })).rejects.toThrow(/before/);
    await expect(call("events_between", { from: "2026-01-01", to: "2030-01-01" })).rejects.toThrow(
      /two years/,
    );
  });

  it("lodging_deadline: the rule for foreign guests arriving at 23:00, as GET /api/lodging/deadline", async () => {
    const { content, sources } = await call("lodging_deadline", { guest: "foreign", arrival: "23:00" });
    const deadlines = content.deadlines as { entryId: string; text: string; dueAt?: unknown }[];
    expect(deadlines.length).toBeGreaterThan(0);
    expect(sources).toEqual(["khai-bao-tam-tru-nguoi-nuoc-ngoai"]);
    expect(deadlines.every((d) => d.text.length > 0)).toBe(true);
  });

  it("lodging_fine: the bracket for 6 foreign guests, organisations' amounts double", async () => {
    const one = await call("lodging_fine", { guest: "foreign", guests: 6 });
    const org = await call("lodging_fine", { guest: "foreign", guests: 6, payer: "organisation" });
    const a = one.content.bracket as { minVnd: number; maxVnd: number };
    const b = org.content.bracket as { minVnd: number; maxVnd: number };
    expect(b.minVnd).toBe(2 * a.minVnd);
    expect(b.maxVnd).toBe(2 * a.maxVnd);
    expect(one.sources).toEqual([one.content.entryId]);
  });

  it("nearby_places: the places nearest to a place, nearest first, without the place itself", async () => {
    const { content, sources } = await call("nearby_places", { near: "mieu-ba-chua-xu", k: 3 });
    const places = content.places as { id: string; distanceKm: number }[];
    expect(places).toHaveLength(3);
    expect(places.map((p) => p.id)).not.toContain("mieu-ba-chua-xu");
    expect(places.map((p) => p.distanceKm)).toEqual(
      [...places.map((p) => p.distanceKm)].sort((x, y) => x - y),
    );
    expect(sources).toEqual(places.map((p) => p.id));
  });

  it.each([
    ["lodging_deadline", { guest: "martian" }],
    ["lodging_deadline", { guest: "foreign", arrival: "25:99" }],
    ["events_between", { from: "June 2026", to: "2026-06-30" }],
    ["nearby_places", { k: 3 }],
    ["search_knowledge", {}],
  ])("%s rejects malformed arguments %j", async (name, args) => {
    await expect(call(name, args)).rejects.toThrow();
  });
});

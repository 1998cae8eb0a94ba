import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createMemoryStore } from "./memory-store.ts";
import { storeContract } from "./store.case.ts";
import { hashId } from "./store.ts";

storeContract("memory", async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});

// hashId lives in store.ts, which has no test file of its own; its tests sit with the simplest store.
describe("hashId", () => {
  it("is sha256 of salt:id, as 32 hex characters", () => {
    const expected = createHash("sha256").update("pepper:user-42").digest("hex").slice(0, 32);
    expect(hashId("user-42", "pepper")).toBe(expected);
    expect(hashId("user-42", "pepper")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("matches a value computed outside Node", () => {
    // printf 's:1' | sha256sum | cut -c1-32
    expect(hashId("1", "s")).toBe("1b25f38c1aa8553b03240e793e2562c5");
  });

  it("depends on the salt and the id, and hashes Vietnamese ids as UTF-8", () => {
    expect(hashId("user-42", "a")).not.toBe(hashId("user-42", "b"));
    expect(hashId("user-1", "a")).not.toBe(hashId("user-2", "a"));
    const expected = createHash("sha256")
      .update(Buffer.from("s:Nguyễn Văn A", "utf8"))
      .digest("hex")
      .slice(0, 32);
    expect(hashId("Nguyễn Văn A", "s")).toBe(expected);
  });
});

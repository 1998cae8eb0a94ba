import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresPool } from "../store/postgres.ts";
import { testDatabase, type TestDatabase } from "../store/testing/postgres.ts";
import { folderPhotoStore, postgresPhotoStore, type PhotoStore } from "./photos.ts";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), "photos-"));
});
afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const stores: [string, () => Promise<{ store: PhotoStore; close: () => Promise<void> }>][] = [
  ["folder", async () => ({ store: folderPhotoStore(dir), close: async () => {} })],
  [
    "postgres",
    async () => {
      const pool = openPostgresPool(db.url);
      return { store: await postgresPhotoStore(pool), close: () => pool.end() };
    },
  ],
];

describe.each(stores)("PhotoStore: %s", (_name, open) => {
  it("gives back the bytes it stored under the name it made, and nothing for other names", async () => {
    const { store, close } = await open();
    const name = await store.save(PNG, "png");
    expect(name).toMatch(/^[a-f0-9]{32}\.png$/);
    expect(Buffer.from((await store.read(name))!)).toEqual(Buffer.from(PNG));
    expect(await store.read(name.replace(/^./, (c) => (c === "a" ? "b" : "a")))).toBeUndefined();
    expect(await store.read("../secret.png")).toBeUndefined();
    await close();
  });
});

it("PostgreSQL photos are read by every replica", async () => {
  const a = openPostgresPool(db.url);
  const b = openPostgresPool(db.url);
  const [first, second] = await Promise.all([postgresPhotoStore(a), postgresPhotoStore(b)]);
  const name = await first.save(PNG, "jpeg");
  expect(name.endsWith(".jpg")).toBe(true);
  expect(Buffer.from((await second.read(name))!)).toEqual(Buffer.from(PNG));
  await Promise.all([a.end(), b.end()]);
});

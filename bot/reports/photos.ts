import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { migratePostgres } from "../store/postgres.ts";

/**
 * Report photos: checked by their first bytes (JPEG, PNG or WebP, whatever the sender called them),
 * size-limited, and kept in a private folder that nothing serves publicly (staff read them through the
 * admin area only).
 */

export type PhotoType = "jpeg" | "png" | "webp";

/** The picture type of some bytes by their magic numbers; undefined for anything else. */
export function photoTypeOf(bytes: Uint8Array): PhotoType | undefined {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v))
    return "png";
  if (
    b.length >= 12 &&
    String.fromCharCode(...b.subarray(0, 4)) === "RIFF" &&
    String.fromCharCode(...b.subarray(8, 12)) === "WEBP"
  )
    return "webp";
  return undefined;
}

/** The Content-Type of a stored photo by its file name. */
export function photoContentType(name: string): string {
  return name.endsWith(".png") ? "image/png" : name.endsWith(".webp") ? "image/webp" : "image/jpeg";
}

/** Where report photos are kept. */
export interface PhotoStore {
  /** Stores checked bytes; returns the file name. */
  save(bytes: Uint8Array, type: PhotoType): Promise<string>;
  /** The bytes of a stored photo; undefined for a name it did not give. */
  read(name: string): Promise<Uint8Array | undefined>;
}

const NAME = /^[a-f0-9]{32}\.(?:jpg|png|webp)$/;

/** A PhotoStore in a folder (created on first save, owner-only). */
export function folderPhotoStore(dir: string): PhotoStore {
  return {
    async save(bytes, type) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `${randomBytes(16).toString("hex")}.${type === "jpeg" ? "jpg" : type}`;
      await writeFile(path.join(dir, name), bytes, { mode: 0o600, flag: "wx" });
      return name;
    },
    async read(name) {
      if (!NAME.test(name)) return undefined;
      try {
        return await readFile(path.join(dir, name));
      } catch {
        return undefined;
      }
    },
  };
}

const PHOTO_MIGRATIONS = [
  `CREATE TABLE report_photos (
    name TEXT PRIMARY KEY,
    bytes BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`,
];

/**
 * A PhotoStore in PostgreSQL (DATABASE_URL): every replica reads the photos any replica received. A
 * photo is at most REPORTS_MAX_PHOTO_MB (5 MB by default), well within a BYTEA value.
 */
export async function postgresPhotoStore(pool: pg.Pool): Promise<PhotoStore> {
  await migratePostgres(pool, "report-photos", PHOTO_MIGRATIONS, { label: "report photos", code: "store" });
  return {
    async save(bytes, type) {
      const name = `${randomBytes(16).toString("hex")}.${type === "jpeg" ? "jpg" : type}`;
      await pool.query("INSERT INTO report_photos (name, bytes) VALUES ($1, $2)", [name, Buffer.from(bytes)]);
      return name;
    },
    async read(name) {
      if (!NAME.test(name)) return undefined;
      const { rows } = await pool.query<{ bytes: Buffer }>(
        "SELECT bytes FROM report_photos WHERE name = $1",
        [name],
      );
      return rows[0] ? new Uint8Array(rows[0].bytes) : undefined;
    },
  };
}

/** A PhotoStore in memory (tests, and when no folder is configured). */
export function memoryPhotoStore(): PhotoStore & { readonly size: number } {
  const files = new Map<string, Uint8Array>();
  return {
    async save(bytes, type) {
      const name = `${randomBytes(16).toString("hex")}.${type === "jpeg" ? "jpg" : type}`;
      files.set(name, Uint8Array.from(bytes));
      return name;
    },
    async read(name) {
      return files.get(name);
    },
    get size() {
      return files.size;
    },
  };
}

/** The fetch a photo is downloaded with (the platform's, or a test's). */
export type PhotoFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Thrown by a photo loader when the file is larger than allowed. */
export class PhotoTooLarge extends Error {
  constructor(readonly bytes: number) {
    super(`photo larger than allowed (${bytes} bytes)`);
  }
}

/**
 * Fetches a URL's body, at most `maxBytes` (PhotoTooLarge past it, by Content-Length or while reading).
 * Used by the channels to load a platform's photo.
 */
export async function fetchCapped(
  fetchFn: PhotoFetch,
  url: string,
  maxBytes: number,
  init?: RequestInit,
): Promise<Uint8Array> {
  const res = await fetchFn(url, { ...(init ?? {}), signal: AbortSignal.timeout(20_000) });
  if (!res.ok) throw new Error(`photo download failed: HTTP ${res.status}`);
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new PhotoTooLarge(declared);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > maxBytes) throw new PhotoTooLarge(total);
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks);
}

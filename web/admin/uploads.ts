import busboy from "busboy";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Request } from "express";
import { AppError, isEntryId } from "../../indexer/index.ts";

/**
 * Images for entry bodies: received from a multipart form (busboy), recognised by their first bytes (the
 * name and the declared type are not trusted), stored under a generated name in the uploads folder.
 */

/** Largest image accepted (this size included). */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** A request this much larger than an image is refused before it is read. */
const MAX_REQUEST_BYTES = MAX_IMAGE_BYTES + 64 * 1024;

export type ImageKind = { ext: "jpg" | "png" | "webp"; mime: string };

/** The image type of a file from its magic bytes: JPEG, PNG or WebP, else undefined. */
export function imageKindOf(bytes: Uint8Array): ImageKind | undefined {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return { ext: "jpg", mime: "image/jpeg" };
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ext: "png", mime: "image/png" };
  // "RIFF" <size> "WEBP"
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8))
    return { ext: "webp", mime: "image/webp" };
  return undefined;
}

/** The extensions a name may have for each kind (the name must agree with the bytes). */
const EXTENSIONS: Record<ImageKind["ext"], string[]> = {
  jpg: [".jpg", ".jpeg"],
  png: [".png"],
  webp: [".webp"],
};

export type ReceivedForm = {
  fields: Record<string, string>;
  /** The file of the `image` field; `truncated` (and cut off) when it is larger than MAX_IMAGE_BYTES. */
  file?: { name: string; bytes: Buffer; truncated: boolean };
};

/**
 * Reads a multipart form with one `image` file field, keeping at most MAX_IMAGE_BYTES of it in memory.
 * Throws AppError `payload_too_large:upload` for a body far too large to hold one image (before reading it)
 * and `bad_request:upload` for a body that is not multipart.
 */
export function receiveImageForm(req: Request): Promise<ReceivedForm> {
  const length = Number(req.headers["content-length"] ?? 0);
  if (length > MAX_REQUEST_BYTES * 4) {
    return Promise.reject(
      new AppError("payload_too_large:upload", "the request is too large", { expose: true }),
    );
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // busboy cuts a file off (and says "limit") when it reaches fileSize: one byte more than the
        // largest image accepted, so that an image of exactly MAX_IMAGE_BYTES arrives whole.
        limits: { fileSize: MAX_IMAGE_BYTES + 1, files: 1, fields: 10, fieldSize: 8 * 1024, parts: 12 },
      });
    } catch (err) {
      reject(new AppError("bad_request:upload", "expected a multipart form", { expose: true, cause: err }));
      return;
    }
    const fields: Record<string, string> = {};
    let file: ReceivedForm["file"];
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      if (name !== "image" || file) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      const received = { name: info.filename ?? "", bytes: Buffer.alloc(0), truncated: false };
      file = received;
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("limit", () => {
        received.truncated = true;
      });
      stream.on("end", () => {
        received.bytes = Buffer.concat(chunks);
      });
    });
    parser.on("close", () => resolve({ fields, ...(file ? { file } : {}) }));
    parser.on("error", (err) =>
      reject(
        new AppError("bad_request:upload", "the multipart form could not be read", {
          expose: true,
          cause: err,
        }),
      ),
    );
    req.pipe(parser);
  });
}

/** Why an uploaded file is refused, in Vietnamese for the page, or undefined when it is a usable image. */
export function imageProblem(file: ReceivedForm["file"]): { status: number; message: string } | undefined {
  if (!file || (file.bytes.length === 0 && !file.truncated)) {
    return { status: 400, message: "Chưa chọn tệp ảnh." };
  }
  if (file.truncated) return { status: 413, message: "Ảnh quá lớn: tối đa 2 MB." };
  const kind = imageKindOf(file.bytes);
  if (!kind) return { status: 415, message: "Chỉ nhận ảnh JPEG, PNG hoặc WebP." };
  const ext = path.extname(file.name).toLowerCase();
  if (ext !== "" && !EXTENSIONS[kind.ext].includes(ext)) {
    return {
      status: 415,
      message: `Đuôi tệp (${ext}) không khớp với nội dung (ảnh ${kind.ext.toUpperCase()}).`,
    };
  }
  return undefined;
}

/**
 * Stores an image of an entry as `<id>-<random>.<ext>` in the uploads folder (atomically) and returns
 * the file name. The name is generated: nothing of the uploaded name reaches the disk.
 */
export async function storeImage(dir: string, id: string, bytes: Buffer): Promise<string> {
  const kind = imageKindOf(bytes);
  if (!kind || !isEntryId(id)) throw new AppError("bad_request:upload", "not an image of an entry");
  const name = `${id}-${randomBytes(6).toString("hex")}.${kind.ext}`;
  const base = path.resolve(dir);
  const full = path.join(base, name);
  if (path.dirname(full) !== base) throw new AppError("bad_request:upload", "bad image name");
  await mkdir(base, { recursive: true });
  const tmp = path.join(base, `.${name}.tmp`);
  await writeFile(tmp, bytes, { flag: "wx" });
  try {
    await rename(tmp, full);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return name;
}

/** The names of an entry's images in the uploads folder, sorted. */
export async function listImages(dir: string, id: string): Promise<string[]> {
  if (!isEntryId(id)) return [];
  const names = await readdir(dir).catch(() => [] as string[]);
  const own = new RegExp(`^${id}-[0-9a-f]{12}\\.(jpg|png|webp)$`);
  return names.filter((n) => own.test(n)).sort();
}

import path from "node:path";
import { describe, expect, it } from "vitest";
import { imageFileResolver } from "./image-files.ts";

describe("imageFileResolver", () => {
  const fileOf = imageFileResolver({ contentImagesDir: "/srv/content/images", uploadsDir: "/srv/uploads" });

  it("maps content images and uploads to their folders", () => {
    expect(fileOf("/content-images/nui-sam.jpg")).toBe(path.join("/srv/content/images", "nui-sam.jpg"));
    expect(fileOf("/media/2026-11-abc.webp")).toBe(path.join("/srv/uploads", "2026-11-abc.webp"));
  });

  it("refuses anything else: other paths, sub-folders, dot segments, absolute URLs", () => {
    for (const url of [
      "/static/placeholders/temple.svg",
      "/media/../admin.sqlite",
      "/media/..",
      "/media/a/b.jpg",
      "/content-images/.hidden.jpg",
      "https://example.com/media/x.jpg",
      "/media/",
      "",
    ]) {
      expect(fileOf(url), url).toBeUndefined();
    }
  });
});

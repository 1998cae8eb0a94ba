import path from "node:path";

/** A portal image path: /content-images/<name> (content/images/) or /media/<name> (the admin's uploads). */
const IMAGE_PATH = /^\/(content-images|media)\/([A-Za-z0-9][A-Za-z0-9._-]*)$/;

/**
 * The local file behind a portal image path, as app.ts serves them: content images from
 * `contentImagesDir`, uploads from `uploadsDir`; undefined for any other path (no folders, no "..").
 * The Telegram channel uploads pictures from it.
 */
export function imageFileResolver(dirs: {
  contentImagesDir: string;
  uploadsDir: string;
}): (url: string) => string | undefined {
  return (url) => {
    const match = IMAGE_PATH.exec(url);
    if (!match) return undefined;
    const [, folder, name] = match as unknown as [string, string, string];
    return path.join(folder === "media" ? dirs.uploadsDir : dirs.contentImagesDir, name);
  };
}

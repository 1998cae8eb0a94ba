import MarkdownIt from "markdown-it";
import { raw, safeUrl, type SafeHtml } from "./html.ts";

/**
 * Entry bodies rendered with markdown-it: HTML in a body is shown as text, never rendered; links keep only
 * safe schemes (http, https, mailto, tel and site paths) and open external sites with rel=noopener;
 * images only come from this site (content images and uploads), as the CSP allows nothing else.
 */

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

// markdown-it's own check refuses javascript:, vbscript:, file: and most data:; ours is stricter still.
md.validateLink = (url) => safeUrl(url) !== undefined;

const defaultLinkOpen = md.renderer.rules.link_open;
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const href = token?.attrGet("href") ?? "";
  if (token && !href.startsWith("/")) token.attrSet("rel", "noopener noreferrer");
  return defaultLinkOpen
    ? defaultLinkOpen(tokens, idx, options, env, self)
    : self.renderToken(tokens, idx, options);
};

const defaultImage = md.renderer.rules.image;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = token?.attrGet("src") ?? "";
  // Only this site's images: the CSP blocks others, and a broken picture reads worse than its alt text.
  if (!token || !isSiteImage(src)) return md.utils.escapeHtml(token?.content ?? "");
  token.attrSet("loading", "lazy");
  return defaultImage
    ? defaultImage(tokens, idx, options, env, self)
    : self.renderToken(tokens, idx, options);
};

/** True for an image path this site serves: uploads (/media/) and content images (/content-images/). */
export function isSiteImage(src: string): boolean {
  return /^\/(?:media|content-images)\/[A-Za-z0-9._-]+$/.test(src);
}

/**
 * Renders a body. `topLevel` is the HTML level of a `##` heading, so a body placed under the page's h2
 * keeps the heading order (`##` → h3 when topLevel is 3); deeper headings follow, down to h6.
 */
export function renderMarkdown(text: string, topLevel = 2): SafeHtml {
  const tokens = md.parse(text, {});
  for (const token of tokens) {
    if (token.type === "heading_open" || token.type === "heading_close") {
      const depth = Number(token.tag.slice(1));
      // "#" and "##" both map to the top level: a body never has a page title of its own.
      token.tag = `h${Math.min(6, topLevel + Math.max(0, depth - 2))}`;
    }
  }
  return raw(md.renderer.render(tokens, md.options, {}));
}

import { html, type SafeHtml } from "./html.ts";
import { heading } from "./parts.ts";

/**
 * The Markdown the content bodies use, and no more: paragraphs, `##`/`###` headings and `-`/`*` lists.
 * Everything is text: HTML in a body is shown escaped, never rendered.
 */

type Block =
  | { kind: "p"; lines: string[] }
  | { kind: "h"; depth: number; text: string }
  | { kind: "ul"; items: string[] };

/**
 * Renders a body. `topLevel` is the HTML level of a `##` heading, so a body placed under the page's h2
 * keeps the heading order (`##` → h3 when topLevel is 3); deeper headings follow, down to h6.
 */
export function renderMarkdown(text: string, topLevel = 2): SafeHtml {
  const blocks: Block[] = [];
  let current: Block | undefined;
  const close = () => {
    if (current) blocks.push(current);
    current = undefined;
  };
  for (const rawLine of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = rawLine.trimEnd();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*[-*+]\s+(.*)$/.exec(line);
    if (line.trim() === "") {
      close();
    } else if (heading) {
      close();
      blocks.push({ kind: "h", depth: (heading[1] as string).length, text: (heading[2] as string).trim() });
    } else if (item) {
      if (current?.kind !== "ul") {
        close();
        current = { kind: "ul", items: [] };
      }
      current.items.push((item[1] as string).trim());
    } else if (current?.kind === "ul" && /^\s+\S/.test(rawLine)) {
      // An indented line continues the list item above it.
      const last = current.items.length - 1;
      current.items[last] = `${current.items[last] ?? ""} ${line.trim()}`;
    } else {
      if (current?.kind !== "p") {
        close();
        current = { kind: "p", lines: [] };
      }
      current.lines.push(line.trim());
    }
  }
  close();
  return html`${blocks.map((b) => renderBlock(b, topLevel))}`;
}

function renderBlock(b: Block, topLevel: number): SafeHtml {
  switch (b.kind) {
    case "p":
      return html`<p>${b.lines.join(" ")}</p> `;
    case "ul":
      return html`<ul>
        ${b.items.map((i) => html`<li>${i}</li>`)}
      </ul> `;
    case "h": {
      // "#" and "##" both map to the top level: a body never has a page title of its own.
      const level = Math.min(6, topLevel + Math.max(0, b.depth - 2));
      return html`${heading(level, b.text)} `;
    }
  }
}

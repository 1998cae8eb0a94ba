/**
 * HTML built from tagged templates. Every interpolated value is escaped unless it is already SafeHtml
 * (made by `html` itself or by `raw` for a fragment the code wrote), so content and query text can never
 * become markup.
 */

/** A fragment of HTML that is safe to insert as is. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** What a template accepts: false, null and undefined render nothing, so `cond && html`…`` works. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an element's content or a double- or single-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** Marks a fragment the code itself wrote as trusted. Never pass user input or content text to it. */
export function raw(fragment: string): SafeHtml {
  return new SafeHtml(fragment);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || typeof value === "boolean") return "";
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** The tagged template: `html`<p>${text}</p>`` escapes `text`; arrays are joined. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

/**
 * A URL that may go into href: http(s), tel: and mailto: links and site paths. Anything else (javascript:,
 * data:, a typo) gives undefined, so the caller shows text without a link.
 */
export function safeUrl(url: string): string | undefined {
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  try {
    const u = new URL(url);
    return ["http:", "https:", "tel:", "mailto:"].includes(u.protocol) ? u.href : undefined;
  } catch {
    return undefined;
  }
}

import { describe, expect, it } from "vitest";
import { escapeHtml, html, raw, safeUrl } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";

/** Prettier lays out `html` templates; whitespace between tags does not matter to the result. */
function squash(s: string): string {
  return s.replace(/>\s+</g, "><").trim();
}

describe("html", () => {
  it("escapes every interpolated value, in text and in attributes", () => {
    const evil = `"><script>alert('x')</script>&`;
    const out = html`<a title="${evil}">${evil}</a>`.value;
    expect(out).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">' +
        "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>",
    );
    expect(escapeHtml("a<b")).toBe("a&lt;b");
  });

  it("inserts nested templates and raw() fragments as they are, joins arrays, drops false/null/undefined", () => {
    const items = ["<1>", "2"].map((s) => html`<li>${s}</li>`);
    const out = html`<ul>
        ${items}
      </ul>
      ${false}${null}${undefined}${raw("<br>")}${0}`.value;
    expect(squash(out)).toBe("<ul><li>&lt;1&gt;</li><li>2</li></ul><br>0");
  });

  it("lets only http(s), tel:, mailto: and site paths into links", () => {
    expect(safeUrl("https://example.vn/a?b=1")).toBe("https://example.vn/a?b=1");
    expect(safeUrl("tel:113")).toBe("tel:113");
    expect(safeUrl("/events/x")).toBe("/events/x");
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl("data:text/html,<b>x</b>")).toBeUndefined();
    expect(safeUrl("//evil.example/x")).toBeUndefined();
    expect(safeUrl("not a url")).toBeUndefined();
  });
});

describe("renderMarkdown", () => {
  it("renders paragraphs, headings one level below the given one, and lists", () => {
    const out = renderMarkdown(
      "Intro line one\nline two.\n\n## Rites\n\n- first\n- second\n\n### Detail\n\nEnd.",
      3,
    ).value;
    expect(squash(out)).toBe(
      "<p>Intro line one\nline two.</p><h3>Rites</h3><ul><li>first</li><li>second</li></ul>" +
        "<h4>Detail</h4><p>End.</p>",
    );
  });

  it("never renders HTML written in a body", () => {
    const out = renderMarkdown('<script>alert(1)</script>\n\n## <img src=x onerror="y">\n\n- <b>x</b>').value;
    expect(out).not.toContain("<script");
    expect(out).not.toContain("<img");
    expect(out).not.toContain("<b>");
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("<h2>&lt;img src=x onerror=&quot;y&quot;&gt;</h2>");
  });

  it("shows links with safe schemes only, and images from this site only", () => {
    const out = renderMarkdown(
      [
        "[site](/attractions/nui-sam) [ext](https://example.vn/a) [bad](javascript:alert(1)) [data](data:text/html,x)",
        "",
        "![Miếu Bà at dawn](/media/nui-sam-1a2b3c.jpg) ![far](https://elsewhere.example/x.jpg)",
      ].join("\n"),
    ).value;
    expect(out).toContain('<a href="/attractions/nui-sam">site</a>');
    expect(out).toContain('<a href="https://example.vn/a" rel="noopener noreferrer">ext</a>');
    expect(out).not.toContain('href="javascript:');
    expect(out).toContain("[bad](javascript:alert(1))"); // shown as text, not as a link
    expect(out).not.toContain('href="data:');
    expect(out).toContain('<img src="/media/nui-sam-1a2b3c.jpg" alt="Miếu Bà at dawn" loading="lazy">');
    expect(out).not.toContain("elsewhere.example");
    expect(out).toContain("far");
  });
});

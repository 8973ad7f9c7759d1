// GitHub-like Markdown rendering for tests: CommonMark + GFM (tables, autolinks) with raw HTML
// kept, so a test sees what would reach the page.
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

export function renderMarkdown(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"' };

/** The text a reader sees: tags removed, character references decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&(amp|lt|gt|quot);/g, (_, name: string) => NAMED[name] ?? "");
}

/** GitHub's post-render filters: an @mention, a #123 / GH-123 reference, outside code. */
export const GITHUB_REFERENCE = /@[A-Za-z0-9]|#\d|GH-\d/i;

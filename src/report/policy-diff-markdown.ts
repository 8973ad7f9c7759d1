import type { PolicyDiff } from "../policy/diff.js";
import { policyDiffBody, policyDiffSummary, printable } from "./policy-diff-text.js";

/**
 * Text for a Markdown paragraph or table cell: characters Markdown or HTML would interpret are
 * escaped, pipes and backticks included, and it stays on one line.
 */
export function escapeMarkdown(text: string): string {
  // Always inside a paragraph or list item, never at a line start: only inline syntax matters.
  return printable(text)
    .replace(/&/g, "&amp;")
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** A fence longer than any backtick run inside, so policy text cannot close the block. */
function fenceFor(body: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** GitHub rendering: a summary, a ```diff block, findings and notes. Never any ANSI codes. */
export function renderPolicyDiffMarkdown(diff: PolicyDiff): string {
  const out = [`**${escapeMarkdown(policyDiffSummary(diff))}**`, ""];
  const body = policyDiffBody(diff)
    .map(({ sign, text }) => `${sign} ${text}`)
    .join("\n");
  if (body !== "") {
    const fence = fenceFor(body);
    out.push(`${fence}diff`, body, fence, "");
  }
  for (const finding of diff.uniqueIdPrincipals) {
    out.push(`- :warning: ${escapeMarkdown(finding.meaning)}`);
  }
  for (const note of diff.notes) out.push(`- ${escapeMarkdown(note)}`);
  return `${out.join("\n").trimEnd()}\n`;
}

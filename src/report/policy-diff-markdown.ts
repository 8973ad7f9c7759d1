// A policy diff for GitHub: a summary, a diff block, findings and notes, through the Markdown sink.
import type { PolicyDiff } from "../policy/diff.js";
import { policyDiffBody, policyDiffSummary } from "./policy-diff-text.js";
import { markdownFence, markdownText } from "./sinks/markdown.js";

/** GitHub rendering: a summary, a ```diff block, findings and notes. Never any ANSI codes. */
export function renderPolicyDiffMarkdown(diff: PolicyDiff): string {
  const out = [`**${policyDiffSummary(diff)}**`, ""]; // counts only: no outside text
  const body = policyDiffBody(diff).map(({ sign, text }) => `${sign} ${text}`);
  if (body.length > 0) out.push(markdownFence(body, "diff"), "");
  for (const finding of diff.uniqueIdPrincipals) {
    out.push(`- :warning: ${markdownText(finding.meaning)}`);
  }
  for (const note of diff.notes) out.push(`- ${markdownText(note)}`);
  return `${out.join("\n").trimEnd()}\n`;
}

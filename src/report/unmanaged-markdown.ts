// The unmanaged access points of a plan for GitHub (job summary, PR comment, --format markdown):
// the count and the first names, bounded so that it always fits in the head of the report.

import { count } from "../count.js";
import type { Plan } from "../reconcile/types.js";
import { markdownCode, markdownText } from "./sinks/markdown.js";
import { discoveryWarnings, policyText, UNMANAGED_SHOWN, unmanagedOf } from "./unmanaged-text.js";

export function renderUnmanagedMarkdown(plan: Plan): string[] {
  const unmanaged = unmanagedOf(plan);
  const lines: string[] = [];
  if (unmanaged.length > 0) {
    const n = unmanaged.length;
    const them = n === 1 ? "it" : "them";
    lines.push(
      `### ${count(n, "unmanaged access point")}`,
      "",
      `No file declares ${them}, so s3ap never changes ${them}. \`s3ap import\` writes files for ${them}.`,
      "",
      "| Account | Region | Access point | Policy |",
      "|---|---|---|---|",
    );
    for (const ap of unmanaged.slice(0, UNMANAGED_SHOWN)) {
      const name = ap.outpostId !== undefined ? `${ap.outpostId}/${ap.name}` : ap.name;
      lines.push(
        `| ${markdownText(ap.accountId)} | ${markdownText(ap.region)} | ${markdownCode(name)} | ${policyText(ap)} |`,
      );
    }
    if (n > UNMANAGED_SHOWN) {
      lines.push("", `… and ${n - UNMANAGED_SHOWN} more: the plan JSON lists them all.`);
    }
    lines.push("");
  }
  for (const warning of discoveryWarnings(plan)) lines.push(`> ⚠️ ${markdownText(warning)}`, "");
  return lines;
}

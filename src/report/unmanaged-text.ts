// The unmanaged access points of a plan for the terminal: a count, the first names, warnings.

import { accessPointKey } from "../access-point/arn.js";
import { count } from "../count.js";
import { cliFlag, type OptionName } from "../errors.js";
import type { Plan, UnmanagedAccessPoint } from "../reconcile/types.js";
import { terminalText } from "./sinks/terminal.js";

/** How many names the text and Markdown reports show before "and N more". */
export const UNMANAGED_SHOWN = 20;

/** Plans read back from JSON written by an older s3ap have no discovery fields. */
export function unmanagedOf(plan: Plan): UnmanagedAccessPoint[] {
  return Array.isArray(plan.unmanaged) ? plan.unmanaged : [];
}

export function discoveryOn(plan: Plan): boolean {
  return plan.discovery?.enabled === true;
}

export function discoveryWarnings(plan: Plan): string[] {
  return Array.isArray(plan.discovery?.warnings) ? plan.discovery.warnings : [];
}

/** `, 2 unmanaged` for the summary line; empty when discovery was off. */
export function unmanagedSuffix(plan: Plan): string {
  return discoveryOn(plan) ? `, ${unmanagedOf(plan).length} unmanaged` : "";
}

export function policyText(ap: UnmanagedAccessPoint): string {
  return ap.hasPolicy === null ? "policy unknown" : ap.hasPolicy ? "has a policy" : "no policy";
}

/** Lines for the terminal (no trailing newline); none when there is nothing to say. */
export function renderUnmanagedText(
  plan: Plan,
  options: { verbose?: boolean; name?: OptionName } = {},
): string[] {
  const unmanaged = unmanagedOf(plan);
  const lines: string[] = [];
  if (unmanaged.length > 0) {
    const n = unmanaged.length;
    const them = n === 1 ? "it" : "them";
    lines.push(
      `${count(n, "unmanaged access point")}: no file declares ${them}, so s3ap never changes ${them} (s3ap import writes files for ${them}):`,
    );
    const shown = options.verbose ? unmanaged : unmanaged.slice(0, UNMANAGED_SHOWN);
    for (const ap of shown)
      lines.push(`  ? ${terminalText(accessPointKey(ap))} (${policyText(ap)})`);
    if (shown.length < n) {
      const verbose = (options.name ?? cliFlag)("verbose");
      lines.push(
        `  … and ${n - shown.length} more (${verbose} lists them all, as the plan JSON does)`,
      );
    }
    lines.push("");
  }
  for (const warning of discoveryWarnings(plan)) lines.push(`warning: ${terminalText(warning)}`);
  if (discoveryWarnings(plan).length > 0) lines.push("");
  return lines;
}

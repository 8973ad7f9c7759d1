import { count } from "../count.js";
import type {
  FieldChange,
  PolicyDiff,
  PrincipalValue,
  SetChange,
  StatementRef,
} from "../policy/diff.js";
import { terminalText } from "./sinks/terminal.js";

/**
 * One line of a rendered policy diff: `+` added, `-` removed, `~` changed, `!` warning. The text
 * holds live policy content as it is: each renderer passes it through its sink.
 */
export interface PolicyDiffLine {
  sign: "+" | "-" | "~" | "!" | " ";
  text: string;
}

function show(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "(none)");
}

function statementLabel(ref: StatementRef): string {
  return ref.sid === null ? `statement #${ref.position}` : `statement "${show(ref.sid)}"`;
}

/** One line saying what happens to the policy as a whole. */
export function policyDiffSummary(diff: PolicyDiff): string {
  if (diff.kind === "create") return `new policy: ${count(diff.added.length, "statement")}`;
  if (diff.kind === "delete") return `policy removed: ${count(diff.removed.length, "statement")}`;
  if (diff.equal) return "no differences";
  const parts = [
    diff.added.length > 0 ? `${diff.added.length} added` : "",
    diff.removed.length > 0 ? `${diff.removed.length} removed` : "",
    diff.changed.length > 0 ? `${diff.changed.length} changed` : "",
    diff.unchanged > 0 ? `${diff.unchanged} unchanged` : "",
  ].filter((part) => part !== "");
  return `statements: ${parts.length > 0 ? parts.join(", ") : "none"}`;
}

function pushSet(lines: PolicyDiffLine[], label: string, change: SetChange<string>): void {
  if (change.added.length === 0 && change.removed.length === 0) return;
  lines.push({ sign: " ", text: `  ${label}` });
  for (const item of change.removed) lines.push({ sign: "-", text: `    ${show(item)}` });
  for (const item of change.added) lines.push({ sign: "+", text: `    ${show(item)}` });
}

function principalSet(change: SetChange<PrincipalValue>): SetChange<string> {
  const text = (p: PrincipalValue) => `${p.type}: ${p.value}`;
  return { added: change.added.map(text), removed: change.removed.map(text) };
}

function pushField(lines: PolicyDiffLine[], change: FieldChange, indent: string): void {
  lines.push({ sign: " ", text: `${indent}${show(change.field)}` });
  if ("before" in change) lines.push({ sign: "-", text: `${indent}  ${show(change.before)}` });
  if ("after" in change) lines.push({ sign: "+", text: `${indent}  ${show(change.after)}` });
}

function pushStatement(lines: PolicyDiffLine[], sign: "+" | "-", statement: unknown): void {
  const json = JSON.stringify(statement, null, 2) ?? "null";
  for (const line of json.split("\n")) lines.push({ sign, text: `  ${line}` });
}

/** The changes as signed lines (no summary, notes or findings); Markdown shares it. */
export function policyDiffBody(diff: PolicyDiff): PolicyDiffLine[] {
  const lines: PolicyDiffLine[] = [];
  for (const change of diff.document) pushField(lines, change, "");
  for (const change of diff.changed) {
    const moved =
      change.before.position !== change.after.position
        ? ` (#${change.before.position} → #${change.after.position})`
        : "";
    const renamed =
      change.before.sid !== change.after.sid ? ` (was ${statementLabel(change.before)})` : "";
    lines.push({ sign: "~", text: `${statementLabel(change.after)}${renamed}${moved}` });
    if (change.effect !== null) {
      lines.push({ sign: " ", text: "  Effect" });
      lines.push({ sign: "-", text: `    ${show(change.effect.before)}` });
      lines.push({ sign: "+", text: `    ${show(change.effect.after)}` });
    }
    pushSet(lines, "Principal", principalSet(change.principals));
    pushSet(lines, "NotPrincipal", principalSet(change.notPrincipals));
    pushSet(lines, "Action", change.actions);
    pushSet(lines, "NotAction", change.notActions);
    pushSet(lines, "Resource", change.resources);
    pushSet(lines, "NotResource", change.notResources);
    for (const condition of change.conditions) {
      pushSet(lines, `Condition ${condition.operator} ${condition.key}`, condition);
    }
    for (const other of change.other) pushField(lines, other, "  ");
  }
  for (const entry of diff.removed) {
    lines.push({ sign: "-", text: `${statementLabel(entry)} (removed)` });
    pushStatement(lines, "-", entry.statement);
  }
  for (const entry of diff.added) {
    lines.push({ sign: "+", text: `${statementLabel(entry)} (added)` });
    pushStatement(lines, "+", entry.statement);
  }
  return lines;
}

const COLOR: Record<PolicyDiffLine["sign"], string> = {
  "+": "\u001b[32m",
  "-": "\u001b[31m",
  "~": "\u001b[33m",
  "!": "\u001b[35m",
  " ": "",
};
const RESET = "\u001b[0m";

/** Terminal rendering: `+`/`-` lines, ANSI colour only when `options.color`. */
export function renderPolicyDiffText(diff: PolicyDiff, options: { color: boolean }): string {
  const lines: PolicyDiffLine[] = [
    { sign: " ", text: policyDiffSummary(diff) },
    ...diff.notes.map((note): PolicyDiffLine => ({ sign: " ", text: `  = ${note}` })),
    ...policyDiffBody(diff),
    ...diff.uniqueIdPrincipals.map(
      (finding): PolicyDiffLine => ({ sign: "!", text: finding.meaning }),
    ),
  ];
  return lines
    .map(({ sign, text }) => {
      const line = `${sign} ${terminalText(text)}`;
      const color = COLOR[sign];
      return options.color && color !== "" ? `${color}${line}${RESET}` : line;
    })
    .join("\n")
    .concat("\n");
}

// The SARIF 2.1.0 report of `s3ap validate --format sarif`, for GitHub code scanning and other
// SARIF readers: one run, a rule per validator rule id, a result per problem. A warning that an
// s3ap.yaml exception excuses carries an accepted external suppression (SARIF §3.35) whose
// justification is the exception's reason, owner, ticket and date.
import { createHash } from "node:crypto";
import type { DesiredAccessPoint, ExceptionRef, Problem } from "../model.js";
import { VERSION } from "../version.js";
import { sarifMessageText } from "./sinks/sarif.js";
import { VALIDATION_RULES } from "./validation-rules.js";

const SARIF_SCHEMA =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI = "https://github.com/s3ap/s3ap";
const HELP_URI = `${INFORMATION_URI}#validation`;
/** Result locations are relative to this base: the repository root (code scanning's checkout). */
export const SARIF_URI_BASE = "%SRCROOT%";

/** Fingerprint key: code scanning matches alerts across commits by it. */
const FINGERPRINT = "s3apProblem/v1";

/**
 * The SARIF log as a plain object; serialise it with the JSON sink. Problem file paths are
 * relative to the repository root (POSIX separators), as every Problem's are.
 */
export function sarifLog(
  problems: readonly Problem[],
  desired: readonly DesiredAccessPoint[],
): Record<string, unknown> {
  const ruleIds = [...new Set([...Object.keys(VALIDATION_RULES), ...problems.map((p) => p.rule)])];
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const accessPoints = new Map(desired.map((d) => [d.file, accessPointKey(d)]));
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "s3ap",
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: INFORMATION_URI,
            rules: ruleIds.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: {
          [SARIF_URI_BASE]: {
            description: { text: "The root of the repository holding the policy files." },
          },
        },
        results: problems.map((p) => ({
          ruleId: p.rule,
          ruleIndex: ruleIndex.get(p.rule),
          level: p.severity,
          message: { text: sarifMessageText(p.message) },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: fileUri(p.file), uriBaseId: SARIF_URI_BASE },
                region: { startLine: p.line, startColumn: p.col },
              },
            },
          ],
          partialFingerprints: {
            [FINGERPRINT]: fingerprint(p, accessPoints.get(p.file) ?? ""),
          },
          ...(p.exception !== undefined ? { suppressions: [suppression(p.exception)] } : {}),
        })),
        columnKind: "unicodeCodePoints",
      },
    ],
  };
}

/** An exception of s3ap.yaml as SARIF sees it: a suppression kept outside the source file. */
function suppression(exception: ExceptionRef): Record<string, unknown> {
  const ticket = exception.ticket !== undefined ? `, ${exception.ticket}` : "";
  return {
    kind: "external",
    status: "accepted",
    justification: sarifMessageText(
      `${exception.reason} (s3ap.yaml exception ${exception.id} of ${exception.owner}${ticket}, until ${exception.expires})`,
    ),
    properties: {
      exception: exception.id,
      owner: exception.owner,
      ...(exception.ticket !== undefined ? { ticket: exception.ticket } : {}),
      expires: exception.expires,
    },
  };
}

function ruleDescriptor(id: string): Record<string, unknown> {
  // A rule id missing from the catalogue still gets a descriptor: a result must never point at
  // nothing, and the catalogue test names the id so it is added.
  const help = VALIDATION_RULES[id] ?? { short: id, full: `s3ap validation rule ${id}.` };
  // The catalogue marks code with backticks: code in Markdown, plain in SARIF's text fields.
  const plain = (text: string) => text.replaceAll("`", "");
  return {
    id,
    name: id,
    shortDescription: { text: plain(help.short) },
    fullDescription: { text: plain(help.full) },
    help: {
      text: `${plain(help.full)} See ${HELP_URI}.`,
      markdown: `${help.full}\n\nSee [Validation](${HELP_URI}) in the s3ap README.`,
    },
    helpUri: HELP_URI,
  };
}

/**
 * Stable across edits that only move lines: rule, file, access point and message, never the
 * line or column. Two identical problems in one file share it (code scanning then shows one).
 */
export function fingerprint(problem: Problem, accessPoint: string): string {
  return createHash("sha256")
    .update(JSON.stringify([problem.rule, problem.file, accessPoint, problem.message]))
    .digest("hex");
}

function accessPointKey(d: DesiredAccessPoint): string {
  return [d.accountId, d.region, d.outpostId ?? "", d.name].join("/");
}

/** A relative URI reference for a repository path: each segment percent-encoded. */
export function fileUri(file: string): string {
  return file.split("/").map(encodeURIComponent).join("/");
}

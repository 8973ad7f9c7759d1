// `s3ap import`: lists the live access points of each (account, region[, Outpost]) — every data
// source (FSx volumes too) and the directory buckets' — and each account's Multi-Region Access
// Points, reads their policies (and scopes) and writes one policy file for every access point that
// no file declares yet. The files go through the same validation as `s3ap validate`; what cannot
// pass as it is is listed.
import { existsSync, realpathSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { accessPointArn, accessPointKey, partitionOf } from "../access-point/arn.js";
import { kindOf, MULTI_REGION } from "../access-point/kind.js";
import { compileSelection } from "../access-point/only-pattern.js";
import { appendAll } from "../append-all.js";
import { AwsError } from "../errors.js";
import type { AccessPointRef, DataSource, LiveState, Mode, Problem } from "../model.js";
import { findUniqueIdPrincipals } from "../policy/unique-id-principals.js";
import type { AccessPointSummary, PolicyStore } from "../reconcile/ports.js";
import { scopedLimit } from "../reconcile/scoped-limit.js";
import { listPolicyFiles } from "../source/policy-files.js";
import type { FileWriter } from "../source/write-new-file.js";
import { checkListedFile } from "../validate/check-listed-file.js";
import { checkPolicyFile } from "../validate/check-policy-file.js";
import { compareProblems } from "../validate/load-desired-state.js";
import { rewritePolicyArns } from "./arn-placeholder.js";
import { renderPolicyFile } from "./policy-file-yaml.js";
import { firstDifference } from "./round-trip.js";
import type { ImportedFile, ImportFailure, ImportOutcome } from "./types.js";

export interface ImportTarget {
  accountId: string;
  region: string;
  outpostId?: string;
}

export interface ImportRequest {
  cwd: string;
  /** The policies directory, relative to cwd (created when missing). */
  dir: string;
  targets: readonly ImportTarget[];
  /** Globs matched against the name, account/region/[outpost/]name and the ARN (any). */
  only?: readonly string[];
  mode: Mode;
  dryRun: boolean;
  concurrency: number;
}

export type ImportReader = Pick<
  PolicyStore,
  "listAccessPoints" | "listDirectoryAccessPoints" | "listMultiRegionAccessPoints" | "getPolicy"
>;

/** A listed access point, with what it is attached to when that is not a bucket. */
type Listed = AccessPointRef & { dataSource?: DataSource };

export interface ImportDeps {
  reader: ImportReader;
  /** Given only when files are to be written: a dry run never holds a writer. */
  writer?: FileWriter;
}

export type { ImportedFile, ImportFailure, ImportOutcome } from "./types.js";

// Names and Outpost ids become path segments: anything else from the endpoint is not written.
const SAFE_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const SAFE_ALIAS = /^[a-z0-9][a-z0-9-]*\.mrap$/;
const SAFE_OUTPOST_ID = /^op-[0-9a-f]{17}$/;

export const PUBLIC_COMMENT =
  'Imported public: the live policy grants "*" with no Condition. Keep allowPublic only if that is meant; otherwise narrow the policy.';

export async function runImport(request: ImportRequest, deps: ImportDeps): Promise<ImportOutcome> {
  const realCwd = realpathSync(request.cwd);
  const policiesDir = resolve(realCwd, request.dir);
  const inside = isInside(realCwd, policiesDir);
  const root = inside ? realCwd : policiesDir;

  const declared = new Map<string, string>();
  if (existsSync(policiesDir)) {
    const listing = listPolicyFiles(root, policiesDir);
    const results = listing.files.map((entry) => checkListedFile(entry));
    const unreadable: Problem[] = [...listing.problems];
    for (const result of results) {
      if (result.ref === undefined) appendAll(unreadable, result.problems);
      else if (!declared.has(accessPointKey(result.ref))) {
        declared.set(accessPointKey(result.ref), result.file);
      }
    }
    if (unreadable.length > 0) {
      return {
        status: "refused",
        refusal: { kind: "undeclared-files" },
        problems: unreadable.sort(compareProblems),
        root,
      };
    }
  }

  const { reader } = deps;
  const limit = scopedLimit(request.concurrency);
  const failures: ImportFailure[] = [];
  const notes: string[] = [];
  const listedRefs: Listed[] = [];
  const targets = uniqueTargets(request.targets);
  // Each kind is listed by its own operation. Directory buckets exist only in some Regions and
  // Multi-Region Access Points only in the aws partition, and a plan role may never have been
  // granted their listing: those listings failing is a note (naming the permission when it was
  // denied), not a failure of the import.
  const deniedKinds: string[] = [];
  const listing = async (
    what: string,
    permission: string | undefined,
    list: () => Promise<AccessPointSummary[]>,
    refOf: (summary: AccessPointSummary) => Listed,
  ) => {
    try {
      for (const summary of await list()) listedRefs.push(refOf(summary));
    } catch (error) {
      if (permission === undefined) failures.push({ target: what, message: messageOf(error) });
      else if (isDenied(error)) deniedKinds.push(`${what} (${permission})`);
      else notes.push(`${what} were not listed: ${messageOf(error)}`);
    }
  };
  const accounts = [
    ...new Set(targets.filter((t) => partitionOf(t.region) === "aws").map((t) => t.accountId)),
  ];
  await Promise.all([
    ...targets.map((target) =>
      limit(target, async () => {
        const where = { accountId: target.accountId, region: target.region };
        await listing(
          describeTarget(target),
          undefined,
          () => reader.listAccessPoints(target.accountId, target.region, target.outpostId),
          (summary) => ({
            ...where,
            name: summary.name,
            ...(target.outpostId !== undefined ? { outpostId: target.outpostId } : {}),
            ...(isOtherDataSource(summary)
              ? { dataSource: { type: summary.dataSourceType, id: summary.dataSourceId ?? "" } }
              : {}),
          }),
        );
        if (target.outpostId !== undefined) return;
        await listing(
          `the directory buckets of account ${target.accountId} in ${target.region}`,
          "s3express:ListAccessPointsForDirectoryBuckets",
          () => reader.listDirectoryAccessPoints(target.accountId, target.region),
          (summary) => ({ ...where, name: summary.name }),
        );
      }),
    ),
    ...accounts.map((accountId) =>
      limit({ accountId, region: MULTI_REGION }, () =>
        listing(
          `the Multi-Region Access Points of account ${accountId}`,
          "s3:ListMultiRegionAccessPoints",
          // Without its alias a Multi-Region Access Point has no ARN to write: not imported.
          async () =>
            (await reader.listMultiRegionAccessPoints(accountId)).filter(
              (summary) => summary.alias !== undefined,
            ),
          (summary) => ({
            accountId,
            region: MULTI_REGION,
            name: summary.name,
            ...(summary.alias !== undefined ? { alias: summary.alias } : {}),
          }),
        ),
      ),
    ),
  ]);
  if (deniedKinds.length > 0) {
    notes.push(
      `not listed, as the listing was denied: ${deniedKinds.sort().join(", ")}; grant that permission to import them.`,
    );
  }
  if (targets.every((t) => t.outpostId === undefined)) {
    notes.push(
      "S3 on Outposts access points are not listed by ListAccessPoints without an Outpost: " +
        "pass --outpost-id op-… to import those.",
    );
  }

  const selects = compileSelection(request.only);
  const selected = dedupe(listedRefs)
    .filter((ref) => selects(ref))
    .sort((a, b) => accessPointKey(a).localeCompare(accessPointKey(b)));
  if (request.only?.length && selected.length === 0 && listedRefs.length > 0) {
    return {
      status: "refused",
      refusal: {
        kind: "only-matches-nothing",
        only: request.only,
        among: listedRefs.length,
        of: "listed",
      },
      problems: [],
      root,
    };
  }

  const skipped: { ref: AccessPointRef; arn: string; file: string }[] = [];
  const toImport: Listed[] = [];
  for (const ref of selected) {
    const file = declared.get(accessPointKey(ref));
    if (file !== undefined) skipped.push({ ref, arn: accessPointArn(ref), file });
    else if (
      !SAFE_NAME.test(ref.name) ||
      (ref.outpostId !== undefined && !SAFE_OUTPOST_ID.test(ref.outpostId)) ||
      (kindOf(ref) === "multi-region" && !SAFE_ALIAS.test(ref.alias ?? ""))
    ) {
      failures.push({
        target: accessPointKey(ref),
        message: `the endpoint listed an access point named ${JSON.stringify(ref.name)}, which is not a name AWS allows; not imported`,
      });
    } else toImport.push(ref);
  }

  const prepared: Extract<Prepared, { kind: "ready" }>[] = [];
  await Promise.all(
    toImport.map((ref) =>
      limit(ref, async () => {
        const live = await readPolicy(reader, ref);
        if (live.kind === "error") {
          failures.push({ target: accessPointArn(ref), message: `${live.message} [${live.code}]` });
          return;
        }
        const ready = prepareFile(ref, live, request.mode, fileFor(root, policiesDir, ref));
        if (ready.kind === "ready") prepared.push(ready);
        else failures.push({ target: accessPointArn(ref), message: ready.message });
      }),
    ),
  );
  prepared.sort((a, b) => accessPointKey(a.file.ref).localeCompare(accessPointKey(b.file.ref)));

  const written: ImportedFile[] = [];
  const problems: Problem[] = [];
  const writer = request.dryRun ? undefined : deps.writer;
  if (!request.dryRun && writer === undefined)
    throw new Error("an import that writes needs a writer");
  for (const { file, problems: fileProblems } of prepared) {
    if (writer !== undefined) {
      const result = await writer.writeNew(join(root, file.file), file.text);
      if (result === "exists") {
        failures.push({
          target: file.arn,
          message: `${file.file} already exists and declares another access point; not overwritten: move it, then import again`,
        });
        continue;
      }
    }
    written.push(file);
    appendAll(problems, fileProblems);
  }
  failures.sort((a, b) => a.target.localeCompare(b.target));
  return {
    status: "imported",
    dryRun: request.dryRun,
    mode: request.mode,
    root,
    listed: selected.length,
    written,
    skipped,
    failures,
    problems: problems.sort(compareProblems),
    notes,
  };
}

/** A file ready to write with what must be decided in it, or why it is not written. */
type Prepared =
  | { kind: "ready"; file: ImportedFile; problems: Problem[] }
  | { kind: "refused"; message: string };

/**
 * Renders the file and runs the real validation over exactly that text; the policy it declares
 * must be the live policy exactly (round-trip.ts), or the file is not written. A public policy
 * gets `allowPublic: true`, and its statements are listed as warnings to review, found by
 * validating the same text with `allowPublic: false` (same lines and columns).
 */
function prepareFile(
  ref: Listed,
  live: LiveState & { kind: "policy" | "none" },
  mode: Mode,
  file: string,
): Prepared {
  const arn = accessPointArn(ref);
  const policy = live.kind === "policy" ? rewritePolicyArns(live.policy, arn) : null;
  const render = (allowPublic: boolean) =>
    renderPolicyFile({
      ...ref,
      ...(live.scope !== undefined && live.scope !== null ? { scope: live.scope } : {}),
      mode,
      allowPublic,
      ...(allowPublic ? { publicComment: PUBLIC_COMMENT } : {}),
      policy,
    });
  let text = render(false);
  let checked = checkPolicyFile(text, file);
  let isPublic = false;
  const publicProblems: Problem[] = [];
  if (checked.problems.some((p) => p.rule === "public")) {
    isPublic = true;
    text = render(true);
    checked = checkPolicyFile(text, file);
    const probe = text.replace(/^allowPublic: true$/m, "allowPublic: false");
    for (const problem of checkPolicyFile(probe, file).problems) {
      if (problem.rule !== "public") continue;
      // allowPublic: true is written, so the file is valid: a warning to review, not an error.
      publicProblems.push({
        ...problem,
        severity: "warning",
        rule: "imported-public",
        message: `imported public, allowPublic: true was written: ${problem.message}`,
      });
    }
  }
  const unreadable = checked.policy === undefined ? checked.problems[0] : undefined;
  const difference =
    unreadable !== undefined
      ? `it does not read back: ${unreadable.message}`
      : firstDifference(checked.policy, live.kind === "policy" ? live.policy : null);
  if (difference !== undefined) {
    return {
      kind: "refused",
      message:
        `${file} would not declare the live policy exactly (${difference}), so it was not ` +
        "written: write this access point's file by hand from the live policy",
    };
  }
  const orphans = live.kind === "policy" ? findUniqueIdPrincipals(live.policy) : [];
  const problems = checked.problems.map((problem) => {
    const orphan = orphans.find((o) => problem.message.includes(o.id));
    return orphan === undefined
      ? problem
      : { ...problem, message: `${problem.message} (${orphan.meaning})` };
  });
  appendAll(problems, publicProblems);
  return {
    kind: "ready",
    file: { ref, arn, file, text, hasPolicy: live.kind === "policy", public: isPublic },
    problems,
  };
}

async function readPolicy(reader: ImportReader, ref: AccessPointRef): Promise<LiveState> {
  try {
    return await reader.getPolicy(ref);
  } catch (error) {
    return { kind: "error", code: "ReadFailed", message: messageOf(error) };
  }
}

/** `<dir>/<accountId>/<region>/[<outpostId>/]<name>.yaml`, relative to root. */
function fileFor(root: string, policiesDir: string, ref: AccessPointRef): string {
  const parts = [
    ref.accountId,
    ref.region,
    ...(ref.outpostId !== undefined ? [ref.outpostId] : []),
    `${ref.name}.yaml`,
  ];
  return relative(root, join(policiesDir, parts.join("/")))
    .split(sep)
    .join("/");
}

function uniqueTargets(targets: readonly ImportTarget[]): ImportTarget[] {
  const seen = new Map<string, ImportTarget>();
  for (const t of targets) seen.set(`${t.accountId}/${t.region}/${t.outpostId ?? ""}`, t);
  return [...seen.values()];
}

function dedupe(refs: readonly Listed[]): Listed[] {
  const seen = new Map<string, Listed>();
  for (const ref of refs) seen.set(accessPointKey(ref), ref);
  return [...seen.values()];
}

function describeTarget(target: ImportTarget): string {
  const outpost = target.outpostId !== undefined ? ` on Outpost ${target.outpostId}` : "";
  return `account ${target.accountId} in ${target.region}${outpost}`;
}

/** Attached to something other than an S3 bucket (an FSx volume), as the listing says. */
function isOtherDataSource(
  summary: AccessPointSummary,
): summary is AccessPointSummary & { dataSourceType: string } {
  return summary.dataSourceType !== undefined && !/^s3$/i.test(summary.dataSourceType);
}

function isDenied(error: unknown): boolean {
  return (
    error instanceof AwsError &&
    (error.code === "AccessDenied" || error.code === "AccessDeniedException")
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

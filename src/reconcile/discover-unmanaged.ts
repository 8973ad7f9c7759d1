// Lists the access points that exist in the (account, region[, Outpost]) pairs the files use but
// that no file declares: reported by plan and apply, never changed. Every data source (FSx volumes
// too) in every pair; directory-bucket access points in the pairs where the files declare one,
// Multi-Region Access Points in the accounts where they do (so a plan role that never needed
// those listing permissions is not asked for them). A listing that fails (most often
// AccessDenied: the plan role lacks the permission) becomes a warning, never an error.
import { accessPointArn, accessPointKey } from "../access-point/arn.js";
import { kindOf, MULTI_REGION } from "../access-point/kind.js";
import { count } from "../count.js";
import { AwsError, type OptionName } from "../errors.js";
import type { AccessPointRef } from "../model.js";
import type { PolicyReader } from "./ports.js";
import { scopedLimit } from "./scoped-limit.js";
import type { Discovery, UnmanagedAccessPoint } from "./types.js";

export interface DiscoverOptions {
  concurrency: number;
  /** Keeps only the unmanaged access points the run's --only selects. */
  selects?: ((ref: AccessPointRef & { arn: string }) => boolean) | undefined;
  /**
   * The access points whose (account, region) pairs are listed; default: every declared one.
   * A run narrowed by --only lists only the pairs of what it selected, so it sends no request
   * for an account (or Region) that it does not plan.
   */
  within?: readonly AccessPointRef[] | undefined;
  /** How the entry names the option that turns discovery off (default: the CLI's flag). */
  optionName?: OptionName;
}

const isDenied = (error: unknown) =>
  error instanceof AwsError &&
  (error.code === "AccessDenied" || error.code === "AccessDeniedException");

export async function discoverUnmanaged(
  declared: readonly AccessPointRef[],
  reader: PolicyReader,
  options: DiscoverOptions,
): Promise<{ discovery: Discovery; unmanaged: UnmanagedAccessPoint[] }> {
  const limit = scopedLimit(options.concurrency);
  const declaredKeys = new Set(declared.map(accessPointKey));
  // NOTE: ListAccessPoints without a bucket lists no S3 on Outposts access points; listing those
  // takes ListRegionalBuckets and one call per Outposts bucket, so a plan covers general-purpose
  // access points in the (account, region) pairs the files use (Outposts files included).
  const scopes = new Map<string, { accountId: string; region: string; directory: boolean }>();
  for (const ref of options.within ?? declared) {
    const key = `${ref.accountId}/${ref.region}`;
    const directory = kindOf(ref) === "directory" || scopes.get(key)?.directory === true;
    scopes.set(key, { accountId: ref.accountId, region: ref.region, directory });
  }

  const denied: string[] = [];
  const warnings: string[] = [];
  const found: (AccessPointRef & { arn: string })[] = [];
  await Promise.all(
    [...scopes.values()].map((scope) =>
      limit(scope, async () => {
        const multiRegion = scope.region === MULTI_REGION;
        try {
          const listed = multiRegion
            ? await reader.listMultiRegionAccessPoints(scope.accountId)
            : [
                ...(await reader.listAccessPoints(scope.accountId, scope.region)),
                ...(scope.directory
                  ? await reader.listDirectoryAccessPoints(scope.accountId, scope.region)
                  : []),
              ];
          for (const summary of listed) {
            const ref: AccessPointRef = {
              accountId: scope.accountId,
              region: scope.region,
              name: summary.name,
              ...(summary.alias !== undefined ? { alias: summary.alias } : {}),
            };
            if (declaredKeys.has(accessPointKey(ref))) continue;
            // A Multi-Region Access Point without an alias has no ARN to show: skip it.
            if (multiRegion && ref.alias === undefined) continue;
            found.push({ ...ref, arn: accessPointArn(ref) });
          }
        } catch (error) {
          const where = multiRegion
            ? `the Multi-Region Access Points of account ${scope.accountId}`
            : `account ${scope.accountId} in ${scope.region}`;
          if (isDenied(error)) denied.push(where);
          else if (isAccountCredentialError(error)) {
            // The plan's errors already say why, once for the account.
            warnings.push(
              `could not list the access points of ${where}: the account's role could not be used (see its errors)`,
            );
          } else warnings.push(`could not list the access points of ${where}: ${messageOf(error)}`);
        }
      }),
    ),
  );
  if (denied.length > 0) {
    warnings.unshift(
      `access points no file declares were not listed for ${denied.sort().join(", ")}: ` +
        "ListAccessPoints was denied; grant s3:ListAccessPoints (and, where the files declare " +
        "them, s3express:ListAccessPointsForDirectoryBuckets or s3:ListMultiRegionAccessPoints) " +
        `to the role s3ap runs as, or turn discovery off (${options.optionName?.("discover") ?? "--no-discover"})`,
    );
  }

  const selected = found
    .filter((ref) => options.selects?.(ref) ?? true)
    .sort((a, b) => accessPointKey(a).localeCompare(accessPointKey(b)));
  const unreadable: string[] = [];
  const unmanaged = await Promise.all(
    selected.map((ref) =>
      limit(ref, async (): Promise<UnmanagedAccessPoint> => {
        const hasPolicy = await readHasPolicy(reader, ref);
        if (hasPolicy === null) unreadable.push(accessPointKey(ref));
        return {
          accountId: ref.accountId,
          region: ref.region,
          name: ref.name,
          ...(ref.outpostId !== undefined ? { outpostId: ref.outpostId } : {}),
          arn: ref.arn,
          hasPolicy,
        };
      }),
    ),
  );
  if (unreadable.length > 0) {
    const first = unreadable.sort().slice(0, 3).join(", ");
    warnings.push(
      `whether ${count(unreadable.length, "unmanaged access point has", "unmanaged access points have")} a policy could not be read (${first}${unreadable.length > 3 ? ", …" : ""}): hasPolicy is null; grant s3:GetAccessPointPolicy on them to see it`,
    );
  }
  return { discovery: { enabled: true, warnings }, unmanaged };
}

async function readHasPolicy(reader: PolicyReader, ref: AccessPointRef): Promise<boolean | null> {
  try {
    const live = await reader.getPolicy(ref);
    return live.kind === "error" ? null : live.kind === "policy";
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A role that cannot be assumed, or no role for the account (aws/assume-role.ts). */
function isAccountCredentialError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "AssumeRoleFailed" || code === "NoRoleForAccount";
}

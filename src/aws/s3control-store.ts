// The PolicyStore over the real S3 Control API: each operation as one rate-limited, retried call
// (s3control-calls.ts), with AWS's answers turned into what the engine expects, for every kind of
// access point: general-purpose and FSx-attached, Outposts, directory buckets (policy and scope)
// and Multi-Region (Established and Proposed policy, asynchronous write).
import {
  DeleteAccessPointPolicyCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointPolicyStatusCommand,
  PutAccessPointPolicyCommand,
} from "@aws-sdk/client-s3-control";
import { accessPointArn } from "../access-point/arn.js";
import { kindOf } from "../access-point/kind.js";
import { AwsError, cliFlag, type OptionName } from "../errors.js";
import type { AccessPointRef, LiveExtras, LiveState, PolicyDocument } from "../model.js";
import type { Destroyable, PolicyStore } from "../reconcile/ports.js";
import { parseUntrustedJson } from "../untrusted/plain-data.js";
import { deleteScope, getScope, putScope } from "./access-point-scope.js";
import type { IamService, Operation } from "./failure-message.js";
import {
  listAccessPoints,
  listDirectoryAccessPoints,
  listOutpostAccessPoints,
} from "./list-access-points.js";
import {
  DEFAULT_MRAP_POLL_DELAYS_MS,
  getMultiRegionAlias,
  getMultiRegionPolicy,
  listMultiRegionAccessPoints,
  multiRegionContext,
  putMultiRegionPolicy,
} from "./multi-region.js";
import {
  type CallContext,
  createS3ControlCalls,
  type S3ControlCallOptions,
} from "./s3control-calls.js";

export interface S3ControlStoreOptions extends S3ControlCallOptions {
  /** ListAccessPoints page size (AWS allows up to 1000, the default). */
  listPageSize?: number;
  /** Pauses between polls of a Multi-Region Access Point policy write (default ~2 min in all). */
  multiRegionPollDelaysMs?: readonly number[];
}

const SERVICE: Record<ReturnType<typeof kindOf>, IamService> = {
  general: "s3",
  outposts: "s3-outposts",
  directory: "s3express",
  "multi-region": "s3",
};

function contextOf(operation: Operation, ap: AccessPointRef): CallContext {
  if (kindOf(ap) === "multi-region") {
    const context = multiRegionContext(operation, ap.accountId, ap.name);
    return ap.alias === undefined ? context : { ...context, target: accessPointArn(ap) };
  }
  return {
    operation,
    accountId: ap.accountId,
    region: ap.region,
    target: accessPointArn(ap),
    service: SERVICE[kindOf(ap)],
  };
}

// NOTE: for Outposts the SDK wants the access point ARN as Name; it then sets x-amz-outpost-id,
// the bare name, the s3-outposts signing name and endpoint. A general-purpose ARN as Name fails
// client-side, so those get the bare name.
function nameOf(ap: AccessPointRef): string {
  return ap.outpostId !== undefined ? accessPointArn(ap) : ap.name;
}

export function createS3ControlStore(options: S3ControlStoreOptions): Destroyable<PolicyStore> {
  const calls = createS3ControlCalls(options);
  const pageSize = options.listPageSize ?? 1000;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollDelaysMs = options.multiRegionPollDelaysMs ?? DEFAULT_MRAP_POLL_DELAYS_MS;
  const name = options.optionName ?? cliFlag;
  const parseLivePolicy = (raw: string | undefined, target: string) => parseLive(raw, target, name);

  async function getMultiRegion(ap: AccessPointRef): Promise<LiveState> {
    const target = contextOf("GetMultiRegionAccessPointPolicy", ap).target;
    let read: Awaited<ReturnType<typeof getMultiRegionPolicy>>;
    let alias: string | undefined;
    try {
      // The alias too: the file's must be the one AWS gave (plan checks it).
      [alias, read] = await Promise.all([
        getMultiRegionAlias(calls, ap.accountId, ap.name),
        getMultiRegionPolicy(calls, ap.accountId, ap.name),
      ]);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return { kind: "error", code: error.code, message: error.message };
    }
    const withAlias = (state: LiveState): LiveState =>
      state.kind === "error" || alias === undefined ? state : { ...state, alias };
    const established = parseLivePolicy(read.established, target);
    if (established.kind === "error" || read.proposed === undefined) return withAlias(established);
    if (read.proposed === read.established) return withAlias(established);
    const proposed = parseLivePolicy(read.proposed, `${target} (Proposed)`);
    if (proposed.kind === "error") return proposed;
    return withAlias(
      proposed.kind === "policy" ? { ...established, proposed: proposed.policy } : established,
    );
  }

  async function withScope(ap: AccessPointRef, state: LiveState): Promise<LiveState> {
    if (state.kind === "error") return state;
    let scope: LiveExtras["scope"];
    try {
      scope = await getScope(calls, contextOf("GetAccessPointScope", ap), ap.accountId, ap.name);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return { kind: "error", code: error.code, message: error.message };
    }
    return { ...state, scope };
  }

  return {
    async getPolicy(ap) {
      switch (kindOf(ap)) {
        case "multi-region":
          return getMultiRegion(ap);
        case "directory":
          return withScope(ap, await getAccessPointPolicy(ap));
        case "general":
        case "outposts":
          return getAccessPointPolicy(ap);
      }
    },

    async putPolicy(ap, policyJson) {
      if (kindOf(ap) === "multi-region") {
        await putMultiRegionPolicy(calls, ap.accountId, ap.name, policyJson, {
          sleep,
          pollDelaysMs,
        });
        return;
      }
      await calls.call(contextOf("PutAccessPointPolicy", ap), (client) =>
        client.send(
          new PutAccessPointPolicyCommand({
            AccountId: ap.accountId,
            Name: nameOf(ap),
            Policy: policyJson,
          }),
        ),
      );
    },

    async deletePolicy(ap) {
      if (kindOf(ap) === "multi-region") {
        // NOTE: S3 Control has no DeleteMultiRegionAccessPointPolicy; validation refuses
        // `policy: null` for these, so this is never reached from a valid file.
        throw new AwsError(
          `Multi-Region Access Point ${ap.name}: AWS has no way to delete its policy; declare the policy it should have instead`,
          "UnsupportedOperation",
          false,
        );
      }
      try {
        await calls.call(contextOf("DeleteAccessPointPolicy", ap), (client) =>
          client.send(
            new DeleteAccessPointPolicyCommand({ AccountId: ap.accountId, Name: nameOf(ap) }),
          ),
        );
      } catch (error) {
        if (error instanceof AwsError && error.code === "NoSuchAccessPointPolicy") return;
        throw error;
      }
    },

    async putScope(ap, scope) {
      await putScope(calls, contextOf("PutAccessPointScope", ap), ap.accountId, ap.name, scope);
    },

    async deleteScope(ap) {
      await deleteScope(calls, contextOf("DeleteAccessPointScope", ap), ap.accountId, ap.name);
    },

    async listAccessPoints(accountId, region, outpostId) {
      return outpostId === undefined
        ? listAccessPoints(calls, pageSize, accountId, region)
        : listOutpostAccessPoints(calls, pageSize, accountId, region, outpostId);
    },

    async listDirectoryAccessPoints(accountId, region) {
      return listDirectoryAccessPoints(calls, pageSize, accountId, region);
    },

    async listMultiRegionAccessPoints(accountId) {
      return listMultiRegionAccessPoints(calls, accountId);
    },

    async getPolicyStatus(ap) {
      // NOTE: GetAccessPointPolicyStatus answers UnsupportedOperation on Outposts and directory
      // buckets; Multi-Region Access Points have an operation of their own.
      if (kindOf(ap) !== "general") return null;
      try {
        const output = await calls.call(contextOf("GetAccessPointPolicyStatus", ap), (client) =>
          client.send(
            new GetAccessPointPolicyStatusCommand({ AccountId: ap.accountId, Name: nameOf(ap) }),
          ),
        );
        return { isPublic: output.PolicyStatus?.IsPublic === true };
      } catch (error) {
        if (error instanceof AwsError && error.code === "UnsupportedOperation") return null;
        throw error;
      }
    },

    destroy() {
      calls.destroy();
    },
  };

  async function getAccessPointPolicy(ap: AccessPointRef): Promise<LiveState> {
    const context = contextOf("GetAccessPointPolicy", ap);
    let raw: string | undefined;
    try {
      const output = await calls.call(context, (client) =>
        client.send(new GetAccessPointPolicyCommand({ AccountId: ap.accountId, Name: nameOf(ap) })),
      );
      raw = output.Policy;
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      if (error.code === "NoSuchAccessPointPolicy") return { kind: "none" };
      return { kind: "error", code: error.code, message: error.message };
    }
    return parseLivePolicy(raw, context.target);
  }
}

/**
 * The largest live policy s3ap reads. NOTE: AWS refuses policies over 20 KB (of its normalised
 * form; a 24,620-byte compact document was once accepted), so a policy far larger comes from an
 * endpoint that is not AWS's, broken or hostile; diffing megabytes would only exhaust memory.
 */
export const MAX_LIVE_POLICY_BYTES = 128 * 1024;

/** AWS's returned text is unspecified in layout; it must at least be a JSON object. */
function parseLive(raw: string | undefined, target: string, name: OptionName): LiveState {
  if (raw === undefined || raw.trim() === "") return { kind: "none" };
  const bytes = Buffer.byteLength(raw, "utf8");
  if (bytes > MAX_LIVE_POLICY_BYTES) {
    return {
      kind: "error",
      code: "LivePolicyTooLarge",
      message:
        `the live policy of ${target} is ${bytes.toLocaleString("en-US")} bytes, and AWS ` +
        "accepts policies of at most 20 KB: s3ap reads none over " +
        `${MAX_LIVE_POLICY_BYTES / 1024} KiB. Check that the endpoint is S3 Control ` +
        `(${name("endpointUrl")}, AWS_ENDPOINT_URL_S3_CONTROL)`,
    };
  }
  // Live policies are untrusted input: depth, keys and numbers are checked and every object
  // is built without a prototype, in the one place that does so.
  const read = parseUntrustedJson(raw);
  if (!read.ok) {
    return {
      kind: "error",
      code: "InvalidLivePolicy",
      message:
        read.reason === "syntax"
          ? `the live policy of ${target} is not valid JSON (${read.message}); fix or delete it in AWS`
          : `the live policy of ${target} ${read.message}; fix or delete it in AWS`,
    };
  }
  const parsed = read.value;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return {
      kind: "error",
      code: "InvalidLivePolicy",
      message: `the live policy of ${target} is not a JSON object; fix or delete it in AWS`,
    };
  }
  return { kind: "policy", policy: parsed as PolicyDocument };
}

// The PolicyStore over the real S3 Control API: each operation as one rate-limited, retried call
// (s3control-calls.ts), with AWS's answers turned into what the engine expects.
import {
  DeleteAccessPointPolicyCommand,
  GetAccessPointPolicyCommand,
  GetAccessPointPolicyStatusCommand,
  PutAccessPointPolicyCommand,
} from "@aws-sdk/client-s3-control";
import { accessPointArn } from "../access-point/arn.js";
import { AwsError } from "../errors.js";
import type { AccessPointRef, LiveState, PolicyDocument } from "../model.js";
import type { PolicyStore } from "../reconcile/ports.js";
import { parseUntrustedJson } from "../untrusted/plain-data.js";
import type { Operation } from "./failure-message.js";
import { listAccessPoints, listOutpostAccessPoints } from "./list-access-points.js";
import {
  type CallContext,
  createS3ControlCalls,
  type S3ControlCallOptions,
} from "./s3control-calls.js";

export interface S3ControlStoreOptions extends S3ControlCallOptions {
  /** ListAccessPoints page size (AWS allows up to 1000, the default). */
  listPageSize?: number;
}

function contextOf(operation: Operation, ap: AccessPointRef): CallContext {
  return {
    operation,
    accountId: ap.accountId,
    region: ap.region,
    target: accessPointArn(ap),
    outposts: ap.outpostId !== undefined,
  };
}

// NOTE: for Outposts the SDK wants the access point ARN as Name; it then sets x-amz-outpost-id,
// the bare name, the s3-outposts signing name and endpoint. A general-purpose ARN as Name fails
// client-side, so those get the bare name.
function nameOf(ap: AccessPointRef): string {
  return ap.outpostId !== undefined ? accessPointArn(ap) : ap.name;
}

export function createS3ControlStore(
  options: S3ControlStoreOptions,
): PolicyStore & { destroy(): void } {
  const calls = createS3ControlCalls(options);
  const pageSize = options.listPageSize ?? 1000;
  return {
    async getPolicy(ap) {
      const context = contextOf("GetAccessPointPolicy", ap);
      let raw: string | undefined;
      try {
        const output = await calls.call(context, (client) =>
          client.send(
            new GetAccessPointPolicyCommand({ AccountId: ap.accountId, Name: nameOf(ap) }),
          ),
        );
        raw = output.Policy;
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        if (error.code === "NoSuchAccessPointPolicy") return { kind: "none" };
        return { kind: "error", code: error.code, message: error.message };
      }
      return parseLivePolicy(raw, context.target);
    },

    async putPolicy(ap, policyJson) {
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

    async listAccessPoints(accountId, region, outpostId) {
      return outpostId === undefined
        ? listAccessPoints(calls, pageSize, accountId, region)
        : listOutpostAccessPoints(calls, pageSize, accountId, region, outpostId);
    },

    async getPolicyStatus(ap) {
      // NOTE: S3 on Outposts answers GetAccessPointPolicyStatus with UnsupportedOperation.
      if (ap.outpostId !== undefined) return null;
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
}

/** AWS's returned text is unspecified in layout; it must at least be a JSON object. */
function parseLivePolicy(raw: string | undefined, target: string): LiveState {
  if (raw === undefined || raw.trim() === "") return { kind: "none" };
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
  return {
    kind: "policy",
    policy: parsed as PolicyDocument,
    raw,
  };
}

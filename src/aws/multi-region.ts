// Multi-Region Access Point policies: read (Established and Proposed), the asynchronous write
// (PutMultiRegionAccessPointPolicy returns a request token; DescribeMultiRegionAccessPointOperation
// is polled, backed off and bounded, until it SUCCEEDED or FAILED), and the listing.
import { randomUUID } from "node:crypto";
import {
  DescribeMultiRegionAccessPointOperationCommand,
  GetMultiRegionAccessPointCommand,
  GetMultiRegionAccessPointPolicyCommand,
  ListMultiRegionAccessPointsCommand,
  PutMultiRegionAccessPointPolicyCommand,
} from "@aws-sdk/client-s3-control";
import { accessPointArn } from "../access-point/arn.js";
import { MULTI_REGION, MULTI_REGION_CONTROL_REGION } from "../access-point/kind.js";
import { AwsError } from "../errors.js";
import type { AccessPointSummary } from "../reconcile/ports.js";
import type { CallContext, S3ControlCalls } from "./s3control-calls.js";

/**
 * Pauses between polls of the write's operation: about 2 minutes in all. AWS gives no figure
 * for how long a policy write takes to propagate to every Region of the access point.
 */
export const DEFAULT_MRAP_POLL_DELAYS_MS = [
  1000, 2000, 3000, 5000, 8000, 10_000, 15_000, 15_000, 20_000, 20_000, 20_000,
] as const;

export interface MultiRegionPolicy {
  established: string | undefined;
  proposed: string | undefined;
}

/** Every Multi-Region Access Point call goes to us-west-2 (AWS routes them there). */
export function multiRegionContext(
  operation: CallContext["operation"],
  accountId: string,
  name: string,
): CallContext {
  return {
    operation,
    accountId,
    region: MULTI_REGION_CONTROL_REGION,
    target: `Multi-Region Access Point ${name}`,
    service: "s3",
  };
}

// NOTE: moto answers NoSuchMultiRegionAccessPointPolicy for one without a policy; AWS may
// answer an empty Established policy instead. Both mean "no policy".
const NO_POLICY = "NoSuchMultiRegionAccessPointPolicy";

export async function getMultiRegionPolicy(
  calls: S3ControlCalls,
  accountId: string,
  name: string,
): Promise<MultiRegionPolicy> {
  try {
    const output = await calls.call(
      multiRegionContext("GetMultiRegionAccessPointPolicy", accountId, name),
      (client) =>
        client.send(
          new GetMultiRegionAccessPointPolicyCommand({ AccountId: accountId, Name: name }),
        ),
    );
    return {
      established: nonEmpty(output.Policy?.Established?.Policy),
      proposed: nonEmpty(output.Policy?.Proposed?.Policy),
    };
  } catch (error) {
    if (error instanceof AwsError && error.code === NO_POLICY) {
      return { established: undefined, proposed: undefined };
    }
    throw error;
  }
}

/** The alias AWS gave a Multi-Region Access Point (its ARN is built from it). */
export async function getMultiRegionAlias(
  calls: S3ControlCalls,
  accountId: string,
  name: string,
): Promise<string | undefined> {
  const output = await calls.call(
    multiRegionContext("GetMultiRegionAccessPoint", accountId, name),
    (client) =>
      client.send(new GetMultiRegionAccessPointCommand({ AccountId: accountId, Name: name })),
  );
  return output.AccessPoint?.Alias;
}

const nonEmpty = (text: string | undefined) =>
  text === undefined || text.trim() === "" ? undefined : text;

export interface PutOptions {
  sleep: (ms: number) => Promise<void>;
  pollDelaysMs: readonly number[];
}

/**
 * Writes the policy and waits until AWS says the operation SUCCEEDED. A FAILED operation throws
 * AwsError with AWS's own error code and message; one still running after the last poll throws
 * too (the write may yet complete: plan shows where it got).
 */
export async function putMultiRegionPolicy(
  calls: S3ControlCalls,
  accountId: string,
  name: string,
  policyJson: string,
  options: PutOptions,
): Promise<void> {
  // One token for every retry of this write: a retry after a lost answer is the same request.
  const clientToken = randomUUID();
  const put = await calls.call(
    multiRegionContext("PutMultiRegionAccessPointPolicy", accountId, name),
    (client) =>
      client.send(
        new PutMultiRegionAccessPointPolicyCommand({
          AccountId: accountId,
          ClientToken: clientToken,
          Details: { Name: name, Policy: policyJson },
        }),
      ),
  );
  const token = put.RequestTokenARN;
  if (token === undefined || token === "") {
    throw new AwsError(
      `PutMultiRegionAccessPointPolicy for Multi-Region Access Point ${name} returned no request token, so its outcome cannot be followed; re-run plan to see whether it was applied`,
      "MissingRequestToken",
      false,
    );
  }
  const context = multiRegionContext("DescribeMultiRegionAccessPointOperation", accountId, name);
  let status = "";
  let waitedMs = 0;
  for (let poll = 0; poll <= options.pollDelaysMs.length; poll++) {
    const output = await calls.call(context, (client) =>
      client.send(
        new DescribeMultiRegionAccessPointOperationCommand({
          AccountId: accountId,
          RequestTokenARN: token,
        }),
      ),
    );
    const operation = output.AsyncOperation;
    status = operation?.RequestStatus ?? "";
    if (status === "SUCCEEDED") return;
    if (status === "FAILED") {
      const details = operation?.ResponseDetails?.ErrorDetails;
      const code = details?.Code ?? "MultiRegionAccessPointOperationFailed";
      throw new AwsError(
        `AWS reported that the policy write of Multi-Region Access Point ${name} FAILED: ` +
          `${details?.Message ?? "no message given"} [${code}] (request ${token}); fix the ` +
          "policy or the access point and re-run apply",
        code,
        false,
      );
    }
    const delay = options.pollDelaysMs[poll];
    if (delay === undefined) break;
    await options.sleep(delay);
    waitedMs += delay;
  }
  throw new AwsError(
    `the policy write of Multi-Region Access Point ${name} was accepted but is still ` +
      `${status === "" ? "without a status" : status} after ${Math.round(waitedMs / 1000)} s ` +
      `(request ${token}); AWS may still complete it: re-run plan in a few minutes to see the ` +
      "Established policy",
    "MultiRegionAccessPointOperationPending",
    false,
  );
}

export async function listMultiRegionAccessPoints(
  calls: S3ControlCalls,
  accountId: string,
): Promise<AccessPointSummary[]> {
  const context: CallContext = {
    ...multiRegionContext("ListMultiRegionAccessPoints", accountId, ""),
    target: `the Multi-Region Access Points of account ${accountId}`,
  };
  return calls.listPages(context, async (client, token) => {
    const output = await client.send(
      new ListMultiRegionAccessPointsCommand({
        AccountId: accountId,
        ...(token !== undefined ? { NextToken: token } : {}),
      }),
    );
    const items = (output.AccessPoints ?? []).flatMap((entry): AccessPointSummary[] =>
      entry.Name === undefined || entry.Alias === undefined
        ? []
        : [
            {
              name: entry.Name,
              alias: entry.Alias,
              arn: accessPointArn({
                accountId,
                region: MULTI_REGION,
                name: entry.Name,
                alias: entry.Alias,
              }),
            },
          ],
    );
    return { items, nextToken: output.NextToken };
  });
}

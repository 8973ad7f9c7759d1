// ListAccessPoints for an account and region, or for the buckets of one Outpost: every page.
import {
  ListAccessPointsCommand,
  ListRegionalBucketsCommand,
  type AccessPoint as S3ControlAccessPoint,
} from "@aws-sdk/client-s3-control";
import type { AccessPointSummary } from "../reconcile/ports.js";
import type { S3ControlCalls } from "./s3control-calls.js";

export async function listAccessPoints(
  calls: S3ControlCalls,
  pageSize: number,
  accountId: string,
  region: string,
): Promise<AccessPointSummary[]> {
  const context = {
    operation: "ListAccessPoints",
    accountId,
    region,
    target: `account ${accountId} in ${region}`,
    outposts: false,
  } as const;
  return calls.listPages(context, async (client, token) => {
    const output = await client.send(
      new ListAccessPointsCommand({
        AccountId: accountId,
        MaxResults: pageSize,
        ...(token !== undefined ? { NextToken: token } : {}),
      }),
    );
    return { items: summariesOf(output.AccessPointList), nextToken: output.NextToken };
  });
}

// NOTE: ListAccessPoints without a bucket lists no S3 on Outposts access points; those are
// listed per Outposts bucket (by its ARN), and the buckets come from ListRegionalBuckets.
export async function listOutpostAccessPoints(
  calls: S3ControlCalls,
  pageSize: number,
  accountId: string,
  region: string,
  outpostId: string,
): Promise<AccessPointSummary[]> {
  const target = `Outpost ${outpostId} of account ${accountId} in ${region}`;
  const buckets = await calls.listPages<string>(
    { operation: "ListRegionalBuckets", accountId, region, target, outposts: true },
    async (client, token) => {
      const output = await client.send(
        new ListRegionalBucketsCommand({
          AccountId: accountId,
          OutpostId: outpostId,
          MaxResults: 1000,
          ...(token !== undefined ? { NextToken: token } : {}),
        }),
      );
      const arns = (output.RegionalBucketList ?? []).flatMap((bucket) =>
        bucket.BucketArn !== undefined ? [bucket.BucketArn] : [],
      );
      return { items: arns, nextToken: output.NextToken };
    },
  );
  const summaries: AccessPointSummary[] = [];
  for (const bucketArn of buckets) {
    const listed = await calls.listPages(
      { operation: "ListAccessPoints", accountId, region, target: bucketArn, outposts: true },
      async (client, token) => {
        const output = await client.send(
          new ListAccessPointsCommand({
            AccountId: accountId,
            Bucket: bucketArn,
            MaxResults: pageSize,
            ...(token !== undefined ? { NextToken: token } : {}),
          }),
        );
        return { items: summariesOf(output.AccessPointList), nextToken: output.NextToken };
      },
    );
    summaries.push(...listed.map((summary) => ({ ...summary, outpostId })));
  }
  return summaries;
}

function summariesOf(list: readonly S3ControlAccessPoint[] | undefined): AccessPointSummary[] {
  return (list ?? []).flatMap((entry) =>
    entry.Name === undefined
      ? []
      : [
          {
            name: entry.Name,
            ...(entry.Bucket !== undefined ? { bucket: entry.Bucket } : {}),
            ...(entry.AccessPointArn !== undefined ? { arn: entry.AccessPointArn } : {}),
          },
        ],
  );
}

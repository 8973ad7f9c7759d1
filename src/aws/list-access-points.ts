// ListAccessPoints for an account and region (every data source: buckets and FSx volumes), or for
// the buckets of one Outpost; ListAccessPointsForDirectoryBuckets for the directory buckets of an
// account and region: every page.
import {
  ListAccessPointsCommand,
  ListAccessPointsForDirectoryBucketsCommand,
  ListRegionalBucketsCommand,
  type AccessPoint as S3ControlAccessPoint,
} from "@aws-sdk/client-s3-control";
import { DIRECTORY_SUFFIX } from "../access-point/kind.js";
import { appendAll } from "../append-all.js";
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
    service: "s3",
  } as const;
  return calls.listPages(context, async (client, token) => {
    const input = { AccountId: accountId, MaxResults: pageSize, ...nextToken(token) };
    // NOTE: without DataSourceType ALL, AWS lists only access points attached to S3 buckets;
    // those attached to FSx volumes would never be imported nor shown as unmanaged.
    const output = await client.send(
      new ListAccessPointsCommand({ ...input, DataSourceType: "ALL" }),
    );
    return { items: summariesOf(output.AccessPointList), nextToken: output.NextToken };
  });
}

// NOTE: ListAccessPoints does not list directory-bucket access points ("not supported by
// directory buckets"); the SDK sends this one to the s3express-control endpoint of the region.
export async function listDirectoryAccessPoints(
  calls: S3ControlCalls,
  pageSize: number,
  accountId: string,
  region: string,
): Promise<AccessPointSummary[]> {
  const context = {
    operation: "ListAccessPointsForDirectoryBuckets",
    accountId,
    region,
    target: `the directory buckets of account ${accountId} in ${region}`,
    service: "s3express",
  } as const;
  return calls.listPages(context, async (client, token) => {
    const input = { AccountId: accountId, MaxResults: pageSize, ...nextToken(token) };
    const output = await client.send(new ListAccessPointsForDirectoryBucketsCommand(input));
    // Every directory-bucket access point's name ends in --xa-s3 (AWS's rule): an endpoint that
    // answers with others (moto serves this path as ListAccessPoints) is not believed.
    const items = summariesOf(output.AccessPointList).filter((s) =>
      s.name.endsWith(DIRECTORY_SUFFIX),
    );
    return { items, nextToken: output.NextToken };
  });
}

const nextToken = (token: string | undefined) => (token !== undefined ? { NextToken: token } : {});

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
    { operation: "ListRegionalBuckets", accountId, region, target, service: "s3-outposts" },
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
      {
        operation: "ListAccessPoints",
        accountId,
        region,
        target: bucketArn,
        service: "s3-outposts",
      },
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
    appendAll(
      summaries,
      listed.map((summary) => ({ ...summary, outpostId })),
    );
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
            ...(entry.DataSourceType !== undefined && entry.DataSourceType !== ""
              ? { dataSourceType: entry.DataSourceType }
              : {}),
            ...(entry.DataSourceId !== undefined && entry.DataSourceId !== ""
              ? { dataSourceId: entry.DataSourceId }
              : {}),
          },
        ],
  );
}

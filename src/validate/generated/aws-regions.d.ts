// Types of the generated AWS partition data (scripts/aws-regions.mjs, from @aws-sdk/core).

export interface AwsPartitionRegions {
  /** aws, aws-cn, aws-us-gov, aws-iso, ... */
  id: string;
  /** The shape of every Region name in the partition, listed or future. */
  regionRegex: string;
  /** The Regions the SDK lists, sorted (pseudo-regions such as aws-global left out). */
  regions: string[];
}

export declare const awsRegions: {
  /** The @aws-sdk/core version the data was taken from. */
  sdkVersion: string;
  partitions: AwsPartitionRegions[];
};

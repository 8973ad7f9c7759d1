// Everything the local endpoint can be told, as constructor options (the CLI maps flags here).
import type { AccessPointScope, DataSource } from "../model.js";

export interface SeedAccessPoint {
  accountId: string;
  region?: string;
  outpostId?: string;
  name: string;
  bucket: string;
  /** Policy text, or a policy document that is stored as compact JSON. */
  policy?: string | Record<string, unknown> | null;
  /** Directory-bucket access points (name ending in --xa-s3) only. */
  scope?: AccessPointScope | null;
  /** An access point attached to an FSx volume: listed only with DataSourceType ALL. */
  dataSource?: DataSource;
}

export interface SeedDocument {
  accessPoints: SeedAccessPoint[];
}

export interface GeneratedSeed {
  /** Access points generated per account, named `ap-00001`, `ap-00002`, ... */
  count: number;
  /** Default: ["111122223333"]. */
  accounts?: string[];
  /** Default: the endpoint's default region. */
  region?: string;
  /** Fraction of the generated access points that get a policy (seeded). Default 1. */
  policyFraction?: number;
}

export interface LocalEndpointOptions {
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Region for requests that carry no SigV4 credential scope. Default us-east-1. */
  defaultRegion?: string;
  /** Fixed latency added to every S3 Control response, in ms. */
  latencyMs?: number;
  /** Extra uniformly distributed latency in [0, jitterMs), seeded. */
  jitterMs?: number;
  /** Admit at most this many requests per second; the rest get 503 SlowDown. 0 = unlimited. */
  rate?: number;
  /** Token bucket size; default max(1, rate / 20) (50 ms worth of requests). */
  burst?: number;
  /**
   * Admit at most this many requests per second for each account (x-amz-account-id) on its own
   * bucket, the rest 503 SlowDown: AWS's limits are per account, so accounts can go in parallel.
   * 0 = unlimited. Its burst is max(1, accountRate / 20).
   */
  accountRate?: number;
  /** Fraction [0, 1] of admitted requests answered 500 InternalError (not executed). */
  errorRate?: number;
  /** Fraction [0, 1] of admitted requests whose connection is destroyed without an answer. */
  dropRate?: number;
  /** Fraction [0, 1] of admitted requests answered only after `slowMs`. */
  slowRate?: number;
  /** Delay of a slow response, ms; 0 or Infinity = hang until the client gives up. Default 30000. */
  slowMs?: number;
  /** Seed of every random decision (faults, jitter, generated policies). Default 1. */
  seed?: number;
  /** Access point names that answer 403 AccessDenied to every operation. */
  denyAccessPoints?: string[];
  /** Generated access points, loaded at start and after every reset. */
  seedAccessPoints?: GeneratedSeed;
  /** Explicit access points, loaded at start and after every reset. */
  seedDocument?: SeedDocument;
}

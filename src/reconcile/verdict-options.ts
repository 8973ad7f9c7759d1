// The access verdict's options for one access point: its partition, and what IAM's service
// authorization data says of requests through it (its ARN names its service).
import type { AccessVerdictOptions } from "../policy/access-verdict.js";
import { accessPointAuthorization } from "../validate/iam-authorization.js";

export function verdictOptions(arn: string, partition: string): AccessVerdictOptions {
  const authorization = accessPointAuthorization(arn);
  return authorization === undefined ? { partition } : { partition, authorization };
}

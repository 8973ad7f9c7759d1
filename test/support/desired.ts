import { accessPointArn, partitionOf } from "../../src/access-point/arn.js";
import type { DesiredAccessPoint, PolicyDocument } from "../../src/model.js";
import { ACCOUNT } from "./account.js";

export { ACCOUNT };

export function readPolicy(
  arn: string,
  principal = `arn:aws:iam::${ACCOUNT}:role/reports`,
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Read",
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: "s3:GetObject",
        Resource: `${arn}/object/*`,
      },
    ],
  };
}

/** readPolicy's statement, live with s3:DeleteObject beside s3:GetObject (a console edit). */
export function widerReadPolicy(arn: string): PolicyDocument {
  const policy = readPolicy(arn);
  const [statement] = policy.Statement as [Record<string, unknown>];
  statement.Action = ["s3:GetObject", "s3:DeleteObject"];
  return policy;
}

/** A validated desired access point, as the loader would produce it. */
export function desiredAp(
  name: string,
  overrides: Partial<DesiredAccessPoint> & { policy?: PolicyDocument | null } = {},
): DesiredAccessPoint {
  const ref = {
    accountId: overrides.accountId ?? ACCOUNT,
    region: overrides.region ?? "us-east-1",
    name,
  };
  const arn = accessPointArn(ref);
  return {
    ...ref,
    file: `policies/${name}.yaml`,
    position: { line: 5, col: 1 },
    arn,
    partition: partitionOf(ref.region),
    mode: "enforce",
    allowPublic: false,
    policy: readPolicy(arn),
    ...overrides,
  };
}

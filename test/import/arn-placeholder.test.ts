// ${accessPointArn} replaces the access point's own ARN and paths under it, and nothing else.
import { describe, expect, test } from "vitest";
import { rewriteArnReferences, withArnPlaceholder } from "../../src/import/arn-placeholder.js";

const ARN = "arn:aws:s3:eu-west-1:111122223333:accesspoint/reports";

describe("withArnPlaceholder", () => {
  test.each([
    [ARN, "${accessPointArn}"],
    [`${ARN}/object/*`, "${accessPointArn}/object/*"],
    [`${ARN}/object/${ARN}`, `\${accessPointArn}/object/${ARN}`],
    [`${ARN}-2`, `${ARN}-2`],
    [`${ARN}2/object/*`, `${ARN}2/object/*`],
    [
      "arn:aws:s3:eu-west-1:111122223333:accesspoint/report",
      "arn:aws:s3:eu-west-1:111122223333:accesspoint/report",
    ],
    [
      "arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/*",
      "arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/*",
    ],
    [`prefix ${ARN}`, `prefix ${ARN}`],
    ["*", "*"],
  ])("%s → %s", (input, output) => {
    expect(withArnPlaceholder(input, ARN)).toBe(output);
  });
});

describe("rewriteArnReferences", () => {
  test("every other ${...} is written with the literal escape, IAM variables as they are", () => {
    const policy = {
      Resource: [`${ARN}/object/\${aws:username}/\${accountId}`, "${accountId}-${region}"],
    };
    expect(rewriteArnReferences(policy, ARN)).toEqual({
      Resource: [
        "${accessPointArn}/object/${aws:username}/${!accountId}",
        "${!accountId}-${!region}",
      ],
    });
  });

  test("rewrites strings at any depth, leaves keys, numbers and booleans alone", () => {
    const policy = {
      Statement: [
        {
          Resource: [ARN, `${ARN}/object/*`, "arn:aws:s3:::bucket/*"],
          Condition: { StringEquals: { [ARN]: ARN, "s3:max-keys": 10 }, Bool: { x: true } },
          Principal: { AWS: ARN },
        },
      ],
    };
    expect(rewriteArnReferences(policy, ARN)).toEqual({
      Statement: [
        {
          Resource: ["${accessPointArn}", "${accessPointArn}/object/*", "arn:aws:s3:::bucket/*"],
          Condition: {
            StringEquals: { [ARN]: "${accessPointArn}", "s3:max-keys": 10 },
            Bool: { x: true },
          },
          Principal: { AWS: "${accessPointArn}" },
        },
      ],
    });
  });

  test("the copy's objects have no prototype, so a __proto__ key stays a plain key", () => {
    const live = JSON.parse('{"__proto__": {"polluted": true}, "Statement": []}');
    const copy = rewriteArnReferences(live, ARN) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBeNull();
    expect(Object.keys(copy)).toEqual(["__proto__", "Statement"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// The classes of access point policy where s3ap must agree with what AWS does (issue #22), each
// with the AWS message it mirrors and where that behaviour is documented or was reproduced.
import { describe, expect, test } from "vitest";
import { checkActionName } from "../../src/validate/lint-actions.js";
import { conditionKeyProblem } from "../../src/validate/lint-condition-keys.js";
import { ARN, problemsOf, rulesOf } from "./support/statement-problems.js";

const OUTPOST = "op-01ac5d28a6a232904";
const OUTPOSTS_ARN = `arn:aws:s3-outposts:us-east-1:111122223333:outpost/${OUTPOST}/accesspoint/reports`;
const ROLE = "arn:aws:iam::111122223333:role/reports";
const statement = (fields: string) => `{ Effect: Allow, Principal: { AWS: "${ROLE}" }, ${fields} }`;

describe("1. operations S3 serves through access points that IAM's data lists for buckets only", () => {
  // S3 User Guide, "Access point compatibility" (ListMultipartUploads is served through access
  // points), authorized by s3:ListBucketMultipartUploads; the data lists it for buckets only.
  test("s3:ListBucketMultipartUploads is accepted on the access point", () => {
    expect(checkActionName("s3", "ListBucketMultipartUploads", "Action")).toBeUndefined();
    expect(rulesOf(statement(`Action: s3:ListBucketMultipartUploads, Resource: "${ARN}"`))).toEqual(
      [],
    );
  });
  test("it acts on the access point itself, not on objects", () => {
    const found = problemsOf(
      statement(`Action: s3:ListBucketMultipartUploads, Resource: "${ARN}/object/*"`),
    );
    expect(found.map((p) => `${p.severity} ${p.rule}`)).toEqual(["error action"]);
    expect(found[0]?.message).toMatch(/acts on the access point itself/);
  });
  test("actions on buckets alone are still refused: Policy has invalid action", () => {
    expect(checkActionName("s3", "PutBucketVersioning", "Action")?.message).toMatch(
      /\("Policy has invalid action"\)$/,
    );
  });
});

describe("2. an action that applies to none of the statement's resources", () => {
  // AWS: MalformedPolicy "Action does not apply to any resource(s) in statement" (reproduced
  // publicly: aws-amplify/docs#7799, s3:ListBucket with only object resources;
  // spack/spack-infrastructure#978).
  const MESSAGE =
    /AWS refuses the policy \("Action does not apply to any resource\(s\) in statement"\)/;
  test("s3:ListBucket with only object resources is an error at the action", () => {
    const found = problemsOf(
      statement(`Action: [s3:GetObject, s3:ListBucket], Resource: "${ARN}/object/*"`),
    );
    expect(found.map((p) => `${p.severity} ${p.rule}`)).toEqual(["error action"]);
    expect(found[0]?.message).toMatch(
      /^action "s3:ListBucket" acts on the access point itself, but this statement's resources are its objects;/,
    );
    expect(found[0]?.message).toMatch(MESSAGE);
    expect(found[0]?.message).toMatch(/add Resource \$\{accessPointArn\}/);
  });
  test("s3:GetObject with only the access point's ARN is an error too", () => {
    const found = problemsOf(statement(`Action: s3:GetObject, Resource: "${ARN}"`));
    expect(found.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^action "s3:GetObject" acts on its objects, but this statement's resources are the access point itself;/,
      ),
    ]);
    expect(found[0]?.message).toMatch(/add Resource \$\{accessPointArn\}\/object\/\*/);
  });
  test("an action with one fitting resource among several passes", () => {
    expect(
      rulesOf(statement(`Action: [s3:GetObject, s3:ListBucket], Resource: ["${ARN}", "${ARN}/*"]`)),
    ).toEqual([]);
  });
  test("a wildcard that matches only actions on other resources grants nothing: a warning", () => {
    const found = problemsOf(statement(`Action: s3:GetObject*, Resource: "${ARN}"`));
    expect(found.map((p) => `${p.severity} ${p.rule}`)).toEqual(["warning action"]);
    expect(found[0]?.message).toMatch(/matches only actions on its objects.*grants nothing here/);
    expect(rulesOf(statement(`Action: "s3:*", Resource: "${ARN}"`))).toEqual([]);
  });
  test("NotResource and resources of other access points are not judged here", () => {
    expect(rulesOf(statement(`Action: s3:ListBucket, NotResource: "${ARN}/object/*"`))).toEqual([]);
    expect(
      rulesOf(statement('Action: s3:ListBucket, Resource: "arn:aws:s3:::bucket/*"')).filter((r) =>
        r.endsWith("action"),
      ),
    ).toEqual([]);
  });
});

describe("3. condition keys that apply to none of the statement's action/resource pairs", () => {
  // AWS: MalformedPolicy "Conditions do not apply to combination of actions and resources in
  // statement" (reproduced publicly: humanmade/S3-Uploads#239, s3:prefix on bucket actions).
  test("s3:prefix on s3:GetObject is an error at the key, naming the actions it applies to", () => {
    const found = problemsOf(
      statement(
        `Action: s3:GetObject, Resource: "${ARN}/object/*", Condition: { StringLike: { s3:prefix: "home/*" } }`,
      ),
    );
    expect(found.map((p) => `${p.severity} ${p.rule}`)).toEqual(["error condition-key"]);
    expect(found[0]?.message).toMatch(
      /^condition key "s3:prefix" applies to none of this statement's actions on its resources \(s3:GetObject\); it applies to s3:ListBucket/,
    );
    expect(found[0]?.message).toMatch(
      /AWS refuses the policy \("Conditions do not apply to combination of actions and resources in statement"\)/,
    );
  });
  test("a key that one action/resource pair carries passes", () => {
    expect(
      rulesOf(
        statement(
          `Action: [s3:ListBucket, s3:GetObject], Resource: ["${ARN}", "${ARN}/object/*"], Condition: { StringLike: { s3:prefix: "home/*" } }`,
        ),
      ),
    ).toEqual([]);
    expect(
      rulesOf(
        statement(
          `Action: s3:GetObject, Resource: "${ARN}/object/*", Condition: { StringEquals: { s3:ExistingObjectTag/data: finance } }`,
        ),
      ),
    ).toEqual([]);
  });
  test("resource-type keys apply to every request on the access point", () => {
    expect(
      rulesOf(
        statement(
          `Action: s3:GetObject, Resource: "${ARN}/object/*", Condition: { StringEquals: { s3:DataAccessPointAccount: "111122223333" } }`,
        ),
      ),
    ).toEqual([]);
  });
  test("global keys and wildcard actions are never judged", () => {
    expect(
      rulesOf(
        statement(
          `Action: s3:GetObject, Resource: "${ARN}/object/*", Condition: { StringEquals: { aws:SourceVpc: vpc-1 } }`,
        ),
      ),
    ).toEqual([]);
    expect(
      rulesOf(
        statement(
          `Action: "s3:Get*", Resource: "${ARN}/object/*", Condition: { StringLike: { s3:prefix: "a/*" } }`,
        ),
      ),
    ).toEqual([]);
  });
});

describe("4. principals AWS accepts in resource policies", () => {
  // CloudFront Developer Guide, "Restricting access to an Amazon S3 origin" (legacy OAI): the
  // principal is arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity <id>.
  test("a CloudFront origin access identity is a principal", () => {
    expect(
      rulesOf(
        `{ Effect: Allow, Principal: { AWS: "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE1234" }, Action: s3:GetObject, Resource: "${ARN}/object/*" }`,
      ),
    ).toEqual([]);
  });
  // IAM User Guide, "Principal": "You cannot identify a user group as a principal in a policy";
  // AWS: MalformedPolicy "Invalid principal in policy".
  test("an IAM group is refused, plainly", () => {
    const found = problemsOf(
      `{ Effect: Allow, Principal: { AWS: "arn:aws:iam::111122223333:group/admins" }, Action: s3:GetObject, Resource: "${ARN}/object/*" }`,
    );
    expect(found.map((p) => `${p.severity} ${p.rule}`)).toEqual(["error principal"]);
    expect(found[0]?.message).toMatch(
      /is an IAM group, and IAM groups cannot be principals \(AWS refuses the policy: "Invalid principal in policy"\)/,
    );
  });
});

describe("5. the condition keys of federated identity providers", () => {
  // IAM User Guide, "Identifying users with web identity federation" and "Available keys for
  // SAML-based AWS STS federation": requests of federated identities carry these keys.
  test("web identity and SAML keys are known: no 'requests never carry it' warning", () => {
    for (const key of [
      "cognito-identity.amazonaws.com:aud",
      "accounts.google.com:aud",
      "graph.facebook.com:id",
      "www.amazon.com:user_id",
      "saml:sub",
      "SAML:aud",
    ]) {
      expect(conditionKeyProblem("s3", key), key).toBeUndefined();
    }
    expect(conditionKeyProblem("s3", "www.amazon.com:userid")).toMatch(
      /requests never carry it; did you mean "www.amazon.com:user_id"\?$/,
    );
  });
  test("in a file: no warning", () => {
    expect(
      rulesOf(
        statement(
          `Action: s3:GetObject, Resource: "${ARN}/object/*", Condition: { StringEquals: { "accounts.google.com:aud": app } }`,
        ),
      ),
    ).toEqual([]);
  });
});

describe("6. S3 on Outposts: Block Public Access is always on", () => {
  // S3 on Outposts User Guide, "Setting up IAM with S3 on Outposts": "S3 on Outposts always has
  // S3 Block Public Access enabled".
  const outposts = `outpostId: ${OUTPOST}\n`;
  const open = `{ Effect: Allow, Principal: "*", Action: s3-outposts:GetObject, Resource: "${OUTPOSTS_ARN}/object/*" }`;
  test("a public statement is an error even with allowPublic: true", () => {
    const found = problemsOf(open, `${outposts}allowPublic: true\n`);
    expect(found.map((p) => `${p.severity} ${p.rule}`)).toEqual(["error public"]);
    expect(found[0]?.message).toMatch(
      /S3 on Outposts always has Block Public Access on, so AWS refuses a public policy whatever allowPublic says/,
    );
    expect(found[0]?.message).not.toMatch(/set allowPublic: true/);
  });
  test("a limiting condition makes it acceptable, as on any access point", () => {
    const limited = `{ Effect: Allow, Principal: "*", Action: s3-outposts:GetObject, Resource: "${OUTPOSTS_ARN}/object/*", Condition: { StringEquals: { aws:PrincipalOrgID: o-a1b2c3d4e5 } } }`;
    expect(rulesOf(limited, outposts)).toEqual([]);
  });
  test("elsewhere allowPublic: true still declares a public policy", () => {
    expect(
      rulesOf(
        `{ Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "${ARN}/object/*" }`,
        "allowPublic: true\n",
      ),
    ).toEqual([]);
  });
});

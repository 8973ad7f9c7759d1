// What IAM accepts as a principal in a resource policy.
import { ACCOUNT_ID_PATTERN, isAccountId } from "../access-point/account-id.js";

const PARTITION = "aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc";
// IAM paths and names: letters, digits and +=,.@_- (paths add '/'). No wildcards in principals.
const IAM_NAME = "[\\w+=,.@-]+";
const AWS_PRINCIPAL_ARN = new RegExp(
  `^arn:(${PARTITION}):(` +
    `iam::${ACCOUNT_ID_PATTERN}:(root|user/(${IAM_NAME}/)*${IAM_NAME}|role/(${IAM_NAME}/)*${IAM_NAME})` +
    `|sts::${ACCOUNT_ID_PATTERN}:(assumed-role/${IAM_NAME}/${IAM_NAME}|federated-user/${IAM_NAME})` +
    ")$",
);
// NOTE: a CloudFront origin access identity is named by an IAM-style ARN in the pseudo-account
// "cloudfront", its name containing spaces (CloudFront Developer Guide, "Restricting access to an
// Amazon S3 origin", legacy OAI policies:
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html).
const CLOUDFRONT_OAI = new RegExp(
  `^arn:(${PARTITION}):iam::cloudfront:user/CloudFront Origin Access Identity [A-Z0-9]+$`,
);
// NOTE: "You cannot identify a user group as a principal in a policy" (IAM User Guide, "AWS JSON
// policy elements: Principal", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html);
// AWS refuses it ("Invalid principal in policy").
const IAM_GROUP = new RegExp(`^arn:(${PARTITION}):iam::${ACCOUNT_ID_PATTERN}:group/`);
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;
const CANONICAL_USER = /^[0-9a-f]{64}$/;

/** Why IAM would refuse this principal value, or undefined when it is fine. */
export function principalProblem(kind: string, value: string): string | undefined {
  // Only a problem quotes the value: most principals are fine.
  const quoted = () => JSON.stringify(value);
  switch (kind) {
    case "AWS":
      if (
        value === "*" ||
        isAccountId(value) ||
        AWS_PRINCIPAL_ARN.test(value) ||
        CLOUDFRONT_OAI.test(value)
      ) {
        return undefined;
      }
      if (IAM_GROUP.test(value)) {
        return `AWS principal ${quoted()} is an IAM group, and IAM groups cannot be principals (AWS refuses the policy: "Invalid principal in policy"); name the group's users or a role, or match them with a Condition on aws:PrincipalArn`;
      }
      if (/^\d+$/.test(value)) {
        return `AWS principal ${quoted()} is not a 12-digit account id`;
      }
      if (/^A[A-Z]{3}[A-Z0-9]{16,}$/.test(value)) {
        // NOTE: AWS shows a deleted role's or user's principal as its unique id (AROA..., AIDA...)
        // and refuses it when the policy is written back ("Invalid principal in policy").
        return `AWS principal ${quoted()} is the unique id of a deleted IAM role or user (AWS shows deleted principals this way); name an existing principal by its ARN or remove it`;
      }
      if (value.startsWith("arn:") && value.includes("*")) {
        return `AWS principal ${quoted()} contains a wildcard; IAM accepts "*" alone or an exact ARN (use a Condition with aws:PrincipalArn and ArnLike to match patterns)`;
      }
      return (
        `AWS principal ${quoted()} is not "*", a 12-digit account id or an IAM ARN such as ` +
        "arn:aws:iam::111122223333:role/name"
      );
    case "Service":
      return SERVICE.test(value)
        ? undefined
        : `Service principal ${quoted()} is not a service name such as cloudfront.amazonaws.com`;
    case "CanonicalUser":
      return CANONICAL_USER.test(value)
        ? undefined
        : `CanonicalUser ${quoted()} is not a canonical user id (64 lowercase hex digits)`;
    case "Federated":
      return value.trim() === "" ? "Federated principal is empty" : undefined;
    default:
      return undefined;
  }
}

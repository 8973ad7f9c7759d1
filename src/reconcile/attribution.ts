// Who wrote an access point's policy, read from CloudTrail records (pure). The actor comes from
// the record's userIdentity, per the CloudTrail User Guide ("CloudTrail userIdentity element"):
// - IAMUser: the user; Root: the account's root user; AWSService: the service (invokedBy);
// - AssumedRole: role and session name (arn:…:assumed-role/ROLE/SESSION); a role named
//   AWSReservedSSO_<permission set>_<hash> is IAM Identity Center, its session name the user;
//   a sourceIdentity in the session context names the person behind any role;
// - FederatedUser: the federated user and the IAM user or root that issued the session;
// - IdentityCenterUser: the Identity Center user id and identity store (onBehalfOf);
// - SAMLUser, WebIdentityUser, AWSAccount and the rest by what they carry.
// s3ap's own sessions and user agent (`s3ap/`) are recognised, so a revert by s3ap never reads as
// an unknown edit: `s3ap-<command>-<commit>` (roleSessionName, per account role) says which
// commit, `s3ap-<command>-run-<run id>` (the workflows' OIDC session) which GitHub Actions run.
import { accessPointKey } from "../access-point/arn.js";
import type { AccessPointRef } from "../model.js";
import type { PolicyWriteRecord } from "./ports.js";
import type { Actor, AgentClass, Attribution, PolicyWriteEvent } from "./types.js";

export type { Actor, AgentClass, Attribution, PolicyWriteEvent } from "./types.js";

/** Events kept per access point: the newest few tell the story. */
export const MAX_EVENTS = 5;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" ? v : undefined;

const SSO_ROLE = /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/;
const S3AP_SESSION = /^s3ap-[a-z]+-./;
const S3AP_COMMIT_SESSION = /^s3ap-([a-z]+)-([0-9a-f]{7,40}|uncommitted)$/;
const S3AP_RUN_SESSION = /^s3ap-([a-z]+)-run-(\d+)$/;

/** Which run of s3ap a session name says made a write: "apply of commit 4f0c1e2a9b3d". */
function s3apRun(session: string | undefined): string | undefined {
  const commit = S3AP_COMMIT_SESSION.exec(session ?? "");
  if (commit !== null) {
    const of = commit[2] === "uncommitted" ? "uncommitted files" : `commit ${commit[2]}`;
    return `${commit[1]} of ${of}`;
  }
  const run = S3AP_RUN_SESSION.exec(session ?? "");
  return run !== null ? `${run[1]}, GitHub Actions run ${run[2]}` : undefined;
}

/** The actor of a record's userIdentity. */
export function actorOf(identity: unknown): Actor {
  const id = isObject(identity) ? identity : {};
  const type = text(id.type) ?? "Unknown";
  const arn = text(id.arn);
  const accountId = text(id.accountId);
  const invokedBy = text(id.invokedBy);
  const session = isObject(id.sessionContext) ? id.sessionContext : {};
  const issuer = isObject(session.sessionIssuer) ? session.sessionIssuer : {};
  const sourceIdentity = text(session.sourceIdentity);
  const base = {
    ...(arn !== undefined ? { arn } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
    ...(invokedBy !== undefined ? { invokedBy } : {}),
    ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
  };
  switch (type) {
    case "IAMUser":
      return { kind: "iam-user", name: `IAM user ${text(id.userName) ?? lastPart(arn)}`, ...base };
    case "Root":
      return { kind: "root", name: `the root user of account ${accountId ?? "?"}`, ...base };
    case "AWSService":
      return { kind: "aws-service", name: invokedBy ?? "an AWS service", ...base };
    case "AssumedRole": {
      // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
      const parts = (arn ?? "").split("/");
      const role = text(issuer.userName) ?? parts[1] ?? "?";
      const sessionName = parts.slice(2).join("/") || "?";
      const sso = SSO_ROLE.exec(role);
      if (sso !== null) {
        return {
          kind: "sso-user",
          name: sourceIdentity ?? sessionName,
          role,
          session: sessionName,
          permissionSet: sso[1] as string,
          ...base,
        };
      }
      const who = `role ${role} (session ${sessionName})`;
      return {
        kind: "assumed-role",
        name: sourceIdentity !== undefined ? `${sourceIdentity} as ${who}` : who,
        role,
        session: sessionName,
        ...base,
      };
    }
    case "FederatedUser": {
      const by = text(issuer.arn);
      return {
        kind: "federated-user",
        name: `federated user ${lastPart(arn)}${by !== undefined ? ` (issued by ${by})` : ""}`,
        ...base,
      };
    }
    case "IdentityCenterUser": {
      const behalf = isObject(id.onBehalfOf) ? id.onBehalfOf : {};
      const store = lastPart(text(behalf.identityStoreArn));
      return {
        kind: "identity-center-user",
        name: `IAM Identity Center user ${text(behalf.userId) ?? "?"} (identity store ${store})`,
        ...base,
      };
    }
    case "SAMLUser":
    case "WebIdentityUser":
      return {
        kind: type === "SAMLUser" ? "saml-user" : "web-identity-user",
        name: `${text(id.userName) ?? "?"} of ${text(id.identityProvider) ?? "an identity provider"}`,
        ...base,
      };
    case "AWSAccount":
      return { kind: "aws-account", name: `account ${accountId ?? "?"}`, ...base };
    default:
      return {
        kind: "unknown",
        name: arn ?? text(id.principalId) ?? `an identity of type ${type}`,
        ...base,
      };
  }
}

function lastPart(arn: string | undefined): string {
  return arn?.split("/").pop() || "?";
}

/** The tool a request came from. Order matters: Terraform's agent names the Go SDK too. */
export function agentOf(userAgent: string | undefined, actor: Actor, s3ap: boolean): AgentClass {
  const ua = userAgent ?? "";
  if (s3ap) return "s3ap";
  if (/\bTerraform\/|terraform-provider-aws/i.test(ua)) return "terraform";
  if (
    /cloudformation\.amazonaws\.com/i.test(ua) ||
    actor.invokedBy === "cloudformation.amazonaws.com"
  ) {
    return "cloudformation";
  }
  if (
    /S3Console|console\.amazonaws\.com|signin\.amazonaws\.com|console\.aws\.amazon\.com/i.test(ua)
  ) {
    return "console";
  }
  if (/\baws-cli\//i.test(ua)) return "cli";
  if (/aws-sdk-|\bBoto3\/|\bBotocore\/|aws-chalice|aws-toolkit/i.test(ua)) return "sdk";
  if (actor.kind === "aws-service" || /\.amazonaws\.com$/.test(ua)) return "aws-service";
  return "other";
}

const AGENT_WORDS: Record<AgentClass, string> = {
  console: "in the AWS console",
  cli: "with the AWS CLI",
  sdk: "with an AWS SDK",
  terraform: "with Terraform",
  cloudformation: "through CloudFormation",
  s3ap: "by s3ap itself",
  "aws-service": "by an AWS service",
  other: "",
};

/** The event of one record; null when the record cannot be read. */
export function writeEventOf(write: PolicyWriteRecord): PolicyWriteEvent | null {
  if (!isObject(write.record)) return null;
  const record = write.record;
  const actor = actorOf(record.userIdentity);
  const userAgent = text(record.userAgent);
  const sourceIp = text(record.sourceIPAddress);
  const s3ap =
    (actor.session !== undefined && S3AP_SESSION.test(actor.session)) ||
    /(^|[\s/])s3ap\/\d/.test(userAgent ?? "");
  return {
    eventName: write.eventName,
    eventId: write.eventId,
    time: new Date(write.eventTime).toISOString(),
    actor,
    ...(sourceIp !== undefined ? { sourceIp } : {}),
    ...(userAgent !== undefined ? { userAgent } : {}),
    agent: agentOf(userAgent, actor, s3ap),
    s3ap,
  };
}

/** `alice@example.com (IAM Identity Center, AdministratorAccess) in the AWS console`. */
export function eventText(event: PolicyWriteEvent): string {
  const { actor } = event;
  let who = actor.name;
  if (actor.kind === "sso-user") {
    who = `${actor.name} (IAM Identity Center, permission set ${actor.permissionSet})`;
  }
  if (event.s3ap) {
    const run = s3apRun(actor.session);
    who = run !== undefined ? `s3ap itself (${run}) as ${who}` : `s3ap itself as ${who}`;
  }
  const how = event.s3ap ? "" : AGENT_WORDS[event.agent];
  const when = `${event.time.slice(0, 16).replace("T", " ")} UTC`;
  const from =
    event.sourceIp !== undefined && event.agent !== "aws-service" ? ` from ${event.sourceIp}` : "";
  const via =
    actor.invokedBy !== undefined && actor.kind !== "aws-service" ? ` via ${actor.invokedBy}` : "";
  return `${event.eventName} by ${who}${how !== "" ? ` ${how}` : ""}, ${when}${from}${via}`;
}

/** Whether a write record is about this access point: its ARN among the resources, or its name. */
export function isAbout(write: PolicyWriteRecord, ap: AccessPointRef & { arn: string }): boolean {
  if (write.resources.includes(ap.arn)) return true;
  const record = isObject(write.record) ? write.record : {};
  const params = isObject(record.requestParameters) ? record.requestParameters : {};
  const name = text(params.name);
  if (name === ap.arn) return true;
  // A bare name is only unique within its account (and Outpost): check the account too.
  const account = text(record.recipientAccountId) ?? text(params["x-amz-account-id"]);
  return name === ap.name && account === ap.accountId && ap.outpostId === undefined;
}

/** The attribution of one access point from the writes of its account and region. */
export function attributionOf(
  ap: AccessPointRef & { arn: string },
  writes: readonly PolicyWriteRecord[],
  windowDays: number,
  truncated: boolean,
): Attribution {
  const events = writes
    .filter((w) => isAbout(w, ap))
    .map(writeEventOf)
    .filter((e): e is PolicyWriteEvent => e !== null)
    .slice(0, MAX_EVENTS);
  const first = events[0];
  if (first === undefined) {
    const more = truncated
      ? " (CloudTrail had more policy writes than s3ap reads; older ones were not searched)"
      : "";
    return {
      status: "not-found",
      windowDays,
      events: [],
      text: `no write to the policy of ${accessPointKey(ap)} found in CloudTrail in the last ${windowDays} days${more}`,
    };
  }
  return { status: "found", windowDays, events, text: eventText(first) };
}

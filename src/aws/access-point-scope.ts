// The scope of a directory-bucket access point (Get/Put/DeleteAccessPointScope): which prefixes
// and operations requests through it may use. The SDK sends these to s3express-control.
import {
  DeleteAccessPointScopeCommand,
  GetAccessPointScopeCommand,
  PutAccessPointScopeCommand,
  type ScopePermission,
} from "@aws-sdk/client-s3-control";
import { AwsError } from "../errors.js";
import type { AccessPointScope } from "../model.js";
import type { CallContext, S3ControlCalls } from "./s3control-calls.js";

// NOTE: AWS does not document what GetAccessPointScope answers for an access point without a
// scope; both an empty Scope and a NoSuchAccessPointScope error (as emulators answer) mean none.
const NO_SCOPE = "NoSuchAccessPointScope";

/** The live scope, or null when there is none (an empty scope limits nothing: the same). */
export async function getScope(
  calls: S3ControlCalls,
  context: CallContext,
  accountId: string,
  name: string,
): Promise<AccessPointScope | null> {
  try {
    const output = await calls.call(context, (client) =>
      client.send(new GetAccessPointScopeCommand({ AccountId: accountId, Name: name })),
    );
    const prefixes = [...(output.Scope?.Prefixes ?? [])];
    const permissions = [...(output.Scope?.Permissions ?? [])];
    return prefixes.length === 0 && permissions.length === 0 ? null : { prefixes, permissions };
  } catch (error) {
    if (error instanceof AwsError && error.code === NO_SCOPE) return null;
    throw error;
  }
}

export async function putScope(
  calls: S3ControlCalls,
  context: CallContext,
  accountId: string,
  name: string,
  scope: AccessPointScope,
): Promise<void> {
  await calls.call(context, (client) =>
    client.send(
      new PutAccessPointScopeCommand({
        AccountId: accountId,
        Name: name,
        Scope: {
          Prefixes: scope.prefixes,
          // The file's permissions are checked against the 8 names AWS takes (validate/).
          Permissions: scope.permissions as ScopePermission[],
        },
      }),
    ),
  );
}

export async function deleteScope(
  calls: S3ControlCalls,
  context: CallContext,
  accountId: string,
  name: string,
): Promise<void> {
  try {
    await calls.call(context, (client) =>
      client.send(new DeleteAccessPointScopeCommand({ AccountId: accountId, Name: name })),
    );
  } catch (error) {
    if (error instanceof AwsError && error.code === NO_SCOPE) return;
    throw error;
  }
}

// An in-memory PolicyStore for planner/apply tests: records every call, can fail on demand and
// can make writes visible only after N reads (AWS applies policies after a short delay).
import { accessPointArn, accessPointKey } from "../../src/access-point/arn.js";
import { kindOf, MULTI_REGION } from "../../src/access-point/kind.js";
import { AwsError } from "../../src/errors.js";
import type {
  AccessPointRef,
  AccessPointScope,
  LiveState,
  PolicyDocument,
} from "../../src/model.js";
import type { AccessPointSummary, PolicyStore } from "../../src/reconcile/ports.js";

export interface MemoryStoreCall {
  operation: "get" | "put" | "delete" | "list" | "status" | "put-scope" | "delete-scope";
  key: string;
  body?: string;
}

export class MemoryStore implements PolicyStore {
  readonly policies = new Map<string, string>();
  readonly accessPoints = new Set<string>();
  readonly calls: MemoryStoreCall[] = [];
  readonly failures = new Map<string, AwsError>();
  /** Directory-bucket access points' scopes, by key. */
  readonly scopes = new Map<string, AccessPointScope>();
  /** Multi-Region Access Points' aliases and Proposed policies, by key. */
  readonly aliases = new Map<string, string>();
  readonly proposed = new Map<string, PolicyDocument>();
  /** What listed access points are attached to when not a bucket (FSx volumes), by key. */
  readonly dataSources = new Map<string, { type: string; id: string }>();
  /** Reads that still see the old state after a write, per access point. */
  staleReads = 0;
  private readonly pending = new Map<string, { remaining: number; old: string | undefined }>();

  addAccessPoint(ref: AccessPointRef, policy?: object | string): this {
    const key = accessPointKey(ref);
    this.accessPoints.add(key);
    if (ref.alias !== undefined) this.aliases.set(key, ref.alias);
    if (policy !== undefined)
      this.policies.set(key, typeof policy === "string" ? policy : JSON.stringify(policy));
    return this;
  }

  failOn(ref: AccessPointRef, error: AwsError): this {
    this.failures.set(accessPointKey(ref), error);
    return this;
  }

  writes(): MemoryStoreCall[] {
    const writes = new Set(["put", "delete", "put-scope", "delete-scope"]);
    return this.calls.filter((c) => writes.has(c.operation));
  }

  async getPolicy(ref: AccessPointRef): Promise<LiveState> {
    const key = accessPointKey(ref);
    this.calls.push({ operation: "get", key });
    if (!this.accessPoints.has(key)) {
      return {
        kind: "error",
        code: "NoSuchAccessPoint",
        message: `access point ${ref.name} does not exist`,
      };
    }
    const stale = this.pending.get(key);
    let text = this.policies.get(key);
    if (stale && stale.remaining > 0) {
      stale.remaining -= 1;
      text = stale.old;
    }
    const alias = this.aliases.get(key);
    const extras = {
      ...(kindOf(ref) === "directory" ? { scope: this.scopes.get(key) ?? null } : {}),
      ...(kindOf(ref) === "multi-region" && alias !== undefined ? { alias } : {}),
      ...(this.proposed.has(key) ? { proposed: this.proposed.get(key) as PolicyDocument } : {}),
    };
    if (text === undefined) return { kind: "none", ...extras };
    return { kind: "policy", policy: JSON.parse(text), ...extras };
  }

  async putScope(ref: AccessPointRef, scope: AccessPointScope): Promise<void> {
    this.write(ref, "put-scope", JSON.stringify(scope));
    this.scopes.set(accessPointKey(ref), scope);
  }

  async deleteScope(ref: AccessPointRef): Promise<void> {
    this.write(ref, "delete-scope");
    this.scopes.delete(accessPointKey(ref));
  }

  async putPolicy(ref: AccessPointRef, policyJson: string): Promise<void> {
    this.write(ref, "put", policyJson);
  }

  async deletePolicy(ref: AccessPointRef): Promise<void> {
    this.write(ref, "delete");
  }

  /** Like AWS: without an Outpost id only general-purpose access points; with one, its own. */
  async listAccessPoints(
    accountId: string,
    region: string,
    outpostId?: string,
  ): Promise<AccessPointSummary[]> {
    const scope = `${accountId}/${region}${outpostId !== undefined ? `/${outpostId}` : ""}`;
    this.calls.push({ operation: "list", key: scope });
    return [...this.accessPoints]
      .filter(
        (k) =>
          k.startsWith(`${scope}/`) &&
          k.split("/").length === scope.split("/").length + 1 &&
          !k.endsWith("--xa-s3"),
      )
      .map((k) => {
        const source = this.dataSources.get(k);
        return {
          name: k.split("/").at(-1) ?? k,
          ...(outpostId !== undefined ? { outpostId } : {}),
          ...(source !== undefined ? { dataSourceType: source.type, dataSourceId: source.id } : {}),
        };
      });
  }

  async listDirectoryAccessPoints(
    accountId: string,
    region: string,
  ): Promise<AccessPointSummary[]> {
    const scope = `${accountId}/${region}`;
    this.calls.push({ operation: "list", key: `${scope}/directory` });
    return [...this.accessPoints]
      .filter((k) => k.startsWith(`${scope}/`) && k.endsWith("--xa-s3"))
      .map((k) => ({ name: k.split("/").at(-1) ?? k }));
  }

  async listMultiRegionAccessPoints(accountId: string): Promise<AccessPointSummary[]> {
    const scope = `${accountId}/${MULTI_REGION}`;
    this.calls.push({ operation: "list", key: scope });
    return [...this.accessPoints]
      .filter((k) => k.startsWith(`${scope}/`))
      .map((k) => {
        const name = k.split("/").at(-1) ?? k;
        const alias = this.aliases.get(k) ?? `${name}.mrap`;
        const arn = accessPointArn({ accountId, region: MULTI_REGION, name, alias });
        return { name, alias, arn };
      });
  }

  async getPolicyStatus(ref: AccessPointRef): Promise<{ isPublic: boolean } | null> {
    this.calls.push({ operation: "status", key: accessPointKey(ref) });
    return { isPublic: false };
  }

  private write(ref: AccessPointRef, operation: MemoryStoreCall["operation"], body?: string): void {
    const key = accessPointKey(ref);
    this.calls.push({ operation, key, ...(body !== undefined ? { body } : {}) });
    const failure = this.failures.get(key);
    if (failure) throw failure;
    if (!this.accessPoints.has(key)) {
      throw new AwsError(
        `access point ${ref.name} does not exist`,
        "NoSuchAccessPoint",
        false,
        404,
      );
    }
    if (operation === "put-scope" || operation === "delete-scope") return;
    if (this.staleReads > 0)
      this.pending.set(key, { remaining: this.staleReads, old: this.policies.get(key) });
    if (body === undefined) this.policies.delete(key);
    else this.policies.set(key, body);
  }
}

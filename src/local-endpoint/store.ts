// In-memory access points, one namespace per (account, region[, outpost]) as in AWS.
import { createHash } from "node:crypto";
import { accessPointArn } from "../access-point/arn.js";
import type { AccessPointScope, DataSource } from "../model.js";

export interface Namespace {
  accountId: string;
  region: string;
  outpostId?: string;
}

export interface StoredAccessPoint extends Namespace {
  name: string;
  bucket: string;
  arn: string;
  alias: string;
  vpcId?: string;
  createdAt: string;
  policy: string | null;
  /** Directory-bucket access points only (null: none). */
  scope: AccessPointScope | null;
  /** Set when attached to something other than an S3 bucket (an FSx volume). */
  dataSource?: DataSource;
}

/** What an access point is created with besides its name and bucket. */
export interface AccessPointDetails {
  policy?: string | null;
  vpcId?: string | undefined;
  scope?: AccessPointScope | null;
  dataSource?: DataSource | undefined;
}

/** What `GET /__local/state` returns and a seed file holds (policy text verbatim). */
export interface AccessPointSnapshot {
  accountId: string;
  region: string;
  outpostId?: string;
  name: string;
  bucket: string;
  arn: string;
  policy: string | null;
  scope?: AccessPointScope;
  dataSource?: DataSource;
}

function namespaceKey(ns: Namespace): string {
  return `${ns.accountId}|${ns.region}|${ns.outpostId ?? ""}`;
}

/** AWS aliases look like `<name>-<34 hex>-s3alias`; derive the middle from the identity. */
function aliasFor(ns: Namespace, name: string): string {
  const digest = createHash("sha256")
    .update(`${namespaceKey(ns)}|${name}`)
    .digest("hex")
    .slice(0, 34);
  return `${name}-${digest}-s3alias`;
}

class Bucketed {
  readonly byName = new Map<string, StoredAccessPoint>();
  private sorted: StoredAccessPoint[] | undefined;

  sortedList(): StoredAccessPoint[] {
    this.sorted ??= [...this.byName.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    return this.sorted;
  }

  invalidate(): void {
    this.sorted = undefined;
  }
}

export class AccessPointStore {
  private readonly namespaces = new Map<string, Bucketed>();
  private policyCount = 0;

  private space(ns: Namespace, create: boolean): Bucketed | undefined {
    const key = namespaceKey(ns);
    let space = this.namespaces.get(key);
    if (!space && create) {
      space = new Bucketed();
      this.namespaces.set(key, space);
    }
    return space;
  }

  get(ns: Namespace, name: string): StoredAccessPoint | undefined {
    return this.space(ns, false)?.byName.get(name);
  }

  /** Creates (or, for seeding, replaces) an access point; returns the stored record. */
  put(
    ns: Namespace,
    name: string,
    bucket: string,
    details: AccessPointDetails = {},
  ): StoredAccessPoint {
    const { policy = null, vpcId, scope = null, dataSource } = details;
    const space = this.space(ns, true) as Bucketed;
    const previous = space.byName.get(name);
    if (previous?.policy != null) this.policyCount--;
    const ref = { accountId: ns.accountId, region: ns.region, name };
    const record: StoredAccessPoint = {
      accountId: ns.accountId,
      region: ns.region,
      ...(ns.outpostId !== undefined ? { outpostId: ns.outpostId } : {}),
      name,
      bucket,
      arn: accessPointArn(ns.outpostId !== undefined ? { ...ref, outpostId: ns.outpostId } : ref),
      alias: aliasFor(ns, name),
      ...(vpcId !== undefined ? { vpcId } : {}),
      createdAt: new Date().toISOString(),
      policy,
      scope,
      ...(dataSource !== undefined ? { dataSource } : {}),
    };
    if (policy !== null) this.policyCount++;
    space.byName.set(name, record);
    space.invalidate();
    return record;
  }

  delete(ns: Namespace, name: string): boolean {
    const space = this.space(ns, false);
    const record = space?.byName.get(name);
    if (!space || !record) return false;
    if (record.policy !== null) this.policyCount--;
    space.byName.delete(name);
    space.invalidate();
    return true;
  }

  setPolicy(record: StoredAccessPoint, policy: string | null): void {
    if (record.policy !== null) this.policyCount--;
    if (policy !== null) this.policyCount++;
    record.policy = policy;
  }

  /** Access points of a namespace in name order (AWS pages in a stable order). */
  list(ns: Namespace): readonly StoredAccessPoint[] {
    return this.space(ns, false)?.sortedList() ?? [];
  }

  clear(): void {
    this.namespaces.clear();
    this.policyCount = 0;
  }

  get accessPoints(): number {
    let n = 0;
    for (const space of this.namespaces.values()) n += space.byName.size;
    return n;
  }

  get policies(): number {
    return this.policyCount;
  }

  snapshot(): AccessPointSnapshot[] {
    const out: AccessPointSnapshot[] = [];
    for (const space of this.namespaces.values()) {
      for (const ap of space.sortedList()) {
        out.push({
          accountId: ap.accountId,
          region: ap.region,
          ...(ap.outpostId !== undefined ? { outpostId: ap.outpostId } : {}),
          name: ap.name,
          bucket: ap.bucket,
          arn: ap.arn,
          policy: ap.policy,
          ...(ap.scope !== null ? { scope: ap.scope } : {}),
          ...(ap.dataSource !== undefined ? { dataSource: ap.dataSource } : {}),
        });
      }
    }
    return out;
  }
}

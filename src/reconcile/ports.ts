// The engine's two views of a policy store. Read-only runs (plan, apply --dry-run) are handed
// only a reader, so they cannot write by construction.
import type { PolicyStore } from "../aws/policy-store.js";

export type PolicyReader = Pick<PolicyStore, "getPolicy">;
export type PolicyWriter = Pick<PolicyStore, "putPolicy" | "deletePolicy">;

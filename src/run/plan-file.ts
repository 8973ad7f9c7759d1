// Plan files and shard matrices read back from an earlier job or step (merge-plans, the Action's
// pr-comment and drift-issues): checked against their schema where they are read
// (untrusted/json-document.ts), and the plan's counts against its changes, before anything
// renders them. A file that fails is an InputError naming it; nothing is rendered from it.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../errors.js";
import { storePlan } from "../reconcile/change-parts.js";
import { summarize } from "../reconcile/plan.js";
import {
  CHANGE_ACTIONS,
  type MergedPlan,
  type MergedPlanDocument,
  type ShardMatrix,
} from "../reconcile/types.js";
import { readJsonDocument } from "../untrusted/json-document.js";

/** A plan file (`shown`: how the user named it); relative paths are from `cwd`. */
export function readPlanFile(shown: string, cwd: string): MergedPlan {
  return storePlan(checkedPlan(readText(shown, cwd), shown));
}

/** The text of a plan file, checked. */
export function checkedPlan(text: string, name: string): MergedPlanDocument {
  const read = readJsonDocument(text, "plan", name);
  if (!read.ok) throw new InputError(read.message);
  // The schema has checked every field (schemas/plan.schema.json).
  const plan = read.value as MergedPlanDocument;
  const counted = summarize(plan.changes);
  for (const action of CHANGE_ACTIONS) {
    if (plan.summary[action] !== counted[action]) {
      throw new InputError(
        `${name} is not an s3ap plan: its summary counts ${plan.summary[action]} ${action} but ` +
          `its changes hold ${counted[action]}`,
      );
    }
  }
  const unmanaged = plan.unmanaged?.length ?? 0;
  if (plan.summary.unmanaged !== unmanaged) {
    throw new InputError(
      `${name} is not an s3ap plan: its summary counts ${plan.summary.unmanaged} unmanaged but it lists ${unmanaged}`,
    );
  }
  return plan;
}

/** The shard matrix `s3ap accounts --format json` printed (`name`: where it came from). */
export function checkedMatrix(text: string, name: string): ShardMatrix {
  const read = readJsonDocument(text, "shard-matrix", name);
  if (!read.ok) throw new InputError(read.message);
  return read.value as ShardMatrix;
}

export function readText(shown: string, cwd: string): string {
  try {
    return readFileSync(resolve(cwd, shown), "utf8");
  } catch (error) {
    throw new InputError(`${shown}: ${(error as Error).message}`);
  }
}

// A plan JSON file written by an earlier step (the Action's plan-path input): read and checked
// before anything renders it.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { S3apError } from "../errors.js";
import type { MergedPlan } from "../reconcile/types.js";

export async function readPlanFile(path: string, cwd: string): Promise<MergedPlan> {
  const plan = JSON.parse(await readFile(resolve(cwd, path), "utf8")) as MergedPlan;
  if (plan.formatVersion !== 1 || !Array.isArray(plan.changes)) {
    throw new S3apError(`${path} is not an s3ap plan (formatVersion 1).`);
  }
  return plan;
}

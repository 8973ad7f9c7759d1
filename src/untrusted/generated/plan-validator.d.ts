// Types of the generated validator (scripts/schema-validator.mjs): ajv's standalone code for
// schemas/plan.schema.json (plan files read back by merge-plans, pr-comment, drift-issues).
import type { ValidateFunction } from "ajv";

export declare const validate: ValidateFunction;
export default validate;

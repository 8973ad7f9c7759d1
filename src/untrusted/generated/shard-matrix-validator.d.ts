// Types of the generated validator (scripts/schema-validator.mjs): ajv's standalone code for
// schemas/shard-matrix.schema.json (the matrix merge-plans reads to name missing shards).
import type { ValidateFunction } from "ajv";

export declare const validate: ValidateFunction;
export default validate;

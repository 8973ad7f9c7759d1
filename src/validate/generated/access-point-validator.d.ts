// Types of the generated validator (scripts/schema-validator.mjs): ajv's standalone code for
// schemas/access-point.schema.json, compiled with allErrors and verbose.
import type { ValidateFunction } from "ajv";

export declare const validate: ValidateFunction;
export default validate;

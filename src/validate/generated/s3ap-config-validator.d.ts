// Types of the generated validator (scripts/schema-validator.mjs): ajv's standalone code for
// schemas/s3ap-config.schema.json (s3ap.yaml), compiled with allErrors and verbose.
import type { ValidateFunction } from "ajv";

export declare const validate: ValidateFunction;
export default validate;

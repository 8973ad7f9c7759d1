// JSON documents that cross from one job or step to another (plan files, the shard matrix): read
// like a live policy (bounded depth, no prototype keys, exact numbers, objects without a
// prototype), then checked against their schema, so nothing renders a field it has not checked.
import type { ErrorObject } from "ajv";
import { validate as validatePlan } from "./generated/plan-validator.js";
import { validate as validateMatrix } from "./generated/shard-matrix-validator.js";
import { parseUntrustedJson } from "./plain-data.js";

export type DocumentRead = { ok: true; value: unknown } | { ok: false; message: string };

interface SchemaCheck {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The documents s3ap reads back, each with its schema (schemas/*.schema.json). */
const DOCUMENTS = {
  plan: { check: validatePlan as SchemaCheck, what: "an s3ap plan (schemas/plan.schema.json)" },
  "shard-matrix": {
    check: validateMatrix as SchemaCheck,
    what: "the shard matrix printed by s3ap accounts --format json (schemas/shard-matrix.schema.json)",
  },
} as const;

export type DocumentKind = keyof typeof DOCUMENTS;

/** At most this many schema errors are named; the first ones say what is wrong. */
const MAX_NAMED_ERRORS = 3;

/** `text` as the document `kind`; `name` says where it came from in the message. */
export function readJsonDocument(text: string, kind: DocumentKind, name: string): DocumentRead {
  const { check, what } = DOCUMENTS[kind];
  const parsed = parseUntrustedJson(text);
  if (!parsed.ok) {
    const why =
      parsed.reason === "syntax"
        ? `it is not JSON (${parsed.message})`
        : parsed.reason === "key"
          ? "it holds a key that names JavaScript's prototype machinery (__proto__, constructor, prototype)"
          : `it ${parsed.message}`;
    return { ok: false, message: `${name} is not ${what}: ${why}` };
  }
  if (check(parsed.value)) return { ok: true, value: parsed.value };
  const errors = (check.errors ?? []).slice(0, MAX_NAMED_ERRORS).map(describe);
  return { ok: false, message: `${name} is not ${what}: ${errors.join("; ")}` };
}

function describe(error: ErrorObject): string {
  const at = error.instancePath === "" ? "the document" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `${at} has the unknown field ${JSON.stringify(params.additionalProperty)}`;
    case "enum":
      return `${at} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `${at} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${at} ${error.message ?? "is invalid"}`;
  }
}

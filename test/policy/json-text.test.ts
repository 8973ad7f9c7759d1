import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { PolicyDocument } from "../../src/model.js";
import { canonicalize, canonicalJson } from "../../src/policy/canonicalize.js";
import { equivalent } from "../../src/policy/equivalent.js";
import {
  arrayJson,
  containsVariable,
  jsonOf,
  objectJson,
  quote,
  sameJson,
} from "../../src/policy/json-text.js";
import { objectFrom, sortKeysDeep } from "../../src/policy/structural.js";

// The canonical form is built as text; these pin that text to what JSON.stringify writes.

const KEYS = ["a", "B", "0", "9", "10", "01", "4294967294", "4294967295", "__proto__", "${x}", "é"];
const keyArb = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 3 }));
const scalarArb = fc.oneof(
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.constantFrom("${aws:username}", 'a"b\\', "\u0000\u001f", "\ud800", 0, -0, 1.5, true, null),
);
/** Values as JSON.stringify meets them in untrusted input, odd ones included. */
const oddArb = fc.constantFrom(undefined, Number.NaN, Number.POSITIVE_INFINITY, new Date(0));
const valueArb = (odd: boolean) =>
  fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      odd ? fc.oneof(scalarArb, oddArb) : scalarArb,
      fc.array(tie("v"), { maxLength: 3 }),
      fc.dictionary(keyArb, tie("v"), { maxKeys: 4 }),
    ),
  })).v;

describe("json-text", () => {
  test("quote writes what JSON.stringify writes", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          scalarArb.filter((v) => typeof v === "string"),
        ),
        (s) => {
          expect(quote(s as string)).toBe(JSON.stringify(s));
        },
      ),
    );
  });

  test("jsonOf is JSON.stringify of the key-sorted value", () => {
    fc.assert(
      fc.property(valueArb(true), (value) => {
        expect(jsonOf(value)).toBe(JSON.stringify(sortKeysDeep(value)));
      }),
    );
  });

  test("objectJson and arrayJson write what JSON.stringify writes for the built object", () => {
    const entriesArb = fc.uniqueArray(fc.tuple(keyArb, fc.option(scalarArb, { nil: undefined })), {
      selector: ([key]) => key,
      maxLength: 6,
    });
    fc.assert(
      fc.property(entriesArb, (entries) => {
        const texts = entries.map(([k, v]): [string, string | undefined] => [k, jsonOf(v)]);
        const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        expect(objectJson(texts)).toBe(JSON.stringify(objectFrom(sorted)));
        expect(arrayJson(entries.map(([, v]) => jsonOf(v)))).toBe(
          JSON.stringify(entries.map(([, v]) => v)),
        );
      }),
    );
  });

  test("containsVariable answers whether JSON.stringify's text holds ${", () => {
    fc.assert(
      fc.property(valueArb(true), (value) => {
        expect(containsVariable(value)).toBe((JSON.stringify(value) ?? "").includes("${"));
      }),
    );
  });

  test("sameJson never contradicts comparing JSON.stringify texts, and decides plain JSON", () => {
    const pairArb = (odd: boolean) =>
      valueArb(odd).chain((a) =>
        fc
          .oneof(
            fc.constant(a),
            fc.constant(JSON.parse(JSON.stringify(a) ?? "null")),
            valueArb(odd),
          )
          .map((b) => [a, b] as const),
      );
    fc.assert(
      fc.property(pairArb(true), ([a, b]) => {
        const same = sameJson(a, b);
        if (same !== undefined) expect(same).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(pairArb(false), ([a, b]) => {
        const plain = JSON.parse(JSON.stringify([a, b])) as [unknown, unknown];
        expect(sameJson(plain[0], plain[1])).toBe(
          JSON.stringify(plain[0]) === JSON.stringify(plain[1]),
        );
      }),
      { numRuns: 500 },
    );
  });

  test("sameJson leaves what JSON.stringify rewrites to it", () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBeUndefined();
    expect(sameJson([Number.NaN], [null])).toBeUndefined();
    expect(sameJson({ a: 1 }, { b: 1 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson({ a: [1, "x"] }, { a: [1, "x"] })).toBe(true);
  });
});

describe("canonicalJson", () => {
  const docArb = fc.record(
    {
      Version: fc.constantFrom("2012-10-17", "2008-10-17"),
      Statement: fc.array(valueArb(false), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );
  test("is the text of canonicalize, for documents of any shape", () => {
    fc.assert(
      fc.property(fc.oneof(docArb, valueArb(false)), (policy) => {
        const value = JSON.parse(JSON.stringify(policy) ?? "null") as PolicyDocument;
        expect(canonicalJson(value)).toBe(JSON.stringify(canonicalize(value)));
      }),
      { numRuns: 300 },
    );
  });

  test("equivalent() equals exactly when the canonical texts do", () => {
    fc.assert(
      fc.property(docArb, docArb, (a, b) => {
        const [pa, pb] = JSON.parse(JSON.stringify([a, b])) as [PolicyDocument, PolicyDocument];
        expect(equivalent(pa, pb).equal).toBe(canonicalJson(pa) === canonicalJson(pb));
        expect(equivalent(pa, pa)).toEqual({ equal: true, notes: [] });
      }),
      { numRuns: 300 },
    );
  });

  test("a value JSON.stringify writes as null compares as null, as written to AWS", () => {
    const doc = (value: unknown) =>
      ({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Extra: [value] }],
      }) as PolicyDocument;
    expect(equivalent(doc(Number.NaN), doc(null))).toEqual({ equal: true, notes: [] });
  });
});

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { arnGlob, glob, literal, matches, regionsOf } from "../../src/policy/glob-regions.js";

const AP = "arn:aws:s3:us-east-1:111122223333:accesspoint/reports";

describe("matching", () => {
  test("globs match with * and ?, literals only themselves, folded letters in either case", () => {
    expect(matches(glob("s3:get*"), "s3:getobject")).toBe(true);
    expect(matches(glob("s3:?etobject"), "s3:getobject")).toBe(true);
    expect(matches(glob("s3:*object"), "s3:getobjecttagging")).toBe(false);
    expect(matches(literal("a*"), "a*")).toBe(true);
    expect(matches(literal("a*"), "ab")).toBe(false);
    expect(matches(literal("VPC-1", true), "vpc-1")).toBe(true);
    expect(matches(literal("VPC-1"), "vpc-1")).toBe(false);
  });
  test("an ARN wildcard stays within its colon-delimited component, except in the last", () => {
    expect(matches(arnGlob("arn:aws:iam::*:role/x"), "arn:aws:iam::111122223333:role/x")).toBe(
      true,
    );
    expect(matches(arnGlob("arn:aws:*:role/x"), "arn:aws:iam::111122223333:role/x")).toBe(false);
    expect(matches(arnGlob("arn:aws:iam::1:role/*"), "arn:aws:iam::1:role/a:b")).toBe(true);
  });
});

describe("patterns", () => {
  test("patterns share one token per character and letter-case rule, never a copy per pattern", () => {
    const one = glob(`${AP}/object/*`);
    const other = arnGlob("arn:aws:iam::*:role/x");
    // "a" of "arn" in both, the same token object; a folded "a" is another one.
    expect(one[0]).toBe(other[0]);
    expect(literal("a", true)[0]).not.toBe(one[0]);
    expect(literal("a", true)[0]).toBe(glob("ab*", true)[0]);
    expect(Object.isFrozen(one[0])).toBe(true);
    expect(matches(glob("a?*", true), "AbC")).toBe(true);
  });
});

describe("regions", () => {
  test("every combination of prefix and literal patterns gets a sample in it", () => {
    const patterns = [
      glob(`${AP}/object/*`),
      glob(`${AP}/object/in/*`),
      literal(`${AP}/object/a.txt`),
    ];
    const { regions, complete } = regionsOf(patterns, glob(`${AP}/object/*`));
    expect(complete).toBe(true);
    const keys = regions.map((r) => r.matched.map(Number).join("")).sort();
    expect(keys).toEqual(["100", "101", "110"]);
    for (const r of regions) {
      expect(patterns.map((p) => matches(p, r.text))).toEqual(r.matched);
    }
  });
  test("without a constraint the region matching nothing is found too", () => {
    const keys = regionsOf([glob("s3:get*"), glob("s3:*object")])
      .regions.map((r) => r.matched.map(Number).join(""))
      .sort();
    expect(keys).toEqual(["00", "01", "10", "11"]);
  });
  test("case-insensitive patterns meet case-sensitive ones", () => {
    const keys = regionsOf([literal("Red", true), literal("red")])
      .regions.map((r) => r.matched.map(Number).join(""))
      .sort();
    expect(keys).toEqual(["00", "10", "11"]);
  });
  test("property: samples match as claimed, and no achievable combination is missed", () => {
    const alphabet = ["a", "b", "/", "*", "?"];
    const patternText = fc
      .array(fc.constantFrom(...alphabet), { minLength: 0, maxLength: 5 })
      .map((cs) => cs.join(""));
    fc.assert(
      fc.property(
        fc.array(patternText, { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(fc.constantFrom("a", "b", "/", "c"), { maxLength: 6 }), {
          maxLength: 30,
        }),
        (texts, probes) => {
          const patterns = texts.map((t) => glob(t));
          const { regions, complete } = regionsOf(patterns);
          expect(complete).toBe(true);
          const keys = new Set(regions.map((r) => r.matched.map(Number).join("")));
          for (const r of regions)
            expect(patterns.map((p) => matches(p, r.text))).toEqual(r.matched);
          for (const probe of probes) {
            const text = probe.join("");
            expect(keys).toContain(patterns.map((p) => Number(matches(p, text))).join(""));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

// biome-plugins/no-spread-arguments.grit: no array is spread into a call in src/ (V8 throws a
// RangeError past about 100,000 arguments). This proves the rule bites, in a scratch copy.
import { beforeAll, describe, expect, test } from "vitest";
import { appendAll } from "../src/append-all.js";
import { type Diagnostic, lintProbes } from "./support/biome-scratch.js";

const REFUSED: readonly string[] = [
  "export const f = (a: number[], b: number[]) => a.push(...b);",
  "export const f = (a: number[]) => Math.max(0, ...a);",
  "export const f = (a: string[]) => new Set(...[a]);",
  "export const f = (g: (...x: number[]) => void, a: number[]) => g(\n  ...a.map((x) => x),\n);",
];

const ALLOWED: readonly string[] = [
  "export const f = (a: number[]) => [...a, 1];",
  "export const f = (o: object) => ({ ...o });",
  "export const f = (...a: number[]) => a.length;",
];

let diagnostics: Diagnostic[];
const file = (kind: string, index: number) => `src/report/${kind}-${index}.ts`;

beforeAll(() => {
  const probes = new Map<string, string>();
  for (const [index, code] of REFUSED.entries()) probes.set(file("refused", index), `${code}\n`);
  for (const [index, code] of ALLOWED.entries()) probes.set(file("allowed", index), `${code}\n`);
  // Tests may spread: their arrays are their own.
  probes.set("test/refused-in-src-only.test.ts", `${REFUSED[0]}\n`);
  diagnostics = lintProbes(probes, []).filter((d) => d.category === "plugin");
});

describe("biome refuses an array spread into a call in src/", () => {
  test.each(REFUSED.map((code, index) => [code, index] as const))("%s", (_code, index) => {
    const found = diagnostics.filter((d) => d.path === file("refused", index));
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain("appendAll");
  });
});

describe("and lets literals, rest parameters and tests through", () => {
  test.each(ALLOWED.map((code, index) => [code, index] as const))("%s", (_code, index) => {
    expect(diagnostics.filter((d) => d.path === file("allowed", index))).toEqual([]);
  });

  test("a test file", () => {
    expect(diagnostics.filter((d) => d.path.startsWith("test/"))).toEqual([]);
  });
});

test("appendAll appends 500,000 items, where push(...items) throws a RangeError", () => {
  const items = Array.from({ length: 500_000 }, (_, index) => index);
  const pushAll = (target: number[]) => target.push(...items);
  expect(() => pushAll([])).toThrow(RangeError);
  const target = [-1];
  expect(appendAll(target, items)).toBe(target);
  expect(target).toHaveLength(500_001);
  expect(target[500_000]).toBe(499_999);
});

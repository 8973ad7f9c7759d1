// The one option table: the CLI's plan/apply flags are exactly its entries, every CLI-only
// option says why the Action lacks it, and numbers are parsed one way for flags and inputs.
import { describe, expect, test } from "vitest";
import { parseNumber } from "../../src/run/number-option.js";
import { ALL_OPTIONS, CLI_REPORT_OPTIONS } from "../../src/run/options.js";
import { runCli } from "../support/cli.js";

const longFlag = (flag: string): string =>
  flag.split(/[ ,]+/).find((part) => part.startsWith("--")) ?? flag;

describe("the CLI's plan and apply flags", () => {
  for (const command of ["plan", "apply"] as const) {
    test(`${command} --help lists exactly the table's ${command} options`, async () => {
      const help = await runCli([command, "--help"]);
      expect(help.code).toBe(0);
      const listed = [...help.stdout.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);
      const declared = ALL_OPTIONS.filter(([, spec]) =>
        (spec.commands as readonly string[]).includes(command),
      ).map(([, spec]) => longFlag(spec.flag));
      expect(listed.sort()).toEqual([...declared, "--help"].sort());
    });
  }

  test("a CLI-only option names the reason the Action does without it", () => {
    for (const spec of Object.values(CLI_REPORT_OPTIONS)) {
      expect(spec.noInput.length, spec.flag).toBeGreaterThan(20);
    }
  });

  test("a bad number is a usage error naming the flag (exit 1)", async () => {
    const result = await runCli(["plan", "--request-timeout-ms", "0"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '--request-timeout-ms takes a whole number of at least 1, not "0".',
    );
  });
});

describe("parseNumber", () => {
  const whole = { whole: true, min: 1 } as const;
  const positive = { whole: false, greaterThan: 0 } as const;

  test("takes plain decimal numbers within the rule", () => {
    expect(parseNumber("16", "--concurrency", whole)).toBe(16);
    expect(parseNumber(" 7 ", "--concurrency", whole)).toBe(7);
    expect(parseNumber("0", "--max-changes", { whole: true, min: 0 })).toBe(0);
    expect(parseNumber("2.5", "--rate", positive)).toBe(2.5);
  });

  test.each([
    ["0", whole],
    ["1.5", whole],
    ["", whole],
    ["0x10", whole],
    ["1e3", whole],
    ["-1", whole],
    ["99999999999999999999", whole],
    ["0", positive],
    ["abc", positive],
    ["Infinity", positive],
  ] as const)("refuses %j", (value, rule) => {
    expect(() => parseNumber(value, "--n", rule)).toThrow(`--n takes a`);
    expect(() => parseNumber(value, "--n", rule)).toThrow(`not "${value}".`);
  });
});

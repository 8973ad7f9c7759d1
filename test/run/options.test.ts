// The one command table: each CLI command's flags are exactly its table's options, every option an
// Action command uses is an input or says why it is not, list options take repeats and commas,
// and numbers are parsed one way for flags and inputs.
import { describe, expect, test } from "vitest";
import { readOptions } from "../../src/github/action-inputs.js";
import { COMMANDS, type CommandName } from "../../src/run/commands.js";
import { splitList } from "../../src/run/list-value.js";
import { parseNumber } from "../../src/run/number-option.js";
import { ACTION_NAMES, CLI_NAMES } from "../../src/run/option-names.js";
import { type AnyOption, longFlag, PLAN_OPTIONS, SELECT_OPTIONS } from "../../src/run/options.js";
import { ACCOUNT } from "../support/account.js";
import { runCli } from "../support/cli.js";
import { createPolicyRepo, policyYaml } from "../support/policy-repo.js";

describe("the CLI's commands come from the one table", () => {
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    test(`${name} --help lists exactly the table's ${name} options`, async () => {
      const help = await runCli([name, "--help"]);
      expect(help.code).toBe(0);
      const listed = [...help.stdout.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);
      const declared = Object.values(COMMANDS[name].options).map((spec) => longFlag(spec));
      expect(listed.sort()).toEqual([...declared, "--help"].sort());
    });
  }

  test("--format is declared once: each command names its formats", () => {
    const formats = Object.values(COMMANDS).map(
      (spec) => (spec.options as Record<string, AnyOption>).format?.flag,
    );
    expect(new Set(formats.filter((f) => f !== undefined))).toEqual(new Set(["--format <format>"]));
    expect(COMMANDS.validate.options.format.description).toBe("text | json | sarif");
    expect(COMMANDS.plan.options.format.description).toBe("text | json | markdown");
  });

  test("an option without an action input names the reason the Action does without it", () => {
    for (const spec of Object.values(COMMANDS)) {
      for (const option of Object.values(spec.options)) {
        if (option.input === undefined) {
          expect(option.noInput?.length, option.flag).toBeGreaterThan(20);
        }
      }
    }
  });

  test("a command the Action does not run says why", () => {
    for (const [name, spec] of Object.entries(COMMANDS)) {
      if ("none" in spec.action) expect(spec.action.none.length, name).toBeGreaterThan(20);
    }
  });

  test("a bad option is one error line and where to look, not the whole help", async () => {
    const unknown = await runCli(["plan", "--bogus"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("error: unknown option '--bogus'\nsee s3ap plan --help\n");
    const value = await runCli(["import", "--account", "1"]);
    expect(value.stderr.split("\n").filter((line) => line !== "")).toEqual([
      `error: option '--account <ids>' argument '1' is invalid. --account takes values like 111122223333, not "1".`,
      "see s3ap import --help",
    ]);
    const command = await runCli(["plna"]);
    expect(command.stderr).toBe(
      "error: unknown command 'plna'\n(Did you mean plan?)\nsee s3ap --help\n",
    );
    expect(command.stdout).toBe("");
  });

  test("a bad number is a usage error naming the flag (exit 1)", async () => {
    const result = await runCli(["plan", "--request-timeout-ms", "0"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '--request-timeout-ms takes a whole number of at least 1, not "0".',
    );
  });
});

test("each entry names an option its own way, from the table", () => {
  const keys = ["dir", "repo", "ref", "only", "account", "maxChanges", "allowDirty", "shards"];
  expect(keys.map((key) => CLI_NAMES.name(key))).toEqual([
    "--dir",
    "--repo",
    "--ref",
    "--only",
    "--account",
    "--max-changes",
    "--allow-dirty",
    "--shards",
  ]);
  expect(keys.map((key) => ACTION_NAMES.name(key))).toEqual([
    "input policies-directory",
    "input repo",
    "input ref",
    "input only",
    "input account",
    "input max-changes",
    "input allow-dirty",
    "input shards",
  ]);
  expect(CLI_NAMES.enable("allowDirty")).toBe("pass --allow-dirty");
  expect(ACTION_NAMES.enable("allowDirty")).toBe("set input allow-dirty to true");
});

describe("list options: --account, --only, --region", () => {
  test("--account takes exact 12-digit ids, repeated or separated by commas or blanks", async () => {
    expect(
      readOptions({ INPUT_ACCOUNT: "111122223333, 444455556666" }, PLAN_OPTIONS),
    ).toMatchObject({ account: ["111122223333", "444455556666"] });
    expect(() => readOptions({ INPUT_ACCOUNT: "111122223333,1111" }, PLAN_OPTIONS)).toThrow(
      'input account takes values like 111122223333, not "1111".',
    );
    const cli = await runCli(["plan", "--account", "1111"]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('--account takes values like 111122223333, not "1111".');
  });

  test("--only repeated and as lists adds up, in the CLI as in the Action", async () => {
    expect(readOptions({ INPUT_ONLY: "a-*,{b,c}-ap\nd-*" }, PLAN_OPTIONS)).toMatchObject({
      only: ["a-*", "{b,c}-ap", "d-*"],
    });
    const repo = createPolicyRepo(
      Object.fromEntries(
        ["a-ap", "b-ap", "c-ap", "d-ap", "e-ap"].map((name) => [
          `policies/${name}.yaml`,
          policyYaml({ accountId: ACCOUNT, name }),
        ]),
      ),
    );
    try {
      const cli = await runCli(
        ["accounts", "--only", "a-*,{b,c}-ap", "--only", "d-*", "--format", "json"],
        { cwd: repo.root },
      );
      expect(cli.code, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout).include[0].accessPoints).toBe(4);
    } finally {
      repo.remove();
    }
  });

  test("--only splits at commas outside a glob's braces, never at blanks", () => {
    expect(splitList("{a,b}-ap,c*", SELECT_OPTIONS.only.spaces)).toEqual(["{a,b}-ap", "c*"]);
    expect(splitList("policies/my file.yaml", SELECT_OPTIONS.only.spaces)).toEqual([
      "policies/my file.yaml",
    ]);
    expect(splitList("a\\,b,c", false)).toEqual(["a\\,b", "c"]);
    expect(splitList("one\ntwo\n", false)).toEqual(["one", "two"]);
  });

  test("a pattern --only cannot take is a usage error before anything is read", () => {
    expect(() => readOptions({ INPUT_ONLY: "ok,bad\\" }, PLAN_OPTIONS)).toThrow(
      'input only ends with a lone "\\", which escapes nothing: remove it, or write "\\\\" to match a backslash',
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

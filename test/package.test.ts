// What another repository gets: the packed package installs into an empty folder, from a tarball
// or from git at a commit, with nothing but s3ap itself, and runs.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { BUILD_DIR } from "./support/global-setup.js";

const ROOT = join(import.meta.dirname, "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

const POLICY = `accountId: "111122223333"\nregion: us-east-1\nname: reports-ap\npolicy: null\n`;

let work: string;
let tarball: string;
let staging: string;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" },
  });
}

/** An empty project with one policy file, as a policy repository starts out. */
function emptyProject(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "policies"), { recursive: true });
  writeFileSync(join(dir, "package.json"), `{ "name": "${name}", "private": true }\n`);
  writeFileSync(join(dir, "policies", "reports-ap.yaml"), POLICY);
  return dir;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "s3ap-package-"));
  // The repository as it would be committed, with this run's bundles as dist/.
  staging = join(work, "s3ap");
  mkdirSync(staging);
  for (const file of ["package.json", "README.md", "LICENSE", "action.yml"]) {
    cpSync(join(ROOT, file), join(staging, file));
  }
  cpSync(join(ROOT, "schemas"), join(staging, "schemas"), { recursive: true });
  cpSync(BUILD_DIR, join(staging, "dist"), { recursive: true });
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], staging));
  tarball = join(work, packed[0].filename);
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the package", () => {
  test("names its licence file, its repository, and makes users install nothing else", () => {
    expect(manifest.license).toBe("Apache-2.0");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toContain(
      "Apache License\n                           Version 2.0, January 2004",
    );
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/s3ap\.git$/);
    // dist/ holds one self-contained bundle per entry: everything else is for building.
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  test("every dependency install script is approved or denied in allowScripts", () => {
    const withScripts: string[] = [];
    const visit = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
        const path = join(folder, entry.name);
        if (entry.name.startsWith("@")) {
          visit(path);
          continue;
        }
        const pkg = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
        const scripts = pkg.scripts ?? {};
        if (scripts.preinstall || scripts.install || scripts.postinstall)
          withScripts.push(pkg.name);
      }
    };
    visit(join(ROOT, "node_modules"));
    const decided = Object.keys(manifest.allowScripts ?? {}).map((key) =>
      key.replace(/(.)@.*$/, "$1"),
    );
    expect(withScripts.filter((name) => !decided.includes(name))).toEqual([]);
  });

  test("the tarball holds the licence, the bundles, the schemas and the action", () => {
    const listed = run("tar", ["-tzf", tarball], work).split("\n");
    for (const file of ["LICENSE", "README.md", "action.yml", "dist/cli.js", "dist/action.js"]) {
      expect(listed).toContain(`package/${file}`);
    }
    expect(listed.filter((f) => f.startsWith("package/schemas/")).length).toBeGreaterThan(0);
    const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8"));
    expect(listed).toContain(`package/${action.runs.main}`);
  });

  test("installed from the tarball into an empty folder, offline: only s3ap, and it runs", () => {
    const project = emptyProject("from-tarball");
    run("npm", ["install", "--offline", "--save-dev", tarball], project);
    expect(readdirSync(join(project, "node_modules")).filter((e) => !e.startsWith("."))).toEqual([
      "s3ap",
    ]);
    const output = run("npx", ["--offline", "s3ap", "validate"], project);
    expect(output).toContain("1 file, 1 access point, 0 problems");
  }, 60_000);

  test("installed from GitHub's archive of a commit (the README's install line): it runs", () => {
    // What https://github.com/OWNER/s3ap/archive/SHA.tar.gz serves: the committed tree, in a
    // folder named after the commit. npm installs a tarball as it is, with no build step.
    run("git", ["init", "-q", "-b", "main"], staging);
    run("git", ["add", "-A"], staging);
    run(
      "git",
      ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "release"],
      staging,
    );
    const sha = run("git", ["rev-parse", "HEAD"], staging).trim();
    const archive = join(work, `${sha}.tar.gz`);
    run(
      "git",
      ["archive", "--format=tar.gz", `--prefix=s3ap-${sha}/`, "-o", archive, sha],
      staging,
    );
    const project = emptyProject("from-archive");
    run("npm", ["install", "--offline", "--save-dev", archive], project);
    expect(readdirSync(join(project, "node_modules")).filter((e) => !e.startsWith("."))).toEqual([
      "s3ap",
    ]);
    const output = run("npx", ["--offline", "s3ap", "validate"], project);
    expect(output).toContain("1 file, 1 access point, 0 problems");
  }, 60_000);
});

// How to read a folder of an older commit without touching the user's repository: the
// strategies s3ap could use, on a repository with 10,000 policy files and 2,000 other files.
// Prints median and spread of several runs (wall time).
//   npx vitest bench --run test/source/git-materialise.bench.ts
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, bench, describe } from "vitest";
import { openSource } from "../../src/source/git-source.js";

const POLICY_FILES = 10_000;
const OTHER_FILES = 2_000;
const RUNS = 7;

let base: string;
let repo: string;
let old: string;
const timings = new Map<string, number[]>();

function git(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync("git", args, {
    cwd: repo,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

/** Times `run` on a fresh output folder (set-up and clean-up are not timed). */
async function timed(name: string, run: (out: string) => Promise<unknown>): Promise<string> {
  const out = await mkdtemp(join(base, "out-"));
  const started = performance.now();
  await run(out);
  record(name, performance.now() - started);
  return out;
}

function record(name: string, ms: number): void {
  const list = timings.get(name) ?? [];
  list.push(ms);
  timings.set(name, list);
}

async function cleanUp(out: string): Promise<void> {
  await rm(out, { recursive: true, force: true });
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "s3ap-git-bench-"));
  repo = join(base, "repo");
  await mkdir(join(repo, "policies"), { recursive: true });
  await mkdir(join(repo, "other"), { recursive: true });
  for (let i = 0; i < POLICY_FILES; i++) {
    const text = `accountId: "111122223333"\nregion: us-east-1\nname: ap-${i}\npolicy: null\n`;
    await writeFile(join(repo, "policies", `ap-${i}.yaml`), text);
  }
  for (let i = 0; i < OTHER_FILES; i++) await writeFile(join(repo, "other", `f${i}.txt`), `${i}\n`);
  git(["init", "--quiet", "--initial-branch=main"]);
  git(["-c", "user.name=b", "-c", "user.email=b@example.invalid", "add", "-A"]);
  git([
    "-c",
    "user.name=b",
    "-c",
    "user.email=b@example.invalid",
    "commit",
    "--quiet",
    "-m",
    "one",
  ]);
  old = git(["rev-parse", "HEAD"]).trim();
  await writeFile(join(repo, "policies", "ap-0.yaml"), "changed\n");
  git([
    "-c",
    "user.name=b",
    "-c",
    "user.email=b@example.invalid",
    "commit",
    "--quiet",
    "-am",
    "two",
  ]);
}, 120_000);

afterAll(async () => {
  console.log(`\npolicies/ with ${POLICY_FILES} files, ${RUNS} runs each (wall time):`);
  for (const [name, list] of timings) {
    const sorted = [...list].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    const min = sorted[0] ?? Number.NaN;
    const max = sorted[sorted.length - 1] ?? Number.NaN;
    console.log(
      `  ${name.padEnd(54)} median ${median.toFixed(0).padStart(5)} ms   min ${min.toFixed(0).padStart(5)}   max ${max.toFixed(0).padStart(5)}`,
    );
  }
  await rm(base, { recursive: true, force: true });
});

const options = { iterations: RUNS, warmupIterations: 1, time: 0, warmupTime: 0 };

describe("materialise a folder of an older commit", () => {
  bench(
    "read-tree + checkout-index, temp index (chosen)",
    async () => {
      const out = await timed("read-tree + checkout-index, temp index (chosen)", async (out) => {
        const env = { GIT_INDEX_FILE: join(out, "index") };
        git(["read-tree", `${old}:policies`], env);
        git(["--work-tree", out, "checkout-index", "--all", `--prefix=${out}/tree/policies/`], env);
      });
      await cleanUp(out);
    },
    options,
  );

  bench(
    "checkout REF -- policies, temp index",
    async () => {
      const out = await timed("checkout REF -- policies, temp index (runs hooks)", async (out) => {
        await mkdir(join(out, "tree"));
        const env = { GIT_INDEX_FILE: join(out, "index") };
        git(["--work-tree", join(out, "tree"), "checkout", old, "--", "policies"], env);
      });
      await cleanUp(out);
    },
    options,
  );

  bench(
    "git archive | tar -x",
    async () => {
      const out = await timed("git archive | tar -x (needs tar)", async (out) => {
        const script = `git archive ${old} -- policies | tar -x -C "${out}"`;
        execFileSync("sh", ["-c", script], { cwd: repo });
      });
      await cleanUp(out);
    },
    options,
  );

  bench(
    "worktree add --detach",
    async () => {
      const out = await timed("worktree add --detach (whole tree, in .git)", async (out) => {
        git(["worktree", "add", "--quiet", "--detach", join(out, "wt"), old]);
      });
      git(["worktree", "remove", "--force", join(out, "wt")]);
      await cleanUp(out);
    },
    options,
  );

  bench(
    "openSource --ref",
    async () => {
      let source: Awaited<ReturnType<typeof openSource>> | undefined;
      await timed("openSource({ ref }) end to end", async () => {
        source = await openSource({ cwd: repo, dir: "policies", ref: old });
      }).then(cleanUp);
      const started = performance.now();
      await source?.close();
      record("close() of that source (fs.rm of 10,000 files)", performance.now() - started);
    },
    options,
  );

  bench(
    "openSource file:// URL",
    async () => {
      let source: Awaited<ReturnType<typeof openSource>> | undefined;
      await timed("openSource({ repo: file://, ref: main }) shallow", async () => {
        source = await openSource({
          cwd: base,
          dir: "policies",
          repo: `file://${repo}`,
          ref: "main",
        });
      }).then(cleanUp);
      await source?.close();
    },
    options,
  );

  bench(
    "openSource working tree",
    async () => {
      await timed("openSource() working tree (status of 10,000 files)", async () => {
        await (await openSource({ cwd: repo, dir: "policies" })).close();
      }).then(cleanUp);
    },
    options,
  );
});

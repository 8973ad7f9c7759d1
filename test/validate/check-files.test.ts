// Checking on worker threads must give exactly what checking in one thread gives, in the same
// order. The worker is the real bundle built by global-setup (BUILD_DIR/validate-worker.js);
// from TypeScript sources there is no worker bundle, so loadDesiredState checks in-thread.
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { listPolicyFiles, type PolicyFile } from "../../src/source/policy-files.js";
import {
  checkFiles,
  configuredWorkers,
  MANY_CORE_MIN_WORK_MS,
  TWO_CORE_MIN_WORK_MS,
  WORKER_FILE,
  WORKERS_VARIABLE,
  workerScriptNear,
  workersToStart,
} from "../../src/validate/check-files.js";
import { loadDesiredState, MAX_FILE_BYTES } from "../../src/validate/load-desired-state.js";
import { runCli } from "../support/cli.js";
import { BUILD_DIR } from "../support/global-setup.js";

const WORKER = pathToFileURL(join(BUILD_DIR, WORKER_FILE));
const GOOD_FILES = 240;

const ap = (name: string, extra = "") =>
  `accountId: "111122223333"\nregion: us-east-1\nname: ${name}\n${extra}policy:\n` +
  `  Version: "2012-10-17"\n  Statement:\n    - Effect: Allow\n` +
  `      Principal: { AWS: arn:aws:iam::111122223333:role/r }\n` +
  `      Action: s3:GetObject\n      Resource: \${accessPointArn}/object/*\n`;

// Problems of every stage (read, YAML, schema, lint, cross-file), spread over the list so that
// several threads report some of them.
const BAD: Record<string, string> = {
  "a/empty.yaml": "",
  "b/syntax.yaml": "accountId: [unclosed\n",
  "c/two-docs.yaml": `${ap("two-docs")}---\n${ap("second")}`,
  "d/alias.yaml": `x: &a 1\ny: *a\n`,
  "e/unquoted.yaml": "accountId: 111122223333\nregion: us-east-1\nname: num\npolicy: null\n",
  "f/lint.yaml": ap("lint").replace("s3:GetObject", "ec2:RunInstances"),
  "g/unknown-key.yaml": ap("unknown", "Mode: observe\n"),
  "h/dup-1.yaml": ap("same"),
  "x/dup-2.yaml": ap("same"),
  "m/variable.yaml": ap("variable").replace("${accessPointArn}", "${nope}"),
  "z/too-big.yaml": `# ${"x".repeat(MAX_FILE_BYTES)}\n`,
};

let root: string;
let files: PolicyFile[];

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "s3ap-check-files-")));
  const put = async (path: string, text: string) => {
    await mkdir(dirname(join(root, "policies", path)), { recursive: true });
    await writeFile(join(root, "policies", path), text);
  };
  for (let i = 0; i < GOOD_FILES; i++) {
    await put(
      `${"abcdefghmxz"[i % 11]}/ap-${i}.yaml`,
      ap(`ap-${i}`, i % 7 === 0 ? "mode: observe\n" : ""),
    );
  }
  for (const [path, text] of Object.entries(BAD)) await put(path, text);
  files = listPolicyFiles(root, join(root, "policies")).files;
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test("worker threads alone give the in-thread results, in list order", async () => {
  const inThread = await checkFiles(files, { worker: null });
  expect(inThread.inWorkers).toBe(0);
  expect(inThread.results.map((r) => r.file)).toEqual(files.map((f) => f.file));
  expect(inThread.results.filter((r) => r.problems.length > 0)).toHaveLength(
    Object.keys(BAD).length - 2,
  );

  const workersOnly = await checkFiles(files, {
    worker: WORKER,
    workers: 2,
    mainThreadWorks: false,
  });
  expect(workersOnly.inWorkers).toBe(files.length);
  expect(workersOnly.results).toEqual(inThread.results);
});

test("the main thread and a worker claiming from one list give the same results, however they split it", async () => {
  const inThread = await checkFiles(files, { worker: null });
  const shared = await checkFiles(files, { worker: WORKER, workers: 1 });
  expect(shared.results).toEqual(inThread.results);
});

test("a worker that fails rejects the check instead of losing files", async () => {
  const broken = join(root, "broken-worker.mjs");
  await writeFile(broken, 'throw new Error("worker boom");\n');
  await expect(
    checkFiles(files, { worker: pathToFileURL(broken), workers: 1, mainThreadWorks: false }),
  ).rejects.toThrow("worker boom");
});

test("the worker bundle is found from the bundle folder or its chunks folder, not from sources", () => {
  expect(workerScriptNear(pathToFileURL(join(BUILD_DIR, "cli.js")).href)?.href).toBe(WORKER.href);
  expect(
    workerScriptNear(pathToFileURL(join(BUILD_DIR, "chunks", "chunk-ANY.js")).href)?.href,
  ).toBe(WORKER.href);
  expect(workerScriptNear(import.meta.url)).toBeUndefined();
});

test("workers start when the work left pays for them: later on two cores than on more", () => {
  expect(workersToStart(TWO_CORE_MIN_WORK_MS, 2)).toBe(1);
  expect(workersToStart(TWO_CORE_MIN_WORK_MS - 1, 2)).toBe(0);
  expect(workersToStart(MANY_CORE_MIN_WORK_MS, 8)).toBe(7);
  expect(workersToStart(MANY_CORE_MIN_WORK_MS - 1, 8)).toBe(0);
  expect(workersToStart(1e9, 1)).toBe(0);
});

test("S3AP_VALIDATE_WORKERS is a count of worker threads, or an error", () => {
  expect(configuredWorkers(undefined)).toBeUndefined();
  expect(configuredWorkers("")).toBeUndefined();
  expect(configuredWorkers("0")).toBe(0);
  expect(configuredWorkers("12")).toBe(12);
  for (const bad of ["-1", "two", "1.5", "1e3", " 2"]) {
    expect(() => configuredWorkers(bad), bad).toThrow(
      `${WORKERS_VARIABLE} must be a number of worker threads (0 for none), got ${JSON.stringify(bad)}`,
    );
  }
});

/** A clock that moves `ms` on every reading: the main thread's pace is then `ms` per file. */
const clockOf = (ms: number) => {
  let t = 0;
  return () => {
    t += ms;
    return t;
  };
};

test("the main thread starts workers when its measured pace leaves much work, and not otherwise", async () => {
  const inThread = await checkFiles(files, { worker: null });
  // 5 ms a file: ~200 files left after warm-up and window = ~1 s of work.
  const slowOnFour = await checkFiles(files, { worker: WORKER, cores: 4, now: clockOf(5) });
  expect(slowOnFour.workersStarted).toBe(3);
  expect(slowOnFour.results).toEqual(inThread.results);
  // The same second of work is not worth a worker on two cores; four seconds are.
  const slowOnTwo = await checkFiles(files, { worker: WORKER, cores: 2, now: clockOf(5) });
  expect(slowOnTwo.workersStarted).toBe(0);
  const slowerOnTwo = await checkFiles(files, { worker: WORKER, cores: 2, now: clockOf(20) });
  expect(slowerOnTwo.workersStarted).toBe(1);
  expect(slowerOnTwo.results).toEqual(inThread.results);
  // 0.01 ms a file: nothing left worth a worker.
  const fast = await checkFiles(files, { worker: WORKER, cores: 8, now: clockOf(0.01) });
  expect(fast.workersStarted).toBe(0);
  expect(fast.results).toEqual(inThread.results);
});

test("a bad S3AP_VALIDATE_WORKERS is an error of the CLI (exit 1), not ignored", async () => {
  const result = await runCli(["validate"], { cwd: root, env: { [WORKERS_VARIABLE]: "many" } });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`${WORKERS_VARIABLE} must be a number of worker threads`);
});

test("the bundled CLI on worker threads reports what loadDesiredState from sources (in-thread) does", async () => {
  const inThread = await loadDesiredState({ root, policiesDir: join(root, "policies") });
  // Duplicates, from the cross-file check on the main thread, name both files.
  expect(inThread.problems.filter((p) => p.rule === "duplicate-access-point")).toHaveLength(2);
  const result = await runCli(["validate", "--format", "json"], {
    cwd: root,
    env: { [WORKERS_VARIABLE]: "2" },
  });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(1);
  const report = JSON.parse(result.stdout) as {
    files: number;
    accessPoints: number;
    problems: unknown[];
  };
  expect(report.files).toBe(files.length);
  expect(report.accessPoints).toBe(inThread.desired.length);
  expect(report.problems).toEqual(inThread.problems);
});

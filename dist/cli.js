#!/usr/bin/env node
import { createRequire as __s3apCreateRequire } from 'node:module'; const require = __s3apCreateRequire(import.meta.url);
import {
  Command,
  CommanderError,
  loadDesiredState,
  oneOf,
  openSource,
  processIO,
  renderProblemsText
} from "./chunks/chunk-6L66IO3Y.js";
import "./chunks/chunk-CNSSGDZY.js";
import "./chunks/chunk-3G2BUXFT.js";
import "./chunks/chunk-H3ZKZ5NB.js";

// src/commands/validate.ts
function registerValidate(program, io, onExit) {
  program.command("validate").description(
    "offline: check every policy file against the schemas and lint rules (exit 1: invalid)"
  ).option("--dir <dir>", "policies directory", "policies").option(
    "--repo <path|url>",
    "read the files from this git repository (a URL is cloned shallowly)"
  ).option("--ref <ref>", "read the files at this git revision").option(
    "--format <format>",
    "text | json",
    oneOf("--format", ["text", "json"]),
    "text"
  ).action(async (flags) => onExit(await runValidate(flags, io)));
}
async function runValidate(flags, io) {
  const source = await openSource({
    cwd: io.cwd,
    dir: flags.dir,
    ...flags.repo !== void 0 ? { repo: flags.repo } : {},
    ...flags.ref !== void 0 ? { ref: flags.ref } : {}
  });
  try {
    const state = await loadDesiredState(source);
    if (flags.format === "json") {
      const report = {
        formatVersion: 1,
        commit: source.commit,
        dirty: source.dirty,
        files: state.files,
        accessPoints: state.desired.length,
        problems: state.problems
      };
      io.stdout(`${JSON.stringify(report, null, 2)}
`);
    } else {
      const workingTree = flags.repo === void 0 && flags.ref === void 0;
      io.stdout(renderProblemsText(state.problems, source, workingTree ? io.cwd : source.root));
      io.stdout(
        `${summaryLine(state.files, state.desired.length, state.problems.length)}${origin(source)}
`
      );
    }
    return state.problems.length === 0 ? 0 : 1;
  } finally {
    await source.close();
  }
}
var count = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`;
function summaryLine(files, accessPoints, problems) {
  return `${count(files, "file")}, ${count(accessPoints, "access point")}, ${count(problems, "problem")}`;
}
function origin(source) {
  if (source.commit === null) return " (not a git repository)";
  return ` at commit ${source.commit}${source.dirty ? " with uncommitted changes" : ""}`;
}

// src/version.ts
var VERSION = "0.1.0";

// src/cli.ts
async function buildProgram(onExit, argv = process.argv) {
  const io = processIO();
  const program = new Command().name("s3ap").description(
    "Policy-as-code GitOps reconciler for Amazon S3 access point policies.\nExit codes: 0 in sync / valid / applied, 1 error, 2 changes pending (plan, apply --dry-run)."
  ).version(VERSION).showHelpAfterError().exitOverride();
  registerValidate(program, io, onExit);
  if (argv[2] !== "validate") {
    const { registerReconcile } = await import("./chunks/reconcile-R63JKRCD.js");
    registerReconcile(program, io, onExit);
  }
  return program;
}
async function main() {
  let exitCode = 0;
  const program = await buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 1;
      return;
    }
    process.stderr.write(`s3ap: ${error instanceof Error ? error.message : String(error)}
`);
    process.exitCode = 1;
    return;
  }
  process.exitCode = exitCode;
}
await main();
export {
  buildProgram
};
